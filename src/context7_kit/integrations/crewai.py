"""CrewAI: the Context7 tools as CrewAI ``BaseTool`` objects.

Install with ``pip install "context7-kit[crewai]"``::

    from crewai import Agent
    from context7_kit.integrations.crewai import context7_tools

    researcher = Agent(role="Docs researcher", goal="...", backstory="...", tools=context7_tools())

A failed call returns CrewAI's :class:`~crewai.tools.ToolFailure`: the agent
reads what went wrong and which call to make next, CrewAI records the
failure (``TaskOutput.tool_failures``, the event bus) under the agent's
``tool_failure_policy``, and the run goes on.
"""

from __future__ import annotations

from typing import Any

try:
    from crewai.tools import BaseTool, ToolFailure
except ImportError as exc:  # pragma: no cover - the extra is installed wherever this runs
    from context7_kit.integrations._neutral import missing_extra

    raise missing_extra("crewai", "crewai", "crewai") from exc

from pydantic import PrivateAttr

from context7_kit.core.errors import APIStatusError, TransportError
from context7_kit.core.pair import ClientPair
from context7_kit.core.retry import RETRYABLE_STATUSES
from context7_kit.core.tools import NeutralTool, ToolResult, params_model
from context7_kit.core.tools import context7_tools as neutral_tools


def _outcome(result: ToolResult) -> str | ToolFailure:
    if not result.is_error:
        return result.text
    error = result.error
    return ToolFailure(
        message=result.text,
        code=error.error_code if isinstance(error, APIStatusError) else None,
        retryable=isinstance(error, TransportError) or getattr(error, "status_code", 0) in RETRYABLE_STATUSES,
    )


class Context7CrewAITool(BaseTool):  # type: ignore[misc]
    """One neutral Context7 tool as a CrewAI tool, sync (``_run``) and async (``_arun``)."""

    _neutral: NeutralTool = PrivateAttr()

    def __init__(self, tool: NeutralTool) -> None:
        schema = params_model(f"{tool.name.title().replace('_', '')}Input", tool.params, f"Arguments of {tool.name}.")
        super().__init__(name=tool.name, description=tool.description, args_schema=schema)
        self._neutral = tool

    @property
    def neutral(self) -> NeutralTool:
        """The neutral tool this one calls (``neutral.close()`` closes the clients it built)."""
        return self._neutral

    def _run(self, **arguments: Any) -> str | ToolFailure:
        return _outcome(self._neutral.call(**arguments))

    async def _arun(self, **arguments: Any) -> str | ToolFailure:
        return _outcome(await self._neutral.acall(**arguments))


def context7_tools(clients: ClientPair | None = None, **options: Any) -> list[Context7CrewAITool]:
    """``resolve_library_id`` and ``query_docs`` as CrewAI tools sharing one client pair.

    Takes what :func:`~context7_kit.core.tools.context7_tools` takes.
    """
    return [Context7CrewAITool(tool) for tool in neutral_tools(clients, **options)]
