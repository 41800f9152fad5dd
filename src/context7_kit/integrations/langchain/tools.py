"""LangChain tools: find a library's Context7 ID, then read its documentation.

Each tool's sync and async paths share everything but the I/O: a pure
function builds the client call's arguments, the sync or async core client
makes the call, and a pure function turns the result into the tool's output.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
from langchain_core.documents import Document
from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field, ValidationError

from context7_kit.core import Context7Error, DocsPage, Library
from context7_kit.core.documents import SNIPPET_SEPARATOR, page_documents, ranked
from context7_kit.integrations.langchain._common import (
    DOCS_TOOL_NAME,
    RESOLVE_TOOL_NAME,
    Context7ClientSettings,
    to_langchain_document,
    tool_error,
)

CHARS_PER_TOKEN = 4
"""The estimate used to keep tool text within ``max_tokens``: about four characters a token."""


def _validation_message(error: ValidationError) -> str:
    """What was wrong with the model's arguments, in words it can act on."""
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}" for e in error.errors(include_input=False)
    )
    return f"Invalid arguments ({problems}). Fix them and call the tool again."


# --- resolve_library_id ---------------------------------------------------------


class ResolveLibraryInput(BaseModel):
    """Arguments of ``resolve_library_id``."""

    library_name: str = Field(
        min_length=1,
        max_length=500,
        description=(
            "Name of the library, framework, SDK or package to find, as a developer would type it, "
            "e.g. 'next.js', 'langchain', 'pydantic', 'react query'. Just the name: no version, no question."
        ),
    )
    query: str | None = Field(
        default=None,
        max_length=500,
        description=(
            "Optional: the user's question or task in one sentence, e.g. 'How do I add middleware to the "
            "app router?'. Helps rank the candidates when several libraries share a name."
        ),
    )


def _resolve_args(library_name: str, query: str | None) -> dict[str, Any]:
    """``search_library`` arguments: a ranked name search with a question, else a free search."""
    if query and query.strip():
        return {"query": query, "library_name": library_name}
    return {"query": library_name}


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
    libraries: list[Library], library_name: str, *, max_results: int, description_chars: int = 200
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
        f"(prefer a higher trust score and more snippets) and pass its ID as library_id to {DOCS_TOOL_NAME}."
    )
    body = "\n".join(_describe_library(lib, description_chars) for lib in shown)
    more = f"\n({len(libraries) - len(shown)} more not shown.)" if len(libraries) > len(shown) else ""
    return f"{header}\n\n{body}{more}"


class Context7ResolveLibraryTool(Context7ClientSettings, BaseTool):
    """Find the Context7 library ID of a library by name (``resolve_library_id``).

    The model gets a compact list of candidates (ID, title, description,
    snippet count, trust score, versions); the artifact is the list of
    :class:`~context7_kit.core.Library` records.

    Setup:
        .. code-block:: bash

            pip install "context7-kit[langchain]"
            export CONTEXT7_API_KEY="ctx7sk-..."   # optional: anonymous use has low limits

    Instantiate:
        .. code-block:: python

            from context7_kit.integrations.langchain import Context7ResolveLibraryTool

            tool = Context7ResolveLibraryTool()  # or client=Context7Client(...), or api_key=..., base_url=...

    Invoke directly with args:
        .. code-block:: python

            print(tool.invoke({"library_name": "next.js", "query": "app router middleware"}))

    Invoke with a tool call (as an agent does):
        .. code-block:: python

            message = tool.invoke(
                {"type": "tool_call", "id": "1", "name": "resolve_library_id", "args": {"library_name": "next.js"}}
            )
            message.content  # the candidate list
            message.artifact  # list[Library]
    """

    name: str = RESOLVE_TOOL_NAME
    description: str = (
        "Find the Context7 library ID of a library, framework, SDK or package by its name. Call this first, "
        f"before {DOCS_TOOL_NAME}, unless the user already gave an ID of the form '/owner/repo' or "
        "'/owner/repo/version'. Returns candidates with ID, description, snippet count, trust score and versions."
    )
    args_schema: type[BaseModel] = ResolveLibraryInput
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    handle_tool_error: bool = True
    handle_validation_error: Any = _validation_message
    max_results: int = Field(default=5, ge=1, le=50)
    """How many candidates the model sees."""

    def _output(self, libraries: list[Library], library_name: str) -> tuple[str, list[Library]]:
        return format_libraries(libraries, library_name, max_results=self.max_results), libraries

    def _run(
        self,
        library_name: str,
        *,
        query: str | None = None,
        run_manager: CallbackManagerForToolRun | None = None,
    ) -> tuple[str, list[Library]]:
        """Search synchronously."""
        client = self._clients.sync()
        try:
            libraries = client.search_library(**_resolve_args(library_name, query))
        except Context7Error as exc:
            raise tool_error(exc, secret=client.api_key) from exc
        return self._output(libraries, library_name)

    async def _arun(
        self,
        library_name: str,
        *,
        query: str | None = None,
        run_manager: AsyncCallbackManagerForToolRun | None = None,
    ) -> tuple[str, list[Library]]:
        """Search with the async client."""
        client = self._clients.async_()
        try:
            libraries = await client.search_library(**_resolve_args(library_name, query))
        except Context7Error as exc:
            raise tool_error(exc, secret=client.api_key) from exc
        return self._output(libraries, library_name)


# --- get_library_docs -------------------------------------------------------------


class GetLibraryDocsInput(BaseModel):
    """Arguments of ``get_library_docs``."""

    library_id: str = Field(
        description=(
            "Exact Context7 library ID: '/owner/repo' (e.g. '/vercel/next.js', '/pydantic/pydantic') or, pinned to "
            "a version, '/owner/repo/version' (e.g. '/vercel/next.js/v15.1.8'). Use an ID returned by "
            f"{RESOLVE_TOOL_NAME}, or one the user gave; never guess one from a package name: call "
            f"{RESOLVE_TOOL_NAME} first instead."
        ),
    )
    topic: str | None = Field(
        default=None,
        max_length=500,
        description=(
            "What to read about, in a few specific words: 'routing middleware', 'streaming responses', "
            "'custom validators'. Specific topics give relevant snippets; leave empty for an overview."
        ),
    )
    version: str | None = Field(
        default=None,
        max_length=500,
        description=(
            "Optional version to pin, exactly as listed in the versions of "
            f"{RESOLVE_TOOL_NAME}'s answer (e.g. 'v15.1.8'). Same as appending it to library_id."
        ),
    )
    mode: Literal["code", "info"] = Field(
        default="code",
        description="'code' for code examples and API usage (default); 'info' for prose: concepts, guides, why.",
    )
    page: int = Field(
        default=1,
        ge=1,
        le=10,
        description="Result page, 1 to 10. Ask for the next page only when the answer says more pages exist.",
    )


def _docs_args(
    library_id: str, *, topic: str | None, version: str | None, mode: str, page: int, limit: int
) -> dict[str, Any]:
    """``get_docs`` arguments from the model's arguments and the tool's settings."""
    return {
        "library_id": library_id.strip(),
        "topic": topic.strip() if topic and topic.strip() else None,
        "version": version.strip() if version and version.strip() else None,
        "mode": mode,
        "page": page,
        "limit": limit,
    }


def format_docs(page: DocsPage, documents: list[Document], *, max_tokens: int) -> str:
    """The documentation text the model reads, at most ``max_tokens`` (estimated) long.

    Snippets are kept in rank order while they fit; a first snippet too long
    on its own is cut. The text ends with what to call for more.
    """
    max_chars = max_tokens * CHARS_PER_TOKEN
    pinned = f" version {page.version}," if page.version else ""
    about = f" on {page.topic!r}," if page.topic else ""
    pagination = page.pagination
    where = f"page {pagination.page} of {pagination.total_pages}"
    header = f"{page.mode.capitalize()} documentation for {page.library_id},{pinned}{about} {where}."
    if page.redirected:
        header += (
            f"\nNote: {page.requested_library_id} has moved to {page.library_id}; use {page.library_id} from now on."
        )
    if not documents:
        other = "info" if page.mode == "code" else "code"
        return (f"{header}\nNo snippets found. Try a broader or different topic, mode='{other}', or no topic.")[
            :max_chars
        ]

    def footer(left_out: int) -> str:
        parts = []
        if left_out:
            parts.append(
                f"{left_out} more snippet(s) on this page were left out to stay within the token budget; "
                "ask about a narrower topic."
            )
        if pagination.has_next and pagination.page < 10:
            parts.append(f"More results: call {DOCS_TOOL_NAME} again with page={pagination.page + 1}.")
        return "\n\n" + " ".join(parts) if parts else ""

    texts = [d.page_content for d in documents]
    chosen = len(texts)
    while chosen > 1:
        candidate = header + "\n\n" + SNIPPET_SEPARATOR.join(texts[:chosen]) + footer(len(texts) - chosen)
        if len(candidate) <= max_chars:
            return candidate
        chosen -= 1
    tail = footer(len(texts) - 1)
    room = max_chars - len(header) - 2 - len(tail)
    first = texts[0]
    if len(first) > room:
        marker = "\n[... cut to fit the token budget]"
        first = first[: max(room - len(marker), 0)] + marker
    return (header + "\n\n" + first + tail)[:max_chars]


class Context7DocsTool(Context7ClientSettings, BaseTool):
    """Read up-to-date documentation of one library from Context7 (``get_library_docs``).

    The model gets the snippets as compact Markdown, kept within
    ``max_tokens``; the artifact is the page's snippets as LangChain
    ``Document`` objects (text, flat metadata, stable ``id``), ready for a
    vector store.

    Setup:
        .. code-block:: bash

            pip install "context7-kit[langchain]"
            export CONTEXT7_API_KEY="ctx7sk-..."   # optional: anonymous use has low limits

    Instantiate:
        .. code-block:: python

            from context7_kit.integrations.langchain import Context7DocsTool

            tool = Context7DocsTool(max_tokens=4000)  # or client=Context7Client(...), or api_key=..., base_url=...

    Invoke directly with args:
        .. code-block:: python

            print(tool.invoke({"library_id": "/vercel/next.js", "topic": "middleware"}))

    Invoke with a tool call (as an agent does):
        .. code-block:: python

            message = tool.invoke(
                {
                    "type": "tool_call",
                    "id": "1",
                    "name": "get_library_docs",
                    "args": {"library_id": "/vercel/next.js", "topic": "middleware"},
                }
            )
            message.content  # Markdown for the model
            message.artifact  # list[Document]
    """

    name: str = DOCS_TOOL_NAME
    description: str = (
        "Fetch current documentation snippets (code examples or prose) of one library by its exact Context7 "
        "library ID ('/owner/repo' or '/owner/repo/version'). If you only know the library's name, call "
        f"{RESOLVE_TOOL_NAME} first. Give a specific topic for relevant results."
    )
    args_schema: type[BaseModel] = GetLibraryDocsInput
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    handle_tool_error: bool = True
    handle_validation_error: Any = _validation_message
    max_tokens: int = Field(default=5000, ge=200)
    """Budget of the text the model reads, in tokens (estimated at four characters each)."""
    limit: int = Field(default=10, ge=1, le=10)
    """Snippets requested per page (the API allows 1 to 10)."""

    def _output(self, page: DocsPage) -> tuple[str, list[Document]]:
        first = (page.pagination.page - 1) * self.limit + 1
        documents = [
            to_langchain_document(d)
            for d in ranked(page_documents(page), query=page.topic, first_rank=first, page=page.pagination.page)
        ]
        return format_docs(page, documents, max_tokens=self.max_tokens), documents

    def _run(
        self,
        library_id: str,
        *,
        topic: str | None = None,
        version: str | None = None,
        mode: str = "code",
        page: int = 1,
        run_manager: CallbackManagerForToolRun | None = None,
    ) -> tuple[str, list[Document]]:
        """Fetch one page synchronously."""
        client = self._clients.sync()
        try:
            result = client.get_docs(
                **_docs_args(library_id, topic=topic, version=version, mode=mode, page=page, limit=self.limit)
            )
        except Context7Error as exc:
            raise tool_error(exc, secret=client.api_key, library_id=library_id) from exc
        return self._output(result)

    async def _arun(
        self,
        library_id: str,
        *,
        topic: str | None = None,
        version: str | None = None,
        mode: str = "code",
        page: int = 1,
        run_manager: AsyncCallbackManagerForToolRun | None = None,
    ) -> tuple[str, list[Document]]:
        """Fetch one page with the async client."""
        client = self._clients.async_()
        try:
            result = await client.get_docs(
                **_docs_args(library_id, topic=topic, version=version, mode=mode, page=page, limit=self.limit)
            )
        except Context7Error as exc:
            raise tool_error(exc, secret=client.api_key, library_id=library_id) from exc
        return self._output(result)


def estimate_tokens(text: str) -> int:
    """The token estimate ``max_tokens`` is measured with."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


__all__ = [
    "Context7DocsTool",
    "Context7ResolveLibraryTool",
    "GetLibraryDocsInput",
    "ResolveLibraryInput",
    "estimate_tokens",
    "format_docs",
    "format_libraries",
]
