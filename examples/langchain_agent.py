"""A LangChain 1.x agent (``create_agent`` with a checkpointer) with the Context7 toolkit.

    python examples/langchain_agent.py                                  # offline: local server, scripted model
    python examples/langchain_agent.py "How do I turn on the response cache?"
    CONTEXT7_API_KEY=ctx7sk-... python examples/langchain_agent.py "How do I add middleware?" next.js

Needs ``pip install "context7-kit[langchain]" langchain langgraph``.

Without CONTEXT7_API_URL / CONTEXT7_API_KEY it starts the project's local
Context7-compatible server over the repository's docs/ folder (the library
``/context7-kit/docs``), answering as context7.com does today. With
CONTEXT7_API_URL it uses that server; with only CONTEXT7_API_KEY it uses
context7.com, where the second argument names the library to ask about. The
chat model is OpenAI's when OPENAI_API_KEY is set and langchain-openai is
installed; otherwise a scripted tool-calling model makes the calls a real
model would, visibly: it first guesses a library ID, reads the tool's error,
resolves the name, queries the docs, and answers from them.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langchain.agents import create_agent
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langgraph.checkpoint.memory import InMemorySaver

from context7_kit.integrations.langchain import Context7Toolkit

ROOT = Path(__file__).resolve().parent.parent
LOCAL_LIBRARY = "/context7-kit/docs"
SYSTEM_PROMPT = (
    "You answer questions about software libraries from their current documentation. Call resolve_library_id "
    "to find the library's ID unless you already have one, then query_docs with the user's question. "
    "Base the answer on those docs and cite the sources."
)


@contextmanager
def context7_settings() -> Iterator[tuple[dict[str, Any], str]]:
    """Toolkit settings and a description of the backend: a given server, context7.com, or the local one."""
    if os.environ.get("CONTEXT7_API_URL"):
        yield {}, f"the server at {os.environ['CONTEXT7_API_URL']}"
    elif os.environ.get("CONTEXT7_API_KEY"):
        yield {}, "context7.com"
    else:
        from context7_kit.server.local import LocalServer

        with LocalServer({LOCAL_LIBRARY: ROOT / "docs"}, profile="live") as server:
            yield {"base_url": server.base_url}, f"the local server over docs/ at {server.base_url}"


class ScriptedToolCaller(BaseChatModel):
    """A stand-in for a tool-calling chat model; each turn reacts to the last tool result."""

    library_name: str

    @property
    def _llm_type(self) -> str:
        return "scripted-tool-caller"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Runnable[Any, AIMessage]:
        return self.bind(**kwargs)  # type: ignore[return-value]

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **_: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._next(messages))])

    def _next(self, messages: list[BaseMessage]) -> AIMessage:
        last = messages[-1]
        question = next(str(m.content) for m in reversed(messages) if isinstance(m, HumanMessage))
        turn = sum(isinstance(m, AIMessage) for m in messages) + 1

        def call(name: str, **args: Any) -> AIMessage:
            return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": f"call-{turn}"}])

        if isinstance(last, HumanMessage):  # models often guess an ID first
            slug = re.sub(r"[^a-z0-9.-]+", "-", self.library_name.lower()).strip("-") or "library"
            return call("query_docs", library_id=f"/{slug}/{slug}-guess", query=question)
        assert isinstance(last, ToolMessage)
        if last.status == "error":
            return call("resolve_library_id", library_name=self.library_name, query=question)
        if last.name == "resolve_library_id":
            match = re.search(r"^- (/\S+):", str(last.content), re.MULTILINE)
            if match is None:
                return AIMessage(content=f"Context7 has no library called {self.library_name!r}, so I cannot say.")
            return call("query_docs", library_id=match.group(1), query=question)
        return AIMessage(content=answer_from(str(last.content), question))


STOPWORDS = {"does", "what", "when", "where", "which", "with", "from", "that", "this", "have", "into", "your"}


def answer_from(docs: str, question: str) -> str:
    """What the scripted model answers: the gist of the best snippet, and the sources.

    A real model reads every snippet and answers from the relevant ones; this
    stand-in takes the server's order, preferring a snippet whose title names
    the question's distinctive words, and cites the sources it was given.
    """
    sections = [s[s.index("### ") :] for s in re.split(r"\n-{40}\n", docs) if "### " in s]
    if not sections:
        return "The documentation has nothing on this question."
    words = {w[:4] for w in set(re.findall(r"[a-z]{4,}", question.lower())) - STOPWORDS}  # 'cache' ~ 'caching'

    def named(section: str) -> int:
        title = section.splitlines()[0].lower()
        return sum(word in title for word in words)

    best = max(sections, key=named)  # the first of equals: the server's order breaks ties
    title = re.search(r"^### (.+)$", best, re.MULTILINE)
    body = re.sub(r"^(### .+|Source: .+)$", "", best, flags=re.MULTILINE).strip()
    gist = textwrap.shorten(" ".join(body.split()), 400, placeholder=" ...")
    lines = [f"{title.group(1) if title else 'The docs'}: {gist}", "", "Sources:"]
    lines += [f"- {s}" for s in re.findall(r"^Source: (.+)$", docs, re.MULTILINE)[:3]]
    return "\n".join(lines)


def chat_model(library_name: str) -> tuple[BaseChatModel, str]:
    """OpenAI's chat model when configured, else the scripted one."""
    if os.environ.get("OPENAI_API_KEY"):
        try:
            from langchain_openai import ChatOpenAI
        except ImportError:
            print("(OPENAI_API_KEY is set but langchain-openai is not installed: using the scripted model)")
        else:
            model = os.environ.get("OPENAI_MODEL", "gpt-4o-mini")
            return ChatOpenAI(model=model, temperature=0), f"OpenAI {model}"
    return ScriptedToolCaller(library_name=library_name), "a scripted tool-calling model"


def show(messages: list[BaseMessage]) -> None:
    """Print each tool call and a preview of what the tool returned (errors included)."""
    for message in messages:
        if isinstance(message, AIMessage):
            for tool_call in message.tool_calls:
                print(f"\nmodel -> {tool_call['name']}({tool_call['args']})")
        elif isinstance(message, ToolMessage):
            label = "tool error" if message.status == "error" else "tool"
            preview = "\n".join(str(message.content).splitlines()[:8])
            print(textwrap.indent(preview, f"  {label} | "))
            if isinstance(message.artifact, list) and message.artifact and hasattr(message.artifact[0], "metadata"):
                print(f"  (artifact: {len(message.artifact)} Documents, first id {message.artifact[0].id})")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    # context7.com serves public libraries; a given server or the local one serves the project's docs.
    local = bool(os.environ.get("CONTEXT7_API_URL")) or not os.environ.get("CONTEXT7_API_KEY")
    question = args[0] if args else "How does context7-kit retry failed requests?"
    library_name = args[1] if len(args) > 1 else ("context7-kit" if local else "next.js")
    with context7_settings() as (settings, backend), Context7Toolkit(max_tokens=3000, **settings) as toolkit:
        model, model_name = chat_model(library_name)
        print(f"Context7: {backend}\nModel: {model_name}\nQuestion: {question}")
        agent = create_agent(model, toolkit.get_tools(), system_prompt=SYSTEM_PROMPT, checkpointer=InMemorySaver())
        config = {"configurable": {"thread_id": "example"}}
        result = agent.invoke({"messages": [HumanMessage(question)]}, config)
    show(result["messages"])
    print(f"\nAnswer:\n{result['messages'][-1].content}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
