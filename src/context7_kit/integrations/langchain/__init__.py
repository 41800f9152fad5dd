"""LangChain integration: Context7 tools, a toolkit for agents, and a retriever.

Install with ``pip install "context7-kit[langchain]"``.

- :class:`Context7ResolveLibraryTool` (``resolve_library_id``): a library name
  to Context7 library IDs the model can choose from.
- :class:`Context7DocsTool` (``query_docs``): documentation snippets of one
  library that answer a question, as text for the model and Documents as the
  artifact.
- :class:`Context7Toolkit`: both tools, sharing one client.
- :class:`Context7Retriever`: a question in, documentation Documents out;
  ``as_tool()`` makes it an agent tool.

Each is built on the framework-neutral tools and requests of
:mod:`context7_kit.core`; each closes what it built with ``close()`` /
``aclose()`` or a ``with`` block.
"""

from __future__ import annotations

try:
    import langchain_core  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a test by hiding the module
    raise ImportError(
        "context7_kit.integrations.langchain needs langchain-core, which is not installed. "
        'Install it with: pip install "context7-kit[langchain]"'
    ) from exc

from context7_kit.integrations.langchain._common import to_langchain_document
from context7_kit.integrations.langchain.retrievers import Context7Retriever, Context7RetrieverTool
from context7_kit.integrations.langchain.toolkits import Context7Toolkit
from context7_kit.integrations.langchain.tools import (
    Context7DocsTool,
    Context7ResolveLibraryTool,
    QueryDocsInput,
    QueryDocsPagesInput,
    ResolveLibraryInput,
)

__all__ = [
    "Context7DocsTool",
    "Context7ResolveLibraryTool",
    "Context7Retriever",
    "Context7RetrieverTool",
    "Context7Toolkit",
    "QueryDocsInput",
    "QueryDocsPagesInput",
    "ResolveLibraryInput",
    "to_langchain_document",
]
