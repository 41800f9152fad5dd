"""Text analysis: identifier splitting, question cleanup, stemming, section assembly, rank fusion, formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from context7_kit.server import LibrarySource, build_index
from context7_kit.server.analysis import analyze, identifier_parts, query_terms
from context7_kit.server.index import rrf
from context7_kit.server.parser import parse_document, parse_markdown


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("removeAdditional", ["remove", "additional"]),
        ("max_file_bytes", ["max", "file", "bytes"]),
        ("HTTPSRedirectMiddleware", ["https", "redirect", "middleware"]),
        ("getHTTPResponse2", ["get", "http", "response", "2"]),
        ("__init__", []),
        ("plain", []),
        ("URL", []),
    ],
)
def test_identifier_parts(word: str, parts: list[str]) -> None:
    assert identifier_parts(word) == parts


def test_analyze_keeps_the_whole_identifier_and_adds_its_parts_once() -> None:
    text = "Use removeAdditional, or remove_additional, with the parser."
    analysed = analyze(text)
    assert analysed.startswith(text)  # the original text, whole identifiers included
    assert analysed.splitlines()[-1].split() == ["remove", "additional"]
    assert analyze("nothing compound here") == "nothing compound here"


def test_query_terms_drop_filler_but_keep_content_words_and_identifier_parts() -> None:
    question = "Has anyone been working on e.g. getting removeAdditional to work?"
    assert query_terms(question) == ["anyone", "removeadditional", "remove", "additional"]
    assert "working" in query_terms(question, cleanup=False)
    assert query_terms("removeAdditional", split=False) == ["removeadditional"]
    assert query_terms("how to do it") == ["how", "to", "do", "it"]  # nothing but stop words: keep them
    assert query_terms("") == []
    assert len(query_terms(" ".join(f"word{n}" for n in range(100)))) == 32


def test_stemming_matches_other_forms_of_a_word(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# Guide\n\n## Setup\n\nConfiguring caches speeds up repeated lookups.\n")
    for stemming, found in ((True, 1), (False, 0)):
        from context7_kit.server.index import RankingOptions

        index = build_index(
            [LibrarySource("/me/docs", docs)], embedding=None, ranking=RankingOptions(stemming=stemming)
        )
        assert len(index.ranked_context("/me/docs", None, "configure cache")) == found


def test_a_section_holds_its_prose_code_and_sub_headings_and_every_snippet_knows_its_section() -> None:
    page = parse_markdown(
        "# Guide\n\nIntro.\n\n## Caching\n\nKeep answers.\n\n```python\ncache = Cache(ttl=60)\n```\n\n"
        "### Redis\n\nUse redis.\n\n## Other\n\nElse.\n",
        "guide.md",
    )
    by_heading = {s.headings[-1]: s for s in page.sections}
    caching = by_heading["Caching"]
    assert caching.headings == ("Guide", "Caching")
    assert "Keep answers." in caching.text and "Cache(ttl=60)" in caching.text
    assert "Redis" in caching.text  # the sub-heading, not its prose
    assert "Use redis." not in caching.text
    assert "Caching" in by_heading["Guide"].text  # a page's top section lists its sections
    (code,) = page.code
    assert page.sections[page.code_sections[0]] is caching
    assert [page.sections[n].headings[-1] for n in page.info_sections] == ["Guide", "Caching", "Redis", "Other"]
    assert code.code_title == "Caching"


def test_reciprocal_rank_fusion() -> None:
    fused = rrf([[1, 2, 3], [3, 4]], [1.0, 1.0], k=60)
    assert max(fused, key=fused.__getitem__) == 3  # in both lists beats first in one
    assert fused[1] == pytest.approx(1 / 61) and fused[4] == pytest.approx(1 / 62)
    weighted = rrf([[1, 2], [2, 1]], [1.0, 0.2], k=1)
    assert weighted[1] > weighted[2]  # the heavier list decides
    assert rrf([], []) == {}


def test_rst_pages_become_headings_prose_and_code() -> None:
    rst = """
Options
=======

Use :func:`click.option` to add options.

Multiple Options
----------------

.. versionadded:: 2.0

Pass ``multiple=True``:

.. code-block:: python
   :emphasize-lines: 1

   @click.option("--name", multiple=True)
   def hello(name): ...

.. autofunction:: click.option

.. unknown-directive:: whatever

   is dropped, the page is not

>>> print(1)
1
"""
    page = parse_document(rst, "options.rst", "docs/options.rst")
    assert page.title == "Options"
    (code,) = page.code  # the dropped directives leave nothing between the two blocks: one snippet
    assert code.code_title == "Multiple Options"
    assert [b.language for b in code.code_list] == ["python", "pycon"]
    assert "multiple=True" in code.code_list[0].code
    prose = {i.breadcrumb: i.content for i in page.info}
    assert "`click.option`" in prose["Options"]
    assert "2.0" not in prose["Options > Multiple Options"]


def test_broken_rst_still_yields_what_it_can() -> None:
    page = parse_document("Title\n===\n\n.. code-block::\n\n`unclosed\n\n* list\n", "x.rst", "x.rst")
    assert page.title  # no exception, something to index


def test_notebooks_and_text_files_are_indexed_like_markdown(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": ["# Tutorial\n", "\n", "## Plotting\n", "Draw the histogram:"]},
            {"cell_type": "code", "source": "plt.hist(values)", "outputs": []},
            {"cell_type": "raw", "source": "ignored"},
        ],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
    }
    (docs / "tutorial.ipynb").write_text(json.dumps(notebook))
    (docs / "notes.txt").write_text("Deployment notes\n\nRestart the workers after each deploy.\n")
    (docs / "guide.rst").write_text("Guide\n=====\n\nTune the frobnicator.\n")
    index = build_index([LibrarySource("/me/docs", docs)], embedding=None)
    code = index.docs("/me/docs", None, "code", "histogram").snippets
    assert code and code[0].code_title == "Plotting" and code[0].code_list[0].code == "plt.hist(values)"
    assert index.docs("/me/docs", None, "info", "restart workers").snippets
    assert index.docs("/me/docs", None, "info", "frobnicator").snippets
    with pytest.raises(ValueError, match="not a notebook"):
        parse_document("{not json", "x.ipynb", "x.ipynb")
