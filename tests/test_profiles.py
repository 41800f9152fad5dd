"""Default settings work where context7.com's surface is all there is, and where every route is served.

Each test runs against the local server twice: ``profile="live"`` answers as
context7.com does today (no ``/v2/docs`` routes: an HTML 404), ``"full"``
serves Surface A too. The adapters, the examples and the demo run with their
default settings against both; only ``source="docs"`` needs the full server,
and on the live one it fails with an error that says to use the default.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from context7_kit.core.errors import UnsupportedEndpointError
from context7_kit.server.local import LocalServer
from tests.conftest import FIXTURE_DOCS, ROOT
from tests.docs_server import fixture_server

EXAMPLES = ROOT / "examples"
QUESTION = "How do I render a widget?"


@pytest.fixture(scope="module", params=["live", "full"])
def profile(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """(profile, base URL) of a local server over the fixture docs and the project's docs/."""
    with fixture_server(FIXTURE_DOCS, ROOT / "docs", profile=request.param) as base_url:
        yield request.param, base_url


@pytest.fixture
def base_url(profile: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> str:
    """The server's URL, also as CONTEXT7_API_URL, which the examples read."""
    monkeypatch.setenv("CONTEXT7_API_URL", profile[1])
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    return profile[1]


def _example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"profile_example_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_langchain_defaults(base_url: str) -> None:
    from context7_kit.integrations.langchain import Context7Retriever, Context7Toolkit

    with Context7Toolkit() as toolkit:
        resolve, docs = toolkit.get_tools()
        found = resolve.invoke({"library_name": "widgets", "query": QUESTION})
        args = {"library_id": "/acme/widgets", "query": QUESTION}
        message = docs.invoke({"type": "tool_call", "id": "1", "name": docs.name, "args": args})
    assert "/acme/widgets" in found
    assert message.status == "success" and message.artifact
    with Context7Retriever(library_id="/acme/widgets", k=4) as retriever:
        assert len(retriever.invoke(QUESTION)) == 4


async def test_llama_index_defaults(base_url: str) -> None:
    from context7_kit.integrations.llama_index import Context7Reader, Context7Retriever, Context7ToolSpec

    async with Context7Reader() as reader:
        documents = await reader.aload_data("/acme/widgets", QUESTION, queries=["How do I install it?"])
    assert documents
    async with Context7ToolSpec() as spec:
        tools = {t.metadata.name: t for t in spec.to_tool_list()}
        output = await tools["query_docs"].acall(library_id="/acme/widgets", query=QUESTION)
    assert output.raw_output
    with Context7Retriever("/acme/widgets", similarity_top_k=3) as retriever:
        assert len(retriever.retrieve(QUESTION)) == 3


def test_surface_a_sources_need_a_server_that_serves_them(profile: tuple[str, str], base_url: str) -> None:
    from context7_kit.integrations.langchain import Context7Retriever

    with Context7Retriever(library_id="/acme/widgets", source="docs", k=3) as retriever:
        if profile[0] == "full":
            assert len(retriever.invoke("rendering")) == 3
        else:
            with pytest.raises(UnsupportedEndpointError, match="get_context"):
                retriever.invoke("rendering")


def test_demo(profile: tuple[str, str], base_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _example("demo").main(["--library", "/context7-kit/docs"]) == 0

    out = capsys.readouterr().out
    assert "get_context('How do I cache responses?')" in out
    assert "Documents as the artifact" in out and "Context7Reader.load_data(" in out and "score 1.00" in out
    assert "(skipped" not in out
    served = "no /v2/docs routes" not in out
    assert served == (profile[0] == "full")


def test_langchain_examples(base_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _example("langchain_agent").main([]) == 0
    assert "Sources:\n- " in capsys.readouterr().out.split("\nAnswer:\n", 1)[1]
    assert _example("langchain_retriever_chain").main([]) == 0
    assert "Retrieved 4 snippets" in capsys.readouterr().out


def test_llama_index_examples(base_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert _example("llamaindex_agent").main([]) == 0
    assert "<- query_docs [ok]" in capsys.readouterr().out
    args = ["--library", "/context7-kit/docs", "--query", "caching", "--persist-dir", str(tmp_path)]
    assert _example("llamaindex_ingestion").main(args) == 0
    assert "Pass 2: loaded" in capsys.readouterr().out


@pytest.mark.parametrize("section", ["LangChain", "LlamaIndex"])
@pytest.mark.parametrize("server_profile", ["live", "full"])
def test_readme_adapter_snippets(section: str, server_profile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text()
    block = re.search(rf"### {section}\n\n```python\n(.*?)```", readme, re.DOTALL)
    assert block, f"README has a {section} code block"
    served = {"/vercel/next.js": FIXTURE_DOCS / "widgets"}
    with LocalServer(served, profile=server_profile) as server:  # type: ignore[arg-type]
        monkeypatch.setenv("CONTEXT7_API_URL", server.base_url)
        names: dict[str, object] = {}
        exec(block.group(1), names)  # the README's own code, run as a reader would

    if section == "LangChain":
        assert [t.name for t in names["tools"]] == ["resolve_library_id", "query_docs"]  # type: ignore[attr-defined]
        assert len(names["docs"]) == 5  # type: ignore[arg-type]
        assert names["tool"].name == "nextjs_docs"  # type: ignore[attr-defined]
    else:
        assert names["documents"] and names["nodes"]
        assert [t.metadata.name for t in names["tools"]] == ["resolve_library_id", "query_docs"]  # type: ignore[attr-defined]
