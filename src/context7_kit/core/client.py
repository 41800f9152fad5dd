# Generated from async_client.py by scripts/unasync.py: edit that file, then run the script.
"""The synchronous Context7 client."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import TypeVar

import httpx

from context7_kit.core._base import (
    MAX_CONNECTIONS,
    AnyHttpClient,
    BaseClient,
    Call,
    Deadline,
    DocsIteration,
    is_transport_error,
    logger,
)
from context7_kit.core._sync_io import connection_slots, sleep_function, time_limit
from context7_kit.core.cache import CacheSetting, sync_storage
from context7_kit.core.errors import LibraryRedirectedError, UnsupportedEndpointError
from context7_kit.core.models import Context, DocsPage, DocsSearch, LibraryResults, PagedSnippet, TextDocsPage

T = TypeVar("T")


class Context7Client(BaseClient):
    """Synchronous client for the Context7 API.

    Example::

        from context7_kit import Context7Client

        with Context7Client() as client:  # CONTEXT7_API_KEY / CONTEXT7_API_URL from the environment
            libraries = client.search_library("next.js")
            context = client.get_context(libraries[0].id, "How do I add middleware?")
            for snippet in context.snippets:
                print(snippet)
    """

    _http: httpx.Client

    def _setup_http(self, http_client: AnyHttpClient | None, cache: CacheSetting) -> None:
        given = self._given_http_client(http_client, httpx.Client)
        self._owns_http = given is None
        self._http = given or httpx.Client(**self._http_kwargs())
        self._storage = sync_storage(cache, self.cache_ttl)
        # With a cache, requests go through a client of its own in front of self._http (see cache.py).
        self._cached: httpx.Client | None = None
        if self._storage is not None:
            from context7_kit.core._sync_storage import sync_cache_client  # noqa: PLC0415  (loads hishel)

            self._cached = sync_cache_client(
                self._http, self._storage, owns_http=self._owns_http, reader=self._cache_reader, clean=self._storable
            )
        self._sleep = sleep_function()
        self._slots = connection_slots(MAX_CONNECTIONS)

    # -- lifecycle ----------------------------------------------------------

    def clear_cache(self) -> None:
        """Forget every cached answer (a no-op without a cache).

        Entries stored until now are not served again, to this client or any
        other that reads the same storage (a shared SQLite file or Redis).
        """
        if self._storage is not None:
            self._storage.clear()

    def close(self) -> None:
        """Close the HTTP client and the cache, unless they were passed in."""
        if self._cached is not None:
            self._cached.close()  # closes the storage and self._http when they are this client's
        elif self._owns_http:
            self._http.close()

    def __enter__(self) -> Context7Client:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- I/O ------------------------------------------------------------------

    def _send_once(self, call: Call[T], deadline: Deadline) -> T:
        request = self._build(self._http, call, deadline)
        logger.debug("GET %s", request.url)
        if self._bypassing.get():
            self._forget(request)
        try:
            with time_limit(deadline.remaining()):  # see the I/O module's docstring
                with self._slots:
                    streamed = (self._cached or self._http).send(request, stream=True)
                try:
                    reader = self._reader(streamed, deadline)
                    for chunk in streamed.iter_raw():
                        reader.feed(chunk)
                    response = reader.finish()
                finally:
                    streamed.close()
        except httpx.HTTPError as exc:
            if not is_transport_error(exc):
                raise
            raise self._transport_error(exc, request) from exc
        except TimeoutError as exc:
            raise deadline.expired() from exc
        try:
            return self.interpret(call, response)
        except BaseException:
            self._forget(request)
            raise

    def _forget(self, request: httpx.Request) -> None:
        """Drop the cache's entry for ``request``: a failure's, or one a fresh answer replaces."""
        if self._storage is None:
            return
        for entry in self._storage.get_entries(request.extensions["caching"]["key"]):
            self._storage.remove_entry(entry.id)

    def _execute(self, call: Call[T]) -> T:
        deadline = Deadline(self.deadline)
        call = self.known_route(call)
        redirects = 0
        while True:
            try:
                # Most calls succeed at once: tenacity is set up only when the first attempt failed in a
                # way the policy may retry. Its first attempt replays that failure, so it counts, waits
                # and logs exactly as if tenacity had made it.
                try:
                    return self._send_once(call, deadline)
                except Exception as error:
                    if not self.should_retry(error):
                        raise
                    first_failure: Exception | None = error
                from tenacity import Retrying  # noqa: PLC0415  (loaded with the first retry)

                for attempt in Retrying(**self._retry_kwargs(deadline)):
                    with attempt:
                        if first_failure is not None:
                            failure, first_failure = first_failure, None
                            raise failure
                        return self._send_once(call, deadline)
            except LibraryRedirectedError as error:
                call = self.follow(call, error, redirects)
                redirects += 1
            except UnsupportedEndpointError as error:
                call = self.route_missing(call, error)

    # -- API ------------------------------------------------------------------

    def search_library(
        self, query: str, library_name: str | None = None, *, fast: bool | None = None
    ) -> LibraryResults:
        """Find libraries by name, ranked by a question: ``GET /v2/libs/search`` (every Context7 server).

        ``libraryName`` is ``library_name``, else ``query``; ``query`` ranks the
        results. ``fast=True`` skips the server's LLM reranking.
        """
        return self._execute(self.search_call(query, library_name, fast=fast))

    def search_library_legacy(self, query: str) -> LibraryResults:
        """Surface A's library search, ``GET /v2/search?query=``, for servers that still serve it.

        Raises :class:`UnsupportedEndpointError` where ``/v2/search`` is the 2026
        Search API (context7.com): use :meth:`search_library` there.
        """
        return self._execute(self.legacy_search_call(query))

    def search_docs(
        self,
        query: str,
        *,
        libraries: str | Iterable[str] | None = None,
        version: str | None = None,
        language: str | None = None,
    ) -> DocsSearch:
        """Documentation for one question across up to four libraries: the Search API (``GET /v3/search``).

        ``libraries``: names or IDs to search (at most 4; none lets the server
        choose); ``version`` (needs a library) such as ``"15.2"``; ``language``
        a soft preference such as ``"TypeScript"``. One call; on a server
        without ``/v3/search`` (the vendor's SDK still sends ``/v2/search``),
        the first call costs two and this client asks ``/v2/search`` from then on.
        """
        return self._execute(self.search_docs_call(query, libraries=libraries, version=version, language=language))

    def get_docs(
        self,
        library_id: str,
        *,
        topic: str | None = None,
        mode: str = "code",
        version: str | None = None,
        page: int = 1,
        limit: int = 10,
    ) -> DocsPage:
        """One page of typed snippets for a library (and topic)."""
        result: DocsPage = self._execute(
            self.docs_call(library_id, topic=topic, mode=mode, version=version, page=page, limit=limit)
        )
        return result

    def get_docs_text(
        self,
        library_id: str,
        *,
        topic: str | None = None,
        mode: str = "code",
        version: str | None = None,
        page: int = 1,
        limit: int = 10,
    ) -> TextDocsPage:
        """One page as the Markdown the API renders (``type=txt``)."""
        result: TextDocsPage = self._execute(
            self.docs_call(library_id, topic=topic, mode=mode, version=version, page=page, limit=limit, text=True)
        )
        return result

    def iter_docs(
        self,
        library_id: str,
        *,
        topic: str | None = None,
        mode: str = "code",
        version: str | None = None,
        max_pages: int = 10,
        max_tokens: int | None = None,
        limit: int = 10,
    ) -> Iterator[PagedSnippet]:
        """Snippets across pages until the last page, ``max_pages`` or ``max_tokens``.

        Each yielded :class:`PagedSnippet` knows its page and rank. Input is
        checked when this is called; pages are fetched as the iterator is read.
        """
        plan = self.docs_plan(
            library_id, topic=topic, mode=mode, version=version, limit=limit, max_pages=max_pages, max_tokens=max_tokens
        )
        return self._iterate(plan)

    def _iterate(self, plan: DocsIteration) -> Iterator[PagedSnippet]:
        while (call := plan.next_call()) is not None:
            yield from plan.feed(self._execute(call))

    def get_context(
        self, library_id: str, query: str, *, fast: bool | None = None, version: str | None = None
    ) -> Context:
        """Code snippets, info snippets and rules chosen for one question: ``GET /v2/context`` (one call).

        Works on every Context7 server; a Markdown answer (on-premise servers
        send only that) is parsed into the same snippets. ``fast=True`` skips
        the server's reranking; None leaves it to the server.
        """
        return self._execute(self.context_call(library_id, query, fast=fast, version=version))


__all__ = ["Context7Client"]
