"""``Context7ToolSpec``: Context7 as two tools for a LlamaIndex agent.

The tools translate the neutral tools of :mod:`context7_kit.core.tools`:
``resolve_library_id`` (one ``/v2/libs/search`` request) and ``query_docs``
(one ``/v2/context`` request). Each returns a ``ToolOutput`` whose text is
what the model reads and whose ``raw_output`` is the records: LlamaIndex
``Document`` objects for the docs, :class:`~context7_kit.core.Library`
records for the search.

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

from typing import Any

from llama_index.core.tools import ToolOutput
from llama_index.core.tools.tool_spec.base import SPEC_FUNCTION_TYPE, BaseToolSpec
from llama_index.core.tools.types import AsyncBaseTool, ToolMetadata
from typing_extensions import Unpack

from context7_kit.core import AsyncContext7Client
from context7_kit.core.pair import AnyClient, ClientOptions, ClientPair, ClosesClients
from context7_kit.core.retrieval import Source
from context7_kit.core.tools import (
    DEFAULT_MAX_RESULTS,
    DEFAULT_MAX_TOKENS,
    Context7ToolError,
    NeutralTool,
    ToolResult,
    docs_tool,
    params_model,
    resolve_tool,
    text_or_raise,
)
from context7_kit.integrations.llama_index._documents import to_llama_document


def _raw_output(result: ToolResult) -> list[Any]:
    """What a program gets next to the text: Documents for the docs tool, Library records for the search."""
    if result.documents:
        return [to_llama_document(d) for d in result.documents]
    return list(result.libraries)


class Context7Tool(AsyncBaseTool):
    """One Context7 tool for LlamaIndex: text for the model, records in ``raw_output``, errors raised.

    Built by :meth:`Context7ToolSpec.to_tool_list`; ``call`` uses the sync
    client and ``acall`` the async one.
    """

    def __init__(self, neutral: NeutralTool) -> None:
        self._neutral = neutral
        schema = params_model(f"{neutral.name}_input", neutral.params, f"Arguments of {neutral.name}.")
        self._metadata = ToolMetadata(name=neutral.name, description=neutral.description, fn_schema=schema)

    @property
    def metadata(self) -> ToolMetadata:
        """The tool's name, model-facing description and argument schema."""
        return self._metadata

    def _output(self, result: ToolResult, arguments: dict[str, Any]) -> ToolOutput:
        return ToolOutput(
            content=text_or_raise(result),
            tool_name=self._neutral.name,
            raw_input={"args": (), "kwargs": arguments},
            raw_output=_raw_output(result),
        )

    def call(self, *args: Any, **kwargs: Any) -> ToolOutput:
        """Run the tool with the sync client; a failure raises :class:`Context7ToolError`."""
        arguments = _arguments(args, kwargs)
        return self._output(self._neutral.call(**arguments), arguments)

    async def acall(self, *args: Any, **kwargs: Any) -> ToolOutput:
        """Run the tool with the async client (or, given only a sync one, in a thread); failures raise."""
        if not self._neutral.clients.has_async:
            import asyncio  # noqa: PLC0415  (already loaded: this runs in an event loop)

            return await asyncio.to_thread(self.call, *args, **kwargs)
        arguments = _arguments(args, kwargs)
        return self._output(await self._neutral.acall(**arguments), arguments)


def _arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    # LlamaIndex passes a tool's arguments as keywords; one positional dict is accepted too.
    if len(args) == 1 and isinstance(args[0], dict) and not kwargs:
        return dict(args[0])
    if args:
        raise Context7ToolError("Pass this tool's arguments by name, e.g. library_name='next.js'.")
    return {k: v for k, v in kwargs.items() if v is not None}


class Context7ToolSpec(ClosesClients, BaseToolSpec):
    """Context7 documentation tools for LlamaIndex agents: find a library, then query its docs.

    Tools: ``resolve_library_id(library_name, query=None)`` and
    ``query_docs(library_id, query, version=None)`` (with ``source="docs"``,
    also ``mode`` and ``page``). Each has a sync and an async path, as far as
    the clients allow (agents use the async one). The text for the model is
    kept within ``max_tokens``; ``raw_output`` holds the Documents (or
    Library records). Expected failures raise :class:`Context7ToolError` with
    a message telling the model how to recover; LlamaIndex agents pass that
    message back to the model as the tool result.

    Setup:
        ``pip install "context7-kit[llama-index]"``; optionally set ``CONTEXT7_API_KEY``.

    Instantiate::

        from context7_kit.integrations.llama_index import Context7ToolSpec

        spec = Context7ToolSpec()  # key and URL from the environment; or api_key=..., timeout=...
        tools = spec.to_tool_list()

    Use with an agent::

        from llama_index.core.agent.workflow import FunctionAgent

        agent = FunctionAgent(tools=tools, llm=llm, system_prompt="Look up library docs before answering.")
        response = await agent.run("How do I add middleware in Next.js 15?")
        await spec.aclose()
    """

    def __init__(
        self,
        *,
        client: AnyClient | None = None,
        async_client: AsyncContext7Client | None = None,
        source: Source = "context",
        max_tokens: int = DEFAULT_MAX_TOKENS,
        max_results: int = DEFAULT_MAX_RESULTS,
        limit: int = 10,
        **options: Unpack[ClientOptions],
    ) -> None:
        """Build the spec from a client, from settings, or from the environment.

        Args:
            client: a :class:`Context7Client` (or an :class:`AsyncContext7Client`).
            async_client: an :class:`AsyncContext7Client` for the async tool functions.
            source: where ``query_docs`` reads: ``"context"`` (``/v2/context``, the
                default) or ``"docs"`` (``/v2/docs`` pages, with ``mode`` and ``page``).
            max_tokens: budget of the docs text the model reads, in estimated tokens.
            max_results: how many libraries ``resolve_library_id`` lists.
            limit: with ``source="docs"``, how many snippets one page holds (1..10).
            **options: :class:`~context7_kit.core.ClientOptions` of the clients the
                spec builds (``api_key``, ``base_url``, ``timeout``, ``cache``...).
        """
        self._source = ClientPair(
            owner=type(self).__name__, twins=False, client=client, async_client=async_client, **options
        )
        self._resolve = resolve_tool(self._source, max_results=max_results)
        self._docs = docs_tool(self._source, source=source, max_tokens=max_tokens, limit=limit)
        self.spec_functions: list[SPEC_FUNCTION_TYPE] = self._spec_functions()

    def _spec_functions(self) -> list[SPEC_FUNCTION_TYPE]:
        """Sync and async implementations of each tool, as far as the clients allow."""
        pairs = [("resolve_library_id", "aresolve_library_id"), ("query_docs", "aquery_docs")]
        if self._source.has_sync and self._source.has_async:
            return list(pairs)
        if self._source.has_sync:
            return [sync for sync, _ in pairs]
        return [async_ for _, async_ in pairs]

    def _neutral(self, fn_name: str) -> NeutralTool | None:
        return {"resolve_library_id": self._resolve, "query_docs": self._docs}.get(fn_name.removeprefix("a"))

    def get_metadata_from_fn_name(
        self, fn_name: str, spec_functions: list[SPEC_FUNCTION_TYPE] | None = None
    ) -> ToolMetadata | None:
        """The tool's name, model-facing description and argument schema."""
        neutral = self._neutral(fn_name)
        if neutral is None:
            return super().get_metadata_from_fn_name(fn_name, spec_functions)
        return Context7Tool(neutral).metadata

    def to_tool_list(  # type: ignore[override]
        self,
        spec_functions: list[SPEC_FUNCTION_TYPE] | None = None,
        func_to_metadata_mapping: dict[str, ToolMetadata] | None = None,
    ) -> list[AsyncBaseTool]:
        """The tools, each returning text for the model and the records as ``raw_output``."""
        tools: list[AsyncBaseTool] = []
        for spec in spec_functions or self.spec_functions:
            name = spec[0] if isinstance(spec, tuple) else spec
            neutral = self._neutral(name)
            if neutral is None:  # a function a subclass added
                tools += super().to_tool_list([spec], func_to_metadata_mapping)
            else:
                tools.append(Context7Tool(neutral))
        return tools

    def __repr__(self) -> str:
        return f"{type(self).__name__}(source={self._source!r})"

    # -- the tools as plain methods: text for the model, or Context7ToolError ------------------------

    def resolve_library_id(self, library_name: str, query: str | None = None) -> str:
        """Find the Context7 ID of a library by name; see the tool description for the model."""
        return text_or_raise(self._resolve.call(library_name=library_name, query=query))

    async def aresolve_library_id(self, library_name: str, query: str | None = None) -> str:
        """Async :meth:`resolve_library_id`."""
        return text_or_raise(await self._resolve.acall(library_name=library_name, query=query))

    def query_docs(self, library_id: str, query: str, version: str | None = None, **pages: Any) -> str:
        """Read a library's docs that answer ``query``; see the tool description for the model.

        With ``source="docs"``, ``mode=`` and ``page=`` are accepted too.
        """
        arguments = _arguments((), {"library_id": library_id, "query": query, "version": version, **pages})
        return text_or_raise(self._docs.call(**arguments))

    async def aquery_docs(self, library_id: str, query: str, version: str | None = None, **pages: Any) -> str:
        """Async :meth:`query_docs`."""
        arguments = _arguments((), {"library_id": library_id, "query": query, "version": version, **pages})
        return text_or_raise(await self._docs.acall(**arguments))

    def _client_pair(self) -> ClientPair:
        return self._source


__all__ = ["Context7Tool", "Context7ToolError", "Context7ToolSpec"]
