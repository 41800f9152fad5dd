"""The async client's I/O primitives: what its generated sync twin gets from ``_sync_io`` instead.

``async_client.py`` is written once; ``scripts/unasync.py`` derives
``client.py`` from it, turning ``_async_io`` into ``_sync_io``. These three
functions are the only behaviour the two clients do not share.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio


def sleep_function() -> Callable[[float], Awaitable[None]]:
    """How the client waits between retries."""
    import asyncio  # noqa: PLC0415  (only an async client needs it, not `import context7_kit`)

    return asyncio.sleep


def connection_slots(size: int) -> asyncio.Semaphore:
    """What a request holds while it is sent: at most ``size`` at once.

    httpcore's pool rescans every queued request whenever a connection frees up:
    with hundreds queued that starves the event loop and trips connect timeouts.
    Requests beyond the pool's size wait here instead, in order.
    """
    import asyncio  # noqa: PLC0415

    return asyncio.Semaphore(size)


def time_limit(seconds: float) -> AbstractContextManager[object]:
    """A hard limit on one attempt: cancelled (``TimeoutError``) after ``seconds``, headers and body alike."""
    from anyio import fail_after  # noqa: PLC0415  (httpx's own dependency; loaded with the first call)

    return fail_after(seconds)
