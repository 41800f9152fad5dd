"""``Context7Retriever``: a question in, Context7 snippets out as ranked nodes."""

from __future__ import annotations

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.callbacks import CallbackManager
from llama_index.core.schema import NodeWithScore, QueryBundle
from typing_extensions import Unpack

from context7_kit.core import AsyncContext7Client
from context7_kit.core.documents import Modes, SnippetDocument
from context7_kit.core.pair import AnyClient, ClientOptions, ClientPair, ClosesClients
from context7_kit.core.retrieval import Retrieval, Source, check_k
from context7_kit.integrations.llama_index._documents import to_text_node


class Context7Retriever(ClosesClients, BaseRetriever):
    """Retrieve Context7 documentation snippets for a question about one library.

    The question is sent to Context7, which picks and orders the snippets;
    nothing is embedded locally. By default one ``/v2/context`` request
    answers each question (every Context7 server serves it); with
    ``source="docs"`` (servers that still serve ``/v2/docs``) the question is
    the topic and pages are sized so ``similarity_top_k`` costs as few
    requests as possible. Each result is a ``NodeWithScore`` whose node has
    the same text and ID as :class:`Context7Reader`'s Document for that
    snippet, plus the request's metadata (``query``, ``rank``; ``page`` with
    ``source="docs"``). Scores express the server's order only: ``1.0`` for
    the first result, falling linearly to ``1/similarity_top_k`` for the last.

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
        retriever.close()  # or: with Context7Retriever(...) as retriever: ...
    """

    def __init__(
        self,
        library_id: str,
        *,
        source: Source = "context",
        version: str | None = None,
        mode: Modes = "both",
        similarity_top_k: int = 5,
        fast: bool | None = None,
        client: AnyClient | None = None,
        async_client: AsyncContext7Client | None = None,
        callback_manager: CallbackManager | None = None,
        verbose: bool = False,
        **options: Unpack[ClientOptions],
    ) -> None:
        """Build a retriever for one library.

        Args:
            library_id: Context7 ID such as ``/vercel/next.js`` (a version may be pinned in it).
            source: ``"context"`` (``/v2/context``, the default) or ``"docs"`` (``/v2/docs`` pages).
            version: a version to pin, instead of pinning it in ``library_id``.
            mode: ``"code"``, ``"info"`` or ``"both"`` (alternating code and prose results, the default).
            similarity_top_k: how many nodes to return (1..100).
            fast: with ``source="context"``, True asks the server to skip its reranking.
            client: a :class:`Context7Client` (or an :class:`AsyncContext7Client`).
            async_client: an :class:`AsyncContext7Client` for ``aretrieve``.
            callback_manager: LlamaIndex callback manager.
            verbose: LlamaIndex verbosity flag.
            **options: :class:`~context7_kit.core.ClientOptions` of the clients the
                retriever builds (``api_key``, ``base_url``, ``timeout``, ``cache``...).
        """
        super().__init__(callback_manager=callback_manager, verbose=verbose)
        # Checked once, here, without a request: library ID, version, mode, source and k.
        self._plan = Retrieval(library_id, version, mode, source, fast)
        self.similarity_top_k = check_k(similarity_top_k, name="similarity_top_k")
        self._source = ClientPair(
            owner=type(self).__name__, twins=False, client=client, async_client=async_client, **options
        )

    @property
    def library_id(self) -> str:
        """The library searched."""
        return self._plan.library_id

    def __repr__(self) -> str:
        plan = self._plan
        return (
            f"{type(self).__name__}(library_id={plan.library_id!r}, source={plan.source!r}, "
            f"version={plan.version!r}, mode={plan.mode!r}, similarity_top_k={self.similarity_top_k})"
        )

    def _scored(self, documents: list[SnippetDocument]) -> list[NodeWithScore]:
        k = self.similarity_top_k
        return [NodeWithScore(node=to_text_node(d), score=(k - i) / k) for i, d in enumerate(documents)]

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        """The snippets Context7 ranks first for the question."""
        found = self._plan.retrieve(self._source.sync(), query_bundle.query_str, self.similarity_top_k)
        return self._scored(found)

    async def _aretrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        """Async :meth:`_retrieve`, through the async client."""
        found = await self._plan.aretrieve(self._source.async_(), query_bundle.query_str, self.similarity_top_k)
        return self._scored(found)

    def _client_pair(self) -> ClientPair:
        return self._source


__all__ = ["Context7Retriever"]
