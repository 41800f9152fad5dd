"""A retriever over one library's Context7 documentation."""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Sequence
from itertools import chain, islice, zip_longest
from typing import Literal, TypedDict

from langchain_core.callbacks import AsyncCallbackManagerForRetrieverRun, CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import Field, field_validator

from context7_kit.core import Context, LibraryId, PagedSnippet
from context7_kit.core.documents import context_documents, dedupe, ranked, to_document, with_query
from context7_kit.core.library_id import MAX_LIMIT, MAX_PAGE, MAX_TEXT
from context7_kit.integrations.langchain._common import Context7ClientSettings, check_k, to_langchain_document

MAX_K = MAX_PAGE * MAX_LIMIT
"""The most snippets the API serves for one topic and mode: 10 pages of 10."""

Modes = Literal["code", "info", "both"]


class _DocsRequest(TypedDict):
    library_id: str
    topic: str | None
    mode: str
    version: str | None
    limit: int
    max_pages: int


class _ContextRequest(TypedDict):
    library_id: str
    query: str
    fast: bool
    version: str | None


def _modes(mode: Modes) -> tuple[str, ...]:
    return ("code", "info") if mode == "both" else (mode,)


def _paging(k: int) -> tuple[int, int]:
    """(limit, max_pages) that fetch at least ``k`` snippets in as few, small pages as the API allows."""
    limit = min(k, MAX_LIMIT)
    return limit, min(MAX_PAGE, math.ceil(k / limit))


def _clip(query: str) -> str | None:
    """The query as the API takes it: trimmed, at most 500 characters, None when empty."""
    text = " ".join(query.split())[:MAX_TEXT].rstrip()
    return text or None


def _interleave(per_mode: Sequence[Sequence[PagedSnippet]], k: int) -> list[Document]:
    """The first ``k`` snippets, alternating between modes, ranked in that order."""
    merged = (s for s in chain.from_iterable(zip_longest(*per_mode)) if s is not None)
    documents = (
        with_query(
            to_document(s.snippet, library_id=s.library_id, version=s.version), query=s.topic, page=s.page, rank=i + 1
        )
        for i, s in enumerate(merged)
    )
    return [to_langchain_document(d) for d in islice(dedupe(documents), k)]


def _from_context(context: Context, mode: Modes, k: int) -> list[Document]:
    groups = context_documents(context, mode=mode)
    documents = ranked([d for group in groups for d in group], query=context.query)
    return [to_langchain_document(d) for d in islice(dedupe(documents), k)]


async def _take(snippets: AsyncIterator[PagedSnippet], k: int) -> list[PagedSnippet]:
    """The first ``k`` items of an async iterator; later pages are never requested."""
    taken: list[PagedSnippet] = []
    if k <= 0:
        return taken
    async for snippet in snippets:
        taken.append(snippet)
        if len(taken) >= k:
            break
    return taken


class Context7Retriever(Context7ClientSettings, BaseRetriever):
    r"""Documentation snippets of one library, for a question, from Context7.

    With ``source="docs"`` the question is sent as the topic of the docs
    endpoints (``/v2/docs/{code,info}``); pages are fetched only as far as
    ``k`` needs, never past the API's 10 pages of 10. With
    ``source="context"`` it is sent to ``/v2/context``, which picks snippets
    for a question. ``mode`` chooses code snippets, prose, or both
    (alternating). Each Document carries flat metadata (``library_id``,
    ``version``, ``topic``, ``snippet_type``, ``title``, ``source``, ...) and a
    stable ``id``, so re-ingesting updates instead of duplicating.

    Setup:
        .. code-block:: bash

            pip install "context7-kit[langchain]"
            export CONTEXT7_API_KEY="ctx7sk-..."   # optional: anonymous use has low limits

    Instantiate:
        .. code-block:: python

            from context7_kit.integrations.langchain import Context7Retriever

            retriever = Context7Retriever(library_id="/vercel/next.js", version="v15.1.8", mode="code", k=5)

    Invoke:
        .. code-block:: python

            docs = retriever.invoke("middleware that rewrites paths")
            docs = retriever.invoke("middleware that rewrites paths", k=2)  # k per call
            docs = await retriever.ainvoke("middleware")  # real async I/O

    Use within a chain:
        .. code-block:: python

            from langchain_core.output_parsers import StrOutputParser
            from langchain_core.prompts import ChatPromptTemplate
            from langchain_core.runnables import RunnablePassthrough

            prompt = ChatPromptTemplate.from_template("Answer from these docs:\n{context}\n\nQuestion: {question}")


            def format_docs(docs):
                return "\n\n".join(d.page_content for d in docs)


            chain = (
                {"context": retriever | format_docs, "question": RunnablePassthrough()}
                | prompt
                | chat_model
                | StrOutputParser()
            )
            chain.invoke("How do I rewrite a path in middleware?")
    """

    library_id: str
    """Context7 library ID, '/owner/repo' or '/owner/repo/version'."""
    version: str | None = None
    """Version to pin, as listed by the library (e.g. 'v15.1.8')."""
    mode: Modes = "both"
    """'code' snippets, 'info' prose, or 'both' alternating."""
    source: Literal["docs", "context"] = "docs"
    """'docs': the question is the topic of the docs endpoints; 'context': ``/v2/context`` answers the question."""
    k: int = Field(default=10, ge=1, le=MAX_K)
    """How many Documents to return (also accepted per call: ``invoke(query, k=3)``)."""
    fast: bool = False
    """With ``source="context"``: skip the server's reranking for a quicker answer."""

    @field_validator("library_id")
    @classmethod
    def _check_library_id(cls, value: str) -> str:
        LibraryId.parse(value)  # an InvalidInputError (a ValueError) says what is wrong
        return value.strip()

    def _docs_requests(self, query: str, k: int) -> list[_DocsRequest]:
        """``iter_docs`` arguments, one set per mode."""
        limit, max_pages = _paging(k)
        return [
            _DocsRequest(
                library_id=self.library_id,
                topic=_clip(query),
                mode=mode,
                version=self.version,
                limit=limit,
                max_pages=max_pages,
            )
            for mode in _modes(self.mode)
        ]

    def _context_request(self, query: str) -> _ContextRequest:
        return _ContextRequest(
            library_id=self.library_id, query=_clip(query) or "", fast=self.fast, version=self.version
        )

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        """Fetch synchronously."""
        n = check_k(self.k if k is None else k, maximum=MAX_K)
        client = self._clients.sync()
        if self.source == "context":
            return _from_context(client.get_context(**self._context_request(query)), self.mode, n)
        per_mode = [list(islice(client.iter_docs(**request), n)) for request in self._docs_requests(query, n)]
        return _interleave(per_mode, n)

    async def _aget_relevant_documents(
        self, query: str, *, run_manager: AsyncCallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        """Fetch with the async client; both modes at once."""
        n = check_k(self.k if k is None else k, maximum=MAX_K)
        client = self._clients.async_()
        if self.source == "context":
            return _from_context(await client.get_context(**self._context_request(query)), self.mode, n)
        per_mode = await asyncio.gather(
            *(_take(client.iter_docs(**request), n) for request in self._docs_requests(query, n))
        )
        return _interleave(per_mode, n)


__all__ = ["Context7Retriever"]
