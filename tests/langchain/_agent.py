"""A minimal agent loop (model -> tool calls -> ToolMessages -> model) and a scripted policy for it."""

from __future__ import annotations

import re
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.tools import BaseTool

from tests.langchain._chat import ScriptedChatModel

QUESTION = "How do I render a widget with Acme Widgets?"
BAD_GUESS = "/acme/widget"  # what a model typically guesses before resolving


def docs_reading_policy(messages: list[BaseMessage], tools: list[dict[str, Any]]) -> AIMessage:
    """Act like a tool-calling model: guess an ID, recover from the error, resolve, read, answer.

    Each step is decided from the last message only, so the model really reacts
    to what the tools returned (including the error text).
    """
    offered = {t["function"]["name"] for t in tools}
    assert offered == {"resolve_library_id", "get_library_docs"}, offered
    last = messages[-1]
    step = sum(isinstance(m, AIMessage) for m in messages) + 1

    def tool_call(name: str, args: dict[str, Any]) -> AIMessage:
        return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": f"call-{step}"}])

    if isinstance(last, HumanMessage):
        return tool_call("get_library_docs", {"library_id": BAD_GUESS, "topic": "render"})
    assert isinstance(last, ToolMessage)
    if last.status == "error":
        if "resolve_library_id" not in str(last.content):
            return AIMessage(content=f"I could not recover: {last.content}")
        return tool_call("resolve_library_id", {"library_name": "widgets", "query": QUESTION})
    if last.name == "resolve_library_id":
        match = re.search(r"^- (/\S+):", str(last.content), re.MULTILINE)
        assert match, last.content
        return tool_call("get_library_docs", {"library_id": match.group(1), "topic": "render"})
    heading = re.search(r"^### (.+)$", str(last.content), re.MULTILINE)
    return AIMessage(content=f"According to the docs ({heading.group(1) if heading else 'none'}): ...")


def run_agent(tools: list[BaseTool], question: str = QUESTION, max_steps: int = 8) -> list[BaseMessage]:
    """Run the loop until the model answers without tool calls."""
    model = ScriptedChatModel(policy=docs_reading_policy).bind_tools(tools)
    by_name = {t.name: t for t in tools}
    messages: list[BaseMessage] = [HumanMessage(question)]
    for _ in range(max_steps):
        reply = model.invoke(messages)
        messages.append(reply)
        if not reply.tool_calls:
            return messages
        messages.extend(by_name[call["name"]].invoke(call) for call in reply.tool_calls)
    raise AssertionError("the agent did not finish")


async def arun_agent(tools: list[BaseTool], question: str = QUESTION, max_steps: int = 8) -> list[BaseMessage]:
    """The same loop, async end to end."""
    model = ScriptedChatModel(policy=docs_reading_policy).bind_tools(tools)
    by_name = {t.name: t for t in tools}
    messages: list[BaseMessage] = [HumanMessage(question)]
    for _ in range(max_steps):
        reply = await model.ainvoke(messages)
        messages.append(reply)
        if not reply.tool_calls:
            return messages
        for call in reply.tool_calls:
            messages.append(await by_name[call["name"]].ainvoke(call))
    raise AssertionError("the agent did not finish")


def check_recovered(messages: list[BaseMessage]) -> list[ToolMessage]:
    """The run went: failed docs call -> resolve -> docs -> answer. Returns the tool messages."""
    tool_messages = [m for m in messages if isinstance(m, ToolMessage)]
    assert [(m.name, m.status) for m in tool_messages] == [
        ("get_library_docs", "error"),
        ("resolve_library_id", "success"),
        ("get_library_docs", "success"),
    ]
    failed, resolved, docs = tool_messages
    assert "resolve_library_id" in failed.content
    assert "/acme/widgets" in resolved.content
    assert docs.artifact and all(d.metadata["library_id"] == "/acme/widgets" for d in docs.artifact)
    answer = messages[-1]
    assert isinstance(answer, AIMessage) and not answer.tool_calls
    assert answer.content.startswith("According to the docs (") and "(none)" not in answer.content
    return tool_messages
