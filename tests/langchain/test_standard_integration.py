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

    @pytest.fixture(autouse=True)
    def _server(self, c7_base_url: str, c7_api_key: str) -> None:
        self.settings = {"base_url": c7_base_url, "api_key": c7_api_key}


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
        return {"library_id": "/acme/widgets", "topic": "rendering"}


@pytest.mark.vcr
class TestRetrieverDocsIntegration(_ServerSettings, RetrieversIntegrationTests):
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
        return {**self.settings, "library_id": "/acme/widgets", "source": "context"}

    @property
    def retriever_query_example(self) -> str:
        return "How do I add middleware to a router?"
