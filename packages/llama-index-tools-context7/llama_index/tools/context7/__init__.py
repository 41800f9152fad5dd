"""Context7 tools for LlamaIndex: ``pip install llama-index-tools-context7``; the code lives in context7-kit."""

from context7_kit.integrations.llama_index import Context7ToolSpec

__all__ = ["Context7ToolSpec"]
