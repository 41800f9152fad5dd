"""Issue 13's bugs, each reproduced: indexing on a request, limits that could be dodged, inputs that crashed."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import httpx
import pytest

from context7_kit.server import LibrarySource, LocalServer, RateLimit, build_index
from context7_kit.server.cli import ConfigError, resolve_config
from context7_kit.server.index import DocsIndex, TagNotFound, VersionPending
from context7_kit.server.sources import GitCheckout
from tests.server.conftest import WIDGETS, git, looping_folder
from tests.server.test_cli import parse


def test_a_version_is_never_indexed_while_a_caller_waits(git_docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Asking for a tag queues it; the answer is 202 at once and other queries go on while it is indexed."""
    release = threading.Event()
    started = threading.Event()
    real_files_at = GitCheckout.files_at

    def slow_files_at(self: GitCheckout, commit: str, **kwargs: int) -> object:
        started.set()
        assert release.wait(30)  # indexing of the tag is stuck until the test lets it go
        return real_files_at(self, commit, **kwargs)

    monkeypatch.setattr(GitCheckout, "files_at", slow_files_at)
    server = LocalServer({"/acme/repo": git_docs, "/acme/widgets": WIDGETS}, all_versions=False)
    with server, httpx.Client(base_url=server.base_url, timeout=5) as http:
        params = {"libraryId": "/acme/repo/v1.0.0", "query": "setup", "type": "json"}
        pending = http.get("/v2/context", params=params)
        assert pending.status_code == 202
        assert pending.json()["error"] == "library_not_finalized"
        assert pending.headers["retry-after"] == "5"
        assert started.wait(10)
        # While the tag is being indexed, every other query is answered (a 5 s timeout would fail them).
        for _ in range(5):
            other = http.get("/v2/context", params={"libraryId": "/acme/widgets", "query": "install", "type": "json"})
            assert other.status_code == 200 and other.json()["codeSnippets"]
            assert http.get("/v2/context", params=params).status_code == 202
        release.set()
        assert server.index is not None and server.index.wait_for_indexing(30)
        done = http.get("/v2/context", params=params).json()
        assert done["codeSnippets"][0]["codeList"][0]["code"] == "setup_v1()"


def test_versions_are_indexed_ahead_of_time_or_in_the_background(git_docs: Path) -> None:
    index = build_index([LibrarySource("/acme/repo", git_docs)])
    with pytest.raises(VersionPending):
        index.ensure_version("/acme/repo", "v2.0.0")
    index.index_versions_in_background()
    assert index.wait_for_indexing(30)
    snippets = index.docs("/acme/repo", "v2.0.0", "code", None).snippets
    assert [b.code for s in snippets for b in s.code_list] == ["load_plugins()", "setup_v2()"]  # type: ignore[union-attr]
    with pytest.raises(TagNotFound):
        index.ensure_version("/acme/repo", "v9")
    index.close()


def test_tags_of_trees_are_not_versions(git_docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(git_docs, "tag", "tree-tag", "HEAD^{tree}")
    git(git_docs, "tag", "-a", "v9.0.0", "-m", "a tree", "HEAD^{tree}")
    index = build_index([LibrarySource("/acme/repo", git_docs)], all_versions=True)
    assert index.versions("/acme/repo") == ["v2.0.0", "v1.0.0"]
    index.close()
    args = parse("index", "--library", f"/acme/repo={git_docs}", "--index", str(git_docs.parent / "i.sqlite"))
    args.all_versions = True
    assert args.func(args) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_symlink_loops_and_very_deep_folders_do_not_crash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.md").write_text("# Good\n\n## Part\n\n```python\ngood()\n```\n")
    with looping_folder(docs):
        index = build_index([LibrarySource("/me/docs", docs)])
        assert index.library("/me/docs").total_snippets == 1
        index.close()
        args = parse("index", "--library", f"/me/docs={docs}", "--index", str(tmp_path / "i.sqlite"))
        assert args.func(args) == 0
        assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("limit", ["10/inf", "10/nan", "10/1e-300", "10/-5", "0/minute", "many/minute"])
def test_unusable_rate_limits_are_refused(limit: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ConfigError, match="Invalid rate limit"):
        resolve_config(parse("serve", "--library", f"/acme/widgets={WIDGETS}", "--rate-limit", limit))
    args = parse("serve", "--library", f"/acme/widgets={WIDGETS}", "--rate-limit", limit, "--port", "1")
    assert args.func(args) == 2
    assert "Use e.g." in capsys.readouterr().err


def test_forwarded_for_cannot_dodge_the_rate_limit() -> None:
    with LocalServer({"/acme/widgets": WIDGETS}, rate_limit=RateLimit(3, 86_400)) as server:
        statuses = [
            httpx.get(
                f"{server.base_url}/v2/libs/search",
                params={"libraryName": "widgets"},
                headers={"X-Forwarded-For": f"203.0.113.{n}", "Forwarded": f"for=203.0.113.{n}"},
            ).status_code
            for n in range(6)
        ]
    assert statuses == [200, 200, 200, 429, 429, 429]
    # Behind a proxy the operator names, its X-Forwarded-For is the client's address.
    with LocalServer(
        {"/acme/widgets": WIDGETS}, rate_limit=RateLimit(3, 86_400), forwarded_allow_ips="127.0.0.1"
    ) as server:
        statuses = [
            httpx.get(
                f"{server.base_url}/v2/libs/search",
                params={"libraryName": "widgets"},
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            ).status_code
            for n in range(6)
        ]
    assert statuses == [200] * 6


def test_failed_keys_are_limited_per_address() -> None:
    server = LocalServer({"/acme/widgets": WIDGETS}, api_keys=["ctx7sk-good"])
    with server, httpx.Client(base_url=server.base_url) as http:

        def search(key: str) -> httpx.Response:
            return http.get("/v2/libs/search", params={"libraryName": "w"}, headers={"Authorization": f"Bearer {key}"})

        assert search("ctx7sk-good").status_code == 200
        guesses = [search(f"ctx7sk-guess-{n}").status_code for n in range(12)]
        assert guesses == [401] * 10 + [429] * 2
        blocked = search("ctx7sk-good")  # the address is blocked for the window, whatever key it sends
        assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
        assert "ctx7sk-guess" not in blocked.text


def test_a_corrupted_index_file_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    index = build_index([LibrarySource("/acme/widgets", WIDGETS)], db)
    assert index.library("/acme/widgets").total_snippets > 0
    index.close()
    assert [p.name for p in tmp_path.glob("index.sqlite.corrupt-*")]
    # A real index damaged in the middle (its pages overwritten) is rebuilt too.
    data = bytearray(db.read_bytes())
    data[4096:12288] = b"\xff" * 8192
    db.write_bytes(bytes(data))
    again = build_index([LibrarySource("/acme/widgets", WIDGETS)], db)
    assert again.docs("/acme/widgets", None, "code", "install").snippets
    again.close()


def test_readers_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    """A write transaction in progress (indexing) does not hold up a query on another thread."""
    index = build_index([LibrarySource("/acme/widgets", WIDGETS)], tmp_path / "index.sqlite")
    writer = index.store._file.write()
    with index.store._file.write_lock:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM snippets")
        answers: list[int] = []
        thread = threading.Thread(
            target=lambda: answers.append(len(index.docs("/acme/widgets", None, "code", "install").snippets))
        )
        thread.start()
        thread.join(10)
        writer.execute("ROLLBACK")
    assert answers and answers[0] > 0  # answered from the last committed data, while the write was open
    index.close()


def test_each_thread_reads_through_its_own_connection(tmp_path: Path) -> None:
    index = DocsIndex([LibrarySource("/acme/widgets", WIDGETS)], tmp_path / "index.sqlite")
    index.build()
    seen: list[sqlite3.Connection] = []
    threads = [threading.Thread(target=lambda: seen.append(index.store._file.reader())) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(c) for c in seen}) == 3 and index.store._file.writer not in seen
    index.close()
