"""The retriever against the fake API: paging, modes, sources, async, chains, vector stores."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from langchain_core.documents import Document
from langchain_core.embeddings import DeterministicFakeEmbedding
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.vectorstores import InMemoryVectorStore
from pydantic import ValidationError

from context7_kit import AsyncContext7Client, Context7Client, NotFoundError
from context7_kit.integrations.langchain import Context7Retriever
from tests.conftest import BASE_URL, TEST_KEY
from tests.fake_api import FakeAPI
from tests.langchain._chat import echo_model

MakeRetriever = Callable[..., Context7Retriever]


def _docs_requests(api: FakeAPI) -> list[tuple[str, str, str]]:
    """(path, page, limit) of every docs request."""
    return [
        (r.url.path.removeprefix("/api"), r.url.params["page"], r.url.params["limit"])
        for r in api.requests
        if "/v2/docs/" in r.url.path
    ]


def test_small_k_asks_for_small_pages(make_retriever: MakeRetriever, fake_api: FakeAPI) -> None:
    docs = make_retriever(source="docs", mode="code", k=3).invoke("rendering")

    assert [d.metadata["title"] for d in docs] == ["Create widget 1", "Create widget 2", "Create widget 3"]
    assert _docs_requests(fake_api) == [("/v2/docs/code/acme/widgets", "1", "3")]
    assert fake_api.requests[0].url.params["topic"] == "rendering"


def test_pages_are_fetched_only_as_far_as_k_needs(make_retriever: MakeRetriever, fake_api: FakeAPI) -> None:
    docs = make_retriever(source="docs", mode="code", k=13).invoke("rendering")

    assert len(docs) == 13
    assert [d.metadata["rank"] for d in docs] == list(range(1, 14))
    assert [d.metadata["page"] for d in docs] == [1] * 10 + [2] * 3
    assert _docs_requests(fake_api) == [
        ("/v2/docs/code/acme/widgets", "1", "10"),
        ("/v2/docs/code/acme/widgets", "2", "10"),
    ]


def test_paging_stops_at_the_last_page(make_retriever: MakeRetriever, fake_api: FakeAPI) -> None:
    docs = make_retriever(source="docs", mode="code", k=100).invoke("rendering")

    assert len(docs) == 24  # all the library has
    assert [p for _, p, _ in _docs_requests(fake_api)] == ["1", "2", "3"]


def test_paging_never_goes_past_the_apis_ten_pages(make_retriever: MakeRetriever, fake_api: FakeAPI) -> None:
    fake_api.snippets_per_library = 500

    docs = make_retriever(source="docs", mode="code", k=100).invoke("rendering")

    assert len(docs) == 100
    assert [p for _, p, _ in _docs_requests(fake_api)] == [str(n) for n in range(1, 11)]
    with pytest.raises(ValidationError):
        make_retriever(k=101)


def test_k_over_both_modes_costs_one_small_page_per_mode(make_retriever: MakeRetriever, fake_api: FakeAPI) -> None:
    docs = make_retriever(source="docs", mode="both", k=15).invoke("rendering")

    assert len(docs) == 15
    assert _docs_requests(fake_api) == [
        ("/v2/docs/code/acme/widgets", "1", "8"),
        ("/v2/docs/info/acme/widgets", "1", "8"),
    ]


def test_by_default_one_context_call_answers(make_retriever: MakeRetriever, fake_api: FakeAPI) -> None:
    docs = make_retriever(k=15).invoke("How are widgets rendered?")

    assert [r.url.path for r in fake_api.requests] == ["/api/v2/context"]
    assert len(docs) == 5  # all the answer holds


def test_both_modes_alternate_code_and_info(make_retriever: MakeRetriever) -> None:
    docs = make_retriever(mode="both", k=5).invoke("rendering")

    assert [d.metadata["snippet_type"] for d in docs] == ["code", "info", "code", "info", "code"]
    assert [d.metadata["rank"] for d in docs] == [1, 2, 3, 4, 5]
    assert len({d.id for d in docs}) == 5


def test_info_mode_reads_only_prose(make_retriever: MakeRetriever, fake_api: FakeAPI) -> None:
    docs = make_retriever(source="docs", mode="info", k=2).invoke("rendering")

    assert {d.metadata["snippet_type"] for d in docs} == {"info"}
    assert {path for path, _, _ in _docs_requests(fake_api)} == {"/v2/docs/info/acme/widgets"}


def test_k_per_call_overrides_the_field(make_retriever: MakeRetriever) -> None:
    retriever = make_retriever(source="docs", k=10)

    assert len(retriever.invoke("rendering", k=2)) == 2
    assert len(retriever.invoke("rendering")) == 10
    with pytest.raises(ValueError, match="k must be an integer from 1 to 100"):
        retriever.invoke("rendering", k=0)


def test_version_is_pinned_in_the_request_and_metadata(make_retriever: MakeRetriever, fake_api: FakeAPI) -> None:
    docs = make_retriever(source="docs", mode="code", version="v1.0.0", k=2).invoke("rendering")

    assert fake_api.requests[0].url.path == "/api/v2/docs/code/acme/widgets/v1.0.0"
    assert {d.metadata["version"] for d in docs} == {"v1.0.0"}


def test_a_moved_library_is_followed(make_retriever: MakeRetriever) -> None:
    docs = make_retriever(library_id="/acme/old-widgets", mode="code", k=2).invoke("rendering")

    assert {d.metadata["library_id"] for d in docs} == {"/acme/widgets"}


def test_context_source_asks_the_question(make_retriever: MakeRetriever, fake_api: FakeAPI) -> None:
    docs = make_retriever(mode="both", k=4, version="v2.0.0").invoke("How are widgets rendered?")

    request = fake_api.requests[0]
    assert request.url.path == "/api/v2/context"
    assert request.url.params["libraryId"] == "/acme/widgets/v2.0.0"
    assert request.url.params["query"] == "How are widgets rendered?"
    assert len(fake_api.requests) == 1
    assert [d.metadata["snippet_type"] for d in docs] == ["code", "info", "code", "info"]
    assert {d.metadata["query"] for d in docs} == {"How are widgets rendered?"}
    assert {d.metadata["version"] for d in docs} == {"v2.0.0"}
    assert "page" not in docs[0].metadata  # /v2/context has no pages


def test_context_source_keeps_only_the_mode_asked_for(make_retriever: MakeRetriever) -> None:
    docs = make_retriever(source="context", mode="info").invoke("rendering")

    assert [d.metadata["snippet_type"] for d in docs] == ["info", "info"]


def test_a_long_question_is_clipped_to_what_the_api_accepts(make_retriever: MakeRetriever, fake_api: FakeAPI) -> None:
    make_retriever(source="docs", mode="code", k=1).invoke("why " * 300)
    make_retriever().invoke("why " * 300)

    topic, query = fake_api.requests[0].url.params["topic"], fake_api.requests[1].url.params["query"]
    assert 0 < len(topic) <= 500 and topic == query


def test_a_bad_library_id_is_rejected_at_construction(client: Context7Client) -> None:
    with pytest.raises(ValidationError, match=r"/vercel/next\.js"):
        Context7Retriever(client=client, library_id="next.js")


def test_api_errors_reach_the_caller_typed(make_retriever: MakeRetriever) -> None:
    with pytest.raises(NotFoundError):
        make_retriever(library_id="/acme/nothing").invoke("rendering")


@pytest.mark.parametrize("settings", [{"source": "docs", "mode": "both", "k": 7}, {"k": 3}])
async def test_async_uses_the_async_client_and_matches_sync(settings: dict[str, Any]) -> None:
    sync_api, async_api = FakeAPI(), FakeAPI()
    retriever = Context7Retriever(
        library_id="/acme/widgets",
        client=Context7Client(api_key=TEST_KEY, base_url=BASE_URL, http_client=sync_api.sync_client()),
        async_client=AsyncContext7Client(api_key=TEST_KEY, base_url=BASE_URL, http_client=async_api.async_client()),
        **settings,
    )

    async_docs = await retriever.ainvoke("rendering")
    assert async_api.requests and not sync_api.requests  # real async I/O, not the sync client in a thread
    sync_docs = retriever.invoke("rendering")
    assert [(d.id, d.metadata, d.page_content) for d in async_docs] == [
        (d.id, d.metadata, d.page_content) for d in sync_docs
    ]


def test_retriever_in_an_lcel_chain(make_retriever: MakeRetriever) -> None:
    def format_docs(docs: list[Document]) -> str:
        return "\n\n".join(f"[{d.metadata['rank']}] {d.page_content}" for d in docs)

    prompt = ChatPromptTemplate.from_template("Answer from these docs only.\n\n{context}")
    chain = make_retriever(source="docs", mode="code", k=2) | format_docs | prompt | echo_model() | StrOutputParser()

    answer = chain.invoke("rendering")

    assert answer.startswith("Answer from these docs only.\n\n[1] ### Create widget 1")
    assert "[2] ### Create widget 2" in answer
    assert "Create widget 3" not in answer


async def test_retriever_in_an_async_lcel_chain(make_retriever: MakeRetriever) -> None:
    def format_docs(docs: list[Document]) -> str:
        return "\n\n".join(d.page_content for d in docs)

    chain = make_retriever(source="docs", mode="info", k=1) | format_docs | echo_model() | StrOutputParser()

    assert "Concepts > Rendering > Part 1" in await chain.ainvoke("rendering")


# --- vector stores ---------------------------------------------------------------------


def _check_flat(docs: list[Document]) -> None:
    for doc in docs:
        for key, value in doc.metadata.items():
            assert isinstance(value, (str, int, float, bool)), (key, value)
            assert value is not None and value != ""


def test_documents_round_trip_through_a_vector_store(make_retriever: MakeRetriever) -> None:
    docs = make_retriever(source="docs", mode="both", k=8).invoke("rendering")
    _check_flat(docs)
    store = InMemoryVectorStore(embedding=DeterministicFakeEmbedding(size=32))

    ids = store.add_documents(docs)
    assert ids == [d.id for d in docs]
    store.add_documents(
        make_retriever(source="docs", mode="both", k=8).invoke("rendering")
    )  # re-ingesting updates in place
    assert len(store.store) == 8

    found = store.similarity_search(docs[3].page_content, k=1)
    assert found[0].id == docs[3].id
    assert found[0].metadata == docs[3].metadata
    assert found[0].page_content == docs[3].page_content


def test_ids_are_stable_across_runs_and_independent_of_the_question(make_retriever: MakeRetriever) -> None:
    first = make_retriever(mode="code", k=1).invoke("rendering")[0]
    again = make_retriever(mode="code", k=1).invoke("a different question")[0]

    # The same snippet has the same ID in every run and process: this literal must never change,
    # or every store ingested so far would get duplicates instead of updates.
    assert first.id == again.id == "e2869a61-44a3-5cbf-bc6a-a13e321acb62"
