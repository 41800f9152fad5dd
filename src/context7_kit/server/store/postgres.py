"""The PostgreSQL store: the index shared by any number of ``serve`` replicas (``--index postgresql://...``).

Three tables (``c7kit_meta``, ``c7kit_corpora``, ``c7kit_snippets``), so the
index can live in a database that holds other things too. Each snippet keeps
a ``tsvector`` of its four fields with the weights A (title), B (prose),
C (code) and D (section), built by PostgreSQL's ``english`` configuration
(``simple`` without stemming) and indexed with GIN; a query is
``websearch_to_tsquery`` of the terms, each quoted, joined with ``or`` (any
term) or not (every term), and ranked by ``ts_rank`` with the index's weights.

Writers (``context7-kit index``, or a ``serve`` replica whose docs changed)
replace a corpus in one transaction under an advisory lock per corpus, so two
replicas starting at once do not interleave; readers see the old corpus or
the new one. Every write bumps a generation number that
:meth:`PostgresStore.data_version` reads, so every replica drops its cached
rankings when any of them (or ``index``) wrote. Connections come from a
``psycopg_pool`` pool, one per thread at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from context7_kit.core.models import Mode
from context7_kit.server.redact import shown_url
from context7_kit.server.store import CorpusInfo, SnippetRow, StoredSnippet

SCHEMA_VERSION = "2"
SCHEMES = ("postgresql", "postgres")
MAX_FIELD_CHARS = 100_000  # a tsvector holds at most 1 MB: longer fields are indexed by their start
POOL_SIZE = 8
CONNECT_TIMEOUT = 10  # seconds
POOL_TIMEOUT = 5.0  # seconds a request waits for a connection before the index counts as unavailable
STATEMENT_TIMEOUT = 10  # seconds a read may run
# Constant SQL per kind (never user input), so every query has a plan that uses the (corpus, kind, ...) index.
_KIND_FILTER: dict[Mode | None, str] = {"code": "AND kind = 'code'", "info": "AND kind = 'info'", None: ""}
_KIND_TOTAL: dict[Mode | None, str] = {"code": "code_snippets", "info": "info_snippets", None: "snippets"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS c7kit_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS c7kit_corpora (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    library text NOT NULL,
    version text NOT NULL,
    fingerprint text NOT NULL,
    indexed_at text NOT NULL,
    snippets integer NOT NULL,
    code_snippets integer NOT NULL,
    info_snippets integer NOT NULL,
    tokens bigint NOT NULL,
    UNIQUE (library, version)
);
CREATE TABLE IF NOT EXISTS c7kit_snippets (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    corpus bigint NOT NULL REFERENCES c7kit_corpora (id) ON DELETE CASCADE,
    kind text NOT NULL,
    position integer NOT NULL,
    page text NOT NULL,
    payload text NOT NULL,
    vector bytea,
    search tsvector NOT NULL
);
-- Uncompressed out of line: ranking reads every match's tsvector, and decompressing them costs more than disk.
ALTER TABLE c7kit_snippets ALTER COLUMN search SET STORAGE EXTERNAL;
CREATE INDEX IF NOT EXISTS c7kit_snippets_by_corpus ON c7kit_snippets (corpus, kind, position);
CREATE INDEX IF NOT EXISTS c7kit_snippets_by_position ON c7kit_snippets (corpus, position);
CREATE INDEX IF NOT EXISTS c7kit_snippets_search ON c7kit_snippets USING gin (search);
CREATE TABLE IF NOT EXISTS c7kit_terms (
    corpus bigint NOT NULL REFERENCES c7kit_corpora (id) ON DELETE CASCADE,
    kind text NOT NULL,
    lexeme text NOT NULL,
    snippets integer NOT NULL,
    PRIMARY KEY (corpus, lexeme, kind)
);
INSERT INTO c7kit_meta VALUES ('generation', '0') ON CONFLICT DO NOTHING;
"""
_DROP = "DROP TABLE IF EXISTS c7kit_terms, c7kit_snippets, c7kit_corpora, c7kit_meta"
_INCOMING = """
CREATE TEMP TABLE c7kit_incoming (
    kind text, position integer, page text, payload text, vector bytea, title text, prose text, code text, section text
) ON COMMIT DROP
"""
_INSERT = """
INSERT INTO c7kit_snippets (corpus, kind, position, page, payload, vector, search)
SELECT %(corpus)s, kind, position, page, payload, vector,
       setweight(to_tsvector(%(config)s::regconfig, left(title, %(cap)s)), 'A')
    || setweight(to_tsvector(%(config)s::regconfig, left(prose, %(cap)s)), 'B')
    || setweight(to_tsvector(%(config)s::regconfig, left(code, %(cap)s)), 'C')
    || setweight(to_tsvector(%(config)s::regconfig, left(section, %(cap)s)), 'D')
FROM c7kit_incoming ORDER BY position
"""
# How many snippets of each kind hold each word: the statistics a query's term weights come from.
_TERMS = """
INSERT INTO c7kit_terms (corpus, kind, lexeme, snippets)
SELECT %(corpus)s, kinds.kind, stat.word, stat.ndoc
FROM (VALUES ('code'), ('info')) AS kinds (kind),
LATERAL ts_stat(format('SELECT search FROM c7kit_snippets WHERE corpus = %%s AND kind = %%L', %(corpus)s, kinds.kind))
    AS stat
"""
# Each term weighs its inverse document frequency (as BM25's), taken from c7kit_terms (the rarest word
# of a term that makes several, like snake_case); a snippet scores the sum over the terms it holds of
# weight * ts_rank (field weights A-D, length-normalised). Ties go by position in the docs.
_SEARCH = """
WITH term AS MATERIALIZED (
    SELECT q, ln(1 + (total.n - df.n + 0.5) / (df.n + 0.5)) AS idf
    FROM unnest(%(terms)s::text[]) AS t,
    LATERAL websearch_to_tsquery(%(config)s::regconfig, t) AS q,
    LATERAL (SELECT {total} AS n FROM c7kit_corpora WHERE id = %(corpus)s) AS total,
    LATERAL (
        SELECT coalesce(min(per_word), 0) AS n FROM (
            SELECT sum(snippets) AS per_word FROM c7kit_terms
            WHERE corpus = %(corpus)s {kind} AND lexeme = ANY(tsvector_to_array(to_tsvector(%(config)s::regconfig, t)))
            GROUP BY lexeme
        ) AS words
    ) AS df
    WHERE numnode(q) > 0
)
SELECT id, score FROM (
    SELECT id, position, (
        SELECT sum(term.idf * ts_rank(%(weights)s::float4[], s.search, term.q, 1)) FROM term WHERE s.search @@ term.q
    ) AS score
    FROM c7kit_snippets AS s
    WHERE corpus = %(corpus)s {kind} AND search @@ websearch_to_tsquery(%(config)s::regconfig, %(query)s)
) AS matches
ORDER BY score DESC, position
LIMIT %(limit)s
"""
_COUNT = """
SELECT count(*) FROM (
    SELECT 1 FROM c7kit_snippets
    WHERE corpus = %(corpus)s {kind} AND search @@ websearch_to_tsquery(%(config)s::regconfig, %(query)s)
    LIMIT %(limit)s
) AS matches
"""
_TOTAL = "SELECT {total} FROM c7kit_corpora WHERE id = %s"
_IN_ORDER = "SELECT id FROM c7kit_snippets WHERE corpus = %s {kind} ORDER BY position LIMIT %s"
_BUMP = "UPDATE c7kit_meta SET value = (value::bigint + 1)::text WHERE key = 'generation'"


def is_postgres_url(location: object) -> bool:
    """Whether an ``--index`` value names a PostgreSQL database rather than a SQLite file."""
    return isinstance(location, str) and urlsplit(location).scheme in SCHEMES


def websearch_query(terms: Sequence[str], *, every: bool = False) -> str:
    """``websearch_to_tsquery`` input: each term quoted (no operator gets through), any or every one of them."""
    quoted = ['"' + t.replace('"', " ") + '"' for t in terms]
    return (" " if every else " or ").join(quoted)


def _clean(text: str) -> str:
    """PostgreSQL text holds no NUL character."""
    return text.replace("\x00", "") if "\x00" in text else text


def _reason(exc: Exception) -> str:
    """The first line of a driver error (libpq's reason), or its type when it says nothing."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _configure(conn: Any) -> None:
    """Each pooled connection: a read never runs longer than :data:`STATEMENT_TIMEOUT` (writes lift it)."""
    conn.execute(f"SET statement_timeout = '{STATEMENT_TIMEOUT}s'")


def _psycopg() -> Any:
    try:
        import psycopg  # noqa: PLC0415  (optional extra)
        import psycopg_pool  # noqa: PLC0415
    except ImportError:  # pragma: no cover - depends on the environment
        raise ValueError("A postgresql:// index needs psycopg: pip install 'context7-kit[postgres]'.") from None
    return psycopg, psycopg_pool


class PostgresStore:
    """A :class:`~context7_kit.server.store.SnippetStore` in a PostgreSQL database."""

    def __init__(
        self, url: str, weights: Sequence[float], *, stemming: bool = True, pool_size: int = POOL_SIZE
    ) -> None:
        psycopg, psycopg_pool = _psycopg()
        self._url = url
        self.path = self._shown = shown_url(url)  # where the index is, as logs and messages may show it
        self._config = "english" if stemming else "simple"
        top = max(weights) or 1.0
        title, prose, code, section = (float(w) / top for w in weights)
        self._weights = [section, code, prose, title]  # ts_rank takes them as {D, C, B, A}
        try:  # one connection first: a wrong URL or a server down fails at once, with libpq's reason
            with psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT) as conn:
                self._prepare_schema(conn)
        except psycopg.Error as exc:
            raise ConnectionError(f"Cannot use the PostgreSQL index {self._shown}: {_reason(exc)}") from None
        self._pool = psycopg_pool.ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs={"autocommit": True},
            configure=_configure,
            timeout=POOL_TIMEOUT,
            open=False,
            name="context7-kit-index",
        )
        self._pool.open()
        self._unavailable = (psycopg.OperationalError, psycopg_pool.PoolTimeout)

    def __repr__(self) -> str:
        return f"PostgresStore({self._shown!r})"

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        """A pooled connection; PostgreSQL down, unreachable or too slow is a :class:`ConnectionError`."""
        try:
            with self._pool.connection() as conn:
                yield conn
        except self._unavailable as exc:
            raise ConnectionError(f"The PostgreSQL index {self._shown} is unavailable: {_reason(exc)}") from None

    def _prepare_schema(self, conn: Any) -> None:
        version = f"{SCHEMA_VERSION}-{self._config}"
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext('c7kit schema'))")  # replicas start at once
            conn.execute(_SCHEMA)
            row = conn.execute("SELECT value FROM c7kit_meta WHERE key = 'schema'").fetchone()
            if row is not None and row[0] != version:  # the index is a cache: rebuild it in the new layout
                conn.execute(_DROP)
                conn.execute(_SCHEMA)
            conn.execute(
                "INSERT INTO c7kit_meta VALUES ('schema', %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (version,),
            )

    # -- corpora ----------------------------------------------------------------

    def corpus(self, library: str, version: str) -> CorpusInfo | None:
        """The corpus of a library version, or None."""
        with self._connection() as conn:
            row = conn.execute(
                "SELECT id, fingerprint, indexed_at, snippets, tokens FROM c7kit_corpora "
                "WHERE library = %s AND version = %s",
                (library, version),
            ).fetchone()
        return CorpusInfo(*row) if row else None

    def libraries(self) -> set[str]:
        """Every library with a corpus."""
        with self._connection() as conn:
            return {str(r[0]) for r in conn.execute("SELECT DISTINCT library FROM c7kit_corpora")}

    def drop_library(self, library: str) -> None:
        """Forget every corpus of a library (its snippets go with them)."""
        with self._connection() as conn, conn.transaction():
            if conn.execute("DELETE FROM c7kit_corpora WHERE library = %s", (library,)).rowcount:
                conn.execute(_BUMP)

    def replace_corpus(
        self, library: str, version: str, fingerprint: str, indexed_at: str, rows: Iterable[SnippetRow]
    ) -> CorpusInfo:
        """Store a corpus in one transaction, replacing the previous one of the library version."""
        with self._connection() as conn, conn.transaction():
            conn.execute("SET LOCAL statement_timeout = 0")  # indexing a large corpus takes what it takes
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"c7kit corpus {library}@{version}",))
            conn.execute("DELETE FROM c7kit_corpora WHERE library = %s AND version = %s", (library, version))
            corpus_row = conn.execute(
                "INSERT INTO c7kit_corpora (library, version, fingerprint, indexed_at, snippets, code_snippets, "
                "info_snippets, tokens) VALUES (%s, %s, %s, %s, 0, 0, 0, 0) RETURNING id",
                (library, version, fingerprint, indexed_at),
            ).fetchone()
            assert corpus_row is not None
            corpus_id = int(corpus_row[0])
            conn.execute(_INCOMING)
            count = tokens = 0
            kinds = {"code": 0, "info": 0}
            with conn.cursor() as cursor, cursor.copy("COPY c7kit_incoming FROM STDIN") as copy:
                for position, row in enumerate(rows):
                    fields = [_clean(f) for f in row.fields]
                    copy.write_row((row.kind, position, _clean(row.page), _clean(row.payload), row.vector, *fields))
                    count += 1
                    kinds[row.kind] += 1
                    tokens += row.tokens
            conn.execute(_INSERT, {"corpus": corpus_id, "config": self._config, "cap": MAX_FIELD_CHARS})
            conn.execute(_TERMS, {"corpus": corpus_id})
            conn.execute(
                "UPDATE c7kit_corpora SET snippets = %s, code_snippets = %s, info_snippets = %s, tokens = %s "
                "WHERE id = %s",
                (count, kinds["code"], kinds["info"], tokens, corpus_id),
            )
            conn.execute(_BUMP)
        with self._connection() as conn, conn.transaction():  # fresh statistics: the planner uses the indexes
            conn.execute("SET LOCAL statement_timeout = 0")
            conn.execute("ANALYZE c7kit_snippets, c7kit_terms")
        return CorpusInfo(corpus_id, fingerprint, indexed_at, count, tokens)

    # -- reading ----------------------------------------------------------------

    def search(
        self, corpus: int, kind: Mode | None, terms: Sequence[str], limit: int, *, every: bool = False
    ) -> list[tuple[int, float]]:
        """The best ``limit`` matches as (id, score), best first; ties in position order."""
        if not terms:
            return []
        params = {
            "config": self._config,
            "query": websearch_query(terms, every=every),
            "terms": [websearch_query([t]) for t in terms],
            "corpus": corpus,
            "weights": self._weights,
            "limit": limit,
        }
        sql = _SEARCH.format(kind=_KIND_FILTER[kind], total=_KIND_TOTAL[kind])
        with self._connection() as conn:
            return [(int(r[0]), float(r[1])) for r in conn.execute(sql, params)]

    def count(self, corpus: int, kind: Mode | None, terms: Sequence[str], cap: int) -> int:
        """How many snippets match any term (all snippets without terms), up to ``cap``."""
        with self._connection() as conn:
            if terms:
                params = {"config": self._config, "query": websearch_query(terms), "corpus": corpus, "limit": cap}
                row = conn.execute(_COUNT.format(kind=_KIND_FILTER[kind]), params).fetchone()
            else:
                row = conn.execute(_TOTAL.format(total=_KIND_TOTAL[kind]), (corpus,)).fetchone()
        return min(cap, int(row[0])) if row else 0

    def in_order(self, corpus: int, kind: Mode | None, limit: int) -> list[int]:
        """The first ``limit`` snippet ids in position order."""
        with self._connection() as conn:
            return [int(r[0]) for r in conn.execute(_IN_ORDER.format(kind=_KIND_FILTER[kind]), (corpus, limit))]

    def snippets(self, ids: Sequence[int]) -> list[StoredSnippet]:
        """The snippets of ``ids`` in that order (unknown ids left out)."""
        if not ids:
            return []
        with self._connection() as conn:
            rows = conn.execute(
                "SELECT id, kind, page, payload FROM c7kit_snippets WHERE id = ANY(%s)", (list(ids),)
            ).fetchall()
        by_id = {int(r[0]): StoredSnippet(int(r[0]), "code" if r[1] == "code" else "info", r[2], r[3]) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def vectors(self, corpus: int) -> tuple[list[int], bytes]:
        """Ids with an embedding, in position order, and the embeddings back to back."""
        with self._connection() as conn:
            rows = conn.execute(
                "SELECT id, vector FROM c7kit_snippets WHERE corpus = %s AND vector IS NOT NULL ORDER BY position",
                (corpus,),
            ).fetchall()
        return [int(r[0]) for r in rows], b"".join(bytes(r[1]) for r in rows)

    def data_version(self) -> int:
        """The generation number every write (by any replica) increments."""
        with self._connection() as conn:
            row = conn.execute("SELECT value FROM c7kit_meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        """Close every connection of the pool."""
        self._pool.close()
