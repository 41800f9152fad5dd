"""``Context7Reader``: Context7 documentation as LlamaIndex Documents."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal

import httpx
from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.readers.base import BasePydanticReader
from llama_index.core.schema import Document

from context7_kit.core import AsyncContext7Client, Context7Client, Context7Error, InvalidInputError, check_docs_request
from context7_kit.core.cache import CacheSetting
from context7_kit.core.documents import SnippetDocument, dedupe, paged_documents
from context7_kit.core.pair import AnyClient, ClientPair
from context7_kit.integrations.llama_index._documents import to_llama_document

logger = logging.getLogger("context7_kit.llama_index")

LoadMode = Literal["code", "info", "both"]
_MODES: dict[str, tuple[Literal["code", "info"], ...]] = {
    "code": ("code",),
    "info": ("info",),
    "both": ("code", "info"),
}


@dataclass(frozen=True)
class DocsRequest:
    """One library (and optionally topic and version) to load with :meth:`Context7Reader.load_many`.

    ``load_many`` also accepts a plain library ID string or a mapping with
    these keys, e.g. ``{"library_id": "/vercel/next.js", "topic": "routing"}``.
    """

    library_id: str
    topic: str | None = None
    version: str | None = None
    mode: LoadMode = "code"
    max_pages: int = 1
    max_tokens: int | None = None

    def __post_init__(self) -> None:
        if self.mode not in _MODES:
            raise InvalidInputError(f"mode must be 'code', 'info' or 'both', not {self.mode!r}.")

    @property
    def modes(self) -> tuple[Literal["code", "info"], ...]:
        """The API modes this request reads, in order."""
        return _MODES[self.mode]

    @classmethod
    def coerce(cls, value: DocsRequest | str | Mapping[str, Any]) -> DocsRequest:
        """A request from a request, a library ID string, or a mapping of its fields."""
        if isinstance(value, DocsRequest):
            return value
        if isinstance(value, str):
            return cls(library_id=value)
        if isinstance(value, Mapping):
            try:
                return cls(**value)
            except TypeError as exc:
                raise InvalidInputError(
                    f"Cannot build a DocsRequest from {dict(value)!r}: use the keys library_id, topic, "
                    "version, mode, max_pages and max_tokens."
                ) from exc
        raise InvalidInputError(
            f"A request must be a DocsRequest, a library ID string or a mapping, not {type(value).__name__}."
        )


class DocumentStream:
    """Documents loaded asynchronously, fetched as they are read.

    ``async for doc in stream`` reads them one by one (pages are fetched as
    needed); ``await stream`` collects them into a list.
    """

    def __init__(self, documents: AsyncIterator[Document]) -> None:
        self._documents = documents

    def __aiter__(self) -> AsyncIterator[Document]:
        return self._documents

    def __await__(self) -> Generator[Any, None, list[Document]]:
        return self._collect().__await__()

    async def _collect(self) -> list[Document]:
        return [document async for document in self._documents]


def _tokens(document: SnippetDocument) -> int:
    value = document.metadata.get("tokens", 0)
    return value if isinstance(value, int) else 0


class Context7Reader(BasePydanticReader):
    """Load version-specific library documentation from Context7 as LlamaIndex Documents.

    Each snippet becomes one :class:`~llama_index.core.schema.Document`: the
    snippet as Markdown, flat metadata (``library_id``, ``version``, ``topic``,
    ``snippet_type``, ``title``, ``source``, ``language``, ``page_title``,
    ``tokens``, ``page``, ``rank``) and a stable ``doc_id``, so re-ingesting
    the same docs updates an index instead of duplicating it.

    Setup:
        ``pip install "context7-kit[llama-index]"``; optionally set
        ``CONTEXT7_API_KEY`` (higher rate limits, private libraries) and
        ``CONTEXT7_API_URL`` (an on-premise or local server).

    Instantiate::

        from context7_kit.integrations.llama_index import Context7Reader

        reader = Context7Reader()  # key and URL from the environment
        reader = Context7Reader(api_key="ctx7sk-...", timeout=30, cache="memory")
        reader = Context7Reader(client=my_client, async_client=my_async_client)

    Load::

        docs = reader.load_data("/vercel/next.js", "middleware", version="v15.1.8", max_pages=2)
        docs = reader.load_many(["/pydantic/pydantic", {"library_id": "/encode/httpx", "topic": "timeouts"}])
        docs = await reader.aload_many([...])  # concurrently, at most ``max_concurrency`` at a time

    The key and the HTTP clients are private attributes: ``to_dict()``,
    ``to_json()``, ``repr()`` and pickles never contain them.
    """

    is_remote: bool = True
    limit: int = Field(default=10, ge=1, le=10, description="Snippets per API page (1..10).")
    max_concurrency: int = Field(
        default=4, ge=1, description="How many requests aload_many runs at once (keep it low on anonymous use)."
    )

    _source: ClientPair = PrivateAttr()

    def __init__(
        self,
        *,
        client: AnyClient | None = None,
        async_client: AsyncContext7Client | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: httpx.Timeout | float | None = None,
        max_retries: int | None = None,
        max_retry_wait: float | None = None,
        cache: CacheSetting = None,
        cache_ttl: float | None = None,
        follow_redirects: bool | None = None,
        headers: Mapping[str, str] | None = None,
        **data: Any,
    ) -> None:
        """Build a reader from a client, from settings, or from the environment.

        Args:
            client: a :class:`Context7Client` (or an :class:`AsyncContext7Client`).
            async_client: an :class:`AsyncContext7Client` for the async methods.
            api_key: Context7 API key; defaults to ``CONTEXT7_API_KEY``.
            base_url: API base URL; defaults to ``CONTEXT7_API_URL``, then context7.com.
            timeout: request timeout of the clients the reader makes.
            max_retries: retries on 429, 5xx and connection errors.
            max_retry_wait: the longest wait between retries, in seconds.
            cache: response cache (``"memory"``, a SQLite path, a ``redis://`` URL, a hishel storage).
            cache_ttl: how long cached responses stay fresh, in seconds.
            follow_redirects: follow moved libraries (301) to their new ID.
            headers: extra HTTP headers.
            **data: the reader's fields (``limit``, ``max_concurrency``).
        """
        super().__init__(**data)
        self._source = ClientPair(
            owner=type(self).__name__,
            twins=False,
            client=client,
            async_client=async_client,
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            max_retry_wait=max_retry_wait,
            cache=cache,
            cache_ttl=cache_ttl,
            follow_redirects=follow_redirects,
            headers=headers,
        )

    @classmethod
    def class_name(cls) -> str:
        """The stable name LlamaIndex serializes this reader under."""
        return "Context7Reader"

    # -- requests ------------------------------------------------------------

    def _check(self, request: DocsRequest) -> None:
        """Validate a request's input (no I/O): errors surface at call time, not mid-iteration."""
        for mode in request.modes:
            check_docs_request(
                request.library_id,
                topic=request.topic,
                mode=mode,
                version=request.version,
                limit=self.limit,
                max_pages=request.max_pages,
                max_tokens=request.max_tokens,
            )

    def _sync_documents(self, client: Context7Client, request: DocsRequest) -> Iterator[SnippetDocument]:
        budget = request.max_tokens
        for mode in request.modes:
            if budget is not None and budget < 1:
                return
            snippets = client.iter_docs(
                request.library_id,
                topic=request.topic,
                mode=mode,
                version=request.version,
                max_pages=request.max_pages,
                max_tokens=budget,
                limit=self.limit,
            )
            for document in paged_documents(snippets):
                if budget is not None:
                    budget -= _tokens(document)
                yield document

    async def _async_documents(
        self, client: AsyncContext7Client, request: DocsRequest
    ) -> AsyncIterator[SnippetDocument]:
        budget = request.max_tokens
        for mode in request.modes:
            if budget is not None and budget < 1:
                return
            snippets = client.iter_docs(
                request.library_id,
                topic=request.topic,
                mode=mode,
                version=request.version,
                max_pages=request.max_pages,
                max_tokens=budget,
                limit=self.limit,
            )
            async for item in snippets:
                for document in paged_documents([item]):
                    if budget is not None:
                        budget -= _tokens(document)
                    yield document

    # -- one library -----------------------------------------------------------

    def lazy_load_data(
        self,
        library_id: str,
        topic: str | None = None,
        *,
        version: str | None = None,
        mode: LoadMode = "code",
        max_pages: int = 1,
        max_tokens: int | None = None,
    ) -> Iterator[Document]:
        """Documents for one library, fetched page by page as they are read.

        Args:
            library_id: a Context7 ID such as ``/vercel/next.js``; a version may be pinned
                as ``/vercel/next.js/v15.1.8``.
            topic: keywords or a question that filter and rank the snippets.
            version: a version to pin (instead of pinning it in ``library_id``).
            mode: ``"code"`` (code examples), ``"info"`` (prose) or ``"both"`` (code, then info).
            max_pages: how many API pages to read per mode (1..10, ``limit`` snippets each).
            max_tokens: stop before the snippets' token count would exceed this budget
                (shared by both modes with ``mode="both"``).

        Input is checked when this is called; a bad library ID raises
        :class:`~context7_kit.InvalidInputError` before any request.
        """
        request = DocsRequest(library_id, topic, version, mode, max_pages, max_tokens)
        self._check(request)
        client = self._source.sync()
        return (to_llama_document(d) for d in dedupe(self._sync_documents(client, request)))

    def load_data(
        self,
        library_id: str,
        topic: str | None = None,
        *,
        version: str | None = None,
        mode: LoadMode = "code",
        max_pages: int = 1,
        max_tokens: int | None = None,
    ) -> list[Document]:
        """All documents for one library (see :meth:`lazy_load_data` for the arguments)."""
        return list(
            self.lazy_load_data(
                library_id, topic, version=version, mode=mode, max_pages=max_pages, max_tokens=max_tokens
            )
        )

    # The base class declares a coroutine returning an iterable; a stream that
    # can be awaited (giving that list) or iterated with ``async for`` serves both uses.
    def alazy_load_data(  # type: ignore[override]
        self,
        library_id: str,
        topic: str | None = None,
        *,
        version: str | None = None,
        mode: LoadMode = "code",
        max_pages: int = 1,
        max_tokens: int | None = None,
    ) -> DocumentStream:
        """Documents for one library through the async client: ``async for`` them or ``await`` the list.

        Same arguments as :meth:`lazy_load_data`; input is checked when this is called.
        """
        request = DocsRequest(library_id, topic, version, mode, max_pages, max_tokens)
        self._check(request)

        async def documents() -> AsyncIterator[Document]:
            seen: set[str] = set()
            async for document in self._async_documents(self._source.async_(), request):
                if document.id not in seen:
                    seen.add(document.id)
                    yield to_llama_document(document)

        return DocumentStream(documents())

    async def aload_data(
        self,
        library_id: str,
        topic: str | None = None,
        *,
        version: str | None = None,
        mode: LoadMode = "code",
        max_pages: int = 1,
        max_tokens: int | None = None,
    ) -> list[Document]:
        """All documents for one library through the async client (arguments as :meth:`lazy_load_data`)."""
        return await self.alazy_load_data(
            library_id, topic, version=version, mode=mode, max_pages=max_pages, max_tokens=max_tokens
        )

    # -- several libraries, versions, topics -------------------------------------

    def _requests(self, requests: Iterable[DocsRequest | str | Mapping[str, Any]]) -> list[DocsRequest]:
        checked = [DocsRequest.coerce(r) for r in requests]
        for request in checked:
            self._check(request)
        return checked

    def load_many(
        self, requests: Iterable[DocsRequest | str | Mapping[str, Any]], *, raise_on_error: bool = True
    ) -> list[Document]:
        """Documents for several libraries, versions or topics, one after the other, without duplicates.

        Args:
            requests: :class:`DocsRequest` objects, library ID strings, or mappings of
                ``DocsRequest`` fields.
            raise_on_error: when False, a request that fails with a Context7 error (an
                unknown library, a rate limit...) is logged and skipped instead of raised.

        A snippet reached by several requests (e.g. two overlapping topics) is
        returned once, where it first appeared. Every request is checked
        before the first one is sent.
        """
        checked = self._requests(requests)
        client = self._source.sync()
        collected: list[SnippetDocument] = []
        for request in checked:
            try:
                documents = list(self._sync_documents(client, request))
            except Context7Error as exc:
                if raise_on_error:
                    raise
                logger.warning("Skipped %s: %s", request.library_id, exc)
            else:
                collected.extend(documents)
        return [to_llama_document(d) for d in dedupe(collected)]

    async def aload_many(
        self, requests: Iterable[DocsRequest | str | Mapping[str, Any]], *, raise_on_error: bool = True
    ) -> list[Document]:
        """:meth:`load_many` through the async client, at most ``max_concurrency`` requests at once.

        Documents come back in request order whatever order the responses
        arrive in, without duplicates. With ``raise_on_error=True`` the first
        failure cancels the requests still running.
        """
        checked = self._requests(requests)
        client = self._source.async_()
        gate = asyncio.Semaphore(self.max_concurrency)

        async def load(request: DocsRequest) -> list[SnippetDocument]:
            async with gate:
                return [d async for d in self._async_documents(client, request)]

        tasks = [asyncio.ensure_future(load(r)) for r in checked]
        try:
            results = await asyncio.gather(*tasks, return_exceptions=not raise_on_error)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        collected: list[SnippetDocument] = []
        for request, result in zip(checked, results, strict=True):
            if isinstance(result, Context7Error):
                logger.warning("Skipped %s: %s", request.library_id, result)
            elif isinstance(result, BaseException):
                raise result
            else:
                collected.extend(result)
        return [to_llama_document(d) for d in dedupe(collected)]

    # -- lifecycle -----------------------------------------------------------------

    def close(self) -> None:
        """Close the HTTP client the reader made (a client you passed in stays open)."""
        self._source.close()

    async def aclose(self) -> None:
        """Close the HTTP clients the reader made (clients you passed in stay open)."""
        await self._source.aclose()

    def __enter__(self) -> Context7Reader:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    async def __aenter__(self) -> Context7Reader:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()


__all__ = ["Context7Reader", "DocsRequest", "DocumentStream", "LoadMode"]
