"""The API key never shows: not in reprs, exceptions, logs or serialized results."""

from __future__ import annotations

import logging
import pickle
import traceback

import httpx
import pytest

from context7_kit import (
    APIConnectionError,
    AuthenticationError,
    Context7Client,
    Context7Error,
    ResponseFormatError,
)
from tests.conftest import TEST_KEY
from tests.core.conftest import Harness, error_response


def assert_no_key(*texts: str) -> None:
    for text in texts:
        assert TEST_KEY not in text
        assert TEST_KEY[6:] not in text  # not even without its prefix


async def test_client_repr_and_str_hide_the_key(c7: Harness) -> None:
    assert_no_key(repr(c7.client), str(c7.client))
    assert "api_key=set" in repr(c7.client)


def test_anonymous_client_repr() -> None:
    with Context7Client(api_key="") as client:
        assert "api_key=none" in repr(client)


def exception_texts(error: BaseException) -> list[str]:
    return [
        str(error),
        repr(error),
        getattr(error, "message", ""),
        repr(error.args),
        "".join(traceback.format_exception(type(error), error, error.__traceback__)),
    ]


ECHOES = {
    "401-json-message": lambda: error_response(401, "invalid_api_key", f"Invalid API key: {TEST_KEY}"),
    "403-html": lambda: httpx.Response(403, text=f"<html>Denied for Bearer {TEST_KEY}</html>"),
    "400-plain": lambda: httpx.Response(400, text=f"bad header Authorization: Bearer {TEST_KEY}"),
    "429-json": lambda: error_response(429, "rate_limit_exceeded", f"key {TEST_KEY} is over its limit"),
    "500-json": lambda: error_response(500, "internal_error", f"crash handling {TEST_KEY}"),
    "200-html": lambda: httpx.Response(200, text=f"<html>Welcome {TEST_KEY}</html>"),
    "200-wrong-shape": lambda: httpx.Response(200, json={"snippets": f"{TEST_KEY}"}),
}


@pytest.mark.parametrize("response", ECHOES.values(), ids=ECHOES.keys())
async def test_a_server_echoing_the_key_never_puts_it_in_an_exception(make_c7, response) -> None:
    c7: Harness = make_c7(max_retries=0)
    c7.api.failures.append(response())

    with pytest.raises(Context7Error) as info:
        await c7.call("get_docs", "/acme/widgets")

    assert_no_key(*exception_texts(info.value))


async def test_a_transport_error_mentioning_the_key_is_redacted(c7: Harness) -> None:
    c7.raise_text = f"proxy refused Bearer {TEST_KEY}"
    c7.raises.extend([httpx.ConnectError] * 4)

    with pytest.raises(APIConnectionError) as info:
        await c7.call("get_docs", "/acme/widgets")

    assert "[redacted]" in info.value.message
    assert_no_key(str(info.value), repr(info.value), info.value.message)


async def test_logs_never_hold_the_key_at_any_level(make_c7, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx, hishel, tenacity
    c7: Harness = make_c7(cache="memory")
    c7.raise_text = f"reset by peer, key {TEST_KEY}"
    c7.raises.append(httpx.ReadError)
    c7.api.failures.extend(
        [
            error_response(429, "rate_limit_exceeded", f"slow down {TEST_KEY}", headers={"Retry-After": "1"}),
            error_response(503, "search_failed", f"failed for {TEST_KEY}"),
        ]
    )
    await c7.call("get_docs", "/acme/old-widgets", topic="render")  # retries, then a followed redirect
    await c7.call("get_docs", "/acme/widgets", topic="render")  # from the cache
    c7.api.failures.append(error_response(401, "invalid_api_key", f"bad key {TEST_KEY}"))
    with pytest.raises(AuthenticationError):
        await c7.call("search_library", "widgets")

    assert len(caplog.records) >= 4
    assert_no_key(caplog.text, *(r.getMessage() for r in caplog.records))


async def test_results_serialize_without_the_key(c7: Harness) -> None:
    results = [
        await c7.call("get_docs", "/acme/widgets"),
        await c7.call("get_docs_text", "/acme/widgets"),
        await c7.call("get_context", "/acme/widgets", "how"),
        *(await c7.call("search_library", "widgets")),
        *(await c7.collect("/acme/widgets", max_pages=1)),
    ]

    for result in results:
        assert_no_key(repr(result), result.model_dump_json(), pickle.dumps(result).decode("latin-1"))


async def test_the_key_is_sent_only_in_the_authorization_header(c7: Harness) -> None:
    await c7.call("get_docs", "/acme/widgets", topic="x")

    request = c7.requests[0]
    assert request.headers["Authorization"] == f"Bearer {TEST_KEY}"
    assert_no_key(str(request.url), repr(request.headers))


async def test_response_format_error_keeps_its_type_when_redacted(make_c7) -> None:
    c7: Harness = make_c7()
    c7.api.failures.append(httpx.Response(200, text=f"{TEST_KEY}"))

    with pytest.raises(ResponseFormatError) as info:
        await c7.call("search_library", "widgets")

    assert info.value.response is not None


async def test_errors_pickle_without_the_key_and_keep_their_details(make_c7) -> None:
    c7: Harness = make_c7(max_retries=0)
    c7.api.failures.append(
        error_response(429, "rate_limit_exceeded", "Slow down", headers={"Retry-After": "3", "RateLimit-Limit": "60"})
    )
    with pytest.raises(Context7Error) as info:
        await c7.call("get_docs", "/acme/widgets")

    data = pickle.dumps(info.value)  # what a process pool does with a worker's exception
    copy = pickle.loads(data)

    assert TEST_KEY.encode() not in data
    assert type(copy) is type(info.value)
    assert (copy.status_code, copy.error_code, copy.retry_after, copy.limit) == (429, "rate_limit_exceeded", 3.0, 60)
    assert str(copy) == str(info.value)
    assert copy.response is None
