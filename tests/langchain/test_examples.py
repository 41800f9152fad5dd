"""The LangChain examples run offline against the local server and exit 0."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _no_real_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)


def test_agent_example(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("langchain.agents", reason="the example uses LangChain 1.x's create_agent")
    assert _load("langchain_agent").main([]) == 0

    out = capsys.readouterr().out
    assert "the local server over docs/" in out
    assert "tool error | Context7 API error 404" in out  # the scripted model's guess fails...
    assert "model -> resolve_library_id({'library_name': 'context7-kit'" in out  # ...and it recovers
    assert "model -> query_docs({'library_id': '/context7-kit/docs', 'query': 'How does" in out
    answer = out.split("\nAnswer:\n", 1)[1]
    assert "Sources:\n- " in answer  # a real answer, drawn from the docs and citing them
    assert "retr" in answer.split(":", 1)[0].lower()  # it answers from the docs' section on retries


def test_agent_example_as_its_docstring_shows(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("langchain.agents", reason="the example uses LangChain 1.x's create_agent")
    assert _load("langchain_agent").main(["How do I turn on the response cache?"]) == 0

    answer = capsys.readouterr().out.split("\nAnswer:\n", 1)[1]
    assert "cach" in answer.split(":", 1)[0].lower()  # from the docs' section on caching
    assert "Sources:\n- " in answer


def test_retriever_chain_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert _load("langchain_retriever_chain").main(["How do I turn on the response cache?"]) == 0

    out = capsys.readouterr().out
    assert "Retrieved 4 snippets:" in out
    assert len(re.findall(r"^  \d\. \[(code|info)\] .+ - \S+\.md#", out, re.MULTILINE)) == 4  # each with its source
    assert "The most relevant documentation says:" in out
    assert "ingesting the same 4 snippets twice: 4 documents" in out
