"""The langchain-tests unit suites for both tools (no I/O: construction and schemas)."""

from __future__ import annotations

from typing import Any

from langchain_tests.unit_tests import ToolsUnitTests

from context7_kit import AsyncContext7Client, Context7Client
from context7_kit.integrations.langchain import Context7DocsTool, Context7ResolveLibraryTool
from tests.conftest import BASE_URL, TEST_KEY
from tests.fake_api import FakeAPI

ENV_KEY = "ctx7sk-env-0123456789"
ENV_URL = "http://127.0.0.1:8765/api"


def _fake_clients() -> dict[str, Any]:
    api = FakeAPI()
    return {
        "client": Context7Client(api_key=TEST_KEY, base_url=BASE_URL, http_client=api.sync_client()),
        "async_client": AsyncContext7Client(api_key=TEST_KEY, base_url=BASE_URL, http_client=api.async_client()),
    }


class TestResolveLibraryToolUnit(ToolsUnitTests):
    @property
    def tool_constructor(self) -> type[Context7ResolveLibraryTool]:
        return Context7ResolveLibraryTool

    @property
    def tool_constructor_params(self) -> dict[str, Any]:
        return _fake_clients()

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"library_name": "widgets", "query": "How do I render a widget?"}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return (
            {"CONTEXT7_API_KEY": ENV_KEY, "CONTEXT7_API_URL": ENV_URL},
            {},
            {"api_key": ENV_KEY, "base_url": ENV_URL},
        )


class TestDocsToolUnit(ToolsUnitTests):
    @property
    def tool_constructor(self) -> type[Context7DocsTool]:
        return Context7DocsTool

    @property
    def tool_constructor_params(self) -> dict[str, Any]:
        return {**_fake_clients(), "max_tokens": 2000}

    @property
    def tool_invoke_params_example(self) -> dict[str, Any]:
        return {"library_id": "/acme/widgets", "query": "How do I render a widget?", "version": "v1.0.0"}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return (
            {"CONTEXT7_API_KEY": ENV_KEY, "CONTEXT7_API_URL": ENV_URL},
            {"max_tokens": 1000},
            {"api_key": ENV_KEY, "base_url": ENV_URL, "max_tokens": 1000},
        )
