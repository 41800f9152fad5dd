"""The framework-neutral tools every adapter is derived from."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from context7_kit import InvalidInputError, NotFoundError, RateLimitError
from context7_kit.core import ClientPair
from context7_kit.core.documents import estimate_tokens
from context7_kit.core.tools import NeutralTool, context7_tools
from tests.conftest import BASE_URL, TEST_KEY
from tests.fake_api import FakeAPI


def _tools(api: FakeAPI, *, is_async: bool = False, **settings: Any) -> list[NeutralTool]:
    http = api.async_client() if is_async else api.sync_client()
    return context7_tools(api_key=TEST_KEY, base_url=BASE_URL, http_client=http, max_retries=0, **settings)


async def _run(tool: NeutralTool, is_async: bool, **arguments: Any) -> Any:
    return await tool.acall(**arguments) if is_async else tool.call(**arguments)


def _walk(schema: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(schema, dict):
        found.append(schema)
        for value in schema.values():
            found += _walk(value)
    elif isinstance(schema, list):
        for value in schema:
            found += _walk(value)
    return found


@pytest.mark.parametrize("source", ["context", "docs"])
def test_schemas_are_plain_json_schema_every_framework_accepts(source: str) -> None:
    resolve, docs = context7_tools(ClientPair(base_url=BASE_URL), source=source)  # type: ignore[arg-type]

    assert [resolve.name, docs.name] == ["resolve_library_id", "query_docs"]
    for tool in (resolve, docs):
        assert re.fullmatch(r"[a-zA-Z0-9_]+", tool.name)
        assert tool.parameters["type"] == "object"
        for node in _walk(tool.parameters):
            assert "anyOf" not in node
            assert node.get("type") != "null"
        json.dumps(tool.parameters)  # plain data
    assert resolve.parameters["required"] == ["library_name"]
    assert docs.parameters["required"] == ["library_id", "query"]
    assert docs.parameters["properties"]["version"] == {"type": "string", "description": docs.params[2].description}
    extra = {"mode", "page"} & set(docs.parameters["properties"])
    assert extra == ({"mode", "page"} if source == "docs" else set())


@pytest.mark.parametrize("is_async", [False, True])
async def test_resolve_is_one_library_search_with_the_question(is_async: bool) -> None:
    api = FakeAPI()
    resolve, _ = _tools(api, is_async=is_async)

    result = await _run(resolve, is_async, library_name="widgets", query="How do I render a widget?")

    assert not result.is_error
    assert [lib.id for lib in result.libraries] == ["/acme/widgets"]
    assert "/acme/widgets" in result.text and "query_docs" in result.text
    [request] = api.requests
    assert request.url.path == "/api/v2/libs/search"
    assert request.url.params["libraryName"] == "widgets"
    assert request.url.params["query"] == "How do I render a widget?"


def test_resolve_without_a_question_asks_with_the_name() -> None:
    api = FakeAPI()
    resolve, _ = _tools(api)

    resolve.call(library_name="widgets", query=None)

    assert dict(api.requests[0].url.params) == {"libraryName": "widgets", "query": "widgets"}


@pytest.mark.parametrize("is_async", [False, True])
async def test_query_docs_is_one_context_call_with_documents_and_text(is_async: bool) -> None:
    api = FakeAPI()
    _, docs = _tools(api, is_async=is_async)

    result = await _run(docs, is_async, library_id="/acme/widgets", query="How do I render a widget?")

    assert not result.is_error
    [request] = api.requests
    assert request.url.path == "/api/v2/context"
    assert request.url.params["query"] == "How do I render a widget?"
    assert [d.metadata["snippet_type"] for d in result.documents] == ["code", "info", "code", "info", "code"]
    assert [d.metadata["rank"] for d in result.documents] == [1, 2, 3, 4, 5]
    assert {d.metadata["query"] for d in result.documents} == {"How do I render a widget?"}
    assert "Prefer explicit widgets." in result.text  # the library's rules
    assert all(d.text in result.text for d in result.documents)


def test_query_docs_text_stays_within_the_token_budget() -> None:
    api = FakeAPI()
    _, docs = _tools(api, max_tokens=200)

    result = docs.call(library_id="/acme/widgets", query="render")

    assert estimate_tokens(result.text) <= 200
    assert "left out to stay within the token budget" in result.text
    assert len(result.documents) == 5  # the program still gets every snippet


async def test_surface_a_source_reads_one_docs_page_with_mode_and_page() -> None:
    api = FakeAPI()
    _, docs = _tools(api, source="docs")

    result = docs.call(library_id="/acme/widgets", query="rendering", mode="code", page="2")

    [request] = api.requests
    assert request.url.path == "/api/v2/docs/code/acme/widgets"
    assert dict(request.url.params) == {"type": "json", "page": "2", "limit": "10", "topic": "rendering"}
    assert result.documents[0].metadata["rank"] == 11
    assert result.documents[0].metadata["page"] == 2
    assert "page=3" in result.text


@pytest.mark.parametrize("is_async", [False, True])
@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        ({"library_id": "/acme/widgets"}, "'query' is required"),
        ({"library_id": "/acme/widgets", "query": "   "}, "'query' is required"),
        ({"library_id": "/acme/widgets", "query": "x", "topic": "y"}, "unknown argument 'topic'"),
        ({"library_id": 7, "query": "x"}, "'library_id' must be a string"),
        ({"library_id": "acme widgets", "query": "x"}, "resolve_library_id"),
    ],
)
async def test_bad_arguments_come_back_as_an_error_result_without_a_request(
    is_async: bool, arguments: dict[str, Any], complaint: str
) -> None:
    api = FakeAPI()
    _, docs = _tools(api, is_async=is_async)

    result = await _run(docs, is_async, **arguments)

    assert result.is_error
    assert isinstance(result.error, InvalidInputError)
    assert complaint in result.text
    assert "resolve_library_id" in result.text  # the advice names the tool to call
    assert api.requests == []


@pytest.mark.parametrize("is_async", [False, True])
async def test_api_failures_come_back_as_an_error_result_with_advice(is_async: bool) -> None:
    api = FakeAPI()
    _, docs = _tools(api, is_async=is_async)

    result = await _run(docs, is_async, library_id="/acme/nothing", query="render")

    assert result.is_error and isinstance(result.error, NotFoundError)
    assert "resolve_library_id" in result.text and "'/acme/nothing'" in result.text
    assert result.documents == ()


@pytest.mark.parametrize("is_async", [False, True])
async def test_the_key_never_reaches_the_model_even_when_the_server_echoes_it(is_async: bool) -> None:
    api = FakeAPI()
    api.failures.append(
        httpx.Response(
            429,
            json={"error": "rate_limit_exceeded", "message": f"Too many requests for Bearer {TEST_KEY}"},
            headers={"Retry-After": "3"},
        )
    )
    resolve, _ = _tools(api, is_async=is_async)

    result = await _run(resolve, is_async, library_name="widgets")

    assert result.is_error and isinstance(result.error, RateLimitError)
    assert TEST_KEY not in result.text
    assert "stop calling Context7" in result.text


def test_tools_share_one_client_and_close_what_they_built() -> None:
    resolve, docs = context7_tools(base_url=BASE_URL)

    assert resolve.clients is docs.clients
    client = resolve.clients.sync()
    docs.close()
    assert client._http.is_closed


def test_clients_and_options_together_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="either clients= or client options"):
        context7_tools(ClientPair(base_url=BASE_URL), timeout=3)
    with pytest.raises(InvalidInputError, match="unknown client option 'timout'"):
        context7_tools(timout=3)  # type: ignore[call-arg]
