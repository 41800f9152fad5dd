"""Response caching: hits, expiry, per-key partitions, and what is never cached."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

import anysqlite
import hishel
import httpx
import pytest

from context7_kit import (
    AsyncContext7Client,
    Context7Client,
    InvalidInputError,
    LibraryNotFinalizedError,
    ResponseFormatError,
    ServerError,
)
from tests.conftest import BASE_URL
from tests.core.conftest import Harness, error_response
from tests.fake_api import FakeAPI

SECRET_FOR_FILES = "ctx7sk-file-secret-0123456789"


@pytest.fixture(autouse=True)
def _no_stray_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever a storage writes to the working directory lands in tmp_path.
    monkeypatch.chdir(tmp_path)


def new_storage(is_async: bool) -> Any:
    """A storage object to share between clients, of the kind the client needs."""
    if is_async:
        connection = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        return hishel.AsyncSqliteStorage(connection=anysqlite.Connection(connection))
    return hishel.SqliteStorage(connection=sqlite3.connect(":memory:", check_same_thread=False))


async def test_second_identical_call_is_served_from_the_cache(make_c7) -> None:
    c7: Harness = make_c7(cache="memory")

    first = await c7.call("get_docs", "/acme/widgets", topic="render")
    second = await c7.call("get_docs", "/acme/widgets", topic="render")

    assert len(c7.requests) == 1
    assert second == first


async def test_every_endpoint_is_cached(make_c7) -> None:
    c7: Harness = make_c7(cache="memory")
    calls: list[tuple[str, tuple[Any, ...]]] = [
        ("search_library", ("widgets",)),
        ("get_docs_text", ("/acme/widgets",)),
        ("get_context", ("/acme/widgets", "how")),
    ]
    for method, args in calls:
        first = await c7.call(method, *args)
        assert await c7.call(method, *args) == first

    assert len(c7.requests) == 3


async def test_different_requests_are_different_entries(make_c7) -> None:
    c7: Harness = make_c7(cache="memory")

    await c7.call("get_docs", "/acme/widgets", topic="render")
    await c7.call("get_docs", "/acme/widgets", topic="style")
    await c7.call("get_docs", "/acme/widgets", topic="render", page=2)
    await c7.call("get_docs", "/acme/widgets", topic="render", mode="info")
    await c7.call("get_docs_text", "/acme/widgets", topic="render")

    assert len(c7.requests) == 5


async def test_entries_expire_after_cache_ttl(make_c7, monkeypatch: pytest.MonkeyPatch) -> None:
    c7: Harness = make_c7(cache="memory", cache_ttl=60)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)

    await c7.call("get_docs", "/acme/widgets")
    now += 59
    await c7.call("get_docs", "/acme/widgets")
    assert len(c7.requests) == 1

    now += 2
    await c7.call("get_docs", "/acme/widgets")
    assert len(c7.requests) == 2


async def test_default_ttl_is_six_hours(make_c7, monkeypatch: pytest.MonkeyPatch) -> None:
    c7: Harness = make_c7(cache="memory")
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)

    await c7.call("search_library", "widgets")
    now += 6 * 3600 - 10
    await c7.call("search_library", "widgets")
    assert len(c7.requests) == 1
    now += 20
    await c7.call("search_library", "widgets")
    assert len(c7.requests) == 2


async def test_keys_and_anonymous_never_share_entries(make_c7, is_async: bool) -> None:
    api = FakeAPI()
    storage = new_storage(is_async)
    alice = make_c7(api, cache=storage, api_key="ctx7sk-alice")
    bob = make_c7(api, cache=storage, api_key="ctx7sk-bob")
    anonymous = make_c7(api, cache=storage, api_key="")

    for c7 in (alice, bob, anonymous):
        await c7.call("get_docs", "/acme/widgets", topic="private")
    assert len(api.requests) == 3
    assert [r.headers.get("authorization") for r in api.requests] == [
        "Bearer ctx7sk-alice",
        "Bearer ctx7sk-bob",
        None,
    ]

    for c7 in (alice, bob, anonymous):
        await c7.call("get_docs", "/acme/widgets", topic="private")
    assert len(api.requests) == 3, "each reads its own entry back"

    # The same key in another client shares that key's entries.
    alice_again = make_c7(api, cache=storage, api_key="ctx7sk-alice")
    await alice_again.call("get_docs", "/acme/widgets", topic="private")
    assert len(api.requests) == 3


async def test_two_memory_caches_are_separate(make_c7) -> None:
    api = FakeAPI()
    first = make_c7(api, cache="memory")
    second = make_c7(api, cache="memory")

    await first.call("search_library", "widgets")
    await second.call("search_library", "widgets")

    assert len(api.requests) == 2


FAILURES = {
    "202-not-finalized": (
        lambda: error_response(202, "library_not_finalized", "Still processing"),
        LibraryNotFinalizedError,
    ),
    "500": (lambda: httpx.Response(500, text="oops"), ServerError),
    "200-html": (lambda: httpx.Response(200, text="<html>maintenance</html>"), ResponseFormatError),
    "200-wrong-shape": (lambda: httpx.Response(200, json={"snippets": 3}), ResponseFormatError),
}


@pytest.mark.parametrize(("failure", "error_class"), FAILURES.values(), ids=FAILURES.keys())
async def test_failures_are_never_cached(make_c7, failure, error_class: type[Exception]) -> None:
    c7: Harness = make_c7(cache="memory", max_retries=0)
    c7.api.failures.append(failure())

    with pytest.raises(error_class):
        await c7.call("get_docs", "/acme/widgets")
    page = await c7.call("get_docs", "/acme/widgets")
    again = await c7.call("get_docs", "/acme/widgets")

    assert len(page.snippets) == 10
    assert again == page
    assert len(c7.requests) == 2


async def test_sqlite_file_cache_survives_the_client(make_c7, tmp_path: Path) -> None:
    path = tmp_path / "cache" / "context7.sqlite"
    path.parent.mkdir()
    api = FakeAPI()
    first = make_c7(api, cache=str(path))
    await first.call("get_docs", "/acme/widgets")
    await first.close()

    second = make_c7(api, cache=path)
    page = await second.call("get_docs", "/acme/widgets")

    assert path.exists()
    assert len(page.snippets) == 10
    assert len(api.requests) == 1


async def test_closing_one_client_leaves_a_shared_storage_usable(make_c7, is_async: bool) -> None:
    api = FakeAPI()
    storage = new_storage(is_async)
    first = make_c7(api, cache=storage)
    second = make_c7(api, cache=storage)
    await first.call("search_library", "widgets")

    await first.close()
    await second.call("search_library", "widgets")
    await second.call("search_library", "gadgets")
    await second.call("search_library", "gadgets")

    assert len(api.requests) == 2


def test_sync_client_rejects_an_async_storage() -> None:
    storage = hishel.AsyncSqliteStorage(connection=anysqlite.Connection(sqlite3.connect(":memory:")))

    with pytest.raises(InvalidInputError, match="async hishel storage was given to the sync client"):
        Context7Client(cache=storage)


async def test_async_client_rejects_a_sync_storage() -> None:
    storage = hishel.SqliteStorage(connection=sqlite3.connect(":memory:", check_same_thread=False))

    with pytest.raises(InvalidInputError, match="sync hishel storage was given to the async client"):
        AsyncContext7Client(cache=storage)


@pytest.mark.parametrize("cache", ["", 42, True, object(), ["memory"]])
@pytest.mark.parametrize("client_class", [Context7Client, AsyncContext7Client])
def test_bad_cache_setting_is_a_clear_error(client_class: type, cache: object) -> None:
    with pytest.raises(InvalidInputError) as info:
        client_class(cache=cache)

    assert "'memory'" in info.value.message
    assert "SQLite" in info.value.message


@pytest.mark.parametrize("ttl", [0, -1])
@pytest.mark.parametrize("client_class", [Context7Client, AsyncContext7Client])
def test_bad_cache_ttl_is_a_clear_error(client_class: type, ttl: float) -> None:
    with pytest.raises(InvalidInputError, match="cache_ttl must be a positive number"):
        client_class(cache="memory", cache_ttl=ttl)


async def test_cache_is_off_by_default(c7: Harness) -> None:
    await c7.call("search_library", "widgets")
    await c7.call("search_library", "widgets")

    assert len(c7.requests) == 2


def test_a_sqlite_cache_file_never_holds_the_key(tmp_path: Path) -> None:
    api = FakeAPI()
    path = tmp_path / "cache.sqlite"
    with Context7Client(
        base_url=BASE_URL, api_key=SECRET_FOR_FILES, cache=str(path), http_client=api.sync_client()
    ) as c:
        c.get_docs("/acme/widgets")
        c.get_docs("/acme/widgets")
    assert len(api.requests) == 1, "the second call was served from the file"
    raw = path.read_bytes()
    assert SECRET_FOR_FILES.encode() not in raw and b"Bearer" not in raw


# -- a client the user passed in -----------------------------------------------------


class Counting:
    """The user's own transport: serves the fake API and counts every request that reaches it."""

    def __init__(self) -> None:
        self.api = FakeAPI()
        self.paths: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        if request.url.host == "elsewhere.test":
            return httpx.Response(200, text=f"fresh {len(self.paths)}")
        return self.api(request)


def test_a_cache_never_changes_the_users_httpx_client() -> None:
    counting = Counting()
    transport = httpx.MockTransport(counting)
    users = httpx.Client(transport=transport)
    with Context7Client(base_url=BASE_URL, http_client=users, cache="memory") as c7:
        assert users._transport is transport
        first = c7.get_docs("/acme/widgets")
        assert c7.get_docs("/acme/widgets") == first
        # The user's own requests, through their own client, are never answered from our cache.
        assert users.get("https://elsewhere.test/x").text != users.get("https://elsewhere.test/x").text
    assert counting.paths.count("/api/v2/docs/code/acme/widgets") == 1, "our calls are cached"
    assert not users.is_closed
    assert users.get("https://elsewhere.test/x").status_code == 200, "usable after our client closed"
    users.close()


async def test_a_cache_never_changes_the_users_async_httpx_client() -> None:
    counting = Counting()
    transport = httpx.MockTransport(counting)
    users = httpx.AsyncClient(transport=transport)
    async with AsyncContext7Client(base_url=BASE_URL, http_client=users, cache="memory") as c7:
        assert users._transport is transport
        first = await c7.get_docs("/acme/widgets")
        assert await c7.get_docs("/acme/widgets") == first
        one, two = await users.get("https://elsewhere.test/x"), await users.get("https://elsewhere.test/x")
        assert one.text != two.text
    assert counting.paths.count("/api/v2/docs/code/acme/widgets") == 1, "our calls are cached"
    assert not users.is_closed
    assert (await users.get("https://elsewhere.test/x")).status_code == 200, "usable after our client closed"
    await users.aclose()


def test_requests_through_a_given_client_keep_its_settings() -> None:
    """Headers and auth of the user's client still apply when the cache sits in front of it."""
    seen: list[httpx.Request] = []
    api = FakeAPI()

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return api(request)

    users = httpx.Client(transport=httpx.MockTransport(record), headers={"X-Team": "docs"})
    with Context7Client(base_url=BASE_URL, http_client=users, cache="memory") as c7:
        c7.search_library("widgets")
    assert seen[0].headers["x-team"] == "docs"
    users.close()


# -- cache_ttl on read, bypass, clear ------------------------------------------------------


async def test_a_lower_cache_ttl_stops_serving_older_entries(
    make_c7, is_async: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = FakeAPI()
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now)
    writer = make_c7(api, cache=tmp_path / "cache.db")  # the six-hour default
    await writer.call("get_docs", "/acme/widgets")
    await writer.close()

    now += 120
    reader = make_c7(api, cache=tmp_path / "cache.db", cache_ttl=60)
    await reader.call("get_docs", "/acme/widgets")
    await reader.call("get_docs", "/acme/widgets")
    assert len(api.requests) == 2, "older than the reader's cache_ttl: fetched again, then served from the cache"


async def test_bypass_cache_fetches_anew_and_replaces_the_entry(make_c7) -> None:
    c7: Harness = make_c7(cache="memory")
    await c7.call("get_docs", "/acme/widgets")
    c7.api.snippets_per_library = 5  # the docs changed upstream

    with c7.client.bypass_cache():
        fresh = await c7.call("get_docs", "/acme/widgets")
        again = await c7.call("get_docs", "/acme/widgets")
    after = await c7.call("get_docs", "/acme/widgets")

    assert len(fresh.snippets) == len(again.snippets) == len(after.snippets) == 5
    assert len(c7.requests) == 3, "two calls inside the block reached the server; the one after was cached"


async def test_clear_cache_forgets_every_answer_for_every_client_of_the_storage(make_c7, is_async: bool) -> None:
    api = FakeAPI()
    storage = new_storage(is_async)
    first = make_c7(api, cache=storage)
    second = make_c7(api, cache=storage)
    await first.call("get_docs", "/acme/widgets")
    await second.call("search_library", "widgets")

    await first.call("clear_cache")
    await first.call("get_docs", "/acme/widgets")
    await second.call("search_library", "widgets")
    await second.call("search_library", "widgets")

    assert len(api.requests) == 4, "both answers fetched again after the clear, then cached again"


async def test_clear_cache_without_a_cache_does_nothing(c7: Harness) -> None:
    await c7.call("clear_cache")
    await c7.call("search_library", "widgets")
    assert len(c7.requests) == 1
