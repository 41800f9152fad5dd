"""Where the index keeps its snippets: one interface, one implementation per database.

:class:`~context7_kit.server.index.DocsIndex` holds the ranking logic (query
analysis, rank fusion, down-weights, diversity) and talks to its storage only
through :class:`SnippetStore`; a backend holds only its SQL. A backend must:

* keep **corpora** (one per library and version: id, fingerprint, when it was
  indexed, snippet and token counts) and replace one atomically
  (:meth:`SnippetStore.replace_corpus`): readers see the old corpus or the new
  one, never half of each;
* keep each **snippet**'s wire payload (JSON text, served as is), its kind
  (``"code"`` or ``"info"``), its page, its position in the corpus, and its
  text **fields** (:data:`FIELDS`), already analysed by the index (identifier
  parts added): the backend only stems and ranks them;
* rank by **full-text relevance** over those fields with the weights it is
  given (BM25 in SQLite FTS5; ``ts_rank`` over a weighted ``tsvector`` in
  PostgreSQL): :meth:`SnippetStore.search` returns ``(id, score)``, higher is
  better, ties broken by position, at most ``limit`` rows; any term matches
  (``every=False``) or all of them must (``every=True``);
* keep each snippet's **embedding** (float32 bytes, may be absent) and return
  a corpus's embeddings at once (:meth:`SnippetStore.vectors`): similarity is
  computed by the index, in memory;
* say when its data changed (:meth:`SnippetStore.data_version`), so the index
  can drop cached rankings, also when another process wrote.

Every method is safe to call from several threads.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from context7_kit.core.models import Mode

FIELDS = ("title", "prose", "code", "section")
"""The text fields of a snippet, in the order :class:`SnippetRow` and the weights give them."""


@dataclass(frozen=True)
class CorpusInfo:
    """One indexed (library, version)."""

    id: int
    fingerprint: str
    indexed_at: str
    snippets: int
    tokens: int


@dataclass(frozen=True)
class SnippetRow:
    """A snippet to store: ``fields`` follow :data:`FIELDS`; ``vector`` is float32 bytes or None."""

    kind: Mode
    page: str
    payload: str
    tokens: int
    fields: tuple[str, str, str, str]
    vector: bytes | None = None


@dataclass(frozen=True)
class StoredSnippet:
    """A stored snippet as the index reads it back."""

    id: int
    kind: Mode
    page: str
    payload: str


class SnippetStore(Protocol):
    """The storage of a :class:`~context7_kit.server.index.DocsIndex` (see the module docstring)."""

    def corpus(self, library: str, version: str) -> CorpusInfo | None:
        """The corpus of a library version, or None when it was never indexed."""

    def libraries(self) -> set[str]:
        """Every library that has at least one corpus."""

    def drop_library(self, library: str) -> None:
        """Forget every corpus of a library."""

    def replace_corpus(
        self, library: str, version: str, fingerprint: str, indexed_at: str, rows: Iterable[SnippetRow]
    ) -> CorpusInfo:
        """Store a corpus in one transaction, replacing the library version's previous one.

        ``rows`` come in position order (files in path order, snippets in page order).
        """

    def search(
        self, corpus: int, kind: Mode | None, terms: Sequence[str], limit: int, *, every: bool = False
    ) -> list[tuple[int, float]]:
        """The best ``limit`` snippets matching any (``every``: all) of ``terms``, as (id, score), best first.

        ``kind=None`` ranks code and info snippets together, on one scale.
        """

    def count(self, corpus: int, kind: Mode | None, terms: Sequence[str], cap: int) -> int:
        """How many snippets match any of ``terms`` (every snippet without terms), counting up to ``cap``."""

    def in_order(self, corpus: int, kind: Mode | None, limit: int) -> list[int]:
        """Ids of the first ``limit`` snippets in position order."""

    def snippets(self, ids: Sequence[int]) -> list[StoredSnippet]:
        """The snippets of ``ids``, in that order (unknown ids are left out)."""

    def vectors(self, corpus: int) -> tuple[list[int], bytes]:
        """Ids of the corpus's snippets that have an embedding, and those embeddings back to back."""

    def data_version(self) -> Hashable:
        """A value that changes whenever the stored data changes, whoever changed it."""

    def close(self) -> None:
        """Release the database."""


def open_store(location: str | Path | None, weights: Sequence[float], *, stemming: bool = True) -> SnippetStore:
    """The store an index location names: a ``postgresql://`` URL, an SQLite file, or None (SQLite in memory)."""
    from context7_kit.server.store.postgres import PostgresStore, is_postgres_url  # noqa: PLC0415
    from context7_kit.server.store.sqlite import SqliteStore  # noqa: PLC0415

    if is_postgres_url(location):
        return PostgresStore(str(location), weights, stemming=stemming)
    return SqliteStore(location, weights, stemming=stemming)
