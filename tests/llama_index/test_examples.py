"""The LlamaIndex examples run offline against the local docs server and print what they claim."""

from __future__ import annotations

import importlib.util
import re
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ingestion_example_reruns_without_duplicates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = load("llamaindex_ingestion")

    assert example.main(["--persist-dir", str(tmp_path / "index")]) == 0
    first = capsys.readouterr().out
    assert example.main(["--persist-dir", str(tmp_path / "index")]) == 0
    rerun = capsys.readouterr().out

    # The counts depend on docs/; what matters is that only the very first pass adds anything.
    fresh = re.search(r"Pass 1: loaded (\d+) documents, added or updated (\d+), index now holds (\d+)", first)
    assert fresh is not None and int(fresh[1]) > 0 and fresh[1] == fresh[2] == fresh[3]
    total = fresh[1]
    assert f"Pass 2: loaded {total} documents, added or updated 0, index now holds {total} documents" in first
    assert f"Pass 1: loaded {total} documents, added or updated 0, index now holds {total} documents" in rerun
    assert (tmp_path / "index" / "docstore.json").exists()


def test_ingestion_example_asks_the_question_given_and_leaves_no_temporary_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    tempfile.tempdir = None  # read TMPDIR again
    try:
        example = load("llamaindex_ingestion")
        question = "How do I turn on the response cache?"
        assert example.main([question, "--query", "caching", "--query", "cache time to live"]) == 0
    finally:
        tempfile.tempdir = None
    out = capsys.readouterr().out

    assert f"Q: {question}" in out
    hits = re.findall(r"^  \d\.\d\d  (.+)  \(/context7-kit/docs, ", out, re.MULTILINE)
    assert hits and any("cach" in hit.lower() for hit in hits)
    assert list(tmp_path.iterdir()) == []  # the index folder it made is gone


def test_ingestion_example_pins_versions_with_at_and_keeps_questions_apart() -> None:
    example = load("llamaindex_ingestion")

    [request] = example.requests_for(["/pydantic/pydantic@v2.11"], ["custom validators", "field validators"])

    assert (request.library_id, request.questions) == (
        "/pydantic/pydantic/v2.11",
        ("custom validators", "field validators"),
    )


def test_agent_example_resolves_reads_and_answers(capsys: pytest.CaptureFixture[str]) -> None:
    example = load("llamaindex_agent")

    assert example.main([]) == 0
    out = capsys.readouterr().out

    assert "-> resolve_library_id({'library_name': 'context7-kit', 'query': 'How does the client retry" in out
    assert "-> query_docs({'library_id': '/context7-kit/docs', 'query': 'How does the client retry" in out
    assert "<- query_docs [ok]" in out
    assert "raw_output: 10 Document" in out  # the tool hands the program Documents as well as the text
    assert "A: From the docs:" in out
    assert "Sources: " in out
