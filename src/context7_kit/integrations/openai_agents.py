"""The OpenAI Agents SDK: the Context7 tools as ``FunctionTool`` objects.

Install with ``pip install "context7-kit[openai-agents]"``::

    from agents import Agent, Runner
    from context7_kit.integrations.openai_agents import context7_tools

    agent = Agent(name="docs", instructions="...", tools=context7_tools())
    result = await Runner.run(agent, "How do I add middleware in Next.js?")

A failed call is reported the way the SDK reports a tool failure it handles:
the tool's span in the trace gets a :class:`~agents.tracing.SpanError`, and
the model reads "An error occurred while running the tool." followed by what
went wrong and which call to make next, so the run goes on. The parameters
are the neutral JSON Schema, not strict (optional arguments stay optional).
"""

from __future__ import annotations

import json
from typing import Any

try:
    from agents import FunctionTool
    from agents.tool_context import ToolContext
    from agents.tracing import SpanError, get_current_span
except ImportError as exc:  # pragma: no cover - the extra is installed wherever this runs
    from context7_kit.integrations._neutral import missing_extra

    raise missing_extra("openai_agents", "openai-agents", "openai-agents") from exc

from context7_kit.core.pair import ClientPair
from context7_kit.core.tools import NeutralTool
from context7_kit.core.tools import context7_tools as neutral_tools

FAILURE_PREFIX = "An error occurred while running the tool."
"""How the SDK's own tool-failure message begins; the failure's text follows it."""


def _failure(tool_name: str, text: str) -> str:
    span = get_current_span()
    if span is not None:
        span.set_error(
            SpanError(message="Error running tool (non-fatal)", data={"tool_name": tool_name, "error": text})
        )
    return f"{FAILURE_PREFIX} {text}"


def to_function_tool(tool: NeutralTool) -> FunctionTool:
    """One neutral tool as a ``FunctionTool`` with the neutral tool's JSON Schema."""

    async def invoke(context: ToolContext[Any], arguments_json: str) -> str:
        try:
            arguments = json.loads(arguments_json or "{}")
        except json.JSONDecodeError:
            arguments = None
        if not isinstance(arguments, dict):
            return _failure(tool.name, "The arguments were not a JSON object: send them as one and call again.")
        result = await tool.acall(**arguments)
        return _failure(tool.name, result.text) if result.is_error else result.text

    return FunctionTool(
        name=tool.name,
        description=tool.description,
        params_json_schema=tool.parameters,
        on_invoke_tool=invoke,
        strict_json_schema=False,
    )


def context7_tools(clients: ClientPair | None = None, **options: Any) -> list[FunctionTool]:
    """``resolve_library_id`` and ``query_docs`` as ``FunctionTool`` objects sharing one client pair.

    Takes what :func:`~context7_kit.core.tools.context7_tools` takes; pass
    ``clients`` (a :class:`~context7_kit.core.pair.ClientPair`) to close them yourself.
    """
    return [to_function_tool(tool) for tool in neutral_tools(clients, **options)]
