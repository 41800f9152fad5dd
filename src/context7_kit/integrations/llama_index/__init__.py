"""LlamaIndex integration: a reader, a tool spec for agents, and a retriever.

Needs the ``llama-index`` extra: ``pip install "context7-kit[llama-index]"``.

- :class:`Context7Reader` loads Context7 snippets as Documents (RAG ingestion);
- :class:`Context7ToolSpec` gives an agent ``resolve_library_id`` and ``query_docs``;
- :class:`Context7Retriever` turns a question into ranked ``NodeWithScore`` results.

Every class takes ``client=`` / ``async_client=`` (core clients), or
``api_key=`` / ``base_url=`` and the other client options
(:class:`~context7_kit.core.ClientOptions`); with none of them the
environment (``CONTEXT7_API_KEY``, ``CONTEXT7_API_URL``) decides. Each has
``close()`` / ``aclose()`` and works as a (async) context manager.
"""

from __future__ import annotations

try:
    import llama_index.core  # noqa: F401
except ImportError as exc:
    raise ImportError(
        "context7_kit.integrations.llama_index needs llama-index-core, which is not installed. "
        'Install it with: pip install "context7-kit[llama-index]"'
    ) from exc

from context7_kit.integrations.llama_index._documents import (
    EMBED_EXCLUDED_METADATA,
    LLM_EXCLUDED_METADATA,
    to_llama_document,
    to_text_node,
)
from context7_kit.integrations.llama_index.readers import (
    DEFAULT_QUESTION,
    Context7Reader,
    DocsRequest,
    DocumentStream,
)
from context7_kit.integrations.llama_index.retrievers import Context7Retriever
from context7_kit.integrations.llama_index.tools import Context7Tool, Context7ToolError, Context7ToolSpec

__all__ = [
    "DEFAULT_QUESTION",
    "EMBED_EXCLUDED_METADATA",
    "LLM_EXCLUDED_METADATA",
    "Context7Reader",
    "Context7Retriever",
    "Context7Tool",
    "Context7ToolError",
    "Context7ToolSpec",
    "DocsRequest",
    "DocumentStream",
    "to_llama_document",
    "to_text_node",
]
