"""A retriever over one library's Context7 documentation, and that retriever as an agent tool."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.callbacks import (
    AsyncCallbackManagerForRetrieverRun,
    AsyncCallbackManagerForToolRun,
    CallbackManagerForRetrieverRun,
    CallbackManagerForToolRun,
)
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field, field_validator

from context7_kit.core import Context7Error, LibraryId
from context7_kit.core.documents import Modes, SnippetDocument
from context7_kit.core.pair import ClientPair, ClosesClients
from context7_kit.core.retrieval import MAX_K, Retrieval, Source, check_k
from context7_kit.core.tools import DEFAULT_MAX_TOKENS, MIN_MAX_TOKENS, Param, documents_text, params_model
from context7_kit.integrations.langchain._common import Context7ClientSettings, to_langchain_document, tool_error

_QUERY = Param(
    "query",
    "string",
    "The question to answer from the library's documentation, specific and in full, e.g. 'How do I add "
    "authentication middleware to the app router?'.",
    required=True,
)
RetrieverToolInput = params_model(
    "RetrieverToolInput", (_QUERY,), "Arguments of a Context7 retriever used as a tool.", module=__name__
)


class Context7Retriever(Context7ClientSettings, BaseRetriever):
    r"""Documentation snippets of one library, for a question, from Context7.

    By default one ``/v2/context`` request answers each question (every
    Context7 server serves it). With ``source="docs"`` (a server that still
    serves ``/v2/docs``) the question is the topic, and pages are sized so
    that ``k`` costs as few requests as possible (``k=15`` with ``mode="both"``
    is two requests). ``mode`` chooses code snippets, prose, or both
    (alternating). Each Document carries the snippet's metadata
    (``library_id``, ``version``, ``snippet_type``, ``title``, ``source``...)
    plus the request's (``query``, ``rank``; ``page`` with ``source="docs"``),
    and a stable ``id`` that changes only with the snippet.

    Setup:
        .. code-block:: bash

            pip install "context7-kit[langchain]"
            export CONTEXT7_API_KEY="ctx7sk-..."   # optional: anonymous use has low limits

    Instantiate:
        .. code-block:: python

            from context7_kit.integrations.langchain import Context7Retriever

            retriever = Context7Retriever(library_id="/vercel/next.js", version="v15.1.8", k=5)

    Invoke:
        .. code-block:: python

            docs = retriever.invoke("How do I rewrite paths in middleware?")
            docs = retriever.invoke("How do I rewrite paths in middleware?", k=2)  # k per call
            docs = await retriever.ainvoke("middleware")  # real async I/O
            retriever.close()  # or: with Context7Retriever(...) as retriever: ...

    Use within a chain:
        .. code-block:: python

            from langchain_core.output_parsers import StrOutputParser
            from langchain_core.prompts import ChatPromptTemplate
            from langchain_core.runnables import RunnablePassthrough

            prompt = ChatPromptTemplate.from_template("Answer from these docs:\n{context}\n\nQuestion: {question}")


            def format_docs(docs):
                return "\n\n".join(d.page_content for d in docs)


            chain = (
                {"context": retriever | format_docs, "question": RunnablePassthrough()}
                | prompt
                | chat_model
                | StrOutputParser()
            )
            chain.invoke("How do I rewrite a path in middleware?")

    Use as an agent tool (failures reach the model as error ToolMessages):
        .. code-block:: python

            tool = retriever.as_tool(name="nextjs_docs")
    """

    library_id: str
    """Context7 library ID, '/owner/repo' or '/owner/repo/version'."""
    version: str | None = None
    """Version to pin, as listed by the library (e.g. 'v15.1.8')."""
    mode: Modes = "both"
    """'code' snippets, 'info' prose, or 'both' alternating."""
    source: Source = "context"
    """'context': ``/v2/context`` answers the question (every server); 'docs': the question is the topic of
    ``/v2/docs`` pages (servers that serve them)."""
    k: int = Field(default=10, ge=1, le=MAX_K)
    """How many Documents to return (also accepted per call: ``invoke(query, k=3)``)."""
    fast: bool | None = None
    """With ``source="context"``: True asks the server to skip its reranking for a quicker answer."""

    @field_validator("library_id")
    @classmethod
    def _check_library_id(cls, value: str) -> str:
        LibraryId.parse(value)  # an InvalidInputError (a ValueError) says what is wrong
        return value.strip()

    def _plan(self) -> Retrieval:
        return Retrieval(self.library_id, self.version, self.mode, self.source, self.fast)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        """Fetch synchronously."""
        found = self._plan().retrieve(self._clients.sync(), query, check_k(self.k if k is None else k))
        return [to_langchain_document(d) for d in found]

    async def _aget_relevant_documents(
        self, query: str, *, run_manager: AsyncCallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        """Fetch with the async client."""
        found = await self._plan().aretrieve(self._clients.async_(), query, check_k(self.k if k is None else k))
        return [to_langchain_document(d) for d in found]

    def as_tool(
        self,
        args_schema: type[BaseModel] | None = None,
        *,
        name: str | None = None,
        description: str | None = None,
        arg_types: dict[str, type] | None = None,
        max_tokens: int = DEFAULT_MAX_TOKENS,
    ) -> BaseTool:
        """The retriever as an agent tool taking ``query``; failures come back as error ``ToolMessage`` objects.

        The model reads the snippets as Markdown within ``max_tokens``; the
        artifact is the Documents. An API failure (a rate limit, a network
        error...) is a ``ToolException`` with advice, so the agent run goes on.
        ``args_schema`` and ``arg_types`` are not used: the tool takes one
        ``query`` string.
        """
        return Context7RetrieverTool(
            retriever=self,
            name=name or "search_library_docs",
            description=description
            or (
                f"Search the current documentation of {self.library_id}"
                + (f" version {self.version}" if self.version else "")
                + " for a question; returns the most relevant snippets with their sources."
            ),
            max_tokens=max_tokens,
        )


class Context7RetrieverTool(ClosesClients, BaseTool):
    """A :class:`Context7Retriever` as a tool (see :meth:`Context7Retriever.as_tool`).

    Closing the tool closes the clients its retriever built.
    """

    retriever: Context7Retriever
    """The retriever that answers; its clients are the tool's (closing the tool closes them)."""
    args_schema: Any = RetrieverToolInput
    response_format: Literal["content", "content_and_artifact"] = "content_and_artifact"
    handle_tool_error: bool = True
    max_tokens: int = Field(default=DEFAULT_MAX_TOKENS, ge=MIN_MAX_TOKENS)
    """Budget of the text the model reads, in estimated tokens."""

    def _error(self, exc: Context7Error) -> Exception:
        clients = self.retriever._clients
        return tool_error(
            exc, secret=clients.api_key, library_id=self.retriever.library_id, resolve_tool=None, docs_tool=self.name
        )

    def _output(self, query: str, found: list[SnippetDocument]) -> tuple[str, list[Document]]:
        title = f"Documentation of {self.retriever.library_id} for {query!r}"
        text = documents_text(title, found, max_tokens=self.max_tokens)
        return text, [to_langchain_document(d) for d in found]

    def _run(self, query: str, *, run_manager: CallbackManagerForToolRun | None = None) -> tuple[str, list[Document]]:
        """Search with the sync client."""
        retriever = self.retriever
        try:
            found = retriever._plan().retrieve(retriever._clients.sync(), query, retriever.k)
        except Context7Error as exc:
            raise self._error(exc) from exc
        return self._output(query, found)

    async def _arun(
        self, query: str, *, run_manager: AsyncCallbackManagerForToolRun | None = None
    ) -> tuple[str, list[Document]]:
        """Search with the async client."""
        retriever = self.retriever
        try:
            found = await retriever._plan().aretrieve(retriever._clients.async_(), query, retriever.k)
        except Context7Error as exc:
            raise self._error(exc) from exc
        return self._output(query, found)

    def _client_pair(self) -> ClientPair:
        return self.retriever._clients


__all__ = ["Context7Retriever", "Context7RetrieverTool", "RetrieverToolInput"]
