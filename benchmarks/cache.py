"""Benchmark 3: the response cache, hit vs miss, in memory and in SQLite.

For each backend and client kind, N distinct topics are fetched twice in a
row: the first call is a miss (the loopback server answers), the second a hit
(the server's request counter proves it was not asked). Then a SQLite cache is
checked across a process restart: one process fetches, a new process asks for
the same docs, and the server must not see that second request.

    .venv/bin/python benchmarks/cache.py [--topics 300] [--restarts 5]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import LIBRARY, ROOT, WireServer, machine, median, ms

from context7_kit import AsyncContext7Client, Context7Client

CHILD = """
import sys, time
from context7_kit import Context7Client
with Context7Client(base_url=sys.argv[1], cache=sys.argv[2]) as client:
    t0 = time.perf_counter()
    page = client.get_docs("/acme/widgets", topic=sys.argv[3])
    print(time.perf_counter() - t0, len(page.snippets))
"""


def sync_pairs(server: WireServer, cache: str, topics: int) -> tuple[list[float], list[float]]:
    misses: list[float] = []
    hits: list[float] = []
    with Context7Client(base_url=server.base_url, cache=cache) as client:
        client.get_docs(LIBRARY, topic="warm-up")
        before = server.requests_served()
        for i in range(topics):
            t0 = time.perf_counter()
            first = client.get_docs(LIBRARY, topic=f"sync-{cache[-6:]}-{i}")
            t1 = time.perf_counter()
            second = client.get_docs(LIBRARY, topic=f"sync-{cache[-6:]}-{i}")
            t2 = time.perf_counter()
            assert first == second
            misses.append(t1 - t0)
            hits.append(t2 - t1)
        assert server.requests_served() - before == topics, "a hit reached the server"
    return misses, hits


async def async_pairs(server: WireServer, cache: str, topics: int) -> tuple[list[float], list[float]]:
    misses: list[float] = []
    hits: list[float] = []
    async with AsyncContext7Client(base_url=server.base_url, cache=cache) as client:
        await client.get_docs(LIBRARY, topic="warm-up")
        before = server.requests_served()
        for i in range(topics):
            t0 = time.perf_counter()
            first = await client.get_docs(LIBRARY, topic=f"async-{cache[-6:]}-{i}")
            t1 = time.perf_counter()
            second = await client.get_docs(LIBRARY, topic=f"async-{cache[-6:]}-{i}")
            t2 = time.perf_counter()
            assert first == second
            misses.append(t1 - t0)
            hits.append(t2 - t1)
        assert server.requests_served() - before == topics, "a hit reached the server"
    return misses, hits


def child(server: WireServer, path: str, topic: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, server.base_url, path, topic],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split()
    assert int(out[1]) > 0
    return float(out[0])


def across_restart(server: WireServer, path: str, restarts: int) -> tuple[list[float], list[float]]:
    misses: list[float] = []
    hits: list[float] = []
    for i in range(restarts):
        before = server.requests_served()
        misses.append(child(server, path, f"restart-{i}"))
        hits.append(child(server, path, f"restart-{i}"))
        assert server.requests_served() - before == 1, "the new process did not find the cached response"
    return misses, hits


def report(label: str, misses: list[float], hits: list[float]) -> dict[str, float]:
    miss, hit = median(misses), median(hits)
    print(f"{label:28} miss {ms(miss):>10}  hit {ms(hit):>10}  hit/miss {hit / miss:.2f}  (n={len(hits)})", flush=True)
    return {"miss_ms": miss * 1000, "hit_ms": hit * 1000, "hit_over_miss": hit / miss}


def main() -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--topics", type=int, default=300)
    parser.add_argument("--restarts", type=int, default=5)
    args = parser.parse_args()
    print(f"# cache hit vs miss, {args.topics} topics; {machine()}", flush=True)
    results: dict[str, Any] = {}
    with WireServer() as server, tempfile.TemporaryDirectory() as tmp:
        for name, cache in (("memory", "memory"), ("sqlite", str(Path(tmp) / "sync.sqlite"))):
            results[f"sync {name}"] = report(f"sync, {name}", *sync_pairs(server, cache, args.topics))
        for name, cache in (("memory", "memory"), ("sqlite", str(Path(tmp) / "async.sqlite"))):
            pairs = asyncio.run(async_pairs(server, cache, args.topics))
            results[f"async {name}"] = report(f"async, {name}", *pairs)
        restart = across_restart(server, str(Path(tmp) / "restart.sqlite"), args.restarts)
        results["sqlite across restart"] = report("sqlite, across a restart", *restart)
    return results


if __name__ == "__main__":
    main()
