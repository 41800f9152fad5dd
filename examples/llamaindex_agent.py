"""A LlamaIndex FunctionAgent with Context7 tools: it finds a library's ID, queries its docs, and answers.

    python examples/llamaindex_agent.py                                   # offline, scripted LLM
    python examples/llamaindex_agent.py "How do I turn on the response cache?"
    CONTEXT7_API_KEY=ctx7sk-... python examples/llamaindex_agent.py "How do I add middleware?" next.js

Without CONTEXT7_API_URL / CONTEXT7_API_KEY it starts the project's local
Context7-compatible server over the repository's docs/ folder (answering as
context7.com does today) and asks about ``/context7-kit/docs``. The LLM is a scripted function-calling mock (it makes
the same tool calls a real model would, visibly) unless OPENAI_API_KEY is set
and llama-index-llms-openai is installed.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from llama_index.core.agent.workflow import FunctionAgent, ToolCall, ToolCallResult
from llama_index.core.base.llms.types import ToolCallBlock
from llama_index.core.llms import ChatMessage, MessageRole
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.llms.mock import MockFunctionCallingLLM

from context7_kit.integrations.llama_index import Context7ToolSpec

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PROMPT = (
    "You answer questions about software libraries. Before answering, call resolve_library_id to find the "
    "library, then query_docs with the user's question. Base the answer on those docs and cite sources."
)


def scripted_llm(library_name: str) -> MockFunctionCallingLLM:
    """A stand-in for a real model: resolve, query the docs of the best match, answer from them."""

    def respond(messages: Sequence[ChatMessage], **_: Any) -> ChatMessage:
        question = next(m.content or "" for m in messages if m.role == MessageRole.USER)
        results = [m.content or "" for m in messages if m.role == MessageRole.TOOL]
        if not results:
            arguments = {"library_name": library_name, "query": question}
            call = ToolCallBlock(tool_call_id="call-1", tool_name="resolve_library_id", tool_kwargs=arguments)
            return ChatMessage(role=MessageRole.ASSISTANT, blocks=[call])
        if len(results) == 1:
            match = re.search(r"^- (/\S+):", results[0], re.MULTILINE)
            if match is None:
                return ChatMessage(role=MessageRole.ASSISTANT, content=f"No library matched: {results[0]}")
            arguments = {"library_id": match.group(1), "query": question}
            call = ToolCallBlock(tool_call_id="call-2", tool_name="query_docs", tool_kwargs=arguments)
            return ChatMessage(role=MessageRole.ASSISTANT, blocks=[call])
        titles = re.findall(r"^### (.+)$", results[-1], re.MULTILINE)[:3]
        sources = re.findall(r"^Source: (.+)$", results[-1], re.MULTILINE)[:3]
        answer = "From the docs: " + "; ".join(titles) + ".\nSources: " + ", ".join(sources)
        return ChatMessage(role=MessageRole.ASSISTANT, content=answer)

    return MockFunctionCallingLLM(response_generator=respond)


def choose_llm(library_name: str) -> FunctionCallingLLM:
    if os.getenv("OPENAI_API_KEY"):
        try:
            from llama_index.llms.openai import OpenAI  # type: ignore[import-not-found]
        except ImportError:
            pass
        else:
            return OpenAI(model=os.getenv("OPENAI_MODEL", "gpt-4o-mini"))  # type: ignore[no-any-return]
    return scripted_llm(library_name)


@contextmanager
def context7_api() -> Iterator[str | None]:
    """The configured API, or the local docs server over docs/ when none is configured."""
    if os.getenv("CONTEXT7_API_URL") or os.getenv("CONTEXT7_API_KEY"):
        yield None  # the tool spec reads CONTEXT7_API_URL / CONTEXT7_API_KEY itself
        return
    from context7_kit.server.local import LocalServer

    with LocalServer({"/context7-kit/docs": ROOT / "docs"}, profile="live") as server:
        base_url = server.base_url
        print(f"Started the local docs server at {base_url} (library /context7-kit/docs)")
        yield base_url


async def ask(question: str, library_name: str, base_url: str | None) -> str:
    spec = Context7ToolSpec(base_url=base_url, max_tokens=2000)
    agent = FunctionAgent(tools=spec.to_tool_list(), llm=choose_llm(library_name), system_prompt=SYSTEM_PROMPT)
    print(f"Q: {question}\n")
    handler = agent.run(question)
    async for event in handler.stream_events():
        if isinstance(event, ToolCall) and not isinstance(event, ToolCallResult):
            print(f"-> {event.tool_name}({event.tool_kwargs})")
        elif isinstance(event, ToolCallResult):
            status = "error" if event.tool_output.is_error else "ok"
            preview = event.tool_output.content.strip().splitlines()
            print(f"<- {event.tool_name} [{status}]: {preview[0] if preview else ''} ({len(preview)} lines)")
            records = event.tool_output.raw_output
            if isinstance(records, list) and records:
                print(f"   raw_output: {len(records)} {type(records[0]).__name__}")
    response = await handler
    await spec.aclose()
    return str(response)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    question = args[0] if args else "How does the client retry when it is rate limited?"
    library_name = args[1] if len(args) > 1 else "context7-kit"
    with context7_api() as base_url:
        answer = asyncio.run(ask(question, library_name, base_url))
    print(f"\nA: {answer}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
