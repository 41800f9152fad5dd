"""The snippet index: one SQLite file with an FTS5 table ranked by BM25.

Each (library, version) pair is a *corpus*; the default version (the docs
folder as it is on disk) has version ``""``, git tags are indexed on first
use (or ahead of time with ``build_index(..., all_versions=True)``).
Snippets are stored as their wire JSON, so answering a request is one query
and no re-serialization; the FTS5 table holds title, description, prose and
code with BM25 weights 10 / 4 / 2 / 1.

Ordering is deterministic: by BM25 when a topic or question is given, then
by position in the docs (files in path order, snippets in page order), which
is also the order without a topic. Only the first 100 matches can ever be
served (page <= 10, limit <= 10), so a query reads at most 100 rows.

A file index is reused across runs: a corpus whose fingerprint (file sizes
and mtimes, or the tag's commit) is unchanged is not parsed again.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from context7_kit.core.library_id import MAX_LIMIT, MAX_PAGE
from context7_kit.core.models import CodeSnippet, InfoSnippet, Library, Mode
from context7_kit.server.parser import parse_markdown
from context7_kit.server.sources import (
    GitCheckout,
    LibrarySource,
    SourceFile,
    folder_fingerprint,
    iter_folder,
    read_config,
)

logger = logging.getLogger("context7_kit.server")

SCHEMA_VERSION = "2"
MAX_RESULTS = MAX_PAGE * MAX_LIMIT
BM25_WEIGHTS = (10.0, 4.0, 2.0, 1.0)  # title, description, content, code
MAX_QUERY_TERMS = 32
CONTEXT_CODE_SNIPPETS = 6
CONTEXT_INFO_SNIPPETS = 4
CONTEXT_PER_PAGE = 2
RANKED_CACHE_SIZE = 512
_TEXT_COLUMNS = "title description content code"
_TOP_SQL = "SELECT rowid FROM snippets_fts WHERE snippets_fts MATCH ? ORDER BY rank, rowid LIMIT ?"
_COUNT_SQL = "SELECT count(*) FROM (SELECT 1 FROM snippets_fts WHERE snippets_fts MATCH ? LIMIT ?)"
_PLAIN_SQL = "SELECT id FROM snippets WHERE corpus = ? AND kind = ? ORDER BY position LIMIT ?"
_PLAIN_COUNT_SQL = "SELECT count(*) FROM (SELECT 1 FROM snippets WHERE corpus = ? AND kind = ? LIMIT ?)"
_PAYLOADS_SQL = (  # in the order of the JSON array of ids given
    "SELECT s.page, s.payload FROM json_each(?) AS j JOIN snippets AS s ON s.id = j.value ORDER BY j.key"
)
_STOP_WORDS_TEXT = (
    "a an and are as at be by can do does for from how i in is it me my of on or should the this to use using "
    "what when where which why with you your"
)
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

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
    payload TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS snippets_by_corpus ON snippets (corpus, kind, position);
CREATE VIRTUAL TABLE IF NOT EXISTS snippets_fts USING fts5 (
    title, description, content, code, tag, tokenize = 'porter unicode61 remove_diacritics 2'
);
"""


class TagNotFound(LookupError):
    """The library has no such version (git tag)."""


def query_terms(text: str | None) -> list[str]:
    """Words of a topic or question, lower-cased, stop words dropped unless nothing else is left."""
    if not text:
        return []
    words: list[str] = []
    current: list[str] = []
    for ch in text.lower() + " ":
        if ch.isalnum():
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    unique = list(dict.fromkeys(w for w in words if len(w) < 100))
    meaningful = [w for w in unique if w not in STOP_WORDS]
    return (meaningful or unique)[:MAX_QUERY_TERMS]


def _tag(corpus: int, kind: str) -> str:
    """The token that marks a snippet's corpus and kind in the FTS table."""
    return f"c{corpus}{kind}"


def fts_query(terms: Sequence[str], *, every: bool = False) -> str:
    """An FTS5 MATCH expression: any (or every) one of the terms, quoted so no FTS syntax gets through."""
    return (" AND " if every else " OR ").join(f'"{t}"' for t in terms)


@dataclass(frozen=True)
class DocsResult:
    """One page of snippets and how many pages the topic has."""

    snippets: list[CodeSnippet | InfoSnippet]
    total_pages: int
    total_tokens: int


@dataclass(frozen=True)
class _Corpus:
    id: int
    indexed_at: str
    snippets: int
    tokens: int


def _snippet_rows(
    files: Iterable[SourceFile], source: LibrarySource
) -> Iterable[tuple[str, str, str, int, tuple[str, ...]]]:
    """(kind, payload JSON, page, tokens, FTS columns) for every snippet of every file, in position order."""
    for file in files:
        try:
            page = parse_markdown(file.text, source.source_of(file.path), mdx=file.path.lower().endswith(".mdx"))
        except Exception as exc:  # a parser bug on one page must not take the library down
            logger.warning("Skipping %s: it could not be parsed (%s)", file.path, exc)
            continue
        where = source.source_of(file.path)
        for code in page.code:
            text = "\n".join(b.code for b in code.code_list)
            columns = (code.code_title, code.code_description, code.page_title, text)
            yield "code", json.dumps(code.to_wire()), where, code.code_tokens, columns
        for info in page.info:
            columns = (info.breadcrumb or "", "", info.content, "")
            yield "info", json.dumps(info.to_wire()), where, info.content_tokens, columns


class DocsIndex:
    """The searchable snippets of a set of libraries; safe to share between threads."""

    def __init__(self, sources: Sequence[LibrarySource], path: str | Path | None = None) -> None:
        ids = [s.library_id for s in sources]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"Library {duplicates[0]} is given more than once: give each library one folder.")
        self.sources = {s.library_id: s for s in sources}
        self.path = str(path) if path is not None else ":memory:"
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        # Rankings by (corpus, kind, terms): (ids, whether they are every match). Pages 2..10 of a topic,
        # repeated questions and library searches reuse them; any write to the database drops them all.
        self._ranked_cache: OrderedDict[tuple[int, str, tuple[str, ...]], tuple[list[int], bool]] = OrderedDict()
        self._writes = 0
        self._cache_version: tuple[int, int] = (-1, -1)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode = WAL" if path is not None else "PRAGMA journal_mode = MEMORY")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._prepare_schema()
        self._configs = {lib: read_config(s.path) for lib, s in self.sources.items()}
        self._checkouts: dict[str, GitCheckout | None] = {}
        self._versions: dict[str, list[str]] = {}
        self._branches: dict[str, str | None] = {}

    # -- building -------------------------------------------------------------

    def _prepare_schema(self) -> None:
        with self._lock:
            self._db.executescript(_SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is not None and row[0] != SCHEMA_VERSION:
                self._db.executescript(
                    "DROP TABLE snippets; DROP TABLE snippets_fts; DROP TABLE corpora; DROP TABLE meta;" + _SCHEMA
                )
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            weights = ", ".join(str(w) for w in (*BM25_WEIGHTS, 0.0))
            self._db.execute("INSERT INTO snippets_fts (snippets_fts, rank) VALUES ('rank', ?)", (f"bm25({weights})",))

    def build(self, *, all_versions: bool = False, force: bool = False) -> dict[str, int]:
        """Index every library's docs folder (and, with ``all_versions``, every tag).

        Returns the number of snippets per library ID (default version).
        Corpora whose docs did not change since the last build are kept.
        """
        counts: dict[str, int] = {}
        with self._lock:
            known = set(self.sources)
            stale = [r[0] for r in self._db.execute("SELECT DISTINCT library FROM corpora") if r[0] not in known]
            for library in stale:
                for (corpus_id,) in self._db.execute("SELECT id FROM corpora WHERE library = ?", (library,)).fetchall():
                    self._drop_corpus(corpus_id)
            for library, source in self.sources.items():
                fingerprint = folder_fingerprint(source.path) + f":{source.source_url}:{source.max_file_bytes}"
                corpus = self._corpus(library, "")
                if corpus is None or force or self._fingerprint(library, "") != fingerprint:
                    started = time.perf_counter()
                    files = iter_folder(source.path, max_file_bytes=source.max_file_bytes)
                    corpus = self._index_corpus(library, "", fingerprint, files, source)
                    logger.info(
                        "Indexed %s: %d snippets in %.2f s", library, corpus.snippets, time.perf_counter() - started
                    )
                counts[library] = corpus.snippets
                self._discover_versions(library)
                if all_versions:
                    for version in self._versions.get(library, []):
                        self.ensure_version(library, version)
        return counts

    def _discover_versions(self, library: str) -> None:
        source = self.sources[library]
        if source.git_versions is False:
            checkout = None
        else:
            checkout = GitCheckout.find(source.path, required_top=source.git_versions is None)
        self._checkouts[library] = checkout
        self._versions[library] = checkout.tags() if checkout else []
        self._branches[library] = checkout.branch() if checkout else None

    def _fingerprint(self, library: str, version: str) -> str | None:
        row = self._db.execute(
            "SELECT fingerprint FROM corpora WHERE library = ? AND version = ?", (library, version)
        ).fetchone()
        return str(row[0]) if row else None

    def _corpus(self, library: str, version: str) -> _Corpus | None:
        row = self._db.execute(
            "SELECT id, indexed_at, snippets, tokens FROM corpora WHERE library = ? AND version = ?",
            (library, version),
        ).fetchone()
        return _Corpus(*row) if row else None

    def _drop_corpus(self, corpus_id: int) -> None:
        self._writes += 1
        self._db.execute(
            "DELETE FROM snippets_fts WHERE rowid IN (SELECT id FROM snippets WHERE corpus = ?)", (corpus_id,)
        )
        self._db.execute("DELETE FROM snippets WHERE corpus = ?", (corpus_id,))
        self._db.execute("DELETE FROM corpora WHERE id = ?", (corpus_id,))

    def _index_corpus(
        self, library: str, version: str, fingerprint: str, files: Iterable[SourceFile], source: LibrarySource
    ) -> _Corpus:
        db = self._db
        self._writes += 1  # data_version only counts other connections' commits
        db.execute("BEGIN IMMEDIATE")
        try:
            old = self._corpus(library, version)
            if old is not None:
                self._drop_corpus(old.id)
            now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
            cursor = db.execute(
                "INSERT INTO corpora (library, version, fingerprint, indexed_at, snippets, tokens) "
                "VALUES (?, ?, ?, ?, 0, 0)",
                (library, version, fingerprint, now),
            )
            corpus_id = cursor.lastrowid
            assert corpus_id is not None
            start = (db.execute("SELECT COALESCE(MAX(id), 0) FROM snippets").fetchone() or (0,))[0] + 1
            snippet_rows = []
            fts_rows = []
            tokens = 0
            for position, (kind, payload, page, count, columns) in enumerate(_snippet_rows(files, source)):
                row_id = start + position
                snippet_rows.append((row_id, corpus_id, kind, position, page, payload))
                fts_rows.append((row_id, *columns, _tag(corpus_id, kind)))
                tokens += count
            db.executemany("INSERT INTO snippets VALUES (?, ?, ?, ?, ?, ?)", snippet_rows)
            db.executemany(
                "INSERT INTO snippets_fts (rowid, title, description, content, code, tag) VALUES (?, ?, ?, ?, ?, ?)",
                fts_rows,
            )
            db.execute(
                "UPDATE corpora SET snippets = ?, tokens = ? WHERE id = ?", (len(snippet_rows), tokens, corpus_id)
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return _Corpus(corpus_id, now, len(snippet_rows), tokens)

    def ensure_version(self, library: str, version: str | None) -> int:
        """The corpus ID of a library version, indexing a git tag on first use.

        Raises :class:`KeyError` for an unknown library, :class:`TagNotFound`
        for a version the library does not have.
        """
        with self._lock:
            if library not in self.sources:
                raise KeyError(library)
            if library not in self._versions:
                self._discover_versions(library)
            if not version:
                corpus = self._corpus(library, "")
                if corpus is None:
                    self.build()
                    corpus = self._corpus(library, "")
                assert corpus is not None
                return corpus.id
            checkout = self._checkouts.get(library)
            if checkout is None or version not in self._versions.get(library, []):
                raise TagNotFound(version)
            commit = checkout.commit_of(version)
            if commit is None:
                raise TagNotFound(version)
            corpus = self._corpus(library, version)
            if corpus is not None and self._fingerprint(library, version) == commit:
                return corpus.id
            source = self.sources[library]
            files = checkout.files_at(commit, max_file_bytes=source.max_file_bytes)
            return self._index_corpus(library, version, commit, files, source).id

    # -- reading --------------------------------------------------------------

    def versions(self, library: str) -> list[str]:
        """The versions (git tags) a library serves, newest first."""
        with self._lock:
            if library not in self._versions:
                self._discover_versions(library)
            return list(self._versions[library])

    def library(self, library: str) -> Library:
        """The search-result description of a served library."""
        with self._lock:
            source = self.sources[library]
            config = self._configs[library]
            corpus = self._corpus(library, "")
            repo = library.rsplit("/", 1)[-1]
            title = source.title or config.title or repo.replace("-", " ").replace("_", " ").title()
            return Library(
                id=library,
                title=title,
                description=source.description or config.description or f"Documentation of {title}.",
                branch=self._branches.get(library) or "main",
                last_update_date=datetime.fromisoformat(corpus.indexed_at) if corpus else None,
                state="finalized",
                total_tokens=corpus.tokens if corpus else 0,
                total_snippets=corpus.snippets if corpus else 0,
                trust_score=source.trust_score,
                benchmark_score=source.benchmark_score,
                versions=self.versions(library),
            )

    def rules(self, library: str) -> list[str]:
        """The library's own rules (``context7.json`` ``rules`` plus configured ones)."""
        return [*self.sources[library].rules, *self._configs[library].rules]

    def _match(self, corpus: int, kind: str, terms: Sequence[str], *, every: bool = False) -> str:
        """The MATCH expression of one corpus and kind and any (or every one) of the terms."""
        return f"tag : {_tag(corpus, kind)} AND {{{_TEXT_COLUMNS}}} : ({fts_query(terms, every=every)})"

    def _ranked_ids(self, corpus: int, kind: str, terms: Sequence[str], limit: int) -> list[int]:
        """Ids of the best ``limit`` snippets of one kind: BM25 then document order, or document order alone.

        Snippets holding every term come first, then those holding only some,
        each group by BM25. The all-terms query is the selective one: only
        when it has fewer than ``limit`` rows does the any-term query run
        (with the same ``limit``, so it holds enough rows that are not
        already taken). The order does not depend on ``limit``: pages agree.
        """
        key = (corpus, kind, tuple(terms))
        with self._lock:
            self._check_cache()
            cached = self._ranked_cache.get(key)
            if cached is not None and (cached[1] or len(cached[0]) >= limit):
                self._ranked_cache.move_to_end(key)
                return cached[0][:limit]
            if not terms:
                ids = [int(r[0]) for r in self._db.execute(_PLAIN_SQL, (corpus, kind, limit))]
            else:
                ids = self._top(self._match(corpus, kind, terms, every=True), limit)
                if len(terms) > 1 and len(ids) < limit:
                    taken = set(ids)
                    more = (i for i in self._top(self._match(corpus, kind, terms), limit) if i not in taken)
                    ids += list(itertools.islice(more, limit - len(ids)))
            self._ranked_cache[key] = (ids, len(ids) < limit)  # fewer than asked: every match
            while len(self._ranked_cache) > RANKED_CACHE_SIZE:
                self._ranked_cache.popitem(last=False)
            return ids

    def _top(self, match: str, limit: int) -> list[int]:
        """Ids of the best ``limit`` rows of a MATCH: BM25, ties in document order (rowids follow positions)."""
        return [int(r[0]) for r in self._db.execute(_TOP_SQL, (match, limit))]

    def _check_cache(self) -> None:
        """Forget cached rankings when the database changed (this connection or another process)."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0], self._writes
        if version != self._cache_version:
            self._ranked_cache.clear()
            self._cache_version = version

    def clear_cache(self) -> None:
        """Forget every cached ranking (they are also dropped whenever the index changes)."""
        with self._lock:
            self._ranked_cache.clear()

    def _count(self, corpus: int, kind: str, terms: Sequence[str], cap: int) -> int:
        """How many snippets of one kind match any of the terms (all of them without terms), counting up to ``cap``."""
        with self._lock:
            if not terms:
                row = self._db.execute(_PLAIN_COUNT_SQL, (corpus, kind, cap)).fetchone()
            else:
                row = self._db.execute(_COUNT_SQL, (self._match(corpus, kind, terms), cap)).fetchone()
            return int(row[0]) if row else 0

    def _payloads(self, ids: Sequence[int]) -> list[tuple[str, str]]:
        """(page, payload JSON) of snippets, in the order of ``ids``."""
        if not ids:
            return []
        with self._lock:
            return [(str(r[0]), str(r[1])) for r in self._db.execute(_PAYLOADS_SQL, (json.dumps(list(ids)),))]

    def docs(
        self, library: str, version: str | None, mode: Mode, topic: str | None, *, page: int = 1, limit: int = 10
    ) -> DocsResult:
        """One page of a library's snippets of one kind, ranked by ``topic`` when given."""
        corpus = self.ensure_version(library, version)
        terms = query_terms(topic)
        matches = self._count(corpus, mode, terms, MAX_RESULTS)
        total_pages = min(MAX_PAGE, max(1, math.ceil(matches / limit)))
        first = (page - 1) * limit
        ids = self._ranked_ids(corpus, mode, terms, page * limit)[first:] if first < matches else []
        snippets: list[CodeSnippet | InfoSnippet] = [
            CodeSnippet.model_validate_json(payload) if mode == "code" else InfoSnippet.model_validate_json(payload)
            for _page, payload in self._payloads(ids)
        ]
        tokens = sum(s.code_tokens if isinstance(s, CodeSnippet) else s.content_tokens for s in snippets)
        return DocsResult(snippets, total_pages, tokens)

    def context(
        self, library: str, version: str | None, query: str, *, fast: bool = False
    ) -> tuple[list[CodeSnippet], list[InfoSnippet]]:
        """Snippets chosen for a question: BM25, then (unless ``fast``) a rerank.

        The rerank favours snippets whose title names the question's words and
        takes at most two snippets from one page, so the answer covers more
        of the docs.
        """
        corpus = self.ensure_version(library, version)
        terms = query_terms(query)
        if not terms:
            return [], []

        def pick(kind: str, count: int) -> list[str]:
            rows = self._payloads(self._ranked_ids(corpus, kind, terms, count if fast else count * 5))
            if fast:
                return [r[1] for r in rows]
            scored = []
            for rank, (page, payload) in enumerate(rows):
                title = str(json.loads(payload).get("codeTitle" if kind == "code" else "breadcrumb") or "").lower()
                hits = sum(1 for t in terms if t in title)
                scored.append((rank - 3 * hits, rank, page, payload))
            scored.sort(key=lambda s: (s[0], s[1]))
            per_page: dict[str, int] = {}
            chosen = []
            for _score, _rank, page, payload in scored:
                if per_page.get(page, 0) >= CONTEXT_PER_PAGE:
                    continue
                per_page[page] = per_page.get(page, 0) + 1
                chosen.append(payload)
                if len(chosen) == count:
                    break
            return chosen

        code = [CodeSnippet.model_validate_json(p) for p in pick("code", CONTEXT_CODE_SNIPPETS)]
        info = [InfoSnippet.model_validate_json(p) for p in pick("info", CONTEXT_INFO_SNIPPETS)]
        return code, info

    def search_libraries(self, name: str | None, query: str | None, *, require_name: bool) -> list[Library]:
        """Served libraries ranked by how well ``name`` matches them, plus how well ``query`` matches their docs."""
        name_words = query_terms(name)
        wanted = (name or "").strip().lower().lstrip("/")
        terms = query_terms(query)
        scored: list[tuple[float, str]] = []
        for library in sorted(self.sources):
            info = self.library(library)
            owner, repo = library.strip("/").split("/", 1)
            title = info.title.lower()
            score = 0.0
            if wanted and wanted in (repo.lower(), f"{owner}/{repo}".lower(), title):
                score = 100.0
            elif wanted and (wanted in title or wanted in library.lower()):
                score = 60.0
            elif name_words:
                haystack = set(query_terms(f"{library} {info.title}"))
                described = set(query_terms(info.description))
                score = 40.0 * len(haystack & set(name_words)) / len(name_words)
                score += 10.0 * len(described & set(name_words)) / len(name_words)
            if require_name and score == 0:
                continue
            if terms:
                corpus = self._corpus(library, "")
                if corpus is not None:
                    hits = self._count(corpus.id, "code", terms, 50) + self._count(corpus.id, "info", terms, 50)
                    score += 20.0 * hits / 100
            if score > 0:
                scored.append((score, library))
        scored.sort(key=lambda s: (-s[0], s[1]))
        return [self.library(lib) for _, lib in scored]

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()


def build_index(
    sources: Sequence[LibrarySource],
    path: str | Path | None = None,
    *,
    all_versions: bool = False,
    force: bool = False,
) -> DocsIndex:
    """Build (or refresh) the index of ``sources``; ``path=None`` keeps it in memory."""
    index = DocsIndex(sources, path)
    index.build(all_versions=all_versions, force=force)
    return index
