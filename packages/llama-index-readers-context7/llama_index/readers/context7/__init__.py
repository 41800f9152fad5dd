"""Context7 reader for LlamaIndex: ``pip install llama-index-readers-context7``; the code lives in context7-kit."""

from context7_kit.integrations.llama_index import Context7Reader

__all__ = ["Context7Reader"]
