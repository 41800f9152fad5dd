"""What every framework adapter shares: the message for a framework that is not installed."""

from __future__ import annotations


def missing_extra(module: str, distribution: str, extra: str) -> ImportError:
    """The error for an adapter whose framework is not installed, naming the extra to install."""
    return ImportError(
        f"context7_kit.integrations.{module} needs {distribution}, which is not installed. "
        f'Install it with: pip install "context7-kit[{extra}]"'
    )
