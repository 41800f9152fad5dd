"""DSPy: the Context7 tools as ``dspy.Tool`` objects, for ``dspy.ReAct`` or any tool-using program.

Install with ``pip install "context7-kit[dspy]"``::

    import dspy
    from context7_kit.integrations.dspy import context7_tools

    react = dspy.ReAct("question -> answer", tools=context7_tools())

A failed call raises :class:`~context7_kit.core.tools.Context7ToolError`;
``ReAct`` records it as the step's observation ("Execution error in
query_docs: ..."), saying what went wrong and which call to make next, and the
run goes on. ``acall`` uses the async client, not a thread.
"""

from __future__ import annotations

from typing import Any

try:
    import dspy
except ImportError as exc:  # pragma: no cover - the extra is installed wherever this runs
    from context7_kit.integrations._neutral import missing_extra

    raise missing_extra("dspy", "dspy", "dspy") from exc

from pydantic import PrivateAttr

from context7_kit.core.pair import ClientPair
from context7_kit.core.tools import NeutralTool, text_or_raise
from context7_kit.core.tools import context7_tools as neutral_tools


class Context7DSPyTool(dspy.Tool):  # type: ignore[misc]
    """One neutral Context7 tool as a ``dspy.Tool`` with the neutral tool's argument schemas."""

    _neutral: NeutralTool = PrivateAttr()

    def __init__(self, tool: NeutralTool) -> None:
        def call(**arguments: Any) -> str:
            return text_or_raise(tool.call(**arguments))

        super().__init__(
            call,
            name=tool.name,
            desc=tool.description,
            args=dict(tool.parameters["properties"]),
            arg_types={param.name: int if param.kind == "integer" else str for param in tool.params},
            arg_desc={param.name: param.description for param in tool.params},
        )
        self._neutral = tool

    @property
    def neutral(self) -> NeutralTool:
        """The neutral tool this one calls (``neutral.close()`` closes the clients it built)."""
        return self._neutral

    async def acall(self, **kwargs: Any) -> str:
        """Call the tool with the async client; a failure raises, for the program to show the model."""
        return text_or_raise(await self._neutral.acall(**self._validate_and_parse_args(**kwargs)))


def context7_tools(clients: ClientPair | None = None, **options: Any) -> list[Context7DSPyTool]:
    """``resolve_library_id`` and ``query_docs`` as DSPy tools sharing one client pair.

    Takes what :func:`~context7_kit.core.tools.context7_tools` takes.
    """
    return [Context7DSPyTool(tool) for tool in neutral_tools(clients, **options)]
