"""``--rate-limit-store redis://...``: limits shared by every replica, counted in a real Redis."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
import redis

from context7_kit.server.app import FAILED_KEY_LIMIT
from context7_kit.server.cli import ConfigError, resolve_config, serve
from context7_kit.server.local import LocalServer
from context7_kit.server.ratelimit import RateLimit
from context7_kit.server.ratelimit_redis import RedisRateLimiter
from context7_kit.server.redact import shown_url
from tests.server.conftest import WIDGETS
from tests.server.test_cli import parse
from tests.services import free_port, fresh_window

KEY_A = "ctx7sk-replica-key-aaaaaaaaaaaa"
KEY_B = "ctx7sk-replica-key-bbbbbbbbbbbb"


def search(base_url: str, key: str) -> httpx.Response:
    return httpx.get(f"{base_url}/v2/search", params={"query": "widgets"}, headers={"Authorization": f"Bearer {key}"})


def test_two_servers_on_one_redis_share_each_callers_limit(redis_url: str) -> None:
    limit = RateLimit(5, 3600)
    fresh_window(limit.period, 60)
    keys = [KEY_A, KEY_B]
    options = {"api_keys": keys, "rate_limit": limit, "rate_limit_store": redis_url}
    with (
        LocalServer({"/acme/widgets": WIDGETS}, **options) as one,
        LocalServer({"/acme/widgets": WIDGETS}, **options) as two,
    ):
        remaining = [search(url, KEY_A).headers["ratelimit-remaining"] for url in [one.base_url, two.base_url] * 2]
        assert remaining == ["4", "3", "2", "1"]  # one count across both servers
        assert search(two.base_url, KEY_A).status_code == 200
        refused = search(one.base_url, KEY_A)
        assert refused.status_code == 429
        assert refused.json()["error"] == "rate_limit_exceeded"
        assert 1 <= int(refused.headers["retry-after"]) <= 3600
        assert search(two.base_url, KEY_A).status_code == 429
        assert search(two.base_url, KEY_B).status_code == 200  # another caller has its own window

    with redis.Redis.from_url(redis_url) as client:
        stored = [k.decode() for k in client.keys("*")]
        values = [client.get(k) for k in stored]
    assert len(stored) == 2
    assert all(KEY_A not in k and KEY_B not in k for k in stored)  # callers are digests: no API key in Redis
    assert sorted(int(v or 0) for v in values) == [1, 7]


def test_failed_keys_are_counted_across_servers_too(redis_url: str) -> None:
    options = {"api_keys": [KEY_A], "rate_limit_store": redis_url}
    with (
        LocalServer({"/acme/widgets": WIDGETS}, **options) as one,
        LocalServer({"/acme/widgets": WIDGETS}, **options) as two,
    ):
        urls = [one.base_url, two.base_url] * (FAILED_KEY_LIMIT.requests // 2)
        fresh_window(FAILED_KEY_LIMIT.period, 15)
        assert [search(url, "ctx7sk-wrong-guess").status_code for url in urls] == [401] * FAILED_KEY_LIMIT.requests
        for url in (one.base_url, two.base_url):  # the address is blocked on both, even with the right key now
            blocked = search(url, KEY_A)
            assert blocked.status_code == 429
            assert "Too many failed API keys" in blocked.json()["message"]
    with redis.Redis.from_url(redis_url) as client:
        assert [k.decode().split(":")[2] for k in client.keys("*")] == ["failed-keys"]  # apart from request limits


def test_a_window_ends_for_every_server_at_once(redis_url: str) -> None:
    options = {"rate_limit": RateLimit(2, 1), "rate_limit_store": redis_url}
    with (
        LocalServer({"/acme/widgets": WIDGETS}, **options) as one,
        LocalServer({"/acme/widgets": WIDGETS}, **options) as two,
    ):
        deadline = time.monotonic() + 5
        while True:  # start at the beginning of a window, so the three requests fall in one
            first = httpx.get(f"{one.base_url}/v2/search", params={"query": "w"})
            if (
                first.headers["ratelimit-remaining"] == "1"
                and int(first.headers["ratelimit-reset"]) - time.time() > 0.5
            ):
                break
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert httpx.get(f"{two.base_url}/v2/search", params={"query": "w"}).status_code == 200
        assert httpx.get(f"{one.base_url}/v2/search", params={"query": "w"}).status_code == 429
        time.sleep(max(0.0, int(first.headers["ratelimit-reset"]) - time.time()) + 0.05)
        assert httpx.get(f"{two.base_url}/v2/search", params={"query": "w"}).status_code == 200


def test_an_unreachable_redis_still_limits_each_server_on_its_own(caplog: pytest.LogCaptureFixture) -> None:
    url = f"redis://:s3cret-password@127.0.0.1:{free_port()}/0"  # nothing listens there
    with LocalServer({"/acme/widgets": WIDGETS}, rate_limit=RateLimit(2, 3600), rate_limit_store=url) as server:
        fresh_window(3600, 60)
        codes = [httpx.get(f"{server.base_url}/v2/search", params={"query": "w"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert "limiting per replica" in caplog.text
    assert "s3cret-password" not in caplog.text
    assert "s3cret-password" not in repr(RedisRateLimiter(RateLimit(1), url))


def test_the_store_url_is_checked_before_serving(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], redis_url: str
) -> None:
    with pytest.raises(ConfigError, match=r"give a Redis URL such as redis://"):
        resolve_config(parse("serve", "--library", f"/acme/widgets={WIDGETS}", "--rate-limit-store", "memcached://x"))
    config = tmp_path / "server.toml"
    config.write_text(f'rate_limit = "9/minute"\nrate_limit_store = "{redis_url}"\n')
    settings = resolve_config(parse("serve", "--config", str(config), "--library", f"/acme/widgets={WIDGETS}"))
    assert settings.rate_limit_store == redis_url

    closed = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    args = parse("serve", "--library", f"/acme/widgets={WIDGETS}", "--rate-limit", "5", "--rate-limit-store", closed)
    assert serve(args) == 2  # refuses to start rather than serve without its shared limits
    err = capsys.readouterr().err
    assert "Cannot reach the rate-limit store redis://:***@127.0.0.1" in err
    assert "hunter2" not in err
    assert shown_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    assert (
        shown_url("postgresql://u@h/db?sslmode=require&password=pw")
        == "postgresql://u@h/db?sslmode=require&password=***"
    )
    assert shown_url("postgresql://u:pw@[::1]:5432/db") == "postgresql://u:***@[::1]:5432/db"
