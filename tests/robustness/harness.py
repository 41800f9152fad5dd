"""Drive the sync or the async client the same way, with every call time-bound.

A sync call runs in a worker thread and an async call on an event loop in a
worker thread; either way the test thread waits at most ``bound`` seconds, so
a client that hangs fails the test instead of hanging the suite. Retry waits
are recorded instead of slept.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from context7_kit import AsyncContext7Client, Context7Client

CALL_BOUND = 10.0


class Harness:
    def __init__(self, mode: str, **client_kwargs: Any) -> None:
        self.mode = mode
        self.waits: list[float] = []
        self.last_elapsed = 0.0
        if mode == "sync":
            self._pool = ThreadPoolExecutor(1)
            self.client: Any = Context7Client(**client_kwargs)
            self.client._sleep = self.waits.append
            return
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="harness-loop", daemon=True)
        self._thread.start()

        async def make() -> AsyncContext7Client:
            client = AsyncContext7Client(**client_kwargs)

            async def record(seconds: float) -> None:
                self.waits.append(seconds)

            client._sleep = record
            return client

        self.client = self._on_loop(make(), CALL_BOUND)

    def _on_loop(self, coro: Any, bound: float) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=bound)

    def call(self, method: str, *args: Any, bound: float = CALL_BOUND, **kwargs: Any) -> Any:
        """Call a client method; raises what it raises, or TimeoutError after ``bound`` s."""
        start = time.monotonic()
        try:
            fn = getattr(self.client, method)
            if self.mode == "sync":
                return self._pool.submit(fn, *args, **kwargs).result(timeout=bound)
            return self._on_loop(fn(*args, **kwargs), bound)
        finally:
            self.last_elapsed = time.monotonic() - start

    def docs(self, library_id: str = "/acme/widgets", **kwargs: Any) -> Any:
        return self.call("get_docs", library_id, **kwargs)

    def iterate(self, seen: list[Any], library_id: str = "/acme/widgets", **kwargs: Any) -> None:
        """Read ``iter_docs`` to the end, appending each snippet to ``seen`` as it comes."""
        if self.mode == "sync":

            def read() -> None:
                for item in self.client.iter_docs(library_id, **kwargs):
                    seen.append(item)

            self._pool.submit(read).result(timeout=CALL_BOUND)
            return

        async def aread() -> None:
            async for item in self.client.iter_docs(library_id, **kwargs):
                seen.append(item)

        self._on_loop(aread(), CALL_BOUND)

    def close(self) -> None:
        if self.mode == "sync":
            self.client.close()
            self._pool.shutdown(wait=False, cancel_futures=True)
            return
        try:
            self._on_loop(self.client.aclose(), CALL_BOUND)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
            if not self._loop.is_running():
                self._loop.close()

    def __enter__(self) -> Harness:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
