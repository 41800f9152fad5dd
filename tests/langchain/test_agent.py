"""Agent registration end to end on the fake API: LangChain's create_agent loop drives both tools."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from context7_kit import AsyncContext7Client, Context7Client
from context7_kit.integrations.langchain import Context7Retriever, Context7Toolkit
from tests.conftest import TEST_KEY
from tests.fake_api import FakeAPI
from tests.langchain._agent import BAD_GUESS, arun_agent, check_recovered, create_agent, run_agent
from tests.langchain._chat import ScriptedChatModel


def _paths(api: FakeAPI) -> list[str]:
    return [r.url.path.removeprefix("/api") for r in api.requests]


def test_agent_recovers_from_a_bad_id_and_reads_the_docs(
    client: Context7Client, async_client: AsyncContext7Client, fake_api: FakeAPI
) -> None:
    tools = Context7Toolkit(client=client, async_client=async_client).get_tools()

    messages = run_agent(tools)

    failed, _, _ = check_recovered(messages)
    assert BAD_GUESS in failed.content
    assert "Create widget 1" in messages[-1].content
    assert _paths(fake_api) == ["/v2/context", "/v2/libs/search", "/v2/context"]


async def test_async_agent_recovers_too(
    client: Context7Client, async_client: AsyncContext7Client, fake_api: FakeAPI
) -> None:
    tools = Context7Toolkit(client=client, async_client=async_client).get_tools()

    messages = await arun_agent(tools)

    check_recovered(messages)
    assert _paths(fake_api) == ["/v2/context", "/v2/libs/search", "/v2/context"]


def _retriever_tool_policy(messages: list[BaseMessage], tools: list[dict[str, Any]]) -> AIMessage:
    """Ask the docs tool; after an error, ask once more; then answer from what came back."""
    assert [t["function"]["name"] for t in tools] == ["widgets_docs"]
    assert tools[0]["function"]["parameters"]["required"] == ["query"]
    last = messages[-1]
    step = sum(isinstance(m, AIMessage) for m in messages) + 1
    if isinstance(last, HumanMessage) or (isinstance(last, ToolMessage) and last.status == "error"):
        call = {"name": "widgets_docs", "args": {"query": "How do I render a widget?"}, "id": f"call-{step}"}
        return AIMessage(content="", tool_calls=[call])
    heading = re.search(r"^### (.+)$", str(last.content), re.MULTILINE)
    return AIMessage(content=f"Answer from: {heading.group(1) if heading else 'nothing'}")


@pytest.mark.parametrize("use_async", [False, True])
async def test_retriever_as_tool_survives_a_failing_call_in_the_agent_loop(
    client: Context7Client, async_client: AsyncContext7Client, fake_api: FakeAPI, use_async: bool
) -> None:
    rate_limited = httpx.Response(
        429, json={"error": "rate_limit_exceeded", "message": f"Slow down, {TEST_KEY}"}, headers={"Retry-After": "1"}
    )
    fake_api.failures.extend([rate_limited] * (client.max_retries + 1))
    retriever = Context7Retriever(client=client, async_client=async_client, library_id="/acme/widgets", k=3)
    agent = create_agent(ScriptedChatModel(policy=_retriever_tool_policy), [retriever.as_tool(name="widgets_docs")])

    state = {"messages": [HumanMessage("How do I render a widget?")]}
    result = await agent.ainvoke(state) if use_async else agent.invoke(state)

    tool_messages = [m for m in result["messages"] if isinstance(m, ToolMessage)]
    assert [m.status for m in tool_messages] == ["error", "success"]
    failed, answered = tool_messages
    assert "429" in failed.content and "stop calling Context7" in failed.content
    assert "resolve_library_id" not in failed.content  # this tool has no library to pick
    assert TEST_KEY not in failed.content
    assert [d.metadata["rank"] for d in answered.artifact] == [1, 2, 3]
    assert result["messages"][-1].content == "Answer from: Create widget 1"
