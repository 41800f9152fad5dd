from __future__ import annotations

from pathlib import Path

from llama_index.core import StorageContext, VectorStoreIndex, load_index_from_storage
from llama_index.core.ingestion import DocstoreStrategy, IngestionPipeline
from llama_index.core.node_parser import SentenceSplitter
from llama_index.core.storage.docstore import SimpleDocumentStore
from llama_index.core.vector_stores import SimpleVectorStore

from context7_kit.integrations.llama_index import Context7Reader, DocsRequest
from tests.llama_index._embedding import HashingEmbedding

# /v2/docs pages: 10 code and 10 info snippets, then 10 code snippets of v1.0.0.
REQUESTS = [
    DocsRequest("/acme/widgets", mode="both", source="docs"),
    DocsRequest("/acme/widgets", version="v1.0.0", mode="code", source="docs"),
]


def pipeline(docstore: SimpleDocumentStore, vector_store: SimpleVectorStore) -> IngestionPipeline:
    return IngestionPipeline(
        transformations=[SentenceSplitter(chunk_size=512, chunk_overlap=0), HashingEmbedding()],
        docstore=docstore,
        vector_store=vector_store,
        docstore_strategy=DocstoreStrategy.UPSERTS,
    )


def test_ingesting_the_same_docs_twice_adds_nothing_the_second_time(reader: Context7Reader) -> None:
    docstore, vectors = SimpleDocumentStore(), SimpleVectorStore()

    first = pipeline(docstore, vectors).run(documents=reader.load_many(REQUESTS))
    stored = len(docstore.docs)
    vector_count = len(vectors.data.embedding_dict)
    second = pipeline(docstore, vectors).run(documents=reader.load_many(REQUESTS))

    assert len(first) == 30
    assert stored == 30
    assert second == []
    assert len(docstore.docs) == stored
    assert len(vectors.data.embedding_dict) == vector_count


def test_a_snippet_found_again_by_another_question_is_not_embedded_again(reader: Context7Reader) -> None:
    docstore, vectors = SimpleDocumentStore(), SimpleVectorStore()
    first = pipeline(docstore, vectors).run(documents=reader.load_data("/acme/widgets", "How do I install it?"))

    again = pipeline(docstore, vectors).run(documents=reader.load_data("/acme/widgets", "How do I render a widget?"))

    assert len(first) == 5
    assert again == []  # the same snippets found by another question are the same documents
    assert len(docstore.docs) == 5
    assert len(vectors.data.embedding_dict) == 5


def test_persisted_docstore_keeps_a_rerun_idempotent(reader: Context7Reader, tmp_path: Path) -> None:
    docstore, vectors = SimpleDocumentStore(), SimpleVectorStore()
    pipeline(docstore, vectors).run(documents=reader.load_many(REQUESTS))
    docstore.persist(str(tmp_path / "docstore.json"))

    reloaded = SimpleDocumentStore.from_persist_path(str(tmp_path / "docstore.json"))
    again = pipeline(reloaded, vectors).run(documents=reader.load_many(REQUESTS))

    assert again == []
    assert len(reloaded.docs) == 30


def test_vector_index_over_reader_documents_answers_a_retrieval(reader: Context7Reader, tmp_path: Path) -> None:
    docs = reader.load_data("/acme/widgets", source="docs", mode="code", max_pages=2)
    index = VectorStoreIndex.from_documents(docs, embed_model=HashingEmbedding())

    hits = index.as_retriever(similarity_top_k=2).retrieve("create widget number 7")

    assert hits[0].node.metadata["title"] == "Create widget 7"
    assert hits[0].node.ref_doc_id == docs[6].doc_id

    index.storage_context.persist(str(tmp_path))
    loaded = load_index_from_storage(StorageContext.from_defaults(persist_dir=str(tmp_path)))
    assert set(loaded.ref_doc_info) == {d.doc_id for d in docs}
