from __future__ import annotations

import pytest
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.schema import NodeWithScore, TextNode

from context7_kit import AsyncContext7Client, Context7Client, InvalidInputError, NotFoundError
from context7_kit.integrations.llama_index import Context7Reader, Context7Retriever
from tests.fake_api import FakeAPI


def summary(nodes: list[NodeWithScore]) -> list[tuple[str, object, float | None]]:
    return [(n.node.node_id, n.node.metadata["snippet_type"], n.score) for n in nodes]


def test_docs_source_returns_top_k_nodes_scored_by_rank(client: Context7Client, fake_api: FakeAPI) -> None:
    retriever = Context7Retriever("/acme/widgets", client=client, source="docs", mode="code", similarity_top_k=4)

    nodes = retriever.retrieve("how are widgets rendered?")

    assert [n.score for n in nodes] == [1.0, 0.75, 0.5, 0.25]
    assert all(isinstance(n.node, TextNode) for n in nodes)
    assert [n.node.metadata["rank"] for n in nodes] == [1, 2, 3, 4]
    assert nodes[0].node.metadata["query"] == "how are widgets rendered?"
    assert fake_api.requests[0].url.params["topic"] == "how are widgets rendered?"


def test_retrieved_nodes_are_the_readers_documents(client: Context7Client) -> None:
    nodes = Context7Retriever("/acme/widgets", client=client, mode="code", similarity_top_k=3).retrieve("rendering")
    docs = Context7Reader(client=client).load_data("/acme/widgets", "rendering")[:3]

    assert [(n.node.node_id, n.node.get_content()) for n in nodes] == [(d.doc_id, d.text) for d in docs]
    for node, doc in zip(nodes, docs, strict=True):  # the retriever adds only the query-dependent fields
        assert node.node.metadata == {
            **doc.metadata,
            "query": "rendering",
            "rank": node.node.metadata["rank"],
        }


def test_more_than_one_page_is_read_when_top_k_needs_it(client: Context7Client, fake_api: FakeAPI) -> None:
    nodes = Context7Retriever("/acme/widgets", client=client, source="docs", similarity_top_k=15).retrieve("widgets")
    assert len(nodes) == 15
    # Code and prose alternate: one page of 8 of each, not two pages of 10 of each.
    assert [(r.url.path, r.url.params["limit"]) for r in fake_api.requests] == [
        ("/api/v2/docs/code/acme/widgets", "8"),
        ("/api/v2/docs/info/acme/widgets", "8"),
    ]
    assert nodes[-1].score == pytest.approx(1 / 15)


def test_by_default_one_context_call_answers(client: Context7Client, fake_api: FakeAPI) -> None:
    nodes = Context7Retriever("/acme/widgets", client=client, similarity_top_k=15).retrieve("How are widgets rendered?")

    assert [r.url.path for r in fake_api.requests] == ["/api/v2/context"]
    assert len(nodes) == 5  # all the answer holds
    assert "page" not in nodes[0].node.metadata


def test_close_and_context_managers_close_what_was_built() -> None:
    with Context7Retriever("/acme/widgets", base_url="http://127.0.0.1:9/api") as retriever:
        built = retriever._source.sync()
    assert built._http.is_closed


def test_mode_both_alternates_code_and_prose(client: Context7Client) -> None:
    nodes = Context7Retriever("/acme/widgets", client=client, mode="both", similarity_top_k=4).retrieve("render")
    assert [kind for _, kind, _ in summary(nodes)] == ["code", "info", "code", "info"]


def test_context_source_uses_the_question_endpoint(client: Context7Client, fake_api: FakeAPI) -> None:
    retriever = Context7Retriever("/acme/widgets", version="v2.0.0", similarity_top_k=10, client=client)

    nodes = retriever.retrieve("Why is rendering lazy?")

    request = fake_api.requests[-1]
    assert request.url.path.endswith("/v2/context")
    assert request.url.params["libraryId"] == "/acme/widgets/v2.0.0"
    assert request.url.params["query"] == "Why is rendering lazy?"
    assert [kind for _, kind, _ in summary(nodes)] == ["code", "info", "code", "info", "code"]
    assert {n.node.metadata["version"] for n in nodes} == {"v2.0.0"}


def test_long_questions_are_cut_to_what_the_api_accepts(client: Context7Client, fake_api: FakeAPI) -> None:
    question = "how do I render " + "many widgets " * 100
    Context7Retriever("/acme/widgets", client=client, source="docs", similarity_top_k=1).retrieve(question)
    Context7Retriever("/acme/widgets", client=client, similarity_top_k=1).retrieve(question)
    topic, query = fake_api.requests[0].url.params["topic"], fake_api.requests[-1].url.params["query"]
    assert 400 < len(topic) <= 500
    assert topic.endswith("widgets")
    assert query == topic


async def test_async_retrieval_matches_sync(client: Context7Client, async_client: AsyncContext7Client) -> None:
    for source in ("docs", "context"):
        retriever = Context7Retriever(
            "/acme/widgets", source=source, mode="both", similarity_top_k=5, client=client, async_client=async_client
        )
        assert summary(await retriever.aretrieve("rendering")) == summary(retriever.retrieve("rendering"))


async def test_async_only_retriever_does_not_need_a_sync_client(async_client: AsyncContext7Client) -> None:
    nodes = await Context7Retriever("/acme/widgets", client=async_client, similarity_top_k=2).aretrieve("x")
    assert len(nodes) == 2


def test_invalid_settings_fail_at_construction(client: Context7Client) -> None:
    with pytest.raises(InvalidInputError, match="library ID"):
        Context7Retriever("widgets/", client=client)
    with pytest.raises(InvalidInputError, match="source"):
        Context7Retriever("/acme/widgets", source="web", client=client)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="similarity_top_k"):
        Context7Retriever("/acme/widgets", similarity_top_k=0, client=client)


def test_unknown_library_raises_the_core_error(client: Context7Client) -> None:
    with pytest.raises(NotFoundError):
        Context7Retriever("/acme/missing", client=client).retrieve("anything")


def test_works_in_a_retriever_query_engine(client: Context7Client) -> None:
    retriever = Context7Retriever("/acme/widgets", client=client, similarity_top_k=3)
    engine = RetrieverQueryEngine.from_args(retriever)

    response = engine.query("How do I create a widget?")

    assert [n.node.metadata["rank"] for n in response.source_nodes] == [1, 2, 3]
    assert "Create widget 1" in response.source_nodes[0].node.get_content()
    # MockLLM echoes its prompt: the retrieved snippets reached the LLM.
    assert "widget = Widget(1)" in str(response)


def test_same_snippet_is_the_same_document_in_langchain(client: Context7Client) -> None:
    pytest.importorskip("langchain_core")
    from context7_kit.integrations.langchain import Context7Retriever as LangChainRetriever

    ours = Context7Retriever("/acme/widgets", client=client, mode="code", similarity_top_k=5).retrieve("rendering")
    theirs = LangChainRetriever(library_id="/acme/widgets", client=client, mode="code", k=5).invoke("rendering")

    assert [(n.node.node_id, n.node.get_content(), n.node.metadata) for n in ours] == [
        (d.id, d.page_content, d.metadata) for d in theirs
    ]
