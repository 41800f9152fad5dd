"""Benchmark 4: the cost of `import context7_kit` next to `import httpx`.

Each import runs in a fresh interpreter (alternating, many times) and is timed
inside it, so interpreter start-up is not counted. The same run checks that
`import context7_kit` loads no LLM framework and no server dependency.
Target: context7_kit / httpx <= 1.3x. For context, the same ratio against
`import httpx; from pydantic import BaseModel`, the two libraries the client is
built on (a bare `import pydantic` defers BaseModel, about 35 ms here).

    .venv/bin/python benchmarks/import_cost.py [--runs 40]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from _common import ROOT, machine, median, ms, verdict

TARGET = 1.3
FRAMEWORKS = ("langchain", "langchain_core", "llama_index", "starlette", "uvicorn", "mcp", "markdown_it", "redis")
HTTPX_PYDANTIC = "import httpx; from pydantic import BaseModel"
PROBE = """
import json, sys, time
t0 = time.perf_counter()
{statement}
elapsed = time.perf_counter() - t0
print(json.dumps({{"seconds": elapsed, "modules": sorted(sys.modules)}}))
"""


def timed_import(statement: str) -> tuple[float, list[str]]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(statement=statement)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    data = json.loads(out)
    return float(data["seconds"]), list(data["modules"])


def compile_bytecode() -> None:
    """Byte-compile the package, as pip does when it installs a wheel.

    httpx and pydantic were byte-compiled when pip installed them; the project's
    own source, installed editable, is not while PYTHONDONTWRITEBYTECODE is set,
    and compiling it on every import would be timed as import cost.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src" / "context7_kit")], check=True)


def main() -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    print(f"# import cost, {args.runs} fresh interpreters each; {machine()}", flush=True)
    compile_bytecode()
    ours: list[float] = []
    theirs: list[float] = []
    base: list[float] = []
    loaded: set[str] = set()
    for _ in range(args.runs):
        seconds, modules = timed_import("import context7_kit")
        ours.append(seconds)
        loaded.update(m.split(".")[0] for m in modules)
        theirs.append(timed_import("import httpx")[0])
        base.append(timed_import(HTTPX_PYDANTIC)[0])
    ratio = median(ours) / median(theirs)
    base_ratio = median(ours) / median(base)
    frameworks = sorted(set(FRAMEWORKS) & loaded)
    heavy = sorted(m for m in ("pydantic", "hishel", "tenacity", "anyio", "sqlite3", "httpx") if m in loaded)
    print(f"import httpx        median {ms(median(theirs))}", flush=True)
    print(f"{HTTPX_PYDANTIC} median {ms(median(base))}", flush=True)
    print(f"import context7_kit median {ms(median(ours))}  (loads: {', '.join(heavy)})", flush=True)
    print(f"ratio {ratio:.2f}x (target <= {TARGET}x: {verdict(ratio <= TARGET)})", flush=True)
    print(f"ratio to httpx + pydantic {base_ratio:.2f}x (context, no target)", flush=True)
    print(f"framework modules loaded by `import context7_kit`: {frameworks or 'none'}", flush=True)
    return {
        "httpx_ms": median(theirs) * 1000,
        "context7_kit_ms": median(ours) * 1000,
        "httpx_pydantic_ms": median(base) * 1000,
        "ratio": ratio,
        "ratio_to_httpx_pydantic": base_ratio,
        "frameworks_loaded": frameworks,
    }


if __name__ == "__main__":
    main()
