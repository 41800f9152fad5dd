"""A local Context7-compatible docs server over Markdown folders and git tags.

Install with the ``server`` extra. ``create_app(build_index(sources))`` is the
ASGI app; ``LocalServer`` runs it in a background thread; ``context7-kit
serve`` and ``context7-kit index`` are the command line.
"""

from __future__ import annotations

from context7_kit.server.app import create_app
from context7_kit.server.index import DocsIndex, build_index
from context7_kit.server.parser import ParsedPage, estimate_tokens, parse_markdown
from context7_kit.server.ratelimit import RateLimit
from context7_kit.server.sources import LibrarySource
from context7_kit.server.testing import LocalServer, fixture_server

__all__ = [
    "DocsIndex",
    "LibrarySource",
    "LocalServer",
    "ParsedPage",
    "RateLimit",
    "build_index",
    "create_app",
    "estimate_tokens",
    "fixture_server",
    "parse_markdown",
]
