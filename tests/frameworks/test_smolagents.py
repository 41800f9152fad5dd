"""smolagents: the tools in a real ToolCallingAgent run, driven by a scripted smolagents Model."""

from __future__ import annotations

import pytest
from _agents import DOCS, RESOLVE
from smolagents import ToolCallingAgent
from smolagents.memory import ActionStep
from smolagents.utils import AgentToolExecutionError

from context7_kit.integrations.smolagents import context7_tools
from tests.frameworks.conftest import LIBRARY_NAME, QUESTION, check_example_output, load_example

example = load_example("smolagents_agent")


def test_agent_recovers_from_a_failed_call(base_url: str) -> None:
    tools = context7_tools(base_url=base_url)
    agent = ToolCallingAgent(tools=tools, model=example.ScriptedModel(LIBRARY_NAME, QUESTION), verbosity_level=0)
    answer = agent.run(QUESTION)
    tools[0].neutral.close()

    steps = [s for s in agent.memory.steps if isinstance(s, ActionStep)]
    assert [s.model_output_message.tool_calls[0].function.name for s in steps] == [DOCS, RESOLVE, DOCS, "final_answer"]
    # The failure is the step's error, smolagents' own channel, and says what to call next.
    assert isinstance(steps[0].error, AgentToolExecutionError)
    assert "resolve_library_id" in str(steps[0].error)
    assert [s.error for s in steps[1:]] == [None, None, None]
    assert str(answer).startswith("From the docs, these sections answer it:")
    documents = tools[1].last_result.documents
    assert documents and documents[0].metadata["library_id"] == "/acme/widgets"


def test_inputs_are_what_smolagents_accepts(base_url: str) -> None:
    resolve, docs = context7_tools(base_url=base_url)
    assert resolve.inputs["query"]["nullable"] is True
    assert "nullable" not in docs.inputs["library_id"]
    assert docs.inputs["query"]["type"] == "string"
    # The model sees the description unchanged (smolagents renders it into the tool's prompt).
    assert "resolve_library_id" in docs.description


def test_direct_call_and_failure(base_url: str) -> None:
    resolve, docs = context7_tools(base_url=base_url)
    assert "/acme/widgets" in resolve(library_name="widgets")
    with pytest.raises(Exception, match="resolve_library_id"):
        docs(library_id="/acme/nope", query="render")


def test_example_runs_offline(capsys: pytest.CaptureFixture[str]) -> None:
    assert example.main([]) == 0
    check_example_output(capsys.readouterr().out)
