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
from collections.abc import Callable
from pathlib import Path

from tests.robustness._loopback import LoopbackServer

TOPICS = ["install", "render", "config", "widgets", "errors", None]


class CountingProxy(LoopbackServer):
    """Forward 127.0.0.1:<port> to a backend, counting connections open at once."""

    name = "counting proxy"

    def __init__(self, backend_port: int) -> None:
        super().__init__()
        self.backend_port = backend_port

    async def handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, release: Callable[[], None]
    ) -> None:
        upstream_writer = None
        try:
            up_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.backend_port)

            async def from_client() -> None:
                try:
                    await self._pipe(reader, upstream_writer)
                finally:
                    # A connection stops counting when the client closes it, not when the proxy is done with it.
                    release()

            await asyncio.gather(from_client(), self._pipe(up_reader, writer))
        finally:
            if upstream_writer is not None and not upstream_writer.transport.is_closing():
                upstream_writer.close()

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
    from context7_kit.server.local import LocalServer

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
