"""End to end over real HTTP (recorded in cassettes): agent, chain and vector store.

Recorded from the local docs server over tests/fixtures/docs, answering as
context7.com does today (``profile="live"``: no Surface A routes) for the
default settings, and with every route for ``source="docs"``; replayed in CI
with ``--record-mode=none``. Assertions are about behaviour, so the same tests
pass on a recording of the live API with the same libraries.
"""

from __future__ import annotations

import pytest
from langchain_core.documents import Document
from langchain_core.embeddings import DeterministicFakeEmbedding
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.vectorstores import InMemoryVectorStore

from context7_kit.integrations.langchain import Context7Retriever, Context7Toolkit
from tests.langchain._chat import echo_model

pytestmark = pytest.mark.vcr


def _has_create_agent() -> bool:
    try:
        from langchain.agents import create_agent  # noqa: F401
    except ImportError:
        return False
    return True


# Skipped before the cassette is loaded, so an unplayed recording is not reported.
needs_create_agent = pytest.mark.skipif(not _has_create_agent(), reason="needs langchain>=1 (create_agent)")


@needs_create_agent
def test_agent_over_http_recovers_from_an_unknown_library(c7_live_base_url: str, c7_api_key: str) -> None:
    from tests.langchain._agent import BAD_GUESS, check_recovered, run_agent

    tools = Context7Toolkit(base_url=c7_live_base_url, api_key=c7_api_key, max_tokens=1500).get_tools()

    messages = run_agent(tools)

    failed, resolved, docs = check_recovered(messages)
    assert BAD_GUESS in failed.content and "404" in failed.content
    assert resolved.content.split("\n- ")[1].startswith("/acme/widgets: Acme Widgets")
    assert docs.content.count("```") >= 2  # code snippets, fenced


@needs_create_agent
async def test_async_agent_over_http(c7_live_base_url: str, c7_api_key: str) -> None:
    from tests.langchain._agent import arun_agent, check_recovered

    tools = Context7Toolkit(base_url=c7_live_base_url, api_key=c7_api_key, max_tokens=1500).get_tools()

    check_recovered(await arun_agent(tools))


def test_docs_tool_follows_a_moved_library_over_http(c7_live_base_url: str, c7_api_key: str) -> None:
    _, docs_tool = Context7Toolkit(base_url=c7_live_base_url, api_key=c7_api_key).get_tools()

    args = {"library_id": "/acme/old-widgets", "query": "How do I render a widget?"}
    message = docs_tool.invoke({"type": "tool_call", "id": "1", "name": "query_docs", "args": args})

    assert message.status == "success"
    assert "/acme/old-widgets has moved to /acme/widgets" in message.content
    assert {d.metadata["library_id"] for d in message.artifact} == {"/acme/widgets"}


def test_retriever_chain_over_http(c7_live_base_url: str, c7_api_key: str) -> None:
    retriever = Context7Retriever(base_url=c7_live_base_url, api_key=c7_api_key, library_id="/acme/widgets", k=3)

    def format_docs(docs: list[Document]) -> str:
        return "\n\n".join(d.page_content for d in docs)

    prompt = ChatPromptTemplate.from_template("Docs:\n{context}")
    answer = (retriever | format_docs | prompt | echo_model() | StrOutputParser()).invoke("How do I add middleware?")

    assert answer.startswith("Docs:\n### ")
    assert answer.count("Source: ") == 3
    assert "middleware" in answer.lower()


@pytest.mark.parametrize("source", ["docs", "context"])
def test_http_documents_round_trip_through_a_vector_store(
    request: pytest.FixtureRequest, c7_api_key: str, source: str
) -> None:
    url = request.getfixturevalue("c7_base_url" if source == "docs" else "c7_live_base_url")
    retriever = Context7Retriever(base_url=url, api_key=c7_api_key, library_id="/acme/widgets", source=source, k=6)
    docs = retriever.invoke("routing")
    assert len(docs) == 6
    for doc in docs:
        assert doc.metadata["library_id"] == "/acme/widgets"
        assert all(isinstance(v, (str, int, float, bool)) for v in doc.metadata.values()), doc.metadata
    store = InMemoryVectorStore(embedding=DeterministicFakeEmbedding(size=32))

    assert store.add_documents(docs) == [d.id for d in docs]
    store.add_documents(retriever.invoke("routing"))
    assert len(store.store) == len({d.id for d in docs})
    hit = store.similarity_search(docs[0].page_content, k=1)[0]
    assert (hit.id, hit.metadata) == (docs[0].id, docs[0].metadata)
