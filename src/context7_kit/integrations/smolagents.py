"""smolagents: the Context7 tools as smolagents ``Tool`` objects.

Install with ``pip install "context7-kit[smolagents]"``::

    from smolagents import InferenceClientModel, ToolCallingAgent
    from context7_kit.integrations.smolagents import context7_tools

    agent = ToolCallingAgent(tools=context7_tools(), model=InferenceClientModel())

A failed call raises :class:`~context7_kit.core.tools.Context7ToolError`;
the agent records it as the step's error, the model reads it (what went
wrong, which call to make next) on its next step, and the run goes on.
Optional arguments are ``nullable`` inputs, as smolagents declares them.
"""

from __future__ import annotations

from typing import Any

try:
    from smolagents import Tool
except ImportError as exc:  # pragma: no cover - the extra is installed wherever this runs
    from context7_kit.integrations._neutral import missing_extra

    raise missing_extra("smolagents", "smolagents", "smolagents") from exc

from context7_kit.core.pair import ClientPair
from context7_kit.core.tools import NeutralTool, ToolResult, text_or_raise
from context7_kit.core.tools import context7_tools as neutral_tools


class Context7SmolTool(Tool):  # type: ignore[misc]
    """One neutral Context7 tool as a smolagents ``Tool``; ``last_result`` keeps the snippets of the last call."""

    output_type = "string"
    # forward takes **arguments: the inputs below say what the model may pass.
    skip_forward_signature_validation = True

    def __init__(self, tool: NeutralTool) -> None:
        self.name = tool.name
        self.description = tool.description
        self.inputs = {
            param.name: {"type": param.kind, "description": param.description}
            | ({} if param.required else {"nullable": True})
            for param in tool.params
        }
        self.neutral = tool
        self.last_result: ToolResult | None = None
        super().__init__()

    def forward(self, **arguments: Any) -> str:
        """Call the tool; a failure raises, for the agent to show the model."""
        self.last_result = self.neutral.call(**arguments)
        return text_or_raise(self.last_result)


def context7_tools(clients: ClientPair | None = None, **options: Any) -> list[Context7SmolTool]:
    """``resolve_library_id`` and ``query_docs`` as smolagents tools sharing one client pair.

    Takes what :func:`~context7_kit.core.tools.context7_tools` takes; close
    them with ``tools[0].neutral.close()``, or pass ``clients`` you close.
    """
    return [Context7SmolTool(tool) for tool in neutral_tools(clients, **options)]
