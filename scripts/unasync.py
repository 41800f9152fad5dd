#!/usr/bin/env python3
"""Generate the sync client code from the async code, as httpcore does (its scripts/unasync.py).

The async files are the source; each sync file is the async one with the
substitutions below, then formatted with ruff. The sync and async clients
therefore never drift: the only behaviour they do not share is in
``_async_io.py`` / ``_sync_io.py``, a few lines each.

    python scripts/unasync.py           # rewrite the sync files
    python scripts/unasync.py --check   # exit 1 if a sync file is not what the async one gives

tests/core/test_unasync.py runs the check, so a hand edit of a generated file fails the suite.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "src" / "context7_kit" / "core"

FILES = {
    CORE / "async_client.py": CORE / "client.py",
    CORE / "_async_storage.py": CORE / "_sync_storage.py",
}

# Applied in order: (regular expression, replacement).
SUBSTITUTIONS = [
    (r"\basync (def|with|for)\b", r"\1"),
    (r"\bawait ", ""),
    *(
        (rf"\b{name}\b", replacement)
        for name, replacement in {
            "AsyncContext7Client": "Context7Client",
            "AsyncCredentialFreeStorage": "CredentialFreeStorage",
            "_AsyncThroughClient": "_ThroughClient",
            "AsyncBaseTransport": "BaseTransport",
            "AsyncCacheTransport": "CacheTransport",
            "handle_async_request": "handle_request",
            "AsyncBaseStorage": "BaseStorage",
            "AsyncClient": "Client",
            "AsyncIterator": "Iterator",
            "AsyncRetrying": "Retrying",
            "__aenter__": "__enter__",
            "__aexit__": "__exit__",
            "aclose": "close",
            "aiter_raw": "iter_raw",
            "async_storage": "sync_storage",
            "async_cache_client": "sync_cache_client",
            "_async_io": "_sync_io",
            "_async_storage": "_sync_storage",
            "Asynchronous": "Synchronous",
            "asynchronous": "synchronous",
        }.items()
    ),
]
# The source's note on how the generated file is made, left out of the generated file.
SOURCE_NOTE = re.compile(
    r"\n\n``[\w.]+`` is generated from this file by ``scripts/unasync.py``:\s+edit this one, then run the script\."
)


def header(source: Path) -> str:
    """The first line of a generated file."""
    return f"# Generated from {source.name} by scripts/unasync.py: edit that file, then run the script.\n"


def unasync(text: str) -> str:
    """``text`` with every substitution applied."""
    for pattern, replacement in SUBSTITUTIONS:
        text = re.sub(pattern, replacement, text)
    return text


def ruff(*args: str, code: str, target: Path) -> str:
    """``code`` passed through ruff (as if it were ``target``), which prints the result."""
    done = subprocess.run(  # noqa: S603  (a fixed command on the project's own files)
        [sys.executable, "-m", "ruff", *args, "--stdin-filename", str(target), "-"],
        input=code,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if not done.stdout:
        raise SystemExit(f"ruff failed on the code generated for {target}: {done.stderr}")
    return done.stdout


def generate(source: Path) -> str:
    """The sync file ``source`` gives: substituted, its imports sorted, simplified (``yield from``), formatted."""
    target = FILES[source]
    code = header(source) + unasync(SOURCE_NOTE.sub("", source.read_text(encoding="utf-8"), count=1))
    code = ruff("check", "--fix", "--unsafe-fixes", "--quiet", "--select", "I,UP028", code=code, target=target)
    return ruff("format", code=code, target=target)


def main(argv: list[str]) -> int:
    """Write (or with ``--check``, compare) every generated file."""
    check = "--check" in argv
    stale = []
    for source, target in FILES.items():
        code = generate(source)
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if code == current:
            continue
        stale.append(target.relative_to(ROOT))
        if not check:
            target.write_text(code, encoding="utf-8")
    if check and stale:
        names = ", ".join(map(str, stale))
        print(f"{names}: not generated from the async source; run `python scripts/unasync.py`.", file=sys.stderr)
        return 1
    for name in [] if check else stale:
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
