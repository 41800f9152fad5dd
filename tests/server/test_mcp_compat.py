"""The vendor's MCP server (npx -y @upstash/context7-mcp) resolves and queries through the local server."""

from __future__ import annotations

import shutil

import pytest

from context7_kit.server.mcp_compat import QUERY_TOOL, RESOLVE_TOOL, MCPUnavailable, run_mcp_check

pytest.importorskip("mcp", reason="the 'mcp' Python package is not installed")


@pytest.mark.slow
async def test_official_mcp_server_resolves_and_queries(server_url: str) -> None:
    if shutil.which("npx") is None:
        pytest.skip("node/npx is not installed: the MCP compatibility check needs it")
    try:
        result = await run_mcp_check(
            server_url, "widgets", "/acme/widgets", "How do I add middleware to a router?", start_timeout=50
        )
    except MCPUnavailable as exc:
        pytest.skip(f"the MCP server could not be started: {exc}")
    assert {RESOLVE_TOOL, QUERY_TOOL} <= set(result.tools)
    assert "/acme/widgets" in result.resolved
    assert "Acme Widgets" in result.resolved
    assert "### Middleware" in result.docs
    assert "router.use(log_requests)" in result.docs
