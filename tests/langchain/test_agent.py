"""Agent registration end to end on the fake API: a tool-calling model drives both tools."""

from __future__ import annotations

from context7_kit import AsyncContext7Client, Context7Client
from context7_kit.integrations.langchain import Context7Toolkit
from tests.fake_api import FakeAPI
from tests.langchain._agent import BAD_GUESS, arun_agent, check_recovered, run_agent


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
    assert _paths(fake_api) == ["/v2/docs/code/acme/widget", "/v2/libs/search", "/v2/docs/code/acme/widgets"]


async def test_async_agent_recovers_too(
    client: Context7Client, async_client: AsyncContext7Client, fake_api: FakeAPI
) -> None:
    tools = Context7Toolkit(client=client, async_client=async_client).get_tools()

    messages = await arun_agent(tools)

    check_recovered(messages)
    assert _paths(fake_api) == ["/v2/docs/code/acme/widget", "/v2/libs/search", "/v2/docs/code/acme/widgets"]
