"""The retrieval benchmark's quick mode: pino's real docs (shipped in tests/fixtures), 36 questions.

Floors sit a little under the figures measured when the ranking was tuned
(docs/benchmarks.md), with lexical search alone and with the semantic extra,
so a ranking change that loses answers fails here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "benchmarks" / "retrieval"), str(ROOT / "benchmarks")]

run = pytest.importorskip("run", reason="benchmarks/retrieval needs rank-bm25 (test extra)")


@pytest.fixture(scope="module")
def report() -> dict[str, object]:
    pytest.importorskip("rank_bm25")
    corpora = [c for c in run.CORPORA if c.name == run.QUICK]
    return run.evaluate(corpora, steps=False, offline=True)  # type: ignore[no-any-return]


def test_context_ranking_keeps_its_quality_on_real_docs(report: dict[str, object]) -> None:
    variant = report["variants"]["default"]  # type: ignore[index]
    context = variant["context"][run.QUICK]
    docs_worded = context["docs"].summary()
    other_worded = context["other"].summary()
    overall = context["all"].summary()
    assert overall["questions"] == 36
    assert docs_worded["mrr"] >= FLOOR_DOCS, docs_worded
    assert other_worded["mrr"] >= FLOOR_OTHER, other_worded
    assert overall["mrr"] >= FLOOR_MRR, overall
    assert overall["hit@5"] >= FLOOR_HIT5, overall


# Measured on pino: lexical 0.875 / 0.289 / 0.614 / 0.778, hybrid (wordllama) 0.925 / 0.276 / 0.637 / 0.722.
FLOOR_DOCS = 0.85
FLOOR_OTHER = 0.24
FLOOR_MRR = 0.58
FLOOR_HIT5 = 0.68


def test_postgres_ranks_the_real_docs_about_as_well_as_sqlite(report: dict[str, object], postgres_dsn: str) -> None:
    """The PostgreSQL backend (ts_rank with term weights) against SQLite's BM25, same questions, same ranking code."""
    corpora = [c for c in run.CORPORA if c.name == run.QUICK]
    on_postgres = run.evaluate(corpora, steps=False, offline=True, index=postgres_dsn)
    sqlite = report["variants"]["default"]["context"][run.QUICK]["all"].summary()  # type: ignore[index]
    postgres = on_postgres["variants"]["default"]["context"][run.QUICK]["all"].summary()
    assert postgres["questions"] == 36
    # Measured: hybrid MRR 0.637 (SQLite) / 0.583 (PostgreSQL), hit@5 0.722 / 0.694; lexical MRR 0.614 / 0.628.
    assert postgres["mrr"] >= sqlite["mrr"] - 0.08, (postgres, sqlite)
    assert postgres["hit@5"] >= sqlite["hit@5"] - 0.06, (postgres, sqlite)
