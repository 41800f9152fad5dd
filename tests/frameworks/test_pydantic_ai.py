"""pydantic-ai: the toolset in a real Agent run, driven by pydantic-ai's FunctionModel."""

from __future__ import annotations

import pytest
from _agents import DOCS, RESOLVE
from pydantic_ai import Agent
from pydantic_ai.messages import ToolReturnPart

from context7_kit.core.documents import SnippetDocument
from context7_kit.integrations.pydantic_ai import Context7Toolset
from tests.frameworks.conftest import LIBRARY_NAME, QUESTION, check_example_output, load_example

example = load_example("pydantic_ai_agent")


def _returns(result: object) -> list[ToolReturnPart]:
    return [p for m in result.all_messages() for p in m.parts if isinstance(p, ToolReturnPart)]  # type: ignore[attr-defined]


def _check_run(result: object) -> None:
    returns = _returns(result)
    assert [(p.tool_name, p.outcome) for p in returns] == [(DOCS, "failed"), (RESOLVE, "success"), (DOCS, "success")]
    # The failure reached the model as a failed tool result saying what to do next.
    assert "resolve_library_id" in returns[0].model_response_str()
    # The snippets are the program's, beside the text the model read.
    documents = returns[2].metadata["documents"]
    assert documents and all(isinstance(d, SnippetDocument) for d in documents)
    assert documents[0].metadata["library_id"] == "/acme/widgets"
    assert returns[1].metadata["libraries"][0].id == "/acme/widgets"
    assert result.output.startswith("From the docs, these sections answer it:")  # type: ignore[attr-defined]


async def test_agent_recovers_from_a_failed_call_async(base_url: str) -> None:
    toolset = Context7Toolset(base_url=base_url)
    agent = Agent(example.scripted_model(LIBRARY_NAME, QUESTION), toolsets=[toolset])
    try:
        result = await agent.run(QUESTION)
    finally:
        await toolset.aclose()
    _check_run(result)


def test_agent_recovers_from_a_failed_call_sync(base_url: str) -> None:
    toolset = Context7Toolset(base_url=base_url)
    agent = Agent(example.scripted_model(LIBRARY_NAME, QUESTION), toolsets=[toolset])
    _check_run(agent.run_sync(QUESTION))


def test_tools_offer_the_neutral_schema(base_url: str) -> None:
    toolset = Context7Toolset(base_url=base_url)
    schemas = {name: tool.tool_def.parameters_json_schema for name, tool in toolset.tools.items()}  # type: ignore[attr-defined]
    assert set(schemas) == {RESOLVE, DOCS}
    assert schemas[DOCS]["required"] == ["library_id", "query"]
    assert schemas[RESOLVE]["properties"]["query"]["type"] == "string"  # no anyOf with null


def test_example_runs_offline(capsys: pytest.CaptureFixture[str]) -> None:
    assert example.main([]) == 0
    check_example_output(capsys.readouterr().out)
