"""Ranking properties of the index: what a topic or question puts first, and that pages agree."""

from __future__ import annotations

from pathlib import Path

from context7_kit.core.models import CodeSnippet
from context7_kit.server import LibrarySource, build_index

LIBRARY = "/me/docs"


def _titles(snippets: list[object]) -> list[str]:
    return [s.code_title for s in snippets if isinstance(s, CodeSnippet)]


def _write_sections(folder: Path, sections: list[tuple[str, str, str]]) -> None:
    folder.mkdir()
    body = "".join(f"## {title}\n\n{prose}\n\n```python\n{code}\n```\n\n" for title, prose, code in sections)
    (folder / "a.md").write_text("# Guide\n\n" + body)


def test_snippets_holding_every_term_rank_before_those_holding_some(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    sections = [
        ("Caching", "Caching keeps answers. Caching is fast.", "cache()"),
        ("Setup", "Point the cache at your redis server.", "setup()"),
        ("Redis", "Redis, redis and more redis.", "redis()"),
        *((f"Filler {n}", "Nothing to see here.", f"step_{n}()") for n in range(12)),
    ]
    _write_sections(docs, sections)
    index = build_index([LibrarySource(LIBRARY, docs)])
    ranked = index.docs(LIBRARY, None, "code", "cache redis", limit=10)
    assert _titles(ranked.snippets)[0] == "Setup"  # the only one with both words, though no title names them
    assert set(_titles(ranked.snippets)[1:]) == {"Caching", "Redis"}
    assert ranked.total_pages == 1
    questions = index.context(LIBRARY, None, "How do I point the cache at redis?", fast=True)[0]  # no title rerank
    assert _titles(questions)[0] == "Setup"


def test_pages_agree_with_one_long_page_and_answers_repeat(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    words = ["alpha", "beta", "gamma"]
    sections = [
        (f"Section {n}", " ".join(words[: 1 + n % 3]) + f" text {n}.", f"step_{n}()  # {words[n % 3]}")
        for n in range(40)
    ]
    _write_sections(docs, sections)
    index = build_index([LibrarySource(LIBRARY, docs)])
    for topic in ("alpha beta", "gamma", "beta alpha gamma", None):
        whole = _titles(index.docs(LIBRARY, None, "code", topic, limit=10, page=1).snippets)
        whole += _titles(index.docs(LIBRARY, None, "code", topic, limit=10, page=2).snippets)
        index.clear_cache()
        pages = [index.docs(LIBRARY, None, "code", topic, limit=4, page=p) for p in range(1, 6)]
        assert [t for p in pages for t in _titles(p.snippets)] == whole[:20], topic
        assert all(p.total_pages == pages[0].total_pages for p in pages)
        assert _titles(index.docs(LIBRARY, None, "code", topic, limit=4, page=2).snippets) == whole[4:8]
    # Equal scores keep document order: every section holds "text" once in equally long prose.
    tied = _titles(index.docs(LIBRARY, None, "code", "alpha", limit=10).snippets)
    assert len(tied) == 10 and len(set(tied)) == 10


def test_rankings_follow_a_rebuild(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _write_sections(docs, [("Old", "The widget.", "old()")])
    db = tmp_path / "index.sqlite"
    index = build_index([LibrarySource(LIBRARY, docs)], db)
    assert _titles(index.docs(LIBRARY, None, "code", "widget").snippets) == ["Old"]
    (docs / "a.md").write_text("# Guide\n\n## New\n\nThe widget, renewed.\n\n```python\nnew()\n```\n")
    index.build(force=True)
    assert _titles(index.docs(LIBRARY, None, "code", "widget").snippets) == ["New"]
    other = build_index([LibrarySource(LIBRARY, docs)], db)  # another connection sees the same file
    assert _titles(other.docs(LIBRARY, None, "code", "widget").snippets) == ["New"]
    other.close()
    index.close()


def test_a_word_in_most_snippets_neither_ranks_nor_widens_the_matches(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    sections = [(f"Part {n}", f"The widget part {n}.", f"part_{n}()") for n in range(150)]
    sections.insert(70, ("Frobnication", "Frobnicate the widget.", "frob()"))
    _write_sections(docs, sections)
    index = build_index([LibrarySource(LIBRARY, docs)], embedding=None)
    ranked = index.docs(LIBRARY, None, "code", "widget frobnicate")
    assert _titles(ranked.snippets) == ["Frobnication"]  # "widget" is in nearly every snippet: BM25 gives it no weight
    assert ranked.total_pages == 1
    everywhere = index.docs(LIBRARY, None, "code", "widget")  # nothing else asked: the common word still counts
    assert everywhere.total_pages == 10 and len(everywhere.snippets) == 10
