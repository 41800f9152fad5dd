"""Fixed-window rate limiting per API key or client address.

Each caller (``key:<token>`` or ``ip:<address>``) may make ``requests``
requests per ``period`` seconds. Every answer carries ``RateLimit-Limit``,
``RateLimit-Remaining`` and ``RateLimit-Reset`` (Unix time the window ends);
a refused one also ``Retry-After`` (seconds), as Context7 does.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimit:
    """``requests`` per ``period`` seconds for each key or client."""

    requests: int
    period: float = 60.0

    def __post_init__(self) -> None:
        if self.requests < 1 or self.period <= 0:
            raise ValueError("A rate limit needs requests >= 1 and period > 0 seconds.")

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """``"60"`` (per minute), ``"60/30"`` (per 30 s) or ``"100/minute"`` (second, minute, hour, day)."""
        count, _, window = text.strip().partition("/")
        units = {"second": 1.0, "s": 1.0, "minute": 60.0, "min": 60.0, "m": 60.0, "hour": 3600.0, "h": 3600.0}
        units["day"] = units["d"] = 86400.0
        try:
            period = units[window.strip().lower()] if window.strip().lower() in units else float(window or 60)
            return cls(int(count), period)
        except ValueError:
            raise ValueError(f"Invalid rate limit {text!r}: use e.g. '60/minute' or '10/1'.") from None


@dataclass(frozen=True)
class Decision:
    """The outcome of one request against the limit."""

    allowed: bool
    limit: int
    remaining: int
    reset: int
    retry_after: int
    period: float

    def headers(self) -> dict[str, str]:
        """The ``RateLimit-*`` headers of this decision."""
        return {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }


class RateLimiter:
    """Counts requests per caller in fixed windows; thread-safe."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.time) -> None:
        self.limit = limit
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, caller: str) -> Decision:
        """Count one request of ``caller`` and say whether it may go through."""
        now = self._clock()
        period = self.limit.period
        start = math.floor(now / period) * period
        with self._lock:
            if len(self._windows) > 10_000:  # forget callers of past windows
                self._windows = {k: v for k, v in self._windows.items() if v[0] == start}
            window_start, count = self._windows.get(caller, (start, 0))
            if window_start != start:
                count = 0
            count += 1
            self._windows[caller] = (start, count)
        reset = start + period
        allowed = count <= self.limit.requests
        return Decision(
            allowed=allowed,
            limit=self.limit.requests,
            remaining=max(0, self.limit.requests - count),
            reset=math.ceil(reset),
            retry_after=0 if allowed else max(1, math.ceil(reset - now)),
            period=period,
        )

    async def hit_async(self, caller: str) -> Decision:
        """:meth:`hit` for the event loop (a shared store's limiter awaits its store here)."""
        return self.hit(caller)
