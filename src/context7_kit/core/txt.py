"""Context7's ``txt`` format (Markdown) read back into typed snippets: the one parser.

Servers answer ``type=txt`` (and on-premise servers answer ``/v2/context`` in
nothing else) as Markdown: each snippet is a ``### Title`` heading, an
optional ``Source: <url>`` line, a description or prose, then fenced code
blocks; snippets are separated by a line of dashes. That is what
:func:`context7_kit.core.documents.render_snippet` writes and what
context7.com sends, so :func:`parse_txt` reads both.

A snippet with fenced code blocks and no prose after them is a
:class:`CodeSnippet` (title, source, description, blocks); anything else is
an :class:`InfoSnippet` (breadcrumb, source, content). The format does not
carry token counts, page titles or a code snippet's main language: tokens are
estimated (about four characters a token) and the language is the first
block's. Prose that itself holds fenced code with nothing after it reads back
as a code snippet: the text cannot tell them apart.
"""

from __future__ import annotations

import re

from context7_kit.core.models import CodeBlock, CodeSnippet, InfoSnippet

# A line of dashes (ten or more) outside a code fence ends a snippet; Markdown rules (---) do not.
_SEPARATOR = re.compile(r"^-{10,}\s*$")
_FENCE = re.compile(r"^(`{3,}|~{3,})\s*([^`\s]*)[^`]*$")
_SOURCE = "Source:"


def estimate_tokens(text: str) -> int:
    """A rough token count (about four characters a token) for text that came without one."""
    return (len(text) + 3) // 4


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def split_chunks(text: str) -> list[list[str]]:
    """The lines of each snippet: the text cut at separator lines that are not inside a code fence."""
    chunks: list[list[str]] = [[]]
    fence: str | None = None
    for line in text.replace("\r\n", "\n").split("\n"):
        if fence is None:
            if _SEPARATOR.match(line):
                chunks.append([])
                continue
            opening = _FENCE.match(line)
            if opening:
                fence = opening.group(1)
        elif _closes(line, fence):
            fence = None
        chunks[-1].append(line)
    return [chunk for chunk in chunks if any(line.strip() for line in chunk)]


def _blocks(lines: list[str]) -> tuple[list[str], list[CodeBlock], bool]:
    """Prose before the first fence, the fenced blocks, and whether any prose follows a fence."""
    before: list[str] = []
    blocks: list[CodeBlock] = []
    prose_after = False
    index = 0
    while index < len(lines):
        line = lines[index]
        opening = _FENCE.match(line)
        if opening is None:
            if blocks:
                prose_after = prose_after or bool(line.strip())
            else:
                before.append(line)
            index += 1
            continue
        fence, language = opening.group(1), opening.group(2)
        body: list[str] = []
        index += 1
        while index < len(lines) and not _closes(lines[index], fence):
            body.append(lines[index])
            index += 1
        index += 1  # the closing fence (or the end of an unclosed block)
        blocks.append(CodeBlock(language=language, code="\n".join(body)))
    return before, blocks, prose_after


def parse_snippet(lines: list[str]) -> CodeSnippet | InfoSnippet:
    """One snippet from its lines (see the module docstring for the format)."""
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    title = ""
    if index < len(lines) and lines[index].startswith("### "):
        title = lines[index][4:].strip()
        index += 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    source = ""
    if index < len(lines) and lines[index].startswith(_SOURCE):
        source = lines[index][len(_SOURCE) :].strip()
        index += 1
    body = lines[index:]
    before, blocks, prose_after = _blocks(body)
    if blocks and not prose_after:
        description = "\n".join(before).strip()
        return CodeSnippet(
            code_title=title,
            code_description=description,
            code_language=blocks[0].language,
            code_tokens=estimate_tokens(description + "".join(block.code for block in blocks)),
            code_id=source,
            code_list=blocks,
        )
    content = "\n".join(body).strip()
    return InfoSnippet(
        content=content,
        content_tokens=estimate_tokens(content),
        page_id=source or None,
        breadcrumb=title or None,
    )


def parse_txt(text: str) -> list[CodeSnippet | InfoSnippet]:
    """Every snippet of a ``type=txt`` answer, in order."""
    return [parse_snippet(chunk) for chunk in split_chunks(text)]


__all__ = ["estimate_tokens", "parse_snippet", "parse_txt", "split_chunks"]
