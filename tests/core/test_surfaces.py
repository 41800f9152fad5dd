"""The 2026 surface by default: library search, the Search API, Markdown answers, missing Surface A routes."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest
from pydantic import ValidationError

from context7_kit.core import (
    CodeSnippet,
    ConflictError,
    InfoSnippet,
    InvalidInputError,
    NotFoundError,
    RateLimit,
    RateLimitError,
    UnsupportedEndpointError,
)
from context7_kit.core.documents import render_snippets
from tests.core.conftest import Harness, error_response
from tests.fake_api import code_snippet, info_snippet

HTML_404 = b"<!DOCTYPE html><html><head><title>404: This page could not be found</title></head></html>"

SEARCH_BODY = {
    "codeSnippets": [{**code_snippet(1).to_wire(), "libraryId": "/acme/widgets"}],
    "infoSnippets": [{**info_snippet(1).to_wire(), "libraryId": "/acme/gadgets"}],
    "rules": {
        "global": ["Prefer the async API."],
        "libraries": [{"libraryId": "/acme/widgets", "libraryOwn": ["Pin v2."], "libraryTeam": []}],
    },
}


async def test_search_docs_sends_the_search_api_request(c7: Harness) -> None:
    c7.api.failures.append(httpx.Response(200, json=SEARCH_BODY, headers={"x-request-id": "req-1"}))

    result = await c7.call(
        "search_docs", "  how do I render?  ", libraries=["widgets", "/acme/gadgets"], version="2.0", language="Python"
    )

    request = c7.requests[0]
    assert request.url.path == "/api/v3/search"
    assert request.url.params.get_list("library") == ["widgets", "/acme/gadgets"]
    assert dict(request.url.params) | {"library": None} == {
        "query": "how do I render?",
        "type": "json",
        "library": None,
        "version": "2.0",
        "language": "Python",
    }
    assert [s.library_id for s in result.snippets] == ["/acme/widgets", "/acme/gadgets"]
    assert result.library_ids == ["/acme/widgets", "/acme/gadgets"]
    assert result.rules.global_ == ["Prefer the async API."]
    assert result.rules.libraries[0].library_own == ["Pin v2."]
    assert result.rules.all() == ["Prefer the async API.", "Pin v2."]
    assert result.request_id == "req-1"


async def test_search_docs_on_a_server_without_the_search_api_says_what_to_use(c7: Harness) -> None:
    # The fake API has no /v3/search and answers /v2/search as Surface A did: a list of libraries.
    with pytest.raises(UnsupportedEndpointError, match="get_context"):
        await c7.call("search_docs", "how do I render?", libraries="/acme/widgets")
    assert [r.url.path for r in c7.requests] == ["/api/v3/search", "/api/v2/search"]


async def test_search_docs_falls_back_to_v2_once_where_v3_is_missing(c7: Harness) -> None:
    # A server that serves the Search API only where the vendor's SDK sends it (/v2/search).
    found = {"codeSnippets": [{**SEARCH_BODY["codeSnippets"][0]}], "infoSnippets": []}
    c7.api.failures += [
        httpx.Response(404, text="<!DOCTYPE html><title>404: This page could not be found.</title>"),
        httpx.Response(200, json=found),
        httpx.Response(200, json=found),
    ]
    first = await c7.call("search_docs", "how do I render?", libraries="/acme/widgets")
    second = await c7.call("search_docs", "how do I paint?", libraries="/acme/widgets")
    assert len(first.code_snippets) == len(second.code_snippets) == 1
    # The missing route costs one extra call, once per client.
    assert [r.url.path for r in c7.requests] == ["/api/v3/search", "/api/v2/search", "/api/v2/search"]


async def test_search_docs_does_not_fall_back_on_a_context7_not_found(c7: Harness) -> None:
    c7.api.failures.append(httpx.Response(404, json={"error": "no_documentation_found", "message": "Nothing matched."}))
    with pytest.raises(NotFoundError) as info:
        await c7.call("search_docs", "how do I render?", libraries="nothing-like-it")
    assert not isinstance(info.value, UnsupportedEndpointError)
    assert [r.url.path for r in c7.requests] == ["/api/v3/search"]


async def test_search_docs_takes_one_library_as_a_string(c7: Harness) -> None:
    c7.api.failures.append(httpx.Response(200, json={"codeSnippets": [], "infoSnippets": []}))

    await c7.call("search_docs", "routing", libraries="next.js")

    assert c7.requests[0].url.params.get_list("library") == ["next.js"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"libraries": ["a", "b", "c", "d", "e"]}, "at most 4"),
        ({"version": "15.2"}, "needs at least one library"),
        ({"libraries": ["next.js"], "version": "latest"}, "version number"),
        ({"libraries": ["x" * 121]}, "at most 120"),
        ({"libraries": [""]}, "libraries is empty"),
        ({"language": "x" * 41}, "at most 40"),
    ],
)
async def test_search_docs_rejects_what_the_api_would_reject_before_spending_a_call(
    c7: Harness, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        await c7.call("search_docs", "routing", **kwargs)
    assert c7.requests == []


MARKDOWN = render_snippets([code_snippet(1), code_snippet(2), info_snippet(1)])


async def test_a_markdown_context_answer_is_parsed_into_the_same_snippets(c7: Harness) -> None:
    c7.api.failures.append(httpx.Response(200, text=MARKDOWN, headers={"content-type": "text/plain; charset=utf-8"}))

    context = await c7.call("get_context", "/acme/widgets", "how do I create a widget?")

    assert c7.requests[0].url.params["type"] == "json"
    assert context.from_text
    assert [s.code_title for s in context.code_snippets] == ["Create widget 1", "Create widget 2"]
    assert context.code_snippets[0].code_list == code_snippet(1).code_list
    assert context.code_snippets[0].code_id == code_snippet(1).code_id
    assert [s.breadcrumb for s in context.info_snippets] == [info_snippet(1).breadcrumb]
    assert context.info_snippets[0].content == info_snippet(1).content


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
async def test_an_empty_context_answer_is_not_found_never_an_empty_success(c7: Harness, content_type: str) -> None:
    c7.api.failures.append(httpx.Response(200, content=b"", headers={"content-type": content_type}))

    with pytest.raises(NotFoundError, match="not found or is not finalized"):
        await c7.call("get_context", "/acme/widgets", "anything")


@pytest.mark.parametrize("method", ["get_docs", "get_docs_text"])
async def test_a_missing_surface_a_route_says_to_use_get_context(c7: Harness, method: str) -> None:
    c7.api.failures.append(httpx.Response(404, content=HTML_404, headers={"content-type": "text/html"}))

    with pytest.raises(UnsupportedEndpointError) as caught:
        await c7.call(method, "/acme/widgets", topic="routing")

    assert isinstance(caught.value, NotFoundError)
    assert "get_context" in str(caught.value)
    assert "no library" not in str(caught.value).lower()
    assert len(c7.requests) == 1


async def test_a_missing_library_on_a_surface_a_route_stays_a_library_error(c7: Harness) -> None:
    c7.api.failures.append(error_response(404, "library_not_found", "Library /acme/nope not found."))

    with pytest.raises(NotFoundError) as caught:
        await c7.call("get_docs", "/acme/nope")

    assert not isinstance(caught.value, UnsupportedEndpointError)


async def test_a_404_from_the_2026_routes_is_never_an_unsupported_route(c7: Harness) -> None:
    c7.api.failures.append(httpx.Response(404, content=HTML_404))

    with pytest.raises(NotFoundError) as caught:
        await c7.call("get_context", "/acme/widgets", "anything")

    assert not isinstance(caught.value, UnsupportedEndpointError)


async def test_legacy_library_search_on_a_search_api_server_says_to_use_search_library(c7: Harness) -> None:
    c7.api.failures.append(
        httpx.Response(200, text="### Widgets\n\nSource: x\n\ntext", headers={"content-type": "text/plain"})
    )

    with pytest.raises(UnsupportedEndpointError, match="2026 Search API"):
        await c7.call("search_library_legacy", "widgets")


async def test_rate_limit_is_none_then_the_last_answers_quota(make_c7) -> None:
    c7: Harness = make_c7(max_retries=0)
    assert c7.client.rate_limit is None
    c7.api.failures.append(
        httpx.Response(
            200,
            json={"results": []},
            headers={
                "RateLimit-Limit": "1000",
                "RateLimit-Remaining": "998",
                "RateLimit-Reset": "1767225600",
                "Context7-Quota-Tier": "free",
            },
        )
    )
    await c7.call("search_library", "widgets")

    assert c7.client.rate_limit == RateLimit(
        limit=1000, remaining=998, reset=datetime(2026, 1, 1, tzinfo=timezone.utc), tier="free"
    )
    with pytest.raises(ValidationError, match="frozen"):
        c7.client.rate_limit.limit = 5  # type: ignore[misc,union-attr]

    c7.api.failures.append(
        httpx.Response(429, json={"error": "rate_limit_exceeded"}, headers={"RateLimit-Remaining": "unlimited"})
    )
    with pytest.raises(RateLimitError):
        await c7.call("search_library", "widgets")
    assert c7.client.rate_limit is not None
    assert c7.client.rate_limit.remaining is None and c7.client.rate_limit.unlimited


@pytest.mark.parametrize("header", ["x-request-id", "x-context7-request-id"])
async def test_errors_and_results_carry_the_request_id(c7: Harness, header: str) -> None:
    c7.api.failures.append(error_response(404, "library_not_found", "nope", headers={header: "abc-123"}))
    with pytest.raises(NotFoundError) as caught:
        await c7.call("get_context", "/acme/widgets", "anything")
    assert caught.value.request_id == "abc-123"

    c7.api.failures.append(httpx.Response(200, json={"results": []}, headers={header: "def-456"}))
    libraries = await c7.call("search_library", "widgets")
    assert libraries == [] and libraries.request_id == "def-456"


async def test_a_conflict_has_its_own_error(c7: Harness) -> None:
    c7.api.failures.append(httpx.Response(409, json={"error": "duplicate_repo"}))

    with pytest.raises(ConflictError, match="already added"):
        await c7.call("get_context", "/acme/widgets", "anything")


@pytest.mark.parametrize(
    ("body", "tags"),
    [
        (
            {"error": "tag_not_found", "message": 'Tag "v1.0.0" not found. Available tags: v2.0.0, v1.5.0'},
            ["v2.0.0", "v1.5.0"],
        ),
        ({"error": "tag_not_found", "availableTags": ["v3"]}, ["v3"]),
        ({"error": "tag_not_found"}, []),
    ],
)
async def test_tag_not_found_exposes_the_listed_versions(c7: Harness, body: dict[str, object], tags: list[str]) -> None:
    c7.api.failures.append(httpx.Response(404, json=body))

    with pytest.raises(NotFoundError) as caught:
        await c7.call("get_context", "/acme/widgets/v1.0.0", "anything")

    assert caught.value.available_tags == tags
    for tag in tags:
        assert tag in str(caught.value)


def test_parsed_snippets_are_typed() -> None:
    from context7_kit.core import parse_txt

    snippets = parse_txt(MARKDOWN)
    assert [type(s) for s in snippets] == [CodeSnippet, CodeSnippet, InfoSnippet]


@pytest.mark.parametrize(
    ("status", "body", "error_class", "code", "text"),
    [
        (404, {"error": "library_not_found"}, NotFoundError, "library_not_found", "library not found"),
        (409, {"error": "duplicate_repo"}, ConflictError, "duplicate_repo", "already added"),
        (404, {"error": "Library '/acme/x' was not found."}, NotFoundError, "library_not_found", "'/acme/x' was not"),
        (404, {"error": "Version 'v9' of /acme/widgets was not found."}, NotFoundError, "tag_not_found", "'v9'"),
    ],
)
async def test_message_less_error_bodies_read_as_the_same_typed_errors(
    make_c7, status: int, body: dict[str, str], error_class: type[Exception], code: str, text: str
) -> None:
    c7: Harness = make_c7(max_retries=0)
    c7.api.failures.append(httpx.Response(status, json=body))

    with pytest.raises(error_class) as caught:
        await c7.call("get_context", "/acme/widgets", "anything")

    assert caught.value.error_code == code  # type: ignore[attr-defined]
    assert text in str(caught.value)
