"""Retries: what is retried, how long the client waits, and when it gives up."""

from __future__ import annotations

import email.utils
import logging
import time

import httpx
import pytest

from context7_kit import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    RateLimitError,
    ServerError,
)
from tests.conftest import TEST_KEY
from tests.core.conftest import Harness, error_response


def rate_limited(retry_after: str | None = None) -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else None
    return error_response(429, "rate_limit_exceeded", "Too many requests", headers=headers)


async def test_429_waits_retry_after_seconds_then_succeeds(c7: Harness) -> None:
    c7.api.failures.append(rate_limited("7"))

    libraries = await c7.call("search_library", "widgets")

    assert [lib.id for lib in libraries] == ["/acme/widgets"]
    assert c7.sleeps == [7.0]
    assert len(c7.requests) == 2


async def test_429_honours_retry_after_as_an_http_date(c7: Harness) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    c7.api.failures.append(rate_limited(when))

    await c7.call("search_library", "widgets")

    assert len(c7.sleeps) == 1
    assert 28.0 <= c7.sleeps[0] <= 30.0


async def test_429_with_a_date_in_the_past_retries_at_once(c7: Harness) -> None:
    c7.api.failures.append(rate_limited("Wed, 21 Oct 2015 07:28:00 GMT"))

    await c7.call("search_library", "widgets")

    assert c7.sleeps == [0.0]


async def test_429_without_retry_after_backs_off(c7: Harness) -> None:
    c7.api.failures.append(rate_limited())

    await c7.call("search_library", "widgets")

    assert len(c7.sleeps) == 1
    assert 0 < c7.sleeps[0] <= 8.5


@pytest.mark.parametrize("retry_after", ["61", "3600", "inf"])
async def test_retry_after_above_max_retry_wait_raises_at_once(c7: Harness, retry_after: str) -> None:
    c7.api.failures.append(rate_limited(retry_after))

    with pytest.raises(RateLimitError) as info:
        await c7.call("search_library", "widgets")

    assert c7.sleeps == []
    assert len(c7.requests) == 1
    assert info.value.retry_after is not None and info.value.retry_after > 60


async def test_max_retry_wait_is_configurable(make_c7) -> None:
    c7: Harness = make_c7(max_retry_wait=5)
    c7.api.failures.append(rate_limited("6"))

    with pytest.raises(RateLimitError):
        await c7.call("search_library", "widgets")
    assert c7.sleeps == []

    c7.api.failures.append(rate_limited("5"))
    await c7.call("search_library", "widgets")
    assert c7.sleeps == [5.0]


async def test_429_that_persists_raises_rate_limit_error_after_max_retries(c7: Harness) -> None:
    c7.api.failures.extend(rate_limited("1") for _ in range(4))

    with pytest.raises(RateLimitError):
        await c7.call("search_library", "widgets")

    assert len(c7.requests) == 4  # the first try and the default 3 retries
    assert c7.sleeps == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_server_errors_are_retried_with_growing_backoff(c7: Harness, status: int) -> None:
    c7.api.failures.extend(httpx.Response(status, text="busy") for _ in range(3))

    page = await c7.call("get_docs", "/acme/widgets")

    assert len(page.snippets) == 10
    assert len(c7.requests) == 4
    assert len(c7.sleeps) == 3
    assert all(0 < s <= 8.5 for s in c7.sleeps)
    assert c7.sleeps == sorted(c7.sleeps), "backoff grows"
    assert c7.sleeps[-1] > c7.sleeps[0]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_server_error_that_persists_is_raised_after_max_retries(c7: Harness, status: int) -> None:
    c7.api.failures.extend(httpx.Response(status, text="busy") for _ in range(4))

    with pytest.raises(ServerError) as info:
        await c7.call("get_docs", "/acme/widgets")

    assert info.value.status_code == status
    assert len(c7.requests) == 4


async def test_backoff_never_waits_longer_than_max_retry_wait(make_c7) -> None:
    c7: Harness = make_c7(max_retry_wait=0.2, max_retries=5)
    c7.api.failures.extend(httpx.Response(503) for _ in range(5))

    await c7.call("get_docs", "/acme/widgets")

    assert len(c7.sleeps) == 5
    assert all(s <= 0.2 for s in c7.sleeps), c7.sleeps


@pytest.mark.parametrize(
    ("failure", "error_class"),
    [
        (httpx.ConnectError, APIConnectionError),
        (httpx.ReadError, APIConnectionError),
        (httpx.ReadTimeout, APITimeoutError),
        (httpx.ConnectTimeout, APITimeoutError),
    ],
)
async def test_transport_failures_are_retried(
    c7: Harness, failure: type[httpx.TransportError], error_class: type
) -> None:
    c7.raises.extend([failure, failure])

    libraries = await c7.call("search_library", "widgets")

    assert libraries
    assert len(c7.requests) == 3
    assert len(c7.sleeps) == 2


@pytest.mark.parametrize(
    ("failure", "error_class", "advice"),
    [
        (httpx.ConnectError, APIConnectionError, "network"),
        (httpx.RemoteProtocolError, APIConnectionError, "network"),
        (httpx.ReadTimeout, APITimeoutError, "timeout="),
        (httpx.PoolTimeout, APITimeoutError, "timeout="),
    ],
)
async def test_transport_failure_that_persists_raises_its_own_class(
    c7: Harness, failure: type[httpx.TransportError], error_class: type, advice: str
) -> None:
    c7.raises.extend([failure] * 4)

    with pytest.raises(error_class) as info:
        await c7.call("get_docs", "/acme/widgets")

    assert not isinstance(info.value, APIStatusError)
    assert isinstance(info.value.__cause__, failure), "raised from the httpx error"
    assert "context7.test" in info.value.message
    assert advice in info.value.message
    assert len(c7.requests) == 4


@pytest.mark.parametrize("status", [202, 400, 401, 402, 403, 404, 422])
async def test_other_statuses_are_never_retried(c7: Harness, status: int) -> None:
    c7.api.failures.append(error_response(status, "some_error", "No."))

    with pytest.raises(APIStatusError):
        await c7.call("get_docs", "/acme/widgets")

    assert len(c7.requests) == 1
    assert c7.sleeps == []


@pytest.mark.parametrize(
    "failure",
    [lambda: httpx.Response(500), lambda: rate_limited("1"), lambda: httpx.Response(503, text="<html>")],
)
async def test_max_retries_zero_disables_retries_for_statuses(make_c7, failure) -> None:
    c7: Harness = make_c7(max_retries=0)
    c7.api.failures.append(failure())

    with pytest.raises(APIStatusError):
        await c7.call("get_docs", "/acme/widgets")

    assert len(c7.requests) == 1
    assert c7.sleeps == []


async def test_max_retries_zero_disables_retries_for_transport_failures(make_c7) -> None:
    c7: Harness = make_c7(max_retries=0)
    c7.raises.append(httpx.ConnectError)

    with pytest.raises(APIConnectionError):
        await c7.call("get_docs", "/acme/widgets")

    assert len(c7.requests) == 1


async def test_max_retries_sets_the_number_of_attempts(make_c7) -> None:
    c7: Harness = make_c7(max_retries=1)
    c7.api.failures.extend([httpx.Response(500), httpx.Response(500)])

    with pytest.raises(ServerError):
        await c7.call("get_docs", "/acme/widgets")

    assert len(c7.requests) == 2


async def test_retries_are_logged_without_the_key(c7: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    c7.raise_text = f"connection reset while sending Bearer {TEST_KEY}"
    c7.raises.append(httpx.ConnectError)
    c7.api.failures.extend(
        [
            rate_limited("2"),
            error_response(503, "search_failed", f"Search failed for key {TEST_KEY}"),
        ]
    )

    await c7.call("get_docs", "/acme/widgets", topic="routing")

    retry_lines = [r.getMessage() for r in caplog.records if "retry" in r.getMessage().lower()]
    assert len(retry_lines) == 3
    assert any("429" in line for line in retry_lines)
    assert any("503" in line for line in retry_lines)
    assert TEST_KEY not in caplog.text
    assert all(TEST_KEY not in r.getMessage() for r in caplog.records)


async def test_retries_are_info_and_only_an_anonymous_rate_limit_warns_once(
    make_c7, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="context7_kit")
    c7: Harness = make_c7(api_key=None)
    for _ in range(5):
        c7.api.failures.extend([rate_limited("1"), httpx.Response(503)])
        await c7.call("search_library", "widgets")

    retries = [r for r in caplog.records if "retry" in r.getMessage()]
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(retries) == 10 and all(r.levelno == logging.INFO for r in retries)
    assert len(warnings) == 1, "what the user can act on is said once, not on every retry"
    assert "CONTEXT7_API_KEY" in warnings[0].getMessage()


async def test_a_client_with_a_key_never_warns_about_retries(c7: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="context7_kit")
    c7.api.failures.extend([rate_limited("1"), httpx.Response(503)])
    await c7.call("search_library", "widgets")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
