"""DSPy: the tools in a real dspy.ReAct run, driven by a scripted DummyLM."""

from __future__ import annotations

from typing import Any

import dspy
import pytest
from _agents import DOCS, RESOLVE

from context7_kit.integrations.dspy import context7_tools
from tests.frameworks.conftest import LIBRARY_NAME, QUESTION, check_example_output, load_example

example = load_example("dspy_agent")
# The scripted LM overrides DummyLM.forward, which DSPy 3.4 still supports and warns about.
pytestmark = pytest.mark.filterwarnings("ignore:Implementing custom LMs:DeprecationWarning")


def _check_run(prediction: Any) -> None:
    trajectory = prediction.trajectory
    names = [trajectory[f"tool_name_{i}"] for i in range(4)]
    assert names == [DOCS, RESOLVE, DOCS, "finish"]
    # The failure is ReAct's "Execution error" observation, saying what to call next.
    assert trajectory["observation_0"].startswith(f"Execution error in {DOCS}")
    assert "resolve_library_id" in trajectory["observation_0"]
    assert "/acme/widgets" in trajectory["observation_1"]
    assert not str(trajectory["observation_2"]).startswith("Execution error")
    assert prediction.answer.startswith("From the docs, these sections answer it:")


def test_react_recovers_from_a_failed_call(base_url: str) -> None:
    tools = context7_tools(base_url=base_url)
    react = dspy.ReAct("question -> answer", tools=tools, max_iters=6)
    with dspy.context(lm=example.ScriptedLM(LIBRARY_NAME, QUESTION)):
        _check_run(react(question=QUESTION))
    tools[0].neutral.close()


async def test_react_recovers_from_a_failed_call_async(base_url: str) -> None:
    tools = context7_tools(base_url=base_url)
    react = dspy.ReAct("question -> answer", tools=tools, max_iters=6)
    with dspy.context(lm=example.ScriptedLM(LIBRARY_NAME, QUESTION)):
        _check_run(await react.acall(question=QUESTION))
    await tools[0].neutral.aclose()


async def test_direct_calls(base_url: str) -> None:
    resolve, docs = context7_tools(base_url=base_url)
    assert "/acme/widgets" in resolve(library_name="widgets")
    assert "/acme/widgets" in await docs.acall(library_id="/acme/widgets", query="render a widget")
    with pytest.raises(Exception, match="resolve_library_id"):
        await docs.acall(library_id="/acme/nope", query="render")
    await resolve.neutral.aclose()


def test_example_runs_offline(capsys: pytest.CaptureFixture[str]) -> None:
    assert example.main([]) == 0
    check_example_output(capsys.readouterr().out)
