"""Neutral snippet documents to LlamaIndex Documents and nodes: a thin wrapper, nothing added.

Text, metadata and ID come from :mod:`context7_kit.core.documents` unchanged,
so a snippet is the same document here as in the LangChain adapter. What is
LlamaIndex-specific is only which metadata keys the embedding model and the
LLM see: bookkeeping such as rank, page and token counts changes from one
query to the next and says nothing about the content, so it is kept out of
the embedded text; the library, version, title and language stay in.
"""

from __future__ import annotations

from llama_index.core.schema import Document, TextNode

from context7_kit.core.documents import SnippetDocument

EMBED_EXCLUDED_METADATA = ["query", "snippet_type", "source", "tokens", "page", "rank"]
"""Metadata keys left out of the text the embedding model sees."""

LLM_EXCLUDED_METADATA = ["query", "tokens", "page", "rank"]
"""Metadata keys left out of the text the LLM sees (``source`` stays, for citations)."""


def to_llama_document(document: SnippetDocument) -> Document:
    """The LlamaIndex :class:`~llama_index.core.schema.Document` of a neutral snippet document."""
    return Document(
        text=document.text,
        metadata=dict(document.metadata),
        id_=document.id,
        excluded_embed_metadata_keys=list(EMBED_EXCLUDED_METADATA),
        excluded_llm_metadata_keys=list(LLM_EXCLUDED_METADATA),
    )


def to_text_node(document: SnippetDocument) -> TextNode:
    """The :class:`~llama_index.core.schema.TextNode` of a neutral snippet document (for retrievers)."""
    return TextNode(
        text=document.text,
        metadata=dict(document.metadata),
        id_=document.id,
        excluded_embed_metadata_keys=list(EMBED_EXCLUDED_METADATA),
        excluded_llm_metadata_keys=list(LLM_EXCLUDED_METADATA),
    )


__all__ = ["EMBED_EXCLUDED_METADATA", "LLM_EXCLUDED_METADATA", "to_llama_document", "to_text_node"]
