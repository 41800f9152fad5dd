"""The index's SQLite file: one writer connection, one read connection per thread.

The file is in WAL mode, so readers never wait for the writer (nor for
another process writing the same file: ``serve --workers N`` shares one
index). Each thread that reads gets its own connection, created on first
use; queries run in parallel in as many threads as the server has.

Without a path the index lives in a private temporary file (removed on
:meth:`IndexFile.close`) rather than in memory: an in-memory database cannot
be shared by several connections.

The index is a cache of the docs: a file SQLite cannot read (corrupted, or
not a database) is moved aside (``index.sqlite.corrupt-<time>``, with its
``-wal``/``-shm`` files) and rebuilt, with a warning.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
import tempfile
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

logger = logging.getLogger("context7_kit.server")

BUSY_TIMEOUT = 30.0  # seconds a writer waits for another process's write to finish
T = TypeVar("T")


class IndexFile:
    """Connections to one SQLite index file; safe to share between threads."""

    def __init__(self, path: str | Path | None) -> None:
        self._temp_dir = tempfile.mkdtemp(prefix="context7-kit-index-") if path is None else None
        self.path = Path(self._temp_dir) / "index.sqlite" if self._temp_dir else Path(path or "")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._temp_dir is not None:  # removed on close(), or when the index is garbage collected
            weakref.finalize(self, shutil.rmtree, self._temp_dir, ignore_errors=True)
        self.write_lock = threading.RLock()
        """Held while writing: one writer per process (SQLite serialises writers across processes)."""
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._epoch = 0  # bumped when the readers are replaced (after moving a corrupt file aside)
        self._changes = 0
        self.writer: sqlite3.Connection | None = None
        try:
            self.writer = self._connect()
        except sqlite3.DatabaseError as exc:
            self._recover(exc)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def reader(self) -> sqlite3.Connection:
        """The read connection of the calling thread."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None or getattr(self._local, "epoch", -1) != self._epoch:
            db = self._connect()
            db.execute("PRAGMA query_only = ON")
            with self._readers_lock:
                self._readers.append(db)
            self._local.db, self._local.epoch, self._local.seen = db, self._epoch, None
        return db

    def wrote(self) -> None:
        """Note a write through :attr:`writer`: cached query results are stale."""
        self._changes += 1

    def version(self) -> int:
        """A number that changes whenever the data may have changed (this process or another wrote)."""
        seen = int(self.reader().execute("PRAGMA data_version").fetchone()[0])
        if self._local.seen is not None and seen != self._local.seen:
            self._changes += 1
        self._local.seen = seen
        return self._changes

    def write(self) -> sqlite3.Connection:
        """The writer connection (hold :attr:`write_lock` while using it)."""
        if self.writer is None:
            raise sqlite3.ProgrammingError("The index is closed.")
        return self.writer

    def open_checked(self, prepare: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``prepare`` (say, create the schema) on the writer; a file SQLite cannot read is moved aside first."""
        try:
            with self.write_lock:
                return prepare(self.write())
        except sqlite3.DatabaseError as exc:
            self._recover(exc)
            with self.write_lock:
                return prepare(self.write())

    def _recover(self, exc: sqlite3.DatabaseError) -> None:
        moved = self._move_aside()
        logger.warning("The index file %s could not be read (%s): moved it to %s; rebuilding", self.path, exc, moved)

    def _move_aside(self) -> Path:
        with self.write_lock:
            self._close_all()
            stamp = time.strftime("%Y%m%d-%H%M%S")
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
            for suffix in ("", "-wal", "-shm"):
                part = self.path.with_name(self.path.name + suffix)
                if part.exists():
                    shutil.move(part, target.with_name(target.name + suffix))
            self._epoch += 1
            self._changes += 1
            self.writer = self._connect()
            return target

    def _close_all(self) -> None:
        with self._readers_lock:
            readers, self._readers = self._readers, []
        for db in [*readers, *([self.writer] if self.writer else [])]:
            with contextlib.suppress(sqlite3.Error):  # closing is best effort
                db.close()

    def close(self) -> None:
        """Close every connection (and remove a temporary file)."""
        with self.write_lock:
            self._epoch += 1
            self._close_all()
            self.writer = None
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)
