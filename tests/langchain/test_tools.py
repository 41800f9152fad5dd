"""The two tools against the fake API: output, budgets, errors, sync and async alike."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from langchain_core.documents import Document
from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

from context7_kit import AsyncContext7Client, Context7Client, Library
from context7_kit.core.documents import estimate_tokens
from context7_kit.integrations.langchain import (
    Context7DocsTool,
    Context7ResolveLibraryTool,
    Context7Toolkit,
)
from tests.conftest import BASE_URL, TEST_KEY
from tests.fake_api import FakeAPI


async def call(tool: BaseTool, args: dict[str, Any], use_async: bool) -> ToolMessage:
    """Invoke the tool as an agent does (a tool call), sync or async."""
    tool_call = {"type": "tool_call", "id": "call-1", "name": tool.name, "args": args}
    message = await tool.ainvoke(tool_call) if use_async else tool.invoke(tool_call)
    assert isinstance(message, ToolMessage)
    return message


both = pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])


# --- resolve_library_id -----------------------------------------------------------


@both
async def test_resolve_lists_candidates_the_model_can_choose_from(
    resolve_tool: Context7ResolveLibraryTool, fake_api: FakeAPI, use_async: bool
) -> None:
    message = await call(resolve_tool, {"library_name": "widgets"}, use_async)

    assert message.status == "success"
    text = message.content
    assert isinstance(text, str)
    assert "- /acme/widgets: Acme Widgets" in text
    assert "snippets: 24" in text
    assert "trust: 8.5/10" in text
    assert "versions: v1.0.0, v2.0.0" in text
    assert "/acme/widgets/<version>" in text
    assert "query_docs" in text
    assert [lib.id for lib in message.artifact] == ["/acme/widgets"]
    assert all(isinstance(lib, Library) for lib in message.artifact)
    assert fake_api.requests[-1].url.path == "/api/v2/libs/search"


@both
async def test_resolve_with_a_question_uses_the_ranked_search(
    resolve_tool: Context7ResolveLibraryTool, fake_api: FakeAPI, use_async: bool
) -> None:
    await call(resolve_tool, {"library_name": "widgets", "query": "How do I render a widget?"}, use_async)

    request = fake_api.requests[-1]
    assert request.url.path == "/api/v2/libs/search"
    assert request.url.params["libraryName"] == "widgets"
    assert request.url.params["query"] == "How do I render a widget?"


async def test_resolve_without_match_says_what_to_try(resolve_tool: Context7ResolveLibraryTool) -> None:
    message = await call(resolve_tool, {"library_name": "zzzz"}, use_async=False)

    assert message.status == "success"
    assert "No Context7 library matches 'zzzz'" in message.content
    assert message.artifact == []


def test_resolve_shows_at_most_max_results(client: Context7Client, async_client: AsyncContext7Client) -> None:
    tool = Context7ResolveLibraryTool(client=client, async_client=async_client, max_results=1)
    text = tool.invoke({"library_name": "acme widgets gadgets"})

    assert text.count("\n- /acme/") == 1
    assert "(1 more not shown.)" in text


# --- query_docs -------------------------------------------------------------------


@both
async def test_docs_answers_the_question_with_one_context_call(
    docs_tool: Context7DocsTool, fake_api: FakeAPI, use_async: bool
) -> None:
    question = "How do I render a widget?"
    message = await call(docs_tool, {"library_id": "/acme/widgets", "query": question}, use_async)

    assert message.status == "success"
    text = message.content
    assert text.startswith(f"Documentation of /acme/widgets for {question!r}, most relevant first.")
    assert "- Prefer explicit widgets." in text  # the library's rules
    assert "### Create widget 1\nSource: https://example.test/acme/widgets/guide.md#_snippet_1" in text
    assert "```python\nwidget = Widget(1)\nwidget.render()\n```" in text
    docs = message.artifact
    assert [d.metadata["snippet_type"] for d in docs] == ["code", "info", "code", "info", "code"]
    assert all(isinstance(d, Document) for d in docs)
    first = docs[0]
    assert first.metadata == {
        "library_id": "/acme/widgets",
        "snippet_type": "code",
        "title": "Create widget 1",
        "source": "https://example.test/acme/widgets/guide.md#_snippet_1",
        "language": "python",
        "page_title": "Guide",
        "tokens": 40,
        "query": question,
        "rank": 1,
    }
    assert first.id and first.page_content in text
    [request] = fake_api.requests
    assert request.url.path == "/api/v2/context"
    assert request.url.params["query"] == question


@both
async def test_docs_pins_a_version(docs_tool: Context7DocsTool, fake_api: FakeAPI, use_async: bool) -> None:
    message = await call(docs_tool, {"library_id": "/acme/widgets", "query": "render", "version": "v1.0.0"}, use_async)

    assert fake_api.requests[-1].url.params["libraryId"] == "/acme/widgets/v1.0.0"
    assert message.content.startswith("Documentation of /acme/widgets/v1.0.0 for 'render'")
    assert {d.metadata["version"] for d in message.artifact} == {"v1.0.0"}


@both
async def test_pages_source_passes_version_mode_and_page(
    client: Context7Client, async_client: AsyncContext7Client, fake_api: FakeAPI, use_async: bool
) -> None:
    tool = Context7DocsTool(client=client, async_client=async_client, source="docs")
    args = {"library_id": "/acme/widgets", "query": "render", "version": "v1.0.0", "mode": "info", "page": 3}

    message = await call(tool, args, use_async)

    request = fake_api.requests[-1]
    assert request.url.path == "/api/v2/docs/info/acme/widgets/v1.0.0"
    assert request.url.params["page"] == "3"
    assert request.url.params["topic"] == "render"
    assert "version v1.0.0" not in message.content  # the served ID names it
    assert "/acme/widgets/v1.0.0, on 'render', page 3 of 3" in message.content
    assert "page=4" not in message.content  # the last page offers no next one
    assert {d.metadata["snippet_type"] for d in message.artifact} == {"info"}
    assert [d.metadata["rank"] for d in message.artifact][:1] == [21]
    assert set(convert_to_openai_tool(tool)["function"]["parameters"]["properties"]) == {
        "library_id",
        "query",
        "version",
        "mode",
        "page",
    }


@both
async def test_docs_tells_the_model_when_a_library_moved(docs_tool: Context7DocsTool, use_async: bool) -> None:
    message = await call(docs_tool, {"library_id": "/acme/old-widgets", "query": "render"}, use_async)

    assert message.status == "success"
    assert "/acme/old-widgets has moved to /acme/widgets" in message.content
    assert {d.metadata["library_id"] for d in message.artifact} == {"/acme/widgets"}


@pytest.mark.parametrize("max_tokens", [200, 5000])
def test_docs_text_stays_within_max_tokens(
    client: Context7Client, async_client: AsyncContext7Client, max_tokens: int
) -> None:
    tool = Context7DocsTool(client=client, async_client=async_client, max_tokens=max_tokens)
    args = {"library_id": "/acme/widgets", "query": "render"}
    message = tool.invoke({"type": "tool_call", "id": "1", "name": tool.name, "args": args})

    assert estimate_tokens(message.content) <= max_tokens
    assert "### Create widget 1" in message.content  # the best snippet is always there, cut if need be
    assert len(message.artifact) == 5  # the program still gets every snippet
    if max_tokens < 5000:
        assert "left out to stay within the token budget" in message.content or "cut to fit" in message.content
    else:
        assert "left out" not in message.content
        assert all(d.page_content in message.content for d in message.artifact)


def test_docs_without_snippets_suggests_another_try(docs_tool: Context7DocsTool, fake_api: FakeAPI) -> None:
    fake_api.snippets_per_library = 0
    args = {"library_id": "/acme/widgets", "query": "render"}
    message = docs_tool.invoke({"type": "tool_call", "id": "1", "name": docs_tool.name, "args": args})

    assert message.status == "success"
    assert "No snippets answer this question" in message.content
    assert "resolve_library_id" in message.content
    assert message.artifact == []


# --- failures become ToolMessages the agent can act on ----------------------------


def _error(status: int, code: str, message: str, **extra: Any) -> httpx.Response:
    headers = extra.pop("headers", {})
    return httpx.Response(status, json={"error": code, "message": message, **extra}, headers=headers)


def _failures(case: str) -> tuple[dict[str, Any], list[httpx.Response], str]:
    """Arguments, responses the fake API answers with first, and what the model must read."""
    moved = [
        _error(301, "library_redirected", "Moved", redirectUrl="/acme/a"),
        _error(301, "library_redirected", "Moved", redirectUrl="/acme/b"),
    ]
    widgets = {"library_id": "/acme/widgets", "query": "How do I render a widget?"}
    return {
        "unknown library": (
            {**widgets, "library_id": "/acme/nothing"},
            [],
            r"library_not_found.*call resolve_library_id",
        ),
        "malformed id": (
            {**widgets, "library_id": "widgets"},
            [],
            r"invalid library id 'widgets'.*/owner/repo.*resolve_library_id",
        ),
        "unknown version": ({**widgets, "version": "v9"}, [], r"tag_not_found.*resolve_library_id.*versions"),
        "bad argument": ({**widgets, "query": 5}, [], r"query: .*valid string"),
        "empty question": ({**widgets, "query": "  "}, [], r"'query' is required.*resolve_library_id"),
        "auth": (widgets, [_error(401, "invalid_api_key", "Invalid API key")], r"401.*do not retry.*CONTEXT7_API_KEY"),
        "rate limit": (
            widgets,
            [_error(429, "rate_limit_exceeded", "Slow down", headers={"Retry-After": "1"}) for _ in range(4)],
            r"429.*rate limiting.*wait 1 s",
        ),
        "not finalized": (
            widgets,
            [_error(202, "library_not_finalized", "Still processing")],
            r"202.*still being indexed.*resolve_library_id",
        ),
        "redirect loop": (widgets, moved, r"moved to /acme/b.*query_docs again with the new library id"),
        "server down": (
            widgets,
            [_error(503, "search_failed", "Unavailable") for _ in range(4)],
            r"503.*failed on its side",
        ),
    }[case]


FAILURE_CASES = [
    "unknown library",
    "malformed id",
    "unknown version",
    "bad argument",
    "empty question",
    "auth",
    "rate limit",
    "not finalized",
    "redirect loop",
    "server down",
]


@both
@pytest.mark.parametrize("case", FAILURE_CASES)
async def test_expected_failures_come_back_as_error_messages(
    docs_tool: Context7DocsTool, fake_api: FakeAPI, case: str, use_async: bool
) -> None:
    args, responses, pattern = _failures(case)
    fake_api.failures.extend(responses)

    message = await call(docs_tool, args, use_async)  # does not raise: the agent loop goes on

    assert message.status == "error"
    assert re.search(pattern, message.content, re.DOTALL | re.IGNORECASE), message.content
    assert message.tool_call_id == "call-1"


@both
async def test_resolve_failures_come_back_as_error_messages(
    resolve_tool: Context7ResolveLibraryTool, fake_api: FakeAPI, use_async: bool
) -> None:
    fake_api.failures.append(_error(401, "invalid_api_key", "Invalid API key"))

    message = await call(resolve_tool, {"library_name": "widgets"}, use_async)

    assert message.status == "error"
    assert "CONTEXT7_API_KEY" in message.content


def test_unexpected_errors_are_not_hidden(docs_tool: Context7DocsTool, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("a bug, not an API failure")

    monkeypatch.setattr(Context7Client, "get_context", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        docs_tool.invoke({"library_id": "/acme/widgets", "query": "render"})


# --- what the model is told ------------------------------------------------------------


def test_schemas_teach_the_model_ids_questions_and_when_to_resolve(
    client: Context7Client, async_client: AsyncContext7Client
) -> None:
    resolve, docs = Context7Toolkit(client=client, async_client=async_client).get_tools()
    resolve_schema = convert_to_openai_tool(resolve)["function"]
    docs_schema = convert_to_openai_tool(docs)["function"]

    assert resolve_schema["name"] == "resolve_library_id"
    assert "before query_docs" in resolve_schema["description"]
    assert set(resolve_schema["parameters"]["properties"]) == {"library_name", "query"}
    assert resolve_schema["parameters"]["required"] == ["library_name"]

    assert docs_schema["name"] == "query_docs"
    props = docs_schema["parameters"]["properties"]
    assert set(props) == {"library_id", "query", "version"}  # no settings, no secrets
    assert docs_schema["parameters"]["required"] == ["library_id", "query"]
    assert "/owner/repo/version" in props["library_id"]["description"]
    assert "never guess" in props["library_id"]["description"]
    assert "specific" in props["query"]["description"].lower()
    for schema in (resolve_schema, docs_schema):  # optional strings are plain strings: every framework takes them
        assert "anyOf" not in str(schema)


# --- clients -------------------------------------------------------------------------


def test_toolkit_tools_share_one_client(
    client: Context7Client, async_client: AsyncContext7Client, fake_api: FakeAPI
) -> None:
    toolkit = Context7Toolkit(client=client, async_client=async_client, max_tokens=800, max_results=2)
    resolve, docs = toolkit.get_tools()

    assert isinstance(resolve, Context7ResolveLibraryTool)
    assert isinstance(docs, Context7DocsTool)
    assert docs.max_tokens == 800
    assert resolve.max_results == 2
    assert resolve._clients is docs._clients is toolkit._clients
    resolve.invoke({"library_name": "widgets"})
    docs.invoke({"library_id": "/acme/widgets", "query": "render"})
    assert len(fake_api.requests) == 2


def test_toolkit_builds_one_client_from_settings() -> None:
    resolve, docs = Context7Toolkit(api_key=TEST_KEY, base_url=BASE_URL).get_tools()

    built = resolve._clients.sync()  # type: ignore[attr-defined]
    assert built is docs._clients.sync()  # type: ignore[attr-defined]
    assert built.base_url == BASE_URL
    assert built.api_key == TEST_KEY


def test_environment_decides_when_nothing_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTEXT7_API_KEY", "ctx7sk-from-env")
    monkeypatch.setenv("CONTEXT7_API_URL", "http://127.0.0.1:8123/api")
    tool = Context7DocsTool()

    built = tool._clients.sync()
    assert built.api_key == "ctx7sk-from-env"
    assert built.base_url == "http://127.0.0.1:8123/api"


def test_settings_reach_the_built_client() -> None:
    tool = Context7DocsTool(
        api_key=TEST_KEY, base_url=BASE_URL, timeout=2.5, max_retries=0, max_retry_wait=7, headers={"X-Team": "a"}
    )

    built = tool._clients.sync()
    assert built.timeout.read == 2.5
    assert built.max_retries == 0
    assert built.max_retry_wait == 7
    assert built._extra_headers == {"X-Team": "a"}


def test_client_options_keep_the_client_defaults() -> None:
    built = Context7DocsTool(base_url=BASE_URL)._clients.sync()

    assert built.max_retries == Context7Client(base_url=BASE_URL).max_retries  # no default of our own


def test_an_unknown_option_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"'timout'.*timeout"):
        Context7DocsTool(base_url=BASE_URL, timout=3)


@both
async def test_close_and_context_managers_close_what_was_built(use_async: bool) -> None:
    toolkit = Context7Toolkit(api_key=TEST_KEY, base_url=BASE_URL)
    resolve, docs = toolkit.get_tools()
    if use_async:
        async with toolkit:
            built = docs._clients.async_()  # type: ignore[attr-defined]
        assert built._http.is_closed
    else:
        with toolkit:
            built_sync = resolve._clients.sync()  # type: ignore[attr-defined]
        assert built_sync._http.is_closed
    with Context7DocsTool(base_url=BASE_URL) as tool:
        own = tool._clients.sync()
    assert own._http.is_closed


def test_close_leaves_a_given_client_open(client: Context7Client) -> None:
    tool = Context7DocsTool(client=client)
    tool.close()
    assert not client._http.is_closed


async def test_only_a_sync_client_still_gives_real_async(client: Context7Client) -> None:
    tool = Context7DocsTool(client=client)

    twin = tool._clients.async_()
    assert isinstance(twin, AsyncContext7Client)
    assert (twin.base_url, twin.api_key, twin.max_retries) == (client.base_url, client.api_key, client.max_retries)


async def test_an_async_client_can_be_passed_as_client(async_client: AsyncContext7Client, fake_api: FakeAPI) -> None:
    tool = Context7DocsTool(client=async_client)

    message = await call(tool, {"library_id": "/acme/widgets", "query": "render"}, use_async=True)
    assert message.status == "success"
    assert len(fake_api.requests) == 1


def test_client_and_key_together_is_a_clear_error(client: Context7Client) -> None:
    with pytest.raises(ValueError, match="either client=/async_client= or api_key=/base_url="):
        Context7DocsTool(client=client, api_key=TEST_KEY)


def test_a_wrong_client_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="Context7Client or AsyncContext7Client"):
        Context7DocsTool(client=httpx.Client())  # type: ignore[arg-type]


def test_each_event_loop_gets_its_own_async_client() -> None:
    """asyncio.run() twice (a script, a notebook cell) must not reuse a pool bound to a closed loop."""
    import asyncio

    tool = Context7DocsTool(api_key=TEST_KEY, base_url=BASE_URL)

    async def current() -> tuple[AsyncContext7Client, AsyncContext7Client]:
        return tool._clients.async_(), tool._clients.async_()

    first_a, first_b = asyncio.run(current())
    second, _ = asyncio.run(current())
    assert first_a is first_b
    assert second is not first_a
    assert second.api_key == TEST_KEY
