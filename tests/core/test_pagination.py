"""iter_docs across pages, its limits, and the txt format's pagination headers."""

from __future__ import annotations

import httpx
import pytest

from context7_kit import CodeSnippet, InfoSnippet
from tests.core.conftest import Harness, docs_body
from tests.fake_api import code_snippet


def requested_pages(c7: Harness) -> list[int]:
    return [int(r.url.params["page"]) for r in c7.requests]


async def test_iter_docs_reads_every_page_until_has_next_is_false(c7: Harness) -> None:
    snippets = await c7.collect("/acme/widgets", topic="rendering")

    assert len(snippets) == 24  # 10 + 10 + 4
    assert requested_pages(c7) == [1, 2, 3]
    assert [s.page for s in snippets] == [1] * 10 + [2] * 10 + [3] * 4
    assert [s.rank for s in snippets] == list(range(1, 25))
    assert [s.snippet.code_title for s in snippets] == [f"Create widget {n}" for n in range(1, 25)]
    assert {(s.library_id, s.version, s.topic) for s in snippets} == {("/acme/widgets", None, "rendering")}


async def test_iter_docs_keeps_the_version_and_limit_on_every_page(c7: Harness) -> None:
    snippets = await c7.collect("/acme/widgets@v2.0.0", limit=5, max_pages=3, mode="info")

    assert len(snippets) == 15
    assert all(isinstance(s.snippet, InfoSnippet) and s.version == "v2.0.0" for s in snippets)
    assert {r.url.path for r in c7.requests} == {"/api/v2/docs/info/acme/widgets/v2.0.0"}
    assert {r.url.params["limit"] for r in c7.requests} == {"5"}


async def test_iter_docs_stops_at_max_pages(c7: Harness) -> None:
    snippets = await c7.collect("/acme/widgets", max_pages=2)

    assert len(snippets) == 20
    assert requested_pages(c7) == [1, 2]


async def test_iter_docs_never_asks_past_page_10(c7: Harness) -> None:
    # A server that always claims another page follows.
    c7.api.failures.extend(
        httpx.Response(200, json=docs_body([code_snippet(n).to_wire()], page=n, total_pages=50, has_next=True))
        for n in range(1, 13)
    )

    snippets = await c7.collect("/acme/widgets", max_pages=50)

    assert requested_pages(c7) == list(range(1, 11))
    assert len(snippets) == 10
    assert len(c7.api.failures) == 2


async def test_iter_docs_stops_on_an_empty_page_even_if_has_next(c7: Harness) -> None:
    c7.api.failures.extend(
        [
            httpx.Response(200, json=docs_body([code_snippet(1).to_wire()], total_pages=5, has_next=True)),
            httpx.Response(200, json=docs_body([], page=2, total_pages=5, has_next=True)),
        ]
    )

    snippets = await c7.collect("/acme/widgets")

    assert len(snippets) == 1
    assert requested_pages(c7) == [1, 2]


@pytest.mark.parametrize(
    ("max_tokens", "expected", "pages"),
    [
        (40, 1, [1]),  # exactly one snippet of 40 tokens
        (100, 2, [1]),  # a third would make 120
        (450, 11, [1, 2]),  # the budget runs out on page 2
        (39, 0, [1]),  # not even the first fits
        (10_000, 24, [1, 2, 3]),  # the docs run out first
    ],
)
async def test_iter_docs_stays_within_the_token_budget(
    c7: Harness, max_tokens: int, expected: int, pages: list[int]
) -> None:
    snippets = await c7.collect("/acme/widgets", max_tokens=max_tokens)

    assert len(snippets) == expected
    assert sum(s.snippet.code_tokens for s in snippets) <= max_tokens
    assert requested_pages(c7) == pages


async def test_iter_docs_is_lazy(c7: Harness) -> None:
    iterator = c7.client.iter_docs("/acme/widgets")
    assert c7.requests == []

    if c7.is_async:
        first = await anext(iterator)  # type: ignore[arg-type]
    else:
        first = next(iterator)  # type: ignore[arg-type]

    assert first.rank == 1
    assert requested_pages(c7) == [1]


async def test_get_docs_returns_typed_snippets_and_pagination(c7: Harness) -> None:
    page = await c7.call("get_docs", "/acme/widgets", page=3)

    assert page.page == 3
    assert page.pagination.total_pages == 3
    assert page.has_next is False
    assert page.pagination.has_prev is True
    assert page.total_tokens == 4 * 40
    assert page.authentication == "none"
    assert all(isinstance(s, CodeSnippet) for s in page.snippets)
    assert page.mode == "code"


async def test_get_docs_text_reads_pagination_from_headers(c7: Harness) -> None:
    page = await c7.call("get_docs_text", "/acme/widgets", topic="render", page=2, limit=10)

    assert c7.requests[0].url.params["type"] == "txt"
    assert page.pagination.page == 2
    assert page.pagination.limit == 10
    assert page.pagination.total_pages == 3
    assert page.pagination.has_next is True
    assert page.pagination.has_prev is True
    assert page.total_tokens == 400
    assert page.text.startswith("### Create widget 11\nSource: https://example.test/")
    assert "```python\nwidget = Widget(11)" in page.text
    assert page.topic == "render"
    assert page.library_id == "/acme/widgets"


async def test_get_docs_text_last_page(c7: Harness) -> None:
    page = await c7.call("get_docs_text", "/acme/widgets", page=3)

    assert (page.pagination.page, page.pagination.has_next, page.pagination.has_prev) == (3, False, True)
    assert page.total_tokens == 160


async def test_get_docs_text_without_pagination_headers_falls_back_to_the_request(c7: Harness) -> None:
    c7.api.failures.append(httpx.Response(200, text="### Title\n\nSome docs.", headers={"x-context7-has-next": "yes"}))

    page = await c7.call("get_docs_text", "/acme/widgets", page=4, limit=3)

    assert page.text == "### Title\n\nSome docs."
    assert page.total_tokens is None
    assert page.pagination.page == 4
    assert page.pagination.limit == 3
    assert page.pagination.has_next is False
    assert page.pagination.has_prev is True
