from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
import pytest
from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult
from llama_index.core.base.llms.types import ToolCallBlock
from llama_index.core.llms import ChatMessage, MessageRole
from llama_index.core.llms.mock import MockFunctionCallingLLM
from llama_index.core.schema import Document
from llama_index.core.tools.types import AsyncBaseTool

from context7_kit import AsyncContext7Client, Context7Client, NotFoundError
from context7_kit.integrations.llama_index import Context7ToolError, Context7ToolSpec
from tests.conftest import TEST_KEY
from tests.fake_api import FakeAPI


@pytest.fixture
async def spec(client: Context7Client, async_client: AsyncContext7Client) -> Context7ToolSpec:
    return Context7ToolSpec(client=client, async_client=async_client)


def tools_by_name(spec: Context7ToolSpec) -> dict[str, AsyncBaseTool]:
    return {t.metadata.name or "": t for t in spec.to_tool_list()}


async def test_tool_list_names_descriptions_and_schemas_are_written_for_the_model(spec: Context7ToolSpec) -> None:
    tools = tools_by_name(spec)

    assert set(tools) == {"resolve_library_id", "query_docs"}
    resolve, docs = tools["resolve_library_id"].metadata, tools["query_docs"].metadata
    assert "Call this first" in resolve.description
    assert "/owner/repo" in docs.description
    docs_params = docs.get_parameters_dict()
    assert docs_params["required"] == ["library_id", "query"]
    assert set(docs_params["properties"]) == {"library_id", "query", "version"}
    assert "/vercel/next.js/v15.1.8" in docs_params["properties"]["library_id"]["description"]
    assert "middleware" in docs_params["properties"]["query"]["description"]
    assert resolve.get_parameters_dict()["required"] == ["library_name"]
    assert set(resolve.get_parameters_dict()["properties"]) == {"library_name", "query"}  # as in LangChain
    assert "anyOf" not in str(docs_params) + str(resolve.get_parameters_dict())
    # The descriptions are plain prose, not Python signatures.
    assert "self" not in resolve.description and "->" not in docs.description


async def test_resolve_then_query_docs_like_an_agent(spec: Context7ToolSpec, fake_api: FakeAPI) -> None:
    tools = tools_by_name(spec)

    found = tools["resolve_library_id"].call(library_name="widgets")
    assert not found.is_error
    assert "- /acme/widgets: Acme Widgets" in found.content
    assert "versions: v1.0.0, v2.0.0" in found.content
    assert [lib.id for lib in found.raw_output] == ["/acme/widgets"]

    docs = await tools["query_docs"].acall(library_id="/acme/widgets", query="How do I render?", version="v2.0.0")
    assert "Documentation of /acme/widgets/v2.0.0 for 'How do I render?'" in docs.content
    assert "### Create widget 1 (v2.0.0)" in docs.content
    assert fake_api.requests[-1].url.path == "/api/v2/context"
    # The program gets the snippets as Documents next to the text.
    assert all(isinstance(d, Document) for d in docs.raw_output)
    assert [d.metadata["rank"] for d in docs.raw_output] == [1, 2, 3, 4, 5]
    assert docs.raw_output[0].text in docs.content


async def test_pages_source_offers_mode_and_page(client: Context7Client, fake_api: FakeAPI) -> None:
    tool = tools_by_name(Context7ToolSpec(client=client, source="docs", limit=3))["query_docs"]

    assert set(tool.metadata.get_parameters_dict()["properties"]) == {"library_id", "query", "version", "mode", "page"}
    first = tool.call(library_id="/acme/widgets", query="rendering")
    assert first.content.count("### ") == 3
    assert "call query_docs again with page=2" in first.content
    last = tool.call(library_id="/acme/widgets", query="rendering", mode="info", page=8)
    assert "Concepts > Rendering > Part 22" in last.content
    assert "page=9" not in last.content
    assert fake_api.requests[-1].url.path == "/api/v2/docs/info/acme/widgets"


async def test_resolve_with_a_question_uses_the_ranked_search(spec: Context7ToolSpec, fake_api: FakeAPI) -> None:
    out = await tools_by_name(spec)["resolve_library_id"].acall(library_name="widgets", query="lazy rendering")

    assert "/acme/widgets" in out.content
    assert fake_api.requests[-1].url.path.endswith("/v2/libs/search")
    assert fake_api.requests[-1].url.params["query"] == "lazy rendering"


def test_no_match_is_an_answer_not_an_error(client: Context7Client) -> None:
    out = Context7ToolSpec(client=client).to_tool_list()[0].call(library_name="zzz")
    assert not out.is_error
    assert "No Context7 library matches 'zzz'" in out.content


def test_redirect_is_followed_and_reported(client: Context7Client) -> None:
    tool = tools_by_name(Context7ToolSpec(client=client))["query_docs"]
    out = tool.call(library_id="/acme/old-widgets", query="render")
    assert "/acme/old-widgets has moved to /acme/widgets" in out.content


@pytest.mark.parametrize(
    ("kwargs", "advice"),
    [
        ({"library_id": "/acme/missing"}, "Call resolve_library_id with the library's name"),
        ({"library_id": "/acme/widgets/v9"}, "see the versions it lists"),
        ({"library_id": "widgets"}, "call resolve_library_id to find an ID"),
        ({"library_id": "/acme/widgets", "query": None}, "'query' is required"),
        ({"library_id": "/acme/widgets", "page": 2}, "unknown argument 'page'"),
    ],
)
def test_expected_failures_raise_actionable_messages(
    client: Context7Client, kwargs: dict[str, Any], advice: str
) -> None:
    tool = tools_by_name(Context7ToolSpec(client=client))["query_docs"]

    with pytest.raises(Context7ToolError) as caught:
        tool.call(**{"query": "How do I render?", **kwargs})

    message = str(caught.value)
    assert advice in message
    assert "search_library()" not in message
    assert "Traceback" not in message
    assert TEST_KEY not in message


def test_service_failures_tell_the_model_what_to_do_and_hide_the_key() -> None:
    fake = FakeAPI()
    fake.failures = [
        httpx.Response(401, json={"error": "invalid_api_key", "message": f"Bad key {TEST_KEY}"}),
        httpx.Response(429, json={"error": "rate_limit_exceeded"}, headers={"Retry-After": "90"}),
        httpx.Response(202, json={"error": "library_not_finalized"}),
    ]
    client = Context7Client(api_key=TEST_KEY, base_url="https://context7.test/api", http_client=fake.sync_client())
    client._sleep = lambda _s: None
    tool = tools_by_name(Context7ToolSpec(client=client))["query_docs"]

    messages = []
    for _ in range(3):
        with pytest.raises(Context7ToolError) as caught:
            tool.call(library_id="/acme/widgets", query="render")
        messages.append(str(caught.value))

    assert "tell the user to check CONTEXT7_API_KEY" in messages[0]
    assert "rate limit" in messages[1] and "90 seconds" in messages[1]
    assert "still processing" in messages[2]
    assert all(TEST_KEY not in m for m in messages)


def test_tool_error_keeps_the_underlying_error_for_programs(client: Context7Client) -> None:
    with pytest.raises(Context7ToolError) as caught:
        Context7ToolSpec(client=client).query_docs("/acme/missing", "render")
    assert isinstance(caught.value.error, NotFoundError)
    assert "/acme/widgets" in Context7ToolSpec(client=client).resolve_library_id("widgets")


async def test_tools_follow_the_clients_given(client: Context7Client, async_client: AsyncContext7Client) -> None:
    sync_only = Context7ToolSpec(client=client).to_tool_list()
    async_only = Context7ToolSpec(client=async_client).to_tool_list()

    assert [t.metadata.name for t in async_only] == ["resolve_library_id", "query_docs"]
    assert "/acme/widgets" in (await sync_only[0].acall(library_name="widgets")).content
    assert "/acme/widgets" in (await async_only[0].acall(library_name="widgets")).content
    with pytest.raises(Context7ToolError, match="only an async client"):
        async_only[0].call(library_name="widgets")


def test_repr_hides_the_key_and_close_closes_what_was_built() -> None:
    with Context7ToolSpec(api_key="ctx7sk-repr-secret", base_url="http://127.0.0.1:9/api", timeout=3) as spec:
        assert "ctx7sk-repr-secret" not in repr(spec)
        built = spec._source.sync()
        assert built.timeout.read == 3
    assert built._http.is_closed


def scripted_llm(script: Sequence[tuple[str, dict[str, Any]]], answer: str) -> MockFunctionCallingLLM:
    """A function-calling LLM that makes the scripted tool calls in order, then answers."""

    def respond(messages: Sequence[ChatMessage], **_: Any) -> ChatMessage:
        done = sum(1 for m in messages if m.role == MessageRole.TOOL)
        if done < len(script):
            name, arguments = script[done]
            call = ToolCallBlock(tool_call_id=f"call-{done}", tool_name=name, tool_kwargs=arguments)
            return ChatMessage(role=MessageRole.ASSISTANT, blocks=[call])
        return ChatMessage(role=MessageRole.ASSISTANT, content=answer)

    return MockFunctionCallingLLM(response_generator=respond)


async def test_function_agent_recovers_from_a_wrong_library_id(spec: Context7ToolSpec) -> None:
    llm = scripted_llm(
        [
            ("query_docs", {"library_id": "/acme/widget", "query": "How do I render a widget?"}),
            ("resolve_library_id", {"library_name": "widgets", "query": "How do I render a widget?"}),
            ("query_docs", {"library_id": "/acme/widgets", "query": "How do I render a widget?"}),
        ],
        answer="Call Widget(n).render().",
    )
    agent = FunctionAgent(tools=spec.to_tool_list(), llm=llm, streaming=False)

    handler = agent.run("How do I render a widget?")
    results = [event async for event in handler.stream_events() if isinstance(event, ToolCallResult)]
    response = await handler

    assert [(r.tool_name, r.tool_output.is_error) for r in results] == [
        ("query_docs", True),
        ("resolve_library_id", False),
        ("query_docs", False),
    ]
    assert "Call resolve_library_id" in results[0].tool_output.content
    assert "### Create widget 1" in results[2].tool_output.content
    assert results[2].tool_output.raw_output[0].metadata["title"] == "Create widget 1"  # Documents for the program
    assert str(response) == "Call Widget(n).render()."
