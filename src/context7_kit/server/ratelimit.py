"""Fixed-window rate limiting per API key or client address.

Each caller (``key:<token>`` or ``ip:<address>``) may make ``requests``
requests per ``period`` seconds. Every answer carries ``RateLimit-Limit``,
``RateLimit-Remaining`` and ``RateLimit-Reset`` (Unix time the window ends);
a refused one also ``Retry-After`` (seconds), as Context7 does.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_CALLERS = 100_000  # callers remembered at once: memory stays bounded under a flood of addresses
MIN_REQUESTS = 1
MAX_REQUESTS = 1_000_000_000
MIN_PERIOD = 0.001
MAX_PERIOD = 366 * 86400.0


@dataclass(frozen=True)
class RateLimit:
    """``requests`` per ``period`` seconds for each key or client."""

    requests: int
    period: float = 60.0

    def __post_init__(self) -> None:
        if not MIN_REQUESTS <= self.requests <= MAX_REQUESTS:
            raise ValueError(f"A rate limit allows 1 to {MAX_REQUESTS:,} requests per window, not {self.requests}.")
        if not (math.isfinite(self.period) and MIN_PERIOD <= self.period <= MAX_PERIOD):
            raise ValueError(
                f"A rate limit's window is {MIN_PERIOD:g} s to {MAX_PERIOD:g} s (a year) long, not {self.period!r} s."
            )

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        """``"60"`` (per minute), ``"60/30"`` (per 30 s) or ``"100/minute"`` (second, minute, hour, day)."""
        count, _, window = text.strip().partition("/")
        units = {"second": 1.0, "s": 1.0, "minute": 60.0, "min": 60.0, "m": 60.0, "hour": 3600.0, "h": 3600.0}
        units["day"] = units["d"] = 86400.0
        example = "Use e.g. '60/minute' or '10/1' (10 per second)."
        unit = window.strip().lower()
        try:
            period = units[unit] if unit in units else float(unit or 60)
        except ValueError:
            raise ValueError(
                f"Invalid rate limit {text!r}: {window.strip()!r} is not a number of seconds or a unit "
                f"(second, minute, hour, day). {example}"
            ) from None
        try:
            requests = int(count)
        except ValueError:
            raise ValueError(
                f"Invalid rate limit {text!r}: {count.strip()!r} is not a whole number. {example}"
            ) from None
        try:
            return cls(requests, period)
        except ValueError as exc:
            raise ValueError(f"Invalid rate limit {text!r}: {exc} {example}") from None


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
        return self._decide(caller, 1)

    def peek(self, caller: str) -> Decision:
        """Whether ``caller`` is over the limit now, without counting a request."""
        return self._decide(caller, 0)

    def _decide(self, caller: str, add: int) -> Decision:
        now = self._clock()
        period = self.limit.period
        start = math.floor(now / period) * period
        with self._lock:
            if len(self._windows) > MAX_CALLERS:  # forget callers of past windows, then the oldest
                self._windows = {k: v for k, v in self._windows.items() if v[0] == start}
                for key in list(itertools.islice(self._windows, max(0, len(self._windows) - MAX_CALLERS // 2))):
                    del self._windows[key]
            window_start, count = self._windows.get(caller, (start, 0))
            if window_start != start:
                count = 0
            count += add
            if add:
                self._windows[caller] = (start, count)
        return self._decision(count, add, start + period, now)

    def _decision(self, count: int, add: int, reset: float, now: float) -> Decision:
        """The decision for ``count`` requests in a window that ends at ``reset`` (``add`` 0: a peek)."""
        allowed = count <= self.limit.requests if add else count < self.limit.requests
        return Decision(
            allowed=allowed,
            limit=self.limit.requests,
            remaining=max(0, self.limit.requests - count),
            reset=math.ceil(reset),
            retry_after=0 if allowed else max(1, math.ceil(reset - now)),
            period=self.limit.period,
        )

    async def hit_async(self, caller: str) -> Decision:
        """:meth:`hit` for the event loop (a shared store's limiter awaits its store here)."""
        return self.hit(caller)

    async def peek_async(self, caller: str) -> Decision:
        """:meth:`peek` for the event loop."""
        return self.peek(caller)
