"""Benchmark 5: the docs lookup users have today vs this project's LangChain tool.

Today: the vendor's MCP server (`npx -y @upstash/context7-mcp`, its
CONTEXT7_API_URL pointing at the local docs server) loaded as LangChain tools
through langchain-mcp-adapters, calling its `query-docs` tool. Here:
`Context7DocsTool` against the same local server. Measured in one run: cold
start (from nothing to the first answer) and per-call latency, in alternating
blocks of calls. Target: per call at least 5x faster.

langchain-mcp-adapters needs mcp<2, so this runs from its own environment,
.c7kit/bench-mcp-venv, which scripts/bench-mcp-env makes when missing:

    "$(./scripts/bench-mcp-env)" benchmarks/mcp_vs_tool.py [--calls 40]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from typing import Any

from _common import ROOT, LocalServerProcess, machine, median, ms, verdict

TARGET = 5.0
BLOCK = 5
LIBRARY = "/context7-kit/docs"
QUESTIONS = ["install", "cache responses", "retry rate limit", "langchain tool", "local server", "errors"]


def mcp_connection(base_url: str) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))  # the MCP compatibility tooling lives with the tests
    from tests.mcp_compat import mcp_command

    command = mcp_command()
    env = {k: v for k, v in os.environ.items() if k in ("HOME", "PATH", "USER", "TMPDIR", "LANG", "SHELL")}
    env.update(
        {
            "CONTEXT7_API_URL": base_url,
            "OTEL_SDK_DISABLED": "true",
            "npm_config_update_notifier": "false",
            "npm_config_prefer_offline": "true",
        }
    )
    return {"command": command[0], "args": command[1:], "transport": "stdio", "env": env}


def text_of(result: Any) -> str:
    if isinstance(result, str):
        return result
    if isinstance(result, tuple):
        result = result[0]
    if isinstance(result, list):
        return "\n".join(str(p.get("text", "")) if isinstance(p, dict) else str(p) for p in result)
    return str(getattr(result, "content", result))


async def run(base_url: str, calls: int, spawn_calls: int) -> dict[str, Any]:
    from langchain_mcp_adapters.client import MultiServerMCPClient
    from langchain_mcp_adapters.tools import load_mcp_tools

    from context7_kit.integrations.langchain import Context7DocsTool

    results: dict[str, Any] = {}
    # -- cold start: from nothing to the first answer ---------------------------------
    t0 = time.perf_counter()
    tool = Context7DocsTool(base_url=base_url)
    first = text_of(await tool.ainvoke({"library_id": LIBRARY, "topic": QUESTIONS[0]}))
    ours_cold = time.perf_counter() - t0
    assert "Source:" in first, first[:300]

    client = MultiServerMCPClient({"context7": mcp_connection(base_url)})
    t0 = time.perf_counter()
    async with client.session("context7") as session:
        mcp_tools = {t.name: t for t in await load_mcp_tools(session)}
        query = mcp_tools["query-docs"]
        answer = text_of(await query.ainvoke({"libraryId": LIBRARY, "query": QUESTIONS[0]}))
        mcp_cold = time.perf_counter() - t0
        assert answer.strip(), "the MCP server answered nothing"
        results["cold"] = {"tool_ms": ours_cold * 1000, "mcp_ms": mcp_cold * 1000, "ratio": mcp_cold / ours_cold}
        print(
            f"cold start: tool {ms(ours_cold)}, MCP server + adapters {ms(mcp_cold)} ({mcp_cold / ours_cold:.0f}x)",
            flush=True,
        )
        # -- per call, one MCP session kept open (the adapters' best case) ----------------
        ours: list[float] = []
        theirs: list[float] = []
        # Blocks of BLOCK calls per side, alternating, so each side runs without the other's process
        # still busy from the call just before, while both see the same machine over the run.
        for i in range(0, calls, BLOCK):
            for j in range(i, min(i + BLOCK, calls)):
                question = QUESTIONS[j % len(QUESTIONS)]
                t0 = time.perf_counter()
                mine = text_of(await tool.ainvoke({"library_id": LIBRARY, "topic": question}))
                ours.append(time.perf_counter() - t0)
                assert mine.strip()
            for j in range(i, min(i + BLOCK, calls)):
                question = QUESTIONS[j % len(QUESTIONS)]
                t0 = time.perf_counter()
                other = text_of(await query.ainvoke({"libraryId": LIBRARY, "query": question}))
                theirs.append(time.perf_counter() - t0)
                assert other.strip()
    ratio = median(theirs) / median(ours)
    results["per_call_session"] = {
        "tool_ms": median(ours) * 1000,
        "mcp_ms": median(theirs) * 1000,
        "ratio": ratio,
        "calls": calls,
    }
    print(
        f"per call, MCP session kept open: tool {ms(median(ours))}, MCP {ms(median(theirs))}; "
        f"ratio of medians {ratio:.1f}x (target >= {TARGET}x: {verdict(ratio >= TARGET)})",
        flush=True,
    )
    # -- per call as client.get_tools() gives them: a new MCP session (process) per call --
    tools = {t.name: t for t in await client.get_tools()}
    spawned: list[float] = []
    for i in range(spawn_calls):
        t0 = time.perf_counter()
        other = text_of(await tools["query-docs"].ainvoke({"libraryId": LIBRARY, "query": QUESTIONS[i % 6]}))
        spawned.append(time.perf_counter() - t0)
        assert other.strip()
    results["per_call_get_tools"] = {"mcp_ms": median(spawned) * 1000, "ratio": median(spawned) / median(ours)}
    print(
        f"per call, tools from client.get_tools() (a new server process per call): MCP {ms(median(spawned))} "
        f"({median(spawned) / median(ours):.0f}x the tool's median)",
        flush=True,
    )
    return results


def main() -> dict[str, Any] | None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=40, help="alternating calls per side (default 40)")
    parser.add_argument("--spawn-calls", type=int, default=5, help="calls through client.get_tools() (default 5)")
    args = parser.parse_args()
    try:
        import langchain_mcp_adapters  # noqa: F401
    except ImportError:
        print("langchain-mcp-adapters is not installed here: see this script's docstring.", file=sys.stderr)
        return None
    logging.getLogger("mcp").setLevel(logging.WARNING)
    print(f"# MCP server + langchain-mcp-adapters vs Context7DocsTool; {machine()}", flush=True)
    with LocalServerProcess({LIBRARY: ROOT / "docs"}) as server:
        return asyncio.run(run(server.base_url, args.calls, args.spawn_calls))


if __name__ == "__main__":
    main()
