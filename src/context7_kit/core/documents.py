"""Snippets to neutral documents: the one converter both framework adapters use.

A :class:`SnippetDocument` is (text, metadata, id). The LangChain and
LlamaIndex adapters wrap it in their own Document class and add nothing, so
the same snippet is the same document, with the same ID, in both frameworks.

Text is the snippet rendered as Markdown, the way Context7's ``txt`` format
renders it. Metadata is flat: str/int values only, never None (a key without
a value is left out), so every vector store accepts it. The ID is a stable
hash of (library_id, version, snippet_type, source, title): re-ingesting the
same docs updates documents instead of duplicating them.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from context7_kit.core.models import CodeSnippet, Context, DocsPage, InfoSnippet, PagedSnippet, Snippet

SNIPPET_SEPARATOR = "\n\n" + "-" * 40 + "\n\n"
_ID_NAMESPACE = uuid.UUID("6f1c7a1e-3b7e-4e0a-9c5e-7c0d3c7a1b00")


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


def document_id(library_id: str, version: str | None, snippet_type: str, source: str | None, title: str | None) -> str:
    """A stable UUID for a snippet, the same in every framework and every run."""
    key = "\x1f".join([library_id, version or "", snippet_type, source or "", title or ""])
    return str(uuid.uuid5(_ID_NAMESPACE, hashlib.sha256(key.encode()).hexdigest()))


def to_document(
    snippet: Snippet,
    *,
    library_id: str,
    version: str | None = None,
    topic: str | None = None,
    page: int | None = None,
    rank: int | None = None,
) -> SnippetDocument:
    """Build the neutral document of one snippet; keys without a value are left out."""
    kind = "code" if isinstance(snippet, CodeSnippet) else "info"
    title = snippet_title(snippet)
    source = snippet_source(snippet)
    raw: dict[str, str | int | None] = {
        "library_id": library_id,
        "version": version,
        "topic": topic,
        "snippet_type": kind,
        "title": title,
        "source": source,
        "language": snippet.code_language if isinstance(snippet, CodeSnippet) else None,
        "page_title": snippet.page_title if isinstance(snippet, CodeSnippet) else None,
        "tokens": snippet.code_tokens if isinstance(snippet, CodeSnippet) else snippet.content_tokens,
        "page": page,
        "rank": rank,
    }
    metadata = {k: v for k, v in raw.items() if v is not None and v != ""}
    return SnippetDocument(
        text=render_snippet(snippet),
        metadata=metadata,
        id=document_id(library_id, version, kind, source, title),
    )


def page_documents(page: DocsPage, *, first_rank: int = 1) -> list[SnippetDocument]:
    """Documents of one docs page, ranked from ``first_rank``."""
    return [
        to_document(
            s,
            library_id=page.library_id,
            version=page.version,
            topic=page.topic,
            page=page.pagination.page,
            rank=first_rank + i,
        )
        for i, s in enumerate(page.snippets)
    ]


def paged_documents(snippets: Iterable[PagedSnippet]) -> Iterator[SnippetDocument]:
    """Documents of snippets yielded by ``iter_docs``."""
    for item in snippets:
        yield to_document(
            item.snippet,
            library_id=item.library_id,
            version=item.version,
            topic=item.topic,
            page=item.page,
            rank=item.rank,
        )


def context_documents(context: Context, *, modes: Iterable[str] = ("code", "info")) -> list[SnippetDocument]:
    """Documents of a ``get_context`` answer (code first, then info), ranked in that order."""
    wanted = set(modes)
    chosen: list[Snippet] = [
        s
        for s in context.snippets
        if ("code" in wanted and isinstance(s, CodeSnippet)) or ("info" in wanted and isinstance(s, InfoSnippet))
    ]
    return [
        to_document(s, library_id=context.library_id, version=context.version, topic=context.query, rank=i + 1)
        for i, s in enumerate(chosen)
    ]


def dedupe(documents: Iterable[SnippetDocument]) -> Iterator[SnippetDocument]:
    """Documents with an ID not seen before, in order."""
    seen: set[str] = set()
    for doc in documents:
        if doc.id not in seen:
            seen.add(doc.id)
            yield doc
