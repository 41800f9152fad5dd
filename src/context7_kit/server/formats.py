"""reStructuredText and Jupyter notebooks as Markdown, so the Markdown parser makes their snippets.

reStructuredText is parsed with `docutils <https://docutils.sourceforge.io>`_
into a document tree, which is written back as Markdown: sections become
headings, literal and doctest blocks fenced code, lists and admonitions
prose. Sphinx's common directives and roles (``code-block``, ``:func:``,
``versionadded``, ``autofunction``...), which docutils alone does not know,
are registered once so their text is kept (code examples stay code, API
stubs and tables of contents are dropped). Problems in a page never stop it:
docutils' messages are silenced and the page yields what could be read.

A notebook's Markdown cells are kept as they are and its code cells become
fenced blocks in the notebook's language.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any, ClassVar

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives, roles
from docutils.parsers.rst.directives.body import CodeBlock

_setup_lock = threading.Lock()
_ready = False
_LEADING_MARKUP = re.compile(r"^(\s*)([#>*+\-=|]|\d+[.)](?=\s|$))")

_CODE_DIRECTIVES = ("code-block", "sourcecode", "testcode", "testsetup", "click:example", "click:run", "ipython")
_PROSE_DIRECTIVES = ("versionadded", "versionchanged", "deprecated", "seealso", "tab", "tabs", "only", "centered")
_DROPPED_DIRECTIVES = (
    "toctree", "autofunction", "autoclass", "automodule", "automethod", "autoattribute", "autodata", "autoexception",
    "literalinclude", "currentmodule", "module", "index", "highlight", "glossary", "tabularcolumns", "code-tab",
    "autosummary", "program", "option", "envvar", "function", "class", "method", "attribute", "data", "exception",
    "py:function", "py:class", "py:method", "py:attribute", "py:module", "py:data", "py:exception", "versionremoved",
)  # fmt: skip
_ROLES = (
    "func", "class", "meth", "attr", "ref", "doc", "mod", "exc", "data", "obj", "option", "envvar", "file",
    "program", "command", "term", "kbd", "samp", "pep", "rfc", "abbr", "guilabel", "menuselection", "mimetype",
    "py:func", "py:class", "py:meth", "py:attr", "py:mod", "py:exc", "py:data", "py:obj", "issue", "pr", "user",
    "gh", "ghissue", "confval", "any", "js:func", "js:class", "c:func", "dfn", "download", "numref", "keyword",
)  # fmt: skip


def _setup() -> None:
    """Register the Sphinx directives and roles docutils lacks (once, under a lock)."""
    global _ready  # noqa: PLW0603 (docutils' registry is process-wide: set it up once)
    with _setup_lock:
        if _ready:
            return

        class AnyOption(dict[str, Any]):
            """Accept every directive option (Sphinx's ``:linenos:``, ``:emphasize-lines:``...)."""

            def __missing__(self, key: str) -> Any:
                return directives.unchanged

            def __contains__(self, key: object) -> bool:
                return True

        class Lenient(Directive):
            """A Sphinx directive docutils lacks: any arguments, any options, some content."""

            has_content = True
            optional_arguments = 10
            final_argument_whitespace = True
            option_spec: ClassVar[dict[str, Any]] = AnyOption()

        class Literal(Lenient):
            """A directive whose content is code (Sphinx ``code-block``, Click's ``click:example``)."""

            def run(self) -> list[Any]:
                block = nodes.literal_block("\n".join(self.content), "\n".join(self.content))
                block["language"] = self.arguments[0] if self.arguments else "python"
                return [block]

        class Prose(Lenient):
            """A directive whose content is ordinary reStructuredText (``versionadded``, ``tab``)."""

            def run(self) -> list[Any]:
                container = nodes.container()
                if self.arguments and self.name not in ("versionadded", "versionchanged", "deprecated"):
                    container += nodes.paragraph(text=" ".join(self.arguments))
                self.state.nested_parse(self.content, self.content_offset, container)
                return [container]

        class Dropped(Lenient):
            """A directive whose output Sphinx builds from elsewhere (API stubs, tables of contents)."""

            def run(self) -> list[Any]:
                return []

        class SphinxCodeBlock(CodeBlock):
            """docutils' ``code`` directive, also taking Sphinx's options (``:linenos:``...)."""

            option_spec: ClassVar[dict[str, Any]] = AnyOption(CodeBlock.option_spec)

        def literal_role(  # noqa: PLR0917 (docutils' role signature)
            name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None, content: Any = None
        ) -> tuple[list[Any], list[Any]]:
            shown = text.split("<", 1)[0].strip() if text.endswith(">") and "<" in text else text
            return [nodes.literal(rawtext, shown.lstrip("~!"))], []

        for name in ("code-block", "sourcecode"):
            directives.register_directive(name, SphinxCodeBlock)
        kinds: tuple[tuple[tuple[str, ...], type[Directive]], ...] = (
            (_CODE_DIRECTIVES[2:], Literal),
            (_PROSE_DIRECTIVES, Prose),
            (_DROPPED_DIRECTIVES, Dropped),
        )
        for names, cls in kinds:
            for name in names:
                directives.register_directive(name, cls)
        for name in _ROLES:
            roles.register_local_role(name, literal_role)
        _ready = True


def _escape(text: str) -> str:
    """Keep a prose line from reading as Markdown block syntax."""
    return _LEADING_MARKUP.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


class _MarkdownWriter:
    """Walks a docutils tree and writes Markdown blocks."""

    def __init__(self) -> None:
        self.blocks: list[str] = []

    def inline(self, node: Any) -> str:
        parts: list[str] = []
        for child in node.children:
            if isinstance(child, nodes.literal):
                parts.append("`" + child.astext().replace("`", "") + "`")
            elif isinstance(child, (nodes.system_message, nodes.problematic)):
                continue
            elif isinstance(child, nodes.Text):
                parts.append(str(child))
            else:
                parts.append(self.inline(child))
        return "".join(parts)

    def walk(self, node: Any, level: int) -> None:
        for child in node.children:
            if isinstance(child, (nodes.system_message, nodes.comment, nodes.substitution_definition, nodes.raw)):
                continue
            if isinstance(child, nodes.target) and not child.children:
                continue
            if isinstance(child, nodes.section):
                self.walk(child, level + 1)
            elif isinstance(child, nodes.title):
                title = " ".join(self.inline(child).split())
                if title:
                    self.blocks.append("#" * min(level, 6) + " " + title)
            elif isinstance(child, (nodes.literal_block, nodes.doctest_block)):
                raw_classes: list[Any] = child.get("classes", [])
                classes = [str(c) for c in raw_classes if c != "code"]
                language = child.get("language") or (classes[0] if classes else "")
                if isinstance(child, nodes.doctest_block):
                    language = "pycon"
                code = child.astext()
                fence = "~~~~" if "```" in code else "```"
                self.blocks.append(f"{fence}{language or 'text'}\n{code}\n{fence}")
            elif isinstance(child, nodes.paragraph):
                text = " ".join(self.inline(child).split())
                if text:
                    self.blocks.append(_escape(text))
            elif isinstance(child, (nodes.bullet_list, nodes.enumerated_list)):
                for item in child.children:
                    self.list_item(item)
            elif isinstance(child, nodes.definition_list):
                for item in child.children:
                    term = " ".join(self.inline(item.children[0]).split()) if item.children else ""
                    if term:
                        self.blocks.append(_escape(term + ":"))
                    for part in item.children[1:]:
                        self.walk(part, level)
            elif isinstance(child, (nodes.table, nodes.field_list, nodes.option_list, nodes.line_block)):
                text = " ".join(child.astext().split())
                if text:
                    self.blocks.append(_escape(text))
            elif isinstance(child, nodes.Element):
                self.walk(child, level)

    def list_item(self, item: Any) -> None:
        """A list item: its paragraphs as one ``- `` line, its code blocks as blocks after it."""
        text_parts: list[str] = []
        nested = _MarkdownWriter()
        for part in item.children:
            if isinstance(part, nodes.paragraph):
                text_parts.append(" ".join(self.inline(part).split()))
            else:
                nested.walk(nodes.container("", part.deepcopy()), 1)
        if text_parts:
            self.blocks.append("- " + " ".join(text_parts))
        self.blocks.extend(b for b in nested.blocks if not b.startswith("#"))


def rst_to_markdown(text: str, source: str = "<rst>") -> str:
    """A reStructuredText page as Markdown (headings, prose, fenced code)."""
    _setup()
    settings = {
        "report_level": 5,
        "halt_level": 5,
        "warning_stream": False,
        "doctitle_xform": False,
        "file_insertion_enabled": False,
        "raw_enabled": False,
        "syntax_highlight": "none",
        "input_encoding": "unicode",
    }
    tree = publish_doctree(text, source_path=source, settings_overrides=settings)
    writer = _MarkdownWriter()
    writer.walk(tree, 0)
    return "\n\n".join(writer.blocks) + "\n"


def notebook_to_markdown(text: str) -> str:
    """A Jupyter notebook's Markdown cells as they are and its code cells as fenced blocks."""
    try:
        notebook = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"not a notebook: {exc}") from None
    if not isinstance(notebook, dict):
        raise ValueError("not a notebook: the JSON is not an object")
    metadata = notebook.get("metadata") if isinstance(notebook.get("metadata"), dict) else {}
    language = "python"
    for key in ("language_info", "kernelspec"):
        info = metadata.get(key) if isinstance(metadata, dict) else None
        if isinstance(info, dict) and isinstance(info.get("name" if key == "language_info" else "language"), str):
            language = info["name" if key == "language_info" else "language"]
            break
    blocks: list[str] = []
    cells = notebook.get("cells")
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict):
            continue
        source = cell.get("source", "")
        body = "".join(s for s in source if isinstance(s, str)) if isinstance(source, list) else str(source)
        if not body.strip():
            continue
        if cell.get("cell_type") == "markdown":
            blocks.append(body.strip())
        elif cell.get("cell_type") == "code":
            fence = "~~~~" if "```" in body else "```"
            blocks.append(f"{fence}{language}\n{body.rstrip()}\n{fence}")
    return "\n\n".join(blocks) + "\n"
