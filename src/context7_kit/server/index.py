"""The snippet index: the ranking logic, over a storage backend (:mod:`context7_kit.server.store`).

Each (library, version) pair is a *corpus*; the default version (the docs
folder as it is on disk) has version ``""``, git tags are indexed on first
use (or ahead of time with ``build_index(..., all_versions=True)``).
Snippets are stored as their wire JSON, so answering a request is one query
and no re-serialization.

Ranking (each step measured by ``benchmarks/retrieval``, figures in
docs/benchmarks.md):

* every snippet is indexed with four weighted fields: its title (heading
  path, code title), its prose, its code, and its **section** (heading path,
  the section's prose and code, its sub-headings), so a code block is found
  by the words around it and a paragraph by the identifiers in its section;
* compound identifiers are split (``removeAdditional`` also as ``remove
  additional``), words are stemmed by the store (FTS5 ``porter``), and a
  question's filler words are dropped (:mod:`context7_kit.server.analysis`);
* ``/v2/context`` ranks code and prose in **one list**, on one scale;
  changelog, migration and release-notes pages weigh less
  (:attr:`RankingOptions.history_weight`); at most two snippets per page;
* with an embedding model (the ``semantic`` extra, or the user's own), the
  lexical ranking is fused with a vector ranking by reciprocal rank fusion;
* a word found in more than half of a corpus's snippets is left out of a
  question that has other words: BM25 gives it no weight anyway, and matching
  it would make the engine score nearly every snippet.

Ordering is deterministic, ties in document order (files in path order,
snippets in page order), which is also the order without a topic. Only the
first 100 matches can ever be served (page <= 10, limit <= 10), so a query
ranks at most 100 candidates and pages of one topic agree.

A file index is reused across runs: a corpus whose fingerprint (file sizes
and mtimes, or the tag's commit; the embedding model) is unchanged is not
parsed again.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol

from context7_kit.core.library_id import MAX_LIMIT, MAX_PAGE
from context7_kit.core.models import CodeSnippet, InfoSnippet, Library, Mode
from context7_kit.server.analysis import analyze, query_terms
from context7_kit.server.parser import parse_document
from context7_kit.server.semantic import EmbeddingOption, resolve_embedding
from context7_kit.server.sources import (
    GitCheckout,
    LibrarySource,
    SourceFile,
    folder_fingerprint,
    iter_folder,
    read_config,
)
from context7_kit.server.store import CorpusInfo, SnippetRow, SnippetStore, StoredSnippet, open_store

if TYPE_CHECKING:
    from context7_kit.server.semantic import Embedder, Matrix

logger = logging.getLogger("context7_kit.server")

MAX_RESULTS = MAX_PAGE * MAX_LIMIT
CONTEXT_SNIPPETS = 10
RANKED_CACHE_SIZE = 512
MAX_VERSIONS = 100  # the newest git tags served as versions of one library
SEMANTIC_CANDIDATES = 50
EMBED_CHARS = 1000
MAX_CORPUS_COUNT = 10_000_000
HISTORY_PAGES = (
    "changelog",
    "changes",
    "history",
    "release-notes",
    "releases",
    "release_notes",
    "news",
    "migration",
    "migrating",
    "upgrading",
    "upgrade",
    "whatsnew",
    "whats-new",
)


@dataclass(frozen=True)
class RankingOptions:
    """How the index ranks; the defaults are what ``benchmarks/retrieval`` found best."""

    weights: tuple[float, float, float, float] = (10.0, 4.0, 2.0, 1.0)
    """Full-text weights of the title, prose, code and section fields."""
    one_list: bool = True
    """``/v2/context`` ranks code and prose together (else all code first, then prose)."""
    sections: bool = True
    """Index each snippet with its section's text."""
    split_identifiers: bool = True
    """Add the parts of ``camelCase``/``snake_case`` identifiers, keeping the whole word."""
    stemming: bool = True
    """Stem words (FTS5 ``porter``)."""
    cleanup: bool = True
    """Drop a question's filler words."""
    history_weight: float = 0.5
    """Score factor of changelog, migration and release-notes pages (1.0: no down-weight)."""
    history_pages: tuple[str, ...] = HISTORY_PAGES
    """File names (without suffix, lower case) of such pages."""
    per_page: int = 2
    """At most this many snippets of one page in a ``/v2/context`` answer (0: no limit)."""
    page_weight: float = 0.0
    """Boost of a snippet by how well its whole page matches (the page's share of the candidates' scores)."""
    fusion: str = "rrf"
    """How lexical and vector rankings combine: ``"rrf"`` (reciprocal rank fusion) or ``"mix"`` (scores)."""
    mix: float = 0.3
    """With ``fusion="mix"``: the vector similarity's share of the score."""
    rrf_k: float = 60.0
    """Reciprocal rank fusion constant."""
    semantic_weight: float | None = None
    """Weight of the vector ranking against the lexical one (1.0) in the fusion; None: the model's own
    (:attr:`~context7_kit.server.semantic.Embedder.weights`, which depend on whether some snippet holds
    every word of the question)."""

    def is_history(self, page: str) -> bool:
        """Whether a page (path or URL) is a changelog, migration guide or release notes."""
        stem = PurePosixPath(page.split("#", 1)[0]).stem.lower()
        return stem in self.history_pages or any(stem.startswith(p + "-") for p in self.history_pages)


class TagNotFound(LookupError):
    """The library has no such version (git tag)."""


class BuildProgress(Protocol):
    """What :meth:`DocsIndex.build` reports while it works (the command line shows it)."""

    def files(self, library: str, files: Iterator[SourceFile]) -> Iterator[SourceFile]:
        """The files of a library, passed through as they are read."""

    def library_done(self, library: str, snippets: int) -> None:
        """A library is indexed (or was up to date)."""


class VersionPending(LookupError):
    """The library version is known but not indexed yet: the background indexer has it queued."""


class BackgroundIndexer:
    """Indexes library versions one at a time in a daemon thread, so no request ever waits for indexing.

    The queue holds (library, version) pairs the index knows (the folder,
    or a listed git tag), each at most once, so it is bounded by what is
    served; a version a caller asked for goes to the front.
    """

    def __init__(self, index: DocsIndex) -> None:
        self._index = index
        self._queue: deque[tuple[str, str]] = deque()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self.busy = False

    def add(self, library: str, version: str, *, first: bool = False) -> None:
        """Queue a version (the docs folder when ``version`` is empty) unless it is queued already."""
        item = (library, version)
        with self._wake:
            if self._stopped:
                return
            if item in self._queue:
                if first:
                    self._queue.remove(item)
                    self._queue.appendleft(item)
                return
            if first:
                self._queue.appendleft(item)
            else:
                self._queue.append(item)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="context7-kit-indexer", daemon=True)
                self._thread.start()
            self._wake.notify()

    def pending(self) -> int:
        """How many versions wait (plus the one being indexed)."""
        with self._wake:
            return len(self._queue) + (1 if self.busy else 0)

    def wait(self, timeout: float = 60.0) -> bool:
        """Wait until the queue is empty (tests, ``LocalServer``); whether it is."""
        deadline = time.monotonic() + timeout
        while self.pending():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._queue and not self._stopped:
                    self._wake.wait()
                if self._stopped:
                    return
                library, version = self._queue.popleft()
                self.busy = True
            try:
                started = time.perf_counter()
                if version:
                    self._index.index_version(library, version)
                else:
                    self._index.refresh(library)
                logger.info(
                    "Indexed %s%s in %.2f s", library, f"/{version}" if version else "", time.perf_counter() - started
                )
            except Exception as exc:  # one broken version must not stop the others
                logger.warning("Could not index %s%s: %s", library, f"/{version}" if version else "", exc)
            finally:
                with self._wake:
                    self.busy = False

    def stop(self) -> None:
        """Drop the queue and let the thread end after the version it is indexing."""
        with self._wake:
            self._stopped = True
            self._queue.clear()
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=30)


@dataclass(frozen=True)
class DocsResult:
    """One page of snippets and how many pages the topic has."""

    snippets: list[CodeSnippet | InfoSnippet]
    total_pages: int
    total_tokens: int


@dataclass
class _Vectors:
    ids: list[int]
    matrix: Matrix
    row_of: dict[int, int] = field(default_factory=dict)


def rrf(rankings: Sequence[Sequence[int]], weights: Sequence[float], k: float = 60.0) -> dict[int, float]:
    """Reciprocal rank fusion: each id scores ``sum(weight / (k + rank))`` over the rankings holding it."""
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return scores


def _last_heading(breadcrumb: str) -> str:
    """A snippet's own heading: the last of its breadcrumb's ``A > B > C`` path."""
    return breadcrumb.rsplit(" > ", maxsplit=1)[-1]


def _embedding_text(title: str, heading: str, prose: str, code: str, *, own_heading: bool) -> str:
    """What a snippet's vector is made of: its title (or only its own heading), its prose, its code, bounded."""
    return f"{heading if own_heading else title}\n{prose}\n{code}"[:EMBED_CHARS]


def _snippet_rows(
    files: Iterable[SourceFile], source: LibrarySource, options: RankingOptions, *, own_heading: bool = False
) -> Iterable[tuple[SnippetRow, str]]:
    """Every snippet of every file in position order, with the text to embed (see ``Embedder.own_heading``)."""
    prep: Callable[[str], str] = analyze if options.split_identifiers else str
    for file in files:
        try:
            page = parse_document(file.text, source.source_of(file.path), file.path)
        except Exception as exc:  # a parser bug on one page must not take the library down
            logger.warning("Skipping %s: it could not be parsed (%s)", file.path, exc)
            continue
        where = source.source_of(file.path)
        # Each section's analysed text, shared by its snippets.
        section_text = [prep(section.text) if options.sections else "" for section in page.sections]
        for code, number in zip(page.code, page.code_sections, strict=True):
            text = "\n".join(b.code for b in code.code_list)
            title = f"{code.code_title}\n{' > '.join(page.sections[number].headings)}"
            fields = (prep(title), prep(code.code_description), prep(text), section_text[number])
            row = SnippetRow("code", where, json.dumps(code.to_wire()), code.code_tokens, fields)
            yield row, _embedding_text(title, code.code_title, code.code_description, text, own_heading=own_heading)
        for info, number in zip(page.info, page.info_sections, strict=True):
            title = info.breadcrumb or ""
            fields = (prep(title), prep(info.content), "", section_text[number])
            row = SnippetRow("info", where, json.dumps(info.to_wire()), info.content_tokens, fields)
            yield row, _embedding_text(title, _last_heading(title), info.content, "", own_heading=own_heading)


class DocsIndex:
    """The searchable snippets of a set of libraries; safe to share between threads.

    ``path``: the SQLite file (None: in memory) or a ``postgresql://`` URL. ``store``: another
    :class:`~context7_kit.server.store.SnippetStore` instead. ``embedding``:
    ``"auto"`` (the default: WordLlama when the ``semantic`` extra is
    installed, else lexical search only), ``"wordllama"``, ``None``, a
    LangChain ``Embeddings``, a LlamaIndex embedding or a callable from texts
    to vectors. ``ranking``: :class:`RankingOptions`.
    """

    def __init__(
        self,
        sources: Sequence[LibrarySource],
        path: str | Path | None = None,
        *,
        store: SnippetStore | None = None,
        embedding: EmbeddingOption = "auto",
        ranking: RankingOptions | None = None,
    ) -> None:
        ids = [s.library_id for s in sources]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"Library {duplicates[0]} is given more than once: give each library one folder.")
        self.sources = {s.library_id: s for s in sources}
        self.options = ranking or RankingOptions()
        self.embedder: Embedder | None = resolve_embedding(embedding)
        self.store: SnippetStore = store or open_store(path, self.options.weights, stemming=self.options.stemming)
        self.path = str(getattr(self.store, "path", path or ""))
        # Guards the dicts and caches below; never held while the store or git works.
        self._lock = threading.RLock()
        self._build_lock = threading.RLock()  # one build, refresh or version indexing at a time
        # Rankings by (corpus, kind, terms, question): ids, best first. Pages 2..10 of a topic, repeated
        # questions and library searches reuse them; any write to the store drops them all.
        self._ranked_cache: OrderedDict[tuple[int, Mode | None, tuple[str, ...], str], list[int]] = OrderedDict()
        self._vectors: dict[int, _Vectors] = {}
        self._common: dict[tuple[int, str], bool] = {}  # (corpus, term): in more than half the corpus's snippets
        self._sizes: dict[tuple[int, str], int] = {}
        self._cache_version: Hashable = None
        self._configs = {lib: read_config(s.path) for lib, s in self.sources.items()}
        self._checkouts: dict[str, GitCheckout | None] = {}
        self._versions: dict[str, list[str]] = {}
        self._branches: dict[str, str | None] = {}
        self._commits: dict[str, dict[str, str]] = {}  # library -> tag -> commit, found with the tags
        self._indexer = BackgroundIndexer(self)

    # -- building -------------------------------------------------------------

    def _settings_fingerprint(self) -> str:
        """What, besides the docs, decides a corpus's rows: the embedding model and the indexing options."""
        o = self.options
        model = "lexical"
        if self.embedder is not None:
            model = self.embedder.name + (":own-heading" if self.embedder.own_heading else "")
        return f":{model}:{int(o.sections)}{int(o.split_identifiers)}"

    def build(
        self, *, all_versions: bool = False, force: bool = False, progress: BuildProgress | None = None
    ) -> dict[str, int]:
        """Index every library's docs folder (and, with ``all_versions``, every tag).

        Returns the number of snippets per library ID (default version).
        Corpora whose docs did not change since the last build are kept.
        ``progress`` is told of each file read and each library done.
        """
        counts: dict[str, int] = {}
        with self._build_lock:
            for library in self.store.libraries() - set(self.sources):
                self.store.drop_library(library)
            for library, source in self.sources.items():
                fingerprint = self._folder_fingerprint(source)
                corpus = self.store.corpus(library, "")
                if corpus is None or force or corpus.fingerprint != fingerprint:
                    started = time.perf_counter()
                    files = iter_folder(source.path, max_file_bytes=source.max_file_bytes)
                    if progress is not None:
                        files = progress.files(library, files)
                    corpus = self._index_corpus(library, "", fingerprint, files, source)
                    logger.info(
                        "Indexed %s: %d snippets in %.2f s", library, corpus.snippets, time.perf_counter() - started
                    )
                counts[library] = corpus.snippets
                if progress is not None:
                    progress.library_done(library, corpus.snippets)
                self._discover_versions(library)
                if all_versions:
                    for version in self.versions(library):
                        self.index_version(library, version)
        return counts

    def _folder_fingerprint(self, source: LibrarySource) -> str:
        fingerprint = folder_fingerprint(source.path) + f":{source.source_url}:{source.max_file_bytes}"
        return fingerprint + self._settings_fingerprint()

    def refresh(self, library: str) -> int:
        """Re-index a library's docs folder if it changed (``--watch``, the background indexer); its snippets."""
        source = self.sources[library]
        with self._build_lock:
            fingerprint = self._folder_fingerprint(source)
            corpus = self.store.corpus(library, "")
            if corpus is None or corpus.fingerprint != fingerprint:
                files = iter_folder(source.path, max_file_bytes=source.max_file_bytes)
                corpus = self._index_corpus(library, "", fingerprint, files, source)
                logger.info("Re-indexed %s: %d snippets", library, corpus.snippets)
            config = read_config(source.path)
            with self._lock:
                self._configs[library] = config
            return corpus.snippets

    def index_version(self, library: str, version: str) -> int | None:
        """Index one git tag now, unless it is indexed at its commit already; its corpus ID (None: no such tag)."""
        if library not in self._versions:
            self._discover_versions(library)
        with self._lock:
            commit = self._commits.get(library, {}).get(version)
            checkout = self._checkouts.get(library)
        if commit is None or checkout is None:
            return None
        fingerprint = commit + self._settings_fingerprint()
        with self._build_lock:
            corpus = self.store.corpus(library, version)
            if corpus is not None and corpus.fingerprint == fingerprint:
                return corpus.id  # done already (by this process or another one sharing the index)
            source = self.sources[library]
            files = checkout.files_at(commit, max_file_bytes=source.max_file_bytes)
            return self._index_corpus(library, version, fingerprint, files, source).id

    def index_versions_in_background(self) -> None:
        """Index every library's git tags in a background thread, newest first; queries never wait for it."""
        for library in self.sources:
            for version in self.versions(library):
                self._indexer.add(library, version)

    def refresh_in_background(self, library: str) -> None:
        """Re-index a library's docs folder in the background if it changed (``--watch`` calls this)."""
        self._indexer.add(library, "")

    def wait_for_indexing(self, timeout: float = 60.0) -> bool:
        """Wait until the background indexer has nothing left to do; whether it finished in time."""
        return self._indexer.wait(timeout)

    def _discover_versions(self, library: str) -> None:
        source = self.sources[library]
        if source.git_versions is False:
            checkout = None
        else:
            checkout = GitCheckout.find(source.path, required_top=source.git_versions is None)
        tags = checkout.tag_commits() if checkout else {}
        branch = checkout.branch() if checkout else None
        with self._lock:
            self._checkouts[library] = checkout
            self._commits[library] = tags
            self._versions[library] = list(tags)[:MAX_VERSIONS]
            self._branches[library] = branch

    def _index_corpus(
        self, library: str, version: str, fingerprint: str, files: Iterable[SourceFile], source: LibrarySource
    ) -> CorpusInfo:
        own_heading = self.embedder is not None and self.embedder.own_heading
        rows = list(_snippet_rows(files, source, self.options, own_heading=own_heading))
        if self.embedder is not None and rows:
            matrix = self.embedder.embed([text for _row, text in rows])
            vectors: list[bytes | None] = [matrix[i].tobytes() for i in range(len(rows))]
        else:
            vectors = [None] * len(rows)
        now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        stored = (
            SnippetRow(row.kind, row.page, row.payload, row.tokens, row.fields, vector)
            for (row, _text), vector in zip(rows, vectors, strict=True)
        )
        return self.store.replace_corpus(library, version, fingerprint, now, stored)

    def ensure_version(self, library: str, version: str | None) -> int:
        """The corpus ID of a library version; never indexes on the caller's thread.

        Raises :class:`KeyError` for an unknown library, :class:`TagNotFound`
        for a version the library does not have, :class:`VersionPending`
        for one not indexed yet (the background indexer has it queued).
        """
        if library not in self.sources:
            raise KeyError(library)
        versions = self.versions(library)
        corpus = self.store.corpus(library, version or "")
        if not version:
            if corpus is None:
                self._indexer.add(library, "", first=True)
                raise VersionPending(library)
            return corpus.id
        if version not in versions:
            raise TagNotFound(version)
        if corpus is None:
            self._indexer.add(library, version, first=True)
            raise VersionPending(f"{library}/{version}")
        return corpus.id  # a tag moved since is re-indexed by the next build; the old corpus serves meanwhile

    # -- reading --------------------------------------------------------------

    def versions(self, library: str) -> list[str]:
        """The versions (git tags) a library serves, newest first."""
        with self._lock:
            if library in self._versions:
                return list(self._versions[library])
        self._discover_versions(library)  # git runs outside the lock
        with self._lock:
            return list(self._versions[library])

    def library(self, library: str) -> Library:
        """The search-result description of a served library."""
        source = self.sources[library]
        versions = self.versions(library)
        with self._lock:
            config = self._configs[library]
            branch = self._branches.get(library)
        corpus = self.store.corpus(library, "")
        repo = library.rsplit("/", 1)[-1]
        title = source.title or config.title or repo.replace("-", " ").replace("_", " ").title()
        return Library(
            id=library,
            title=title,
            description=source.description or config.description or f"Documentation of {title}.",
            branch=branch or "main",
            last_update_date=datetime.fromisoformat(corpus.indexed_at) if corpus else None,
            state="finalized" if corpus else "initial",
            total_tokens=corpus.tokens if corpus else 0,
            total_snippets=corpus.snippets if corpus else 0,
            trust_score=source.trust_score,
            benchmark_score=source.benchmark_score,
            versions=versions,
        )

    def rules(self, library: str) -> list[str]:
        """The library's own rules (``context7.json`` ``rules`` plus configured ones)."""
        with self._lock:
            config = self._configs[library]
        return [*self.sources[library].rules, *config.rules]

    def _terms(self, text: str | None) -> list[str]:
        return query_terms(text, cleanup=self.options.cleanup, split=self.options.split_identifiers)

    def _check_cache(self) -> None:
        """Forget cached rankings and vectors when the store changed (here or in another process)."""
        version = self.store.data_version()
        if version != self._cache_version:
            self._ranked_cache.clear()
            self._vectors.clear()
            self._common.clear()
            self._sizes.clear()
            self._cache_version = version

    def clear_cache(self) -> None:
        """Forget every cached ranking (they are also dropped whenever the index changes)."""
        with self._lock:
            self._ranked_cache.clear()

    def _corpus_vectors(self, corpus: int) -> _Vectors | None:
        """The corpus's embeddings as one matrix (loaded once per change of the store)."""
        cached = self._vectors.get(corpus)
        if cached is not None:
            return cached
        import numpy as np  # noqa: PLC0415 (the semantic extra brings numpy)

        ids, blob = self.store.vectors(corpus)
        if not ids:
            return None
        matrix = np.frombuffer(blob, dtype=np.float32).reshape(len(ids), -1)
        vectors = _Vectors(ids, matrix, {i: n for n, i in enumerate(ids)})
        self._vectors[corpus] = vectors
        return vectors

    def _question_vector(self, corpus: int, question: str) -> tuple[_Vectors, Matrix] | None:
        """The corpus's vectors and the question's, or None (no model, no vectors, or the model failed)."""
        if self.embedder is None:
            return None
        vectors = self._corpus_vectors(corpus)
        if vectors is None:
            return None
        try:
            query = self.embedder.embed_query(question)
        except Exception as exc:  # a remote or user model failing must not fail the question: rank lexically
            logger.warning(  # the exception's type only: a remote model's message may echo its credentials
                "The embedding %s failed (%s): this question is ranked by full text only",
                self.embedder.name,
                type(exc).__name__,
            )
            return None
        if query.ndim != 1 or query.shape[0] != vectors.matrix.shape[1]:
            return None  # an index built with another model: lexical only until it is rebuilt
        return vectors, query

    @staticmethod
    def _similarities(
        vectors: _Vectors, query: Matrix, kind: Mode | None, among: Sequence[int], best: int = SEMANTIC_CANDIDATES
    ) -> dict[int, float]:
        """Cosine similarity to the question of the ``among`` snippets and (both kinds) the ``best`` others."""
        import numpy as np  # noqa: PLC0415 (the semantic extra brings numpy)

        rows = sorted({vectors.row_of[i] for i in among if i in vectors.row_of})
        if kind is not None:  # the docs route reorders its full-text matches only
            if not rows:
                return {}
            picked = vectors.matrix[rows] @ query
            return {vectors.ids[n]: float(picked[k]) for k, n in enumerate(rows)}
        scores = vectors.matrix @ query
        count = min(best, len(vectors.ids))
        chosen = {*rows, *(int(n) for n in np.argpartition(-scores, count - 1)[:count])}
        return {vectors.ids[n]: float(scores[n]) for n in sorted(chosen)}

    def _feedback_terms(self, vectors: _Vectors, query: Matrix, terms: list[str]) -> list[str]:
        """Words of the title of the snippet nearest the question that the question lacks.

        At most the model's :attr:`~context7_kit.server.semantic.Embedder.feedback_terms`.
        Pseudo-relevance feedback from the vectors: a question worded unlike
        the docs ("hide passwords in my logs") shares no word with its answer,
        but the nearest snippet's title often names the feature ("redact"),
        and the full-text search then finds the snippets that explain it.
        """
        count = self.embedder.feedback_terms if self.embedder else 0
        if count <= 0:
            return []
        nearest = self._similarities(vectors, query, None, [], best=1)
        snippets = self.store.snippets(list(nearest))
        if not snippets:
            return []
        wire = json.loads(snippets[0].payload)
        title = _last_heading(str(wire.get("codeTitle") or wire.get("breadcrumb") or ""))
        known = set(terms)
        return [t for t in self._terms(title) if t not in known][:count]

    def _ranked(self, corpus: int, kind: Mode | None, text: str | None, *, semantic: bool) -> list[int]:
        """Ids of the best snippets (at most 100), best first.

        Without a query: document order. With one: full-text relevance, the
        history-page down-weight, then (with ``semantic`` and an embedding
        model) fused with the vector ranking. For one kind (the docs route)
        only full-text matches are ranked, so the page count stays exact; for
        both kinds (``/v2/context``) the vector ranking may add snippets that
        share no word with the question.
        """
        terms = self._terms(text)
        key = (corpus, kind, tuple(terms), (text or "") if semantic and self.embedder else "")
        with self._lock:
            self._check_cache()
            cached = self._ranked_cache.get(key)
            if cached is not None:
                self._ranked_cache.move_to_end(key)
                return cached
        if not terms:
            ids = self.store.in_order(corpus, kind, MAX_RESULTS)
        else:
            ids = self._rank_terms(corpus, kind, terms, text or "", semantic=semantic)
        with self._lock:
            self._ranked_cache[key] = ids
            while len(self._ranked_cache) > RANKED_CACHE_SIZE:
                self._ranked_cache.popitem(last=False)
        return ids

    def _selective(self, corpus: int, terms: list[str]) -> list[str]:
        """The terms without those in more than half the corpus's snippets (unless no other is left).

        BM25 gives such a term no weight (its IDF is clamped to almost zero),
        but matching it makes the full-text engine score nearly every snippet.
        """
        if len(terms) < 2:
            return terms
        size_key = (corpus, "")
        if size_key not in self._sizes:
            self._sizes[size_key] = self.store.count(corpus, None, [], MAX_CORPUS_COUNT)
        half = self._sizes[size_key] // 2
        if half < 100:
            return terms
        kept = []
        for term in terms:
            key = (corpus, term)
            if key not in self._common:
                self._common[key] = self.store.count(corpus, None, [term], half + 1) > half
            if not self._common[key]:
                kept.append(term)
        return kept or terms

    def _rank_terms(self, corpus: int, kind: Mode | None, terms: list[str], text: str, *, semantic: bool) -> list[int]:
        options = self.options
        selective = self._selective(corpus, terms)
        question = self._question_vector(corpus, text) if semantic else None
        matched = self._matched(corpus, kind, selective) if question is not None else True
        if question is not None and not matched:
            selective = self._selective(corpus, [*selective, *self._feedback_terms(*question, terms)])
        hits = self.store.search(corpus, kind, selective, MAX_RESULTS)
        lexical_ids = [i for i, _ in hits]
        similar = self._similarities(*question, kind, lexical_ids) if question is not None else {}
        pages = {s.id: s.page for s in self.store.snippets(list(dict.fromkeys([*lexical_ids, *similar])))}
        weight = {i: options.history_weight if options.is_history(p) else 1.0 for i, p in pages.items()}
        scores = {i: score * weight.get(i, 1.0) for i, score in hits}
        if options.page_weight and scores:
            per_page: dict[str, float] = {}
            for i, score in scores.items():
                per_page[pages[i]] = per_page.get(pages[i], 0.0) + score
            top_page = max(per_page.values()) or 1.0
            scores = {i: s * (1.0 + options.page_weight * per_page[pages[i]] / top_page) for i, s in scores.items()}
        position = {i: n for n, i in enumerate(sorted(pages))}  # ids follow document order
        if not similar:
            return sorted(scores, key=lambda i: (-scores[i], position[i]))
        if options.fusion == "mix":
            top = max(scores.values(), default=0.0) or 1.0
            low, high = min(similar.values()), max(similar.values())
            spread = (high - low) or 1.0
            fused = {
                i: (1 - options.mix) * scores.get(i, 0.0) / top
                + options.mix * weight.get(i, 1.0) * (similar.get(i, low) - low) / spread
                for i in pages
            }
        else:
            lexical = sorted(scores, key=lambda i: (-scores[i], position[i]))
            vector = sorted(similar, key=lambda i: (-similar[i], position[i]))
            fused = rrf([lexical, vector], [1.0, self._vector_weight(matched=matched)], options.rrf_k)
            fused = {i: f * weight.get(i, 1.0) for i, f in fused.items()}
        return sorted(fused, key=lambda i: (-fused[i], position[i]))[:MAX_RESULTS]

    def _matched(self, corpus: int, kind: Mode | None, terms: list[str]) -> bool:
        """Whether some snippet holds every one of the (selective) terms: the question uses the docs' words.

        Questions that no snippet answers word for word are worded unlike the
        docs: there the vectors must carry the ranking. Telling them apart
        costs one full-text query for at most one match, and is skipped when
        the model weighs both kinds of question alike and feeds back no words.
        """
        if self.embedder is None or len(terms) < 2:
            return True
        if self.embedder.weights[0] == self.embedder.weights[1] and not self.embedder.feedback_terms:
            return True
        return bool(self.store.search(corpus, kind, terms, 1, every=True))

    def _vector_weight(self, *, matched: bool) -> float:
        """The vector ranking's weight in the fusion (the full-text ranking weighs 1)."""
        if self.options.semantic_weight is not None:
            return self.options.semantic_weight
        if self.embedder is None:
            return 0.0
        return self.embedder.weights[0 if matched else 1]

    def _load(self, ids: Sequence[int]) -> list[StoredSnippet]:
        return self.store.snippets(ids)

    def docs(
        self, library: str, version: str | None, mode: Mode, topic: str | None, *, page: int = 1, limit: int = 10
    ) -> DocsResult:
        """One page of a library's snippets of one kind, ranked by ``topic`` when given."""
        corpus = self.ensure_version(library, version)
        ranked = self._ranked(corpus, mode, topic, semantic=True)
        total_pages = min(MAX_PAGE, max(1, math.ceil(len(ranked) / limit)))
        first = (page - 1) * limit
        snippets: list[CodeSnippet | InfoSnippet] = [
            CodeSnippet.model_validate_json(s.payload) if mode == "code" else InfoSnippet.model_validate_json(s.payload)
            for s in self._load(ranked[first : first + limit])
        ]
        tokens = sum(s.code_tokens if isinstance(s, CodeSnippet) else s.content_tokens for s in snippets)
        return DocsResult(snippets, total_pages, tokens)

    def ranked_context(
        self, library: str, version: str | None, query: str, *, fast: bool = False
    ) -> list[CodeSnippet | InfoSnippet]:
        """The snippets answering a question, best first, code and prose in one list.

        ``fast`` skips the vector ranking and the one-page limit.
        """
        corpus = self.ensure_version(library, version)
        if not self._terms(query):
            return []
        options = self.options
        chosen: list[StoredSnippet] = []
        if options.one_list:
            candidates = self._load(self._ranked(corpus, None, query, semantic=not fast))
            chosen = self._diversified(candidates, CONTEXT_SNIPPETS, 0 if fast else options.per_page)
        else:
            layout: tuple[tuple[Mode, int], ...] = (("code", 6), ("info", 4))  # the former layout, for comparison
            for kind, count in layout:
                candidates = self._load(self._ranked(corpus, kind, query, semantic=not fast))
                chosen += self._diversified(candidates, count, 0 if fast else options.per_page)
        return [
            CodeSnippet.model_validate_json(s.payload)
            if s.kind == "code"
            else InfoSnippet.model_validate_json(s.payload)
            for s in chosen
        ]

    @staticmethod
    def _diversified(candidates: Sequence[StoredSnippet], count: int, per_page: int) -> list[StoredSnippet]:
        """The first ``count`` candidates taking at most ``per_page`` from one page (0: no limit)."""
        taken: dict[str, int] = {}
        chosen: list[StoredSnippet] = []
        for snippet in candidates:
            if per_page and taken.get(snippet.page, 0) >= per_page:
                continue
            taken[snippet.page] = taken.get(snippet.page, 0) + 1
            chosen.append(snippet)
            if len(chosen) == count:
                break
        return chosen

    def context(
        self, library: str, version: str | None, query: str, *, fast: bool = False
    ) -> tuple[list[CodeSnippet], list[InfoSnippet]]:
        """:meth:`ranked_context` split into its code and its prose snippets, each in rank order."""
        ranked = self.ranked_context(library, version, query, fast=fast)
        return [s for s in ranked if isinstance(s, CodeSnippet)], [s for s in ranked if isinstance(s, InfoSnippet)]

    def search_libraries(self, name: str | None, query: str | None, *, require_name: bool) -> list[Library]:
        """Served libraries ranked by how well ``name`` matches them, plus how well ``query`` matches their docs."""
        name_words = query_terms(name)
        wanted = (name or "").strip().lower().lstrip("/")
        terms = self._terms(query)
        scored: list[tuple[float, str, Library]] = []
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
                corpus = self.store.corpus(library, "")
                if corpus is not None:
                    hits = self.store.count(corpus.id, None, terms, 100)
                    score += 20.0 * hits / 100
            if score > 0:
                scored.append((score, library, info))
        scored.sort(key=lambda s: (-s[0], s[1]))
        return [info for _, _, info in scored]

    def close(self) -> None:
        """Stop the background indexer and close the store."""
        self._indexer.stop()
        self.store.close()


def build_index(
    sources: Sequence[LibrarySource],
    path: str | Path | None = None,
    *,
    all_versions: bool = False,
    force: bool = False,
    embedding: EmbeddingOption = "auto",
    ranking: RankingOptions | None = None,
    progress: BuildProgress | None = None,
) -> DocsIndex:
    """Build (or refresh) the index of ``sources``; ``path=None`` keeps it in a temporary file."""
    index = DocsIndex(sources, path, embedding=embedding, ranking=ranking)
    try:
        index.build(all_versions=all_versions, force=force, progress=progress)
    except BaseException:
        index.close()
        raise
    return index
