"""Run every benchmark, one after another, each in its own process, and print its figures.

    .venv/bin/python benchmarks/run_all.py [--quick] [--mcp-python "$(./scripts/bench-mcp-env)"]

The MCP comparison needs langchain-mcp-adapters, which needs mcp<2: it runs
with --mcp-python, the interpreter of the venv scripts/bench-mcp-env makes
(``make bench`` does this), and is skipped without it unless this interpreter
can import langchain_mcp_adapters. Results go into
docs/benchmarks.md by hand, with the machine line printed first.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

from _common import machine

HERE = Path(__file__).resolve().parent

# (script, default arguments, --quick arguments)
BENCHMARKS = [
    ("client_overhead.py", [], ["--pairs", "300"]),
    ("async_fanout.py", [], ["--rounds", "5"]),
    ("cache.py", [], ["--topics", "50", "--restarts", "2"]),
    ("import_cost.py", [], ["--runs", "8"]),
    ("mcp_vs_tool.py", [], ["--calls", "10", "--spawn-calls", "2"]),
    ("server_query.py", [], ["--sizes", "1000,10000", "--repeat", "5", "--pages", "100"]),
    ("backends.py", [], ["--snippets", "1000", "--repeat", "3"]),
    ("retrieval/run.py", ["--steps"], ["--quick"]),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions: a smoke run, not figures to quote")
    parser.add_argument("--mcp-python", help="interpreter with langchain-mcp-adapters for mcp_vs_tool.py")
    parser.add_argument("--only", nargs="*", help="run only these scripts (e.g. cache.py)")
    args = parser.parse_args()
    print(f"# {machine()}", flush=True)
    failed = []
    for script, default, quick in BENCHMARKS:
        if args.only and script not in args.only:
            continue
        python = sys.executable
        if script == "mcp_vs_tool.py":
            if args.mcp_python:
                python = args.mcp_python
            elif importlib.util.find_spec("langchain_mcp_adapters") is None:
                print(f"\n== {script}: skipped (no langchain-mcp-adapters; see scripts/bench-mcp-env)", flush=True)
                continue
        print(f"\n== {script}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([python, str(HERE / script), *(quick if args.quick else default)], check=False)
        print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)
        if result.returncode != 0:
            failed.append(script)
    if failed:
        print(f"\nFailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
