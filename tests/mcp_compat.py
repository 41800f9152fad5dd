r"""Check the vendor's MCP server against a Context7-compatible API, this one included.

Runs the MCP server (an installed copy when there is one, see
:func:`mcp_command`, else ``npx -y @upstash/context7-mcp``) over stdio with ``CONTEXT7_API_URL``
pointing at ``base_url``, lists its tools, resolves a library with
``resolve-library-id`` and asks a question with ``query-docs`` (the tools of
the MCP server's current major version; it calls ``/v2/libs/search`` and
``/v2/context``). Needs node/npx and the ``mcp`` Python package.

Command line (serves the folders itself, prints what the MCP tools return)::

    python -m tests.mcp_compat --library /acme/widgets=./docs \\
        --name widgets --question "How do I add middleware?"
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

MCP_PACKAGE = "@upstash/context7-mcp"
# The version the tests were written against; scripts/test installs it.
MCP_VERSION = "4.1.1"
# Where scripts/test installs it (npm --prefix, in the checkout), so tests start it without the network.
LOCAL_INSTALL = Path(__file__).resolve().parents[1] / ".c7kit" / "mcp"
RESOLVE_TOOL = "resolve-library-id"
QUERY_TOOL = "query-docs"


class MCPUnavailable(RuntimeError):
    """node/npx, the MCP package or the ``mcp`` Python package is not available."""


@dataclass(frozen=True)
class MCPResult:
    """What the MCP server's tools answered."""

    tools: list[str]
    resolved: str
    docs: str


def _text(result: object) -> str:
    content = getattr(result, "content", []) or []
    return "\n".join(str(getattr(item, "text", "")) for item in content)


def installed_mcp_server() -> list[str] | None:
    """The command of an installed MCP server: ``$C7KIT_MCP_SERVER`` or the project's copy."""
    configured = os.environ.get("C7KIT_MCP_SERVER")
    if configured:
        return configured.split()
    binary = LOCAL_INSTALL / "node_modules" / ".bin" / "context7-mcp"
    return [str(binary)] if binary.exists() else None


def mcp_command(package: str = MCP_PACKAGE) -> list[str]:
    """The installed MCP server if there is one, else ``npx -y PACKAGE`` (which may download it)."""
    installed = installed_mcp_server() if package == MCP_PACKAGE else None
    if installed:
        return installed
    npx = shutil.which("npx")
    if npx is None:
        raise MCPUnavailable("npx (Node.js) is not on PATH")
    return [npx, "-y", package]


async def run_mcp_check(
    base_url: str,
    library_name: str,
    library_id: str,
    question: str,
    *,
    package: str = MCP_PACKAGE,
    command: list[str] | None = None,
    start_timeout: float = 90.0,
    call_timeout: float = 30.0,
    prefer_offline: bool = True,
) -> MCPResult:
    """Resolve ``library_name`` and query ``library_id`` through the MCP server.

    Raises :class:`MCPUnavailable` when the MCP server cannot be started at
    all (no npx, package not installable); any later failure is a real one.
    """
    try:
        from mcp import ClientSession, StdioServerParameters
        from mcp.client.stdio import stdio_client
    except ImportError as exc:
        raise MCPUnavailable("the 'mcp' Python package is not installed (pip install mcp)") from exc
    command = command or mcp_command(package)
    env = {k: v for k, v in os.environ.items() if k in ("HOME", "PATH", "USER", "TMPDIR", "LANG", "SHELL")}
    env.update(
        {
            "CONTEXT7_API_URL": base_url,
            "OTEL_SDK_DISABLED": "true",  # no telemetry exporter, no metrics port
            "npm_config_update_notifier": "false",
            "npm_config_fund": "false",
        }
    )
    if prefer_offline:
        env["npm_config_prefer_offline"] = "true"
    params = StdioServerParameters(command=command[0], args=command[1:], env=env)
    started = False
    with open(os.devnull, "w") as quiet:  # npx's install chatter
        try:
            async with stdio_client(params, errlog=quiet) as (read, write), ClientSession(read, write) as session:
                try:
                    await asyncio.wait_for(session.initialize(), start_timeout)
                except (TimeoutError, OSError, RuntimeError) as exc:
                    raise MCPUnavailable(f"{package} did not start ({type(exc).__name__}: {exc})") from exc
                started = True
                tools = [t.name for t in (await asyncio.wait_for(session.list_tools(), call_timeout)).tools]
                resolved = await asyncio.wait_for(
                    session.call_tool(RESOLVE_TOOL, {"libraryName": library_name, "query": question}), call_timeout
                )
                docs = await asyncio.wait_for(
                    session.call_tool(QUERY_TOOL, {"libraryId": library_id, "query": question}), call_timeout
                )
                return MCPResult(tools, _text(resolved), _text(docs))
        except MCPUnavailable:
            raise
        except Exception as exc:  # the stdio transport wraps failures in exception groups
            if started:
                raise
            raise MCPUnavailable(f"{package} could not be run: {exc!r}") from exc


def main(argv: list[str] | None = None) -> int:
    """Serve docs folders, run the MCP server against them and print its answers."""
    from context7_kit.server.local import LocalServer  # keeps the import of this module light

    parser = argparse.ArgumentParser(prog="mcp-compat", description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--library", action="append", metavar="/OWNER/REPO=PATH", help="a library to serve")
    parser.add_argument("--name", help="library name to resolve (default: the first library's repo)")
    parser.add_argument("--question", default="How do I get started?", help="the question for query-docs")
    parser.add_argument("--package", default=MCP_PACKAGE, help="npm package of the MCP server")
    args = parser.parse_args(argv)
    libraries: dict[str, Path] = {}
    for text in args.library or []:
        library_id, _, folder = text.partition("=")
        libraries[library_id] = Path(folder)
    if not libraries:
        parser.error("give at least one --library /owner/repo=PATH")
    first = next(iter(libraries))
    with LocalServer(libraries) as server:
        print(f"Serving {', '.join(libraries)} at {server.base_url}")
        try:
            result = asyncio.run(
                run_mcp_check(
                    server.base_url,
                    args.name or first.rsplit("/", 1)[-1],
                    first,
                    args.question,
                    package=args.package,
                    prefer_offline=False,
                )
            )
        except MCPUnavailable as exc:
            print(f"Cannot run the MCP server: {exc}", file=sys.stderr)
            return 2
    print(f"MCP tools: {', '.join(result.tools)}\n")
    print(f"== {RESOLVE_TOOL}\n{result.resolved}\n")
    print(f"== {QUERY_TOOL} {first!r} {args.question!r}\n{result.docs}")
    return 0 if first in result.resolved and result.docs.strip() else 1


if __name__ == "__main__":
    raise SystemExit(main())
