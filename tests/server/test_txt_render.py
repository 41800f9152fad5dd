"""The local server's txt answers read back, with the client's one parser, into its json answers."""

from __future__ import annotations

import httpx
import pytest

from context7_kit.core import parse_txt
from context7_kit.core.models import CodeSnippet, ContextResponse, DocsResponse, InfoSnippet
from tests.core.test_txt import carried


@pytest.fixture
def http(server_url: str):
    with httpx.Client(base_url=server_url, timeout=10) as c:
        yield c


@pytest.mark.parametrize("mode", ["code", "info"])
def test_docs_txt_is_the_json_snippets_rendered(http: httpx.Client, mode: str) -> None:
    params = {"topic": "widgets", "limit": 5}
    text = http.get(f"/v2/docs/{mode}/acme/widgets", params={**params, "type": "txt"})
    body = DocsResponse.model_validate(
        http.get(f"/v2/docs/{mode}/acme/widgets", params={**params, "type": "json"}).json()
    )

    assert body.snippets
    assert [carried(s) for s in parse_txt(text.text)] == [carried(s) for s in body.snippets]


def test_context_txt_is_the_json_snippets_rendered(http: httpx.Client) -> None:
    params = {"libraryId": "/acme/widgets", "query": "How do I switch to dark mode?"}
    text = http.get("/v2/context", params={**params, "type": "txt"})
    body = ContextResponse.model_validate(http.get("/v2/context", params={**params, "type": "json"}).json())

    # The txt answer is one ranked list, code and prose interleaved; the JSON keeps each kind in that order.
    parsed = parse_txt(text.text)
    assert body.code_snippets and body.info_snippets
    assert [carried(s) for s in parsed if isinstance(s, CodeSnippet)] == [carried(s) for s in body.code_snippets]
    assert [carried(s) for s in parsed if isinstance(s, InfoSnippet)] == [carried(s) for s in body.info_snippets]
    assert len(parsed) == len(body.code_snippets) + len(body.info_snippets)
