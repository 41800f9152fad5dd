"""The API key never shows: not in reprs, dumps, tool output or error text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from langchain_core.load import dumpd, dumps
from langchain_core.messages import ToolMessage
from pydantic import BaseModel

from context7_kit import AsyncContext7Client, Context7Client, NotFoundError
from context7_kit.integrations.langchain import (
    Context7DocsTool,
    Context7ResolveLibraryTool,
    Context7Retriever,
    Context7Toolkit,
)
from tests.conftest import BASE_URL, TEST_KEY
from tests.fake_api import FakeAPI

Factory = Callable[..., BaseModel]
CLASSES: dict[str, Factory] = {
    "resolve tool": Context7ResolveLibraryTool,
    "docs tool": Context7DocsTool,
    "toolkit": Context7Toolkit,
    "retriever": lambda **kw: Context7Retriever(library_id="/acme/widgets", **kw),
}


def _visible_forms(obj: BaseModel) -> list[str]:
    # A tool's args_schema is a class, which model_dump_json cannot encode; every other field is dumped.
    as_json = obj.model_dump_json(exclude={"args_schema", "handle_validation_error"})
    forms = [repr(obj), str(obj), str(obj.model_dump()), as_json, dumps(obj), str(dumpd(obj))]
    if hasattr(obj, "to_json"):
        forms.append(str(obj.to_json()))  # type: ignore[operator]
    return forms


@pytest.mark.parametrize("name", list(CLASSES))
@pytest.mark.parametrize("how", ["api_key=", "environment", "client="])
def test_key_is_in_no_repr_or_serialization(name: str, how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    kwargs: dict[str, Any] = {}
    if how == "api_key=":
        kwargs = {"api_key": TEST_KEY, "base_url": BASE_URL}
    elif how == "environment":
        monkeypatch.setenv("CONTEXT7_API_KEY", TEST_KEY)
    else:
        kwargs = {"client": Context7Client(api_key=TEST_KEY, base_url=BASE_URL)}
    obj = CLASSES[name](**kwargs)

    for form in _visible_forms(obj):
        assert TEST_KEY not in form
    assert obj._clients.api_key == TEST_KEY  # type: ignore[attr-defined]  # the key is still used
    if how != "client=":
        assert obj.api_key.get_secret_value() == TEST_KEY  # type: ignore[attr-defined]


def test_toolkit_tools_do_not_leak_the_key_either() -> None:
    for tool in Context7Toolkit(api_key=TEST_KEY, base_url=BASE_URL).get_tools():
        for form in _visible_forms(tool):
            assert TEST_KEY not in form


def _echoing_failure(status: int) -> httpx.Response:
    """A server (or proxy) that echoes the Authorization header back in its error text."""
    return httpx.Response(status, json={"error": "invalid_api_key", "message": f"Bad credentials: Bearer {TEST_KEY}"})


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("status", [401, 404, 400])
async def test_key_is_absent_from_tool_output_and_errors(
    client: Context7Client, async_client: AsyncContext7Client, fake_api: FakeAPI, status: int, use_async: bool
) -> None:
    resolve, docs = Context7Toolkit(client=client, async_client=async_client).get_tools()
    outputs: list[ToolMessage] = []
    for tool, args in [
        (resolve, {"library_name": "widgets"}),
        (docs, {"library_id": "/acme/widgets", "query": "render"}),
    ]:
        fake_api.failures.append(_echoing_failure(status))
        tool_call = {"type": "tool_call", "id": "1", "name": tool.name, "args": args}
        outputs.append(await tool.ainvoke(tool_call) if use_async else tool.invoke(tool_call))
        outputs.append(await tool.ainvoke(tool_call) if use_async else tool.invoke(tool_call))  # a success

    assert [m.status for m in outputs] == ["error", "success", "error", "success"]
    assert "Bad credentials: Bearer [redacted]" in outputs[0].content
    for message in outputs:
        assert TEST_KEY not in str(message.content)
        assert TEST_KEY not in repr(message)
        assert TEST_KEY not in repr(message.artifact)


def test_key_is_absent_from_retriever_errors(
    make_retriever: Callable[..., Context7Retriever], fake_api: FakeAPI
) -> None:
    fake_api.failures.append(
        httpx.Response(404, json={"error": "library_not_found", "message": f"no library for key {TEST_KEY}"})
    )

    with pytest.raises(NotFoundError) as caught:
        make_retriever().invoke("rendering")
    assert TEST_KEY not in str(caught.value)
    assert TEST_KEY not in repr(caught.value)


@pytest.mark.parametrize("name", list(CLASSES))
def test_pickles_hold_no_key_and_the_copy_reads_its_environment(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle

    obj = CLASSES[name](api_key=TEST_KEY, base_url=BASE_URL)
    data = pickle.dumps(obj)
    assert TEST_KEY.encode() not in data
    monkeypatch.setenv("CONTEXT7_API_KEY", "ctx7sk-from-the-environment")
    copy = pickle.loads(data)
    assert copy.api_key is None
    assert copy._clients.sync().api_key == "ctx7sk-from-the-environment"
