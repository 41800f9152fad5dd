"""Context7 for LangChain: ``pip install langchain-context7``; the code lives in context7-kit."""

from context7_kit.integrations.langchain import (
    Context7DocsTool,
    Context7ResolveLibraryTool,
    Context7Retriever,
    Context7Toolkit,
)

__all__ = ["Context7DocsTool", "Context7ResolveLibraryTool", "Context7Retriever", "Context7Toolkit"]
