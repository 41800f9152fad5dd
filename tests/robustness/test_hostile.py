"""A hostile server: what it sends must not exhaust memory, hold a call, leak the key or poison the cache.

Each test drives the sync and the async client against the loopback fault
server and bounds what a user would notice: the error they get, how long the
call took, how much memory it used, what stayed in the cache.
"""

from __future__ import annotations

import asyncio
import json
import logging
import pickle
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from context7_kit import APITimeoutError, Context7Error, LibraryRedirectedError, ResponseFormatError, ServerError
from tests.robustness import faultserver as fs
from tests.robustness.harness import Harness

KEY = "ctx7sk-hostile-0123456789abcdef"
MB = 1_000_000
# The default max_response_bytes is 20 MB; a bounded read stays well under this.
MEMORY_BOUND = 64 * MB


@pytest.fixture(params=[None, "memory"], ids=["uncached", "cached"])
def cache(request: pytest.FixtureRequest) -> str | None:
    """With a cache, a success is read (bounded) under it before it is stored: every bound must hold there too."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def client(mode: str, server: fs.FaultServer, cache: str | None) -> Iterator[Harness]:
    with Harness(mode, base_url=server.base_url, api_key=KEY, timeout=3.0, max_retries=0, cache=cache) as h:
        yield h


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """About 200 kB of gzip that expands to 200 MB of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip container
    block = bytes(MB)
    return b"".join(packer.compress(block) for _ in range(200)) + packer.flush()


def failure(call: Callable[[], Any], error: type[Context7Error]) -> Context7Error:
    with pytest.raises(Context7Error) as info:
        call()
    assert type(info.value) is error, f"{type(info.value).__name__}: {info.value}"
    return info.value


def peak_memory(call: Callable[[], object]) -> int:
    """The most memory Python held at once while ``call`` ran (server thread included)."""
    tracemalloc.start()
    try:
        call()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


# -- size ---------------------------------------------------------------------------


def test_a_gzip_bomb_is_refused_in_bounded_memory(client: Harness, server: fs.FaultServer, gzip_bomb: bytes) -> None:
    server.push(fs.reply(200, gzip_bomb, headers={"Content-Encoding": "gzip"}))
    errors: list[Context7Error] = []
    peak = peak_memory(lambda: errors.append(failure(client.docs, ResponseFormatError)))
    assert "max_response_bytes" in str(errors[0])
    assert peak < MEMORY_BOUND, f"{peak / MB:.0f} MB held for a response capped at 20 MB"


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
def test_a_huge_json_body_is_refused_in_bounded_memory(
    client: Harness, server: fs.FaultServer, declare_length: bool
) -> None:
    server.push(fs.endless_json(size=50 * MB, declare_length=declare_length))
    errors: list[Context7Error] = []
    peak = peak_memory(lambda: errors.append(failure(client.docs, ResponseFormatError)))
    assert "max_response_bytes" in str(errors[0])
    assert peak < MEMORY_BOUND, f"{peak / MB:.0f} MB held for a response capped at 20 MB"


def test_max_response_bytes_is_the_users_to_set(mode: str, server: fs.FaultServer, cache: str | None) -> None:
    body = fs.docs_body()
    small_cap = {"max_response_bytes": len(body) - 1, "cache": cache}
    with Harness(mode, base_url=server.base_url, max_retries=0, **small_cap) as small:
        server.push(fs.reply(200, body))
        failure(small.docs, ResponseFormatError)
    with Harness(mode, base_url=server.base_url, max_retries=0, max_response_bytes=len(body), cache=cache) as exact:
        server.push(fs.reply(200, body))
        assert len(exact.docs().snippets) == 3


# -- time ---------------------------------------------------------------------------


def test_a_dripping_body_cannot_outlast_the_deadline(mode: str, server: fs.FaultServer, cache: str | None) -> None:
    # Each byte comes well within the 2 s read timeout; the whole body would take ~55 s.
    server.push(fs.drip(delay=0.05))
    with Harness(mode, base_url=server.base_url, timeout=2.0, max_retries=0, deadline=1.0, cache=cache) as h:
        error = failure(h.docs, APITimeoutError)
        assert h.last_elapsed < 2.5
    assert "deadline" in str(error)


def test_the_deadline_covers_retries_and_their_waits(mode: str, server: fs.FaultServer) -> None:
    server.push(*[fs.error_json(503, "unavailable", "busy")] * 10)
    with Harness(mode, base_url=server.base_url, max_retries=10, deadline=2.0) as h:
        h.client._sleep = time.sleep if mode == "sync" else asyncio.sleep  # real waits, which count
        error = failure(h.docs, ServerError)
        assert h.last_elapsed < 2.5
    assert "503" in str(error), "the last error is raised rather than waiting past the deadline"
    assert 2 <= len(server.requests) < 5, "backoff of 0.5 s, 1 s, 2 s leaves time for three attempts at most"


def test_async_a_server_dripping_its_headers_cannot_outlast_the_deadline(server: fs.FaultServer) -> None:
    server.push(fs.drip_headers(delay=0.05))
    with Harness("async", base_url=server.base_url, timeout=2.0, max_retries=0, deadline=1.0) as h:
        failure(h.docs, APITimeoutError)
        assert h.last_elapsed < 2.5


# -- the key --------------------------------------------------------------------------


@pytest.mark.parametrize("target", [f"/acme/{KEY}", f"/{KEY}/widgets", f"https://context7.test/api/acme/{KEY}"])
def test_a_redirect_that_echoes_the_key_is_redacted_and_not_followed(
    client: Harness, server: fs.FaultServer, caplog: pytest.LogCaptureFixture, target: str
) -> None:
    caplog.set_level(logging.DEBUG, logger="context7_kit")
    body = {"error": "library_redirected", "message": "This library moved", "redirectUrl": target}
    server.push(fs.reply(301, json.dumps(body)))
    error = failure(client.docs, LibraryRedirectedError)
    assert len(server.requests) == 1, "a target holding the key is never requested"
    assert isinstance(error, LibraryRedirectedError)
    shown = [str(error), repr(error), repr(error.args), str(error.new_library_id), caplog.text]
    for text in shown:
        assert KEY not in text
    assert KEY.encode() not in pickle.dumps(error)
    assert "holds the API key" in str(error)


def test_a_redirect_echoing_the_key_in_location_is_redacted(client: Harness, server: fs.FaultServer) -> None:
    server.push(fs.reply(301, b"", headers={"Location": f"/api/v2/docs/code/acme/{KEY}"}))
    error = failure(client.docs, LibraryRedirectedError)
    assert len(server.requests) == 1
    assert KEY not in str(error) and KEY not in str(error.new_library_id)  # type: ignore[attr-defined]


# -- content --------------------------------------------------------------------------


def test_an_html_page_is_not_docs_text_and_is_never_cached(mode: str, server: fs.FaultServer) -> None:
    portal = "<!DOCTYPE html><html><body><h1>Sign in to continue</h1></body></html>"
    server.push(fs.reply(200, portal, content_type="text/html; charset=utf-8"))
    server.push(fs.reply(200, "### Widgets\n\nCreate one.", content_type="text/plain; charset=utf-8"))
    with Harness(mode, base_url=server.base_url, max_retries=0, cache="memory") as h:
        error = failure(lambda: h.call("get_docs_text", "/acme/widgets"), ResponseFormatError)
        assert "text/html" in str(error)
        page = h.call("get_docs_text", "/acme/widgets")
        assert page.text.startswith("### Widgets")
        again = h.call("get_docs_text", "/acme/widgets")
    assert again.text == page.text
    assert len(server.requests) == 2, "the HTML page was not cached; the docs text was"


@pytest.mark.parametrize("content_type", ["text/plain", "text/markdown; charset=utf-8", "text/x-markdown"])
def test_docs_text_accepts_plain_text_and_markdown(client: Harness, server: fs.FaultServer, content_type: str) -> None:
    server.push(fs.reply(200, "### Widgets", content_type=content_type))
    assert client.call("get_docs_text", "/acme/widgets").text == "### Widgets"


def test_an_encoding_that_was_not_asked_for_is_refused(client: Harness, server: fs.FaultServer) -> None:
    server.push(fs.reply(200, b"\x8b\x00\x80hostile", headers={"Content-Encoding": "br"}))
    error = failure(client.docs, ResponseFormatError)
    assert "'br'" in str(error)
    assert server.requests[0].headers["accept-encoding"] == "gzip, deflate"
