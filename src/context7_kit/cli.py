"""The ``context7-kit`` command: search libraries, read docs, ask questions, serve docs.

Readable output by default, ``--json`` for machines. Failures print one line
on stderr and exit non-zero: 1 for API and network errors (and for an empty
answer), 2 for bad input. Advice in error messages is given in terms of this
command's options, not the Python API. The API key never appears in
anything this prints.

``search``, ``context`` and ``search-docs`` use the 2026 routes every
Context7 server answers; ``docs`` reads Surface A's ``/v2/docs`` pages and,
on a server without them (context7.com), answers ``--topic`` through
``/v2/context`` instead: one extra call, only then.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO, TypeVar

from context7_kit._version import __version__
from context7_kit.core.client import Context7Client
from context7_kit.core.documents import render_snippet, render_snippets
from context7_kit.core.errors import Context7Error, InvalidInputError, UnsupportedEndpointError, redact
from context7_kit.core.library_id import MAX_PAGE
from context7_kit.core.models import CodeSnippet, Context, DocsPage, DocsSearch, Library, Rules, Snippet, TextDocsPage

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


class NothingFound(Context7Error):
    """An answer without any snippet: said on stderr, with a non-zero exit."""


def _secret(args: argparse.Namespace) -> str | None:
    """The key the client uses: --api-key, else $CONTEXT7_API_KEY (as the client reads it)."""
    key = getattr(args, "api_key", None)
    if key is None:
        key = os.environ.get("CONTEXT7_API_KEY")
    return key.strip() or None if key else None


def _emit(text: str, args: argparse.Namespace) -> None:
    """Print server content, with the key scrubbed out in case a server echoed it."""
    print(redact(text, _secret(args)))


def _print_json(data: Any, args: argparse.Namespace) -> None:
    _emit(json.dumps(data, indent=2, ensure_ascii=False, default=str), args)


# The core's hints speak to Python callers; on the command line the same advice names options.
_CLI_WORDING: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"call search_library\(\) to find an ID"), "run `context7-kit search NAME` to find an ID"),
    (re.compile(r"call search_library\(\) to find the right one"), "run `context7-kit search NAME` to find it"),
    (re.compile(r"search_library\(\) lists each library's versions"), "`context7-kit search NAME` lists its versions"),
    (
        re.compile(r"(pick another one|pick another candidate) with search_library\(\)"),
        r"\1 with `context7-kit search`",
    ),
    (re.compile(r"Use search_library\(\), which"), "Use `context7-kit search`, which"),
    (re.compile(r"search_library\(\)"), "`context7-kit search`"),
    (re.compile(r"get_context\(library_id, question\)"), "`context7-kit context ID QUESTION`"),
    (re.compile(r"pass api_key="), "pass --api-key"),
    (re.compile(r"raise timeout= on the client"), "raise --timeout"),
    (re.compile(r"\bbase_url\b"), "--base-url"),
    (re.compile(r"\be\.g\. (page|limit|topic|version|query|language)=('[^']*'|\S+?)(?=[.,;]?(\s|$))"), r"e.g. --\1 \2"),
    (re.compile(r"\b(page|limit) must be"), r"--\1 must be"),
]


def cli_message(error: Context7Error) -> str:
    """An error's message with its advice in terms of this command's options."""
    text = error.message
    for pattern, replacement in _CLI_WORDING:
        text = pattern.sub(replacement, text)
    return text


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
    """``search QUERY [--library-name NAME] [--fast]``: ``/v2/libs/search``, one call."""
    with _client(args) as client:
        libraries = client.search_library(args.query, library_name=args.library_name, fast=args.fast or None)
    if args.json:
        _print_json([lib.to_wire() for lib in libraries], args)
    elif not libraries:
        print("No libraries found. Try fewer or different words.")
    else:
        _emit("\n".join(_library_line(lib) for lib in libraries), args)
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


def _check_pages(args: argparse.Namespace) -> None:
    """--page, --pages and --limit, each named in its own message."""
    if not 1 <= args.page <= MAX_PAGE:
        raise InvalidInputError(
            f"--page must be between 1 and {MAX_PAGE} (the API serves at most 10 pages), not {args.page}."
        )
    if not 1 <= args.pages <= MAX_PAGE:
        raise InvalidInputError(
            f"--pages must be between 1 and {MAX_PAGE} (the API serves at most 10 pages), not {args.pages}."
        )
    if args.page + args.pages - 1 > MAX_PAGE:
        raise InvalidInputError(
            f"--page {args.page} with --pages {args.pages} goes past page {MAX_PAGE}, the API's last page: "
            f"ask for at most {MAX_PAGE - args.page + 1} page(s)."
        )
    if not 1 <= args.limit <= 10:
        raise InvalidInputError(f"--limit must be between 1 and 10, not {args.limit}.")


def _nothing_found(pages: Sequence[DocsPage | TextDocsPage], args: argparse.Namespace) -> NothingFound:
    first = pages[0].pagination
    if args.page > 1 and first.total_pages < args.page:
        return NothingFound(
            f"Page {args.page} is past the last page ({first.total_pages}) of this library"
            + (" and topic" if args.topic else "")
            + f": use --page 1..{first.total_pages}."
        )
    return NothingFound(
        "No snippets found. Try another --topic" + (", or --mode info." if args.mode == "code" else ".")
    )


def _docs_by_question(client: Context7Client, args: argparse.Namespace) -> int:
    """``docs ID --topic T`` on a server without /v2/docs: the topic asked as a question on /v2/context."""
    if not args.topic:
        raise UnsupportedEndpointError(
            "This Context7 server does not serve Surface A's /v2/docs/... pages (as context7.com): it reads docs "
            "by question.",
            hint="Give --topic QUESTION, or run `context7-kit context ID QUESTION`.",
            status_code=404,
        )
    print(
        "(this server has no /v2/docs routes: answering --topic as a question with /v2/context"
        + ("; --page and --pages do not apply)" if args.page > 1 or args.pages > 1 else ")"),
        file=sys.stderr,
    )
    context = client.get_context(args.library_id, args.topic, version=args.version)
    snippets: list[Snippet] = [s for s in context.snippets if isinstance(s, CodeSnippet) == (args.mode == "code")][
        : args.limit
    ]
    fmt = "json" if args.json else args.format
    if fmt == "json":
        _print_json([context.model_dump(mode="json")], args)
        return 0
    if not snippets:
        raise NothingFound(
            f"No {args.mode} snippets answer this --topic. Try other words, or --mode "
            + ("info." if args.mode == "code" else "code.")
        )
    _emit(render_snippets(snippets), args)
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    """``docs LIBRARY_ID [--topic --mode --version --page --limit --pages --format]``."""
    _check_pages(args)
    fmt = "json" if args.json else args.format
    with _client(args) as client:
        try:
            if fmt == "txt":
                text_pages = _fetch_pages(client.get_docs_text, args)
            else:
                pages = _fetch_pages(client.get_docs, args)
        except UnsupportedEndpointError:
            return _docs_by_question(client, args)
    if fmt == "txt":
        text = "\n\n".join(p.text.rstrip() for p in text_pages if p.text.strip())
        if not text:
            raise _nothing_found(text_pages, args)
        _emit(text, args)
        return 0
    if fmt == "json":
        _print_json([page.model_dump(mode="json", by_alias=False) for page in pages], args)
        return 0
    snippets = [s for page in pages for s in page.snippets]
    first = pages[0]
    if first.redirected:
        print(
            redact(f"(library {first.requested_library_id} moved to {first.library_id})", _secret(args)),
            file=sys.stderr,
        )
    if not snippets:
        raise _nothing_found(pages, args)
    _emit(render_snippets(snippets), args)
    return 0


def _rules_text(rules: Rules | None) -> list[str]:
    listed = rules.all() if rules else []
    return ["### Rules\n\n" + "\n".join(f"- {r}" for r in listed)] if listed else []


def _context_text(context: Context) -> str:
    parts = [render_snippet(s) for s in context.snippets] + _rules_text(context.rules)
    return "\n\n".join(parts) if parts else "No documentation found for this question."


def cmd_context(args: argparse.Namespace) -> int:
    """``context LIBRARY_ID QUERY``: ``/v2/context``, one call."""
    with _client(args) as client:
        context = client.get_context(args.library_id, args.query, fast=args.fast or None, version=args.version)
    if args.json:
        _print_json(context.model_dump(mode="json"), args)
    else:
        _emit(_context_text(context), args)
    return 0


def _search_text(found: DocsSearch) -> str:
    parts = [
        f"Library: {s.library_id}\n{render_snippet(s)}" if s.library_id else render_snippet(s) for s in found.snippets
    ]
    return "\n\n".join(parts + _rules_text(found.rules))


def cmd_search_docs(args: argparse.Namespace) -> int:
    """``search-docs QUERY [--library L]... [--version V] [--language X]``: the Search API, one call."""
    with _client(args) as client:
        found = client.search_docs(args.query, libraries=args.library, version=args.version, language=args.language)
    if args.json:
        _print_json(found.model_dump(mode="json"), args)
        return 0
    if not found.snippets:
        raise NothingFound("No documentation matched. Try other words, or name a --library.")
    _emit(_search_text(found), args)
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
    search.add_argument("query", help="a library name, e.g. 'next.js', or a question with --library-name")
    search.add_argument("--library-name", help="the library's name, ranking results by QUERY as a question")
    search.add_argument("--fast", action="store_true", help="skip the server's reranking")
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

    found = sub.add_parser("search-docs", help="search documentation across libraries for a question")
    found.add_argument("query", help="the question, e.g. 'how do I stream responses?'")
    found.add_argument(
        "--library", action="append", help="a library name or ID to search (repeat, up to 4), e.g. next.js"
    )
    found.add_argument("--version", dest="version", help="a version number, e.g. 15.2 (needs --library)")
    found.add_argument("--language", help="a programming language to prefer, e.g. TypeScript")
    _add_client_options(found)
    found.set_defaults(func=cmd_search_docs)

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
    secret = _secret(args)
    try:
        return func(args)
    except InvalidInputError as exc:
        print(f"error: {redact(cli_message(exc), secret)}", file=sys.stderr)
        return EXIT_USAGE
    except Context7Error as exc:
        print(f"error: {redact(cli_message(exc), secret)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
