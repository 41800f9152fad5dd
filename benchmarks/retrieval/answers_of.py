"""Answer the benchmark's questions with whatever ``context7_kit`` is on the path, as JSON (for old checkouts).

    PYTHONPATH=OLD/src python benchmarks/retrieval/answers_of.py DOCS_FOLDER < questions.json > answers.json

Uses only the API every version has: ``build_index``, ``context`` (its txt
body's order: code, then prose) and ``docs``.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

from context7_kit.server import LibrarySource, build_index

LIBRARY = "/bench/legacy"


def main() -> int:
    logging.basicConfig(level=logging.ERROR)
    questions = json.load(sys.stdin)
    index = build_index([LibrarySource(LIBRARY, Path(sys.argv[1]))])
    out = []
    for text in questions:
        started = time.perf_counter()
        code, info = index.context(LIBRARY, None, text)
        context_seconds = time.perf_counter() - started
        lists = {}
        docs_seconds = []
        for mode in ("code", "info"):
            started = time.perf_counter()
            lists[mode] = [s.to_wire() for s in index.docs(LIBRARY, None, mode, text, limit=10).snippets]
            docs_seconds.append(time.perf_counter() - started)
        out.append(
            {
                "context": [s.to_wire() for s in [*code, *info]],
                "context_seconds": context_seconds,
                **lists,
                "docs_seconds": docs_seconds,
            }
        )
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
