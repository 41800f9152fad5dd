"""``Context7Reader``: Context7 documentation as LlamaIndex Documents."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Generator, Iterable, Iterator, Mapping, Sequence
from typing import Any

from llama_index.core.bridge.pydantic import Field, PrivateAttr
from llama_index.core.readers.base import BasePydanticReader
from llama_index.core.schema import Document
from typing_extensions import Unpack

from context7_kit.core import AsyncContext7Client, Context7Error
from context7_kit.core.documents import Modes, SnippetDocument, dedupe
from context7_kit.core.pair import AnyClient, ClientOptions, ClientPair, ClosesClients
from context7_kit.core.retrieval import DEFAULT_QUESTION, DocsRequest, Source
from context7_kit.integrations.llama_index._documents import to_llama_document

logger = logging.getLogger("context7_kit.llama_index")

LoadMode = Modes
"""``"code"``, ``"info"`` or ``"both"``."""


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


class Context7Reader(ClosesClients, BasePydanticReader):
    """Load version-specific library documentation from Context7 as LlamaIndex Documents.

    By default each question is one ``/v2/context`` request (served by every
    Context7 server); snippets found by several questions are loaded once.
    Each snippet becomes one :class:`~llama_index.core.schema.Document`: the
    snippet as Markdown, the snippet's own metadata (``library_id``,
    ``version``, ``snippet_type``, ``title``, ``source``, ``language``,
    ``page_title``, ``tokens``) and a stable ``doc_id`` that changes only with
    the snippet, so re-ingesting updates an index instead of duplicating it
    and a snippet found again by another question is not embedded again.
    With ``source="docs"`` (servers that still serve ``/v2/docs``) the reader
    pages through a topic instead.

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

        docs = reader.load_data("/vercel/next.js", "How do I add middleware?", version="v15.1.8")
        docs = reader.load_data("/vercel/next.js", queries=["routing", "caching", "server actions"])
        docs = reader.load_many(["/pydantic/pydantic", {"library_id": "/encode/httpx", "topic": "timeouts"}])
        docs = await reader.aload_many([...])  # concurrently, at most ``max_concurrency`` at a time

    The key and the HTTP clients are private attributes: ``to_dict()``,
    ``to_json()``, ``repr()`` and pickles never contain them.
    """

    is_remote: bool = True
    limit: int = Field(default=10, ge=1, le=10, description="With source='docs': snippets per API page (1..10).")
    max_concurrency: int = Field(
        default=4, ge=1, description="How many requests aload_many runs at once (keep it low on anonymous use)."
    )

    _source: ClientPair = PrivateAttr()

    def __init__(
        self,
        *,
        client: AnyClient | None = None,
        async_client: AsyncContext7Client | None = None,
        limit: int = 10,
        max_concurrency: int = 4,
        is_remote: bool = True,
        **options: Unpack[ClientOptions],
    ) -> None:
        """Build a reader from a client, from settings, or from the environment.

        Args:
            client: a :class:`Context7Client` (or an :class:`AsyncContext7Client`).
            async_client: an :class:`AsyncContext7Client` for the async methods.
            limit: with ``source="docs"``, snippets per API page.
            max_concurrency: how many requests ``aload_many`` runs at once.
            is_remote: LlamaIndex's flag, True: the documents come from a remote service.
            **options: :class:`~context7_kit.core.ClientOptions` of the clients the
                reader builds (``api_key``, ``base_url``, ``timeout``, ``cache``...).
        """
        super().__init__(limit=limit, max_concurrency=max_concurrency, is_remote=is_remote)
        self._source = ClientPair(
            owner=type(self).__name__, twins=False, client=client, async_client=async_client, **options
        )

    @classmethod
    def class_name(cls) -> str:
        """The stable name LlamaIndex serializes this reader under."""
        return "Context7Reader"

    # -- one library -----------------------------------------------------------

    def _request(self, library_id: str, topic: str | None, queries: Sequence[str] | None, **fields: Any) -> DocsRequest:
        """The request, checked (no I/O): errors surface at call time, not mid-iteration."""
        asked = (queries,) if isinstance(queries, str) else tuple(queries or ())
        return DocsRequest(library_id=library_id, topic=topic, queries=asked, limit=self.limit, **fields)

    def lazy_load_data(
        self,
        library_id: str,
        topic: str | None = None,
        *,
        queries: Sequence[str] | None = None,
        version: str | None = None,
        mode: LoadMode = "both",
        source: Source = "context",
        max_pages: int = 1,
        max_tokens: int | None = None,
    ) -> Iterator[Document]:
        """Documents for one library, fetched request by request as they are read.

        Args:
            library_id: a Context7 ID such as ``/vercel/next.js``; a version may be pinned
                as ``/vercel/next.js/v15.1.8``.
            topic: a question (or topic) to load the docs for.
            queries: more questions, one request each; snippets found twice are loaded once.
                With neither ``topic`` nor ``queries`` the reader asks a general
                question (``DEFAULT_QUESTION``).
            version: a version to pin (instead of pinning it in ``library_id``).
            mode: ``"code"`` (code examples), ``"info"`` (prose) or ``"both"`` (the default).
            source: ``"context"`` (``/v2/context``, the default) or ``"docs"`` (``/v2/docs``
                pages by topic, on servers that serve them).
            max_pages: with ``source="docs"``, API pages to read per question and mode (1..10).
            max_tokens: stop before the snippets' token count would exceed this budget.

        Input is checked when this is called; a bad library ID raises
        :class:`~context7_kit.InvalidInputError` before any request.
        """
        request = self._request(
            library_id,
            topic,
            queries,
            version=version,
            mode=mode,
            source=source,
            max_pages=max_pages,
            max_tokens=max_tokens,
        )
        client = self._source.sync()
        return (to_llama_document(d) for d in request.documents(client))

    def load_data(
        self,
        library_id: str,
        topic: str | None = None,
        *,
        queries: Sequence[str] | None = None,
        version: str | None = None,
        mode: LoadMode = "both",
        source: Source = "context",
        max_pages: int = 1,
        max_tokens: int | None = None,
    ) -> list[Document]:
        """All documents for one library (see :meth:`lazy_load_data` for the arguments)."""
        return list(
            self.lazy_load_data(
                library_id,
                topic,
                queries=queries,
                version=version,
                mode=mode,
                source=source,
                max_pages=max_pages,
                max_tokens=max_tokens,
            )
        )

    # The base class declares a coroutine returning an iterable; a stream that
    # can be awaited (giving that list) or iterated with ``async for`` serves both uses.
    def alazy_load_data(  # type: ignore[override]
        self,
        library_id: str,
        topic: str | None = None,
        *,
        queries: Sequence[str] | None = None,
        version: str | None = None,
        mode: LoadMode = "both",
        source: Source = "context",
        max_pages: int = 1,
        max_tokens: int | None = None,
    ) -> DocumentStream:
        """Documents for one library through the async client: ``async for`` them or ``await`` the list.

        Same arguments as :meth:`lazy_load_data`; input is checked when this is called.
        """
        request = self._request(
            library_id,
            topic,
            queries,
            version=version,
            mode=mode,
            source=source,
            max_pages=max_pages,
            max_tokens=max_tokens,
        )

        async def documents() -> AsyncIterator[Document]:
            async for document in request.adocuments(self._source.async_()):
                yield to_llama_document(document)

        return DocumentStream(documents())

    async def aload_data(
        self,
        library_id: str,
        topic: str | None = None,
        *,
        queries: Sequence[str] | None = None,
        version: str | None = None,
        mode: LoadMode = "both",
        source: Source = "context",
        max_pages: int = 1,
        max_tokens: int | None = None,
    ) -> list[Document]:
        """All documents for one library through the async client (arguments as :meth:`lazy_load_data`)."""
        return await self.alazy_load_data(
            library_id,
            topic,
            queries=queries,
            version=version,
            mode=mode,
            source=source,
            max_pages=max_pages,
            max_tokens=max_tokens,
        )

    def _with_limit(self, request: DocsRequest) -> DocsRequest:
        """``request`` with the reader's page size, unless it has its own."""
        return request if request.limit is not None else dataclasses.replace(request, limit=self.limit)

    # -- several libraries, versions, questions ---------------------------------------

    def _requests(self, requests: Iterable[DocsRequest | str | Mapping[str, Any]]) -> list[DocsRequest]:
        return [self._with_limit(DocsRequest.coerce(r)) for r in requests]

    def load_many(
        self, requests: Iterable[DocsRequest | str | Mapping[str, Any]], *, raise_on_error: bool = True
    ) -> list[Document]:
        """Documents for several libraries, versions or questions, one after the other, without duplicates.

        Args:
            requests: :class:`DocsRequest` objects, library ID strings, or mappings of
                ``DocsRequest`` fields.
            raise_on_error: when False, a request that fails with a Context7 error (an
                unknown library, a rate limit...) is logged and skipped instead of raised.

        A snippet reached by several requests (e.g. two overlapping questions) is
        returned once, where it first appeared. Every request is checked
        before the first one is sent.
        """
        checked = self._requests(requests)
        client = self._source.sync()
        collected: list[SnippetDocument] = []
        for request in checked:
            try:
                documents = list(request.documents(client))
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
                return [d async for d in request.adocuments(client)]

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

    def _client_pair(self) -> ClientPair:
        return self._source


__all__ = ["DEFAULT_QUESTION", "Context7Reader", "DocsRequest", "DocumentStream", "LoadMode"]
