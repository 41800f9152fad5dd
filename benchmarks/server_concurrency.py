"""Local docs server under concurrent load: 1 worker against 2, at 10, 50 and 100 clients.

Builds one index of the seeded corpus of ``server_query.py`` (about 10,000
snippets) with ``context7-kit index``, starts ``context7-kit serve --workers 1``
and ``--workers 2`` over that same file (each in its own process group), and
loads them in turn, concurrency level by concurrency level, so both are
measured side by side under the same machine conditions. Each client keeps one
HTTP/1.1 connection open and sends ``GET /v2/context`` with questions drawn
from a large seeded set (so the index's ranking cache rarely answers), the
next as soon as the last is answered. The load generator is a bare asyncio
HTTP client (no httpx), in two processes by default so that it is not the
bottleneck, to leave the cores to the servers.

    .venv/bin/python benchmarks/server_concurrency.py
    .venv/bin/python benchmarks/server_concurrency.py --seconds 5 --clients 10,50

Targets (issue 13): at 50 clients, 2 workers serve at least 1.6x the requests
per second of 1 worker, and p99 stays under 250 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from multiprocessing import Pool
from pathlib import Path
from urllib.parse import urlencode

from _common import machine, percentile
from server_query import PLACED_WORDS, Corpus, pages_for

LIBRARY = "/bench/docs"
ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 120.0
PGIDS: dict[int, int] = {}  # a server's port -> its process group (start_new_session: the pid)


def questions(count: int, seed: int = 13) -> list[str]:
    """Seeded questions of 2-4 words over the corpus's words (placed ones and frequent ones)."""
    rng = random.Random(seed)
    corpus = Corpus()
    placed = list(PLACED_WORDS.values())
    out = []
    for _ in range(count):
        words = [rng.choice(placed), *corpus.words(rng.randint(1, 3))]
        out.append("how do I " + " ".join(words))
    return out


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU time of every live process in a process group (Linux ``/proc``)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, ...
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


@contextmanager
def serve(index: Path, docs: Path, workers: int, semantic: str) -> Iterator[int]:
    """``context7-kit serve --workers N`` over the index; its port once it answers."""
    port = free_port()
    command = [
        sys.executable, "-m", "context7_kit.cli", "serve", "--library", f"{LIBRARY}={docs}", "--index", str(index),
        "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--max-connections", "2000",
        "--semantic", semantic,
    ]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True, cwd=ROOT
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                    probe.sendall(b"GET /api/openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    if probe.recv(12).startswith(b"HTTP/1.1 200"):
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"serve --workers {workers} did not start")
            time.sleep(0.2)
        PGIDS[port] = process.pid
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


async def _client(port: int, paths: list[str], stop_at: float, latencies: list[float], errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    rng = random.Random(id(latencies) ^ port)
    try:
        while time.perf_counter() < stop_at:
            path = rng.choice(paths)
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = head[9:12]
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if status != b"200":
                errors.append(status.decode())
    except (OSError, asyncio.IncompleteReadError) as exc:
        errors.append(type(exc).__name__)
    finally:
        writer.close()


async def _load(port: int, clients: int, seconds: float, paths: list[str]) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    stop_at = started + seconds
    await asyncio.gather(*(_client(port, paths, stop_at, latencies, errors) for _ in range(clients)))
    return latencies, errors, time.perf_counter() - started


def _load_in_process(job: tuple[int, int, float, list[str]]) -> tuple[list[float], list[str], float]:
    port, clients, seconds, paths = job
    return asyncio.run(_load(port, clients, seconds, paths))


def measure(pool: Pool, port: int, clients: int, seconds: float, paths: list[str]) -> dict[str, float]:
    """Load one server from the pool's processes (clients split over them); latencies and throughput."""
    processes = pool._processes  # type: ignore[attr-defined]
    shares = [clients // processes + (1 if n < clients % processes else 0) for n in range(processes)]
    for duration in (min(2.0, seconds), seconds):  # a warm-up (connections, caches, workers), then the run
        cpu_before = group_cpu_seconds(PGIDS[port])
        results = pool.map(_load_in_process, [(port, share, duration, paths) for share in shares if share])
        cpu = group_cpu_seconds(PGIDS[port]) - cpu_before
    latencies = [x for r in results for x in r[0]]
    errors = [x for r in results for x in r[1]]
    elapsed = max(r[2] for r in results)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 50) * 1000 if latencies else float("nan"),
        "p99_ms": percentile(latencies, 99) * 1000 if latencies else float("nan"),
        "errors": len(errors),
        "cpu_ms_per_request": cpu * 1000 / len(latencies) if latencies else float("nan"),
        "cores_used": cpu / elapsed,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--snippets", type=int, default=10_000, help="corpus size (default 10000)")
    parser.add_argument("--clients", default="10,50,100", help="concurrency levels (default 10,50,100)")
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per level and server (default 8)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds; the median is reported (default 2)")
    parser.add_argument(
        "--semantic", default="auto", help="the servers' --semantic: auto (the default), wordllama or off"
    )
    parser.add_argument(
        "--generators", type=int, default=2, help="load-generating processes, clients split over them (default 2)"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    levels = [int(c) for c in args.clients.split(",") if c.strip()]
    paths = [
        "/api/v2/context?" + urlencode({"libraryId": LIBRARY, "query": q, "type": "json"}) for q in questions(5000)
    ]
    print(f"Machine: {machine()}")
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="c7k-bench-") as tmp:
        docs, index = Path(tmp) / "docs", Path(tmp) / "index.sqlite"
        Corpus().write(docs, pages_for(args.snippets))
        subprocess.run(
            [
                sys.executable,
                "-m",
                "context7_kit.cli",
                "index",
                "--library",
                f"{LIBRARY}={docs}",
                "--index",
                str(index),
            ],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        with (
            Pool(args.generators) as pool,
            serve(index, docs, 1, args.semantic) as one,
            serve(index, docs, 2, args.semantic) as two,
        ):
            for clients in levels:
                runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
                for _ in range(args.rounds):
                    for workers, port in ((1, one), (2, two)):
                        runs[workers].append(measure(pool, port, clients, args.seconds, paths))
                for workers, samples in runs.items():
                    samples.sort(key=lambda r: r["rps"])
                    results.setdefault(str(clients), {})[str(workers)] = samples[len(samples) // 2]
                row = results[str(clients)]
                print(
                    f"{clients:>4} clients | 1 worker: {row['1']['rps']:7.1f} req/s p50 {row['1']['p50_ms']:6.1f} ms "
                    f"p99 {row['1']['p99_ms']:6.1f} ms | 2 workers: {row['2']['rps']:7.1f} req/s "
                    f"p50 {row['2']['p50_ms']:6.1f} ms p99 {row['2']['p99_ms']:6.1f} ms | "
                    f"x{row['2']['rps'] / row['1']['rps']:.2f} | "
                    f"errors {row['1']['errors']:.0f}/{row['2']['errors']:.0f} | server CPU per request "
                    f"{row['1']['cpu_ms_per_request']:.1f}/{row['2']['cpu_ms_per_request']:.1f} ms, cores used "
                    f"{row['1']['cores_used']:.2f}/{row['2']['cores_used']:.2f}",
                    flush=True,
                )
    if "50" in results:
        row = results["50"]
        speedup = row["2"]["rps"] / row["1"]["rps"]
        print(f"Target: 2 workers >= 1.6x at 50 clients: x{speedup:.2f} ({'met' if speedup >= 1.6 else 'MISSED'})")
        p99 = row["2"]["p99_ms"]
        print(f"Target: p99 < 250 ms at 50 clients (2 workers): {p99:.0f} ms ({'met' if p99 < 250 else 'MISSED'})")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
