"""The langchain-tests integration suites, over real HTTP recorded in cassettes.

Recorded from the local docs server over tests/fixtures/docs (or the live API
when CONTEXT7_API_URL and CONTEXT7_API_KEY are set); CI replays them with
``--record-mode=none``. The classes build their clients from ``api_key`` and
``base_url``, the way a user configures them.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_tests.integration_tests import RetrieversIntegrationTests, ToolsIntegrationTests

from context7_kit.integrations.langchain import Context7DocsTool, Context7ResolveLibraryTool, Context7Retriever


class _ServerSettings:
    settings: dict[str, Any]
    profile = "live"
    """Default settings are recorded from a server answering as context7.com does today; Surface A from 'full'."""

    @pytest.fixture(autouse=True)
    def _server(self, request: pytest.FixtureRequest, c7_api_key: str) -> None:
        url = request.getfixturevalue("c7_live_base_url" if self.profile == "live" else "c7_base_url")
        self.settings = {"base_url": url, "api_key": c7_api_key}


@pytest.mark.vcr
class TestResolveLibraryToolIntegration(_ServerSettings, ToolsIntegrationTests):
    @property
    def tool_constructor(self) -> type[Context7ResolveLibraryTool]:
        return Context7ResolveLibraryTool

    @property
    def tool_constructor_params(self) -> dict[str, Any]:
        return self.settings

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"library_name": "widgets", "query": "How do I render a widget?"}


@pytest.mark.vcr
class TestDocsToolIntegration(_ServerSettings, ToolsIntegrationTests):
    @property
    def tool_constructor(self) -> type[Context7DocsTool]:
        return Context7DocsTool

    @property
    def tool_constructor_params(self) -> dict[str, Any]:
        return {**self.settings, "max_tokens": 1000}

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"library_id": "/acme/widgets", "query": "How do I render a widget?"}


@pytest.mark.vcr
class TestDocsPagesToolIntegration(_ServerSettings, ToolsIntegrationTests):
    profile = "full"

    @property
    def tool_constructor(self) -> type[Context7DocsTool]:
        return Context7DocsTool

    @property
    def tool_constructor_params(self) -> dict[str, Any]:
        return {**self.settings, "source": "docs", "max_tokens": 1000}

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"library_id": "/acme/widgets", "query": "rendering", "mode": "info", "page": 1}


@pytest.mark.vcr
class TestRetrieverDocsIntegration(_ServerSettings, RetrieversIntegrationTests):
    profile = "full"

    @property
    def retriever_constructor(self) -> type[Context7Retriever]:
        return Context7Retriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {**self.settings, "library_id": "/acme/widgets", "mode": "both", "source": "docs"}

    @property
    def retriever_query_example(self) -> str:
        return "render a widget"


@pytest.mark.vcr
class TestRetrieverContextIntegration(_ServerSettings, RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[Context7Retriever]:
        return Context7Retriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {**self.settings, "library_id": "/acme/widgets"}  # the default source: /v2/context

    @property
    def retriever_query_example(self) -> str:
        return "How do I add middleware to a router?"
