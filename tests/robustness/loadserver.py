"""The load test's server side, run in its own process: the local docs server
behind a TCP proxy that counts the connections clients really open.

    python -m tests.robustness.loadserver DOCS_FOLDER LIFETIME_SECONDS

prints the proxy's port, then answers each ``stats`` line on stdin with
``<peak connections open at once> <connections opened>``. It exits when stdin
closes, or after LIFETIME_SECONDS whatever happens.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from pathlib import Path
from types import TracebackType

TOPICS = ["install", "render", "config", "widgets", "errors", None]


class CountingProxy:
    """Forward 127.0.0.1:<port> to a backend, counting connections open at once."""

    def __init__(self, backend_port: int) -> None:
        self.backend_port = backend_port
        self.port = 0
        self.connections = 0
        self.active = 0
        self.peak = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="counting-proxy", daemon=True)
        self._ready = threading.Event()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def __enter__(self) -> CountingProxy:
        self._thread.start()
        if not self._ready.wait(5):
            raise RuntimeError("the proxy did not start")
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._loop.call_soon_threadsafe(self._shutdown)
        self._thread.join(5)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(asyncio.start_server(self._accept, "127.0.0.1", 0, backlog=1024))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    def _shutdown(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in self._tasks:
            task.cancel()

        async def finish() -> None:
            await asyncio.gather(*self._tasks, return_exceptions=True)
            self._loop.stop()

        self._loop.create_task(finish())

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._tasks.add(task)  # type: ignore[arg-type]
        self.connections += 1
        self.active += 1
        self.peak = max(self.peak, self.active)
        open_ = True

        def closed_by_client() -> None:
            # A connection stops counting when the client closes it, not when the proxy is done with it.
            nonlocal open_
            if open_:
                open_ = False
                self.active -= 1

        upstream_writer = None
        try:
            up_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.backend_port)

            async def from_client() -> None:
                try:
                    await self._pipe(reader, upstream_writer)
                finally:
                    closed_by_client()

            await asyncio.gather(from_client(), self._pipe(up_reader, writer))
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            closed_by_client()
            self._tasks.discard(task)  # type: ignore[arg-type]
            for w in (writer, upstream_writer):
                if w is not None and not w.transport.is_closing():
                    w.close()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            if not writer.transport.is_closing():
                writer.close()


def write_corpus(folder: Path, pages: int = 20) -> None:
    for n in range(pages):
        topic = TOPICS[n % (len(TOPICS) - 1)]
        sections = "\n\n".join(
            f"## {topic.title()} step {n}.{k}\n\nHow to {topic} widget {n}.{k}.\n\n"
            f"```python\nwidget = Widget({n}, {k})\nwidget.{topic}()\n```"
            for k in range(5)
        )
        (folder / f"page-{n:03d}.md").write_text(f"# Page {n}: {topic}\n\n{sections}\n", encoding="utf-8")


def main(docs: str, lifetime: float) -> None:
    from context7_kit.server.testing import LocalServer

    with LocalServer({"/acme/load": Path(docs)}) as server, CountingProxy(server.port) as proxy:
        print(proxy.port, flush=True)

        def answer() -> None:
            for line in sys.stdin:
                if line.strip() == "stats":
                    print(proxy.peak, proxy.connections, flush=True)

        commands = threading.Thread(target=answer, daemon=True)
        commands.start()
        commands.join(lifetime)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
