"""The LlamaIndex classes over real HTTP, recorded in cassettes.

Recorded from the local docs server over tests/fixtures/docs and docs/,
answering as context7.com does today (``profile="live"``) for the default
settings and with every route for ``source="docs"``; CI replays them with
``--record-mode=none``. The classes are built from ``api_key`` and
``base_url``, the way a user configures them. Assertions are about shape and
behaviour, so they hold on either recording.
"""

from __future__ import annotations

import pytest

from context7_kit.integrations.llama_index import (
    Context7Reader,
    Context7Retriever,
    Context7ToolError,
    Context7ToolSpec,
    DocsRequest,
)

pytestmark = pytest.mark.vcr


@pytest.fixture
def settings(c7_live_base_url: str, c7_api_key: str) -> dict[str, str]:
    """Default settings, against a server without the Surface A routes."""
    return {"base_url": c7_live_base_url, "api_key": c7_api_key}


@pytest.fixture
def full_settings(c7_base_url: str, c7_api_key: str) -> dict[str, str]:
    """For ``source="docs"``: a server with every route."""
    return {"base_url": c7_base_url, "api_key": c7_api_key}


def test_reader_loads_documents_with_the_shared_metadata(settings: dict[str, str]) -> None:
    with Context7Reader(**settings) as reader:
        docs = reader.load_data("/acme/widgets", "How do I add routes?", queries=["How do I add middleware?"])

    assert docs
    assert len({d.doc_id for d in docs}) == len(docs)
    assert {d.metadata["library_id"] for d in docs} == {"/acme/widgets"}
    assert {d.metadata["snippet_type"] for d in docs} <= {"code", "info"}
    for doc in docs:
        assert doc.text.startswith("### ") or doc.metadata["snippet_type"] == "info"
        assert {"library_id", "snippet_type", "tokens"} <= set(doc.metadata)
        assert not {"query", "rank", "page"} & set(doc.metadata)  # a Reader's documents are query-independent


async def test_reader_loads_several_libraries_concurrently_without_duplicates(settings: dict[str, str]) -> None:
    async with Context7Reader(**settings) as reader:
        docs = await reader.aload_many(
            [
                DocsRequest("/acme/widgets", topic="routing"),
                DocsRequest("/acme/old-widgets", topic="routing"),
                DocsRequest("/context7-kit/docs", topic="retries"),
            ]
        )

    libraries = {d.metadata["library_id"] for d in docs}
    assert libraries == {"/acme/widgets", "/context7-kit/docs"}
    assert len({d.doc_id for d in docs}) == len(docs)


def test_reader_pages_through_a_topic_on_a_full_server(full_settings: dict[str, str]) -> None:
    with Context7Reader(**full_settings) as reader:
        docs = reader.load_data("/acme/widgets", "routing", source="docs", mode="both", max_pages=2)

    assert docs
    assert {d.metadata["snippet_type"] for d in docs} == {"code", "info"}
    assert len({d.doc_id for d in docs}) == len(docs)


def test_retriever_docs_and_context_sources(settings: dict[str, str], full_settings: dict[str, str]) -> None:
    by_topic = Context7Retriever("/acme/widgets", source="docs", similarity_top_k=3, **full_settings).retrieve(
        "middleware"
    )
    by_question = Context7Retriever("/acme/widgets", similarity_top_k=4, **settings).retrieve(
        "How do I add middleware to a router?"
    )

    for nodes in (by_topic, by_question):
        assert nodes
        assert nodes[0].score == 1.0
        assert [n.score for n in nodes] == sorted((n.score for n in nodes), reverse=True)
        assert {n.node.metadata["library_id"] for n in nodes} == {"/acme/widgets"}


async def test_retriever_async(settings: dict[str, str]) -> None:
    retriever = Context7Retriever("/context7-kit/docs", similarity_top_k=2, **settings)
    nodes = await retriever.aretrieve("client")
    await retriever.aclose()

    assert 1 <= len(nodes) <= 2
    assert nodes[0].node.metadata["library_id"] == "/context7-kit/docs"


async def test_tool_spec_resolve_read_and_recover(settings: dict[str, str]) -> None:
    spec = Context7ToolSpec(**settings)
    tools = {t.metadata.name: t for t in spec.to_tool_list()}

    found = await tools["resolve_library_id"].acall(library_name="widgets")
    assert "/acme/widgets" in found.content

    docs = await tools["query_docs"].acall(library_id="/acme/widgets", query="How do I add routes?")
    assert "Documentation of /acme/widgets" in docs.content
    assert "Source: " in docs.content
    assert docs.raw_output and docs.raw_output[0].text in docs.content

    with pytest.raises(Context7ToolError, match="resolve_library_id"):
        await tools["query_docs"].acall(library_id="/acme/no-such-library", query="How do I add routes?")
    await spec.aclose()
