"""Retrieval quality of the local server on real docs: hit@1, hit@5, MRR and latency, beside two baselines.

For each corpus (benchmarks/retrieval/corpora.py) and each ranking variant,
the docs are indexed in memory and every question of questions.py is asked
through ``DocsIndex.ranked_context`` (what ``/v2/context`` serves, in its
order) and through ``DocsIndex.docs`` (the docs route: the code and the info
list, each with the question as topic; a question's rank there is its best
rank in either list). Two baselines run in the same process over the same
files: BM25 over whole pages (``rank-bm25``; a page counts when it is the
answer's file and holds the token, its section is not checked), and SQLite
FTS5 with ``porter`` over heading-split sections (each section's heading
path, prose and code). Ranks past 10 count as misses.

    .venv/bin/python benchmarks/retrieval/run.py                 # every corpus, the default ranking
    .venv/bin/python benchmarks/retrieval/run.py --steps         # each ranking step, cumulatively
    .venv/bin/python benchmarks/retrieval/run.py --quick         # pino only (shipped), for CI
    .venv/bin/python benchmarks/retrieval/run.py --json out.json
    .venv/bin/python benchmarks/retrieval/run.py --embedding sentence-transformers:all-MiniLM-L6-v2
                                                                 # also rank with a sentence model

Latency is per call, in process (no HTTP), on a shared 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpora import CORPORA, QUICK, Corpus, fetch
from questions import QUESTIONS, Answer, Question

from context7_kit.core.models import CodeSnippet, InfoSnippet
from context7_kit.server import LibrarySource, build_index
from context7_kit.server.parser import parse_document
from context7_kit.server.sources import iter_folder

try:  # the ranking options exist from issue 10 on; older checkouts are measured with their defaults
    from context7_kit.server.index import RankingOptions
except ImportError:  # pragma: no cover
    RankingOptions = None  # type: ignore[assignment,misc]

TOP = 10
_WORD = re.compile(r"\w+")


@dataclass
class Scores:
    ranks: list[int | None] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)

    def add(self, rank: int | None, seconds: float | Iterable[float]) -> None:
        self.ranks.append(rank)
        self.latencies.extend([seconds] if isinstance(seconds, float) else seconds)

    def summary(self) -> dict[str, float]:
        n = len(self.ranks) or 1
        lat = sorted(self.latencies) or [0.0]
        return {
            "questions": len(self.ranks),
            "hit@1": sum(1 for r in self.ranks if r == 1) / n,
            "hit@5": sum(1 for r in self.ranks if r is not None and r <= 5) / n,
            "mrr": sum(1 / r for r in self.ranks if r is not None) / n,
            "p50_ms": statistics.median(lat) * 1000,
            "p99_ms": lat[min(len(lat) - 1, round(0.99 * (len(lat) - 1)))] * 1000,
        }


@dataclass(frozen=True)
class Unit:
    """A ranked item: its file, its heading path and its text."""

    file: str
    headings: tuple[str, ...]
    text: str


def answers(unit: Unit, answer: Answer, *, check_section: bool = True) -> bool:
    if unit.file != answer.file or answer.token.lower() not in unit.text.lower():
        return False
    if not check_section or not answer.section:
        return True
    return any(answer.section.lower() in h.lower() for h in unit.headings)


def first_rank(units: Sequence[Unit], question: Question, *, check_section: bool = True) -> int | None:
    for rank, unit in enumerate(units[:TOP], start=1):
        if any(answers(unit, a, check_section=check_section) for a in question.answers):
            return rank
    return None


class Pages:
    """What the corpus's files hold, to judge the server's snippets and to run the baselines."""

    def __init__(self, folder: Path) -> None:
        self.files = {f.path: f.text for f in iter_folder(folder)}
        self.code_headings: dict[str, tuple[str, ...]] = {}
        self.sections: list[Unit] = []
        for path, text in self.files.items():
            page = parse_document(text, path, path)
            for code, number in zip(page.code, page.code_sections, strict=True):
                self.code_headings[code.code_id] = page.sections[number].headings
            for section in page.sections:
                self.sections.append(Unit(path, section.headings, section.text))

    def unit(self, snippet: CodeSnippet | InfoSnippet) -> Unit:
        if isinstance(snippet, CodeSnippet):
            file = snippet.code_id.rsplit("#", 1)[0]
            code = "\n".join(b.code for b in snippet.code_list)
            text = f"{snippet.code_title}\n{snippet.code_description}\n{code}"
            return Unit(file, self.code_headings.get(snippet.code_id, ()), text)
        file = snippet.page_id.split("#", 1)[0]
        headings = tuple((snippet.breadcrumb or "").split(" > "))
        return Unit(file, headings, f"{snippet.breadcrumb}\n{snippet.content}")


def run_server(index: Any, library: str, pages: Pages, questions: Sequence[Question]) -> dict[str, dict[str, Scores]]:
    """Scores of /v2/context and of the docs route, per wording."""
    results: dict[str, dict[str, Scores]] = {"context": {}, "docs": {}}
    ranked_context: Callable[..., list[Any]] | None = getattr(index, "ranked_context", None)
    for question in questions:
        started = time.perf_counter()
        if ranked_context is not None:
            snippets = ranked_context(library, None, question.text)
        else:  # before issue 10: the txt body's order, all code first
            code, info = index.context(library, None, question.text)
            snippets = [*code, *info]
        elapsed = time.perf_counter() - started
        rank = first_rank([pages.unit(s) for s in snippets], question)
        for wording in (question.wording, "all"):
            results["context"].setdefault(wording, Scores()).add(rank, elapsed)
        ranks = []
        times = []
        for mode in ("code", "info"):
            started = time.perf_counter()
            page = index.docs(library, None, mode, question.text, limit=TOP)
            times.append(time.perf_counter() - started)
            ranks.append(first_rank([pages.unit(s) for s in page.snippets], question))
        best = min((r for r in ranks if r is not None), default=None)
        for wording in (question.wording, "all"):
            results["docs"].setdefault(wording, Scores()).add(best, times)
    return results


def run_legacy(src: Path, folder: Path, pages: Pages, questions: Sequence[Question]) -> dict[str, dict[str, Scores]]:
    """Scores of another checkout's server (its ``src`` folder), run in a subprocess by answers_of.py."""
    import os
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("answers_of.py")), str(folder)],
        input=json.dumps([q.text for q in questions]),
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=900,
    )
    results: dict[str, dict[str, Scores]] = {"context": {}, "docs": {}}

    def parse(wire: dict[str, Any]) -> CodeSnippet | InfoSnippet:
        return CodeSnippet.model_validate(wire) if "codeId" in wire else InfoSnippet.model_validate(wire)

    for question, answer in zip(questions, json.loads(done.stdout), strict=True):
        rank = first_rank([pages.unit(parse(w)) for w in answer["context"]], question)
        ranks = [first_rank([pages.unit(parse(w)) for w in answer[m]], question) for m in ("code", "info")]
        best = min((r for r in ranks if r is not None), default=None)
        for wording in (question.wording, "all"):
            results["context"].setdefault(wording, Scores()).add(rank, answer["context_seconds"])
            results["docs"].setdefault(wording, Scores()).add(best, answer["docs_seconds"])
    return results


def run_bm25_pages(pages: Pages, questions: Sequence[Question]) -> dict[str, Scores]:
    from rank_bm25 import BM25Okapi

    names = sorted(pages.files)
    units = [Unit(n, (), pages.files[n]) for n in names]
    bm25 = BM25Okapi([_WORD.findall(pages.files[n].lower()) for n in names])
    results: dict[str, Scores] = {}
    for question in questions:
        started = time.perf_counter()
        scores = bm25.get_scores(_WORD.findall(question.text.lower()))
        order = sorted(range(len(names)), key=lambda i: -scores[i])[:TOP]
        elapsed = time.perf_counter() - started
        rank = first_rank([units[i] for i in order], question, check_section=False)
        for wording in (question.wording, "all"):
            results.setdefault(wording, Scores()).add(rank, elapsed)
    return results


def run_fts_sections(pages: Pages, questions: Sequence[Question]) -> dict[str, Scores]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE s USING fts5(headings, body, tokenize = 'porter unicode61')")
    db.executemany(
        "INSERT INTO s (rowid, headings, body) VALUES (?, ?, ?)",
        [(i, " > ".join(u.headings), u.text) for i, u in enumerate(pages.sections)],
    )
    results: dict[str, Scores] = {}
    for question in questions:
        words = dict.fromkeys(_WORD.findall(question.text.lower()))
        match = " OR ".join(f'"{w}"' for w in words)
        started = time.perf_counter()
        rows = db.execute("SELECT rowid FROM s WHERE s MATCH ? ORDER BY rank LIMIT ?", (match, TOP)).fetchall()
        elapsed = time.perf_counter() - started
        rank = first_rank([pages.sections[r[0]] for r in rows], question)
        for wording in (question.wording, "all"):
            results.setdefault(wording, Scores()).add(rank, elapsed)
    db.close()
    return results


def variants(steps: bool, embedding: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """(name, build_index keyword arguments) of each ranking to measure; ``embedding``: also this model."""
    if RankingOptions is None:
        return [("as installed", {})]
    extra = [(f"default with {embedding}", {"embedding": embedding})] if embedding else []
    if not steps:
        return [("default", {}), *extra]
    o = RankingOptions(
        one_list=False, sections=False, split_identifiers=False, cleanup=False, history_weight=1.0, per_page=2
    )
    cumulative = [("0 two lists, code first; porter; no other step", o)]
    for name, change in (
        ("1 + one list of code and prose", {"one_list": True}),
        ("2 + section-aware fields", {"sections": True}),
        ("3 + identifier splitting", {"split_identifiers": True}),
        ("4 + question cleanup", {"cleanup": True}),
        ("5 + history pages x0.5", {"history_weight": 0.5}),
    ):
        o = replace(o, **change)
        cumulative.append((name, o))
    out: list[tuple[str, dict[str, Any]]] = [(n, {"ranking": r, "embedding": None}) for n, r in cumulative]
    out.append(("6 + hybrid: wordllama, RRF", {"ranking": o, "embedding": "auto"}))
    out.append(("   6 with RRF weights 1 : 1", {"ranking": replace(o, semantic_weight=1.0), "embedding": "auto"}))
    out.append(
        (
            "   6 with a score mix (0.2) instead of RRF",
            {"ranking": replace(o, fusion="mix", mix=0.2), "embedding": "auto"},
        )
    )
    out.append(("   6 with a page-match boost (0.5)", {"ranking": replace(o, page_weight=0.5), "embedding": "auto"}))
    out.append(("   6 without stemming", {"ranking": replace(o, stemming=False), "embedding": "auto"}))
    out.append(("   6 without the one-page limit", {"ranking": replace(o, per_page=0), "embedding": "auto"}))
    return out + extra


def evaluate(
    corpora: Sequence[Corpus],
    steps: bool,
    offline: bool,
    legacy: Path | None = None,
    index: str | None = None,
    *,
    embedding: str | None = None,
) -> dict[str, Any]:
    """Every variant's figures; ``index``: where the server's index lives (None: SQLite in memory);
    ``embedding``: also measure the ranking with this ``embedding=`` option."""
    report: dict[str, Any] = {"corpora": {}, "variants": {}, "baselines": {}}
    for corpus in corpora:
        folder = fetch(corpus, offline=offline)
        pages = Pages(folder)
        questions = [q for q in QUESTIONS if q.corpus == corpus.name]
        report["corpora"][corpus.name] = {
            "package": f"{corpus.registry}:{corpus.package}=={corpus.version}",
            "markup": corpus.markup,
            "files": len(pages.files),
            "questions": len(questions),
        }
        for name, scores in (
            ("BM25 whole pages (rank-bm25)", run_bm25_pages(pages, questions)),
            ("FTS5 porter, heading-split sections", run_fts_sections(pages, questions)),
        ):
            for wording, s in scores.items():
                report["baselines"].setdefault(name, {}).setdefault(corpus.name, {})[wording] = s
        if legacy is not None:
            entry = report["variants"].setdefault(f"before issue 10 ({legacy})", {})
            for route, per_wording in run_legacy(legacy, folder, pages, questions).items():
                for wording, s in per_wording.items():
                    entry.setdefault(route, {}).setdefault(corpus.name, {})[wording] = s
            entry.setdefault("index", {})
        for name, kwargs in variants(steps, embedding):
            started = time.perf_counter()
            built = build_index([LibrarySource(corpus.library_id, folder)], index, **kwargs)
            index_seconds = time.perf_counter() - started
            results = run_server(built, corpus.library_id, pages, questions)
            snippets = built.library(corpus.library_id).total_snippets
            built.close()
            entry = report["variants"].setdefault(name, {})
            entry.setdefault("index", {})[corpus.name] = {"seconds": index_seconds, "snippets": snippets}
            for route, per_wording in results.items():
                for wording, s in per_wording.items():
                    entry.setdefault(route, {}).setdefault(corpus.name, {})[wording] = s
    return report


def merged(per_corpus: dict[str, dict[str, Scores]], wording: str) -> Scores:
    total = Scores()
    for scores in per_corpus.values():
        if wording in scores:
            total.ranks += scores[wording].ranks
            total.latencies += scores[wording].latencies
    return total


def render(report: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    lines = []
    data: dict[str, Any] = {"corpora": report["corpora"], "rows": []}
    names = list(report["corpora"])
    lines.append(
        "| ranking | route | "
        + " | ".join(f"{n} MRR" for n in names)
        + " | docs-worded MRR | other-worded MRR | all: hit@1 | hit@5 | MRR | p50 / p99 ms |"
    )
    lines.append("|---|---|" + "---:|" * (len(names) + 6))

    def row(name: str, route: str, per_corpus: dict[str, dict[str, Scores]]) -> None:
        overall = merged(per_corpus, "all").summary()
        cells = [f"{per_corpus[n]['all'].summary()['mrr']:.3f}" if n in per_corpus else "" for n in names]
        docs = merged(per_corpus, "docs").summary()["mrr"]
        other = merged(per_corpus, "other").summary()["mrr"]
        lines.append(
            f"| {name} | {route} | "
            + " | ".join(cells)
            + f" | {docs:.3f} | {other:.3f} | {overall['hit@1']:.3f} | {overall['hit@5']:.3f}"
            + f" | **{overall['mrr']:.3f}**"
            + f" | {overall['p50_ms']:.2f} / {overall['p99_ms']:.2f} |"
        )
        data["rows"].append(
            {
                "ranking": name,
                "route": route,
                "all": overall,
                "docs": docs,
                "other": other,
                "per_corpus": {n: per_corpus[n]["all"].summary() for n in per_corpus},
            }
        )

    for name, per_corpus in report["baselines"].items():
        row(name, "baseline", per_corpus)
    for name, entry in report["variants"].items():
        for route in ("context", "docs"):
            row(name, "/v2/context" if route == "context" else "docs route", entry[route])
    lines.append("")
    lines.append(
        "| ranking | corpus | wording | questions | /v2/context hit@1 / hit@5 / MRR | p50 / p99 ms"
        " | docs route hit@1 / hit@5 / MRR | p50 / p99 ms |"
    )
    lines.append("|---|---|---|---:|---:|---:|---:|---:|")
    detailed = [n for n in report["variants"] if n.startswith(("6 ", "default"))] or list(report["variants"])[-1:]
    for last in detailed:
        entry = report["variants"][last]
        for corpus in names:
            for wording in ("docs", "other", "all"):
                c = entry["context"][corpus][wording].summary()
                d = entry["docs"][corpus][wording].summary()
                lines.append(
                    f"| {last} | {corpus} | {wording} | {c['questions']}"
                    f" | {c['hit@1']:.3f} / {c['hit@5']:.3f} / {c['mrr']:.3f}"
                    f" | {c['p50_ms']:.2f} / {c['p99_ms']:.2f}"
                    f" | {d['hit@1']:.3f} / {d['hit@5']:.3f} / {d['mrr']:.3f}"
                    f" | {d['p50_ms']:.2f} / {d['p99_ms']:.2f} |"
                )
    lines.append("")
    for name, entry in report["variants"].items():
        if not entry["index"]:
            continue
        timing = ", ".join(f"{c}: {v['snippets']} snippets in {v['seconds']:.2f} s" for c, v in entry["index"].items())
        lines.append(f"- index, {name}: {timing}")
    return "\n".join(lines), data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help=f"only the {QUICK} corpus (shipped in tests/fixtures)")
    parser.add_argument("--corpus", action="append", help="only these corpora")
    parser.add_argument("--steps", action="store_true", help="measure each ranking step cumulatively")
    parser.add_argument("--offline", action="store_true", help="never download: use cached corpora only")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--legacy-src", type=Path, help="also measure the server of another checkout's src folder")
    parser.add_argument("--index", help="the server's index: a postgresql:// URL (default: SQLite in memory)")
    parser.add_argument(
        "--embedding",
        help="also rank with this embedding option, e.g. sentence-transformers:all-MiniLM-L6-v2 (a name or a folder)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    wanted = [QUICK] if args.quick else args.corpus
    corpora = [c for c in CORPORA if not wanted or c.name in wanted]
    report = evaluate(corpora, args.steps, args.offline, args.legacy_src, args.index, embedding=args.embedding)
    table, data = render(report)
    print(table)
    if args.json:
        args.json.write_text(json.dumps(data, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
