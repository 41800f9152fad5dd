"""Ranking quality on a small corpus written for these tests: the right answer must come first.

Half the questions use the docs' words, half do not; some answers are prose,
some code. They run with lexical search alone and, when the ``semantic``
extra is installed, with hybrid search too: both must put the answer first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from context7_kit.core.models import CodeSnippet, InfoSnippet
from context7_kit.server import LibrarySource, build_index
from context7_kit.server.index import DocsIndex, RankingOptions
from context7_kit.server.semantic import wordllama_available

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "ranking"
LIBRARY = "/acme/validator"

# (question, page, heading the answer sits under, the kind of the answer)
QUESTIONS = [
    ("remove additional properties", "guide/options.md", "Removing additional properties", None),
    ("removeAdditional", "guide/options.md", "Removing additional properties", None),
    ("How do I coerce types?", "guide/options.md", "Coercing types", None),
    ("all_errors", "guide/errors.md", "Collecting every error", None),
    ("strip the fields my schema does not know about", "guide/options.md", "Removing additional properties", None),
    ("Why does validating stop after the first problem?", "guide/errors.md", "Collecting every error", "info"),
    ("turn the string 42 into a number", "guide/options.md", "Coercing types", None),
    ("Has anyone been working on e.g. caching compiled schemas?", "guide/options.md", "Caching compiled schemas", None),
    ("replace the default error text", "guide/errors.md", "Custom messages", "info"),
]


def _where(snippet: CodeSnippet | InfoSnippet, index_pages: dict[str, str]) -> tuple[str, str]:
    if isinstance(snippet, InfoSnippet):
        page, _, _anchor = snippet.page_id.partition("#")
        return page, (snippet.breadcrumb or "").split(" > ")[-1]
    return snippet.code_id.partition("#")[0], index_pages.get(snippet.code_id, snippet.code_title)


@pytest.fixture(scope="module", params=["lexical", "hybrid", "lexical, PostgreSQL", "hybrid, PostgreSQL"])
def index(request: pytest.FixtureRequest) -> DocsIndex:
    hybrid = request.param.startswith("hybrid")
    if hybrid and not wordllama_available():
        pytest.skip("the semantic extra (wordllama) is not installed")
    # The same ranking over the PostgreSQL store must find the same answers.
    location = request.getfixturevalue("postgres_server").fresh_dsn() if "PostgreSQL" in request.param else None
    return build_index([LibrarySource(LIBRARY, CORPUS)], location, embedding="auto" if hybrid else None)


@pytest.mark.parametrize(("question", "page", "heading", "kind"), QUESTIONS)
def test_the_answer_comes_first(index: DocsIndex, question: str, page: str, heading: str, kind: str | None) -> None:
    ranked = index.ranked_context(LIBRARY, None, question)
    assert ranked, question
    first = ranked[0]
    assert _where(first, {}) == (page, heading), [_where(s, {}) for s in ranked[:3]]
    if kind is not None:
        assert isinstance(first, InfoSnippet if kind == "info" else CodeSnippet)
    # The docs route ranks the same way within one kind.
    mode = "info" if isinstance(first, InfoSnippet) else "code"
    assert _where(index.docs(LIBRARY, None, mode, question).snippets[0], {}) == (page, heading)


def test_prose_and_code_share_one_list(index: DocsIndex) -> None:
    ranked = index.ranked_context(LIBRARY, None, "Why does validating stop after the first problem?")
    kinds = [type(s).__name__ for s in ranked]
    assert kinds[0] == "InfoSnippet" and "CodeSnippet" in kinds  # prose first, code after: not code-first
    code, info = index.context(LIBRARY, None, "Why does validating stop after the first problem?")
    assert code == [s for s in ranked if isinstance(s, CodeSnippet)]
    assert info == [s for s in ranked if isinstance(s, InfoSnippet)]


def test_changelog_and_migration_pages_rank_below_the_guide_and_the_weight_is_configurable() -> None:
    question = "remove additional properties"
    weighted = build_index([LibrarySource(LIBRARY, CORPUS)], embedding=None)
    pages = [_where(s, {})[0] for s in weighted.ranked_context(LIBRARY, None, question)]
    assert pages[0] == "guide/options.md"
    assert pages.index("changelog.md") > pages.index("guide/options.md")
    boosted = build_index(
        [LibrarySource(LIBRARY, CORPUS)], embedding=None, ranking=RankingOptions(history_weight=5.0, per_page=0)
    )
    assert _where(boosted.ranked_context(LIBRARY, None, question)[0], {})[0] in ("changelog.md", "migration.md")
