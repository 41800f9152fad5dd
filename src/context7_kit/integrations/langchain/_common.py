"""What the LangChain tools, toolkit and retriever share.

- :class:`Context7ClientSettings`: the ``client=`` / ``async_client=`` /
  ``api_key=`` / ``base_url=`` settings every class accepts. Clients live in a
  private attribute and the key in a ``SecretStr``, so neither reaches a
  ``repr``, ``model_dump`` or ``dumps``.
- :func:`to_langchain_document`: the core's neutral document as a LangChain
  ``Document``, adding nothing.
- :func:`tool_error`: a core error as a ``ToolException`` whose text tells the
  model what to do next.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from typing import Any

from langchain_core.documents import Document
from langchain_core.tools import ToolException
from langchain_core.utils import from_env, secret_from_env
from pydantic import BaseModel, Field, PrivateAttr, SecretStr

from context7_kit.core import (
    AsyncContext7Client,
    AuthenticationError,
    Context7Client,
    Context7Error,
    InvalidInputError,
    LibraryNotFinalizedError,
    LibraryRedirectedError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ResponseFormatError,
    ServerError,
    TransportError,
    UnprocessableEntityError,
)
from context7_kit.core.documents import SnippetDocument
from context7_kit.core.errors import redact

RESOLVE_TOOL_NAME = "resolve_library_id"
DOCS_TOOL_NAME = "get_library_docs"


def to_langchain_document(document: SnippetDocument) -> Document:
    """The LangChain ``Document`` of a neutral snippet document: same text, metadata and ID."""
    return Document(page_content=document.text, metadata=dict(document.metadata), id=document.id)


class ClientPair:
    """The sync and async core clients one integration object (or a toolkit) uses.

    Given clients are used as they are. A missing one is built from the
    settings, or, when only its twin was given, from the twin's key, URL,
    timeout and retry settings, so both ``invoke`` and ``ainvoke`` do real I/O
    of their own kind. Async clients built here are kept per event loop:
    an httpx connection pool cannot outlive the loop it was opened in.
    """

    def __init__(
        self,
        settings: Context7ClientSettings,
        client: Context7Client | AsyncContext7Client | None = None,
        async_client: AsyncContext7Client | None = None,
    ) -> None:
        if isinstance(client, AsyncContext7Client):
            if async_client is not None:
                raise TypeError("client= is an AsyncContext7Client and async_client= is given too: pass one of them.")
            client, async_client = None, client
        if client is not None and not isinstance(client, Context7Client):
            raise TypeError(f"client= must be a Context7Client or AsyncContext7Client, not {type(client).__name__}.")
        if async_client is not None and not isinstance(async_client, AsyncContext7Client):
            raise TypeError(f"async_client= must be an AsyncContext7Client, not {type(async_client).__name__}.")
        self._settings = settings
        self._sync = client
        self._async = async_client
        self._loop_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncContext7Client] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ClientPair(sync={self._sync!r}, async_={self._async!r})"

    @property
    def api_key(self) -> str | None:
        """The key requests carry, only to scrub it from text before it is shown."""
        for known in (self._sync, self._async):
            if known is not None:
                return known.api_key
        key = self._settings.api_key
        return key.get_secret_value() if key is not None else None

    def _options(self) -> dict[str, Any]:
        """Client keyword arguments: the twin client's settings, else the integration's."""
        twin = self._sync or self._async
        if twin is not None:
            return {
                "api_key": twin.api_key,
                "base_url": twin.base_url,
                "timeout": twin.timeout,
                "max_retries": twin.max_retries,
                "max_retry_wait": twin.max_retry_wait,
                "cache_ttl": twin.cache_ttl,
                "follow_redirects": twin.follow_redirects,
            }
        s = self._settings
        options: dict[str, Any] = {
            "api_key": s.api_key.get_secret_value() if s.api_key is not None else None,
            "base_url": s.base_url,
            "timeout": s.timeout,
            "max_retries": s.max_retries,
            "cache": s.cache,
        }
        if s.cache_ttl is not None:
            options["cache_ttl"] = s.cache_ttl
        return options

    def sync(self) -> Context7Client:
        """The sync client, built on first use when none was given."""
        with self._lock:
            if self._sync is None:
                self._sync = Context7Client(**self._options())
            return self._sync

    def async_(self) -> AsyncContext7Client:
        """The async client for the running event loop."""
        if self._async is not None:
            return self._async
        loop = asyncio.get_running_loop()
        with self._lock:
            built = self._loop_clients.get(loop)
            if built is None:
                built = AsyncContext7Client(**self._options())
                self._loop_clients[loop] = built
            return built


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
        if (client is not None or async_client is not None) and (
            data.get("api_key") is not None or data.get("base_url") is not None
        ):
            raise ValueError(
                "Pass either client=/async_client= or api_key=/base_url=, not both: a given client keeps its own."
            )
        super().__init__(**data)
        self._clients = ClientPair(self, client, async_client)

    def share_clients(self, clients: ClientPair) -> None:
        """Use ``clients`` (e.g. a toolkit's) instead of this object's own."""
        self._clients = clients


_ADVICE: list[tuple[type[Context7Error], str]] = [
    (
        LibraryRedirectedError,
        "Call get_library_docs again with the new library ID.",
    ),
    (
        LibraryNotFinalizedError,
        "The library is still being indexed by Context7: pick another candidate from resolve_library_id, "
        "or answer without these docs and say so.",
    ),
    (
        InvalidInputError,
        "Fix the arguments. A library ID looks like '/owner/repo' or '/owner/repo/version'; "
        "if you do not have one, call resolve_library_id with the library's name first.",
    ),
    (
        AuthenticationError,
        "The Context7 API key is missing or wrong. This is a configuration problem only the user can fix: "
        "do not retry; tell the user to set CONTEXT7_API_KEY.",
    ),
    (
        PaymentRequiredError,
        "The Context7 account has reached its spending limit: do not retry; tell the user.",
    ),
    (
        PermissionDeniedError,
        "This key may not read this library: pick another library or tell the user; do not retry it.",
    ),
    (
        UnprocessableEntityError,
        "Context7 cannot serve this library: pick another candidate from resolve_library_id.",
    ),
    (
        RateLimitError,
        "Context7 is rate limiting requests even after retries: stop calling Context7 for now and answer with "
        "what you have, telling the user the docs could not be fetched.",
    ),
    (
        ServerError,
        "Context7 failed on its side: try once more later, or answer without these docs and say so.",
    ),
    (
        TransportError,
        "Context7 could not be reached: answer without these docs and tell the user.",
    ),
    (
        ResponseFormatError,
        "Context7 sent an unexpected answer: answer without these docs and tell the user.",
    ),
]

_NOT_FOUND = {
    "tag_not_found": "That version does not exist: call resolve_library_id to see the versions, or leave version out.",
}
_NOT_FOUND_DEFAULT = (
    "No library has that ID. Call resolve_library_id with the library's name and use an ID exactly as it returns."
)


# Hints the core adds for Python callers; the tool's own advice replaces them.
_CORE_HINTS = (
    "Check the library ID, or call search_library() to find the right one.",
    "Check the version: search_library() lists each library's versions.",
    "; call search_library() to find an ID.",
    "This library cannot be served: pick another one with search_library().",
)


def tool_error(exc: Context7Error, *, secret: str | None = None, library_id: str | None = None) -> ToolException:
    """A ``ToolException`` for a core error, telling the model what to do next.

    The core's message (already free of the key) is kept, its hints meant for
    Python callers are replaced by advice about the tools the model can call.
    ``library_id`` is the ID the model asked for, named in a not-found answer.
    """
    if isinstance(exc, NotFoundError):
        advice = _NOT_FOUND.get(exc.error_code or "", _NOT_FOUND_DEFAULT)
        if library_id:
            advice = advice.replace("that ID", f"the ID {library_id!r}").replace(
                "That version", f"{library_id}: that version"
            )
    else:
        advice = next((text for cls, text in _ADVICE if isinstance(exc, cls)), "")
        if isinstance(exc, RateLimitError) and exc.retry_after is not None:
            advice += f" (The server asked to wait {exc.retry_after:.0f} s.)"
    message = str(exc)
    if advice:
        for hint in (*_CORE_HINTS, getattr(exc, "default_hint", "")):
            if hint:
                message = message.replace(hint, "." if hint.startswith(";") else "")
    message = message.replace("search_library()", RESOLVE_TOOL_NAME).rstrip()
    text = f"{message} {advice}".strip()
    return ToolException(redact(text, secret))


def check_k(k: object, *, maximum: int) -> int:
    """``k`` as a positive int no larger than ``maximum``, or a ValueError saying why not."""
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= maximum:
        raise ValueError(f"k must be an integer from 1 to {maximum}, not {k!r}.")
    return k


__all__ = [
    "DOCS_TOOL_NAME",
    "RESOLVE_TOOL_NAME",
    "ClientPair",
    "Context7ClientSettings",
    "check_k",
    "to_langchain_document",
    "tool_error",
]
