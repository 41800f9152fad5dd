"""A TCP server on 127.0.0.1 with its own event loop in a background thread.

The fault server and the load test's counting proxy share this life cycle:
start and wait until listening, count the connections open at once, cancel
every connection task on exit. Subclasses say what to do with a connection.
"""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Callable
from types import TracebackType

from typing_extensions import Self


class LoopbackServer:
    """Serve connections with :meth:`handle` on a free loopback port."""

    name = "loopback server"

    def __init__(self, *, tls: ssl.SSLContext | None = None) -> None:
        self.tls = tls
        self.port = 0
        self.connections = 0
        self.active = 0
        self.peak = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._ready = threading.Event()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, release: Callable[[], None]
    ) -> None:
        """Serve one connection; it is closed afterwards.

        ``release()`` stops counting the connection as open before it ends (it is
        idempotent, and called anyway when the connection is done).
        """
        raise NotImplementedError

    # -- control (test thread) --------------------------------------------------

    def __enter__(self) -> Self:
        self._thread.start()
        if not self._ready.wait(5):
            raise RuntimeError(f"the {self.name} did not start")
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(self._shutdown)
        self._thread.join(5)

    # -- server (its own thread) ------------------------------------------------

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._accept, "127.0.0.1", 0, backlog=1024, ssl=self.tls)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in self._tasks:
            task.cancel()

        async def finish() -> None:
            await asyncio.gather(*self._tasks, return_exceptions=True)
            self._loop.stop()

        self._loop.create_task(finish())

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)  # type: ignore[arg-type]
        self.connections += 1
        self.active += 1
        self.peak = max(self.peak, self.active)
        counted = True

        def release() -> None:
            nonlocal counted
            if counted:
                counted = False
                self.active -= 1

        try:
            await self.handle(reader, writer, release)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            release()
            self._tasks.discard(task)  # type: ignore[arg-type]
            if not writer.transport.is_closing():
                writer.close()
