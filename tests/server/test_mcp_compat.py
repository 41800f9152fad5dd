"""The vendor's MCP server (@upstash/context7-mcp) resolves and queries through the local server.

The test runs the copy that scripts/test installs with npm (a set-up step, like
pip install), so the test itself never reaches beyond loopback.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.docs_server import fixture_server
from tests.mcp_compat import (
    MCP_PACKAGE,
    MCP_VERSION,
    QUERY_TOOL,
    RESOLVE_TOOL,
    MCPUnavailable,
    installed_mcp_server,
    run_mcp_check,
)
from tests.server.conftest import FIXTURE_DOCS

pytest.importorskip("mcp", reason="the 'mcp' Python package is not installed")


@pytest.fixture(params=["full", "live", "onprem"])
def profile_url(request: pytest.FixtureRequest, server_url: str) -> Iterator[str]:
    """The session's server (full), or the fixture docs served in the live or on-premise profile."""
    if request.param == "full":
        yield server_url
        return
    with fixture_server(FIXTURE_DOCS, profile=request.param) as url:
        yield url


@pytest.mark.slow
async def test_official_mcp_server_resolves_and_queries(profile_url: str) -> None:
    server_url = profile_url
    command = installed_mcp_server()
    if command is None:
        pytest.skip(
            f"{MCP_PACKAGE}@{MCP_VERSION} is not installed (scripts/test installs it with npm when node is present)"
        )
    try:
        result = await run_mcp_check(
            server_url,
            "widgets",
            "/acme/widgets",
            "How do I add middleware to a router?",
            command=command,
            start_timeout=50,
        )
    except MCPUnavailable as exc:
        pytest.skip(f"the MCP server could not be started: {exc}")
    assert {RESOLVE_TOOL, QUERY_TOOL} <= set(result.tools)
    assert "/acme/widgets" in result.resolved
    assert "Acme Widgets" in result.resolved
    assert "### Middleware" in result.docs
    assert "router.use(log_requests)" in result.docs
