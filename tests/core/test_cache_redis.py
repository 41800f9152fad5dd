"""A redis:// cache: shared between clients and processes, still partitioned by key.

The redis client the cache makes from the URL is swapped for fakeredis, an
in-process redis, so everything from the URL on is the real code path.
"""

from __future__ import annotations

from collections.abc import Iterator

import fakeredis
import pytest
import redis
import redis.asyncio

from context7_kit import AsyncContext7Client, Context7Client
from tests.conftest import BASE_URL
from tests.fake_api import FakeAPI

URL = "redis://cache.internal:6379/0"
KEY_A = "ctx7sk-redis-key-aaaaaaaa"
KEY_B = "ctx7sk-redis-key-bbbbbbbb"


@pytest.fixture
def redis_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[fakeredis.FakeServer]:
    server = fakeredis.FakeServer()
    urls: list[str] = []

    def sync_from_url(url: str, **_: object) -> fakeredis.FakeRedis:
        urls.append(url)
        return fakeredis.FakeRedis(server=server)

    def async_from_url(url: str, **_: object) -> fakeredis.FakeAsyncRedis:
        urls.append(url)
        return fakeredis.FakeAsyncRedis(server=server)

    monkeypatch.setattr(redis.Redis, "from_url", sync_from_url)
    monkeypatch.setattr(redis.asyncio.Redis, "from_url", async_from_url)
    yield server
    assert urls and all(u == URL for u in urls), "the cache connects to the URL it was given"


def test_a_redis_cache_serves_repeats_and_keeps_keys_apart(redis_server: fakeredis.FakeServer) -> None:
    api = FakeAPI()
    with Context7Client(base_url=BASE_URL, api_key=KEY_A, cache=URL, http_client=api.sync_client()) as a:
        first = a.get_docs("/acme/widgets", topic="render")
        again = a.get_docs("/acme/widgets", topic="render")
    assert len(api.requests) == 1 and again == first
    with Context7Client(base_url=BASE_URL, api_key=KEY_B, cache=URL, http_client=api.sync_client()) as b:
        b.get_docs("/acme/widgets", topic="render")
    assert len(api.requests) == 2, "another key never reads the first key's entry"
    assert_no_key_in(redis_server, KEY_A, KEY_B)


def assert_no_key_in(server: fakeredis.FakeServer, *keys: str) -> None:
    """Nothing stored in redis, names or values, holds an API key."""
    db = fakeredis.FakeRedis(server=server)
    names = db.keys("*")
    assert names, "something was cached"
    dump = b" ".join(names)
    for name in names:
        kind = db.type(name)
        if kind == b"string":
            dump += db.get(name) or b""
        elif kind == b"hash":
            dump += b" ".join(k + v for k, v in db.hgetall(name).items())
        elif kind in (b"set", b"zset", b"list"):
            dump += repr(db.dump(name)).encode()
    for key in keys:
        assert key.encode() not in dump and b"Bearer" not in dump


async def test_a_redis_cache_is_shared_with_async_clients(redis_server: fakeredis.FakeServer) -> None:
    api = FakeAPI()
    with Context7Client(base_url=BASE_URL, api_key=KEY_A, cache=URL, http_client=api.sync_client()) as sync:
        sync.get_docs("/acme/widgets")
    async with AsyncContext7Client(
        base_url=BASE_URL, api_key=KEY_A, cache=URL, http_client=api.async_client()
    ) as client:
        page = await client.get_docs("/acme/widgets")
    assert len(api.requests) == 1, "the async client read what the sync client stored"
    assert len(page.snippets) == 10


def test_a_failure_is_not_cached_in_redis(redis_server: fakeredis.FakeServer) -> None:
    import httpx

    api = FakeAPI()
    api.failures.append(httpx.Response(202, json={"error": "library_not_finalized", "message": "processing"}))
    with Context7Client(
        base_url=BASE_URL, api_key=KEY_A, cache=URL, http_client=api.sync_client(), max_retries=0
    ) as client:
        with pytest.raises(Exception, match="library_not_finalized"):
            client.get_docs("/acme/widgets")
        client.get_docs("/acme/widgets")
    assert len(api.requests) == 2
