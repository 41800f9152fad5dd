"""ClientPair: an object's sync and async clients, given or built, for every integration."""

from __future__ import annotations

import asyncio
import pickle
import threading

import httpx
import pytest

from context7_kit.core import (
    AsyncContext7Client,
    ClientPair,
    Context7Client,
    Context7Error,
    InvalidClientError,
    InvalidInputError,
    check_client_settings,
    check_docs_request,
)
from tests.conftest import BASE_URL, TEST_KEY
from tests.fake_api import FakeAPI

# --- what is given, what is built --------------------------------------------------


def test_given_clients_are_used_as_they_are(client: Context7Client, async_client: AsyncContext7Client) -> None:
    pair = ClientPair(client=client, async_client=async_client)

    assert pair.sync() is client
    assert asyncio.run(_current(pair)) is async_client
    assert pair.given
    assert pair.api_key == TEST_KEY
    assert pair.base_url == BASE_URL


def test_an_async_client_given_as_client_is_the_async_one(async_client: AsyncContext7Client) -> None:
    pair = ClientPair(client=async_client, twins=False)

    assert asyncio.run(_current(pair)) is async_client
    assert pair.has_async and not pair.has_sync


def test_settings_reach_the_built_clients() -> None:
    pair = ClientPair(api_key=TEST_KEY, base_url=BASE_URL, timeout=2.5, max_retries=0, headers={"X-Team": "docs"})

    built = pair.sync()
    assert built is pair.sync()
    assert (built.api_key, built.base_url, built.timeout.read, built.max_retries) == (TEST_KEY, BASE_URL, 2.5, 0)
    assert built._headers()["X-Team"] == "docs"
    assert not pair.given
    pair.close()


def test_nothing_given_means_the_environment_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTEXT7_API_KEY", "ctx7sk-from-env")
    monkeypatch.setenv("CONTEXT7_API_URL", "http://127.0.0.1:9/env")
    pair = ClientPair()

    assert pair.api_key == "ctx7sk-from-env"
    assert pair.base_url == "http://127.0.0.1:9/env"
    assert pair.sync().api_key == "ctx7sk-from-env"
    pair.close()


async def test_a_missing_twin_is_built_from_the_given_clients_settings() -> None:
    given = Context7Client(api_key=TEST_KEY, base_url=BASE_URL, timeout=7, max_retries=1, follow_redirects=False)
    pair = ClientPair(client=given)

    twin = pair.async_()
    assert isinstance(twin, AsyncContext7Client)
    assert (twin.api_key, twin.base_url, twin.timeout, twin.max_retries, twin.follow_redirects) == (
        TEST_KEY,
        BASE_URL,
        given.timeout,
        1,
        False,
    )
    await pair.aclose()
    given.close()


async def test_without_twins_the_missing_kind_is_a_clear_error(
    client: Context7Client, async_client: AsyncContext7Client
) -> None:
    sync_only = ClientPair(client=client, owner="Reader", twins=False)
    async_only = ClientPair(async_client=async_client, owner="Reader", twins=False)

    assert sync_only.has_sync and not sync_only.has_async
    with pytest.raises(Context7Error, match=r"Reader was given only a sync client.*async_client="):
        sync_only.async_()
    with pytest.raises(Context7Error, match=r"Reader was given only an async client.*client=Context7Client"):
        async_only.sync()


# --- async clients and event loops ------------------------------------------------------


async def _current(pair: ClientPair) -> AsyncContext7Client:
    return pair.async_()


def test_each_event_loop_gets_its_own_async_client() -> None:
    pair = ClientPair(api_key=TEST_KEY, base_url=BASE_URL)

    async def twice() -> tuple[AsyncContext7Client, AsyncContext7Client]:
        return pair.async_(), pair.async_()

    first_a, first_b = asyncio.run(twice())
    second, _ = asyncio.run(twice())
    assert first_a is first_b
    assert second is not first_a
    assert second.api_key == TEST_KEY


def test_threads_building_at_once_share_one_sync_client() -> None:
    pair = ClientPair(api_key=TEST_KEY, base_url=BASE_URL)
    seen: list[Context7Client] = []
    barrier = threading.Barrier(8)

    def build() -> None:
        barrier.wait()
        seen.append(pair.sync())

    threads = [threading.Thread(target=build) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(c) for c in seen}) == 1
    pair.close()


# --- closing ------------------------------------------------------------------------


async def test_close_closes_only_what_the_pair_built(fake_api: FakeAPI) -> None:
    http = fake_api.sync_client()
    async_http = fake_api.async_client()
    given = Context7Client(api_key=TEST_KEY, base_url=BASE_URL, http_client=http)
    given_async = AsyncContext7Client(api_key=TEST_KEY, base_url=BASE_URL, http_client=async_http)
    await ClientPair(client=given, async_client=given_async).aclose()
    assert not http.is_closed and not async_http.is_closed

    pair = ClientPair(api_key=TEST_KEY, base_url=BASE_URL)
    built, built_async = pair.sync(), pair.async_()
    await pair.aclose()
    assert built._http.is_closed and built_async._http.is_closed
    assert pair.sync() is not built  # a closed pair builds afresh when used again
    pair.close()
    given.close()
    await given_async.aclose()


def test_close_leaves_a_given_twin_open(fake_api: FakeAPI) -> None:
    http = fake_api.sync_client()
    pair = ClientPair(client=Context7Client(api_key=TEST_KEY, base_url=BASE_URL, http_client=http))
    pair.close()
    assert not http.is_closed


# --- bad combinations ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"client": httpx.Client()}, r"Tool: client= must be a Context7Client or AsyncContext7Client, not Client"),
        ({"async_client": "not a client"}, r"Tool: async_client= must be an AsyncContext7Client, not str"),
    ],
)
def test_a_client_of_the_wrong_kind_is_a_type_error(kwargs: dict[str, object], pattern: str) -> None:
    with pytest.raises(InvalidClientError, match=pattern) as caught:
        ClientPair(owner="Tool", **kwargs)  # type: ignore[arg-type]
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, InvalidInputError)


def test_two_async_clients_are_a_clear_error(async_client: AsyncContext7Client) -> None:
    with pytest.raises(InvalidClientError, match="async_client= was given too"):
        ClientPair(client=async_client, async_client=async_client)


@pytest.mark.parametrize("setting", [{"api_key": TEST_KEY}, {"base_url": BASE_URL}, {"timeout": 3.0}])
def test_a_client_with_settings_is_a_clear_error(client: Context7Client, setting: dict[str, object]) -> None:
    with pytest.raises(InvalidInputError, match="either client=/async_client= or api_key=/base_url="):
        ClientPair(client=client, **setting)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("setting", "pattern"),
    [
        ({"base_url": "ftp://nowhere"}, "base_url must be an http"),
        ({"max_retries": -1}, "max_retries"),
        ({"cache_ttl": 0}, "cache_ttl"),
    ],
)
def test_bad_settings_fail_when_the_pair_is_made(setting: dict[str, object], pattern: str) -> None:
    with pytest.raises(InvalidInputError, match=pattern):
        ClientPair(**setting)  # type: ignore[arg-type]


# --- the key never shows -----------------------------------------------------------------


def test_repr_never_shows_the_key(client: Context7Client) -> None:
    for pair in (ClientPair(api_key=TEST_KEY, base_url=BASE_URL), ClientPair(client=client)):
        assert TEST_KEY not in repr(pair)
        assert "api_key=set" in repr(pair)


def test_a_pickle_carries_neither_the_key_nor_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    pair = ClientPair(api_key=TEST_KEY, base_url=BASE_URL, timeout=4.0, owner="Reader", twins=False)
    pair.sync()

    data = pickle.dumps(pair)
    assert TEST_KEY.encode() not in data

    monkeypatch.setenv("CONTEXT7_API_KEY", "ctx7sk-from-env")
    copy = pickle.loads(data)
    built = copy.sync()
    assert built is not pair.sync()
    assert (built.api_key, built.base_url, built.timeout.read) == ("ctx7sk-from-env", BASE_URL, 4.0)
    copy.close()
    pair.close()


def test_a_pair_of_given_clients_pickles_to_one_built_from_the_environment(client: Context7Client) -> None:
    data = pickle.dumps(ClientPair(client=client))
    assert TEST_KEY.encode() not in data
    copy = pickle.loads(data)
    assert not copy.given
    assert copy.api_key is None


# --- checks without I/O ---------------------------------------------------------------------


def test_check_client_settings_resolves_like_a_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTEXT7_API_KEY", " ctx7sk-env ")
    settings = check_client_settings(base_url="http://127.0.0.1:9/api/", timeout=3)

    assert settings.api_key is not None and settings.api_key.get_secret_value() == "ctx7sk-env"
    assert settings.base_url == "http://127.0.0.1:9/api"
    assert settings.timeout == httpx.Timeout(3)
    assert "ctx7sk-env" not in repr(settings)


def test_check_docs_request_checks_what_get_docs_checks() -> None:
    assert str(check_docs_request("/acme/widgets", version="v1")) == "/acme/widgets/v1"
    with pytest.raises(InvalidInputError, match="library ID"):
        check_docs_request("widgets")
    with pytest.raises(InvalidInputError, match="max_pages"):
        check_docs_request("/acme/widgets", max_pages=0)
