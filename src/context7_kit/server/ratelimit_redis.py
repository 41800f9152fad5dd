"""Rate limits shared by every replica: fixed windows counted in Redis (``--rate-limit-store redis://...``).

One Lua script (run atomically by Redis, through redis-py's ``register_script``)
counts a request and reads the window it falls in: windows follow the Redis
server's clock, so replicas with skewed clocks still share one window. Each
(limit, caller, window) is one key that expires with its window, so Redis holds at
most one small counter per active caller. Callers are stored as a SHA-256
digest: an API key never reaches Redis.

When Redis cannot be reached, each replica keeps limiting on its own (the
in-memory limiter) and tries Redis again after :data:`RETRY_AFTER` seconds,
so an outage neither lets every request through nor fails them all.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from context7_kit.server.ratelimit import Decision, RateLimit, RateLimiter
from context7_kit.server.redact import shown_url

if TYPE_CHECKING:
    import redis.asyncio

logger = logging.getLogger("context7_kit.server")

KEY_PREFIX = "c7kit:ratelimit:"
TIMEOUT = 1.0
RETRY_AFTER = 5.0
SCHEMES = ("redis", "rediss", "unix")

# KEYS[1]: the caller's key prefix; ARGV[1]: the window in milliseconds; ARGV[2]: requests to add (0: a peek).
# Returns the caller's count in this window, the window's end and Redis's now (ms).
_HIT = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local period = tonumber(ARGV[1])
local add = tonumber(ARGV[2])
local start = now_ms - (now_ms % period)
local key = KEYS[1] .. ':' .. start
local count
if add > 0 then
    count = redis.call('INCRBY', key, add)
    if count == add then
        redis.call('PEXPIRE', key, period + 1000)
    end
else
    count = tonumber(redis.call('GET', key) or '0')
end
return {count, start + period, now_ms}
"""


def _redis() -> Any:
    """The redis package (loaded only when a store is used), or a clear error without it."""
    try:
        import redis  # noqa: PLC0415  (optional extra)
        import redis.asyncio  # noqa: PLC0415
    except ImportError:  # pragma: no cover - depends on the environment
        raise ValueError("--rate-limit-store needs the redis package: pip install 'context7-kit[redis]'.") from None
    return redis


def check_store_url(url: str) -> str:
    """A rate-limit store URL as given, or :class:`ValueError` saying what is accepted."""
    if urlsplit(url).scheme not in SCHEMES:
        raise ValueError(
            f"Rate-limit store {shown_url(url)!r} is not supported: give a Redis URL "
            "such as redis://localhost:6379/0 (or rediss://, unix://)."
        )
    return url


def ping(url: str) -> None:
    """Check that the Redis at ``url`` answers; :class:`ConnectionError` saying which one does not."""
    redis = _redis()
    try:
        with redis.Redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT) as client:
            client.ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        raise ConnectionError(f"Cannot reach the rate-limit store {shown_url(url)}: {exc}") from None


class RedisRateLimiter(RateLimiter):
    """Fixed windows counted in Redis, shared by every process that uses the same URL."""

    def __init__(self, limit: RateLimit, url: str, *, name: str = "requests") -> None:
        super().__init__(limit)  # the in-memory windows: the fallback while Redis is unreachable
        self.url = check_store_url(url)
        self.name = name  # limits of different things count apart
        self._client: redis.asyncio.Redis | None = None
        self._script: redis.commands.core.AsyncScript | None = None
        self._down_until = 0.0

    def __repr__(self) -> str:
        return f"RedisRateLimiter({self.limit!r}, {shown_url(self.url)!r})"

    def _connect(self) -> redis.commands.core.AsyncScript:
        if self._script is None:
            self._client = _redis().asyncio.Redis.from_url(
                self.url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT
            )
            self._script = self._client.register_script(_HIT)
        return self._script

    async def hit_async(self, caller: str) -> Decision:
        """Count one request of ``caller`` in Redis (locally while Redis is unreachable)."""
        return await self._decide_async(caller, 1)

    async def peek_async(self, caller: str) -> Decision:
        """Whether ``caller`` is over the limit now, without counting a request."""
        return await self._decide_async(caller, 0)

    async def _decide_async(self, caller: str, add: int) -> Decision:
        redis = _redis()
        if time.monotonic() < self._down_until:
            return self._decide(caller, add)
        key = f"{KEY_PREFIX}{self.name}:{hashlib.sha256(caller.encode()).hexdigest()[:32]}"
        period_ms = max(1, round(self.limit.period * 1000))
        try:
            count, end_ms, now_ms = await self._connect()(keys=[key], args=[period_ms, add])
        except (redis.RedisError, OSError) as exc:
            logger.warning(
                "Rate-limit store %s unreachable (%s): limiting per replica for %g s",
                shown_url(self.url),
                exc,
                RETRY_AFTER,
            )
            self._down_until = time.monotonic() + RETRY_AFTER
            return self._decide(caller, add)
        return self._decision(int(count), add, int(end_ms) / 1000, int(now_ms) / 1000)

    async def aclose(self) -> None:
        """Close the connections to Redis."""
        if self._client is not None:
            await self._client.aclose()
            self._client = self._script = None


def make_limiter(limit: RateLimit, store: str | None = None, *, name: str = "requests") -> RateLimiter:
    """The limiter of ``limit``: in this process, or shared through the Redis at ``store`` (counted as ``name``)."""
    return RedisRateLimiter(limit, store, name=name) if store else RateLimiter(limit)
