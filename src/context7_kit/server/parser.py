"""Docs pages to snippets, shaped like Context7's own.

Markdown is parsed here; reStructuredText and notebooks are converted to
Markdown first (:func:`parse_document`).

Parsing uses markdown-it-py's token stream (CommonMark plus tables), never
regular expressions over the text:

* **info snippets** are the prose of each section (the text between two
  headings, code blocks left out), with ``breadcrumb`` = the heading path
  (``Guide > Routing > Middleware``) and ``pageId`` = source + ``#anchor``;
* **code snippets** are fenced code blocks. The title is the nearest heading
  (or, for a second block under the same heading, the sentence introducing
  it); the description is the paragraph just before the block. Fences that
  follow each other with nothing but markup between them (MDX ``<Tabs>``,
  say) show one thing in several languages or tools and form one snippet
  whose ``codeList`` holds every block. ``codeId`` = source + ``#_snippet_N``
  (N counts the page's code snippets from 0).

Token counts are an estimate: characters / 4, rounded up, the usual rule of
thumb for English text and code with GPT-style tokenizers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from context7_kit.core.models import CodeBlock, CodeSnippet, InfoSnippet

MARKDOWN_SUFFIXES = (".md", ".mdx", ".markdown")
RST_SUFFIXES = (".rst", ".rest")
NOTEBOOK_SUFFIXES = (".ipynb",)
TEXT_SUFFIXES = (".txt",)
DOC_SUFFIXES = MARKDOWN_SUFFIXES + RST_SUFFIXES + NOTEBOOK_SUFFIXES + TEXT_SUFFIXES
"""Every file suffix a docs folder is read for."""
CHARS_PER_TOKEN = 4
_MAX_TITLE = 120

_md = MarkdownIt("commonmark", {"html": True}).enable("table")


def estimate_tokens(text: str) -> int:
    """The token estimate used everywhere: ``ceil(len(text) / 4)``."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def slugify(text: str) -> str:
    """A GitHub-style heading anchor: lower case, spaces to dashes, punctuation dropped."""
    out = []
    for ch in text.strip().lower():
        if ch.isalnum() or ch in "-_":
            out.append(ch)
        elif ch.isspace():
            out.append("-")
    return "".join(out)


@dataclass(frozen=True)
class PageSection:
    """A section of a page: its heading path, and its own prose and code plus its sub-headings, as text."""

    headings: tuple[str, ...]
    text: str


@dataclass
class ParsedPage:
    """The snippets of one page, in page order, and the section each one belongs to."""

    title: str
    code: list[CodeSnippet] = field(default_factory=list)
    info: list[InfoSnippet] = field(default_factory=list)
    sections: list[PageSection] = field(default_factory=list)
    code_sections: list[int] = field(default_factory=list)
    """For each code snippet, the index of its section in ``sections``."""
    info_sections: list[int] = field(default_factory=list)
    """For each info snippet, the index of its section in ``sections``."""


@dataclass
class _Section:
    headings: list[str]
    anchor: str
    level: int = 0
    prose: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    code_groups: int = 0


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """YAML-ish front matter (``key: value`` lines between ``---``) and the body after it."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in ("---", "..."):
            meta: dict[str, str] = {}
            for line in lines[1:end]:
                key, sep, value = line.partition(":")
                if sep and key.strip() and not key.startswith((" ", "\t")):
                    meta[key.strip().lower()] = value.strip().strip("'\"")
            # Keep line numbers stable for token maps: blank out the front matter.
            return meta, "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    return {}, text


def _inline_text(token: Token) -> str:
    """Plain text of an inline token (markup dropped, code spans kept)."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return " ".join("".join(parts).split())


_CONTROL = dict.fromkeys(c for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in "\n\t")


def _clean(text: str) -> str:
    """Drop control characters a page may contain (NULs, escapes): Unicode's ``Cc`` but newlines and tabs."""
    return text.translate(_CONTROL)


def _first_sentence(paragraph: str) -> str:
    sentence = paragraph
    for stop in (". ", "? ", "! "):
        head, sep, _ = sentence.partition(stop)
        if sep:
            sentence = head + stop.strip()
    sentence = sentence.strip().rstrip(":.").strip()
    return sentence if len(sentence) <= _MAX_TITLE else sentence[: _MAX_TITLE - 3].rstrip() + "..."


def _is_mdx_statement(text: str) -> bool:
    """An MDX ``import``/``export`` line, which is code for the MDX compiler, not prose."""
    return text.startswith(("import ", "export ")) and ("from " in text or "=" in text or "{" in text)


def _fence_language(info: str) -> str:
    words = info.strip().split()
    if not words:
        return "text"
    lang = words[0].strip("{}.")
    return lang or "text"


def _fallback_title(name: str) -> str:
    stem = name.rsplit("/", 1)[-1]
    for suffix in DOC_SUFFIXES:
        stem = stem.removesuffix(suffix)
    words = stem.replace("-", " ").replace("_", " ").split()
    return " ".join(words).capitalize() if words else "Untitled"


def parse_markdown(text: str, source: str, *, mdx: bool = False) -> ParsedPage:
    """Parse one page; ``source`` (URL or path) prefixes every ``codeId`` and ``pageId``."""
    meta, body = _split_front_matter(_clean(text))
    lines = body.split("\n")
    tokens = _md.parse(body)
    page_title = meta.get("title", "")
    if not page_title:
        for i, tok in enumerate(tokens):
            if tok.type == "heading_open" and tok.tag == "h1" and i + 1 < len(tokens):
                page_title = _inline_text(tokens[i + 1])
                break
    page_title = page_title or _fallback_title(source)
    page = ParsedPage(title=page_title)

    stack: list[tuple[int, str]] = []
    section = _Section(headings=[], anchor="")
    sections: list[_Section] = [section]
    last_paragraph = ""
    pending: list[CodeBlock] = []
    pending_intro = ""
    depth = 0  # nesting inside lists / blockquotes: their prose belongs to the enclosing block

    def flush_code() -> None:
        nonlocal pending, pending_intro
        if not pending:
            return
        heading = section.headings[-1] if section.headings else ""
        intro = _first_sentence(pending_intro) if pending_intro else ""
        title = heading if heading and (section.code_groups == 0 or not intro) else (intro or page_title)
        section.code_groups += 1
        section.code.append("\n".join(b.code for b in pending))
        page.code_sections.append(len(sections) - 1)
        description = pending_intro or (section.prose[0] if section.prose else "")
        code_text = "\n".join(b.code for b in pending)
        n = len(page.code)
        page.code.append(
            CodeSnippet(
                code_title=title,
                code_description=" ".join(description.split()),
                code_language=pending[0].language,
                code_tokens=estimate_tokens(title + description + code_text),
                code_id=f"{source}#_snippet_{n}",
                page_title=page_title,
                code_list=list(pending),
            )
        )
        pending = []
        pending_intro = ""

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            flush_code()
            level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 6
            title = _inline_text(tokens[i + 1]) if i + 1 < len(tokens) else ""
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title or page_title))
            parent = next((s for s in reversed(sections) if s.level < level), None)
            if parent is not None and title:
                parent.children.append(title)
            section = _Section(headings=[h for _, h in stack], anchor=slugify(title), level=level)
            sections.append(section)
            last_paragraph = ""
            i += 3  # heading_open, inline, heading_close
            continue
        if tok.type == "fence":
            if not pending:
                pending_intro = last_paragraph
            pending.append(CodeBlock(language=_fence_language(tok.info), code=tok.content.rstrip("\n")))
            last_paragraph = ""
        elif tok.type == "html_block":
            pass  # MDX/HTML markup between fences (tabs) keeps a code group together
        elif tok.nesting == 1 and tok.map is not None and depth == 0:
            flush_code()
            start, end = tok.map
            chunk = "\n".join(lines[start:end]).strip()
            if tok.type == "paragraph_open" and i + 1 < len(tokens):
                plain = _inline_text(tokens[i + 1])
                if mdx and _is_mdx_statement(plain):
                    chunk = plain = ""
                last_paragraph = plain
            else:
                last_paragraph = ""
            if chunk:
                section.prose.append(chunk)
        if tok.block and tok.type.endswith("_open") and tok.type != "paragraph_open":
            depth += 1
        elif tok.block and tok.type.endswith("_close") and tok.type != "paragraph_close":
            depth -= 1
        i += 1
    flush_code()

    for number, sec in enumerate(sections):
        content = "\n\n".join(sec.prose).strip()
        breadcrumb = " > ".join(sec.headings) if sec.headings else page_title
        page.sections.append(
            PageSection(
                headings=tuple(sec.headings) or (page_title,),
                text="\n\n".join([breadcrumb, content, *sec.code, *sec.children]),
            )
        )
        if not content:
            continue
        page.info_sections.append(number)
        page.info.append(
            InfoSnippet(
                content=content,
                content_tokens=estimate_tokens(content),
                page_id=f"{source}#{sec.anchor}" if sec.anchor else source,
                breadcrumb=breadcrumb,
            )
        )
    return page


def parse_document(text: str, source: str, path: str) -> ParsedPage:
    """Parse one docs file by its suffix: Markdown/MDX, reStructuredText, a Jupyter notebook, or plain text.

    reStructuredText and notebooks are turned into Markdown first
    (:mod:`context7_kit.server.formats`), so every format makes the same
    kinds of snippets; plain text is read as Markdown, as Context7 does.
    """
    lower = path.lower()
    if lower.endswith(RST_SUFFIXES):
        from context7_kit.server.formats import rst_to_markdown  # noqa: PLC0415 (docutils only when needed)

        return parse_markdown(rst_to_markdown(text, path), source)
    if lower.endswith(NOTEBOOK_SUFFIXES):
        from context7_kit.server.formats import notebook_to_markdown  # noqa: PLC0415

        return parse_markdown(notebook_to_markdown(text), source)
    return parse_markdown(text, source, mdx=lower.endswith(".mdx"))
