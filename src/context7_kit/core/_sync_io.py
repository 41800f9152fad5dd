"""The sync client's I/O primitives: what ``_async_io`` gives the async client (see that module).

A blocking call cannot be cancelled from outside, so the sync client has no
hard limit per attempt: it shortens each read's timeout to the time left and
checks the deadline between reads of the body (see ``_base.Deadline``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext


def sleep_function() -> Callable[[float], None]:
    """How the client waits between retries."""
    return time.sleep


def connection_slots(size: int) -> AbstractContextManager[object]:
    """Nothing to hold: httpx's pool makes a blocking request wait for one of ``size`` connections itself."""
    del size
    return nullcontext()


def time_limit(seconds: float) -> AbstractContextManager[object]:
    """No hard limit in a blocking call (see the module docstring)."""
    del seconds
    return nullcontext()
