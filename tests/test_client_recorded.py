"""The client's public methods over recorded HTTP (cassettes/test_client_recorded/).

Recorded from the local server over tests/fixtures/docs by `make record`, or
from the live API when CONTEXT7_API_URL and CONTEXT7_API_KEY are set. The
assertions are about shape and behaviour, and the library is whatever the
search finds first, so the same tests pass on a recording from either.

The default paths (``search_library``, ``get_context``) are the 2026 surface
every server answers. Surface A's ``/v2/docs`` routes (``get_docs``...) are
checked too: a server without them (context7.com) must raise
``UnsupportedEndpointError`` pointing at ``get_context``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest

from context7_kit.core import (
    AsyncContext7Client,
    CodeSnippet,
    Context7Client,
    InfoSnippet,
    Library,
    NotFoundError,
    UnsupportedEndpointError,
    render_snippet,
)

pytestmark = pytest.mark.vcr

SEARCH = "widgets"
QUESTION = "How do I add middleware?"
MISSING = "/context7-kit-tests/no-such-library"


@pytest.fixture
def client(c7_base_url: str, c7_api_key: str) -> Context7Client:
    return Context7Client(base_url=c7_base_url, api_key=c7_api_key, max_retries=0)


@pytest.fixture
def aclient(c7_base_url: str, c7_api_key: str) -> AsyncContext7Client:
    return AsyncContext7Client(base_url=c7_base_url, api_key=c7_api_key, max_retries=0)


T = TypeVar("T")


def first_library(client: Context7Client) -> Library:
    libraries = client.search_library(SEARCH)
    assert libraries, "the search found nothing to read"
    assert all(lib.id.startswith("/") and lib.id.count("/") == 2 for lib in libraries)
    return libraries[0]


def surface_a(read: Callable[[], T]) -> T:
    """A Surface A read: its result where the server has the route, else the clear error is the behaviour."""
    try:
        return read()
    except UnsupportedEndpointError as exc:
        assert "get_context" in str(exc)
        pytest.skip("this recording's server has no /v2/docs routes (as context7.com); the error said what to use")


def test_search_then_ask_a_question(client: Context7Client) -> None:
    with client:
        library = first_library(client)
        context = client.get_context(library.id, QUESTION)
    assert context.library_id == library.id and context.query == QUESTION
    assert context.snippets
    assert all(isinstance(s, CodeSnippet) and s.code_list for s in context.code_snippets)
    assert all(isinstance(s, InfoSnippet) and s.content for s in context.info_snippets)


def test_search_docs_across_libraries(client: Context7Client) -> None:
    with client:
        library = first_library(client)
        found = client.search_docs(QUESTION, libraries=[library.id])
        quota = client.rate_limit
    assert found.snippets and found.query == QUESTION
    assert all(s.library_id for s in found.snippets)
    assert library.id in found.library_ids
    assert quota is not None and quota.reset is not None  # every 2026 answer reports the quota


def test_search_then_read_docs_by_topic(client: Context7Client) -> None:
    with client:
        library = first_library(client)
        page = surface_a(lambda: client.get_docs(library.id, topic="middleware", limit=5))
    assert page.library_id == library.id
    assert 1 <= len(page.snippets) <= 5
    assert all(isinstance(s, CodeSnippet) and s.code_list for s in page.snippets)
    assert page.pagination.page == 1 and page.pagination.total_pages <= 10
    assert page.total_tokens > 0
    assert "```" in render_snippet(page.snippets[0])


def test_search_by_name_ranked_by_a_question(client: Context7Client) -> None:
    with client:
        libraries = client.search_library(QUESTION, library_name=SEARCH)
    assert libraries and all(lib.title for lib in libraries)


def test_info_mode_is_prose(client: Context7Client) -> None:
    with client:
        library = first_library(client)
        page = surface_a(lambda: client.get_docs(library.id, mode="info", limit=3))
    assert page.snippets and all(isinstance(s, InfoSnippet) and s.content for s in page.snippets)


def test_text_docs_carry_pagination_headers(client: Context7Client) -> None:
    with client:
        library = first_library(client)
        page = surface_a(lambda: client.get_docs_text(library.id, topic="middleware", limit=2))
    assert page.text.strip()
    assert page.pagination.page == 1 and page.pagination.limit == 2
    assert page.total_tokens is not None and page.total_tokens > 0


def test_iter_docs_walks_pages_in_order(client: Context7Client) -> None:
    with client:
        library = first_library(client)
        items = surface_a(lambda: list(client.iter_docs(library.id, limit=3, max_pages=2)))
    assert [item.rank for item in items] == list(range(1, len(items) + 1))
    assert {item.page for item in items} <= {1, 2}
    assert items[0].page == 1
    # A second page is fetched only when the first says there is one.
    assert len(items) > 3 or max(item.page for item in items) == 1


def test_unknown_library_is_not_found(client: Context7Client) -> None:
    with client, pytest.raises(NotFoundError) as caught:
        client.get_context(MISSING, QUESTION)
    assert caught.value.status_code == 404
    assert not isinstance(caught.value, UnsupportedEndpointError)
    assert "search_library" in str(caught.value)


async def test_async_client_reads_the_same_way(aclient: AsyncContext7Client) -> None:
    async with aclient:
        libraries = await aclient.search_library(SEARCH)
        context = await aclient.get_context(libraries[0].id, QUESTION, fast=True)
    assert libraries and context.snippets
