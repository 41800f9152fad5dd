"""A toolkit with both Context7 tools, sharing one client."""

from __future__ import annotations

from langchain_core.tools import BaseTool, BaseToolkit
from pydantic import Field

from context7_kit.core.retrieval import Source
from context7_kit.core.tools import DEFAULT_MAX_RESULTS, DEFAULT_MAX_TOKENS, MIN_MAX_TOKENS
from context7_kit.integrations.langchain._common import Context7ClientSettings
from context7_kit.integrations.langchain.tools import Context7DocsTool, Context7ResolveLibraryTool


class Context7Toolkit(Context7ClientSettings, BaseToolkit):
    """``resolve_library_id`` and ``query_docs`` for an agent, sharing one client.

    Setup:
        .. code-block:: bash

            pip install "context7-kit[langchain]" langchain langgraph
            export CONTEXT7_API_KEY="ctx7sk-..."   # optional: anonymous use has low limits

    Instantiate:
        .. code-block:: python

            from context7_kit.integrations.langchain import Context7Toolkit

            toolkit = Context7Toolkit(max_tokens=4000)  # or client=Context7Client(...), or api_key=..., timeout=...
            tools = toolkit.get_tools()

    Use with an agent (LangChain 1.x, any chat model that supports tool calling):
        .. code-block:: python

            from langchain.agents import create_agent
            from langgraph.checkpoint.memory import InMemorySaver

            with Context7Toolkit() as toolkit:  # closes its HTTP clients at the end
                agent = create_agent(chat_model, toolkit.get_tools(), checkpointer=InMemorySaver())
                config = {"configurable": {"thread_id": "1"}}
                result = agent.invoke({"messages": [("user", "How do I add middleware in Next.js?")]}, config)
                print(result["messages"][-1].content)
    """

    source: Source = "context"
    """Where ``query_docs`` reads: 'context' (``/v2/context``, every server) or 'docs' (``/v2/docs`` pages)."""
    max_tokens: int = Field(default=DEFAULT_MAX_TOKENS, ge=MIN_MAX_TOKENS)
    """Budget of the documentation text ``query_docs`` returns, in estimated tokens."""
    max_results: int = Field(default=DEFAULT_MAX_RESULTS, ge=1, le=50)
    """How many candidates ``resolve_library_id`` shows."""

    def get_tools(self) -> list[BaseTool]:
        """Both tools, using this toolkit's clients (closing the toolkit closes them)."""
        settings = {name: getattr(self, name) for name in Context7ClientSettings.model_fields}
        resolve = Context7ResolveLibraryTool(max_results=self.max_results, **settings)
        docs = Context7DocsTool(max_tokens=self.max_tokens, source=self.source, **settings)
        for tool in (resolve, docs):
            tool.share_clients(self._clients)
        return [resolve, docs]


__all__ = ["Context7Toolkit"]
