"""A local Context7-compatible docs server over Markdown folders and git tags.

Install with the ``server`` extra. ``create_app(build_index(sources))`` is the
ASGI app; ``LocalServer`` runs it in a background thread; ``context7-kit
serve`` and ``context7-kit index`` are the command line.
"""

from __future__ import annotations

try:
    import markdown_it  # noqa: F401
    import starlette  # noqa: F401
    import uvicorn  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        f'The docs server needs the "server" extra ({exc.name} is missing): pip install "context7-kit[server]"'
    ) from exc

from context7_kit.server.app import create_app
from context7_kit.server.index import DocsIndex, build_index
from context7_kit.server.local import LocalServer
from context7_kit.server.parser import ParsedPage, estimate_tokens, parse_markdown
from context7_kit.server.ratelimit import RateLimit
from context7_kit.server.sources import LibrarySource

__all__ = [
    "DocsIndex",
    "LibrarySource",
    "LocalServer",
    "ParsedPage",
    "RateLimit",
    "build_index",
    "create_app",
    "estimate_tokens",
    "parse_markdown",
]
