"""What the LangChain tools, toolkit and retriever share.

- :class:`Context7ClientSettings`: the ``client=`` / ``async_client=`` /
  ``api_key=`` / ``base_url=`` settings and the other client options
  (:class:`~context7_kit.core.ClientOptions`) every class accepts, and
  ``close()`` / ``aclose()`` / context managers. The clients live in a private
  :class:`~context7_kit.core.ClientPair` and the key in a ``SecretStr``, so
  neither reaches a ``repr``, ``model_dump`` or ``dumps``.
- :func:`to_langchain_document`: the core's neutral document as a LangChain
  ``Document``, adding nothing.
- :func:`tool_error`: a core error as a ``ToolException`` whose text tells the
  model what to do next (the advice of :mod:`context7_kit.core.advice`).
"""

from __future__ import annotations

from typing import Any

from langchain_core.documents import Document
from langchain_core.tools import ToolException
from langchain_core.utils import from_env, secret_from_env
from pydantic import BaseModel, Field, PrivateAttr, SecretStr

from context7_kit.core import AsyncContext7Client, ClientPair, Context7Client, Context7Error
from context7_kit.core.advice import DOCS_TOOL, RESOLVE_TOOL, agent_message
from context7_kit.core.documents import SnippetDocument
from context7_kit.core.errors import InvalidInputError
from context7_kit.core.pair import CLIENT_OPTIONS, ClosesClients, split_client_options

RESOLVE_TOOL_NAME = RESOLVE_TOOL
DOCS_TOOL_NAME = DOCS_TOOL


def to_langchain_document(document: SnippetDocument) -> Document:
    """The LangChain ``Document`` of a neutral snippet document: same text, metadata and ID."""
    return Document(page_content=document.text, metadata=dict(document.metadata), id=document.id)


class Context7ClientSettings(ClosesClients, BaseModel):
    """How an integration object reaches Context7: a given client, or settings to build one.

    Pass ``client=`` (a ``Context7Client`` or ``AsyncContext7Client``) and/or
    ``async_client=``; or ``api_key=`` / ``base_url=`` and any other client
    option of :class:`~context7_kit.core.ClientOptions` (``timeout=``,
    ``max_retries=``, ``cache=``, ``headers=``...); with none of them,
    ``CONTEXT7_API_KEY`` and ``CONTEXT7_API_URL`` decide. Close what was built
    with ``close()`` / ``aclose()`` or a ``with`` / ``async with`` block.
    """

    api_key: SecretStr | None = Field(default_factory=secret_from_env("CONTEXT7_API_KEY", default=None))
    """Context7 API key (``ctx7sk...``); defaults to ``CONTEXT7_API_KEY``. Optional: anonymous use has low limits."""
    base_url: str | None = Field(default_factory=from_env("CONTEXT7_API_URL", default=None))
    """API base URL; defaults to ``CONTEXT7_API_URL``, else ``https://context7.com/api``."""

    _clients: ClientPair = PrivateAttr()

    def __init__(
        self,
        *,
        client: Context7Client | AsyncContext7Client | None = None,
        async_client: AsyncContext7Client | None = None,
        **data: Any,
    ) -> None:
        owner = type(self).__name__
        options, fields = split_client_options(data)
        unknown = sorted(set(fields) - set(type(self).model_fields))
        if unknown:
            raise InvalidInputError(
                f"{owner}: unknown argument {', '.join(map(repr, unknown))}; client options are "
                f"{', '.join(sorted(CLIENT_OPTIONS))}, and its fields {', '.join(sorted(type(self).model_fields))}."
            )
        key, url = options.pop("api_key", None), options.pop("base_url", None)
        if client is not None or async_client is not None:
            # Checked before the fields: settings passed with a client are the first thing to report.
            clients = ClientPair(
                client=client, async_client=async_client, api_key=key, base_url=url, owner=owner, **options
            )
            super().__init__(**fields)
        else:
            super().__init__(**fields, **{k: v for k, v in (("api_key", key), ("base_url", url)) if v is not None})
            secret = self.api_key.get_secret_value() if self.api_key is not None else None
            clients = ClientPair(api_key=secret, base_url=self.base_url, owner=owner, **options)
        self._clients = clients
        self._clients_changed()

    def __getstate__(self) -> dict[Any, Any]:
        """Pickle without the key (a ``SecretStr`` pickles its value): the copy reads its own environment."""
        state = super().__getstate__()
        fields = dict(state["__dict__"])
        if fields.get("api_key") is not None:
            fields["api_key"] = None
        return {**state, "__dict__": fields}

    def share_clients(self, clients: ClientPair) -> None:
        """Use ``clients`` (e.g. a toolkit's) instead of this object's own."""
        self._clients = clients
        self._clients_changed()

    def _clients_changed(self) -> None:
        """Hook for what is built on the clients (a tool's core tool)."""

    def _client_pair(self) -> ClientPair:
        return self._clients


def tool_error(
    exc: Context7Error,
    *,
    secret: str | None = None,
    library_id: str | None = None,
    resolve_tool: str | None = RESOLVE_TOOL_NAME,
    docs_tool: str = DOCS_TOOL_NAME,
) -> ToolException:
    """A ``ToolException`` for a core error: what went wrong, then which tool to call next.

    ``library_id`` is the ID the model asked for, named in the advice;
    ``resolve_tool=None`` for a tool over one fixed library.
    """
    return ToolException(agent_message(exc, library_id, secret=secret, resolve_tool=resolve_tool, docs_tool=docs_tool))


__all__ = [
    "DOCS_TOOL_NAME",
    "RESOLVE_TOOL_NAME",
    "Context7ClientSettings",
    "to_langchain_document",
    "tool_error",
]
