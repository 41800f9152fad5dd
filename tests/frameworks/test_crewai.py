"""CrewAI: the tools in a real Agent.kickoff run, driven by a scripted BaseLLM.

Runs in its own environment (scripts/test-envs crewai): crewai pins pydantic and
httpx below what the main test environment has.
"""

from __future__ import annotations

import pytest
from _agents import DOCS, RESOLVE
from crewai import Agent
from crewai.tools import ToolFailure

from context7_kit.integrations.crewai import context7_tools
from tests.frameworks.conftest import LIBRARY_NAME, QUESTION, SECRET, check_example_output, load_example

example = load_example("crewai_agent")


def _agent(base_url: str) -> tuple[Agent, object]:
    llm = example.ScriptedLLM(model="scripted", library_name=LIBRARY_NAME, question=QUESTION)
    agent = Agent(
        role="Documentation researcher",
        goal="Answer from the docs",
        backstory="Uses Context7.",
        tools=context7_tools(base_url=base_url),
        llm=llm,
        verbose=False,
    )
    return agent, llm


def _check_run(output: object, llm: object) -> None:
    assert llm.actions == [DOCS, RESOLVE, DOCS]  # type: ignore[attr-defined]
    # The failure is a CrewAI ToolFailure: recorded on the output, shown to the model, and the run goes on.
    failures = output.tool_failures  # type: ignore[attr-defined]
    assert [f.tool_name for f in failures] == [DOCS]
    assert "resolve_library_id" in failures[0].message
    assert failures[0].failure.code == "library_not_found"
    assert output.raw.startswith("From the docs, these sections answer it:")  # type: ignore[attr-defined]


def test_agent_recovers_from_a_failed_call(base_url: str) -> None:
    agent, llm = _agent(base_url)
    _check_run(agent.kickoff(QUESTION), llm)


async def test_agent_recovers_from_a_failed_call_async(base_url: str) -> None:
    agent, llm = _agent(base_url)
    _check_run(await agent.kickoff_async(QUESTION), llm)


async def test_tools_run_sync_and_async(base_url: str) -> None:
    resolve, docs = context7_tools(base_url=base_url)
    assert "/acme/widgets" in resolve.run(library_name="widgets")
    assert "/acme/widgets" in await docs.arun(library_id="/acme/widgets", query="render a widget")
    failure = docs.run(library_id="/acme/nope", query="render")
    assert isinstance(failure, ToolFailure) and not failure.retryable
    # Optional arguments stay plain strings in the schema the model sees.
    assert resolve.args_schema.model_json_schema()["properties"]["query"]["type"] == "string"


def test_failure_hides_the_key(keyed_url: str) -> None:
    _, docs = context7_tools(api_key=SECRET, base_url=keyed_url)
    failure = docs.run(library_id="/acme/widgets", query="render")
    assert isinstance(failure, ToolFailure)
    assert SECRET not in failure.as_agent_message() and SECRET not in repr(failure) and SECRET not in repr(docs)


def test_example_runs_offline(capsys: pytest.CaptureFixture[str]) -> None:
    assert example.main([]) == 0
    check_example_output(capsys.readouterr().out)
