"""``Context7Retriever``: a question in, Context7 snippets out as ranked nodes."""

from __future__ import annotations

import asyncio
import itertools
import math
from collections.abc import Iterable, Mapping
from typing import Literal

import httpx
from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.callbacks import CallbackManager
from llama_index.core.schema import NodeWithScore, QueryBundle

from context7_kit.core import AsyncContext7Client, Context7Client, InvalidInputError, check_docs_request
from context7_kit.core.cache import CacheSetting
from context7_kit.core.documents import SnippetDocument, context_documents, dedupe, paged_documents, ranked
from context7_kit.core.library_id import MAX_PAGE, MAX_TEXT
from context7_kit.core.pair import AnyClient, ClientPair
from context7_kit.integrations.llama_index._documents import to_text_node
from context7_kit.integrations.llama_index.readers import LoadMode

Source = Literal["docs", "context"]
_MODES: dict[str, tuple[str, ...]] = {"code": ("code",), "info": ("info",), "both": ("code", "info")}


def _as_topic(question: str) -> str | None:
    """The question as the API takes it: at most 500 characters, cut at a word boundary."""
    text = " ".join(question.split())
    if len(text) <= MAX_TEXT:
        return text or None
    cut = text[:MAX_TEXT]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


def _interleave(groups: Iterable[list[SnippetDocument]]) -> list[SnippetDocument]:
    """First of each group, then second of each... so ``mode="both"`` mixes code and prose."""
    merged = itertools.chain.from_iterable(itertools.zip_longest(*groups))
    return [d for d in merged if d is not None]


class Context7Retriever(BaseRetriever):
    """Retrieve Context7 documentation snippets for a question about one library.

    The question is sent to Context7, which picks and orders the snippets;
    nothing is embedded locally. ``source="docs"`` uses the topic endpoint
    (``/v2/docs``, the question as topic); ``source="context"`` uses
    ``/v2/context``, which answers a question with code and prose snippets.
    Each result is a ``NodeWithScore`` whose node carries the shared document
    contract (same text, metadata and ID as :class:`Context7Reader`). Scores
    express the server's order only: ``1.0`` for the first result, falling
    linearly to ``1/similarity_top_k`` for the last.

    Setup:
        ``pip install "context7-kit[llama-index]"``; optionally set ``CONTEXT7_API_KEY``.

    Instantiate::

        from context7_kit.integrations.llama_index import Context7Retriever

        retriever = Context7Retriever("/vercel/next.js", version="v15.1.8", similarity_top_k=5)

    Invoke::

        nodes = retriever.retrieve("How do I add middleware?")
        nodes = await retriever.aretrieve("How do I add middleware?")

        from llama_index.core.query_engine import RetrieverQueryEngine

        engine = RetrieverQueryEngine.from_args(retriever, llm=llm)
        print(engine.query("How do I add middleware?"))
    """

    def __init__(
        self,
        library_id: str,
        *,
        source: Source = "docs",
        version: str | None = None,
        mode: LoadMode = "code",
        similarity_top_k: int = 5,
        fast: bool = False,
        client: AnyClient | None = None,
        async_client: AsyncContext7Client | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: httpx.Timeout | float | None = None,
        max_retries: int | None = None,
        max_retry_wait: float | None = None,
        cache: CacheSetting = None,
        cache_ttl: float | None = None,
        follow_redirects: bool | None = None,
        headers: Mapping[str, str] | None = None,
        callback_manager: CallbackManager | None = None,
        verbose: bool = False,
    ) -> None:
        """Build a retriever for one library.

        Args:
            library_id: Context7 ID such as ``/vercel/next.js`` (a version may be pinned in it).
            source: ``"docs"`` (topic endpoint) or ``"context"`` (question endpoint).
            version: a version to pin, instead of pinning it in ``library_id``.
            mode: ``"code"``, ``"info"`` or ``"both"`` (alternating code and prose results).
            similarity_top_k: how many nodes to return (1..100).
            fast: with ``source="context"``, skip the server's reranking.
            client: a :class:`Context7Client` (or an :class:`AsyncContext7Client`).
            async_client: an :class:`AsyncContext7Client` for ``aretrieve``.
            api_key: Context7 API key; defaults to ``CONTEXT7_API_KEY``.
            base_url: API base URL; defaults to ``CONTEXT7_API_URL``, then context7.com.
            timeout: request timeout of the clients the retriever makes.
            max_retries: retries on 429, 5xx and connection errors.
            max_retry_wait: the longest wait between retries, in seconds.
            cache: response cache (``"memory"``, a SQLite path, a ``redis://`` URL, a hishel storage).
            cache_ttl: how long cached responses stay fresh, in seconds.
            follow_redirects: follow moved libraries (301) to their new ID.
            headers: extra HTTP headers.
            callback_manager: LlamaIndex callback manager.
            verbose: LlamaIndex verbosity flag.
        """
        super().__init__(callback_manager=callback_manager, verbose=verbose)
        if source not in ("docs", "context"):
            raise InvalidInputError(f"source must be 'docs' or 'context', not {source!r}.")
        if mode not in _MODES:
            raise InvalidInputError(f"mode must be 'code', 'info' or 'both', not {mode!r}.")
        limit = MAX_PAGE * 10
        if (
            isinstance(similarity_top_k, bool)
            or not isinstance(similarity_top_k, int)
            or not (1 <= similarity_top_k <= limit)
        ):
            raise InvalidInputError(f"similarity_top_k must be an integer from 1 to {limit}, not {similarity_top_k!r}.")
        self._source = ClientPair(
            owner=type(self).__name__,
            twins=False,
            client=client,
            async_client=async_client,
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            max_retry_wait=max_retry_wait,
            cache=cache,
            cache_ttl=cache_ttl,
            follow_redirects=follow_redirects,
            headers=headers,
        )
        # The library ID and version are checked once, here, without a request.
        check_docs_request(library_id, version=version)
        self.library_id = library_id
        self.source: Source = source
        self.version = version
        self.mode: LoadMode = mode
        self.similarity_top_k = similarity_top_k
        self.fast = fast

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(library_id={self.library_id!r}, source={self.source!r}, "
            f"version={self.version!r}, mode={self.mode!r}, similarity_top_k={self.similarity_top_k})"
        )

    # -- shaping results ---------------------------------------------------------

    def _pages(self) -> int:
        return min(MAX_PAGE, math.ceil(self.similarity_top_k / 10))

    def _scored(self, groups: list[list[SnippetDocument]], query: str | None) -> list[NodeWithScore]:
        chosen = ranked(list(dedupe(_interleave(groups)))[: self.similarity_top_k], query=query)
        k = self.similarity_top_k
        return [NodeWithScore(node=to_text_node(d), score=(k - i) / k) for i, d in enumerate(chosen)]

    # -- retrieval -------------------------------------------------------------------

    def _docs(self, client: Context7Client, topic: str | None, mode: str) -> list[SnippetDocument]:
        snippets = client.iter_docs(
            self.library_id, topic=topic, mode=mode, version=self.version, max_pages=self._pages()
        )
        return list(itertools.islice(paged_documents(snippets, query=True), self.similarity_top_k))

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        """The snippets Context7 ranks first for the question."""
        client = self._source.sync()
        topic = _as_topic(query_bundle.query_str)
        modes = _MODES[self.mode]
        if self.source == "context":
            context = client.get_context(self.library_id, topic or "", fast=self.fast, version=self.version)
            return self._scored(context_documents(context, mode=self.mode), topic)
        return self._scored([self._docs(client, topic, m) for m in modes], topic)

    async def _adocs(self, client: AsyncContext7Client, topic: str | None, mode: str) -> list[SnippetDocument]:
        documents: list[SnippetDocument] = []
        snippets = client.iter_docs(
            self.library_id, topic=topic, mode=mode, version=self.version, max_pages=self._pages()
        )
        async for item in snippets:
            documents.extend(paged_documents([item], query=True))
        return documents[: self.similarity_top_k]

    async def _aretrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        """Async :meth:`_retrieve`, through the async client."""
        client = self._source.async_()
        topic = _as_topic(query_bundle.query_str)
        modes = _MODES[self.mode]
        if self.source == "context":
            context = await client.get_context(self.library_id, topic or "", fast=self.fast, version=self.version)
            return self._scored(context_documents(context, mode=self.mode), topic)
        groups = await asyncio.gather(*(self._adocs(client, topic, m) for m in modes))
        return self._scored(list(groups), topic)

    # -- lifecycle -----------------------------------------------------------------------

    def close(self) -> None:
        """Close the HTTP client the retriever made (a client you passed in stays open)."""
        self._source.close()

    async def aclose(self) -> None:
        """Close the HTTP clients the retriever made (clients you passed in stay open)."""
        await self._source.aclose()


__all__ = ["Context7Retriever"]
