"""The SQLite store: one file (a temporary one without a path), an FTS5 table ranked by BM25, embeddings as blobs.

FTS5's ``porter`` tokenizer stems; ``_`` is a token character, so a
``snake_case`` identifier stays one token (the index adds its parts beside
it). Each snippet's FTS row carries a tag token ``c<corpus><kind>`` that
restricts a match to one corpus and kind.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from context7_kit.core.models import Mode
from context7_kit.server.dbfile import IndexFile
from context7_kit.server.store import FIELDS, CorpusInfo, SnippetRow, StoredSnippet

SCHEMA_VERSION = "3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS corpora (
    id INTEGER PRIMARY KEY,
    library TEXT NOT NULL,
    version TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    indexed_at TEXT NOT NULL,
    snippets INTEGER NOT NULL,
    tokens INTEGER NOT NULL,
    UNIQUE (library, version)
);
CREATE TABLE IF NOT EXISTS snippets (
    id INTEGER PRIMARY KEY,
    corpus INTEGER NOT NULL,
    kind TEXT NOT NULL,
    position INTEGER NOT NULL,
    page TEXT NOT NULL,
    payload TEXT NOT NULL,
    vector BLOB
);
CREATE INDEX IF NOT EXISTS snippets_by_corpus ON snippets (corpus, kind, position);
CREATE VIRTUAL TABLE IF NOT EXISTS snippets_fts USING fts5 (
    title, prose, code, section, tag, tokenize = "{tokenizer}"
);
"""
_TOKENIZER = "unicode61 remove_diacritics 2 tokenchars '_'"
_TEXT_COLUMNS = "{" + " ".join(FIELDS) + "}"
_TOP_SQL = "SELECT rowid, -rank FROM snippets_fts WHERE snippets_fts MATCH ? ORDER BY rank, rowid LIMIT ?"
_COUNT_SQL = "SELECT count(*) FROM (SELECT 1 FROM snippets_fts WHERE snippets_fts MATCH ? LIMIT ?)"
_PAYLOADS_SQL = (  # in the order of the JSON array of ids given
    "SELECT s.id, s.kind, s.page, s.payload FROM json_each(?) AS j JOIN snippets AS s ON s.id = j.value ORDER BY j.key"
)


def _tags(corpus: int, kind: Mode | None) -> str:
    """The tag tokens of one corpus and kind (both kinds when None)."""
    return f"c{corpus}{kind}" if kind else f"(c{corpus}code OR c{corpus}info)"


def fts_query(terms: Sequence[str], *, every: bool = False) -> str:
    """An FTS5 expression: any (or every) one of the terms, each quoted so no FTS syntax gets through."""
    return (" AND " if every else " OR ").join('"' + t.replace('"', '""') + '"' for t in terms)


class SqliteStore:
    """A :class:`~context7_kit.server.store.SnippetStore` in one SQLite file, or in memory."""

    def __init__(self, path: str | Path | None, weights: Sequence[float], *, stemming: bool = True) -> None:
        # A writer connection and one read connection per thread (see dbfile): queries run in parallel
        # and never wait for a write. Without a path, a temporary file.
        self._file = IndexFile(path)
        self.path = str(self._file.path)
        schema = _SCHEMA.replace("{tokenizer}", ("porter " if stemming else "") + _TOKENIZER)
        version = f"{SCHEMA_VERSION}{'' if stemming else '-nostem'}"

        def prepare(db: sqlite3.Connection) -> None:
            db.executescript(schema)
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is not None and row[0] != version:
                db.executescript(
                    "DROP TABLE snippets; DROP TABLE snippets_fts; DROP TABLE corpora; DROP TABLE meta;" + schema
                )
            # Write only what differs: a worker opening the shared file must not change FTS5's configuration
            # under the queries of the others (their MATCH fails with "SQL logic error" while it changes).
            if row is None or row[0] != version:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (version,))
            rank = "bm25(" + ", ".join(str(float(w)) for w in (*weights, 0.0)) + ")"
            current = db.execute("SELECT v FROM snippets_fts_config WHERE k = 'rank'").fetchone()
            if current is None or current[0] != rank:
                db.execute("INSERT INTO snippets_fts (snippets_fts, rank) VALUES ('rank', ?)", (rank,))
            db.execute("PRAGMA quick_check(1)").fetchone()  # a damaged file fails here, not on a request

        self._file.open_checked(prepare)

    # -- corpora ----------------------------------------------------------------

    def corpus(self, library: str, version: str) -> CorpusInfo | None:
        """The corpus of a library version, or None."""
        row = (
            self._file.reader()
            .execute(
                "SELECT id, fingerprint, indexed_at, snippets, tokens FROM corpora WHERE library = ? AND version = ?",
                (library, version),
            )
            .fetchone()
        )
        return CorpusInfo(*row) if row else None

    def libraries(self) -> set[str]:
        """Every library with a corpus."""
        return {str(r[0]) for r in self._file.reader().execute("SELECT DISTINCT library FROM corpora")}

    def drop_library(self, library: str) -> None:
        """Forget every corpus of a library."""
        with self._file.write_lock:
            db = self._file.write()
            for (corpus_id,) in db.execute("SELECT id FROM corpora WHERE library = ?", (library,)).fetchall():
                self._drop_corpus(db, corpus_id)

    def _drop_corpus(self, db: sqlite3.Connection, corpus_id: int) -> None:
        self._file.wrote()
        db.execute("DELETE FROM snippets_fts WHERE rowid IN (SELECT id FROM snippets WHERE corpus = ?)", (corpus_id,))
        db.execute("DELETE FROM snippets WHERE corpus = ?", (corpus_id,))
        db.execute("DELETE FROM corpora WHERE id = ?", (corpus_id,))

    def replace_corpus(
        self, library: str, version: str, fingerprint: str, indexed_at: str, rows: Iterable[SnippetRow]
    ) -> CorpusInfo:
        """Store a corpus in one transaction, replacing the previous one of the library version."""
        with self._file.write_lock:
            db = self._file.write()
            self._file.wrote()
            db.execute("BEGIN IMMEDIATE")
            try:
                sql = "SELECT id FROM corpora WHERE library = ? AND version = ?"
                old = db.execute(sql, (library, version)).fetchone()
                if old is not None:
                    self._drop_corpus(db, int(old[0]))
                cursor = db.execute(
                    "INSERT INTO corpora (library, version, fingerprint, indexed_at, snippets, tokens) "
                    "VALUES (?, ?, ?, ?, 0, 0)",
                    (library, version, fingerprint, indexed_at),
                )
                corpus_id = cursor.lastrowid
                assert corpus_id is not None
                start = (db.execute("SELECT COALESCE(MAX(id), 0) FROM snippets").fetchone() or (0,))[0] + 1
                snippet_rows = []
                fts_rows = []
                tokens = 0
                for position, row in enumerate(rows):
                    row_id = start + position
                    snippet_rows.append((row_id, corpus_id, row.kind, position, row.page, row.payload, row.vector))
                    fts_rows.append((row_id, *row.fields, f"c{corpus_id}{row.kind}"))
                    tokens += row.tokens
                db.executemany("INSERT INTO snippets VALUES (?, ?, ?, ?, ?, ?, ?)", snippet_rows)
                db.executemany(
                    "INSERT INTO snippets_fts (rowid, title, prose, code, section, tag) VALUES (?, ?, ?, ?, ?, ?)",
                    fts_rows,
                )
                db.execute(
                    "UPDATE corpora SET snippets = ?, tokens = ? WHERE id = ?",
                    (len(snippet_rows), tokens, corpus_id),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return CorpusInfo(corpus_id, fingerprint, indexed_at, len(snippet_rows), tokens)

    # -- reading ----------------------------------------------------------------

    def _match(self, corpus: int, kind: Mode | None, terms: Sequence[str], *, every: bool = False) -> str:
        return f"tag : {_tags(corpus, kind)} AND {_TEXT_COLUMNS} : ({fts_query(terms, every=every)})"

    def search(
        self, corpus: int, kind: Mode | None, terms: Sequence[str], limit: int, *, every: bool = False
    ) -> list[tuple[int, float]]:
        """The best ``limit`` matches as (id, BM25 score), best first; ties in position order."""
        if not terms:
            return []
        rows = self._file.reader().execute(_TOP_SQL, (self._match(corpus, kind, terms, every=every), limit))
        return [(int(r[0]), float(r[1])) for r in rows]

    def count(self, corpus: int, kind: Mode | None, terms: Sequence[str], cap: int) -> int:
        """How many snippets match any term (all snippets without terms), up to ``cap``."""
        db = self._file.reader()
        if terms:
            row = db.execute(_COUNT_SQL, (self._match(corpus, kind, terms), cap)).fetchone()
        elif kind:
            sql = "SELECT count(*) FROM (SELECT 1 FROM snippets WHERE corpus = ? AND kind = ? LIMIT ?)"
            row = db.execute(sql, (corpus, kind, cap)).fetchone()
        else:
            sql = "SELECT count(*) FROM (SELECT 1 FROM snippets WHERE corpus = ? LIMIT ?)"
            row = db.execute(sql, (corpus, cap)).fetchone()
        return int(row[0]) if row else 0

    def in_order(self, corpus: int, kind: Mode | None, limit: int) -> list[int]:
        """The first ``limit`` snippet ids in position order."""
        db = self._file.reader()
        if kind:
            sql = "SELECT id FROM snippets WHERE corpus = ? AND kind = ? ORDER BY position LIMIT ?"
            rows = db.execute(sql, (corpus, kind, limit))
        else:
            rows = db.execute("SELECT id FROM snippets WHERE corpus = ? ORDER BY position LIMIT ?", (corpus, limit))
        return [int(r[0]) for r in rows]

    def snippets(self, ids: Sequence[int]) -> list[StoredSnippet]:
        """The snippets of ``ids`` in that order."""
        if not ids:
            return []
        rows = self._file.reader().execute(_PAYLOADS_SQL, (json.dumps(list(ids)),)).fetchall()
        return [StoredSnippet(int(r[0]), "code" if r[1] == "code" else "info", str(r[2]), str(r[3])) for r in rows]

    def vectors(self, corpus: int) -> tuple[list[int], bytes]:
        """Ids with an embedding, in position order, and the embeddings back to back."""
        rows = (
            self._file.reader()
            .execute(
                "SELECT id, vector FROM snippets WHERE corpus = ? AND vector IS NOT NULL ORDER BY position", (corpus,)
            )
            .fetchall()
        )
        return [int(r[0]) for r in rows], b"".join(bytes(r[1]) for r in rows)

    def data_version(self) -> int:
        """Changes on every write, by this process or another sharing the file."""
        return self._file.version()

    def close(self) -> None:
        """Close the database (and remove a temporary one)."""
        self._file.close()
