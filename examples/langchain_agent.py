"""A LangChain agent with the Context7 toolkit: it finds a library, reads its docs, and answers.

    python examples/langchain_agent.py                                        # offline, scripted model
    python examples/langchain_agent.py "How do I add middleware?" next.js     # with a key or server, see below

Without CONTEXT7_API_URL / CONTEXT7_API_KEY it starts the project's local
Context7-compatible server over the repository's docs/ folder, served as
``/context7-kit/docs``. With CONTEXT7_API_URL it uses that server; with only
CONTEXT7_API_KEY it uses context7.com. The chat model is OpenAI's when
OPENAI_API_KEY is set and langchain-openai is installed; otherwise a scripted
tool-calling model makes the calls a real model would, visibly: it first
guesses a library ID, reads the tool's error, resolves the name, then reads
the docs.
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

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool

from context7_kit.integrations.langchain import Context7Toolkit

ROOT = Path(__file__).resolve().parent.parent
LOCAL_LIBRARY = "/context7-kit/docs"
SYSTEM_PROMPT = (
    "You answer questions about software libraries from their current documentation. Call resolve_library_id "
    "to find the library's ID unless you already have one, then get_library_docs with a focused topic. "
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

        with LocalServer({LOCAL_LIBRARY: ROOT / "docs"}) as server:
            yield {"base_url": server.base_url}, f"the local server over docs/ at {server.base_url}"


class ScriptedToolCaller(BaseChatModel):
    """A stand-in for a tool-calling chat model; each turn reacts to the last tool result."""

    library_name: str
    topic: str

    @property
    def _llm_type(self) -> str:
        return "scripted-tool-caller"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Runnable[Any, AIMessage]:
        return self.bind(**kwargs)  # type: ignore[return-value]

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **_: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._next(messages))])

    def _next(self, messages: list[BaseMessage]) -> AIMessage:
        last = messages[-1]
        turn = sum(isinstance(m, AIMessage) for m in messages) + 1

        def call(name: str, **args: Any) -> AIMessage:
            return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": f"call-{turn}"}])

        if isinstance(last, HumanMessage):  # models often guess an ID first
            slug = re.sub(r"[^a-z0-9.-]+", "-", self.library_name.lower()).strip("-") or "library"
            return call("get_library_docs", library_id=f"/{slug}/{slug}-guess", topic=self.topic)
        assert isinstance(last, ToolMessage)
        if last.status == "error":
            return call("resolve_library_id", library_name=self.library_name)
        if last.name == "resolve_library_id":
            match = re.search(r"^- (/\S+):", str(last.content), re.MULTILINE)
            if match is None:
                return AIMessage(content=f"I found no library called {self.library_name!r}.")
            return call("get_library_docs", library_id=match.group(1), topic=self.topic)
        text = str(last.content)
        titles = re.findall(r"^### (.+)$", text, re.MULTILINE)[:3]
        sources = re.findall(r"^Source: (.+)$", text, re.MULTILINE)[:3]
        lines = [f"From the docs on {self.topic!r}, these sections answer it:"]
        lines += [f"- {t}" + (f" ({s})" if s else "") for t, s in zip(titles, sources + [""] * 3, strict=False)]
        return AIMessage(content="\n".join(lines))


def chat_model(library_name: str, topic: str) -> tuple[BaseChatModel, str]:
    """OpenAI's chat model when configured, else the scripted one."""
    if os.environ.get("OPENAI_API_KEY"):
        try:
            from langchain_openai import ChatOpenAI
        except ImportError:
            print("(OPENAI_API_KEY is set but langchain-openai is not installed: using the scripted model)")
        else:
            model = os.environ.get("OPENAI_MODEL", "gpt-4o-mini")
            return ChatOpenAI(model=model, temperature=0), f"OpenAI {model}"
    return ScriptedToolCaller(library_name=library_name, topic=topic), "a scripted tool-calling model"


def run_agent(model: BaseChatModel, tools: list[BaseTool], question: str, max_turns: int = 8) -> str:
    """The agent loop: the model asks for tools, tool results (errors included) go back to it."""
    by_name = {tool.name: tool for tool in tools}
    bound = model.bind_tools(tools)
    messages: list[BaseMessage] = [SystemMessage(SYSTEM_PROMPT), HumanMessage(question)]
    for _ in range(max_turns):
        reply = bound.invoke(messages)
        messages.append(reply)
        if not reply.tool_calls:
            return str(reply.content)
        for tool_call in reply.tool_calls:
            print(f"\nmodel -> {tool_call['name']}({tool_call['args']})")
            result = by_name[tool_call["name"]].invoke(tool_call)
            label = "tool error" if result.status == "error" else "tool"
            preview = "\n".join(str(result.content).splitlines()[:8])
            print(textwrap.indent(preview, f"  {label} | "))
            if result.artifact and isinstance(result.artifact, list) and hasattr(result.artifact[0], "metadata"):
                print(f"  (artifact: {len(result.artifact)} Documents, first id {result.artifact[0].id})")
            messages.append(result)
    return "(the agent did not finish within the turn limit)"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    # context7.com serves public libraries; a given server or the local one serves the project's docs.
    local = bool(os.environ.get("CONTEXT7_API_URL")) or not os.environ.get("CONTEXT7_API_KEY")
    question = args[0] if args else "How does context7-kit retry failed requests?"
    library_name = args[1] if len(args) > 1 else ("context7-kit" if local else "next.js")
    topic = args[2] if len(args) > 2 else ("retries" if local else "middleware")
    with context7_settings() as (settings, backend):
        toolkit = Context7Toolkit(max_tokens=1500, **settings)
        model, model_name = chat_model(library_name, topic)
        print(f"Context7: {backend}\nModel: {model_name}\nQuestion: {question}")
        answer = run_agent(model, toolkit.get_tools(), question)
    print(f"\nAnswer:\n{answer}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
