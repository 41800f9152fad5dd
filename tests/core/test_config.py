"""Configuration: argument, then environment, then default; the HTTP client's lifecycle."""

from __future__ import annotations

import re

import httpx
import pytest

from context7_kit import AsyncContext7Client, Context7Client, InvalidInputError, __version__
from tests.core.conftest import Harness
from tests.fake_api import FakeAPI

CLIENTS = pytest.mark.parametrize("client_class", [Context7Client, AsyncContext7Client], ids=["sync", "async"])


async def test_api_key_argument_wins_over_the_environment(make_c7, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTEXT7_API_KEY", "ctx7sk-from-env")
    c7: Harness = make_c7(api_key="ctx7sk-from-arg")

    await c7.call("search_library", "widgets")

    assert c7.requests[0].headers["Authorization"] == "Bearer ctx7sk-from-arg"


async def test_api_key_from_the_environment(make_c7, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTEXT7_API_KEY", "ctx7sk-from-env")
    c7: Harness = make_c7(api_key=None)

    await c7.call("search_library", "widgets")

    assert c7.requests[0].headers["Authorization"] == "Bearer ctx7sk-from-env"
    assert c7.client.authenticated


@pytest.mark.parametrize("env_key", [None, "", "   "])
async def test_without_a_key_requests_are_anonymous(
    make_c7, monkeypatch: pytest.MonkeyPatch, env_key: str | None
) -> None:
    if env_key is not None:
        monkeypatch.setenv("CONTEXT7_API_KEY", env_key)
    c7: Harness = make_c7(api_key=None)

    await c7.call("search_library", "widgets")

    assert "Authorization" not in c7.requests[0].headers
    assert not c7.client.authenticated
    assert c7.client.api_key is None


async def test_base_url_argument_wins_over_the_environment(make_c7, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTEXT7_API_URL", "https://env.example/api")
    c7: Harness = make_c7(base_url="https://arg.example/api/")

    await c7.call("search_library", "widgets")

    assert str(c7.requests[0].url) == "https://arg.example/api/v2/libs/search?libraryName=widgets&query=widgets"


async def test_base_url_from_the_environment(make_c7, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTEXT7_API_URL", "http://127.0.0.1:8080/api")
    c7: Harness = make_c7(base_url=None)

    await c7.call("search_library", "widgets")

    assert str(c7.requests[0].url).startswith("http://127.0.0.1:8080/api/v2/libs/search?")


async def test_default_base_url(make_c7) -> None:
    c7: Harness = make_c7(base_url=None)

    await c7.call("get_docs", "/acme/widgets")

    assert str(c7.requests[0].url).startswith("https://context7.com/api/v2/docs/code/acme/widgets?")


@CLIENTS
@pytest.mark.parametrize("url", ["ftp://context7.com/api", "context7.com/api", "http://", "not a url", "file:///tmp"])
def test_bad_base_url_is_a_clear_error(client_class: type, url: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        client_class(base_url=url)

    assert "base_url must be an http(s) URL" in info.value.message
    assert "https://context7.com/api" in info.value.message


@CLIENTS
def test_bad_base_url_from_the_environment_is_a_clear_error(client_class: type, monkeypatch) -> None:
    monkeypatch.setenv("CONTEXT7_API_URL", "context7.com")

    with pytest.raises(InvalidInputError, match="base_url"):
        client_class()


@CLIENTS
@pytest.mark.parametrize(
    ("setting", "value"), [("max_retries", -1), ("max_retries", True), ("max_retries", "3"), ("max_retry_wait", -1)]
)
def test_bad_retry_settings_are_clear_errors(client_class: type, setting: str, value: object) -> None:
    with pytest.raises(InvalidInputError, match=setting):
        client_class(**{setting: value})


@CLIENTS
@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("deadline", 0),
        ("deadline", -5),
        ("deadline", float("inf")),
        ("deadline", "30"),
        ("max_response_bytes", 0),
        ("max_response_bytes", 1.5),
        ("max_response_bytes", True),
    ],
)
def test_bad_limits_are_clear_errors(client_class: type, setting: str, value: object) -> None:
    with pytest.raises(InvalidInputError, match=f"{setting} must be"):
        client_class(**{setting: value})


@CLIENTS
def test_limits_default_to_two_minutes_and_20_mb(client_class: type) -> None:
    client = client_class()
    assert client.deadline == 120.0
    assert client.max_response_bytes == 20_000_000


async def test_user_agent_is_versioned(c7: Harness) -> None:
    await c7.call("search_library", "widgets")

    agent = c7.requests[0].headers["User-Agent"]
    assert re.match(r"^context7-kit/\S+ ", agent)
    assert f"context7-kit/{__version__}" in agent
    assert c7.requests[0].headers["Accept"].startswith("application/json")


@CLIENTS
async def test_default_timeout_is_5s_connect_60s_read(client_class: type) -> None:
    client = client_class()
    try:
        for timeout in (client.timeout, client._http.timeout):
            assert timeout.connect == 5.0
            assert timeout.read == 60.0
    finally:
        if isinstance(client, AsyncContext7Client):
            await client.aclose()
        else:
            client.close()


@CLIENTS
async def test_timeout_can_be_set(client_class: type) -> None:
    client = client_class(timeout=httpx.Timeout(3.0, connect=1.0))
    short = client_class(timeout=2.5)
    try:
        assert (client.timeout.connect, client.timeout.read) == (1.0, 3.0)
        assert client._http.timeout.read == 3.0
        assert (short.timeout.connect, short.timeout.read) == (2.5, 2.5)
    finally:
        for c in (client, short):
            if isinstance(c, AsyncContext7Client):
                await c.aclose()
            else:
                c.close()


def test_injected_sync_http_client_is_used_and_not_closed() -> None:
    api = FakeAPI()
    http = httpx.Client(transport=httpx.MockTransport(api))

    with Context7Client(http_client=http) as client:
        client.search_library("widgets")

    assert len(api.requests) == 1
    assert not http.is_closed
    http.close()


async def test_injected_async_http_client_is_used_and_not_closed() -> None:
    api = FakeAPI()
    http = httpx.AsyncClient(transport=httpx.MockTransport(api))

    async with AsyncContext7Client(http_client=http) as client:
        await client.search_library("widgets")

    assert len(api.requests) == 1
    assert not http.is_closed
    await http.aclose()


def test_context_manager_closes_an_owned_sync_client() -> None:
    with Context7Client() as client:
        http = client._http
        assert not http.is_closed
    assert http.is_closed


async def test_context_manager_closes_an_owned_async_client() -> None:
    async with AsyncContext7Client() as client:
        http = client._http
        assert not http.is_closed
    assert http.is_closed


def test_wrong_kind_of_http_client_is_a_clear_error() -> None:
    with pytest.raises(InvalidInputError, match="AsyncContext7Client"):
        Context7Client(http_client=httpx.AsyncClient())  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="Context7Client"):
        AsyncContext7Client(http_client=httpx.Client())  # type: ignore[arg-type]


async def test_extra_headers_are_sent_but_do_not_replace_the_key(make_c7) -> None:
    c7: Harness = make_c7(headers={"X-Team": "docs", "Authorization": "Bearer other"})

    await c7.call("search_library", "widgets")

    assert c7.requests[0].headers["X-Team"] == "docs"
    assert c7.requests[0].headers["Authorization"].startswith("Bearer ctx7sk-test")
