"""RAG ingestion: Context7 docs for several libraries and questions into a LlamaIndex vector index.

Each --query is one ``/v2/context`` request per library; a snippet found by
two questions is one document. Look at the second pass: re-ingesting the same
docs adds nothing, because every snippet has a stable document ID and
``refresh_ref_docs`` only re-embeds documents that are new or changed. Then
the index answers the question given as the argument.

    python examples/llamaindex_ingestion.py                       # offline: local server over docs/
    python examples/llamaindex_ingestion.py "How do I cache responses?" --query "caching"
    python examples/llamaindex_ingestion.py --persist-dir ./idx   # keep the index between runs
    CONTEXT7_API_KEY=ctx7sk-... python examples/llamaindex_ingestion.py "How do I write a validator?" \
        --library /pydantic/pydantic@v2.11 --query "custom validators" --query "field validators"

A library is ``/owner/repo``, pinned to a version as ``/owner/repo@version``
or ``/owner/repo/version`` (as Context7 writes it). Without CONTEXT7_API_URL /
CONTEXT7_API_KEY it starts the project's local Context7-compatible server over
the repository's docs/ folder (answering as context7.com does today) and
ingests ``/context7-kit/docs``. Without --persist-dir the index lives in a
temporary folder that is removed at the end. Embeddings come from a small deterministic hashing
embedding (no download) unless OPENAI_API_KEY is set and
llama-index-embeddings-openai is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from llama_index.core import Settings, StorageContext, VectorStoreIndex, load_index_from_storage
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.llms import MockLLM

from context7_kit.integrations.llama_index import Context7Reader, DocsRequest

ROOT = Path(__file__).resolve().parent.parent
LOCAL_LIBRARY = "/context7-kit/docs"
LOCAL_QUERIES = ["How do I create a client?", "How are failed requests retried?", "Which errors can be raised?"]


class HashingEmbedding(BaseEmbedding):
    """Deterministic bag-of-words vectors: good enough to demo retrieval, no model needed."""

    embed_dim: int = 512

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.embed_dim
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            digest = hashlib.sha256(word.encode()).digest()
            vector[int.from_bytes(digest[:4], "big") % self.embed_dim] += 1.0 if digest[4] % 2 else -1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._vector(text)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)


def embedding() -> BaseEmbedding:
    if os.getenv("OPENAI_API_KEY"):
        try:
            from llama_index.embeddings.openai import OpenAIEmbedding  # type: ignore[import-not-found]
        except ImportError:
            pass
        else:
            return OpenAIEmbedding()  # type: ignore[no-any-return]
    return HashingEmbedding()


@contextmanager
def context7_api() -> Iterator[str | None]:
    """The configured API, or the local docs server over docs/ when none is configured."""
    if os.getenv("CONTEXT7_API_URL") or os.getenv("CONTEXT7_API_KEY"):
        yield None  # the reader reads CONTEXT7_API_URL / CONTEXT7_API_KEY itself
        return
    from context7_kit.server.local import LocalServer

    with LocalServer({LOCAL_LIBRARY: ROOT / "docs"}, profile="live") as server:
        base_url = server.base_url
        print(f"Started the local docs server at {base_url} (library /context7-kit/docs)")
        yield base_url


def requests_for(libraries: list[str], queries: list[str]) -> list[DocsRequest]:
    """One request per library, each asking every question (``/owner/repo@version`` pins a version)."""
    return [DocsRequest(library.replace("@", "/", 1), queries=tuple(queries)) for library in libraries]


def ingest(reader: Context7Reader, requests: list[DocsRequest], persist_dir: Path, label: str) -> VectorStoreIndex:
    documents = reader.load_many(requests)
    if (persist_dir / "docstore.json").exists():
        index = load_index_from_storage(StorageContext.from_defaults(persist_dir=str(persist_dir)))
        changed = sum(index.refresh_ref_docs(documents))
    else:
        index = VectorStoreIndex.from_documents(documents)
        changed = len(documents)
    index.storage_context.persist(str(persist_dir))
    print(
        f"{label}: loaded {len(documents)} documents, added or updated {changed}, "
        f"index now holds {len(index.ref_doc_info)} documents"
    )
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("question", nargs="?", help="what to ask the index (default: the first --query)")
    parser.add_argument("--library", action="append", help="/owner/repo or /owner/repo@version (repeatable)")
    parser.add_argument("--query", action="append", help="a question to load docs for (repeatable)")
    parser.add_argument("--persist-dir", type=Path, help="where the index is kept (default: a temporary folder)")
    args = parser.parse_args(argv)
    Settings.embed_model = embedding()
    Settings.llm = MockLLM()  # retrieval only: no LLM is called, none is downloaded

    with context7_api() as base_url, ExitStack() as cleanup:
        libraries = args.library or ([LOCAL_LIBRARY] if base_url else [])
        if not libraries:
            parser.error("with CONTEXT7_API_URL/KEY set, pass at least one --library /owner/repo[@version]")
        queries = args.query or (LOCAL_QUERIES if base_url else [args.question] if args.question else [])
        if not queries:
            parser.error("pass a question, or at least one --query, to load docs for")
        question = args.question or queries[0]
        persist_dir = args.persist_dir or Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="c7kit-")))
        print(f"Index folder: {persist_dir}")
        requests = requests_for(libraries, queries)
        with Context7Reader(base_url=base_url) as reader:
            ingest(reader, requests, persist_dir, "Pass 1")
            index = ingest(reader, requests, persist_dir, "Pass 2")
        print(f"\nQ: {question}")
        for hit in index.as_retriever(similarity_top_k=3).retrieve(question):
            meta = hit.node.metadata
            print(f"  {hit.score:.2f}  {meta.get('title', '?')}  ({meta['library_id']}, {meta.get('source', '')})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
