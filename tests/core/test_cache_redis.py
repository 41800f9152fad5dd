"""A redis:// cache: shared between clients and processes, still partitioned by key.

The cache talks to a real Redis (started once per test session on loopback,
see tests/services.py), so everything from the URL on is the real code path.
"""

from __future__ import annotations

import pytest
import redis

from context7_kit import AsyncContext7Client, Context7Client
from tests.conftest import BASE_URL
from tests.fake_api import FakeAPI

KEY_A = "ctx7sk-redis-key-aaaaaaaa"
KEY_B = "ctx7sk-redis-key-bbbbbbbb"


def test_a_redis_cache_serves_repeats_and_keeps_keys_apart(redis_url: str) -> None:
    api = FakeAPI()
    with Context7Client(base_url=BASE_URL, api_key=KEY_A, cache=redis_url, http_client=api.sync_client()) as a:
        first = a.get_docs("/acme/widgets", topic="render")
        again = a.get_docs("/acme/widgets", topic="render")
    assert len(api.requests) == 1 and again == first
    with Context7Client(base_url=BASE_URL, api_key=KEY_B, cache=redis_url, http_client=api.sync_client()) as b:
        b.get_docs("/acme/widgets", topic="render")
    assert len(api.requests) == 2, "another key never reads the first key's entry"
    assert_no_key_in(redis_url, KEY_A, KEY_B)


def assert_no_key_in(url: str, *keys: str) -> None:
    """Nothing stored in redis, names or values, holds an API key."""
    db = redis.Redis.from_url(url)
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


async def test_a_redis_cache_is_shared_with_async_clients(redis_url: str) -> None:
    api = FakeAPI()
    with Context7Client(base_url=BASE_URL, api_key=KEY_A, cache=redis_url, http_client=api.sync_client()) as sync:
        sync.get_docs("/acme/widgets")
    async with AsyncContext7Client(
        base_url=BASE_URL, api_key=KEY_A, cache=redis_url, http_client=api.async_client()
    ) as client:
        page = await client.get_docs("/acme/widgets")
    assert len(api.requests) == 1, "the async client read what the sync client stored"
    assert len(page.snippets) == 10


def test_a_failure_is_not_cached_in_redis(redis_url: str) -> None:
    import httpx

    api = FakeAPI()
    api.failures.append(httpx.Response(202, json={"error": "library_not_finalized", "message": "processing"}))
    with Context7Client(
        base_url=BASE_URL, api_key=KEY_A, cache=redis_url, http_client=api.sync_client(), max_retries=0
    ) as client:
        with pytest.raises(Exception, match="library_not_finalized"):
            client.get_docs("/acme/widgets")
        client.get_docs("/acme/widgets")
    assert len(api.requests) == 2
