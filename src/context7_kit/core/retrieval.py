"""What the framework adapters fetch, planned once: a retriever's question and a reader's ingestion.

:class:`Retrieval` is a retriever's settings (library, version, mode,
source); :meth:`Retrieval.retrieve` turns one question into ranked
documents with as few requests as answer it: one ``/v2/context`` call (the
default), or with ``source="docs"`` one ``/v2/docs`` page per mode sized to
``k`` (``k=15`` with code and prose is two calls of 8, not four of 10).

:class:`DocsRequest` is one ingestion: a library and the questions to load
it for, one ``/v2/context`` call per question (or ``/v2/docs`` pages by
topic with ``source="docs"``), snippets de-duplicated across questions and
kept within a token budget. Its documents carry only the snippet's own
metadata, so a snippet found by two questions is one document.

The sync and async methods differ only in their I/O lines.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from itertools import islice
from typing import Any, Literal

from context7_kit.core._base import check_docs_request
from context7_kit.core.async_client import AsyncContext7Client
from context7_kit.core.client import Context7Client
from context7_kit.core.documents import (
    Modes,
    SnippetDocument,
    clip_query,
    context_documents,
    dedupe,
    interleave,
    modes,
    paged_documents,
    ranked,
)
from context7_kit.core.errors import InvalidInputError
from context7_kit.core.library_id import MAX_LIMIT, MAX_PAGE, LibraryId, check_text
from context7_kit.core.models import PagedSnippet

Source = Literal["context", "docs"]
"""Where documentation comes from: ``/v2/context`` (every server) or ``/v2/docs`` pages (Surface A servers)."""

MAX_K = MAX_PAGE * MAX_LIMIT
"""The most snippets a retriever returns: what ``/v2/docs`` serves for one topic and mode, 10 pages of 10."""

DEFAULT_QUESTION = "Overview: installation, setup and basic usage"
"""What a :class:`DocsRequest` with neither topic nor queries asks ``/v2/context``, which needs a question."""


def check_source(source: object) -> Source:
    """``source`` when it is ``"context"`` or ``"docs"``, else an :class:`InvalidInputError`."""
    if source not in ("context", "docs"):
        raise InvalidInputError(f"source must be 'context' or 'docs', not {source!r}.")
    return source


def check_k(k: object, *, name: str = "k", maximum: int = MAX_K) -> int:
    """``k`` as an integer from 1 to ``maximum``, else an :class:`InvalidInputError` saying so."""
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= maximum:
        raise InvalidInputError(f"{name} must be an integer from 1 to {maximum}, not {k!r}.")
    return k


def _context_args(library_id: str, question: str | None, version: str | None, fast: bool | None) -> dict[str, Any]:
    """``get_context`` arguments; ``fast`` is left out when unset, so the client's (and server's) default applies."""
    return {"library_id": library_id, "query": question, "version": version, **({} if fast is None else {"fast": fast})}


async def _take(snippets: AsyncIterator[PagedSnippet], n: int) -> list[PagedSnippet]:
    """The first ``n`` items of an async iterator; later pages are never requested."""
    taken: list[PagedSnippet] = []
    async for snippet in snippets:
        taken.append(snippet)
        if len(taken) >= n:
            break
    return taken


# --- retrievers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Retrieval:
    """A retriever's settings, checked once; :meth:`retrieve` answers one question."""

    library_id: str
    version: str | None = None
    mode: Modes = "both"
    source: Source = "context"
    fast: bool | None = None

    def __post_init__(self) -> None:
        modes(self.mode)
        check_source(self.source)
        LibraryId.parse(self.library_id, self.version)  # a bad ID or version fails here, before any request

    def _docs_args(self, question: str | None, k: int) -> list[tuple[dict[str, Any], int]]:
        """``iter_docs`` arguments per mode and how many snippets to take: as few, small pages as give ``k``."""
        wanted = modes(self.mode)
        need = math.ceil(k / len(wanted))
        limit = min(need, MAX_LIMIT)
        pages = min(MAX_PAGE, math.ceil(need / limit))
        common = {"library_id": self.library_id, "topic": question, "version": self.version}
        return [({**common, "mode": m, "limit": limit, "max_pages": pages}, need) for m in wanted]

    @staticmethod
    def _finish(groups: Iterable[Iterable[SnippetDocument]], question: str | None, k: int) -> list[SnippetDocument]:
        """The first ``k`` distinct documents, code and prose alternating, ranked, with the question."""
        return ranked(islice(dedupe(interleave([list(g) for g in groups])), k), query=question)

    def retrieve(self, client: Context7Client, query: str, k: int) -> list[SnippetDocument]:
        """The ``k`` documents that answer ``query`` best, in the server's order."""
        question, k = clip_query(query), check_k(k)
        if self.source == "context":
            context = client.get_context(**_context_args(self.library_id, question, self.version, self.fast))
            return self._finish(context_documents(context, mode=self.mode), question, k)
        groups = [
            paged_documents(islice(client.iter_docs(**args), need), query=True)
            for args, need in self._docs_args(question, k)
        ]
        return self._finish(groups, question, k)

    async def aretrieve(self, client: AsyncContext7Client, query: str, k: int) -> list[SnippetDocument]:
        """:meth:`retrieve` through the async client (both modes' pages at once)."""
        import asyncio  # noqa: PLC0415  (already loaded: this runs in an event loop)

        question, k = clip_query(query), check_k(k)
        if self.source == "context":
            context = await client.get_context(**_context_args(self.library_id, question, self.version, self.fast))
            return self._finish(context_documents(context, mode=self.mode), question, k)
        taken = await asyncio.gather(
            *(_take(client.iter_docs(**args), need) for args, need in self._docs_args(question, k))
        )
        return self._finish([paged_documents(group, query=True) for group in taken], question, k)


# --- readers ---------------------------------------------------------------------------------


class _Gate:
    """Lets each snippet through once, while the token budget lasts."""

    def __init__(self, max_tokens: int | None) -> None:
        self.seen: set[str] = set()
        self.left = max_tokens
        self.closed = False

    def admit(self, document: SnippetDocument) -> bool:
        if document.id in self.seen:
            return False
        if self.left is not None:
            tokens = document.metadata.get("tokens", 0)
            cost = tokens if isinstance(tokens, int) else 0
            if cost > self.left:
                self.closed = True
                return False
            self.left -= cost
        self.seen.add(document.id)
        return True


@dataclass(frozen=True)
class DocsRequest:
    """One library to load, and the questions to load it for (see :meth:`documents`).

    Readers also accept a plain library ID string, or a mapping of these
    fields such as ``{"library_id": "/vercel/next.js", "queries": ["routing", "caching"]}``.

    Args:
        library_id: a Context7 ID such as ``/vercel/next.js`` (a version may be pinned in it).
        topic: one question or topic to load the docs for.
        queries: more questions; each costs one request. With neither topic nor
            queries, :data:`DEFAULT_QUESTION` is asked (``source="docs"``: no topic).
        version: a version to pin, instead of pinning it in ``library_id``.
        mode: ``"code"``, ``"info"`` or ``"both"`` (code examples, then prose).
        source: ``"context"`` (``/v2/context``, one call per question) or ``"docs"``
            (``/v2/docs`` pages by topic, for servers that serve them).
        max_pages: with ``source="docs"``, pages to read per question and mode (1..10).
        max_tokens: stop before the snippets' token count would exceed this budget.
        fast: with ``source="context"``, ask the server to skip its reranking.
        limit: with ``source="docs"``, snippets per page (1..10); None: the reader's setting, else 10.
    """

    library_id: str
    topic: str | None = None
    queries: tuple[str, ...] = field(default=())
    version: str | None = None
    mode: Modes = "both"
    source: Source = "context"
    max_pages: int = 1
    max_tokens: int | None = None
    fast: bool | None = None
    limit: int | None = None

    def __post_init__(self) -> None:
        queries = self.queries
        if isinstance(queries, str):
            queries = (queries,)
        elif not isinstance(queries, tuple):
            try:
                queries = tuple(queries)
            except TypeError:
                raise InvalidInputError(f"queries must be a list of questions, not {queries!r}.") from None
        object.__setattr__(self, "queries", queries)
        for text in (self.topic, *queries):
            if text is not None and not isinstance(text, str):
                raise InvalidInputError(f"A question must be a string, not {type(text).__name__}: {text!r}.")
            check_text("query", clip_query(text))
        check_source(self.source)
        for mode in modes(self.mode):
            check_docs_request(
                self.library_id,
                mode=mode,
                version=self.version,
                max_pages=self.max_pages,
                max_tokens=self.max_tokens,
                limit=self._limit,
            )

    @property
    def _limit(self) -> int:
        return MAX_LIMIT if self.limit is None else self.limit

    @property
    def questions(self) -> tuple[str | None, ...]:
        """The questions asked, one request each (per mode with ``source="docs"``), without repeats."""
        asked = [q for q in (clip_query(t) for t in (self.topic, *self.queries)) if q]
        unique = tuple(dict.fromkeys(asked))
        if unique:
            return unique
        return (DEFAULT_QUESTION,) if self.source == "context" else (None,)

    @classmethod
    def coerce(cls, value: DocsRequest | str | Mapping[str, Any]) -> DocsRequest:
        """A request from a request, a library ID string, or a mapping of its fields."""
        if isinstance(value, DocsRequest):
            return value
        if isinstance(value, str):
            return cls(library_id=value)
        if isinstance(value, Mapping):
            try:
                return cls(**value)
            except TypeError:
                names = ", ".join(f.name for f in fields(cls))
                raise InvalidInputError(
                    f"Cannot build a DocsRequest from {dict(value)!r}: use the keys {names}."
                ) from None
        raise InvalidInputError(
            f"A request must be a DocsRequest, a library ID string or a mapping, not {type(value).__name__}."
        )

    def _docs_args(self, question: str | None, mode: str) -> dict[str, Any]:
        return {
            "library_id": self.library_id,
            "topic": question,
            "mode": mode,
            "version": self.version,
            "max_pages": self.max_pages,
            "limit": self._limit,
        }

    def _fetch(self, client: Context7Client, question: str | None) -> Iterator[SnippetDocument]:
        if self.source == "context":
            groups = context_documents(
                client.get_context(**_context_args(self.library_id, question, self.version, self.fast)), mode=self.mode
            )
            yield from (d for group in groups for d in group)
            return
        for mode in modes(self.mode):
            yield from paged_documents(client.iter_docs(**self._docs_args(question, mode)))

    async def _afetch(self, client: AsyncContext7Client, question: str | None) -> AsyncIterator[SnippetDocument]:
        if self.source == "context":
            groups = context_documents(
                await client.get_context(**_context_args(self.library_id, question, self.version, self.fast)),
                mode=self.mode,
            )
            for document in (d for group in groups for d in group):
                yield document
            return
        for mode in modes(self.mode):
            async for item in client.iter_docs(**self._docs_args(question, mode)):
                for document in paged_documents([item]):
                    yield document

    def documents(self, client: Context7Client) -> Iterator[SnippetDocument]:
        """The request's documents, fetched as they are read: each snippet once, within the budget."""
        gate = _Gate(self.max_tokens)
        for question in self.questions:
            for document in self._fetch(client, question):
                if gate.admit(document):
                    yield document
                if gate.closed:
                    return

    async def adocuments(self, client: AsyncContext7Client) -> AsyncIterator[SnippetDocument]:
        """:meth:`documents` through the async client."""
        gate = _Gate(self.max_tokens)
        for question in self.questions:
            async for document in self._afetch(client, question):
                if gate.admit(document):
                    yield document
                if gate.closed:
                    return


__all__ = [
    "DEFAULT_QUESTION",
    "MAX_K",
    "DocsRequest",
    "Retrieval",
    "Source",
    "check_k",
    "check_source",
]
