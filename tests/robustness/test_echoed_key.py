"""A server that echoes the caller's key in every header and body: nothing the client keeps or logs holds it.

Over a real loopback connection (httpcore logs whole response headers at
DEBUG, which a mock transport never shows), for a cloud key, an on-premise
key and a key of no known shape: the results of the 2026 calls, their errors,
``request_id``, ``rate_limit``, pickles and every log record at DEBUG.
"""

from __future__ import annotations

import json
import logging
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from context7_kit import Context7Error
from tests.robustness import faultserver as fs
from tests.robustness.harness import Harness

KEYS = ["ctx7sk-echo-4f9a1c2e7b3d4e5f", "ctx7op-echo-0123456789abcdef", "plain-secret-0123456789"]
CALLS: dict[str, tuple[str, tuple[Any, ...], dict[str, Any]]] = {
    "search_library": ("search_library", ("react",), {}),
    "get_context": ("get_context", ("/acme/widgets", "how?"), {}),
    "search_docs": ("search_docs", ("how?",), {"libraries": ["/acme/widgets"]}),
}


def echo_headers(key: str) -> dict[str, str]:
    return {
        "x-request-id": f"req-{key}",
        "Context7-Quota-Tier": key,
        "RateLimit-Limit": "10",
        "RateLimit-Remaining": "3",
        "RateLimit-Reset": "1893456000",
        "X-Echo": f"Bearer {key}",
    }


def answers(key: str) -> dict[str, Callable[[str], fs.Handler]]:
    """Each hostile answer, for one call: the JSON or text it sends echoes ``key`` everywhere."""

    def ok_json(method: str) -> fs.Handler:
        if method == "search_library":
            library = {"id": "/acme/widgets", "title": key, "description": f"for {key}", "versions": [key]}
            return fs.reply(200, json.dumps({"results": [library]}), headers=echo_headers(key))
        code = {"codeTitle": f"t {key}", "codeDescription": key, "codeLanguage": "py", "codeId": f"https://x/{key}"}
        code |= {"codeTokens": 1, "pageTitle": key, "codeList": [{"language": "py", "code": f"key = {key!r}"}]}
        info = {"pageId": key, "breadcrumb": key, "content": f"use {key}", "contentTokens": 1, "libraryId": "/a/b"}
        body = {"codeSnippets": [{**code, "libraryId": "/a/b"}], "infoSnippets": [info], "rules": {"global": [key]}}
        return fs.reply(200, json.dumps(body), headers=echo_headers(key))

    def ok_text(_method: str) -> fs.Handler:
        text = f"### Title {key}\nSource: https://x/{key}\n\nUse {key}.\n"
        return fs.reply(200, text, content_type="text/plain", headers=echo_headers(key))

    def error(status: int, code: str) -> Callable[[str], fs.Handler]:
        body = {"error": code, "message": f"Invalid key {key}", "redirectUrl": f"/new/{key}"}
        return lambda _method: fs.reply(status, json.dumps(body), headers=echo_headers(key))

    def onprem(_method: str) -> fs.Handler:
        return fs.reply(404, json.dumps({"error": f"Project {key} not found"}), headers=echo_headers(key))

    return {
        "200-json": ok_json,
        "200-text": ok_text,
        "401": error(401, "invalid_api_key"),
        "404-onprem": onprem,
        "301": error(301, "library_redirected"),
    }


def assert_no_key(key: str, *texts: str) -> None:
    for text in texts:
        assert key not in text
        assert key.split("-", 1)[1] not in text  # not even without its prefix


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("answer", ["200-json", "200-text", "401", "404-onprem", "301"])
@pytest.mark.parametrize("call", list(CALLS))
def test_an_echoed_key_is_kept_nowhere(
    mode: str, server: fs.FaultServer, caplog: pytest.LogCaptureFixture, key: str, answer: str, call: str
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx, httpcore
    method, args, kwargs = CALLS[call]
    server.push(answers(key)[answer](method))
    with Harness(mode, base_url=server.base_url, api_key=key, max_retries=0) as client:
        try:
            result = client.call(method, *args, **kwargs)
        except Context7Error as error:
            kept = [str(error), repr(error), repr(error.args), repr(vars(error)), pickle.dumps(error).decode("latin-1")]
            if getattr(error, "response", None) is not None:
                kept += [repr(error.response.headers), error.response.text]  # type: ignore[attr-defined]
        else:
            items = result if isinstance(result, list) else [result]
            kept = [repr(result), pickle.dumps(result).decode("latin-1"), repr(getattr(result, "request_id", None))]
            kept += [str(item) for item in items] + [item.model_dump_json() for item in items]
        kept.append(repr(client.client.rate_limit))
    assert server.requests, "the call reached the server"
    assert caplog.records, "the HTTP stack logged at DEBUG"
    assert_no_key(key, *kept, caplog.text, *(record.getMessage() for record in caplog.records))
