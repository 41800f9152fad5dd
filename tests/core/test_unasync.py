"""The sync client is generated from the async one, so the two never drift.

``scripts/unasync.py`` derives ``client.py`` and ``_sync_storage.py`` from
their async sources; the only behaviour the clients do not share lives in
``_async_io`` / ``_sync_io``, which must offer the same primitives.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

from context7_kit.core import _async_io, _sync_io

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_sync_files_are_what_the_async_sources_generate() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "unasync.py"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_generated_files_say_so_in_their_first_line() -> None:
    for name, source in (("client.py", "async_client.py"), ("_sync_storage.py", "_async_storage.py")):
        first = (ROOT / "src" / "context7_kit" / "core" / name).read_text().splitlines()[0]
        assert first.startswith(f"# Generated from {source} by scripts/unasync.py")


def public_functions(module: object) -> dict[str, list[str]]:
    return {
        name: list(inspect.signature(value).parameters)
        for name, value in vars(module).items()
        if inspect.isfunction(value) and not name.startswith("_") and value.__module__ == module.__name__  # type: ignore[attr-defined]
    }


def test_the_io_modules_offer_the_same_primitives() -> None:
    assert public_functions(_async_io) == public_functions(_sync_io)
    assert set(public_functions(_sync_io)) == {"sleep_function", "connection_slots", "time_limit"}
