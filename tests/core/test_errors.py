"""Every documented status becomes its own error, with what to do next."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from pydantic import ValidationError

from context7_kit import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
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
    UnprocessableEntityError,
)
from tests.core.conftest import Harness, error_response

# status, error code, server message, class, a phrase of the hint saying what to do next
STATUS_TABLE = [
    (202, "library_not_finalized", "Library is still being processed", LibraryNotFinalizedError, "try again"),
    (400, "invalid_page", "Page must be between 1 and 10", BadRequestError, "page must be between 1 and 10"),
    (400, "invalid_limit", "Limit too large", BadRequestError, "limit must be between 1 and 10"),
    (400, "invalid_format", "Bad library ID format", BadRequestError, "Check the parameters"),
    (401, "invalid_api_key", "Invalid API key", AuthenticationError, "CONTEXT7_API_KEY"),
    (402, "spending_limit_exceeded", "Spending limit exceeded", PaymentRequiredError, "spending limit"),
    (403, "library_blocked", "This library is blocked", PermissionDeniedError, "check the key"),
    (404, "library_not_found", "Library not found", NotFoundError, "search_library()"),
    (404, "tag_not_found", "Version not found", NotFoundError, "Check the version"),
    (422, "library_too_large", "Library too large", UnprocessableEntityError, "search_library()"),
    (429, "rate_limit_exceeded", "Too many requests", RateLimitError, "CONTEXT7_API_KEY"),
    (500, "internal_error", "Internal server error", ServerError, "try again later"),
    (503, "search_failed", "Search failed", ServerError, "try again later"),
    (504, "timeout", "Timed out", ServerError, "try again later"),
]


@pytest.mark.parametrize(
    ("status", "code", "server_message", "error_class", "hint"),
    STATUS_TABLE,
    ids=[f"{row[0]}-{row[1]}" for row in STATUS_TABLE],
)
async def test_status_maps_to_its_error_class(
    make_c7, status: int, code: str, server_message: str, error_class: type[APIStatusError], hint: str
) -> None:
    c7: Harness = make_c7(max_retries=0)
    c7.api.failures.append(error_response(status, code, server_message))

    with pytest.raises(error_class) as info:
        await c7.call("get_docs", "/acme/widgets", topic="routing")

    error = info.value
    assert isinstance(error, Context7Error)
    assert isinstance(error, APIStatusError)
    assert error.status_code == status
    assert error.error_code == code
    assert server_message in error.message
    assert str(error) == error.message
    assert hint.lower() in error.message.lower()
    assert error.response is not None and error.response.status_code == status
    assert f"{error_class.__name__}(status_code={status}" in repr(error)


async def test_not_found_hints_tell_a_missing_library_from_a_missing_version(c7: Harness) -> None:
    with pytest.raises(NotFoundError) as library:
        await c7.call("get_docs", "/acme/nothing-here")
    with pytest.raises(NotFoundError) as version:
        await c7.call("get_docs", "/acme/widgets/v9.9.9")

    assert library.value.error_code == "library_not_found"
    assert version.value.error_code == "tag_not_found"
    assert "search_library()" in library.value.message
    assert "version" in version.value.message.lower()
    assert library.value.message != version.value.message


async def test_rate_limit_error_carries_retry_after_and_ratelimit_headers(make_c7) -> None:
    c7: Harness = make_c7(max_retries=0)
    headers = {
        "Retry-After": "12",
        "RateLimit-Limit": "60",
        "RateLimit-Remaining": "0",
        "RateLimit-Reset": "1767225600",
    }
    c7.api.failures.append(error_response(429, "rate_limit_exceeded", "Slow down", headers=headers))

    with pytest.raises(RateLimitError) as info:
        await c7.call("search_library", "widgets")

    assert info.value.retry_after == 12.0
    assert info.value.limit == 60
    assert info.value.remaining == 0
    assert info.value.reset == 1767225600


async def test_rate_limit_error_without_headers_has_none_values(make_c7) -> None:
    c7: Harness = make_c7(max_retries=0)
    c7.api.failures.append(error_response(429, "rate_limit_exceeded", "Slow down"))

    with pytest.raises(RateLimitError) as info:
        await c7.call("search_library", "widgets")

    assert (info.value.retry_after, info.value.limit, info.value.remaining, info.value.reset) == (None,) * 4


HTML_PAGE = (
    b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
    b"</center><hr><center>nginx</center></body></html>"
)

ODD_BODIES = {
    "empty": b"",
    "whitespace": b"  \n ",
    "html": HTML_PAGE,
    "plain-text": b"upstream connect error or disconnect/reset before headers",
    "broken-json": b'{"error": "library_blocked", "message": ',
    "json-list": b'["not", "an", "object"]',
    "json-wrong-types": b'{"error": 5, "message": ["x"]}',
    "huge-html": b"<html><body>" + b"<p>lorem ipsum</p>" * 2000 + b"</body></html>",
    "binary": bytes(range(256)),
}


@pytest.mark.parametrize("body", ODD_BODIES.values(), ids=ODD_BODIES.keys())
async def test_error_bodies_that_are_not_json_fall_back_to_status_and_excerpt(make_c7, body: bytes) -> None:
    c7: Harness = make_c7(max_retries=0)
    c7.api.failures.append(httpx.Response(403, content=body, headers={"Content-Type": "text/html"}))

    with pytest.raises(PermissionDeniedError) as info:
        await c7.call("get_docs", "/acme/widgets")

    message = info.value.message
    assert info.value.status_code == 403
    assert info.value.error_code is None
    assert "403" in message
    assert "Forbidden" in message
    assert len(message) < 500, "the excerpt must stay short"
    assert "\n" not in message
    first_words = body.decode("utf-8", "replace").split()
    if first_words:
        assert first_words[0][:20] in message


async def test_html_gateway_error_is_a_server_error_with_an_excerpt(make_c7) -> None:
    c7: Harness = make_c7(max_retries=0)
    c7.api.failures.append(httpx.Response(502, content=HTML_PAGE, headers={"Content-Type": "text/html"}))

    with pytest.raises(ServerError) as info:
        await c7.call("get_docs", "/acme/widgets")

    assert info.value.status_code == 502
    assert "502 Bad Gateway" in info.value.message


async def test_error_code_without_message_is_spelled_out(make_c7) -> None:
    c7: Harness = make_c7(max_retries=0)
    c7.api.failures.append(httpx.Response(402, json={"error": "spending_limit_exceeded"}))

    with pytest.raises(PaymentRequiredError) as info:
        await c7.call("get_docs", "/acme/widgets")

    assert info.value.error_code == "spending_limit_exceeded"
    assert "spending limit exceeded" in info.value.message


BAD_SUCCESS_BODIES = {
    "html": (HTML_PAGE, "get_docs"),
    "empty": (b"", "get_docs"),
    "truncated-json": (b'{"snippets": [', "get_docs"),
    "json-list": (b"[]", "get_docs"),
    "snippets-not-a-list": (b'{"snippets": "none"}', "get_docs"),
    "pagination-wrong-type": (b'{"snippets": [], "pagination": {"page": "first"}}', "get_docs"),
    "search-html": (HTML_PAGE, "search_library"),
    "search-result-without-id": (b'{"results": [{"title": "No id"}]}', "search_library"),
    "context-wrong-shape": (b'{"codeSnippets": {"a": 1}}', "get_context"),
    "context-not-json": (b"OK", "get_context"),
}


@pytest.mark.parametrize(("body", "method"), BAD_SUCCESS_BODIES.values(), ids=BAD_SUCCESS_BODIES.keys())
async def test_success_with_unparseable_body_raises_response_format_error(
    c7: Harness, body: bytes, method: str
) -> None:
    c7.api.failures.append(httpx.Response(200, content=body))
    args = {"get_docs": ("/acme/widgets",), "search_library": ("widgets",), "get_context": ("/acme/widgets", "how")}

    with pytest.raises(Context7Error) as info:
        await c7.call(method, *args[method])

    error = info.value
    assert type(error) is ResponseFormatError
    assert not isinstance(error, (json.JSONDecodeError, ValidationError))
    assert error.__cause__ is None and error.__suppress_context__
    assert "200" in error.message
    assert "base_url" in error.message
    assert error.response is not None
    assert len(c7.requests) == 1, "a malformed success is not retried"


def test_every_public_error_is_a_context7_error() -> None:
    import context7_kit

    errors = [
        getattr(context7_kit, name)
        for name in context7_kit.__all__
        if isinstance(getattr(context7_kit, name), type) and issubclass(getattr(context7_kit, name), BaseException)
    ]
    assert len(errors) >= 15
    assert all(issubclass(e, Context7Error) for e in errors)
    assert issubclass(InvalidInputError, ValueError)
    assert not issubclass(APIStatusError, ValueError)


def test_the_drawn_exception_tree_is_the_real_one() -> None:
    """The errors module's docstring draws every exception under its real parent, each with a docstring."""
    import context7_kit.core.errors as errors_module

    doc = errors_module.__doc__ or ""
    parents: dict[str, str] = {}
    stack: list[str] = []
    for line in doc.splitlines():
        found = re.match(r"^(\s*(?:[│ ]   )*(?:[├└]── )?)([A-Z]\w+Error)\b", line)
        if not found:
            continue
        depth = len(found.group(1)) // 4
        del stack[depth - 1 :]
        if stack:
            parents[found.group(2)] = stack[-1]
        stack.append(found.group(2))
    classes = {
        name: cls
        for name, cls in vars(errors_module).items()
        if isinstance(cls, type) and issubclass(cls, errors_module.Context7Error)
    }
    assert set(parents) | {"Context7Error"} == set(classes)
    for name, cls in classes.items():
        assert (cls.__doc__ or "").strip(), f"{name} has no docstring"
        if name != "Context7Error":
            assert cls.__mro__[1].__name__ == parents[name], f"{name} is drawn under {parents[name]}"


def test_status_errors_can_be_built_with_their_own_status() -> None:
    assert RateLimitError("slow down", retry_after=2.0).status_code == 429
    assert NotFoundError("gone").status_code == 404
    redirected = LibraryRedirectedError("moved", new_library_id="/acme/new", error_code="library_redirected")
    assert (redirected.status_code, redirected.error_code) == (301, "library_redirected")
