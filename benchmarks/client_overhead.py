"""Benchmark 1: what the client adds to a bare httpx GET + .json() of the same URL.

Context7Client.get_docs (request building, retry policy, typed parsing into
pydantic models) against httpx.Client.get(url).json(), and the same for the
async pair, against one loopback server in another process. Calls alternate
(client, bare, client, bare...) so both see the same machine noise; the figure
is the median of the per-pair ratios. Target: <= 1.10.

A third call in each round, bare httpx + DocsResponse.model_validate (what a
caller writes to get the same typed result by hand), splits the client's extra
time into typed parsing and the rest (request building, retry policy).

    .venv/bin/python benchmarks/client_overhead.py [--pairs 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx
from _common import LIBRARY, WireServer, machine, median, ms, verdict

from context7_kit import AsyncContext7Client, Context7Client
from context7_kit.core.models import DocsResponse

TARGET = 1.10
WARMUP = 50


Samples = tuple[list[float], list[float], list[float]]


def measure_sync(base_url: str, pairs: int) -> Samples:
    url = f"{base_url}/v2/docs/code{LIBRARY}?type=json&page=1&limit=10"
    ours: list[float] = []
    bare: list[float] = []
    typed: list[float] = []
    with Context7Client(base_url=base_url) as client, httpx.Client() as http:
        for i in range(pairs + WARMUP):
            t0 = time.perf_counter()
            page = client.get_docs(LIBRARY)
            t1 = time.perf_counter()
            data = http.get(url).json()
            t2 = time.perf_counter()
            model = DocsResponse.model_validate(http.get(url).json())
            t3 = time.perf_counter()
            assert len(page.snippets) == len(data["snippets"]) == len(model.snippets) > 0
            if i >= WARMUP:
                ours.append(t1 - t0)
                bare.append(t2 - t1)
                typed.append(t3 - t2)
    return ours, bare, typed


async def measure_async(base_url: str, pairs: int) -> Samples:
    url = f"{base_url}/v2/docs/code{LIBRARY}?type=json&page=1&limit=10"
    ours: list[float] = []
    bare: list[float] = []
    typed: list[float] = []
    async with AsyncContext7Client(base_url=base_url) as client, httpx.AsyncClient() as http:
        for i in range(pairs + WARMUP):
            t0 = time.perf_counter()
            page = await client.get_docs(LIBRARY)
            t1 = time.perf_counter()
            data = (await http.get(url)).json()
            t2 = time.perf_counter()
            model = DocsResponse.model_validate((await http.get(url)).json())
            t3 = time.perf_counter()
            assert len(page.snippets) == len(data["snippets"]) == len(model.snippets) > 0
            if i >= WARMUP:
                ours.append(t1 - t0)
                bare.append(t2 - t1)
                typed.append(t3 - t2)
    return ours, bare, typed


def summarize(label: str, ours: list[float], bare: list[float], typed: list[float]) -> dict[str, float]:
    ratio = median([a / b for a, b in zip(ours, bare, strict=True)])
    typed_ratio = median([a / b for a, b in zip(ours, typed, strict=True)])
    print(
        f"{label:5}  client {ms(median(ours))}  bare httpx {ms(median(bare))}  "
        f"bare httpx + pydantic {ms(median(typed))}",
        flush=True,
    )
    print(
        f"{label:5}  client / bare httpx: median ratio {ratio:.3f} (target <= {TARGET}: {verdict(ratio <= TARGET)}); "
        f"client / bare httpx + pydantic: {typed_ratio:.3f}",
        flush=True,
    )
    return {
        "client_ms": median(ours) * 1000,
        "bare_ms": median(bare) * 1000,
        "bare_typed_ms": median(typed) * 1000,
        "ratio": ratio,
        "ratio_vs_typed": typed_ratio,
    }


def main() -> dict[str, dict[str, float]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--pairs", type=int, default=2000, help="timed client/bare pairs per mode (default 2000)")
    args = parser.parse_args()
    print(f"# client overhead, {args.pairs} pairs per mode; {machine()}", flush=True)
    with WireServer() as server:
        results = {"sync": summarize("sync", *measure_sync(server.base_url, args.pairs))}
        results["async"] = summarize("async", *asyncio.run(measure_async(server.base_url, args.pairs)))
    return results


if __name__ == "__main__":
    main()
