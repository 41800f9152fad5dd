"""LangChain 1.x's real agent loop (``create_agent`` with a checkpointer) driven by a scripted policy."""

from __future__ import annotations

import re
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import BaseTool

# LangChain 1.x's agent loop; the oldest langchain-core we support predates it, and its suite skips these.
create_agent = pytest.importorskip("langchain.agents", reason="needs langchain>=1").create_agent
InMemorySaver = pytest.importorskip("langgraph.checkpoint.memory", reason="needs langgraph").InMemorySaver

from tests.langchain._chat import ScriptedChatModel  # noqa: E402

QUESTION = "How do I render a widget with Acme Widgets?"
BAD_GUESS = "/acme/widget"  # what a model typically guesses before resolving


def docs_reading_policy(messages: list[BaseMessage], tools: list[dict[str, Any]]) -> AIMessage:
    """Act like a tool-calling model: guess an ID, recover from the error, resolve, read, answer.

    Each step is decided from the last message only, so the model really reacts
    to what the tools returned (including the error text).
    """
    offered = {t["function"]["name"] for t in tools}
    assert offered == {"resolve_library_id", "query_docs"}, offered
    last = messages[-1]
    step = sum(isinstance(m, AIMessage) for m in messages) + 1

    def tool_call(name: str, args: dict[str, Any]) -> AIMessage:
        return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": f"call-{step}"}])

    if isinstance(last, HumanMessage):
        return tool_call("query_docs", {"library_id": BAD_GUESS, "query": QUESTION})
    assert isinstance(last, ToolMessage)
    if last.status == "error":
        if "resolve_library_id" not in str(last.content):
            return AIMessage(content=f"I could not recover: {last.content}")
        return tool_call("resolve_library_id", {"library_name": "widgets", "query": QUESTION})
    if last.name == "resolve_library_id":
        match = re.search(r"^- (/\S+):", str(last.content), re.MULTILINE)
        assert match, last.content
        return tool_call("query_docs", {"library_id": match.group(1), "query": QUESTION})
    heading = re.search(r"^### (.+)$", str(last.content), re.MULTILINE)
    return AIMessage(content=f"According to the docs ({heading.group(1) if heading else 'none'}): ...")


def _agent(tools: list[BaseTool]) -> Any:
    model = ScriptedChatModel(policy=docs_reading_policy)
    return create_agent(model, tools, checkpointer=InMemorySaver())


CONFIG = {"configurable": {"thread_id": "test"}}


def run_agent(tools: list[BaseTool], question: str = QUESTION) -> list[BaseMessage]:
    """Run ``create_agent``'s loop until the model answers without tool calls; the conversation."""
    result = _agent(tools).invoke({"messages": [HumanMessage(question)]}, CONFIG)
    return list(result["messages"])


async def arun_agent(tools: list[BaseTool], question: str = QUESTION) -> list[BaseMessage]:
    """The same agent, async end to end."""
    result = await _agent(tools).ainvoke({"messages": [HumanMessage(question)]}, CONFIG)
    return list(result["messages"])


def check_recovered(messages: list[BaseMessage]) -> list[ToolMessage]:
    """The run went: failed docs call -> resolve -> docs -> answer. Returns the tool messages."""
    tool_messages = [m for m in messages if isinstance(m, ToolMessage)]
    assert [(m.name, m.status) for m in tool_messages] == [
        ("query_docs", "error"),
        ("resolve_library_id", "success"),
        ("query_docs", "success"),
    ]
    failed, resolved, docs = tool_messages
    assert "resolve_library_id" in failed.content
    assert "/acme/widgets" in resolved.content
    assert docs.artifact and all(d.metadata["library_id"] == "/acme/widgets" for d in docs.artifact)
    answer = messages[-1]
    assert isinstance(answer, AIMessage) and not answer.tool_calls
    assert answer.content.startswith("According to the docs (") and "(none)" not in answer.content
    return tool_messages
