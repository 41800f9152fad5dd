"""LangChain tools: find a library's Context7 ID, then query its documentation.

Each tool translates one neutral tool of :mod:`context7_kit.core.tools`: the
argument schema, the model-facing text and the error advice come from there.
A failed call raises ``ToolException`` (``handle_tool_error=True``), so an
agent reads an error ``ToolMessage`` and recovers instead of crashing.
"""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.callbacks import AsyncCallbackManagerForToolRun, CallbackManagerForToolRun
from langchain_core.documents import Document
from langchain_core.tools import BaseTool, ToolException
from pydantic import Field, PrivateAttr, ValidationError

from context7_kit.core import Library
from context7_kit.core.retrieval import Source
from context7_kit.core.tools import (
    CONTEXT_PARAMS,
    DEFAULT_MAX_RESULTS,
    DEFAULT_MAX_TOKENS,
    DOCS_DESCRIPTION,
    DOCS_PARAMS,
    MIN_MAX_TOKENS,
    RESOLVE_DESCRIPTION,
    RESOLVE_PARAMS,
    NeutralTool,
    ToolResult,
    docs_tool,
    params_model,
    resolve_tool,
)
from context7_kit.integrations.langchain._common import (
    DOCS_TOOL_NAME,
    RESOLVE_TOOL_NAME,
    Context7ClientSettings,
    to_langchain_document,
)

ResolveLibraryInput = params_model(
    "ResolveLibraryInput", RESOLVE_PARAMS, "Arguments of ``resolve_library_id``.", module=__name__
)
QueryDocsInput = params_model("QueryDocsInput", CONTEXT_PARAMS, "Arguments of ``query_docs``.", module=__name__)
QueryDocsPagesInput = params_model(
    "QueryDocsPagesInput",
    DOCS_PARAMS,
    "Arguments of ``query_docs`` with ``source='docs'`` (``/v2/docs`` pages).",
    module=__name__,
)


def _validation_message(error: ValidationError) -> str:
    """What was wrong with the model's arguments, in words it can act on."""
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}" for e in error.errors(include_input=False)
    )
    return f"Invalid arguments ({problems}). Fix them and call the tool again."


class _NeutralBacked(Context7ClientSettings, BaseTool):
    """A LangChain tool that runs one neutral core tool on this object's clients."""

    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    handle_tool_error: bool = True
    handle_validation_error: Any = _validation_message

    _neutral: NeutralTool = PrivateAttr()

    def _build(self) -> NeutralTool:
        raise NotImplementedError

    def _clients_changed(self) -> None:
        self._neutral = self._build()

    def __getstate__(self) -> dict[Any, Any]:
        """Pickle without the core tool (it holds functions); the copy builds it again."""
        state = super().__getstate__()
        private = {k: v for k, v in (state.get("__pydantic_private__") or {}).items() if k != "_neutral"}
        return {**state, "__pydantic_private__": private}

    def __setstate__(self, state: dict[Any, Any]) -> None:
        super().__setstate__(state)
        self._neutral = self._build()

    def _artifact(self, result: ToolResult) -> Any:
        raise NotImplementedError

    def _output(self, result: ToolResult) -> tuple[str, Any]:
        if result.is_error:
            raise ToolException(result.text)
        return result.text, self._artifact(result)

    def _run(self, *, run_manager: CallbackManagerForToolRun | None = None, **arguments: Any) -> tuple[str, Any]:
        """Call the tool with the sync client."""
        return self._output(self._neutral.call(**arguments))

    async def _arun(
        self, *, run_manager: AsyncCallbackManagerForToolRun | None = None, **arguments: Any
    ) -> tuple[str, Any]:
        """Call the tool with the async client."""
        return self._output(await self._neutral.acall(**arguments))


class Context7ResolveLibraryTool(_NeutralBacked):
    """Find the Context7 library ID of a library by name (``resolve_library_id``).

    One ``/v2/libs/search`` request, the name ranked by the user's question.
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

            tool = Context7ResolveLibraryTool()  # or client=Context7Client(...), or api_key=..., timeout=...

    Invoke directly with args:
        .. code-block:: python

            print(tool.invoke({"library_name": "next.js", "query": "How do I add middleware?"}))

    Invoke with a tool call (as an agent does):
        .. code-block:: python

            message = tool.invoke(
                {"type": "tool_call", "id": "1", "name": "resolve_library_id", "args": {"library_name": "next.js"}}
            )
            message.content  # the candidate list
            message.artifact  # list[Library]
    """

    name: str = RESOLVE_TOOL_NAME
    description: str = RESOLVE_DESCRIPTION
    args_schema: Any = ResolveLibraryInput
    max_results: int = Field(default=DEFAULT_MAX_RESULTS, ge=1, le=50)
    """How many candidates the model sees."""

    def _build(self) -> NeutralTool:
        return resolve_tool(self._clients, max_results=self.max_results)

    def _artifact(self, result: ToolResult) -> list[Library]:
        return list(result.libraries)


class Context7DocsTool(_NeutralBacked):
    """Query up-to-date documentation of one library from Context7 (``query_docs``).

    One ``/v2/context`` request answers the model's question (``library_id``,
    ``query``, optional ``version``). The model gets the snippets as compact
    Markdown, kept within ``max_tokens``; the artifact is every snippet as a
    LangChain ``Document`` (text, flat metadata, stable ``id``), ready for a
    vector store. With ``source="docs"`` (a server that still serves
    ``/v2/docs``), the tool reads one page by topic and also takes ``mode``
    and ``page``.

    Setup:
        .. code-block:: bash

            pip install "context7-kit[langchain]"
            export CONTEXT7_API_KEY="ctx7sk-..."   # optional: anonymous use has low limits

    Instantiate:
        .. code-block:: python

            from context7_kit.integrations.langchain import Context7DocsTool

            tool = Context7DocsTool(max_tokens=4000)  # or client=Context7Client(...), or api_key=..., timeout=...

    Invoke directly with args:
        .. code-block:: python

            print(tool.invoke({"library_id": "/vercel/next.js", "query": "How do I add middleware?"}))

    Invoke with a tool call (as an agent does):
        .. code-block:: python

            message = tool.invoke(
                {
                    "type": "tool_call",
                    "id": "1",
                    "name": "query_docs",
                    "args": {"library_id": "/vercel/next.js", "query": "How do I add middleware?"},
                }
            )
            message.content  # Markdown for the model
            message.artifact  # list[Document]
    """

    name: str = DOCS_TOOL_NAME
    description: str = DOCS_DESCRIPTION
    args_schema: Any = None
    source: Source = "context"
    """'context': ``/v2/context`` answers the question (every server); 'docs': one ``/v2/docs`` page by topic."""
    max_tokens: int = Field(default=DEFAULT_MAX_TOKENS, ge=MIN_MAX_TOKENS)
    """Budget of the text the model reads, in tokens (estimated at four characters each)."""
    limit: int = Field(default=10, ge=1, le=10)
    """With ``source="docs"``: snippets per page (the API allows 1 to 10)."""

    def __init__(self, **data: Any) -> None:
        super().__init__(**data)
        if self.args_schema is None:
            self.args_schema = QueryDocsInput if self.source == "context" else QueryDocsPagesInput

    def _build(self) -> NeutralTool:
        return docs_tool(self._clients, source=self.source, max_tokens=self.max_tokens, limit=self.limit)

    def _artifact(self, result: ToolResult) -> list[Document]:
        return [to_langchain_document(d) for d in result.documents]


__all__ = [
    "Context7DocsTool",
    "Context7ResolveLibraryTool",
    "QueryDocsInput",
    "QueryDocsPagesInput",
    "ResolveLibraryInput",
]
