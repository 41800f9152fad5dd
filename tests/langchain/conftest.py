from __future__ import annotations

import pytest

from context7_kit import AsyncContext7Client, Context7Client
from context7_kit.integrations.langchain import (
    Context7DocsTool,
    Context7ResolveLibraryTool,
    Context7Retriever,
)


@pytest.fixture
def resolve_tool(client: Context7Client, async_client: AsyncContext7Client) -> Context7ResolveLibraryTool:
    return Context7ResolveLibraryTool(client=client, async_client=async_client)


@pytest.fixture
def docs_tool(client: Context7Client, async_client: AsyncContext7Client) -> Context7DocsTool:
    return Context7DocsTool(client=client, async_client=async_client)


@pytest.fixture
def make_retriever(client: Context7Client, async_client: AsyncContext7Client):  # type: ignore[no-untyped-def]
    def make(**kwargs: object) -> Context7Retriever:
        kwargs.setdefault("library_id", "/acme/widgets")
        return Context7Retriever(client=client, async_client=async_client, **kwargs)  # type: ignore[arg-type]

    return make
