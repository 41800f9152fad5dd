"""What each server backend costs: the index in SQLite or PostgreSQL, rate limits in memory or Redis.

Indexes the seeded corpus of ``server_query.py`` into an SQLite file and into
PostgreSQL (timed), runs the same topics and questions through ``DocsIndex``
on each (every query a first-time one: the ranking cache is emptied before
each), and times ``hit_async`` of the in-memory and the Redis rate limiter.
Without ``--postgres`` / ``--redis`` URLs it starts throw-away servers from
the Debian packages, as the tests do.

    .venv/bin/python benchmarks/backends.py                     # 10k snippets
    .venv/bin/python benchmarks/backends.py --snippets 1000 --repeat 3
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from server_query import LIBRARY, Corpus, direct_cases, measure, pages_for, percentile, report

from context7_kit.server.index import build_index
from context7_kit.server.ratelimit import RateLimit, RateLimiter
from context7_kit.server.ratelimit_redis import RedisRateLimiter
from context7_kit.server.sources import LibrarySource

ROOT = Path(__file__).resolve().parent.parent


def disk_mb(location: str | Path) -> float:
    """The index's size on disk: the SQLite file (and its WAL), or the PostgreSQL tables with their indexes."""
    if isinstance(location, Path):
        return sum(p.stat().st_size for p in location.parent.glob(location.name + "*")) / 1e6
    import psycopg

    tables = ("c7kit_meta", "c7kit_corpora", "c7kit_snippets", "c7kit_terms")
    with psycopg.connect(location) as conn:
        row = conn.execute(
            "SELECT sum(pg_total_relation_size(t::regclass)) FROM unnest(%s::text[]) AS t", (list(tables),)
        )
        return float(row.fetchone()[0]) / 1e6  # type: ignore[index]


def index_backend(label: str, source: LibrarySource, location: str | Path, repeat: int) -> None:
    started = time.perf_counter()
    index = build_index([source], location, embedding=None)
    seconds = time.perf_counter() - started
    total = index.library(LIBRARY).total_snippets
    print(f"\n== {label}: {total} snippets indexed in {seconds:.2f} s, {disk_mb(location):.1f} MB", flush=True)
    try:
        report(label, measure(direct_cases(index, cached=False), repeat))
    finally:
        index.close()


async def limiter_cost(limiter: RateLimiter, calls: int) -> list[float]:
    await limiter.hit_async("ip:warm-up")
    samples = []
    for n in range(calls):
        started = time.perf_counter()
        await limiter.hit_async(f"ip:10.0.{n % 50}.1")
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--snippets", type=int, default=10_000, help="corpus size (default 10000)")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs of each query (default 10)")
    parser.add_argument("--postgres", help="a postgresql:// URL (default: start a throw-away server)")
    parser.add_argument("--redis", help="a redis:// URL (default: start a throw-away server)")
    args = parser.parse_args()
    with ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
        postgres, redis_url = args.postgres, args.redis
        if postgres is None or redis_url is None:
            sys.path.insert(0, str(ROOT))  # the throw-away servers live with the tests
            from tests.services import PostgresServer, RedisServer

            if postgres is None:
                postgres = stack.enter_context(PostgresServer()).fresh_dsn()
            if redis_url is None:
                redis_url = stack.enter_context(RedisServer()).url(1)
        docs = Path(tmp) / "docs"
        Corpus().write(docs, pages_for(args.snippets))
        source = LibrarySource(LIBRARY, docs, git_versions=False)
        index_backend("SQLite", source, Path(tmp) / "index.sqlite", args.repeat)
        index_backend("Postgres", source, postgres, args.repeat)

        print("\n== rate limiter, one request counted", flush=True)
        limit = RateLimit(1_000_000, 60)
        for label, limiter in (("memory", RateLimiter(limit)), ("Redis", RedisRateLimiter(limit, redis_url))):
            samples = asyncio.run(limiter_cost(limiter, 2000))
            print(f"  {label:9} p50 {statistics.median(samples):8.3f} ms   p99 {percentile(samples, 99):8.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
