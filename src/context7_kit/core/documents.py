"""Snippets to neutral documents: the one converter every framework adapter uses.

A :class:`SnippetDocument` is (text, metadata, id). The framework adapters
wrap it in their own Document class and add nothing, so the same snippet is
the same document, with the same ID, in every framework.

Text is the snippet rendered as Markdown, the way Context7's ``txt`` format
renders it. Metadata is flat: str/int values only, never None (a key without
a value is left out), so every vector store accepts it. :func:`to_document`
gives only what the snippet itself says (library, version, type, title,
source, language, page title, tokens): a snippet found by two questions is
one document with one ID and one content hash. :func:`with_query` adds what
depends on the request (``query``, ``rank``, ``page``) for retrievers and
tools; it leaves the ID alone. The ID is a stable hash of (library_id,
version, snippet_type, source, title, text): re-ingesting the same docs
updates documents instead of duplicating them, and two snippets that differ
in content never share an ID.

Also here, once for every adapter: the ``mode`` choice (code, info, both),
interleaving code and prose, clipping a question to what the API takes, and
the token estimate that text budgets are measured with.
"""

from __future__ import annotations

import hashlib
import math
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, zip_longest
from typing import Literal, TypeVar

from context7_kit.core.errors import InvalidInputError
from context7_kit.core.library_id import MAX_TEXT
from context7_kit.core.models import CodeSnippet, Context, DocsPage, PagedSnippet, Snippet

T = TypeVar("T")

SNIPPET_SEPARATOR = "\n\n" + "-" * 40 + "\n\n"
_ID_NAMESPACE = uuid.UUID("6f1c7a1e-3b7e-4e0a-9c5e-7c0d3c7a1b00")

CHARS_PER_TOKEN = 4
"""The estimate text budgets are measured with: about four characters a token."""

Modes = Literal["code", "info", "both"]
"""Which snippets to use: code examples, prose, or both (alternating where ranked)."""
_MODES: dict[str, tuple[Literal["code", "info"], ...]] = {
    "code": ("code",),
    "info": ("info",),
    "both": ("code", "info"),
}

INTRINSIC_METADATA = ("library_id", "version", "snippet_type", "title", "source", "language", "page_title", "tokens")
"""Metadata keys that describe the snippet itself: all a Reader's Documents carry."""
QUERY_METADATA = ("query", "page", "rank")
"""Metadata keys that depend on the request: retrievers and tools add them."""


@dataclass(frozen=True)
class SnippetDocument:
    """A framework-neutral document made from one snippet."""

    text: str
    metadata: dict[str, str | int] = field(default_factory=dict)
    id: str = ""


def render_snippet(snippet: Snippet) -> str:
    """Markdown for one snippet, as Context7's txt format renders it."""
    if isinstance(snippet, CodeSnippet):
        lines = [f"### {snippet.code_title or snippet.page_title or 'Code example'}"]
        if snippet.code_id:
            lines.append(f"Source: {snippet.code_id}")
        if snippet.code_description:
            lines += ["", snippet.code_description.strip()]
        for block in snippet.code_list:
            fence = "````" if "```" in block.code else "```"
            lines += ["", f"{fence}{block.language}", block.code.rstrip("\n"), fence]
        return "\n".join(lines)
    lines = [f"### {snippet.breadcrumb}"] if snippet.breadcrumb else []
    if snippet.page_id:
        lines.append(f"Source: {snippet.page_id}")
    if lines:
        lines.append("")
    lines.append(snippet.content.strip())
    return "\n".join(lines)


def render_snippets(snippets: Iterable[Snippet]) -> str:
    """Several snippets, separated as the txt format separates them."""
    return SNIPPET_SEPARATOR.join(render_snippet(s) for s in snippets)


def snippet_source(snippet: Snippet) -> str | None:
    """The snippet's source URL or path."""
    if isinstance(snippet, CodeSnippet):
        return snippet.code_id or None
    return snippet.page_id or None


def snippet_title(snippet: Snippet) -> str | None:
    """CodeTitle for code snippets, the breadcrumb for info snippets."""
    if isinstance(snippet, CodeSnippet):
        return snippet.code_title or None
    return snippet.breadcrumb or None


def document_id(
    library_id: str, version: str | None, snippet_type: str, source: str | None, title: str | None, *, text: str
) -> str:
    """A stable UUID for a snippet, the same in every framework and every run; it changes with the content."""
    key = "\x1f".join([library_id, version or "", snippet_type, source or "", title or "", text])
    return str(uuid.uuid5(_ID_NAMESPACE, hashlib.sha256(key.encode()).hexdigest()))


def to_document(snippet: Snippet, *, library_id: str, version: str | None = None) -> SnippetDocument:
    """The neutral document of one snippet, with the snippet's own metadata only."""
    kind = "code" if isinstance(snippet, CodeSnippet) else "info"
    title = snippet_title(snippet)
    source = snippet_source(snippet)
    text = render_snippet(snippet)
    raw: dict[str, str | int | None] = {
        "library_id": library_id,
        "version": version,
        "snippet_type": kind,
        "title": title,
        "source": source,
        "language": snippet.code_language if isinstance(snippet, CodeSnippet) else None,
        "page_title": snippet.page_title if isinstance(snippet, CodeSnippet) else None,
        "tokens": snippet.code_tokens if isinstance(snippet, CodeSnippet) else snippet.content_tokens,
    }
    return SnippetDocument(
        text=text,
        metadata={k: v for k, v in raw.items() if v is not None and v != ""},
        id=document_id(library_id, version, kind, source, title, text=text),
    )


def with_query(
    document: SnippetDocument, *, query: str | None = None, rank: int | None = None, page: int | None = None
) -> SnippetDocument:
    """``document`` with the request's fields added (the ID stays: it is the same snippet)."""
    added = {k: v for k, v in (("query", query), ("page", page), ("rank", rank)) if v is not None and v != ""}
    return replace(document, metadata={**document.metadata, **added})


def ranked(
    documents: Iterable[SnippetDocument], *, query: str | None, first_rank: int = 1, page: int | None = None
) -> list[SnippetDocument]:
    """``documents`` with the query and their 1-based rank (from ``first_rank``) added."""
    return [with_query(d, query=query, rank=first_rank + i, page=page) for i, d in enumerate(documents)]


def page_documents(page: DocsPage) -> list[SnippetDocument]:
    """Documents of one docs page, with the page's own metadata only."""
    return [to_document(s, library_id=page.library_id, version=page.version) for s in page.snippets]


def paged_documents(snippets: Iterable[PagedSnippet], *, query: bool = False) -> Iterator[SnippetDocument]:
    """Documents of snippets yielded by ``iter_docs``; with ``query=True``, their topic, page and rank too."""
    for item in snippets:
        document = to_document(item.snippet, library_id=item.library_id, version=item.version)
        yield with_query(document, query=item.topic, page=item.page, rank=item.rank) if query else document


def context_documents(context: Context, *, mode: Modes = "both") -> list[list[SnippetDocument]]:
    """Documents of a ``get_context`` answer, one list per mode asked for (code first), intrinsic metadata only."""
    groups = {
        "code": [to_document(s, library_id=context.library_id, version=context.version) for s in context.code_snippets],
        "info": [to_document(s, library_id=context.library_id, version=context.version) for s in context.info_snippets],
    }
    return [groups[m] for m in modes(mode)]


def dedupe(documents: Iterable[SnippetDocument]) -> Iterator[SnippetDocument]:
    """Documents with an ID not seen before, in order."""
    seen: set[str] = set()
    for doc in documents:
        if doc.id not in seen:
            seen.add(doc.id)
            yield doc


# --- what every adapter's requests share ------------------------------------------------


def modes(mode: str) -> tuple[Literal["code", "info"], ...]:
    """The API modes of a ``mode`` setting, in order; a bad one raises :class:`InvalidInputError`."""
    try:
        return _MODES[mode]
    except (KeyError, TypeError):
        raise InvalidInputError(f"mode must be 'code', 'info' or 'both', not {mode!r}.") from None


def interleave(groups: Sequence[Sequence[T]]) -> list[T]:
    """The first item of each group, then the second of each..., so code and prose alternate."""
    return [item for item in chain.from_iterable(zip_longest(*groups)) if item is not None]


def clip_query(text: str | None) -> str | None:
    """A question as the API takes it: whitespace collapsed, at most 500 characters cut at a word, None when empty."""
    if text is None:
        return None
    flat = " ".join(text.split())
    if len(flat) <= MAX_TEXT:
        return flat or None
    cut = flat[:MAX_TEXT]
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


def estimate_tokens(text: str) -> int:
    """The token estimate text budgets (``max_tokens``) are measured with."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


__all__ = [
    "CHARS_PER_TOKEN",
    "INTRINSIC_METADATA",
    "QUERY_METADATA",
    "SNIPPET_SEPARATOR",
    "Modes",
    "SnippetDocument",
    "clip_query",
    "context_documents",
    "dedupe",
    "document_id",
    "estimate_tokens",
    "interleave",
    "modes",
    "page_documents",
    "paged_documents",
    "ranked",
    "render_snippet",
    "render_snippets",
    "to_document",
    "with_query",
]
