"""The two Context7 tools, framework-neutral: every agent framework adapter is derived from these.

:func:`context7_tools` gives ``resolve_library_id`` and ``query_docs`` as
:class:`NeutralTool` objects: a name valid in every framework, a description
written for the model, a JSON Schema of the arguments (optional strings are
plain ``{"type": "string"}``, never an ``anyOf`` with null, so every
framework accepts them), and sync and async callables.

A call never raises for what a model or the API can get wrong: bad arguments
and API failures come back as a :class:`ToolResult` with ``is_error=True``,
the error, and text that says what went wrong and which tool to call next
(:mod:`context7_kit.core.advice`). An adapter only translates: the text goes
to the model, through its framework's error channel when ``is_error`` is set;
``documents`` and ``libraries`` go to the program.

One call of a tool is one API request: ``resolve_library_id`` asks
``/v2/libs/search`` and ``query_docs`` asks ``/v2/context`` (or, with
``source="docs"`` for a server that still serves them, one ``/v2/docs`` page).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, WithJsonSchema, create_model
from typing_extensions import Unpack

from context7_kit.core.advice import DOCS_TOOL, RESOLVE_TOOL, agent_message
from context7_kit.core.async_client import AsyncContext7Client
from context7_kit.core.client import Context7Client
from context7_kit.core.documents import (
    CHARS_PER_TOKEN,
    SNIPPET_SEPARATOR,
    SnippetDocument,
    clip_query,
    context_documents,
    interleave,
    page_documents,
    ranked,
)
from context7_kit.core.errors import Context7Error, InvalidInputError
from context7_kit.core.library_id import MAX_LIMIT, MAX_PAGE
from context7_kit.core.models import Context, DocsPage, Library
from context7_kit.core.pair import ClientOptions, ClientPair, ClosesClients
from context7_kit.core.retrieval import Source, check_k, check_source

DEFAULT_MAX_TOKENS = 5000
"""The default budget of ``query_docs`` text, in estimated tokens."""
DEFAULT_MAX_RESULTS = 5
"""The default number of libraries ``resolve_library_id`` shows."""
MIN_MAX_TOKENS = 200


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ToolResult:
    """What a tool call gives back: text for the model, records for the program, and an error flag."""

    text: str
    """What the model reads; on error, what went wrong and what to do next."""
    documents: tuple[SnippetDocument, ...] = ()
    """The snippets, as neutral documents with the query and rank added (``query_docs``)."""
    libraries: tuple[Library, ...] = ()
    """The libraries found (``resolve_library_id``)."""
    is_error: bool = False
    """Whether the call failed: bad arguments or an API failure."""
    error: Context7Error | None = None
    """The failure, for frameworks whose error channel is an exception (its text is ``text``'s source)."""


class Context7ToolError(Context7Error):
    """A tool call failed, raised where a framework's error channel is an exception.

    The message is the text the model reads (what went wrong, which call to make
    next); ``error`` is the underlying :class:`~context7_kit.Context7Error`, for programs.
    """

    def __init__(self, message: str, *, error: Context7Error | None = None) -> None:
        super().__init__(message)
        self.error = error


def text_or_raise(result: ToolResult) -> str:
    """The model's text of a successful call; a failed one raises :class:`Context7ToolError`."""
    if result.is_error:
        raise Context7ToolError(result.text, error=result.error) from result.error
    return result.text


# --- arguments ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """One argument of a tool: its JSON Schema and its check, from one definition."""

    name: str
    kind: Literal["string", "integer"]
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    default: str | int | None = None

    def schema(self) -> dict[str, Any]:
        """The property's JSON Schema."""
        schema: dict[str, Any] = {"type": self.kind, "description": self.description}
        if self.enum:
            schema["enum"] = list(self.enum)
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        if self.default is not None:
            schema["default"] = self.default
        return schema

    def check(self, value: object) -> str | int | None:
        """The value to use (None: left out); a wrong one raises :class:`InvalidInputError`."""
        if isinstance(value, str) and self.kind == "string":
            value = value.strip() or None
        if value is None:
            if self.required:
                raise InvalidInputError(f"'{self.name}' is required: {self.description}")
            return self.default
        if self.kind == "integer":
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvalidInputError(f"'{self.name}' must be an integer, not {value!r}.")
            if (self.minimum is not None and value < self.minimum) or (
                self.maximum is not None and value > self.maximum
            ):
                raise InvalidInputError(f"'{self.name}' must be from {self.minimum} to {self.maximum}, not {value}.")
            return value
        if not isinstance(value, str):
            raise InvalidInputError(f"'{self.name}' must be a string, not {type(value).__name__}.")
        if self.enum and value not in self.enum:
            raise InvalidInputError(f"'{self.name}' must be one of {', '.join(map(repr, self.enum))}, not {value!r}.")
        return value


def json_schema(params: Sequence[Param]) -> dict[str, Any]:
    """The JSON Schema object of a tool's arguments."""
    return {
        "type": "object",
        "properties": {p.name: p.schema() for p in params},
        "required": [p.name for p in params if p.required],
    }


def params_model(name: str, params: Sequence[Param], doc: str, *, module: str = __name__) -> type[BaseModel]:
    """A pydantic model of a tool's arguments, for frameworks that take one (LangChain, LlamaIndex).

    Its JSON Schema matches :func:`json_schema`: an optional argument is a
    plain ``{"type": ...}``, not an ``anyOf`` with null, though it accepts None.
    Bind it to ``name`` in ``module`` so that it pickles.
    """
    definitions: dict[str, Any] = {}
    for param in params:
        kind: Any = int if param.kind == "integer" else str
        if param.enum:
            kind = Literal[param.enum]
        if param.required:
            info = Field(description=param.description, ge=param.minimum, le=param.maximum)
            definitions[param.name] = (kind, info)
        else:
            optional = Annotated[kind | None, WithJsonSchema(param.schema())]
            info = Field(default=param.default, description=param.description, ge=param.minimum, le=param.maximum)
            definitions[param.name] = (optional, info)
    model: type[BaseModel] = create_model(name, __doc__=doc, __module__=module, **definitions)
    return model


def check_arguments(params: Sequence[Param], arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The checked arguments, every parameter present (None when left out); raises :class:`InvalidInputError`."""
    known = {p.name for p in params}
    unknown = sorted(set(arguments) - known)
    problems = [f"unknown argument {name!r}" for name in unknown]
    checked: dict[str, Any] = {}
    for param in params:
        try:
            checked[param.name] = param.check(arguments.get(param.name))
        except InvalidInputError as exc:
            problems.append(exc.detail.rstrip("."))
    if problems:
        takes = ", ".join(f"{p.name}{'' if p.required else ' (optional)'}" for p in params)
        raise InvalidInputError(f"Invalid arguments: {'; '.join(problems)}. This tool takes: {takes}.")
    return checked


# --- the tools ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Behaviour:
    """What makes a tool: its arguments, its request (sync and async) and its output."""

    params: tuple[Param, ...]
    fetch: Callable[[Context7Client, dict[str, Any]], Any]
    afetch: Callable[[AsyncContext7Client, dict[str, Any]], Awaitable[Any]]
    output: Callable[[Any, dict[str, Any]], ToolResult]


@dataclass(frozen=True)
class NeutralTool(ClosesClients):
    """One Context7 tool as a framework-neutral description and sync/async callables.

    ``close()`` / ``aclose()`` (or ``with``) close the clients the tools built;
    the tools of one :func:`context7_tools` call share them.

    Example::

        from context7_kit.core.tools import context7_tools

        resolve, docs = context7_tools()
        result = resolve.call(library_name="next.js", query="How do I add middleware?")
        print(result.text)  # the candidates, for the model
        result = await docs.acall(library_id="/vercel/next.js", query="How do I add middleware?")
        result.documents  # the snippets as neutral documents
    """

    name: str
    """A function name valid in every framework (letters, digits, underscores)."""
    description: str
    """What the tool does and when to use it, written for the model."""
    parameters: dict[str, Any]
    """The JSON Schema object of the arguments."""
    _behaviour: _Behaviour = field(repr=False, compare=False)
    _clients: ClientPair = field(repr=False, compare=False)

    @property
    def params(self) -> tuple[Param, ...]:
        """The arguments, as the schema describes them."""
        return self._behaviour.params

    @property
    def clients(self) -> ClientPair:
        """The clients the tool calls through (shared by the tools of one :func:`context7_tools` call)."""
        return self._clients

    def _failure(self, error: Context7Error, arguments: Mapping[str, Any]) -> ToolResult:
        library_id = arguments.get("library_id")
        text = agent_message(
            error,
            library_id if isinstance(library_id, str) else None,
            secret=self._clients.api_key,
            resolve_tool=RESOLVE_TOOL,
            docs_tool=DOCS_TOOL,
        )
        return ToolResult(text=text, is_error=True, error=error)

    def call(self, **arguments: Any) -> ToolResult:
        """Run the tool with the sync client; failures come back as an error result, never raised."""
        try:
            checked = check_arguments(self._behaviour.params, arguments)
            answer = self._behaviour.fetch(self._clients.sync(), checked)
        except Context7Error as exc:
            return self._failure(exc, arguments)
        return self._behaviour.output(answer, checked)

    async def acall(self, **arguments: Any) -> ToolResult:
        """Run the tool with the async client; failures come back as an error result, never raised."""
        try:
            checked = check_arguments(self._behaviour.params, arguments)
            answer = await self._behaviour.afetch(self._clients.async_(), checked)
        except Context7Error as exc:
            return self._failure(exc, arguments)
        return self._behaviour.output(answer, checked)

    def _client_pair(self) -> ClientPair:
        return self._clients


# --- resolve_library_id ------------------------------------------------------------------

RESOLVE_DESCRIPTION = (
    "Find the Context7 library ID of a library, framework, SDK or package by its name. Call this first, "
    f"before {DOCS_TOOL}, unless the user already gave an ID of the form '/owner/repo' or "
    "'/owner/repo/version'. Returns candidates, best match first, with ID, description, snippet count, "
    "trust score and versions."
)

RESOLVE_PARAMS = (
    Param(
        "library_name",
        "string",
        "Name of the library, framework, SDK or package to find, as a developer would type it, "
        "e.g. 'next.js', 'langchain', 'pydantic', 'react query'. Just the name: no version, no question.",
        required=True,
    ),
    Param(
        "query",
        "string",
        "The user's question or task in one sentence, e.g. 'How do I add middleware to the app router?'. "
        "Ranks the candidates when several libraries share a name.",
    ),
)


def _describe_library(library: Library, description_chars: int) -> str:
    lines = [f"- {library.id}: {library.title}"]
    if library.description:
        text = " ".join(library.description.split())
        if len(text) > description_chars:
            text = text[: description_chars - 3].rstrip() + "..."
        lines.append(f"  {text}")
    facts = []
    if library.total_snippets is not None:
        facts.append(f"snippets: {library.total_snippets}")
    if library.trust_score is not None:
        facts.append(f"trust: {library.trust_score:g}/10")
    if library.benchmark_score is not None:
        facts.append(f"benchmark: {library.benchmark_score:g}/100")
    if library.state and library.state != "finalized":
        facts.append(f"state: {library.state} (docs may be missing or incomplete)")
    if library.versions:
        shown = ", ".join(library.versions[:8]) + (", ..." if len(library.versions) > 8 else "")
        facts.append(f"versions: {shown} (pin one as {library.id}/<version>)")
    if facts:
        lines.append("  " + " | ".join(facts))
    return "\n".join(lines)


def format_libraries(
    libraries: Sequence[Library], library_name: str, *, max_results: int, description_chars: int = 200
) -> str:
    """The compact candidate list the model chooses an ID from."""
    if not libraries:
        return (
            f"No Context7 library matches {library_name!r}. Try another spelling, the package's official name, "
            "or a broader name (e.g. 'next.js' instead of 'next.js app router')."
        )
    shown = libraries[:max_results]
    header = (
        f"Context7 libraries matching {library_name!r}, best match first. Choose the one whose name fits best "
        f"(prefer a higher trust score and more snippets) and pass its ID as library_id to {DOCS_TOOL}."
    )
    body = "\n".join(_describe_library(lib, description_chars) for lib in shown)
    more = f"\n({len(libraries) - len(shown)} more not shown.)" if len(libraries) > len(shown) else ""
    return f"{header}\n\n{body}{more}"


def resolve_tool(clients: ClientPair, *, max_results: int = DEFAULT_MAX_RESULTS) -> NeutralTool:
    """``resolve_library_id``: one ``/v2/libs/search`` request, the name ranked by the question."""
    check_k(max_results, name="max_results", maximum=50)

    def search_args(args: dict[str, Any]) -> tuple[str, str]:
        # The vendor's resolve-library-id sends both; the name stands in for a missing question.
        return clip_query(args["query"]) or args["library_name"], args["library_name"]

    def output(libraries: list[Library], args: dict[str, Any]) -> ToolResult:
        text = format_libraries(libraries, args["library_name"], max_results=max_results)
        return ToolResult(text=text, libraries=tuple(libraries))

    behaviour = _Behaviour(
        params=RESOLVE_PARAMS,
        fetch=lambda client, args: client.search_library(*search_args(args)),
        afetch=lambda client, args: client.search_library(*search_args(args)),
        output=output,
    )
    return NeutralTool(RESOLVE_TOOL, RESOLVE_DESCRIPTION, json_schema(RESOLVE_PARAMS), behaviour, clients)


# --- query_docs ----------------------------------------------------------------------------

DOCS_DESCRIPTION = (
    "Fetch current documentation (code examples and explanations) of one library that answers a question. "
    "library_id is the exact Context7 ID ('/owner/repo' or '/owner/repo/version'); if you only know the "
    f"library's name, call {RESOLVE_TOOL} first. query is the user's question in full, specific words: "
    "'How do I rewrite paths in middleware?' gives better snippets than 'middleware'. Cite the sources."
)

_LIBRARY_ID = Param(
    "library_id",
    "string",
    "Exact Context7 library ID: '/owner/repo' (e.g. '/vercel/next.js', '/pydantic/pydantic') or, pinned to "
    "a version, '/owner/repo/version' (e.g. '/vercel/next.js/v15.1.8'). Use an ID returned by "
    f"{RESOLVE_TOOL}, or one the user gave; never guess one from a package name.",
    required=True,
)
_QUERY = Param(
    "query",
    "string",
    "The question to answer from the docs, specific and in full, e.g. 'How do I add authentication "
    "middleware to the app router?'.",
    required=True,
)
_VERSION = Param(
    "version",
    "string",
    f"A version to pin, exactly as {RESOLVE_TOOL} lists it (e.g. 'v15.1.8'); the same as appending it to "
    "library_id. Leave it out for the latest docs.",
)
CONTEXT_PARAMS = (_LIBRARY_ID, _QUERY, _VERSION)
DOCS_PARAMS = (
    _LIBRARY_ID,
    _QUERY,
    _VERSION,
    Param(
        "mode",
        "string",
        "'code' for code examples and API usage (the default); 'info' for prose: concepts, guides, why.",
        enum=("code", "info"),
        default="code",
    ),
    Param(
        "page",
        "integer",
        f"Result page, 1 to {MAX_PAGE}. Ask for the next page only when the answer says more pages exist.",
        minimum=1,
        maximum=MAX_PAGE,
        default=1,
    ),
)


def budgeted_text(header: str, texts: Sequence[str], *, max_tokens: int, footer: Callable[[int], str]) -> str:
    """``header``, then as many of ``texts`` as fit ``max_tokens`` (estimated), then ``footer(left_out)``.

    Texts are kept in order while they fit; a first text too long on its
    own is cut, marked as cut.
    """
    max_chars = max_tokens * CHARS_PER_TOKEN
    chosen = len(texts)
    while chosen > 1:
        candidate = header + "\n\n" + SNIPPET_SEPARATOR.join(texts[:chosen]) + footer(len(texts) - chosen)
        if len(candidate) <= max_chars:
            return candidate
        chosen -= 1
    if not texts:
        return (header + footer(0))[:max_chars]
    tail = footer(len(texts) - 1)
    room = max_chars - len(header) - 2 - len(tail)
    first = texts[0]
    if len(first) > room:
        marker = "\n[... cut to fit the token budget]"
        first = first[: max(room - len(marker), 0)] + marker
    return (header + "\n\n" + first + tail)[:max_chars]


def _left_out(count: int) -> str:
    if not count:
        return ""
    return f"{count} more snippet(s) were left out to stay within the token budget; ask a narrower question for them."


def _footer(left_out: int) -> str:
    note = _left_out(left_out)
    return "\n\n" + note if note else ""


def documents_text(title: str, documents: Sequence[SnippetDocument], *, max_tokens: int) -> str:
    """``title`` and the documents' text, most relevant first, within ``max_tokens`` (estimated)."""
    if not documents:
        return f"{title}: no snippets found. Rephrase the question with the library's own terms, or ask a broader one."
    return budgeted_text(
        f"{title}, most relevant first.", [d.text for d in documents], max_tokens=max_tokens, footer=_footer
    )


def _moved(requested: str, served: str) -> str:
    return f"\nNote: {requested} has moved to {served}; use {served} from now on."


def context_text(context: Context, documents: Sequence[SnippetDocument], *, max_tokens: int) -> str:
    """The text the model reads for a ``/v2/context`` answer, at most ``max_tokens`` (estimated) long."""
    served = context.library_id + (f"/{context.version}" if context.version else "")
    header = f"Documentation of {served} for {context.query!r}, most relevant first."
    if context.redirected:
        header += _moved(context.requested_library_id, served)
    rules = context.rules
    if rules is not None:
        lines = [*rules.global_, *rules.library_own, *rules.library_team]
        if lines:
            header += "\n\nRules from the library's maintainers:\n" + "\n".join(f"- {r}" for r in lines)
    if not documents:
        return (
            f"{header}\nNo snippets answer this question. Rephrase it with the library's own terms, ask a "
            f"broader question, or check the library ID with {RESOLVE_TOOL}."
        )[: max_tokens * CHARS_PER_TOKEN]

    return budgeted_text(header, [d.text for d in documents], max_tokens=max_tokens, footer=_footer)


def docs_page_text(page: DocsPage, documents: Sequence[SnippetDocument], *, max_tokens: int) -> str:
    """The text the model reads for one ``/v2/docs`` page, at most ``max_tokens`` (estimated) long."""
    served = page.library_id + (f"/{page.version}" if page.version else "")
    about = f" on {page.topic!r}," if page.topic else ""
    pagination = page.pagination
    header = (
        f"{page.mode.capitalize()} documentation for {served},{about} page {pagination.page} of "
        f"{pagination.total_pages}."
    )
    if page.redirected:
        header += _moved(page.requested_library_id, served)
    if not documents:
        other = "info" if page.mode == "code" else "code"
        return (f"{header}\nNo snippets found. Try a broader or different query, or mode='{other}'.")[
            : max_tokens * CHARS_PER_TOKEN
        ]

    def footer(left_out: int) -> str:
        parts = [_left_out(left_out)] if left_out else []
        if pagination.has_next and pagination.page < MAX_PAGE:
            parts.append(f"More results: call {DOCS_TOOL} again with page={pagination.page + 1}.")
        return "\n\n" + " ".join(parts) if parts else ""

    return budgeted_text(header, [d.text for d in documents], max_tokens=max_tokens, footer=footer)


def docs_tool(
    clients: ClientPair,
    *,
    source: Source = "context",
    max_tokens: int = DEFAULT_MAX_TOKENS,
    limit: int = MAX_LIMIT,
) -> NeutralTool:
    """``query_docs``: one ``/v2/context`` request (or one ``/v2/docs`` page with ``source="docs"``).

    ``max_tokens`` bounds the text the model reads (estimated at four
    characters a token); ``documents`` always holds every snippet received.
    ``limit`` is the page size with ``source="docs"``.
    """
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < MIN_MAX_TOKENS:
        raise InvalidInputError(f"max_tokens must be an integer of at least {MIN_MAX_TOKENS}, not {max_tokens!r}.")
    check_k(limit, name="limit", maximum=MAX_LIMIT)
    if source == "context":

        def context_args(args: dict[str, Any]) -> dict[str, Any]:
            return {"library_id": args["library_id"], "query": clip_query(args["query"]), "version": args["version"]}

        def context_output(context: Context, args: dict[str, Any]) -> ToolResult:
            # Code examples and prose alternate, each in the server's order: a budget cut keeps some of both.
            documents = ranked(interleave(context_documents(context, mode="both")), query=context.query)
            return ToolResult(text=context_text(context, documents, max_tokens=max_tokens), documents=tuple(documents))

        behaviour = _Behaviour(
            params=CONTEXT_PARAMS,
            fetch=lambda client, args: client.get_context(**context_args(args)),
            afetch=lambda client, args: client.get_context(**context_args(args)),
            output=context_output,
        )
        return NeutralTool(DOCS_TOOL, DOCS_DESCRIPTION, json_schema(CONTEXT_PARAMS), behaviour, clients)
    check_source(source)

    def page_args(args: dict[str, Any]) -> dict[str, Any]:
        return {
            "library_id": args["library_id"],
            "topic": clip_query(args["query"]),
            "version": args["version"],
            "mode": args["mode"],
            "page": args["page"],
            "limit": limit,
        }

    def page_output(page: DocsPage, args: dict[str, Any]) -> ToolResult:
        documents = ranked(
            page_documents(page), query=page.topic, first_rank=(page.page - 1) * limit + 1, page=page.page
        )
        return ToolResult(text=docs_page_text(page, documents, max_tokens=max_tokens), documents=tuple(documents))

    behaviour = _Behaviour(
        params=DOCS_PARAMS,
        fetch=lambda client, args: client.get_docs(**page_args(args)),
        afetch=lambda client, args: client.get_docs(**page_args(args)),
        output=page_output,
    )
    return NeutralTool(DOCS_TOOL, DOCS_DESCRIPTION, json_schema(DOCS_PARAMS), behaviour, clients)


def context7_tools(
    clients: ClientPair | None = None,
    *,
    source: Source = "context",
    max_tokens: int = DEFAULT_MAX_TOKENS,
    max_results: int = DEFAULT_MAX_RESULTS,
    **options: Unpack[ClientOptions],
) -> list[NeutralTool]:
    """``[resolve_library_id, query_docs]``, sharing one :class:`ClientPair`.

    Args:
        clients: the clients to call through; by default a pair built from ``options``.
        source: ``"context"`` (``/v2/context``, the default, served everywhere) or
            ``"docs"`` (``/v2/docs`` pages with ``mode`` and ``page`` arguments, for a
            server that serves them).
        max_tokens: the budget of the docs text the model reads, in estimated tokens.
        max_results: how many libraries ``resolve_library_id`` shows.
        **options: :class:`ClientOptions` of the clients to build (not with ``clients``).
    """
    if clients is None:
        clients = ClientPair(owner="context7_tools", **options)
    elif options:
        raise InvalidInputError("context7_tools: pass either clients= or client options, not both.")
    return [
        resolve_tool(clients, max_results=max_results),
        docs_tool(clients, source=source, max_tokens=max_tokens),
    ]


__all__ = [
    "CONTEXT_PARAMS",
    "DEFAULT_MAX_RESULTS",
    "DEFAULT_MAX_TOKENS",
    "DOCS_DESCRIPTION",
    "DOCS_PARAMS",
    "DOCS_TOOL",
    "MIN_MAX_TOKENS",
    "RESOLVE_DESCRIPTION",
    "RESOLVE_PARAMS",
    "RESOLVE_TOOL",
    "Context7ToolError",
    "NeutralTool",
    "Param",
    "Source",
    "ToolResult",
    "budgeted_text",
    "check_arguments",
    "context7_tools",
    "context_text",
    "docs_page_text",
    "docs_tool",
    "documents_text",
    "format_libraries",
    "json_schema",
    "params_model",
    "resolve_tool",
    "text_or_raise",
]
