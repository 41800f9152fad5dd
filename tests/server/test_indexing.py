"""Parsing, sources and the index: what a user pointing the server at a folder sees."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from context7_kit import Context7Client
from context7_kit.core.errors import NotFoundError
from context7_kit.core.models import CodeSnippet
from context7_kit.server import LibrarySource, LocalServer, build_index, parse_markdown
from context7_kit.server.index import TagNotFound
from tests.server.conftest import git


def test_sections_become_info_snippets_with_heading_paths() -> None:
    page = parse_markdown(
        "# Guide\n\nIntro.\n\n## Routing\n\nRoutes map paths.\n\n### Middleware\n\n- wraps\n- renders\n", "g.md"
    )
    assert [(i.breadcrumb, i.content) for i in page.info] == [
        ("Guide", "Intro."),
        ("Guide > Routing", "Routes map paths."),
        ("Guide > Routing > Middleware", "- wraps\n- renders"),
    ]
    assert page.info[2].page_id == "g.md#middleware"
    assert page.info[0].content_tokens == 2  # ceil(len("Intro.") / 4)


def test_code_snippets_take_heading_title_and_introducing_paragraph() -> None:
    text = (
        "# Page\n\n## Install\n\nInstall it:\n\n```bash\npip install x\n```\n\n"
        "Then check the version with a one-liner:\n\n```python\nimport x; print(x.__version__)\n```\n"
    )
    page = parse_markdown(text, "https://docs.example/install.md")
    first, second = page.code
    assert (first.code_title, first.code_description, first.code_language) == ("Install", "Install it:", "bash")
    assert first.code_id == "https://docs.example/install.md#_snippet_0"
    assert second.code_title == "Then check the version with a one-liner"
    assert second.code_id.endswith("#_snippet_1") and second.page_title == "Page"


def test_adjacent_fences_group_into_one_code_list() -> None:
    text = "# T\n\n## Run\n\nRun it:\n\n```bash\nnpm start\n```\n```bash\nyarn start\n```\n\nDone.\n\n```js\nx()\n```\n"
    page = parse_markdown(text, "r.md")
    assert [len(c.code_list) for c in page.code] == [2, 1]
    assert [b.code for b in page.code[0].code_list] == ["npm start", "yarn start"]


def test_mdx_front_matter_imports_and_components() -> None:
    text = (
        "---\ntitle: Themes\n---\nimport { Tabs } from './tabs';\n\n## Dark\n\n<Tabs>\n<Tab>\n\n"
        "```python\ndark()\n```\n\n</Tab>\n<Tab>\n\n```toml\ndark = true\n```\n\n</Tab>\n</Tabs>\n"
    )
    page = parse_markdown(text, "t.mdx", mdx=True)
    assert page.title == "Themes"
    assert len(page.code) == 1 and [b.language for b in page.code[0].code_list] == ["python", "toml"]
    assert all("import" not in i.content for i in page.info)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "```\nunterminated fence",
        "# \n\n##\n\n###### ######",
        "<div><span>unclosed",
        "| a | b |\n|---|\n| 1 |",
        "---\ntitle: only front matter",
        "\x00\x1b binary-ish \ufffd text " * 50,
        "> " * 500 + "deep",
        "- " * 300 + "deep list",
        "[link](" + "(" * 1000,
    ],
)
def test_malformed_markdown_never_raises(text: str) -> None:
    page = parse_markdown(text, "bad.md")
    assert page.title
    for info in page.info:
        assert "\x00" not in info.content


def test_unsafe_files_are_skipped_with_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    docs = tmp_path / "docs"
    outside = tmp_path / "secret"
    docs.mkdir()
    outside.mkdir()
    (docs / "good.md").write_text("# Good\n\nFine prose.\n")
    (docs / "binary.md").write_bytes(b"# Bin\x00\x01\x02" * 100)
    (docs / "latin1.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    (docs / "huge.md").write_text("# Huge\n\n" + "word " * 100_000)
    (outside / "secret.md").write_text("# Secret\n\nTop secret prose.\n")
    (docs / "link.md").symlink_to(outside / "secret.md")
    (docs / "linkdir").symlink_to(outside, target_is_directory=True)
    (docs / ".hidden").mkdir()
    (docs / ".hidden" / "h.md").write_text("# Hidden\n\nNot served.\n")
    with caplog.at_level(logging.WARNING, logger="context7_kit.server"):
        index = build_index([LibrarySource("/me/docs", docs, max_file_bytes=100_000)])
    served = index.docs("/me/docs", None, "info", None, limit=10)
    assert [s.page_id for s in served.snippets] == ["good.md#good"]  # type: ignore[union-attr]
    warnings = caplog.text
    assert "binary.md" in warnings and "latin1.md" in warnings and "huge.md" in warnings
    assert "symlink leaving the docs folder" in warnings


def test_missing_folder_serves_an_empty_library(tmp_path: Path) -> None:
    index = build_index([LibrarySource("/me/none", tmp_path / "absent")])
    assert index.library("/me/none").total_snippets == 0
    assert index.docs("/me/none", None, "code", "anything", limit=10).snippets == []


def test_index_file_is_reused_until_the_docs_change(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# A\n\n## One\n\n```python\none()\n```\n")
    db = tmp_path / "index.sqlite"
    build_index([LibrarySource("/me/docs", docs)], db).close()
    again = build_index([LibrarySource("/me/docs", docs)], db)
    first_date = again.library("/me/docs").last_update_date
    assert again.library("/me/docs").total_snippets == 1
    again.close()
    (docs / "b.md").write_text("# B\n\n## Two\n\n```python\ntwo()\n```\n")
    os.utime(docs / "b.md", (1, 1))
    changed = build_index([LibrarySource("/me/docs", docs)], db)
    assert changed.library("/me/docs").total_snippets == 2
    assert changed.library("/me/docs").last_update_date is not None and first_date is not None
    code = changed.docs("/me/docs", None, "code", "two", limit=10).snippets
    assert isinstance(code[0], CodeSnippet) and code[0].code_list[0].code == "two()"


def test_topic_ranks_title_matches_first_and_ties_keep_document_order(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    body = "".join(f"## Section {n}\n\nSome text.\n\n```python\nstep_{n}()\n```\n\n" for n in range(25))
    (docs / "a.md").write_text("# A\n\n" + body + "## Caching\n\nCache things.\n\n```python\ncache()\n```\n")
    index = build_index([LibrarySource("/me/docs", docs)])
    ranked = index.docs("/me/docs", None, "code", "caching", limit=10)
    assert ranked.snippets[0].code_title == "Caching"  # type: ignore[union-attr]
    plain = index.docs("/me/docs", None, "code", None, page=2, limit=10)
    assert [s.code_title for s in plain.snippets][:2] == ["Section 10", "Section 11"]  # type: ignore[union-attr]
    assert plain.total_pages == 3


def test_git_tags_are_served_as_versions(git_docs: Path) -> None:
    with LocalServer({"/acme/repo": git_docs}) as server, Context7Client(base_url=server.base_url) as client:
        library = client.search_library("repo")[0]
        assert library.versions == ["v2.0.0", "v1.0.0"]
        assert library.branch == "main"

        def code(version: str | None) -> list[str]:
            page = client.get_docs("/acme/repo", version=version)
            return [b.code for s in page.snippets for b in s.code_list]  # type: ignore[union-attr]

        # Files in path order; the default version is the working tree, uncommitted edit included.
        assert code(None) == ["load_plugins()", "setup_next()"]
        assert code("v1.0.0") == ["setup_v1()"]
        assert code("v2.0.0") == ["load_plugins()", "setup_v2()"]
        context = client.get_context("/acme/repo@v1.0.0", "setup")
        assert context.code_snippets[0].code_list[0].code == "setup_v1()"
        with pytest.raises(NotFoundError) as info:
            client.get_docs("/acme/repo", version="v3.0.0")
        assert info.value.error_code == "tag_not_found"


def test_git_tags_of_a_subfolder_only_when_asked(git_docs: Path) -> None:
    (git_docs / "docs").mkdir()
    (git_docs / "docs" / "sub.md").write_text("# Sub\n\n## Part\n\n```python\nsub()\n```\n")
    git(git_docs, "add", "docs")
    git(git_docs, "commit", "-qm", "sub docs")
    git(git_docs, "tag", "v3.0.0")
    auto = build_index([LibrarySource("/acme/sub", git_docs / "docs")])
    assert auto.versions("/acme/sub") == []
    with pytest.raises(TagNotFound):
        auto.ensure_version("/acme/sub", "v3.0.0")
    asked = build_index([LibrarySource("/acme/sub", git_docs / "docs", git_versions=True)], all_versions=True)
    assert asked.versions("/acme/sub")[0] == "v3.0.0"
    snippets = asked.docs("/acme/sub", "v3.0.0", "code", None, limit=10).snippets
    assert [s.code_id for s in snippets] == ["sub.md#_snippet_0"]  # type: ignore[union-attr]
    assert asked.docs("/acme/sub", "v1.0.0", "code", None, limit=10).snippets == []
