"""What the LangChain tools, toolkit and retriever share.

- :class:`Context7ClientSettings`: the ``client=`` / ``async_client=`` /
  ``api_key=`` / ``base_url=`` settings every class accepts. The clients live
  in a private :class:`~context7_kit.core.ClientPair` and the key in a
  ``SecretStr``, so neither reaches a ``repr``, ``model_dump`` or ``dumps``.
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

RESOLVE_TOOL_NAME = RESOLVE_TOOL
DOCS_TOOL_NAME = DOCS_TOOL


def to_langchain_document(document: SnippetDocument) -> Document:
    """The LangChain ``Document`` of a neutral snippet document: same text, metadata and ID."""
    return Document(page_content=document.text, metadata=dict(document.metadata), id=document.id)


class Context7ClientSettings(BaseModel):
    """How an integration object reaches Context7: a given client, or settings to build one.

    Pass ``client=`` (a ``Context7Client`` or ``AsyncContext7Client``) and/or
    ``async_client=``; or ``api_key=`` / ``base_url=`` and client options;
    with none of them, ``CONTEXT7_API_KEY`` and ``CONTEXT7_API_URL`` decide.
    """

    api_key: SecretStr | None = Field(default_factory=secret_from_env("CONTEXT7_API_KEY", default=None))
    """Context7 API key (``ctx7sk...``); defaults to ``CONTEXT7_API_KEY``. Optional: anonymous use has low limits."""
    base_url: str | None = Field(default_factory=from_env("CONTEXT7_API_URL", default=None))
    """API base URL; defaults to ``CONTEXT7_API_URL``, else ``https://context7.com/api``."""
    timeout: float | None = None
    """Seconds to wait for the server; None keeps the client's default."""
    max_retries: int = Field(default=3, ge=0)
    """Retries of rate-limited, failed or unreachable requests."""
    cache: str | None = None
    """Response cache: ``"memory"``, a SQLite file path or a ``redis://`` URL; None for no cache."""
    cache_ttl: float | None = Field(default=None, gt=0)
    """Seconds a cached response stays fresh; None keeps the client's default (6 hours)."""

    _clients: ClientPair = PrivateAttr()

    def __init__(
        self,
        *,
        client: Context7Client | AsyncContext7Client | None = None,
        async_client: AsyncContext7Client | None = None,
        **data: Any,
    ) -> None:
        owner = type(self).__name__
        given = client is not None or async_client is not None
        if given:
            # Checked before the fields: a key or URL passed with a client is the first thing to report.
            # A given client keeps its own settings; the other client options are not used.
            clients = ClientPair(
                client=client,
                async_client=async_client,
                api_key=data.get("api_key"),
                base_url=data.get("base_url"),
                owner=owner,
            )
        super().__init__(**data)
        if not given:
            clients = ClientPair(
                api_key=self.api_key.get_secret_value() if self.api_key is not None else None,
                base_url=self.base_url,
                timeout=self.timeout,
                max_retries=self.max_retries,
                cache=self.cache,
                cache_ttl=self.cache_ttl,
                owner=owner,
            )
        self._clients = clients

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


def tool_error(exc: Context7Error, *, secret: str | None = None, library_id: str | None = None) -> ToolException:
    """A ``ToolException`` for a core error: what went wrong, then which tool to call next.

    ``library_id`` is the ID the model asked for, named in the advice.
    """
    return ToolException(
        agent_message(exc, library_id, secret=secret, resolve_tool=RESOLVE_TOOL_NAME, docs_tool=DOCS_TOOL_NAME)
    )


def check_k(k: object, *, maximum: int) -> int:
    """``k`` as a positive int no larger than ``maximum``, or a ValueError saying why not."""
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= maximum:
        raise ValueError(f"k must be an integer from 1 to {maximum}, not {k!r}.")
    return k


__all__ = [
    "DOCS_TOOL_NAME",
    "RESOLVE_TOOL_NAME",
    "Context7ClientSettings",
    "check_k",
    "to_langchain_document",
    "tool_error",
]
