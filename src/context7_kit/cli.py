"""The ``context7-kit`` command: search libraries, read docs, ask questions, serve docs.

Readable output by default, ``--json`` for machines. Failures print one line
on stderr and exit non-zero: 1 for API and network errors, 2 for bad input.
The API key never appears in anything this prints.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO, TypeVar

from context7_kit._version import __version__
from context7_kit.core.client import Context7Client
from context7_kit.core.documents import render_snippet, render_snippets
from context7_kit.core.errors import Context7Error, InvalidInputError, redact
from context7_kit.core.models import Context, DocsPage, Library, TextDocsPage

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, total: int, stream: TextIO | None = None, label: str = "pages") -> None:
        self.total = total
        self.done = 0
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = total > 1 and self.stream.isatty()

    def advance(self) -> None:
        """Count one more unit of work done and redraw."""
        self.done += 1
        if self.enabled:
            width = 24
            filled = round(width * self.done / self.total)
            bar = "#" * filled + "-" * (width - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total} {self.label}")
            self.stream.flush()

    def finish(self) -> None:
        """End the progress line."""
        if self.enabled and self.done:
            self.stream.write("\n")
            self.stream.flush()


def _client(args: argparse.Namespace) -> Context7Client:
    return Context7Client(
        api_key=args.api_key,
        base_url=args.base_url,
        cache=args.cache,
        max_retries=args.max_retries,
        timeout=args.timeout,
    )


def _print_json(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _library_line(lib: Library) -> str:
    facts = []
    if lib.total_snippets is not None:
        facts.append(f"{lib.total_snippets} snippets")
    if lib.trust_score is not None:
        facts.append(f"trust {lib.trust_score:g}")
    if lib.versions:
        facts.append("versions: " + ", ".join(lib.versions[:6]) + (" ..." if len(lib.versions) > 6 else ""))
    head = f"{lib.id}  {lib.title}"
    tail = f"  ({'; '.join(facts)})" if facts else ""
    desc = f"\n    {lib.description}" if lib.description else ""
    return head + tail + desc


def cmd_search(args: argparse.Namespace) -> int:
    """``search QUERY [--library-name NAME]``."""
    with _client(args) as client:
        libraries = client.search_library(args.query, library_name=args.library_name)
    if args.json:
        _print_json([lib.to_wire() for lib in libraries])
    elif not libraries:
        print("No libraries found. Try fewer or different words.")
    else:
        print("\n".join(_library_line(lib) for lib in libraries))
    return 0


P = TypeVar("P", DocsPage, TextDocsPage)


def _fetch_pages(fetch: Callable[..., P], args: argparse.Namespace) -> list[P]:
    """Pages ``--page`` .. ``--page + --pages - 1``, stopping after the last one."""
    pages: list[P] = []
    progress = Progress(args.pages)
    try:
        for number in range(args.page, args.page + args.pages):
            page = fetch(
                args.library_id,
                topic=args.topic,
                mode=args.mode,
                version=args.version,
                page=number,
                limit=args.limit,
            )
            pages.append(page)
            progress.advance()
            if not page.pagination.has_next:
                break
    finally:
        progress.finish()
    return pages


def cmd_docs(args: argparse.Namespace) -> int:
    """``docs LIBRARY_ID [--topic --mode --version --page --limit --pages --format]``."""
    if not 1 <= args.pages <= 10:
        raise InvalidInputError("--pages must be between 1 and 10 (the API serves at most 10 pages).")
    if args.page + args.pages - 1 > 10:
        raise InvalidInputError("--page + --pages goes past page 10, the API's last page: ask for fewer pages.")
    fmt = "json" if args.json else args.format
    with _client(args) as client:
        if fmt == "txt":
            text_pages = _fetch_pages(client.get_docs_text, args)
            print("\n\n".join(p.text.rstrip() for p in text_pages))
            return 0
        pages = _fetch_pages(client.get_docs, args)
    if fmt == "json":
        _print_json([page.model_dump(mode="json", by_alias=False) for page in pages])
        return 0
    snippets = [s for page in pages for s in page.snippets]
    first = pages[0]
    if first.redirected:
        print(f"(library {first.requested_library_id} moved to {first.library_id})", file=sys.stderr)
    if not snippets:
        print("No snippets found. Try another --topic, or --mode info.")
        return 0
    print(render_snippets(snippets))
    return 0


def _context_text(context: Context) -> str:
    parts = [render_snippet(s) for s in context.snippets]
    if context.rules and (context.rules.global_ or context.rules.library_own or context.rules.library_team):
        rules = [*context.rules.global_, *context.rules.library_own, *context.rules.library_team]
        parts.append("### Rules\n\n" + "\n".join(f"- {r}" for r in rules))
    return "\n\n".join(parts) if parts else "No documentation found for this question."


def cmd_context(args: argparse.Namespace) -> int:
    """``context LIBRARY_ID QUERY``."""
    with _client(args) as client:
        context = client.get_context(args.library_id, args.query, fast=args.fast, version=args.version)
    if args.json:
        _print_json(context.model_dump(mode="json"))
    else:
        print(_context_text(context))
    return 0


def _add_client_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection")
    group.add_argument("--api-key", help="API key (default: $CONTEXT7_API_KEY; none = anonymous, low limits)")
    group.add_argument("--base-url", help="API base URL (default: $CONTEXT7_API_URL or https://context7.com/api)")
    group.add_argument("--cache", help="cache responses: 'memory', a SQLite file path or a redis:// URL")
    group.add_argument("--max-retries", type=int, default=3, help="retries on 429/5xx/network errors (default 3)")
    group.add_argument("--timeout", type=float, default=None, help="read timeout in seconds (default 60)")
    parser.add_argument("--json", action="store_true", help="print JSON for machines")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``context7-kit`` command."""
    parser = argparse.ArgumentParser(
        prog="context7-kit",
        description="Context7 documentation from the command line, and a local Context7-compatible docs server.",
    )
    parser.add_argument("--version", action="version", version=f"context7-kit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    search = sub.add_parser("search", help="find libraries and their IDs")
    search.add_argument("query", help="what to search for, e.g. 'next.js' or a question")
    search.add_argument("--library-name", help="search by library name, ranking results by QUERY as a question")
    _add_client_options(search)
    search.set_defaults(func=cmd_search)

    docs = sub.add_parser("docs", help="print a library's documentation snippets")
    docs.add_argument("library_id", help="library ID, e.g. /vercel/next.js or /vercel/next.js/v15.1.8")
    docs.add_argument("--topic", help="focus on a topic, e.g. 'routing middleware'")
    docs.add_argument("--mode", choices=["code", "info"], default="code", help="code examples or prose (default code)")
    docs.add_argument("--version", dest="version", help="pin a version, e.g. v15.1.8")
    docs.add_argument("--page", type=int, default=1, help="first page, 1..10 (default 1)")
    docs.add_argument("--limit", type=int, default=10, help="snippets per page, 1..10 (default 10)")
    docs.add_argument("--pages", type=int, default=1, help="how many pages to fetch (default 1)")
    docs.add_argument("--format", choices=["md", "txt", "json"], default="md", help="output format (default md)")
    _add_client_options(docs)
    docs.set_defaults(func=cmd_docs)

    context = sub.add_parser("context", help="ask a question about a library")
    context.add_argument("library_id", help="library ID, e.g. /vercel/next.js")
    context.add_argument("query", help="the question, e.g. 'how do I add middleware?'")
    context.add_argument("--version", dest="version", help="pin a version")
    context.add_argument("--fast", action="store_true", help="skip the server's reranking")
    _add_client_options(context)
    context.set_defaults(func=cmd_context)

    _add_server_commands(sub)
    return parser


def _add_server_commands(sub: Any) -> None:
    try:
        from context7_kit.server.cli import register_cli  # noqa: PLC0415  (optional extra)
    except ImportError:
        for name in ("serve", "index"):
            missing = sub.add_parser(name, help="(needs: pip install 'context7-kit[server]')")
            missing.set_defaults(func=_server_missing)
        return
    register_cli(sub)


def _server_missing(_args: argparse.Namespace) -> int:
    print("error: the local server needs its extra: pip install 'context7-kit[server]'", file=sys.stderr)
    return EXIT_USAGE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit code."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    if unknown and func is not _server_missing:
        # Without the server extra its options are unknown; the answer is still to install it.
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    secret = getattr(args, "api_key", None)
    try:
        return func(args)
    except InvalidInputError as exc:
        print(f"error: {redact(str(exc), secret)}", file=sys.stderr)
        return EXIT_USAGE
    except Context7Error as exc:
        print(f"error: {redact(str(exc), secret)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
