"""``--index postgresql://...``: the index in a real PostgreSQL, shared by replicas, answering like SQLite."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from context7_kit.server.cli import resolve_config
from context7_kit.server.index import DocsIndex, RankingOptions, build_index
from context7_kit.server.local import LocalServer
from context7_kit.server.sources import LibrarySource
from context7_kit.server.store import SnippetRow, SnippetStore
from context7_kit.server.store.postgres import PostgresStore
from context7_kit.server.store.sqlite import SqliteStore
from tests.server.conftest import FIXTURE_DOCS, WIDGETS
from tests.server.test_cli import parse
from tests.services import PostgresServer, free_port

WEIGHTS = RankingOptions().weights
SOURCES = [LibrarySource("/acme/widgets", WIDGETS), LibrarySource("/acme/gadgets", FIXTURE_DOCS / "gadgets")]

# Questions about the fixture docs and the title of the snippet that answers each.
QUESTIONS = [
    ("how do I install widgets", "Installation"),
    ("middleware ordering", "Middleware runs in the order it was added"),
    ("define a route group", "Route groups"),
    ("dark mode theme", "Dark mode"),
    ("snapshot tests", "Snapshot tests"),
    ("redirect an old route", "Redirects"),
    ("which python versions are supported", "Frequently asked questions > Which Python versions are supported?"),
    ("report a bug", "Frequently asked questions > How do I report a bug?"),
    ("apply a theme to the app", "Applying a theme"),
]
TOPICS = ["routes", "theme", "install", "middleware", "testing", "redirects"]

ROWS = [
    SnippetRow("code", "a.md", '{"n": 1}', 5, ("Install redis", "how to install", "pip install redis", "Setup")),
    SnippetRow("info", "a.md", '{"n": 2}', 7, ("Configure", "configure the caching \x00layer", "", "Setup")),
    SnippetRow("code", "b.md", '{"n": 3}', 3, ("Cache", "caches", "cache = redis()", "Caching"), b"\x01\x02\x03\x04"),
]


def title(snippet: object) -> str:
    return str(getattr(snippet, "code_title", None) or getattr(snippet, "breadcrumb", None))


def answer_titles(index: DocsIndex, question: str) -> list[str]:
    return [title(s) for part in index.context("/acme/widgets", None, question) for s in part]


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest) -> Iterator[SnippetStore]:
    made: SnippetStore
    if request.param == "sqlite":
        made = SqliteStore(None, WEIGHTS)
    else:
        made = PostgresStore(request.getfixturevalue("postgres_dsn"), WEIGHTS)
    yield made
    made.close()


def test_both_stores_keep_the_same_corpora_and_snippets(store: SnippetStore) -> None:
    before = store.data_version()
    corpus = store.replace_corpus("/a/b", "", "fp1", "2026-01-01T00:00:00+00:00", ROWS)
    assert store.data_version() != before
    assert store.corpus("/a/b", "") == corpus
    assert (corpus.snippets, corpus.tokens, corpus.fingerprint) == (3, 15, "fp1")
    assert store.libraries() == {"/a/b"}
    ids = store.in_order(corpus.id, None, 10)
    assert [s.payload for s in store.snippets(ids[::-1])] == ['{"n": 3}', '{"n": 2}', '{"n": 1}']
    assert store.in_order(corpus.id, "info", 10) == [ids[1]]
    assert [i for i, _ in store.search(corpus.id, None, ["cache", "redis"], 10)][:1] == [ids[2]]
    assert [i for i, _ in store.search(corpus.id, "code", ["install", "redis"], 10, every=True)] == [ids[0]]
    assert [i for i, _ in store.search(corpus.id, None, ["caching"], 10)] == [ids[2], ids[1]]  # stemmed
    assert store.count(corpus.id, None, ["redis", "configure"], 10) == 3
    assert store.count(corpus.id, "code", [], 10) == 2
    assert store.vectors(corpus.id) == ([ids[2]], b"\x01\x02\x03\x04")

    again = store.replace_corpus("/a/b", "", "fp2", "2026-01-02T00:00:00+00:00", ROWS[:1])
    assert store.corpus("/a/b", "") == again and again.snippets == 1
    assert store.snippets(ids[1:]) == []  # the old corpus is gone
    store.drop_library("/a/b")
    assert store.libraries() == set() and store.corpus("/a/b", "") is None


@pytest.mark.parametrize("embedding", [None, "wordllama"])
def test_postgres_answers_the_test_questions_like_sqlite(postgres_dsn: str, embedding: str | None) -> None:
    if embedding and importlib.util.find_spec("wordllama") is None:
        pytest.skip("the semantic extra (wordllama) is not installed")
    lite = DocsIndex(SOURCES, None, embedding=embedding)
    pg = DocsIndex(SOURCES, postgres_dsn, embedding=embedding)
    try:
        assert isinstance(pg.store, PostgresStore)
        assert lite.build() == pg.build()
        same_first = 0
        for question, answer in QUESTIONS:
            lite_titles, pg_titles = answer_titles(lite, question), answer_titles(pg, question)
            if embedding is None:  # lexical: both find the answer first
                assert lite_titles[0] == pg_titles[0] == answer, question
            same_first += pg_titles[0] == lite_titles[0]
        assert same_first >= 8  # of 9: fused with the same vectors, BM25 and ts_rank may still swap a near-tie
        same_first = 0
        for topic in TOPICS:
            for mode in ("code", "info"):
                lite_page = lite.docs("/acme/widgets", None, mode, topic, limit=10)
                pg_page = pg.docs("/acme/widgets", None, mode, topic, limit=10)
                lite_titles, pg_titles = [title(s) for s in lite_page.snippets], [title(s) for s in pg_page.snippets]
                assert sorted(pg_titles) == sorted(lite_titles), topic  # the same matches ...
                assert pg_page.total_pages == lite_page.total_pages
                # ... in nearly the same order: BM25 and ts_rank may swap near-ties
                assert pg_titles[0] in lite_titles[:3] and lite_titles[0] in pg_titles[:3], topic
                same_first += pg_titles[0] == lite_titles[0]
        assert same_first >= 10  # of 12
        assert [lib.id for lib in pg.search_libraries("widgets", "routes", require_name=False)] == [
            lib.id for lib in lite.search_libraries("widgets", "routes", require_name=False)
        ]
        if embedding:
            ids, vectors = pg.store.vectors(pg.store.corpus("/acme/widgets", "").id)  # type: ignore[union-attr]
            assert ids and len(vectors) % len(ids) == 0  # embeddings are stored beside the snippets
    finally:
        lite.close()
        pg.close()


def test_replicas_share_one_index_and_see_each_others_writes(postgres_dsn: str, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.md").write_text("# Guide\n\n## Setup\n\nCall `setup_one()` first:\n\n```python\nsetup_one()\n```\n")
    sources = [LibrarySource("/acme/live", docs)]
    writer = DocsIndex(sources, postgres_dsn, embedding=None)
    reader = DocsIndex(sources, postgres_dsn, embedding=None)
    try:
        writer.build()
        version = reader.store.data_version()
        reader.build()  # the docs did not change: the second replica only reads
        assert reader.store.data_version() == version
        assert "setup_one" in reader.docs("/acme/live", None, "code", "setup").snippets[0].code_list[0].code

        (docs / "guide.md").write_text(
            "# Guide\n\n## Setup\n\nCall `setup_two()` first:\n\n```python\nsetup_two()\n```\n"
        )
        writer.build()  # e.g. `context7-kit index` after a docs change
        assert "setup_two" in reader.docs("/acme/live", None, "code", "setup").snippets[0].code_list[0].code
    finally:
        writer.close()
        reader.close()


def test_two_writers_at_once_leave_one_whole_corpus(postgres_dsn: str) -> None:
    stores = [PostgresStore(postgres_dsn, WEIGHTS) for _ in range(2)]
    errors: list[BaseException] = []

    def write(store: PostgresStore) -> None:
        try:
            for round_ in range(5):
                store.replace_corpus("/a/b", "", f"fp{round_}", "2026", ROWS)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        corpus = stores[0].corpus("/a/b", "")
        assert corpus is not None and corpus.snippets == 3
        with psycopg.connect(postgres_dsn) as conn:
            assert conn.execute("SELECT count(*) FROM c7kit_corpora").fetchone() == (1,)
            assert conn.execute("SELECT count(*) FROM c7kit_snippets").fetchone() == (3,)
    finally:
        for store in stores:
            store.close()


def test_a_field_longer_than_a_tsvector_holds_is_indexed_by_its_start(postgres_dsn: str, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    huge = " ".join(f"w{i:x}q" for i in range(180_000))  # 1.6 MB of distinct words: a tsvector holds 1 MB
    (docs / "odd.md").write_text(
        f"# Odd\n\n## Small\n\nA small section.\n\n```python\nsmall = 1\n```\n\n## Huge\n\n```python\n{huge}\n```\n"
    )
    index = DocsIndex([LibrarySource("/acme/odd", docs)], postgres_dsn, embedding=None)
    try:
        assert index.build()["/acme/odd"] >= 2
        assert index.docs("/acme/odd", None, "code", "w5q").snippets
        assert index.docs("/acme/odd", None, "info", "small section").snippets
    finally:
        index.close()


def test_an_unusable_database_is_a_clear_error_without_the_password() -> None:
    url = f"postgresql://someone:pg-s3cret@127.0.0.1:{free_port()}/nowhere"
    with pytest.raises(ConnectionError) as info:
        DocsIndex(SOURCES, url, embedding=None)
    message = str(info.value)
    assert message.startswith("Cannot use the PostgreSQL index postgresql://someone:***@127.0.0.1:")
    assert "pg-s3cret" not in message


def test_the_index_command_writes_postgres_and_serve_reads_the_url(
    postgres_dsn: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    secret = postgres_dsn.replace("postgres@", "postgres:any-password@")  # trust authentication ignores it
    args = parse("index", "--library", f"/acme/widgets={WIDGETS}", "--index", secret)
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "/acme/widgets: 33 snippets" in out
    assert "any-password" not in out and ":***@" in out
    with psycopg.connect(postgres_dsn) as conn:
        assert conn.execute("SELECT library, snippets FROM c7kit_corpora").fetchall() == [("/acme/widgets", 33)]

    config = tmp_path / "server.toml"
    config.write_text(f'index = "{postgres_dsn}"\n[[libraries]]\nid = "/acme/widgets"\npath = "{WIDGETS}"\n')
    assert resolve_config(parse("serve", "--config", str(config))).index == postgres_dsn
    closed = f"postgresql://postgres@127.0.0.1:{free_port()}/x"
    args = parse("index", "--library", f"/acme/widgets={WIDGETS}", "--index", closed)
    assert args.func(args) == 2
    assert "Cannot use the PostgreSQL index" in capsys.readouterr().err


def test_a_database_that_goes_away_is_a_503_until_it_is_back(postgres_server: PostgresServer) -> None:
    with PostgresServer() as own, LocalServer({"/acme/widgets": WIDGETS}, index_path=own.fresh_dsn()) as server:
        docs = f"{server.base_url}/v2/docs/code/acme/widgets"
        assert httpx.get(docs, params={"topic": "routes"}).status_code == 200
        own.halt()  # PostgreSQL stops under a running server
        answer = httpx.get(docs, params={"topic": "themes"})
        assert answer.status_code == 503
        assert answer.json()["error"] == "index_unavailable"
        assert answer.headers["retry-after"] == "5"
        own.start()  # back, with the same data: the server reconnects by itself
        statuses = [httpx.get(docs, params={"topic": topic}).status_code for topic in ("dark mode", "install", "tests")]
        assert statuses[-1] == 200 and set(statuses) <= {200, 503}, statuses


def test_tags_indexed_once_are_served_by_every_replica_at_once(postgres_dsn: str, git_docs: Path) -> None:
    sources = [LibrarySource("/acme/repo", git_docs)]
    writer = build_index(sources, postgres_dsn, all_versions=True, embedding=None)  # `index --all-versions`
    written = writer.store.data_version()
    reader = build_index(sources, postgres_dsn, embedding=None)  # a replica starting later
    try:
        for version, expected in (("v1.0.0", ["setup_v1()"]), ("v2.0.0", ["load_plugins()", "setup_v2()"])):
            snippets = reader.docs("/acme/repo", version, "code", None).snippets  # no VersionPending: already there
            assert [b.code for s in snippets for b in s.code_list] == expected  # type: ignore[union-attr]
        assert reader.store.data_version() == written  # the replica only read
    finally:
        writer.close()
        reader.close()
