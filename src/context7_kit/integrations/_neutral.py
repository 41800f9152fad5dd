"""What every framework adapter shares: the failure it raises and the message for a missing extra.

The adapters translate :class:`~context7_kit.core.tools.NeutralTool` objects;
where a framework's error channel is an exception, they raise
:class:`Context7ToolError`, whose message is the text the model reads.
"""

from __future__ import annotations

from context7_kit.core.errors import Context7Error
from context7_kit.core.tools import ToolResult


class Context7ToolError(Context7Error):
    """A Context7 tool call failed; the message says what went wrong and which call to make next."""


def text_or_raise(result: ToolResult) -> str:
    """The model's text of a successful call; a failed one raises :class:`Context7ToolError`."""
    if result.is_error:
        raise Context7ToolError(result.text) from result.error
    return result.text


def missing_extra(module: str, distribution: str, extra: str) -> ImportError:
    """The error for an adapter whose framework is not installed, naming the extra to install."""
    return ImportError(
        f"context7_kit.integrations.{module} needs {distribution}, which is not installed. "
        f'Install it with: pip install "context7-kit[{extra}]"'
    )
