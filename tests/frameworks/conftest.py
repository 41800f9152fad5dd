"""Framework adapter tests: each framework's real agent loop, a scripted model, the local server.

The scripted model's policy lives with the examples (examples/_agents.py), which
these tests also run; a framework that clashes with the main environment runs
in its own (scripts/test-envs) and is left out here.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.docs_server import fixture_server

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
FIXTURE_DOCS = ROOT / "tests" / "fixtures" / "docs"
LIBRARY_NAME = "widgets"
QUESTION = "How do I render a widget?"
SECRET = "ctx7sk-frameworks-secret-0123456789"
sys.path.insert(0, str(EXAMPLES))

ISOLATED = {"test_crewai.py": "crewai", "test_openai_agents.py": "agents"}
collect_ignore = [name for name, module in ISOLATED.items() if importlib.util.find_spec(module) is None]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    """The fixture docs served as /acme/widgets and /acme/gadgets."""
    with fixture_server(FIXTURE_DOCS) as url:
        yield url


@pytest.fixture(scope="module")
def keyed_url() -> Iterator[str]:
    """A server that knows another key: every call with SECRET is refused (401)."""
    with fixture_server(FIXTURE_DOCS, api_keys=["ctx7sk-the-right-one"]) as url:
        yield url


@pytest.fixture(autouse=True)
def _no_real_model(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "PYDANTIC_AI_MODEL", "CONTEXT7_API_URL", "CONTEXT7_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def load_example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_example_output(out: str) -> None:
    """An example's printed run: a failed guess, the recovery, the docs and an answer from them."""
    assert "the local server over docs/" in out
    assert "tool error |" in out and "context7-kit-guess" in out
    assert "model -> resolve_library_id" in out
    assert "/context7-kit/docs" in out
    assert "Answer:\nFrom the docs, these sections answer it:" in out
