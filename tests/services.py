"""Real PostgreSQL and Redis servers for the tests, started and stopped by the test run itself.

Each runs from the Debian packages' binaries (``postgresql``, ``redis-server``;
``scripts/test`` installs them when missing) on a free loopback port, with
its data in a temporary folder that is deleted afterwards. PostgreSQL refuses
to run as root, so as root it runs as the ``postgres`` user the package
creates. Settings favour speed over durability (no fsync, no snapshots):
the data lives only as long as the test session.

The session fixtures in ``tests/conftest.py`` start each server once per
session; a test that asks for one skips with the reason when the binaries are
absent, except under CI (``CI`` set), where a missing server is a failure.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from typing_extensions import Self

START_TIMEOUT = 60.0


class ServiceMissing(RuntimeError):
    """The server's binaries are not installed; the message says how to install them."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_window(period: float, needed: float) -> None:
    """Sleep until at least ``needed`` seconds of a fixed ``period``-second window are left.

    Rate limits count in windows aligned to the clock; a test that makes a
    few requests must not straddle two of them.
    """
    left = period - time.time() % period
    if left < needed:
        time.sleep(left + 0.05)


def _wait(ready: Callable[[], bool], process: subprocess.Popen[bytes], name: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            output = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{name} did not start:\n{output}")
        time.sleep(0.05)


def _stop(process: subprocess.Popen[bytes] | None, signal_number: int) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal_number)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


class _Service:
    """Start on enter, stop (and delete the data folder) on exit."""

    stop_signal = signal.SIGTERM

    def __init__(self, prefix: str) -> None:
        self._root = Path(tempfile.mkdtemp(prefix=prefix))
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        _stop(self._process, self.stop_signal)
        self._process = None
        shutil.rmtree(self._root, ignore_errors=True)

    def __enter__(self) -> Self:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def postgres_bindir() -> Path | None:
    """The folder of ``initdb`` and ``postgres``: on PATH, else Debian's newest /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("postgres"):
        return Path(found).resolve().parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name or 0))
    return candidates[-1].parent if candidates else None


class PostgresServer(_Service):
    """A throw-away PostgreSQL cluster on 127.0.0.1; ``dsn(name)`` and ``fresh_dsn()`` for tests."""

    stop_signal = signal.SIGINT  # "fast" shutdown: disconnect clients, then exit

    def __init__(self) -> None:
        bindir = postgres_bindir()
        if bindir is None:
            raise ServiceMissing("PostgreSQL is not installed: `apt-get install postgresql` (scripts/test does it).")
        super().__init__("c7kit-pg-")
        self.bindir = bindir
        self.port = free_port()
        self.user = "postgres"
        self._schemas = 0
        # As root, the cluster belongs to the postgres user (PostgreSQL refuses to run as root).
        self._run_as = "postgres" if os.geteuid() == 0 else None
        if self._run_as is None:
            self.user = pwd.getpwuid(os.getuid()).pw_name

    def start(self) -> Self:
        """Make the cluster (the first time) and start the server."""
        data, log = self._root / "data", self._root / "postgres.log"
        if not data.exists():
            if self._run_as is not None:
                entry = pwd.getpwnam(self._run_as)
                os.chown(self._root, entry.pw_uid, entry.pw_gid)
            initdb = [str(self.bindir / "initdb"), "-D", str(data), "-U", self.user, "-A", "trust", "-E", "UTF8"]
            subprocess.run(
                [*initdb, "--no-sync"],
                user=self._run_as,
                check=True,
                capture_output=True,
                env={**os.environ, "LC_ALL": "C.UTF-8"},
            )
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self._root),
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "100",
        }
        args = [str(self.bindir / "postgres"), "-D", str(data)]
        for name, value in settings.items():
            args += ["-c", f"{name}={value}"]
        with log.open("wb") as out:
            self._process = subprocess.Popen(args, user=self._run_as, stdout=out, stderr=subprocess.STDOUT)
        _wait(self._accepts, self._process, "PostgreSQL", log)
        return self

    def halt(self) -> None:
        """Stop the server but keep its data: :meth:`start` brings it back on the same port."""
        _stop(self._process, self.stop_signal)
        self._process = None

    def dsn(self, database: str = "postgres") -> str:
        """A ``postgresql://`` URL of one database of this server."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def _accepts(self) -> bool:
        import psycopg

        try:
            with psycopg.connect(self.dsn(), connect_timeout=2):
                return True
        except psycopg.OperationalError:
            return False

    def fresh_dsn(self) -> str:
        """The URL of a new, empty schema (as ``search_path``): much faster to make than a database."""
        import psycopg

        self._schemas += 1
        name = f"test_{self._schemas}"
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return f"{self.dsn()}?options=-csearch_path%3D{name}"


class RedisServer(_Service):
    """A throw-away Redis on 127.0.0.1 without persistence; ``url(db)`` for tests."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server") or (
            "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
        )
        if binary is None:
            raise ServiceMissing("Redis is not installed: `apt-get install redis-server` (scripts/test does it).")
        super().__init__("c7kit-redis-")
        self.binary = binary
        self.port = free_port()
        self._databases = 0

    def start(self) -> Self:
        log = self._root / "redis.log"
        args = [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self._root)]
        args += ["--save", "", "--appendonly", "no", "--daemonize", "no", "--databases", "64"]
        with log.open("wb") as out:
            self._process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
        _wait(self._accepts, self._process, "Redis", log)
        return self

    def url(self, db: int = 0) -> str:
        """A ``redis://`` URL of one logical database of this server."""
        return f"redis://127.0.0.1:{self.port}/{db}"

    def fresh_url(self) -> str:
        """The URL of a logical database no other test used; emptied first."""
        import redis

        self._databases = self._databases % 63 + 1
        url = self.url(self._databases)
        with redis.Redis.from_url(url) as client:
            client.flushdb()
        return url

    def _accepts(self) -> bool:
        import redis

        try:
            with redis.Redis.from_url(self.url(), socket_connect_timeout=2) as client:
                return bool(client.ping())
        except redis.RedisError:
            return False
