"""Fixtures of the server tests: a running server over the fixture docs, a git checkout."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.docs_server import fixture_server

FIXTURE_DOCS = Path(__file__).resolve().parent.parent / "fixtures" / "docs"
WIDGETS = FIXTURE_DOCS / "widgets"


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture docs served as /acme/widgets, /acme/gadgets and /context7-kit/docs (empty)."""
    project_docs = tmp_path_factory.mktemp("project") / "docs"
    project_docs.mkdir()
    (project_docs / "index.md").write_text("# context7-kit\n\nServe docs locally with `context7-kit serve`.\n")
    with fixture_server(FIXTURE_DOCS, project_docs) as url:
        yield url


@contextmanager
def looping_folder(folder: Path) -> Iterator[Path]:
    """Add symlink loops and 1,100 nested folders (a Markdown file at the bottom); remove the nesting after."""
    (folder / "self.md").symlink_to("self.md")
    (folder / "a.md").symlink_to("b.md")
    (folder / "b.md").symlink_to("a.md")
    (folder / "again").symlink_to(".")
    deep = folder
    for _ in range(1100):  # one level at a time: Path.mkdir(parents=True) itself recurses
        deep = deep / "d"
        deep.mkdir()
    (deep / "deep.md").write_text("# Deep\n\ntext\n")
    try:
        yield folder
    finally:  # bottom up: removing the tree recursively would exhaust the stack too
        (deep / "deep.md").unlink()
        while deep != folder:
            deep.rmdir()
            deep = deep.parent


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def git_docs(tmp_path: Path) -> Path:
    """A git checkout of docs with tags v1.0.0 and v2.0.0 and uncommitted edits on top."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "guide.md").write_text("# Guide\n\n## Setup\n\nCall `setup_v1()` first:\n\n```python\nsetup_v1()\n```\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "v1 docs")
    git(repo, "tag", "v1.0.0")
    (repo / "guide.md").write_text("# Guide\n\n## Setup\n\nCall `setup_v2()` first:\n\n```python\nsetup_v2()\n```\n")
    (repo / "extra.md").write_text(
        "# Extra\n\n## Plugins\n\nPlugins extend the core.\n\n```python\nload_plugins()\n```\n"
    )
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "v2 docs")
    git(repo, "tag", "-a", "v2.0.0", "-m", "release 2")
    (repo / "guide.md").write_text(
        "# Guide\n\n## Setup\n\nCall `setup_next()` first:\n\n```python\nsetup_next()\n```\n"
    )
    return repo
