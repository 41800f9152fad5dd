"""``Context7ToolSpec``: Context7 as two tools for a LlamaIndex agent.

Failures an agent can do something about (an unknown library ID, a version
that does not exist, a rate limit...) raise :class:`Context7ToolError`, whose
message is written for the model: what went wrong and which call to make
next. LlamaIndex agents (``FunctionAgent``, ``ReActAgent``, ``CodeActAgent``)
catch a tool's exception and hand ``str(error)`` back to the model as a tool
result marked ``is_error=True``, so the model reads the message and recovers,
while a program calling ``tool.call()`` directly gets an exception rather
than an error disguised as a result. Messages never contain the API key or a
traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import httpx
from llama_index.core.bridge.pydantic import BaseModel, Field
from llama_index.core.tools.tool_spec.base import SPEC_FUNCTION_TYPE, BaseToolSpec
from llama_index.core.tools.types import ToolMetadata

from context7_kit.core import AsyncContext7Client, Context7Error, DocsPage, InvalidInputError, Library
from context7_kit.core.advice import DOCS_TOOL, RESOLVE_TOOL, agent_message
from context7_kit.core.cache import CacheSetting
from context7_kit.core.documents import render_snippets
from context7_kit.core.pair import AnyClient, ClientPair

DocsMode = Literal["code", "info"]


class Context7ToolError(Context7Error):
    """An expected tool failure; the message tells the calling model what to do next.

    ``error`` is the underlying :class:`~context7_kit.Context7Error`, for programs.
    """

    def __init__(self, message: str, *, error: Context7Error | None = None) -> None:
        super().__init__(message)
        self.error = error


class ResolveLibraryIdInput(BaseModel):
    """Arguments of ``resolve_library_id``."""

    library_name: str = Field(
        description="Name of the library, framework or package to look up, e.g. 'next.js', 'pydantic', 'react query'."
    )
    question: str | None = Field(
        default=None,
        description=(
            "Optional: the user's question, used to rank libraries that share a name, "
            "e.g. 'server-side rendering with the app router'."
        ),
    )


class GetLibraryDocsInput(BaseModel):
    """Arguments of ``get_library_docs``."""

    library_id: str = Field(
        description=(
            "Exact Context7 library ID as returned by resolve_library_id: '/owner/repo' (e.g. '/vercel/next.js'), "
            "or pinned to a version as '/owner/repo/version' (e.g. '/vercel/next.js/v15.1.8')."
        )
    )
    topic: str | None = Field(
        default=None,
        description=(
            "What to focus on, a few keywords or a short question, e.g. 'middleware', 'authentication', "
            "'streaming responses'. Leave empty for an overview. At most 500 characters."
        ),
    )
    mode: DocsMode = Field(
        default="code",
        description="'code' for code examples and API usage (default); 'info' for concepts, guides and explanations.",
    )
    page: int = Field(
        default=1,
        ge=1,
        le=10,
        description="Page of results, 1..10. Ask for the next page only when this one did not answer the question.",
    )


_RESOLVE_DESCRIPTION = (
    "Find the Context7 library ID of a software library, framework or package from its name. "
    "Call this first: get_library_docs needs the exact ID it returns ('/owner/repo'). "
    "Returns matching libraries, best match first, each with its ID, description, available versions, "
    "snippet count and trust score (0-10). Prefer an exact name match with many snippets and a high trust "
    "score. Skip this call only when the user already gave an ID in '/owner/repo' form."
)

_DOCS_DESCRIPTION = (
    "Fetch up-to-date documentation for one library from Context7: code examples ('code') or explanations "
    "('info') as Markdown snippets with their source URLs. library_id must be an exact ID from "
    "resolve_library_id: '/owner/repo' (e.g. '/vercel/next.js'), or '/owner/repo/version' "
    "(e.g. '/vercel/next.js/v15.1.8') to pin a version the library lists. Give a topic (a few keywords "
    "such as 'routing' or 'error handling') to get the relevant snippets instead of an overview. "
    "Use the docs in your answer and cite their sources."
)

_TOOLS: dict[str, tuple[str, str, type[BaseModel]]] = {
    # The tool names are the ones the error advice (context7_kit.core.advice) speaks of.
    "resolve_library_id": (RESOLVE_TOOL, _RESOLVE_DESCRIPTION, ResolveLibraryIdInput),
    "aresolve_library_id": (RESOLVE_TOOL, _RESOLVE_DESCRIPTION, ResolveLibraryIdInput),
    "get_library_docs": (DOCS_TOOL, _DOCS_DESCRIPTION, GetLibraryDocsInput),
    "aget_library_docs": (DOCS_TOOL, _DOCS_DESCRIPTION, GetLibraryDocsInput),
}


def format_libraries(query: str, libraries: list[Library]) -> str:
    """The model-facing text of a library search."""
    if not libraries:
        return (
            f"No Context7 library matches '{query}'. Try another spelling, the package name, or a shorter name "
            "(e.g. 'next.js' rather than 'Next.js framework')."
        )
    lines = [f"Context7 libraries matching '{query}', best match first. Pass an ID to get_library_docs."]
    for library in libraries:
        facts = [f"- {library.id}: {library.title}."]
        if library.description:
            facts.append(library.description.strip().rstrip(".") + ".")
        if library.versions:
            facts.append(f"Versions: {', '.join(library.versions)}.")
        if library.total_snippets is not None:
            facts.append(f"Snippets: {library.total_snippets}.")
        if library.trust_score is not None:
            facts.append(f"Trust: {library.trust_score:g}/10.")
        lines.append(" ".join(facts))
    return "\n".join(lines)


def format_docs(page: DocsPage, requested: str) -> str:
    """The model-facing text of one docs page."""
    served = page.library_id + (f"/{page.version}" if page.version else "")
    what = "code examples" if page.mode == "code" else "explanations"
    about = f" about '{page.topic}'" if page.topic else ""
    notes = []
    if page.redirected:
        notes.append(f"Note: {requested} moved to {served}; use {served} from now on.")
    if not page.snippets:
        hint = "Try a broader topic, no topic" + (", or mode='info'." if page.mode == "code" else ", or mode='code'.")
        return "\n".join([*notes, f"Context7 has no {what}{about} for {served} on page {page.page}. {hint}"])
    header = f"Context7 {what}{about} for {served} (page {page.page} of {page.pagination.total_pages}):"
    footer = (
        f"More snippets: call get_library_docs again with page={page.page + 1}."
        if page.has_next
        else "This is the last page."
    )
    return "\n\n".join([*notes, header, render_snippets(page.snippets), footer])


class Context7ToolSpec(BaseToolSpec):
    """Context7 documentation tools for LlamaIndex agents: find a library, then read its docs.

    Tools: ``resolve_library_id(library_name, question=None)`` and
    ``get_library_docs(library_id, topic=None, mode="code", page=1)``, each
    with a sync and an async implementation when both clients are available
    (agents use the async one). Expected failures raise
    :class:`Context7ToolError` with a message telling the model how to recover;
    LlamaIndex agents pass that message back to the model as the tool result.

    Setup:
        ``pip install "context7-kit[llama-index]"``; optionally set ``CONTEXT7_API_KEY``.

    Instantiate::

        from context7_kit.integrations.llama_index import Context7ToolSpec

        spec = Context7ToolSpec()  # key and URL from the environment
        tools = spec.to_tool_list()

    Use with an agent::

        from llama_index.core.agent.workflow import FunctionAgent

        agent = FunctionAgent(tools=tools, llm=llm, system_prompt="Look up library docs before answering.")
        response = await agent.run("How do I add middleware in Next.js 15?")
    """

    def __init__(
        self,
        *,
        client: AnyClient | None = None,
        async_client: AsyncContext7Client | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: httpx.Timeout | float | None = None,
        max_retries: int | None = None,
        max_retry_wait: float | None = None,
        cache: CacheSetting = None,
        cache_ttl: float | None = None,
        follow_redirects: bool | None = None,
        headers: Mapping[str, str] | None = None,
        max_results: int = 5,
        limit: int = 10,
    ) -> None:
        """Build the spec from a client, from settings, or from the environment.

        Args:
            client: a :class:`Context7Client` (or an :class:`AsyncContext7Client`).
            async_client: an :class:`AsyncContext7Client` for the async tool functions.
            api_key: Context7 API key; defaults to ``CONTEXT7_API_KEY``.
            base_url: API base URL; defaults to ``CONTEXT7_API_URL``, then context7.com.
            timeout: request timeout of the clients the spec makes.
            max_retries: retries on 429, 5xx and connection errors.
            max_retry_wait: the longest wait between retries, in seconds.
            cache: response cache (``"memory"``, a SQLite path, a ``redis://`` URL, a hishel storage).
            cache_ttl: how long cached responses stay fresh, in seconds.
            follow_redirects: follow moved libraries (301) to their new ID.
            headers: extra HTTP headers.
            max_results: how many libraries ``resolve_library_id`` lists.
            limit: how many snippets one ``get_library_docs`` page holds (1..10).
        """
        if isinstance(max_results, bool) or not isinstance(max_results, int) or max_results < 1:
            raise InvalidInputError(f"max_results must be a positive integer, not {max_results!r}.")
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 10:
            raise InvalidInputError(f"limit must be an integer from 1 to 10, not {limit!r}.")
        self._source = ClientPair(
            owner=type(self).__name__,
            twins=False,
            client=client,
            async_client=async_client,
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            max_retry_wait=max_retry_wait,
            cache=cache,
            cache_ttl=cache_ttl,
            follow_redirects=follow_redirects,
            headers=headers,
        )
        self.max_results = max_results
        self.limit = limit
        self.spec_functions: list[SPEC_FUNCTION_TYPE] = self._spec_functions()

    def _spec_functions(self) -> list[SPEC_FUNCTION_TYPE]:
        """Sync and async implementations of each tool, as far as the clients allow."""
        pairs = [("resolve_library_id", "aresolve_library_id"), ("get_library_docs", "aget_library_docs")]
        if self._source.has_sync and self._source.has_async:
            return list(pairs)
        if self._source.has_sync:
            return [sync for sync, _ in pairs]
        return [async_ for _, async_ in pairs]

    def get_metadata_from_fn_name(
        self, fn_name: str, spec_functions: list[SPEC_FUNCTION_TYPE] | None = None
    ) -> ToolMetadata | None:
        """The tool's name, model-facing description and argument schema."""
        if fn_name not in _TOOLS:
            return super().get_metadata_from_fn_name(fn_name, spec_functions)
        name, description, schema = _TOOLS[fn_name]
        return ToolMetadata(name=name, description=description, fn_schema=schema)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(max_results={self.max_results}, limit={self.limit}, source={self._source!r})"

    # -- errors ------------------------------------------------------------------

    def _tool_error(self, error: Context7Error, library_id: str | None = None) -> Context7ToolError:
        return Context7ToolError(agent_message(error, library_id, secret=self._source.api_key), error=error)

    # -- resolve_library_id ---------------------------------------------------

    def resolve_library_id(self, library_name: str, question: str | None = None) -> str:
        """Find the Context7 ID of a library by name; see the tool description for the model."""
        try:
            libraries = self._source.sync().search_library(*self._search_args(library_name, question))
        except Context7Error as exc:
            raise self._tool_error(exc) from exc
        return format_libraries(library_name, libraries[: self.max_results])

    async def aresolve_library_id(self, library_name: str, question: str | None = None) -> str:
        """Async :meth:`resolve_library_id`."""
        try:
            libraries = await self._source.async_().search_library(*self._search_args(library_name, question))
        except Context7Error as exc:
            raise self._tool_error(exc) from exc
        return format_libraries(library_name, libraries[: self.max_results])

    @staticmethod
    def _search_args(library_name: str, question: str | None) -> tuple[str, str | None]:
        # With a question, /v2/libs/search ranks libraries named library_name by it;
        # without one, /v2/search looks the name up.
        if question is not None and question.strip():
            return question, library_name
        return library_name, None

    # -- get_library_docs --------------------------------------------------------

    def get_library_docs(
        self, library_id: str, topic: str | None = None, mode: DocsMode = "code", page: int = 1
    ) -> str:
        """Read one page of a library's docs; see the tool description for the model."""
        try:
            result = self._source.sync().get_docs(library_id, topic=topic, mode=mode, page=page, limit=self.limit)
        except Context7Error as exc:
            raise self._tool_error(exc, library_id) from exc
        return format_docs(result, library_id)

    async def aget_library_docs(
        self, library_id: str, topic: str | None = None, mode: DocsMode = "code", page: int = 1
    ) -> str:
        """Async :meth:`get_library_docs`."""
        try:
            result = await self._source.async_().get_docs(
                library_id, topic=topic, mode=mode, page=page, limit=self.limit
            )
        except Context7Error as exc:
            raise self._tool_error(exc, library_id) from exc
        return format_docs(result, library_id)

    # -- lifecycle -----------------------------------------------------------------

    def close(self) -> None:
        """Close the HTTP client the spec made (a client you passed in stays open)."""
        self._source.close()

    async def aclose(self) -> None:
        """Close the HTTP clients the spec made (clients you passed in stay open)."""
        await self._source.aclose()


__all__ = [
    "Context7ToolError",
    "Context7ToolSpec",
    "GetLibraryDocsInput",
    "ResolveLibraryIdInput",
    "agent_message",
]
