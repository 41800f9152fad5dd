"""The Context7 retriever in an LCEL chain: question -> docs -> prompt -> chat model -> answer.

    python examples/langchain_retriever_chain.py                                   # offline
    python examples/langchain_retriever_chain.py "How do I cache responses?"       # another question
    CONTEXT7_API_KEY=ctx7sk-... python examples/langchain_retriever_chain.py "Write a middleware" /vercel/next.js

Without CONTEXT7_API_URL / CONTEXT7_API_KEY it starts the project's local
Context7-compatible server over the repository's docs/ folder and reads
``/context7-kit/docs``. The chat model is OpenAI's when OPENAI_API_KEY is set
and langchain-openai is installed; otherwise a stand-in that answers by
quoting the retrieved docs, so the chain runs offline. The same Documents
are then loaded into an in-memory vector store, twice, to show that stable
IDs make re-ingestion an update.
"""

from __future__ import annotations

import asyncio
import os
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langchain_core.documents import Document
from langchain_core.embeddings import DeterministicFakeEmbedding
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnablePassthrough
from langchain_core.vectorstores import InMemoryVectorStore

from context7_kit.integrations.langchain import Context7Retriever

ROOT = Path(__file__).resolve().parent.parent
LOCAL_LIBRARY = "/context7-kit/docs"
LIVE_LIBRARY = "/vercel/next.js"
PROMPT = ChatPromptTemplate.from_messages(
    [
        ("system", "Answer the question from the documentation below only, and cite its sources.\n\n{context}"),
        ("human", "{question}"),
    ]
)


@contextmanager
def context7_settings() -> Iterator[tuple[dict[str, Any], str, str]]:
    """Retriever settings, the default library and a description of the backend."""
    if os.environ.get("CONTEXT7_API_URL"):
        yield {}, LOCAL_LIBRARY, f"the server at {os.environ['CONTEXT7_API_URL']}"
    elif os.environ.get("CONTEXT7_API_KEY"):
        yield {}, LIVE_LIBRARY, "context7.com"
    else:
        from context7_kit.server.local import LocalServer

        with LocalServer({LOCAL_LIBRARY: ROOT / "docs"}, profile="live") as server:
            yield {"base_url": server.base_url}, LOCAL_LIBRARY, f"the local server over docs/ at {server.base_url}"


class QuotingModel(BaseChatModel):
    """A stand-in chat model: answers with the first lines of the best retrieved snippet."""

    @property
    def _llm_type(self) -> str:
        return "quoting"

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **_: Any) -> ChatResult:
        context = str(messages[0].content).split("\n\n", 1)[-1]
        best = context.split("\n\n---\n\n")[0]
        quote = "\n".join(best.strip().splitlines()[:8])
        answer = f"(scripted model) The most relevant documentation says:\n\n{quote}"
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=answer))])


def chat_model() -> tuple[BaseChatModel, str]:
    """OpenAI's chat model when configured, else the quoting stand-in."""
    if os.environ.get("OPENAI_API_KEY"):
        try:
            from langchain_openai import ChatOpenAI
        except ImportError:
            print("(OPENAI_API_KEY is set but langchain-openai is not installed: using the stand-in model)")
        else:
            model = os.environ.get("OPENAI_MODEL", "gpt-4o-mini")
            return ChatOpenAI(model=model, temperature=0), f"OpenAI {model}"
    return QuotingModel(), "a stand-in that quotes the docs"


def format_docs(docs: list[Document]) -> str:
    """The retrieved snippets as the prompt's context, each with its source."""
    return "\n\n---\n\n".join(d.page_content for d in docs)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    question = args[0] if args else "How do I turn on the response cache?"
    with context7_settings() as (settings, default_library, backend):
        library = args[1] if len(args) > 1 else default_library
        retriever = Context7Retriever(
            library_id=library, mode="both", k=4, **settings
        )  # one /v2/context call a question
        model, model_name = chat_model()
        print(f"Context7: {backend}\nLibrary: {library}\nModel: {model_name}\nQuestion: {question}")

        docs = retriever.invoke(question)
        print(f"\nRetrieved {len(docs)} snippets:")
        for doc in docs:
            meta = doc.metadata
            title, source = meta.get("title", "(untitled)"), meta.get("source", "")
            print(f"  {meta['rank']}. [{meta['snippet_type']}] {title} - {source}")

        chain = (
            {"context": retriever | format_docs, "question": RunnablePassthrough()} | PROMPT | model | StrOutputParser()
        )
        answer = chain.invoke(question)
        print(f"\nAnswer:\n{textwrap.indent(answer, '  ')}")

        # Real async, e.g. several questions at once; k can also be set per call.
        questions = ["How are failed requests retried?", "What happens when a library moved?"]
        results = asyncio.run(_ask_all(retriever, questions))
        for asked, found in zip(questions, results, strict=True):
            print(f"\nainvoke({asked!r}, k=2): " + "; ".join(d.metadata.get("title", "?") for d in found))

        store = InMemoryVectorStore(embedding=DeterministicFakeEmbedding(size=64))
        store.add_documents(docs)
        store.add_documents(retriever.invoke(question))  # the same IDs: updated, not duplicated
        print(f"\nVector store after ingesting the same {len(docs)} snippets twice: {len(store.store)} documents")
        retriever.close()
    return 0


async def _ask_all(retriever: Context7Retriever, questions: list[str]) -> list[list[Document]]:
    try:
        return list(await asyncio.gather(*(retriever.ainvoke(q, k=2) for q in questions)))
    finally:
        await retriever.aclose()  # the async client belongs to this event loop: close it with it


if __name__ == "__main__":
    raise SystemExit(main())
