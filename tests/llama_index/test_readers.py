from __future__ import annotations

import asyncio
import logging
import pickle

import httpx
import pytest
from llama_index.core.schema import Document, MetadataMode

from context7_kit import AsyncContext7Client, Context7Client, Context7Error, InvalidInputError, NotFoundError
from context7_kit.core.documents import paged_documents
from context7_kit.integrations.llama_index import DEFAULT_QUESTION, Context7Reader, DocsRequest, DocumentStream
from tests.conftest import BASE_URL, TEST_KEY
from tests.fake_api import FakeAPI

CONTRACT_KEYS = {"library_id", "snippet_type", "title", "source", "language", "page_title", "tokens"}


def test_load_data_returns_one_document_per_snippet_following_the_shared_contract(
    reader: Context7Reader, client: Context7Client
) -> None:
    docs = reader.load_data("/acme/widgets", "rendering", source="docs", mode="code")

    assert len(docs) == 10
    assert all(isinstance(d, Document) for d in docs)
    neutral = list(paged_documents(client.iter_docs("/acme/widgets", topic="rendering", max_pages=1)))
    assert [d.text for d in docs] == [n.text for n in neutral]
    assert [d.metadata for d in docs] == [n.metadata for n in neutral]
    assert [d.doc_id for d in docs] == [n.id for n in neutral]
    first = docs[0]
    assert set(first.metadata) == CONTRACT_KEYS  # only what the snippet itself says
    assert first.metadata["library_id"] == "/acme/widgets"
    assert first.text.startswith("### Create widget 1\nSource: https://example.test/acme/widgets/guide.md#_snippet_1")
    assert all(v is not None for d in docs for v in d.metadata.values())


def test_each_question_is_one_context_call_and_snippets_are_loaded_once(
    reader: Context7Reader, fake_api: FakeAPI
) -> None:
    docs = reader.load_data(
        "/acme/widgets", "How do I render a widget?", queries=["How do I install it?", "How do I render a widget?"]
    )

    assert [r.url.path for r in fake_api.requests] == ["/api/v2/context"] * 2  # the repeated question is asked once
    assert [r.url.params["query"] for r in fake_api.requests] == ["How do I render a widget?", "How do I install it?"]
    assert len(docs) == 5  # both answers hold the same five snippets: each is one document
    assert len({d.doc_id for d in docs}) == 5
    assert [d.metadata["snippet_type"] for d in docs] == ["code"] * 3 + ["info"] * 2
    assert all(set(d.metadata) <= CONTRACT_KEYS | {"version"} for d in docs)


def test_without_a_question_the_reader_asks_for_an_overview(reader: Context7Reader, fake_api: FakeAPI) -> None:
    reader.load_data("/acme/widgets", queries="How do I install it?")  # one question given as a string
    reader.load_data("/acme/widgets")

    assert [r.url.params["query"] for r in fake_api.requests] == ["How do I install it?", DEFAULT_QUESTION]


def test_document_ids_are_stable_across_runs_and_topics_but_not_versions(reader: Context7Reader) -> None:
    first = [d.doc_id for d in reader.load_data("/acme/widgets")]
    again = [d.doc_id for d in reader.load_data("/acme/widgets", "other topic")]
    pinned = [d.doc_id for d in reader.load_data("/acme/widgets", version="v2.0.0")]

    assert first == again
    assert len(set(first)) == 5
    assert not set(first) & set(pinned)


def test_pinned_version_and_redirect_are_in_the_metadata(reader: Context7Reader) -> None:
    pinned = reader.load_data("/acme/widgets/v2.0.0")
    moved = reader.load_data("/acme/old-widgets")

    assert {d.metadata["version"] for d in pinned} == {"v2.0.0"}
    assert {d.metadata["library_id"] for d in moved} == {"/acme/widgets"}
    assert "version" not in moved[0].metadata


def test_bookkeeping_metadata_stays_out_of_the_embedded_text(reader: Context7Reader) -> None:
    doc = reader.load_data("/acme/widgets", "rendering")[0]

    embedded = doc.get_content(MetadataMode.EMBED)
    for_llm = doc.get_content(MetadataMode.LLM)
    assert "library_id: /acme/widgets" in embedded
    assert "rank:" not in embedded
    assert "tokens:" not in embedded
    assert "source: https://example.test" in for_llm
    assert "rank:" not in for_llm


def test_lazy_load_fetches_pages_only_as_documents_are_read(reader: Context7Reader, fake_api: FakeAPI) -> None:
    docs = reader.lazy_load_data("/acme/widgets", source="docs", mode="code", max_pages=3)
    assert fake_api.requests == []

    first = next(iter(docs))
    assert first.metadata["title"] == "Create widget 1"
    assert len(fake_api.requests) == 1

    rest = list(docs)
    assert len(rest) == 23
    assert len(fake_api.requests) == 3
    assert rest[-1].metadata["title"] == "Create widget 24"


def test_bad_input_fails_when_called_and_sends_nothing(reader: Context7Reader, fake_api: FakeAPI) -> None:
    with pytest.raises(InvalidInputError, match="library ID"):
        reader.lazy_load_data("not an id")
    with pytest.raises(InvalidInputError, match="mode"):
        reader.load_data("/acme/widgets", mode="all")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="max_pages"):
        reader.load_data("/acme/widgets", max_pages=0)
    assert fake_api.requests == []


def test_mode_both_reads_code_then_info_within_one_token_budget(reader: Context7Reader) -> None:
    # Code snippets cost 40 tokens and info snippets 20 in the fake API.
    docs = reader.load_data("/acme/widgets", source="docs", mode="both", max_tokens=440)

    kinds = [d.metadata["snippet_type"] for d in docs]
    assert kinds == ["code"] * 10 + ["info"] * 2
    assert sum(int(d.metadata["tokens"]) for d in docs) == 440


def test_max_tokens_stops_early(reader: Context7Reader) -> None:
    docs = reader.load_data("/acme/widgets", source="docs", max_pages=3, max_tokens=100)
    assert len(docs) == 2
    assert len(reader.load_data("/acme/widgets", max_tokens=100)) == 2


async def test_async_loading_gives_the_same_documents_as_sync_loading(async_reader: Context7Reader) -> None:
    sync_docs = async_reader.load_data("/acme/widgets", "rendering", mode="both")
    async_docs = await async_reader.aload_data("/acme/widgets", "rendering", mode="both")

    assert [(d.doc_id, d.text, d.metadata) for d in async_docs] == [(d.doc_id, d.text, d.metadata) for d in sync_docs]


async def test_alazy_load_data_streams_or_collects(async_reader: Context7Reader, fake_api: FakeAPI) -> None:
    stream = async_reader.alazy_load_data("/acme/widgets", source="docs", mode="code", max_pages=3)
    assert isinstance(stream, DocumentStream)
    seen = []
    async for doc in stream:
        seen.append(doc)
        if len(seen) == 1:
            assert len(fake_api.requests) == 1
    assert len(seen) == 24

    collected = await async_reader.alazy_load_data("/acme/widgets", source="docs", mode="code")
    assert [d.doc_id for d in collected] == [d.doc_id for d in seen[:10]]


async def test_async_path_uses_the_async_client(async_client: AsyncContext7Client) -> None:
    only_async = Context7Reader(client=async_client)

    docs = await only_async.aload_data("/acme/widgets")
    assert len(docs) == 5
    with pytest.raises(Context7Error, match="only an async client"):
        only_async.load_data("/acme/widgets")


async def test_sync_only_reader_says_how_to_enable_async(reader: Context7Reader) -> None:
    with pytest.raises(Context7Error, match="async_client="):
        await reader.aload_data("/acme/widgets")


def test_load_many_dedupes_by_document_id_keeping_the_first(reader: Context7Reader) -> None:
    docs = reader.load_many(
        [
            "/acme/widgets",
            {"library_id": "/acme/widgets", "topic": "rendering"},
            DocsRequest("/acme/old-widgets"),
            DocsRequest("/acme/widgets", version="v1.0.0"),
        ]
    )

    ids = [d.doc_id for d in docs]
    assert len(ids) == len(set(ids)) == 10  # the three unpinned requests find the same five snippets
    assert not {"query", "topic", "rank", "page"} & set(docs[0].metadata)
    assert {d.metadata.get("version") for d in docs[5:]} == {"v1.0.0"}


def test_load_many_checks_every_request_before_sending_any(reader: Context7Reader, fake_api: FakeAPI) -> None:
    with pytest.raises(InvalidInputError):
        reader.load_many(["/acme/widgets", {"library_id": "/acme/widgets", "mode": "sideways"}])
    with pytest.raises(InvalidInputError, match="DocsRequest"):
        reader.load_many([{"library": "/acme/widgets"}])
    assert fake_api.requests == []


def test_load_many_can_skip_failing_libraries(reader: Context7Reader, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(NotFoundError):
        reader.load_many(["/acme/widgets", "/acme/missing"])

    with caplog.at_level(logging.WARNING, logger="context7_kit.llama_index"):
        docs = reader.load_many(["/acme/missing", "/acme/widgets"], raise_on_error=False)
    assert len(docs) == 5
    assert "Skipped /acme/missing" in caplog.text
    assert TEST_KEY not in caplog.text


async def test_aload_many_matches_load_many_order_and_dedupe(async_reader: Context7Reader) -> None:
    requests = ["/acme/widgets/v1.0.0", "/acme/widgets", DocsRequest("/acme/old-widgets", mode="both")]

    expected = async_reader.load_many(requests)
    got = await async_reader.aload_many(requests)

    assert [d.doc_id for d in got] == [d.doc_id for d in expected]
    assert len(got) == 10


async def test_aload_many_runs_concurrently_within_max_concurrency() -> None:
    fake = FakeAPI()
    in_flight = 0
    peak = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.02)
        in_flight -= 1
        return fake(request)

    http = httpx.AsyncClient(transport=httpx.MockTransport(slow))
    async with AsyncContext7Client(api_key=TEST_KEY, base_url=BASE_URL, http_client=http) as client:
        reader = Context7Reader(client=client, max_concurrency=2)
        docs = await reader.aload_many([DocsRequest("/acme/widgets", topic=f"t{i}") for i in range(5)])

    assert peak == 2
    assert len(fake.requests) == 5
    assert len(docs) == 5


async def test_aload_many_raises_or_skips_failures(async_reader: Context7Reader) -> None:
    with pytest.raises(NotFoundError):
        await async_reader.aload_many(["/acme/widgets", "/acme/missing", "/acme/widgets/v1.0.0"])

    docs = await async_reader.aload_many(["/acme/missing", "/acme/widgets"], raise_on_error=False)
    assert len(docs) == 5


def test_secrets_never_serialized(fake_api: FakeAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "ctx7sk-serialization-secret-42"
    with Context7Client(api_key=secret, base_url=BASE_URL, http_client=fake_api.sync_client()) as client:
        given = Context7Reader(client=client)
        owned = Context7Reader(api_key=secret, base_url=BASE_URL, limit=5)
        for reader in (given, owned):
            for text in (reader.to_json(), str(reader.to_dict()), repr(reader), str(reader), repr(reader._source)):
                assert secret not in text
            assert secret.encode() not in pickle.dumps(reader)
            assert "client" not in reader.to_dict()

    assert owned.to_dict() == {"is_remote": True, "limit": 5, "max_concurrency": 4, "class_name": "Context7Reader"}
    # Round trip: the copy keeps its settings and takes the key from the environment.
    monkeypatch.setenv("CONTEXT7_API_KEY", "ctx7sk-from-env")
    monkeypatch.setenv("CONTEXT7_API_URL", "http://127.0.0.1:9/api")
    copy = Context7Reader.from_dict(owned.to_dict())
    assert copy.limit == 5
    assert copy.is_remote
    env_client = copy._source.sync()
    assert env_client.api_key == "ctx7sk-from-env"
    assert env_client.base_url == "http://127.0.0.1:9/api"
    copy.close()


def test_settings_come_from_arguments_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTEXT7_API_KEY", "ctx7sk-env")
    monkeypatch.setenv("CONTEXT7_API_URL", "http://127.0.0.1:9/env")

    with Context7Reader() as from_env, Context7Reader(api_key="ctx7sk-arg", base_url="http://127.0.0.1:9/arg") as given:
        assert from_env._source.sync().base_url == "http://127.0.0.1:9/env"
        assert from_env._source.sync().api_key == "ctx7sk-env"
        assert given._source.sync().base_url == "http://127.0.0.1:9/arg"
        assert given._source.sync().api_key == "ctx7sk-arg"


def test_client_and_settings_together_are_rejected(client: Context7Client) -> None:
    with pytest.raises(InvalidInputError, match="either client"):
        Context7Reader(client=client, api_key="ctx7sk-x")
    with pytest.raises(InvalidInputError, match="base_url"):
        Context7Reader(base_url="ftp://nowhere")
    with pytest.raises(InvalidInputError, match="Context7Client"):
        Context7Reader(client="not a client")  # type: ignore[arg-type]


async def test_owned_async_client_survives_a_new_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    reader = Context7Reader(api_key=TEST_KEY, base_url=BASE_URL)
    first = reader._source.async_()
    assert reader._source.async_() is first

    def in_other_loop() -> AsyncContext7Client:
        async def get() -> AsyncContext7Client:
            return reader._source.async_()

        return asyncio.run(get())

    other = await asyncio.to_thread(in_other_loop)
    assert other is not first
    await reader.aclose()


def test_reader_identity() -> None:
    reader = Context7Reader(api_key=TEST_KEY, base_url=BASE_URL)
    assert reader.is_remote is True
    assert Context7Reader.class_name() == "Context7Reader"
    assert reader.to_dict()["class_name"] == "Context7Reader"
