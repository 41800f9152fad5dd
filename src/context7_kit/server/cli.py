"""``context7-kit serve`` and ``context7-kit index``.

Libraries come from ``--library /owner/repo=PATH`` (repeatable) and/or a
TOML file (``--config``)::

    host = "127.0.0.1"
    port = 8787
    index = ".context7-kit/index.sqlite"
    api_keys = ["ctx7sk-local-..."]
    rate_limit = "60/minute"
    profile = "full"              # or "live", "onprem"
    rate_limit_store = "redis://localhost:6379/0"   # optional: limits shared by every replica

    [aliases]
    "/acme/old-widgets" = "/acme/widgets"

    [[libraries]]
    id = "/acme/widgets"
    path = "docs"                 # relative to the config file
    title = "Acme Widgets"        # optional, like description and source_url
    git_versions = true           # optional: serve git tags as versions
    trust_score = 9               # optional, 0..10 (default 7)
    benchmark_score = 80          # optional, 0..100 (default 50)

Command-line flags win over the file. API keys may also come from
``C7KIT_SERVER_API_KEYS`` (comma separated).
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import uvicorn

from context7_kit.core.errors import InvalidInputError
from context7_kit.core.library_id import LibraryId
from context7_kit.server.app import PROFILES, Profile, create_app
from context7_kit.server.index import build_index
from context7_kit.server.ratelimit import RateLimit
from context7_kit.server.ratelimit_redis import check_store_url, ping
from context7_kit.server.sources import LibrarySource

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
    index: Path | None = None
    api_keys: list[str] = field(default_factory=list)
    rate_limit: RateLimit | None = None
    aliases: dict[str, str] = field(default_factory=dict)
    profile: Profile = "full"
    rate_limit_store: str | None = None


def _pair(text: str, flag: str, example: str) -> tuple[str, str]:
    left, sep, right = text.partition("=")
    if not sep or not left.strip() or not right.strip():
        raise ConfigError(f"{flag} {text!r}: use the form {example}.")
    return left.strip(), right.strip()


def _library(data: Any, base: Path, where: str) -> LibrarySource:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not isinstance(data.get("path"), str):
        raise ConfigError(f"{where}: each [[libraries]] entry needs id = '/owner/repo' and path = 'folder'.")
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
    try:
        config.libraries = [_library(item, base, str(path)) for item in data.get("libraries", [])]
        config.host = str(data.get("host", config.host))
        config.port = int(data.get("port", config.port))
        if "index" in data:
            config.index = base / str(data["index"])
        config.api_keys = [str(k) for k in data.get("api_keys", [])]
        if "rate_limit" in data:
            config.rate_limit = RateLimit.parse(str(data["rate_limit"]))
        if "rate_limit_store" in data:
            config.rate_limit_store = check_store_url(str(data["rate_limit_store"]))
        config.aliases = {str(k): str(v) for k, v in dict(data.get("aliases", {})).items()}
        if "profile" in data:
            config.profile = _profile(data["profile"], f"{path}: profile")
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    return config


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
        config.index = Path(args.index)
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
    return config


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--library",
        action="append",
        metavar="/OWNER/REPO=PATH",
        help="a library ID and its docs folder, e.g. /acme/widgets=./docs (repeatable)",
    )
    parser.add_argument("--config", metavar="FILE", help="a TOML config file (see the docs of context7_kit.server.cli)")
    parser.add_argument("--index", metavar="PATH", help="the SQLite index file (default: in memory)")
    for flag, scale in (("--trust-score", "0..10, default 7"), ("--benchmark-score", "0..100, default 50")):
        parser.add_argument(
            flag,
            action="append",
            metavar="/OWNER/REPO=N",
            help=f"the {flag[2:].replace('-', ' ')} library searches report for a library ({scale}; repeatable)",
        )


def serve(args: argparse.Namespace) -> int:
    """The ``serve`` command: index the libraries and serve them until interrupted."""
    try:
        config = resolve_config(args)
        if config.rate_limit_store and config.rate_limit:
            ping(config.rate_limit_store)
        index = build_index(config.libraries, config.index)
        app = create_app(
            index,
            api_keys=config.api_keys,
            rate_limit=config.rate_limit,
            aliases=config.aliases,
            profile=config.profile,
            rate_limit_store=config.rate_limit_store,
        )
    except (ConfigError, ValueError, ConnectionError) as exc:
        print(f"context7-kit serve: {exc}", file=sys.stderr)
        return 2
    for source in config.libraries:
        info = index.library(source.library_id)
        versions = f", versions: {', '.join(info.versions)}" if info.versions else ""
        print(f"Serving {source.library_id} from {source.path} ({info.total_snippets} snippets{versions})")
    print(f"Base URL: http://{config.host}:{config.port}/api  (set CONTEXT7_API_URL to it; profile {config.profile})")
    uvicorn.run(app, host=config.host, port=config.port, log_level=args.log_level)
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
    started = time.perf_counter()
    index = build_index(config.libraries, config.index, all_versions=args.all_versions, force=args.force)
    try:
        for source in config.libraries:
            info = index.library(source.library_id)
            print(f"{source.library_id}: {info.total_snippets} snippets, {info.total_tokens} tokens")
    finally:
        index.close()
    print(f"Index {config.index} ready in {time.perf_counter() - started:.2f} s")
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
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"], help="log level"
    )
    serve_parser.set_defaults(func=serve)

    index_parser = subparsers.add_parser(
        "index",
        help="build the documentation index ahead of time",
        description="Parse the libraries' docs into the SQLite index file that `serve --index` reuses.",
    )
    _add_common(index_parser)
    index_parser.add_argument("--all-versions", action="store_true", help="also index every git tag now")
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
