"""Local docs server: index time and query latency from 1k to 50k snippets.

Generates a seeded Markdown corpus (pages of headings, prose over a Zipf-
distributed vocabulary of 3,000 words, fenced code blocks), indexes it into
an SQLite file (timed), then runs a fixed set of topics and questions -- some
selective, some matching nearly every snippet -- through the ``DocsIndex``
API directly and over HTTP on a :class:`LocalServer` (httpx), and prints
p50/p99 per size and kind of request. It also times indexing 500 pages.

    .venv/bin/python benchmarks/server_query.py                      # 1k, 10k, 50k
    .venv/bin/python benchmarks/server_query.py --sizes 10000 --repeat 20
    .venv/bin/python benchmarks/server_query.py --json results.json

Targets (issue 3): 500 pages indexed in under 10 s; p50 query latency under
10 ms at 10,000 snippets.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

from context7_kit.server.index import DocsIndex, build_index
from context7_kit.server.local import LocalServer
from context7_kit.server.sources import LibrarySource

LIBRARY = "/bench/docs"
SEED = 20240611
SECTIONS_PER_PAGE = 10  # each section: one info snippet and one code snippet; plus the page intro
VOCABULARY_SIZE = 3000

# Real words placed at chosen Zipf ranks, so the queries below are, by
# construction, broad (rank < 40: in nearly every snippet) or selective.
PLACED_WORDS = {
    0: "request",
    2: "client",
    5: "configuration",
    9: "response",
    14: "server",
    20: "options",
    30: "error",
    45: "handler",
    70: "timeout",
    110: "middleware",
    160: "cache",
    230: "authentication",
    320: "token",
    450: "streaming",
    600: "database",
    800: "migration",
    1100: "webhook",
    1500: "signature",
    2000: "rollback",
    2600: "sharding",
}
FILLER = [
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "is",
    "for",
    "with",
    "that",
    "it",
    "on",
    "as",
    "by",
    "this",
    "be",
    "are",
    "from",
    "or",
    "can",
    "you",
    "when",
    "your",
    "will",
    "an",
    "which",
    "use",
]

TOPICS = [
    "request",  # nearly everything
    "client configuration",  # nearly everything, two terms
    "response options error",  # nearly everything, three terms
    "timeout",
    "middleware",
    "cache",
    "authentication token",
    "streaming response",
    "database migration rollback",
    "webhook signature",
    "sharding",  # rare
    "zzznotaword",  # nothing
]
QUESTIONS = [
    "How do I configure the client?",
    "how to handle an error when a request fails",
    "What is the default timeout for requests?",
    "How can I add middleware to the server?",
    "how do I invalidate the cache",
    "How do I verify a webhook signature?",
    "how to roll back a database migration",
    "What does sharding do?",
]


def _syllable_words(rng: random.Random, count: int) -> list[str]:
    onsets = [
        "b",
        "c",
        "d",
        "f",
        "g",
        "h",
        "j",
        "k",
        "l",
        "m",
        "n",
        "p",
        "r",
        "s",
        "t",
        "v",
        "w",
        "z",
        "br",
        "cl",
        "dr",
        "fl",
        "gr",
        "pl",
        "st",
        "tr",
    ]
    vowels = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou"]
    codas = ["", "n", "r", "s", "t", "l", "x", "nd", "rk", "st"]
    words: list[str] = []
    seen = set(PLACED_WORDS.values()) | set(FILLER)
    while len(words) < count:
        word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 3))) + rng.choice(codas)
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Corpus:
    """A seeded generator of documentation pages."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        synthetic = iter(_syllable_words(self.rng, VOCABULARY_SIZE))
        self.vocabulary = [PLACED_WORDS.get(rank) or next(synthetic) for rank in range(VOCABULARY_SIZE)]
        self.weights = [1.0 / (rank + 2.7) for rank in range(VOCABULARY_SIZE)]
        self._cumulative: list[float] = []
        total = 0.0
        for w in self.weights:
            total += w
            self._cumulative.append(total)

    def words(self, count: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self._cumulative, k=count)

    def sentence(self) -> str:
        words: list[str] = []
        for word in self.words(self.rng.randint(6, 16)):
            words.append(word)
            if self.rng.random() < 0.45:
                words.append(self.rng.choice(FILLER))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def heading(self) -> str:
        return " ".join(self.words(self.rng.randint(1, 4))).capitalize()

    def code(self) -> str:
        lines = []
        for _ in range(self.rng.randint(3, 12)):
            a, b, c = self.words(3)
            form = self.rng.randrange(4)
            if form == 0:
                lines.append(f"{a}_{b} = client.{c}({a!r}, timeout={self.rng.randint(1, 60)})")
            elif form == 1:
                lines.append(f"def {a}_{b}({c}):\n    return {c}.{a}()")
            elif form == 2:
                lines.append(f"# {self.sentence()}")
            else:
                lines.append(f"result = {a}.{b}_{c}(options={{'{a}': True}})")
        return "\n".join(lines)

    def page(self, number: int) -> str:
        parts = [f"# {self.heading()} {number}", "", self.paragraph(), ""]
        for _ in range(SECTIONS_PER_PAGE):
            parts += [f"## {self.heading()}", "", self.paragraph(), ""]
            if self.rng.random() < 0.5:
                parts += [self.paragraph(), ""]
            parts += ["```python", self.code(), "```", ""]
        return "\n".join(parts)

    def write(self, folder: Path, pages: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for number in range(pages):
            sub = folder / f"part{number // 100:03d}"
            sub.mkdir(exist_ok=True)
            (sub / f"page{number:05d}.md").write_text(self.page(number), encoding="utf-8")


def pages_for(snippets: int) -> int:
    """Pages of ``Corpus.page`` giving about ``snippets`` snippets (2 per section plus the intro)."""
    return max(1, round(snippets / (2 * SECTIONS_PER_PAGE + 1)))


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def timed(call: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and this thread's CPU milliseconds of ``repeat`` calls (after one warm-up call).

    CPU time is the steadier figure on a busy machine; over HTTP the work
    happens in the server's threads, so only wall-clock time means anything.
    """
    call()  # warm-up: the first call may index or fill caches
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.thread_time()
        call()
        cpu.append((time.thread_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return wall, cpu


def cold(index: DocsIndex, call: Callable[[], object]) -> Callable[[], object]:
    """``call`` with the index's ranking cache emptied first (a first-time query), where the index has one."""
    clear = getattr(index, "clear_cache", None)
    if clear is None:
        return call

    def first_time() -> object:
        clear()
        return call()

    return first_time


def direct_cases(index: DocsIndex, *, cached: bool) -> dict[str, list[Callable[[], object]]]:
    cases: dict[str, list[Callable[[], object]]] = {
        "docs code, no topic": [lambda: index.docs(LIBRARY, None, "code", None)],
        "docs code, topic": [],
        "docs info, topic": [],
        "docs code, topic, page 5": [],
        "context": [],
        "context fast": [],
    }
    for topic in TOPICS:
        cases["docs code, topic"].append(lambda t=topic: index.docs(LIBRARY, None, "code", t))
        cases["docs info, topic"].append(lambda t=topic: index.docs(LIBRARY, None, "info", t))
        cases["docs code, topic, page 5"].append(lambda t=topic: index.docs(LIBRARY, None, "code", t, page=5))
    for question in QUESTIONS:
        cases["context"].append(lambda q=question: index.context(LIBRARY, None, q))
        cases["context fast"].append(lambda q=question: index.context(LIBRARY, None, q, fast=True))
    if not cached:
        cases = {name: [cold(index, call) for call in calls] for name, calls in cases.items()}
    return cases


def http_cases(client: httpx.Client, index: DocsIndex, *, cached: bool) -> dict[str, list[Callable[[], object]]]:
    clear = getattr(index, "clear_cache", None)

    def get(path: str, **params: str) -> object:
        if clear is not None and not cached:
            clear()
        response = client.get(path, params=params)
        response.raise_for_status()
        return response.content

    docs = "/v2/docs/{}" + LIBRARY
    cases: dict[str, list[Callable[[], object]]] = {
        "GET docs code, no topic": [lambda: get(docs.format("code"))],
        "GET docs code, topic": [lambda t=t: get(docs.format("code"), topic=t) for t in TOPICS],
        "GET docs info, topic, txt": [lambda t=t: get(docs.format("info"), topic=t, type="txt") for t in TOPICS],
        "GET context": [lambda q=q: get("/v2/context", libraryId=LIBRARY, query=q) for q in QUESTIONS],
    }
    return cases


def measure(cases: dict[str, list[Callable[[], object]]], repeat: int) -> dict[str, dict[str, float]]:
    results = {}
    for name, calls in cases.items():
        samples: list[float] = []
        cpu: list[float] = []
        for call in calls:
            wall, used = timed(call, repeat)
            samples += wall
            cpu += used
        results[name] = {
            "p50_ms": statistics.median(samples),
            "p99_ms": percentile(samples, 99),
            "max_ms": max(samples),
            "cpu_p50_ms": statistics.median(cpu),
            "n": len(samples),
        }
    return results


def run_size(
    snippets: int, repeat: int, workdir: Path, *, http: bool, cached: bool, embedding: str | None = "auto"
) -> dict[str, Any]:
    docs = workdir / f"docs-{snippets}"
    pages = pages_for(snippets)
    started = time.perf_counter()
    Corpus().write(docs, pages)
    generated = time.perf_counter() - started
    source = LibrarySource(LIBRARY, docs, git_versions=False)
    db = workdir / f"index-{snippets}.sqlite"
    started = time.perf_counter()
    index = build_index([source], db, embedding=embedding)
    index_seconds = time.perf_counter() - started
    total = index.library(LIBRARY).total_snippets
    print(
        f"\n== {total} snippets ({pages} pages; generated in {generated:.1f} s), indexed in {index_seconds:.2f} s",
        flush=True,
    )
    try:
        direct = measure(direct_cases(index, cached=cached), repeat)
    finally:
        index.close()
    report("DocsIndex", direct)
    result: dict[str, Any] = {
        "snippets": total,
        "pages": pages,
        "index_seconds": index_seconds,
        "direct": direct,
    }
    if http:
        with LocalServer([source], index_path=db) as server, httpx.Client(base_url=server.base_url) as client:
            assert server.index is not None
            over_http = measure(http_cases(client, server.index, cached=cached), repeat)
        report("HTTP", over_http)
        result["http"] = over_http
    return result


def report(label: str, results: dict[str, dict[str, float]]) -> None:
    for name, r in results.items():
        cpu = f"   cpu p50 {r['cpu_p50_ms']:7.2f} ms" if label != "HTTP" else ""
        print(f"  {label:9} {name:28} p50 {r['p50_ms']:8.2f} ms   p99 {r['p99_ms']:8.2f} ms{cpu}   (n={r['n']:.0f})")
    sys.stdout.flush()


def index_pages(pages: int, workdir: Path, embedding: str | None = "auto") -> dict[str, float]:
    docs = workdir / f"pages-{pages}"
    Corpus(seed=SEED + 1).write(docs, pages)
    source = LibrarySource(LIBRARY, docs, git_versions=False)
    started = time.perf_counter()
    index = build_index([source], workdir / f"pages-{pages}.sqlite", embedding=embedding)
    seconds = time.perf_counter() - started
    total = index.library(LIBRARY).total_snippets
    index.close()
    print(f"\n== {pages} pages ({total} snippets) indexed in {seconds:.2f} s (target < 10 s)", flush=True)
    return {"pages": pages, "snippets": total, "index_seconds": seconds}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--sizes", default="1000,10000,50000", help="snippet counts, comma-separated (default 1000,10000,50000)"
    )
    parser.add_argument("--repeat", type=int, default=10, help="timed runs of each query (default 10)")
    parser.add_argument("--pages", type=int, default=500, help="pages for the index-time run (0: skip; default 500)")
    parser.add_argument("--no-http", action="store_true", help="measure the DocsIndex API only")
    parser.add_argument(
        "--cached",
        action="store_true",
        help="let repeated queries hit the index's ranking cache (default: every query is a first-time one)",
    )
    parser.add_argument(
        "--embedding",
        default="auto",
        help="the index's embedding option: auto (the default), off, or sentence-transformers:MODEL",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    embedding = None if args.embedding == "off" else args.embedding
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    logging.basicConfig(level=logging.WARNING)
    results: dict[str, Any] = {"sizes": []}
    with tempfile.TemporaryDirectory(prefix="c7k-bench-") as tmp:
        workdir = Path(tmp)
        if args.pages:
            results["pages"] = index_pages(args.pages, workdir, embedding)
        for size in sizes:
            results["sizes"].append(
                run_size(size, args.repeat, workdir, http=not args.no_http, cached=args.cached, embedding=embedding)
            )
    print("\nsnippets  index s   docs topic p50/p99 ms   context p50/p99 ms   HTTP docs p50   HTTP context p50")
    for r in results["sizes"]:
        d = r["direct"]
        h = r.get("http", {})
        http_docs = h.get("GET docs code, topic", {}).get("p50_ms", float("nan"))
        http_context = h.get("GET context", {}).get("p50_ms", float("nan"))
        print(
            f"{r['snippets']:>8}  {r['index_seconds']:7.2f}   "
            f"{d['docs code, topic']['p50_ms']:8.2f} / {d['docs code, topic']['p99_ms']:8.2f}   "
            f"{d['context']['p50_ms']:8.2f} / {d['context']['p99_ms']:8.2f}   "
            f"{http_docs:12.2f}   {http_context:14.2f}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
