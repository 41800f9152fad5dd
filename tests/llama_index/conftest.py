"""LlamaIndex tests run with a mock LLM and a local hashing embedding: nothing is downloaded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from llama_index.core import Settings
from llama_index.core.llms import MockLLM

from context7_kit import AsyncContext7Client, Context7Client
from context7_kit.integrations.llama_index import Context7Reader
from tests.llama_index._embedding import HashingEmbedding


@pytest.fixture(autouse=True)
def _offline_llama_settings() -> Iterator[None]:
    """No test may fall back to LlamaIndex's default OpenAI LLM or embedding."""
    saved = (Settings._llm, Settings._embed_model)
    Settings.llm = MockLLM()
    Settings.embed_model = HashingEmbedding()
    yield
    Settings._llm, Settings._embed_model = saved


@pytest.fixture
def reader(client: Context7Client) -> Context7Reader:
    return Context7Reader(client=client)


@pytest.fixture
async def async_reader(client: Context7Client, async_client: AsyncContext7Client) -> Context7Reader:
    return Context7Reader(client=client, async_client=async_client)
