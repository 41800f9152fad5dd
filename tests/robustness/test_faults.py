"""Fault injection: what the sync and async clients do when the server misbehaves.

Every fault ends one of two ways: a success within the retry budget, or the
right typed error within the timeout. Nothing from httpx, json or pydantic
reaches the caller, and nothing from a failed response is cached.
"""

from __future__ import annotations

import email.utils
import gzip
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from context7_kit import (
    APIConnectionError,
    APITimeoutError,
    Context7Error,
    DocsPage,
    LibraryNotFinalizedError,
    RateLimitError,
    ResponseFormatError,
    ServerError,
)
from tests.robustness import faultserver as fs
from tests.robustness.harness import Harness

# Generous where timing is not the point, so a loaded CI machine cannot turn a
# fault test into a timeout; the stall test uses its own short timeout.
TIMEOUT = 3.0
STALL_TIMEOUT = 0.5
MAX_RETRIES = 3
HTML = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>" + "<p>nginx</p>" * 200 + "</body></html>"
)


@pytest.fixture
def harness(mode: str, server: fs.FaultServer) -> Iterator[Harness]:
    with Harness(mode, base_url=server.base_url, timeout=httpx.Timeout(TIMEOUT), max_retries=MAX_RETRIES) as h:
        yield h


def expect(h: Harness, error: type[Context7Error], **kwargs: object) -> Context7Error:
    """The call fails with exactly ``error``, one of ours, in bounded time."""
    with pytest.raises(Context7Error) as info:
        h.docs(**kwargs)
    assert type(info.value) is error, f"{type(info.value).__name__}: {info.value}"
    assert type(info.value).__module__.startswith("context7_kit."), type(info.value)
    assert str(info.value), "a typed error always says what happened"
    return info.value


def assert_page(page: object) -> None:
    assert isinstance(page, DocsPage)
    assert [s.code_title for s in page.snippets] == ["Create widget 1", "Create widget 2", "Create widget 3"]


# -- 429 ------------------------------------------------------------------------


def test_429_burst_with_retry_after_seconds_is_waited_out(harness: Harness, server: fs.FaultServer) -> None:
    limited = fs.error_json(429, "rate_limit_exceeded", "Slow down", headers={"Retry-After": "2"})
    server.push(limited, limited, limited)
    assert_page(harness.docs())
    assert harness.waits == [2.0, 2.0, 2.0]
    assert len(server.requests) == 4


def test_429_with_http_date_retry_after_waits_until_that_date(harness: Harness, server: fs.FaultServer) -> None:
    when = email.utils.formatdate(time.time() + 3, usegmt=True)
    server.push(fs.error_json(429, "rate_limit_exceeded", "Slow down", headers={"Retry-After": when}))
    assert_page(harness.docs())
    assert len(harness.waits) == 1
    assert 1.0 < harness.waits[0] <= 3.0


def test_429_without_retry_after_backs_off_exponentially(harness: Harness, server: fs.FaultServer) -> None:
    limited = fs.reply(429, "")
    server.push(limited, limited, limited)
    assert_page(harness.docs())
    assert len(harness.waits) == 3
    assert all(0 < w <= 8.0 for w in harness.waits)
    assert harness.waits[2] > harness.waits[0]  # 0.5-1.0 s, then 2.0-2.5 s


def test_429_burst_longer_than_the_budget_raises_rate_limit_error(harness: Harness, server: fs.FaultServer) -> None:
    limited = fs.error_json(
        429,
        "rate_limit_exceeded",
        "Too many requests",
        headers={"Retry-After": "1", "RateLimit-Limit": "60", "RateLimit-Remaining": "0", "RateLimit-Reset": "1700"},
    )
    server.push(*[limited] * (MAX_RETRIES + 1))
    error = expect(harness, RateLimitError)
    assert isinstance(error, RateLimitError)
    assert (error.status_code, error.error_code, error.retry_after) == (429, "rate_limit_exceeded", 1.0)
    assert (error.limit, error.remaining, error.reset) == (60, 0, 1700)
    assert len(server.requests) == MAX_RETRIES + 1
    assert harness.waits == [1.0] * MAX_RETRIES


@pytest.mark.parametrize(
    "value", ["Mon, 01 Jan 2001 00:00:00 GMT", "soon", "-5", ""], ids=["past-date", "garbage", "negative", "empty"]
)
def test_an_unusable_retry_after_still_ends_in_success(harness: Harness, server: fs.FaultServer, value: str) -> None:
    server.push(fs.error_json(429, "rate_limit_exceeded", "Slow down", headers={"Retry-After": value}))
    assert_page(harness.docs())
    assert len(harness.waits) == 1
    assert 0 <= harness.waits[0] <= 8.0


def test_retry_after_beyond_max_retry_wait_is_raised_at_once(mode: str, server: fs.FaultServer) -> None:
    server.push(fs.error_json(429, "rate_limit_exceeded", "Come back later", headers={"Retry-After": "3600"}))
    with Harness(mode, base_url=server.base_url, timeout=TIMEOUT, max_retry_wait=5) as h:
        error = expect(h, RateLimitError)
    assert isinstance(error, RateLimitError) and error.retry_after == 3600
    assert h.waits == [] and len(server.requests) == 1


@pytest.mark.parametrize(
    "header", ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"], ids=["limit", "remaining", "reset"]
)
@pytest.mark.parametrize("value", ["1e999", "inf", "-inf", "nan", "many"])
def test_absurd_rate_limit_headers_still_give_a_rate_limit_error(
    mode: str, server: fs.FaultServer, header: str, value: str
) -> None:
    server.push(fs.error_json(429, "rate_limit_exceeded", "Slow down", headers={header: value}))
    with Harness(mode, base_url=server.base_url, timeout=TIMEOUT, max_retries=0) as h:
        error = expect(h, RateLimitError)
    assert isinstance(error, RateLimitError)
    assert getattr(error, header.split("-")[1].lower()) is None


# -- 5xx ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_transient_5xx_is_retried_to_success(harness: Harness, server: fs.FaultServer, status: int) -> None:
    server.push(fs.error_json(status, "internal_error", "Oops"), fs.reply(status, HTML, content_type="text/html"))
    assert_page(harness.docs())
    assert len(server.requests) == 3
    assert len(harness.waits) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_persistent_5xx_raises_server_error_after_the_budget(
    harness: Harness, server: fs.FaultServer, status: int
) -> None:
    server.push(*[fs.reply(status, HTML, content_type="text/html")] * (MAX_RETRIES + 1))
    error = expect(harness, ServerError)
    assert isinstance(error, ServerError) and error.status_code == status
    assert len(server.requests) == MAX_RETRIES + 1
    assert len(str(error)) < 400, "an HTML error page is excerpted, not pasted whole"


def test_501_is_not_retried(harness: Harness, server: fs.FaultServer) -> None:
    server.push(fs.reply(501, ""))
    error = expect(harness, ServerError)
    assert isinstance(error, ServerError) and error.status_code == 501
    assert len(server.requests) == 1


def test_5xx_with_a_hostile_error_body_still_gives_server_error(harness: Harness, server: fs.FaultServer) -> None:
    nested = "[" * 100_000 + "]" * 100_000
    server.push(*[fs.reply(500, nested)] * (MAX_RETRIES + 1))
    expect(harness, ServerError)


# -- transport ------------------------------------------------------------------


@pytest.mark.parametrize("fault", [fs.reset, fs.hang_up, fs.garbage, fs.truncated], ids=lambda f: f.__name__)
def test_one_broken_connection_is_retried_to_success(
    harness: Harness, server: fs.FaultServer, fault: Callable[[], fs.Handler]
) -> None:
    server.push(fault())
    assert_page(harness.docs())
    assert len(server.requests) == 2
    assert server.connections == 2


@pytest.mark.parametrize("fault", [fs.reset, fs.hang_up, fs.garbage, fs.truncated], ids=lambda f: f.__name__)
def test_broken_connections_raise_connection_error(
    harness: Harness, server: fs.FaultServer, fault: Callable[[], fs.Handler]
) -> None:
    server.push(*[fault() for _ in range(MAX_RETRIES + 1)])
    error = expect(harness, APIConnectionError)
    assert isinstance(error.__cause__, httpx.HTTPError)
    assert server.base_url.removesuffix("/api") in str(error)
    assert len(server.requests) == MAX_RETRIES + 1


@pytest.mark.parametrize("fault", [fs.stall, fs.stall_body], ids=["slow-headers", "stalled-body"])
def test_a_stalled_server_raises_timeout_within_the_timeout(
    mode: str, server: fs.FaultServer, fault: Callable[[], fs.Handler]
) -> None:
    server.push(fault(), fault())
    with Harness(mode, base_url=server.base_url, timeout=httpx.Timeout(STALL_TIMEOUT), max_retries=1) as h:
        error = expect(h, APITimeoutError)
    assert isinstance(error.__cause__, httpx.TimeoutException)
    # Two attempts of one read timeout each, and no more.
    assert 2 * STALL_TIMEOUT <= h.last_elapsed < 2 * STALL_TIMEOUT + 1.5
    assert len(server.requests) == 2


def test_a_stall_shorter_than_the_timeout_is_just_slow(harness: Harness, server: fs.FaultServer) -> None:
    server.push(fs.stall(STALL_TIMEOUT / 3))
    # The stalled connection closes without an answer: that one is retried.
    assert_page(harness.docs())


def test_a_slow_body_within_the_read_timeout_succeeds(harness: Harness, server: fs.FaultServer) -> None:
    server.push(fs.slow_body(chunks=5, delay=STALL_TIMEOUT / 5))
    assert_page(harness.docs())
    assert len(server.requests) == 1 and harness.waits == []


def test_an_undecodable_gzip_body_is_a_format_error_not_a_connection_error(
    harness: Harness, server: fs.FaultServer
) -> None:
    server.push(fs.reply(200, b"\x1f\x8b this is not gzip", headers={"Content-Encoding": "gzip"}))
    error = expect(harness, ResponseFormatError)
    assert "decoded" in str(error)
    assert len(server.requests) == 1, "the server answered: its broken body is not retried"


def test_a_gzip_body_is_decoded(harness: Harness, server: fs.FaultServer) -> None:
    server.push(fs.reply(200, gzip.compress(fs.docs_body()), headers={"Content-Encoding": "gzip"}))
    assert_page(harness.docs())


# -- bodies that are not what a 200 promises --------------------------------------


BAD_200_BODIES = {
    "invalid-json": b'{"snippets": [',
    "html": HTML.encode(),
    "empty": b"",
    "wrong-shape": json.dumps({"snippets": "none", "pagination": []}).encode(),
    "json-null": b"null",
    "deep-nesting": b"[" * 100_000 + b"]" * 100_000,
    "not-utf8": b'{"snippets": [], "x": "\xff\xfe"}',
    "huge-int": b'{"totalTokens": ' + b"9" * 5000 + b"}",
}


@pytest.mark.parametrize("body", list(BAD_200_BODIES.values()), ids=list(BAD_200_BODIES))
def test_a_200_with_a_bad_body_is_a_response_format_error_not_retried(
    harness: Harness, server: fs.FaultServer, body: bytes
) -> None:
    server.push(fs.reply(200, body))
    error = expect(harness, ResponseFormatError)
    assert error.__cause__ is None or isinstance(error.__cause__, Context7Error)
    assert len(server.requests) == 1, "a malformed answer is not retried"
    assert len(str(error)) < 400


@pytest.mark.parametrize("status", [400, 404, 503])
def test_error_statuses_with_empty_or_html_bodies_are_typed(mode: str, server: fs.FaultServer, status: int) -> None:
    server.push(fs.reply(status, ""), fs.reply(status, HTML, content_type="text/html"))
    with Harness(mode, base_url=server.base_url, timeout=TIMEOUT, max_retries=0) as h:
        for _ in range(2):
            with pytest.raises(Context7Error) as info:
                h.docs()
            assert getattr(info.value, "status_code", None) == status
            assert f"{status}" in str(info.value)


# -- nothing is cached from a failure -------------------------------------------


@pytest.fixture(params=["memory", "sqlite"])
def cache_setting(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return "memory" if request.param == "memory" else str(tmp_path / "c7-cache.sqlite")


FAILURES = {
    "bad-json-200": (lambda: fs.reply(200, b"{not json"), ResponseFormatError),
    "truncated-200": (fs.truncated, APIConnectionError),
    "html-200": (lambda: fs.reply(200, HTML, content_type="text/html"), ResponseFormatError),
    "503": (lambda: fs.error_json(503, "search_failed", "down"), ServerError),
    "not-finalized-202": (
        lambda: fs.error_json(202, "library_not_finalized", "Still processing"),
        LibraryNotFinalizedError,
    ),
}


@pytest.mark.parametrize("failure", list(FAILURES), ids=list(FAILURES))
def test_a_failed_response_is_never_served_from_cache(
    mode: str, server: fs.FaultServer, cache_setting: str, failure: str
) -> None:
    make_fault, error = FAILURES[failure]
    server.push(make_fault())
    with Harness(mode, base_url=server.base_url, timeout=TIMEOUT, max_retries=0, cache=cache_setting) as h:
        expect(h, error)
        # The server is healthy again: the next call must reach it, not a cached failure.
        assert_page(h.docs())
        assert len(server.requests) == 2
        # ...and that success is cached: the cache is working, it just kept no failure.
        assert_page(h.docs())
        assert len(server.requests) == 2


def test_a_failure_is_not_persisted_in_a_sqlite_cache(mode: str, server: fs.FaultServer, tmp_path: Path) -> None:
    path = str(tmp_path / "c7-cache.sqlite")
    server.push(fs.reply(200, b"<html>maintenance</html>", content_type="text/html"))
    with Harness(mode, base_url=server.base_url, timeout=TIMEOUT, max_retries=0, cache=path) as h:
        expect(h, ResponseFormatError)
    with Harness(mode, base_url=server.base_url, timeout=TIMEOUT, max_retries=0, cache=path) as h:
        assert_page(h.docs())
    assert len(server.requests) == 2
    with Harness(mode, base_url=server.base_url, timeout=TIMEOUT, max_retries=0, cache=path) as h:
        assert_page(h.docs())
    assert len(server.requests) == 2, "the success, unlike the failure, outlives the client"


def test_memory_cache_writes_nothing_to_disk_and_is_private_to_its_client(
    mode: str, server: fs.FaultServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with Harness(mode, base_url=server.base_url, timeout=TIMEOUT, cache="memory") as h:
        assert_page(h.docs())
        assert_page(h.docs())
    assert len(server.requests) == 1
    with Harness(mode, base_url=server.base_url, timeout=TIMEOUT, cache="memory") as h:
        assert_page(h.docs())
    assert len(server.requests) == 2, "a new client's in-memory cache starts empty"
    assert list(tmp_path.iterdir()) == [], "cache='memory' must not create files"


# -- a failure in the middle of iter_docs ----------------------------------------


def docs_page(page: int, total_pages: int) -> fs.Handler:
    body = json.loads(fs.docs_body())
    body["pagination"] = {
        "page": page,
        "limit": 3,
        "totalPages": total_pages,
        "hasNext": page < total_pages,
        "hasPrev": page > 1,
    }
    return fs.reply(200, json.dumps(body))


def test_iter_docs_yields_what_it_got_then_raises_the_typed_error(harness: Harness, server: fs.FaultServer) -> None:
    server.push(docs_page(1, 3), *[fs.error_json(503, "search_failed", "down")] * (MAX_RETRIES + 1))
    seen: list[object] = []
    with pytest.raises(ServerError):
        harness.iterate(seen, limit=3)
    assert len(seen) == 3, "the first page's snippets reached the caller before the failure"
    assert len(server.requests) == 1 + MAX_RETRIES + 1


def test_iter_docs_rides_out_a_transient_fault_between_pages(harness: Harness, server: fs.FaultServer) -> None:
    server.push(docs_page(1, 2), fs.reset(), fs.reply(429, "", headers={"Retry-After": "1"}), docs_page(2, 2))
    seen: list[object] = []
    harness.iterate(seen, limit=3)
    assert [getattr(s, "page", None) for s in seen] == [1, 1, 1, 2, 2, 2]
    assert [getattr(s, "rank", None) for s in seen] == [1, 2, 3, 4, 5, 6]
