"""A toolkit with both Context7 tools, sharing one client."""

from __future__ import annotations

from langchain_core.tools import BaseTool, BaseToolkit
from pydantic import Field

from context7_kit.integrations.langchain._common import Context7ClientSettings
from context7_kit.integrations.langchain.tools import Context7DocsTool, Context7ResolveLibraryTool


class Context7Toolkit(Context7ClientSettings, BaseToolkit):
    """``resolve_library_id`` and ``get_library_docs`` for an agent, sharing one client.

    Setup:
        .. code-block:: bash

            pip install "context7-kit[langchain]"
            export CONTEXT7_API_KEY="ctx7sk-..."   # optional: anonymous use has low limits

    Instantiate:
        .. code-block:: python

            from context7_kit.integrations.langchain import Context7Toolkit

            toolkit = Context7Toolkit(max_tokens=4000)  # or client=Context7Client(...), or api_key=..., base_url=...
            tools = toolkit.get_tools()

    Use with an agent (any chat model that supports tool calling):
        .. code-block:: python

            model_with_tools = chat_model.bind_tools(tools)
            reply = model_with_tools.invoke("How do I add middleware in Next.js 15?")
            for call in reply.tool_calls:
                result = {t.name: t for t in tools}[call["name"]].invoke(call)  # a ToolMessage
    """

    max_tokens: int = Field(default=5000, ge=200)
    """Budget of the documentation text ``get_library_docs`` returns, in estimated tokens."""
    max_results: int = Field(default=5, ge=1, le=50)
    """How many candidates ``resolve_library_id`` shows."""

    def get_tools(self) -> list[BaseTool]:
        """Both tools, using this toolkit's clients."""
        settings = {name: getattr(self, name) for name in Context7ClientSettings.model_fields}
        resolve = Context7ResolveLibraryTool(max_results=self.max_results, **settings)
        docs = Context7DocsTool(max_tokens=self.max_tokens, **settings)
        for tool in (resolve, docs):
            tool.share_clients(self._clients)
        return [resolve, docs]


__all__ = ["Context7Toolkit"]
