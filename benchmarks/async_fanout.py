"""Benchmark 2: 50 docs requests at once through one AsyncContext7Client.

The loopback server adds 50 ms to every request. Measured side by side in
each round: one async request alone, 50 at once with asyncio.gather, and the
same 50 through a bare httpx.AsyncClient (the floor this client builds on);
then 50 one after another (the sync client). Target: the 50 concurrent requests take
at most 2x as long as one request.

    .venv/bin/python benchmarks/async_fanout.py [--rounds 15] [--fanout 50] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx
from _common import LIBRARY, WireServer, machine, median, ms, verdict

from context7_kit import AsyncContext7Client, Context7Client
from context7_kit.core._base import MAX_CONNECTIONS, MAX_KEEPALIVE

TARGET = 2.0
TOPICS = ["install", "render", "themes", "events", "errors"]


async def one_round(client: AsyncContext7Client, http: httpx.AsyncClient, fanout: int) -> tuple[float, ...]:
    t0 = time.perf_counter()
    await client.get_docs(LIBRARY, topic="render")
    single = time.perf_counter() - t0
    t0 = time.perf_counter()
    pages = await asyncio.gather(*(client.get_docs(LIBRARY, topic=TOPICS[i % len(TOPICS)]) for i in range(fanout)))
    wall = time.perf_counter() - t0
    assert len(pages) == fanout and all(p.snippets for p in pages)
    url = f"{client.base_url}/v2/docs/code{LIBRARY}"
    t0 = time.perf_counter()
    answers = await asyncio.gather(*(http.get(url, params={"topic": TOPICS[i % len(TOPICS)]}) for i in range(fanout)))
    bare = time.perf_counter() - t0
    assert all(a.status_code == 200 for a in answers)
    return single, wall, bare


def sequential(base_url: str, fanout: int) -> float:
    with Context7Client(base_url=base_url) as client:
        client.get_docs(LIBRARY)  # connect first, as the async client is warm too
        t0 = time.perf_counter()
        for i in range(fanout):
            client.get_docs(LIBRARY, topic=TOPICS[i % len(TOPICS)])
        return time.perf_counter() - t0


async def concurrent(base_url: str, fanout: int, rounds: int) -> tuple[list[float], list[float], list[float]]:
    singles: list[float] = []
    walls: list[float] = []
    bares: list[float] = []
    limits = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_KEEPALIVE)  # the client's
    async with AsyncContext7Client(base_url=base_url) as client, httpx.AsyncClient(limits=limits) as http:
        await one_round(client, http, fanout)  # opens the connections
        for _ in range(rounds):
            single, wall, bare = await one_round(client, http, fanout)
            singles.append(single)
            walls.append(wall)
            bares.append(bare)
    return singles, walls, bares


def main() -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--fanout", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds the server adds per request")
    args = parser.parse_args()
    print(f"# async fan-out: {args.fanout} requests, +{args.latency * 1000:.0f} ms each; {machine()}", flush=True)
    with WireServer(latency=args.latency) as server:
        singles, walls, bares = asyncio.run(concurrent(server.base_url, args.fanout, args.rounds))
        seq = [sequential(server.base_url, args.fanout) for _ in range(3)]
    ratios = [w / s for w, s in zip(walls, singles, strict=True)]
    ratio = median(ratios)
    print(
        f"one request {ms(median(singles))}; {args.fanout} concurrent {ms(median(walls))} "
        f"(p90 {ms(sorted(walls)[int(0.9 * (len(walls) - 1))])}); bare httpx {ms(median(bares))}; "
        f"{args.fanout} sequential {ms(median(seq))}",
        flush=True,
    )
    print(
        f"concurrent / one request: median {ratio:.2f}x (target <= {TARGET}x: {verdict(ratio <= TARGET)}); "
        f"bare httpx: {median(bares) / median(singles):.2f}x; "
        f"sequential / concurrent: {median(seq) / median(walls):.1f}x",
        flush=True,
    )
    return {
        "single_ms": median(singles) * 1000,
        "concurrent_ms": median(walls) * 1000,
        "bare_httpx_ms": median(bares) * 1000,
        "sequential_ms": median(seq) * 1000,
        "ratio": ratio,
        "speedup": median(seq) / median(walls),
    }


if __name__ == "__main__":
    main()
