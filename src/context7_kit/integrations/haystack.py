"""Haystack: the Context7 tools as Haystack ``Tool`` objects, or together as a ``Toolset``.

Install with ``pip install "context7-kit[haystack]"``::

    from haystack.components.agents import Agent
    from haystack.components.generators.chat import OpenAIChatGenerator
    from context7_kit.integrations.haystack import Context7Toolset

    agent = Agent(chat_generator=OpenAIChatGenerator(), tools=Context7Toolset())

A failed call raises :class:`~context7_kit.core.tools.Context7ToolError`;
Haystack's ``ToolInvoker`` turns it into a tool result with ``error=True``
whose text says what went wrong and which call to make next, and the run goes
on. Both sync (``function``) and async (``async_function``) paths are real.
"""

from __future__ import annotations

from typing import Any

try:
    from haystack.tools.tool import Tool
    from haystack.tools.toolset import Toolset
except ImportError as exc:  # pragma: no cover - the extra is installed wherever this runs
    from context7_kit.integrations._neutral import missing_extra

    raise missing_extra("haystack", "haystack-ai", "haystack") from exc

from context7_kit.core.pair import ClientPair
from context7_kit.core.tools import NeutralTool, text_or_raise
from context7_kit.core.tools import context7_tools as neutral_tools


def to_haystack_tool(tool: NeutralTool) -> Tool:
    """One neutral tool as a Haystack ``Tool`` with the neutral tool's JSON Schema."""

    def call(**arguments: Any) -> str:
        return text_or_raise(tool.call(**arguments))

    async def acall(**arguments: Any) -> str:
        return text_or_raise(await tool.acall(**arguments))

    return Tool(
        name=tool.name,
        description=tool.description,
        parameters=tool.parameters,
        function=call,
        async_function=acall,
    )


def context7_tools(clients: ClientPair | None = None, **options: Any) -> list[Tool]:
    """``resolve_library_id`` and ``query_docs`` as Haystack tools sharing one client pair.

    Takes what :func:`~context7_kit.core.tools.context7_tools` takes.
    """
    return [to_haystack_tool(tool) for tool in neutral_tools(clients, **options)]


class Context7Toolset(Toolset):
    """Both Context7 tools as one Haystack ``Toolset``; ``close()`` / ``aclose()`` close the clients it built."""

    def __init__(self, clients: ClientPair | None = None, **options: Any) -> None:
        self.neutral_tools = neutral_tools(clients, **options)
        super().__init__([to_haystack_tool(tool) for tool in self.neutral_tools])

    def close(self) -> None:
        """Close the sync client the toolset built (given clients stay open)."""
        self.neutral_tools[0].close()

    async def aclose(self) -> None:
        """Close the clients the toolset built (given clients stay open)."""
        await self.neutral_tools[0].aclose()
