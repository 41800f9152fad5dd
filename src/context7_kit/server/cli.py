"""``context7-kit serve`` and ``context7-kit index``.

Libraries come from ``--library /owner/repo=PATH`` (repeatable) and/or a
TOML file (``--config``); docs/server.md documents every key. Command-line
flags win over the file; an unknown key is an error that names it. API keys
may also come from ``C7KIT_SERVER_API_KEYS`` (comma separated).
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import json
import logging
import multiprocessing
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, cast

import uvicorn
from starlette.applications import Starlette
from uvicorn.supervisors import Multiprocess

from context7_kit.core.errors import InvalidInputError
from context7_kit.core.library_id import LibraryId
from context7_kit.server.app import PROFILES, Profile, create_app
from context7_kit.server.index import DocsIndex, build_index
from context7_kit.server.parser import MARKDOWN_SUFFIXES
from context7_kit.server.ratelimit import RateLimit
from context7_kit.server.ratelimit_redis import check_store_url, ping
from context7_kit.server.redact import shown_url
from context7_kit.server.semantic import SENTENCE_TRANSFORMERS, EmbeddingOption
from context7_kit.server.serving import (
    DEFAULT_HEADER_TIMEOUT,
    DEFAULT_KEEP_ALIVE,
    DEFAULT_MAX_CONNECTIONS,
    ConnectionLimits,
    GuardedH11Protocol,
    check_port,
    uvicorn_config,
)
from context7_kit.server.sources import LibrarySource, SourceFile, walk_folder
from context7_kit.server.store.postgres import is_postgres_url

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

logger = logging.getLogger("context7_kit.server")

API_KEYS_ENV = "C7KIT_SERVER_API_KEYS"
DEFAULT_PORT = 8787


class ConfigError(ValueError):
    """The command line or config file is wrong; the message says how."""


@dataclass
class ServeConfig:
    """Everything ``serve`` needs, merged from the config file and the flags."""

    libraries: list[LibrarySource] = field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    index: Path | str | None = None  # an SQLite file, or a postgresql:// URL
    api_keys: list[str] = field(default_factory=list)
    rate_limit: RateLimit | None = None
    aliases: dict[str, str] = field(default_factory=dict)
    profile: Profile = "full"
    rate_limit_store: str | None = None
    forwarded_allow_ips: str | None = None
    limits: ConnectionLimits = field(default_factory=ConnectionLimits)
    workers: int = 1
    watch: bool = False
    semantic: str = "auto"


CONFIG_KEYS = frozenset(
    {
        "host", "port", "index", "api_keys", "rate_limit", "rate_limit_store", "profile", "aliases", "libraries",
        "forwarded_allow_ips", "header_timeout", "keep_alive", "max_connections", "workers", "watch", "semantic",
    }
)  # fmt: skip
LIBRARY_KEYS = frozenset(
    {
        "id", "path", "title", "description", "source_url", "git_versions", "trust_score", "benchmark_score",
        "max_file_bytes", "rules",
    }
)  # fmt: skip
MAX_WORKERS = 64
WORKER_CONFIG_ENV = "C7KIT_SERVE_WORKER_CONFIG"


def _unknown_keys(data: dict[str, Any], known: frozenset[str], where: str) -> None:
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"{where}: unknown key {key!r}.{hint} Known keys: {', '.join(sorted(known))}.")


def _pair(text: str, flag: str, example: str) -> tuple[str, str]:
    left, sep, right = text.partition("=")
    if not sep or not left.strip() or not right.strip():
        raise ConfigError(f"{flag} {text!r}: use the form {example}.")
    return left.strip(), right.strip()


def _library(data: Any, base: Path, where: str) -> LibrarySource:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not isinstance(data.get("path"), str):
        raise ConfigError(f"{where}: each [[libraries]] entry needs id = '/owner/repo' and path = 'folder'.")
    _unknown_keys(data, LIBRARY_KEYS, f"{where}: [[libraries]] {data['id']}")
    path = Path(data["path"]).expanduser()
    options = {
        k: data[k]
        for k in ("title", "description", "source_url", "git_versions", "trust_score", "benchmark_score")
        if k in data
    }
    if "max_file_bytes" in data:
        options["max_file_bytes"] = int(data["max_file_bytes"])
    if isinstance(data.get("rules"), list):
        options["rules"] = tuple(str(r) for r in data["rules"])
    try:
        return LibrarySource(data["id"], path if path.is_absolute() else base / path, **options)
    except InvalidInputError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def load_config(path: Path) -> ServeConfig:
    """Read a TOML config file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"Cannot read config file {path}: {exc.strerror or exc}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}.") from None
    base = path.parent
    config = ServeConfig()
    _unknown_keys(data, CONFIG_KEYS, str(path))
    try:
        config.libraries = [_library(item, base, str(path)) for item in data.get("libraries", [])]
        config.host = str(data.get("host", config.host))
        config.port = int(data.get("port", config.port))
        if "index" in data:
            config.index = _index_location(str(data["index"]), base)
        config.api_keys = [str(k) for k in data.get("api_keys", [])]
        if "rate_limit" in data:
            config.rate_limit = RateLimit.parse(str(data["rate_limit"]))
        if "rate_limit_store" in data:
            config.rate_limit_store = check_store_url(str(data["rate_limit_store"]))
        config.aliases = {str(k): str(v) for k, v in dict(data.get("aliases", {})).items()}
        if "profile" in data:
            config.profile = _profile(data["profile"], f"{path}: profile")
        if "forwarded_allow_ips" in data:
            config.forwarded_allow_ips = str(data["forwarded_allow_ips"]) or None
        config.limits = ConnectionLimits(
            header_timeout=float(data.get("header_timeout", config.limits.header_timeout)),
            keep_alive=int(data.get("keep_alive", config.limits.keep_alive)),
            max_connections=int(data.get("max_connections", config.limits.max_connections)),
        )
        config.workers = _workers(data.get("workers", 1), f"{path}: workers")
        config.watch = bool(data.get("watch", False))
        if "semantic" in data:
            config.semantic = _semantic(data["semantic"], f"{path}: semantic")
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return config


def _workers(value: object, where: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_WORKERS:
        return value
    raise ConfigError(f"{where} must be a whole number from 1 to {MAX_WORKERS}, not {value!r}.")


SEMANTIC_CHOICES = ("auto", "wordllama", "off", f"{SENTENCE_TRANSFORMERS}MODEL")


def _semantic(value: object, where: str) -> str:
    if isinstance(value, str) and value in SEMANTIC_CHOICES[:-1]:
        return value
    if isinstance(value, str) and value.startswith(SENTENCE_TRANSFORMERS) and value.removeprefix(SENTENCE_TRANSFORMERS):
        return value
    raise ConfigError(f"{where} {value!r} is not one of {', '.join(SEMANTIC_CHOICES)}.")


def _embedding(config: ServeConfig) -> EmbeddingOption:
    return None if config.semantic == "off" else cast("EmbeddingOption", config.semantic)


def _profile(value: object, where: str) -> Profile:
    if isinstance(value, str) and value in PROFILES:
        return cast("Profile", value)
    raise ConfigError(f"{where} {value!r} is not one of {', '.join(PROFILES)}.")


def _scores(config: ServeConfig, args: argparse.Namespace) -> None:
    """Apply ``--trust-score ID=N`` and ``--benchmark-score ID=N`` to the libraries."""
    by_id = {lib.library_id: lib for lib in config.libraries}
    for option, texts in (
        ("--trust-score", args_list(args, "trust_score")),
        ("--benchmark-score", args_list(args, "benchmark_score")),
    ):
        for text in texts:
            library_id, number = _pair(text, option, "/acme/widgets=8")
            try:
                base = LibraryId.parse(library_id).base
                value = float(number)
            except (InvalidInputError, ValueError):
                raise ConfigError(f"{option} {text!r}: use the form /acme/widgets=8.") from None
            if base not in by_id:
                raise ConfigError(f"{option} {text!r}: {base} is not a served library.")
            source = by_id[base]
            try:
                if option == "--trust-score":
                    by_id[base] = dataclasses.replace(source, trust_score=value)
                else:
                    by_id[base] = dataclasses.replace(source, benchmark_score=value)
            except InvalidInputError as exc:
                raise ConfigError(f"{option} {text!r}: {exc}") from None
    config.libraries = list(by_id.values())


def args_list(args: argparse.Namespace, name: str) -> list[str]:
    """A repeatable option's values (none when the command does not have it)."""
    return list(getattr(args, name, None) or [])


def resolve_config(args: argparse.Namespace) -> ServeConfig:
    """Merge the config file (if any), the flags and the environment."""
    config = load_config(Path(args.config)) if getattr(args, "config", None) else ServeConfig()
    by_id = {lib.library_id: lib for lib in config.libraries}
    for text in getattr(args, "library", None) or []:
        library_id, folder = _pair(text, "--library", "/acme/widgets=./docs")
        try:
            source = LibrarySource(library_id, Path(folder).expanduser())
        except InvalidInputError as exc:
            raise ConfigError(f"--library {text!r}: {exc}") from None
        by_id[source.library_id] = source
    config.libraries = list(by_id.values())
    _scores(config, args)
    if getattr(args, "profile", None):
        config.profile = _profile(args.profile, "--profile")
    if not config.libraries:
        raise ConfigError("No library to serve: give --library /owner/repo=PATH or --config FILE.")
    for source in config.libraries:
        if not source.path.is_dir():
            raise ConfigError(f"The docs folder of {source.library_id} does not exist: {source.path}.")
    if getattr(args, "host", None):
        config.host = args.host
    if getattr(args, "port", None) is not None:
        config.port = args.port
    if getattr(args, "index", None):
        config.index = _index_location(args.index)
    keys = list(getattr(args, "api_key", None) or [])
    keys += [k.strip() for k in os.environ.get(API_KEYS_ENV, "").split(",") if k.strip()]
    if keys:
        config.api_keys = keys
    if getattr(args, "rate_limit", None):
        try:
            config.rate_limit = RateLimit.parse(args.rate_limit)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    if getattr(args, "rate_limit_store", None):
        try:
            config.rate_limit_store = check_store_url(args.rate_limit_store)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    for text in getattr(args, "alias", None) or []:
        old, new = _pair(text, "--alias", "/acme/old-widgets=/acme/widgets")
        config.aliases[old] = new
    if getattr(args, "forwarded_allow_ips", None):
        config.forwarded_allow_ips = args.forwarded_allow_ips
    try:
        config.limits = ConnectionLimits(
            header_timeout=_flag(args, "header_timeout", config.limits.header_timeout),
            keep_alive=int(_flag(args, "keep_alive", config.limits.keep_alive)),
            max_connections=int(_flag(args, "max_connections", config.limits.max_connections)),
        )
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    if getattr(args, "workers", None) is not None:
        config.workers = _workers(args.workers, "--workers")
    if getattr(args, "watch", None):
        config.watch = True
    if getattr(args, "semantic", None):
        config.semantic = _semantic(args.semantic, "--semantic")
    return config


def _flag(args: argparse.Namespace, name: str, default: float) -> float:
    value = getattr(args, name, None)
    return default if value is None else float(value)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--library",
        action="append",
        metavar="/OWNER/REPO=PATH",
        help="a library ID and its docs folder, e.g. /acme/widgets=./docs (repeatable)",
    )
    parser.add_argument("--config", metavar="FILE", help="a TOML config file (see the docs of context7_kit.server.cli)")
    for flag, scale in (("--trust-score", "0..10, default 7"), ("--benchmark-score", "0..100, default 50")):
        parser.add_argument(
            flag,
            action="append",
            metavar="/OWNER/REPO=N",
            help=f"the {flag[2:].replace('-', ' ')} library searches report for a library ({scale}; repeatable)",
        )
    parser.add_argument(
        "--semantic",
        metavar="|".join(SEMANTIC_CHOICES),
        help="rank with embeddings too: auto (WordLlama when the semantic extra is installed; the default), "
        "wordllama (required), off (full-text ranking only: several times cheaper per question), or "
        f"{SENTENCE_TRANSFORMERS}MODEL, a sentence-transformers model name or folder (the transformers extra: "
        "ranks questions worded unlike the docs better, indexes about 50x slower)",
    )


class _Progress:
    """Indexing progress: a line rewritten in place on a terminal, one summary line otherwise."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total, self.stream = total, stream or sys.stderr
        self.live = self.stream.isatty()
        self.libraries = self.files_read = self.snippets = 0
        self.started = time.perf_counter()
        self._shown = 0.0

    def files(self, library: str, files: Iterator[SourceFile]) -> Iterator[SourceFile]:
        for file in files:
            self.files_read += 1
            self._show(library)
            yield file

    def library_done(self, library: str, snippets: int) -> None:
        self.libraries += 1
        self.snippets += snippets
        self._show(library, force=True)

    def _show(self, library: str, *, force: bool = False) -> None:
        now = time.perf_counter()
        if self.live and (force or now - self._shown > 0.1):
            self._shown = now
            line = (
                f"Indexing {library}: {self.files_read:,} files read, {self.snippets:,} snippets, "
                f"{self.libraries}/{self.total} libraries"
            )
            self.stream.write("\r" + line[:150].ljust(150))
            self.stream.flush()

    def finish(self) -> None:
        if self.live:
            self.stream.write("\r" + " " * 150 + "\r")
        self.stream.write(
            f"Indexed {self.libraries} libraries: {self.snippets:,} snippets, {self.files_read:,} files read "
            f"(unchanged libraries are not read again) in {time.perf_counter() - self.started:.1f} s\n"
        )
        self.stream.flush()


def _warn_empty(config: ServeConfig) -> None:
    for source in config.libraries:
        if not any(True for _ in _markdown_files(source.path)):
            print(
                f"warning: {source.library_id}: no Markdown (.md, .mdx, .markdown) under {source.path}; "
                "it is served with no snippets.",
                file=sys.stderr,
            )


def _markdown_files(folder: Path) -> Iterator[str]:
    for _folder, names in walk_folder(folder):
        yield from (n for n in names if n.lower().endswith(MARKDOWN_SUFFIXES))


def _index_location(text: str, base: Path | None = None) -> Path | str:
    """An index given as text: a ``postgresql://`` URL as is, else an SQLite file (relative to ``base``)."""
    if is_postgres_url(text):
        return text
    return base / text if base is not None else Path(text)


def _build(config: ServeConfig, *, all_versions: bool = False, force: bool = False) -> DocsIndex:
    progress = _Progress(len(config.libraries))
    index = build_index(
        config.libraries,
        config.index,
        all_versions=all_versions,
        force=force,
        progress=progress,
        embedding=_embedding(config),
    )
    progress.finish()
    return index


def _app(config: ServeConfig, index: DocsIndex) -> Starlette:
    return create_app(
        index,
        api_keys=config.api_keys,
        rate_limit=config.rate_limit,
        aliases=config.aliases,
        profile=config.profile,
        rate_limit_store=config.rate_limit_store,
    )


def _watch(index: DocsIndex, config: ServeConfig, stop: threading.Event) -> None:
    """Re-index the libraries whose folders change, in the background, until ``stop`` is set."""
    import watchfiles  # noqa: PLC0415 (only --watch needs it)

    roots = {source.library_id: source.path.resolve() for source in config.libraries}
    for changes in watchfiles.watch(*roots.values(), stop_event=stop, raise_interrupt=False):
        changed = {Path(path) for _kind, path in changes}
        for library, root in roots.items():
            if any(path == root or path.is_relative_to(root) for path in changed):
                logger.info("Docs of %s changed: re-indexing", library)
                index.refresh_in_background(library)


def worker_app() -> Starlette:
    """The app of one ``--workers`` process: the index the parent built, opened for reading."""
    data = json.loads(os.environ[WORKER_CONFIG_ENV])
    args = argparse.Namespace(**data["args"])
    config = resolve_config(args)
    GuardedH11Protocol.limits = config.limits
    index = DocsIndex(config.libraries, config.index, embedding=_embedding(config))
    return _app(config, index)


def _worker_main(host: str, port: int, log_level: str, forwarded: str | None, limits: ConnectionLimits) -> None:
    """One ``--workers`` process: its own listening socket on the shared port (``SO_REUSEPORT``).

    With one socket per worker the kernel spreads new connections evenly;
    with one shared socket, the first worker to wake accepts a whole burst.
    """
    uv = uvicorn_config(
        "context7_kit.server.cli:worker_app",
        factory=True,
        host=host,
        port=port,
        log_level=log_level,
        forwarded_allow_ips=forwarded,
        limits=limits,
    )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    uvicorn.Server(uv).run(sockets=[sock])


def _run_workers(config: ServeConfig, log_level: str) -> None:
    """Run ``config.workers`` worker processes until SIGINT or SIGTERM; restart one that dies."""
    context = multiprocessing.get_context("spawn")
    worker_args = (config.host, config.port, log_level, config.forwarded_allow_ips, config.limits)

    def start() -> multiprocessing.process.BaseProcess:
        process = context.Process(target=_worker_main, args=worker_args, name="context7-kit-worker")
        process.start()
        return process

    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    workers = [start() for _ in range(config.workers)]
    try:
        while not stop.wait(0.5):
            for n, process in enumerate(workers):
                if not process.is_alive():
                    logger.warning("Worker %s exited (code %s): starting another", process.pid, process.exitcode)
                    workers[n] = start()
    finally:
        for process in workers:
            process.terminate()
        for process in workers:
            process.join(15)
            if process.is_alive():
                process.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


# Numerical libraries' thread pools, sized to every core by default. The server already runs
# requests in parallel (a thread each, and --workers processes), so a BLAS pool inside each
# request oversubscribes the cores: with the semantic extra on 2 cores, /v2/context at 50
# clients served 55-79 req/s at 25-35 ms CPU a question, and 345-436 req/s at 4 ms with one
# thread each (benchmarks/server_concurrency.py --semantic auto, docs/benchmarks.md).
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def one_blas_thread() -> None:
    """Give numpy's BLAS one thread per request thread, unless the user set its size; before numpy loads."""
    for name in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


def serve(args: argparse.Namespace) -> int:
    """The ``serve`` command: check the port, index the libraries and serve them until interrupted."""
    one_blas_thread()
    try:
        config = resolve_config(args)
        problem = check_port(config.host, config.port)
        if problem:
            raise ConfigError(problem)
        if config.rate_limit_store and (config.rate_limit or config.api_keys):
            ping(config.rate_limit_store)
        _warn_empty(config)
        temp_dir = None
        if config.workers > 1 and config.index is None:  # the workers share one index file
            temp_dir = tempfile.mkdtemp(prefix="context7-kit-serve-")
            config.index = Path(temp_dir) / "index.sqlite"
            args.index = str(config.index)
        index = _build(config)
        app = _app(config, index)
    except (ConfigError, ValueError, ConnectionError, ImportError) as exc:
        print(f"context7-kit serve: {exc}", file=sys.stderr)
        return 2
    for source in config.libraries:
        info = index.library(source.library_id)
        versions = f", versions: {', '.join(info.versions[:5])}{', ...' if len(info.versions) > 5 else ''}"
        shown = versions if info.versions else ""
        print(f"Serving {source.library_id} from {source.path} ({info.total_snippets} snippets{shown})")
    if config.workers > 1 and config.rate_limit and not config.rate_limit_store:
        print(
            f"warning: each of the {config.workers} workers counts --rate-limit on its own; "
            "give --rate-limit-store redis://... for one shared count.",
            file=sys.stderr,
        )
    watching = " Watching the docs folders for changes." if config.watch else ""
    base_url = f"http://{config.host}:{config.port}/api"
    print(f"Base URL: {base_url}  (set CONTEXT7_API_URL to it; profile {config.profile}).{watching}")
    index.index_versions_in_background()
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(index, config, stop), daemon=True) if config.watch else None
    if watcher is not None:
        watcher.start()
    try:
        several = config.workers > 1
        if several:  # each worker process rebuilds the settings from the same arguments
            os.environ[WORKER_CONFIG_ENV] = json.dumps({"args": vars(args) | {"func": None}})
        uv = uvicorn_config(
            "context7_kit.server.cli:worker_app" if several else app,
            factory=several,
            host=config.host,
            port=config.port,
            log_level=args.log_level,
            forwarded_allow_ips=config.forwarded_allow_ips,
            limits=config.limits,
            workers=config.workers if several else None,
        )
        if several and hasattr(socket, "SO_REUSEPORT"):
            _run_workers(config, args.log_level)
        elif several:
            Multiprocess(uv, sockets=[uv.bind_socket()]).run()
        else:
            uvicorn.Server(uv).run()
    finally:
        stop.set()
        if watcher is not None:
            watcher.join(timeout=5)
        index.close()
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
    return 0


def index_command(args: argparse.Namespace) -> int:
    """The ``index`` command: build or refresh the index file ahead of time."""
    try:
        config = resolve_config(args)
    except ConfigError as exc:
        print(f"context7-kit index: {exc}", file=sys.stderr)
        return 2
    if config.index is None:
        print("context7-kit index: give --index PATH (or index = ... in the config file).", file=sys.stderr)
        return 2
    _warn_empty(config)
    started = time.perf_counter()
    try:
        index = _build(config, all_versions=args.all_versions, force=args.force)
    except (ConnectionError, ValueError, ImportError) as exc:
        print(f"context7-kit index: {exc}", file=sys.stderr)
        return 2
    try:
        for source in config.libraries:
            info = index.library(source.library_id)
            versions = f", {len(info.versions)} versions" if info.versions and args.all_versions else ""
            print(f"{source.library_id}: {info.total_snippets} snippets, {info.total_tokens} tokens{versions}")
    finally:
        index.close()
    shown = shown_url(config.index) if isinstance(config.index, str) else config.index
    print(f"Index {shown} ready in {time.perf_counter() - started:.2f} s")
    return 0


def register_cli(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``serve`` and ``index`` to the ``context7-kit`` command; each sets ``func``."""
    serve_parser = subparsers.add_parser(
        "serve",
        help="serve documentation folders over a Context7-compatible API",
        description="Serve Markdown folders (and their git tags) at http://HOST:PORT/api, "
        "a drop-in CONTEXT7_API_URL for the client and the Context7 MCP server.",
    )
    _add_common(serve_parser)
    serve_parser.add_argument(
        "--index",
        metavar="PATH|URL",
        help="the SQLite index file, reused while the docs are unchanged (default: a temporary file), "
        "or a postgresql://USER@HOST/DB index that replicas share",
    )
    serve_parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve_parser.add_argument("--port", type=int, help=f"port to listen on (default {DEFAULT_PORT})")
    serve_parser.add_argument(
        "--api-key",
        action="append",
        metavar="KEY",
        help=f"require this API key (repeatable; also {API_KEYS_ENV}, comma separated)",
    )
    serve_parser.add_argument(
        "--rate-limit", metavar="N[/PERIOD]", help="requests per key or client, e.g. 60/minute or 10/1 (seconds)"
    )
    serve_parser.add_argument(
        "--rate-limit-store",
        metavar="URL",
        help="count --rate-limit in this Redis (redis://HOST:PORT/DB) so every replica shares the limits "
        "(default: in this process)",
    )
    serve_parser.add_argument(
        "--alias",
        action="append",
        metavar="/OLD/ID=/NEW/ID",
        help="answer requests for an old library ID with 301 library_redirected (repeatable)",
    )
    serve_parser.add_argument(
        "--profile",
        choices=PROFILES,
        help="which API to answer: full (both surfaces, the default), live (like context7.com today: "
        "/v2/libs/search, /v2/context, the 2026 /v2/search) or onprem (live, text-only /v2/context)",
    )
    serve_parser.add_argument(
        "--forwarded-allow-ips",
        metavar="IPS",
        help="trust X-Forwarded-For / Forwarded only from these proxy addresses (comma separated, or *); "
        "default: from none, so clients are known by their own address",
    )
    serve_parser.add_argument(
        "--header-timeout",
        type=float,
        metavar="SECONDS",
        help="close a connection that has not sent a whole request head in this time "
        f"(default {DEFAULT_HEADER_TIMEOUT:g})",
    )
    serve_parser.add_argument(
        "--keep-alive",
        type=int,
        metavar="SECONDS",
        help=f"close idle connections after this (default {DEFAULT_KEEP_ALIVE})",
    )
    serve_parser.add_argument(
        "--max-connections",
        type=int,
        metavar="N",
        help=f"open connections at most (default {DEFAULT_MAX_CONNECTIONS}); requests beyond get 503",
    )
    serve_parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="serve from N processes sharing one index file (default 1)",
    )
    serve_parser.add_argument(
        "--watch",
        action="store_true",
        help="re-index a library in the background when its docs change (default: off; without it, restart "
        "or run `context7-kit index` to pick up edits)",
    )
    serve_parser.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"], help="log level"
    )
    serve_parser.set_defaults(func=serve)

    index_parser = subparsers.add_parser(
        "index",
        help="build the documentation index ahead of time",
        description="Parse the libraries' docs into the index (SQLite file or PostgreSQL) that `serve --index` reuses.",
    )
    _add_common(index_parser)
    index_parser.add_argument(
        "--index",
        metavar="PATH|URL",
        help="the SQLite index file, or the postgresql:// index, to build or refresh (required, here or in --config)",
    )
    index_parser.add_argument(
        "--all-versions",
        action="store_true",
        help="also index every git tag now (serve otherwise indexes them in the background)",
    )
    index_parser.add_argument("--force", action="store_true", help="re-parse even unchanged docs")
    index_parser.set_defaults(func=index_command)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server commands on their own (``python -m context7_kit.server.cli``)."""
    parser = argparse.ArgumentParser(prog="context7-kit")
    register_cli(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
