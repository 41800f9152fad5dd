"""pydantic-ai: the Context7 tools as a toolset for an ``Agent``.

Install with ``pip install "context7-kit[pydantic-ai]"``::

    from pydantic_ai import Agent
    from context7_kit.integrations.pydantic_ai import Context7Toolset

    agent = Agent("openai:gpt-4o", toolsets=[Context7Toolset()])

A failed call raises pydantic-ai's :class:`~pydantic_ai.exceptions.ToolFailed`:
the model reads a failed tool result (what went wrong, what to call next)
and the run goes on. A successful call returns a
:class:`~pydantic_ai.messages.ToolReturn`: the text for the model, and the
snippets (``documents``) or libraries (``libraries``) as its ``metadata``, for
the program only.
"""

from __future__ import annotations

from typing import Any

try:
    from pydantic_ai import FunctionToolset, Tool, ToolReturn
    from pydantic_ai.exceptions import ToolFailed
except ImportError as exc:  # pragma: no cover - the extra is installed wherever this runs
    from context7_kit.integrations._neutral import missing_extra

    raise missing_extra("pydantic_ai", "pydantic-ai-slim", "pydantic-ai") from exc

from context7_kit.core.pair import ClientPair
from context7_kit.core.tools import NeutralTool, context7_tools


def to_pydantic_ai_tool(tool: NeutralTool) -> Tool[Any]:
    """One neutral tool as a pydantic-ai ``Tool`` with the neutral tool's JSON Schema."""

    async def call(**arguments: Any) -> ToolReturn:
        result = await tool.acall(**arguments)
        if result.is_error:
            raise ToolFailed(result.text)
        return ToolReturn(
            return_value=result.text,
            metadata={"documents": list(result.documents), "libraries": list(result.libraries)},
        )

    built: Tool[Any] = Tool.from_schema(call, name=tool.name, description=tool.description, json_schema=tool.parameters)
    return built


class Context7Toolset(FunctionToolset[Any]):
    """``resolve_library_id`` and ``query_docs`` as a pydantic-ai toolset.

    Takes what :func:`~context7_kit.core.tools.context7_tools` takes: ``clients``
    (a :class:`~context7_kit.core.pair.ClientPair`), or client options such as
    ``api_key`` and ``base_url``, and ``max_tokens`` / ``max_results``.
    ``close()`` / ``aclose()`` close the clients it built.
    """

    def __init__(self, clients: ClientPair | None = None, **options: Any) -> None:
        self.neutral_tools = context7_tools(clients, **options)
        super().__init__([to_pydantic_ai_tool(tool) for tool in self.neutral_tools])

    def close(self) -> None:
        """Close the sync client the toolset built (given clients stay open)."""
        self.neutral_tools[0].close()

    async def aclose(self) -> None:
        """Close the clients the toolset built (given clients stay open)."""
        await self.neutral_tools[0].aclose()
