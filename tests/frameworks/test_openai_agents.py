"""OpenAI Agents SDK: FunctionTools in a real Runner run, driven by a scripted Model.

Runs in its own environment (scripts/test-envs openai-agents): openai-agents pins
websockets below what the main test environment has.
"""

from __future__ import annotations

from typing import Any

import pytest
from _agents import DOCS, RESOLVE
from agents import Agent, Runner, set_trace_processors, set_tracing_disabled
from agents.tracing import TracingProcessor

from context7_kit.integrations.openai_agents import FAILURE_PREFIX, context7_tools
from tests.frameworks.conftest import LIBRARY_NAME, QUESTION, SECRET, check_example_output, load_example

example = load_example("openai_agents_agent")


class SpanCollector(TracingProcessor):
    """Keeps every finished span, in place of the exporter (which would reach the network)."""

    def __init__(self) -> None:
        self.spans: list[Any] = []

    def on_trace_start(self, trace: Any) -> None: ...
    def on_trace_end(self, trace: Any) -> None: ...
    def on_span_start(self, span: Any) -> None: ...
    def on_span_end(self, span: Any) -> None:
        self.spans.append(span)

    def shutdown(self) -> None: ...
    def force_flush(self) -> None: ...


async def test_agent_recovers_from_a_failed_call(base_url: str) -> None:
    collector = SpanCollector()
    set_tracing_disabled(False)
    set_trace_processors([collector])
    agent = Agent(
        name="docs", tools=context7_tools(base_url=base_url), model=example.ScriptedModel(LIBRARY_NAME, QUESTION)
    )
    result = await Runner.run(agent, QUESTION)

    outputs = [str(item.output) for item in result.new_items if item.type == "tool_call_output_item"]
    calls = [item.raw_item.name for item in result.new_items if item.type == "tool_call_item"]
    assert calls == [DOCS, RESOLVE, DOCS]
    assert outputs[0].startswith(FAILURE_PREFIX) and "resolve_library_id" in outputs[0]
    assert not outputs[1].startswith(FAILURE_PREFIX) and "/acme/widgets" in outputs[1]
    assert str(result.final_output).startswith("From the docs, these sections answer it:")
    # The trace marks the failed call's span, the SDK's own record of a handled tool failure.
    function_spans = [s for s in collector.spans if s.span_data.type == "function"]
    assert [(s.span_data.name, s.error is not None) for s in function_spans] == [
        (DOCS, True),
        (RESOLVE, False),
        (DOCS, False),
    ]
    assert "resolve_library_id" in function_spans[0].error["data"]["error"]


async def test_bad_arguments_json_is_a_failure_not_a_crash(base_url: str) -> None:
    resolve, _ = context7_tools(base_url=base_url)
    text = await resolve.on_invoke_tool(None, "not json")  # type: ignore[arg-type]
    assert text.startswith(FAILURE_PREFIX)


async def test_failure_text_and_span_hide_the_key(keyed_url: str) -> None:
    collector = SpanCollector()
    set_tracing_disabled(False)
    set_trace_processors([collector])
    tools = context7_tools(api_key=SECRET, base_url=keyed_url)
    agent = Agent(name="docs", tools=tools, model=example.ScriptedModel(LIBRARY_NAME, QUESTION))
    result = await Runner.run(agent, QUESTION)
    outputs = [str(item.output) for item in result.new_items if item.type == "tool_call_output_item"]
    assert outputs and all(o.startswith(FAILURE_PREFIX) and SECRET not in o for o in outputs)
    errors = [s.error for s in collector.spans if s.span_data.type == "function"]
    assert errors and all(e is not None and SECRET not in str(e) for e in errors)


def test_schema_is_the_neutral_one(base_url: str) -> None:
    resolve, docs = context7_tools(base_url=base_url)
    assert docs.params_json_schema["required"] == ["library_id", "query"]
    assert resolve.params_json_schema["properties"]["query"] == {
        "type": "string",
        "description": resolve.params_json_schema["properties"]["query"]["description"],
    }
    assert resolve.strict_json_schema is False


def test_example_runs_offline(capsys: pytest.CaptureFixture[str]) -> None:
    assert example.main([]) == 0
    check_example_output(capsys.readouterr().out)
