"""Load: 500 concurrent requests through one AsyncContext7Client.

The local docs server runs in another process behind a counting TCP proxy,
so the connections the client really opens are counted on the wire, the two
sides do not share one GIL, and tracemalloc sees the client alone.
"""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from context7_kit import AsyncContext7Client, DocsPage
from context7_kit.core._base import MAX_CONNECTIONS
from tests.robustness.loadserver import TOPICS, write_corpus

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 500
BATCH_BOUND = 60.0
SERVER_LIFETIME = 120


class RemoteServer:
    def __init__(self, docs: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.robustness.loadserver", str(docs), str(SERVER_LIFETIME)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin, self.stdout = self.process.stdin, self.process.stdout
        self.base_url = f"http://127.0.0.1:{int(self.stdout.readline())}/api"

    def stats(self) -> tuple[int, int]:
        """(peak connections open at once, connections opened) so far."""
        self.stdin.write("stats\n")
        self.stdin.flush()
        peak, opened = self.stdout.readline().split()
        return int(peak), int(opened)

    def stop(self) -> None:
        self.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RemoteServer]:
    pytest.importorskip("context7_kit.server.local")
    docs = tmp_path_factory.mktemp("load-docs")
    write_corpus(docs)
    remote = RemoteServer(docs)
    try:
        yield remote
    finally:
        remote.stop()


async def batch(client: AsyncContext7Client) -> list[object]:
    calls = [client.get_docs("/acme/load", topic=TOPICS[i % len(TOPICS)]) for i in range(REQUESTS)]
    return await asyncio.wait_for(asyncio.gather(*calls, return_exceptions=True), BATCH_BOUND)


def failures(results: list[object]) -> list[BaseException]:
    return [r for r in results if isinstance(r, BaseException)]


def traced_after_gc() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


async def test_500_concurrent_requests_succeed_on_bounded_connections_without_leaking(server: RemoteServer) -> None:
    async with AsyncContext7Client(base_url=server.base_url) as client:
        first = await batch(client)
        errors = failures(first)
        assert errors == [], f"{len(errors)} of {REQUESTS} failed, e.g. {errors[0]!r}"
        assert all(isinstance(r, DocsPage) and r.snippets for r in first)
        peak, _opened = server.stats()
        assert 1 < peak <= MAX_CONNECTIONS, peak
        del first

        tracemalloc.start()
        try:
            before = traced_after_gc()
            second = await batch(client)
            assert failures(second) == []
            del second
            growth = traced_after_gc() - before
        finally:
            tracemalloc.stop()
    # A leak of even 1 kB per request would show as 500 kB.
    assert growth < 500_000, f"memory grew by {growth} bytes over {REQUESTS} more requests"
    peak, _opened = server.stats()
    assert peak <= MAX_CONNECTIONS, peak
