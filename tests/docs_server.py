"""The test suite's docs server: the fixture docs under fixed library IDs.

``fixture_server(*paths)`` serves folders with :class:`LocalServer` the way
the tests, the cassette recordings and the MCP compatibility check expect.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from context7_kit.server.app import Profile
from context7_kit.server.local import LocalServer
from context7_kit.server.parser import MARKDOWN_SUFFIXES
from context7_kit.server.ratelimit import RateLimit

FIXTURE_OWNER = "acme"
PROJECT_OWNER = "context7-kit"
FIXTURE_ALIASES = {"/acme/old-widgets": "/acme/widgets"}


def _has_markdown(folder: Path) -> bool:
    return any(p.suffix.lower() in MARKDOWN_SUFFIXES for p in folder.iterdir() if p.is_file())


def fixture_libraries(*paths: Path | str) -> dict[str, Path]:
    """How ``fixture_server`` names its libraries.

    A folder holding only sub-folders (like ``tests/fixtures/docs``) is a
    collection: each sub-folder ``<name>`` is served as ``/acme/<name>``.
    Any other folder (Markdown inside, empty or missing, like the project's
    ``docs/``) is served as ``/context7-kit/<folder name>``.
    """
    libraries: dict[str, Path] = {}
    for raw in paths:
        folder = Path(raw)
        subfolders = (
            sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) if folder.is_dir() else []
        )
        if subfolders and not _has_markdown(folder):
            for sub in subfolders:
                libraries[f"/{FIXTURE_OWNER}/{sub.name}"] = sub
        else:
            libraries[f"/{PROJECT_OWNER}/{folder.name}"] = folder
    return libraries


@contextmanager
def fixture_server(
    *paths: Path | str,
    api_keys: Sequence[str] = (),
    rate_limit: RateLimit | None = None,
    profile: Profile = "full",
) -> Iterator[str]:
    """Serve docs folders (see :func:`fixture_libraries`) and yield the base URL (``.../api``).

    ``/acme/old-widgets`` is an alias of ``/acme/widgets`` when that is served. ``profile="live"``
    answers like context7.com today, ``"onprem"`` like an on-premise server (see docs/server.md).
    """
    libraries = fixture_libraries(*paths)
    aliases = {old: new for old, new in FIXTURE_ALIASES.items() if new in libraries}
    with LocalServer(libraries, api_keys=api_keys, aliases=aliases, rate_limit=rate_limit, profile=profile) as server:
        yield server.base_url
