"""Haystack: the toolset in a real Agent run, driven by a scripted chat generator component."""

from __future__ import annotations

import pytest
from _agents import DOCS, RESOLVE
from haystack.components.agents import Agent
from haystack.dataclasses import ChatMessage

from context7_kit.integrations.haystack import Context7Toolset, context7_tools
from tests.frameworks.conftest import LIBRARY_NAME, QUESTION, check_example_output, load_example

example = load_example("haystack_agent")


def _check_run(result: dict[str, object]) -> None:
    results = [r for m in result["messages"] for r in m.tool_call_results]  # type: ignore[attr-defined]
    assert [(r.origin.tool_name, r.error) for r in results] == [(DOCS, True), (RESOLVE, False), (DOCS, False)]
    # The failure is an error tool result, Haystack's own channel, saying what to call next.
    assert "resolve_library_id" in results[0].result
    assert "/acme/widgets" in results[1].result
    assert result["last_message"].text.startswith("From the docs, these sections answer it:")  # type: ignore[attr-defined]


def test_agent_recovers_from_a_failed_call(base_url: str) -> None:
    toolset = Context7Toolset(base_url=base_url)
    agent = Agent(chat_generator=example.ScriptedChatGenerator(LIBRARY_NAME, QUESTION), tools=toolset)
    try:
        _check_run(agent.run(messages=[ChatMessage.from_user(QUESTION)]))
    finally:
        toolset.close()


async def test_agent_recovers_from_a_failed_call_async(base_url: str) -> None:
    toolset = Context7Toolset(base_url=base_url)
    agent = Agent(chat_generator=example.ScriptedChatGenerator(LIBRARY_NAME, QUESTION), tools=toolset)
    try:
        _check_run(await agent.run_async(messages=[ChatMessage.from_user(QUESTION)]))
    finally:
        await toolset.aclose()


def test_tools_carry_the_neutral_schema(base_url: str) -> None:
    resolve, docs = context7_tools(base_url=base_url)
    assert (resolve.name, docs.name) == (RESOLVE, DOCS)
    assert docs.parameters["required"] == ["library_id", "query"]
    assert "/acme/widgets" in resolve.invoke(library_name="widgets")


def test_example_runs_offline(capsys: pytest.CaptureFixture[str]) -> None:
    assert example.main([]) == 0
    check_example_output(capsys.readouterr().out)
