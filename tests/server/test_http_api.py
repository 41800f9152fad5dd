"""The wire contract at the HTTP level: statuses, error bodies, headers, hostile input."""

from __future__ import annotations

import time
from urllib.parse import quote

import httpx
import pytest

from context7_kit import Context7Client
from context7_kit.core.errors import AuthenticationError, RateLimitError
from context7_kit.server import LocalServer, RateLimit
from tests.server.conftest import WIDGETS


@pytest.fixture
def http(server_url: str):
    with httpx.Client(base_url=server_url, timeout=10) as c:
        yield c


def error(response: httpx.Response, status: int, code: str) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert "Traceback" not in response.text
    return body


def test_docs_default_type_is_txt(http: httpx.Client) -> None:
    response = http.get("/v2/docs/code/acme/widgets", params={"limit": 3})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["x-context7-limit"] == "3"
    assert response.headers["x-context7-page"] == "1"
    assert response.headers["x-context7-has-prev"] == "false"
    assert response.headers["x-context7-has-next"] == "true"
    assert int(response.headers["x-context7-total-tokens"]) > 0
    assert response.text.count("\n" + "-" * 40 + "\n") == 2


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"page": "0"}, "invalid_page"),
        ({"page": "11"}, "invalid_page"),
        ({"page": "abc"}, "invalid_page"),
        ({"page": "²"}, "invalid_page"),
        ({"limit": "0"}, "invalid_limit"),
        ({"limit": "-3"}, "invalid_limit"),
        ({"type": "xml"}, "invalid_type"),
        ({"topic": "x" * 501}, "invalid_length"),
    ],
)
def test_docs_parameter_errors(http: httpx.Client, params: dict[str, str], code: str) -> None:
    error(http.get("/v2/docs/code/acme/widgets", params={"type": "json", **params}), 400, code)


def test_over_large_limit_names_the_maximum(http: httpx.Client) -> None:
    body = error(http.get("/v2/docs/info/acme/widgets", params={"limit": "50"}), 400, "invalid_limit")
    assert body["maxLimit"] == 10


def test_bad_mode_and_overlong_segments(http: httpx.Client) -> None:
    error(http.get("/v2/docs/everything/acme/widgets"), 400, "invalid_format")
    error(http.get(f"/v2/docs/code/{'a' * 501}/widgets"), 400, "invalid_length")


def test_total_pages_is_capped_at_ten(http: httpx.Client) -> None:
    response = http.get("/v2/docs/info/acme/widgets", params={"limit": 1, "type": "json"})
    assert response.json()["pagination"]["totalPages"] == 10
    beyond = http.get("/v2/docs/info/acme/widgets", params={"limit": 1, "page": 10, "type": "json"})
    assert beyond.json()["pagination"] == {
        "page": 10,
        "limit": 1,
        "totalPages": 10,
        "hasNext": False,
        "hasPrev": True,
    }


def test_redirect_body_and_location(http: httpx.Client) -> None:
    response = http.get("/v2/docs/code/acme/old-widgets/v1", params={"topic": "x"})
    body = error(response, 301, "library_redirected")
    assert body["redirectUrl"] == "/acme/widgets"
    assert response.headers["location"] == "/api/v2/docs/code/acme/widgets/v1?topic=x"
    context = http.get("/v2/context", params={"libraryId": "/acme/old-widgets", "query": "q"})
    assert context.status_code == 301
    assert "libraryId=%2Facme%2Fwidgets" in context.headers["location"]


def test_context_default_type_is_txt_as_the_mcp_server_reads_it(http: httpx.Client) -> None:
    response = http.get("/v2/context", params={"libraryId": "/acme/widgets", "query": "route groups"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "### Route groups" in response.text


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"query": "q"}, 400, "invalid_format"),
        ({"libraryId": "acme/widgets", "query": "q"}, 400, "invalid_format"),
        ({"libraryId": "/acme/widgets/a/b", "query": "q"}, 400, "invalid_format"),
        ({"libraryId": "/acme/widgets"}, 400, "invalid_format"),
        ({"libraryId": "/acme/widgets", "query": ""}, 400, "invalid_length"),
        ({"libraryId": "/acme/widgets", "query": "q" * 501}, 400, "invalid_length"),
        ({"libraryId": "/acme/widgets", "query": "q", "type": "html"}, 400, "invalid_type"),
        ({"libraryId": "/acme/widgets", "query": "q", "fast": "maybe"}, 400, "invalid_format"),
        ({"libraryId": "/acme/widgets@v0", "query": "q"}, 404, "tag_not_found"),
        ({"libraryId": "/acme/..", "query": "q"}, 404, "library_not_found"),
    ],
)
def test_context_errors(http: httpx.Client, params: dict[str, str], status: int, code: str) -> None:
    error(http.get("/v2/context", params=params), status, code)


def test_libs_search_requires_both_parameters(http: httpx.Client) -> None:
    error(http.get("/v2/libs/search", params={"query": "q"}), 400, "invalid_format")
    error(http.get("/v2/libs/search", params={"libraryName": "", "query": "q"}), 400, "invalid_length")
    ok = http.get("/v2/libs/search", params={"libraryName": "widgets", "query": "themes"})
    assert ok.json()["searchFilterApplied"] is False


def test_search_without_query_is_empty(http: httpx.Client) -> None:
    assert http.get("/v2/search").json()["results"] == []
    assert http.get("/v2/search", params={"query": ""}).json()["results"] == []


def test_unknown_routes_and_methods_answer_json(http: httpx.Client) -> None:
    error(http.get("/v2/nothing"), 404, "not_found")
    error(http.get("/v2/docs/code/a%2Fb/c/d/e"), 404, "not_found")
    error(http.post("/v2/search"), 405, "method_not_allowed")


HOSTILE = [
    "'; DROP TABLE snippets; --",
    '"unterminated',
    "NEAR(a b) OR * AND NOT ^",
    "\x00\x01\x1b[31m",
    "../../../../etc/passwd",
    "\ud7ff\ufffd\U0001f600 emoji",
    "a" * 500,
    "title:middleware",
    "{}[]()<>|&$`\\",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_breaks_the_server(http: httpx.Client, text: str) -> None:
    responses = [
        http.get("/v2/search", params={"query": text}),
        http.get("/v2/libs/search", params={"libraryName": text, "query": text}),
        http.get("/v2/docs/code/acme/widgets", params={"topic": text, "type": "json"}),
        http.get("/v2/context", params={"libraryId": "/acme/widgets", "query": text, "type": "json"}),
        http.get("/v2/context", params={"libraryId": f"/acme/{text[:400]}", "query": "q"}),
        http.get(f"/v2/docs/info/{quote(text[:400], safe='')}/widgets"),
    ]
    for response in responses:
        assert response.status_code in (200, 400, 404), (response.status_code, response.text)
        assert "Traceback" not in response.text
        if response.status_code != 200:
            assert response.json()["error"]


def test_raw_hostile_paths_and_queries(server_url: str) -> None:
    host = httpx.URL(server_url).netloc.decode()
    with httpx.Client(timeout=10) as raw:
        for target in (
            "/api/v2/docs/code/%ff%fe/widgets",
            "/api/v2/search?query=%ff%00%zz",
            "/api/v2/docs/code/acme/widgets?page=1&page=99&limit=%00",
            "/api/v2/docs/code/acme/widgets/%2e%2e",
            "/api/v2/context?libraryId=%2F%00%2F%00&query=x",
        ):
            request = raw.build_request("GET", f"http://{host}/")
            request.url = request.url.copy_with(raw_path=target.encode())
            response = raw.send(request)
            assert response.status_code < 500, (target, response.text)
            assert "Traceback" not in response.text


def test_api_keys_are_required_when_configured() -> None:
    with LocalServer({"/acme/widgets": WIDGETS}, api_keys=["ctx7sk-local-one", "ctx7sk-local-two"]) as server:
        with httpx.Client(base_url=server.base_url) as http:
            error(http.get("/v2/search", params={"query": "widgets"}), 401, "invalid_api_key")
            wrong = http.get("/v2/search", params={"query": "w"}, headers={"Authorization": "Bearer ctx7sk-nope"})
            body = error(wrong, 401, "invalid_api_key")
            assert "ctx7sk-nope" not in str(body)
            assert http.get("/openapi.json").status_code == 200
        with Context7Client(base_url=server.base_url, api_key="ctx7sk-local-two") as client:
            page = client.get_docs("/acme/widgets", limit=1)
            assert page.authentication == "personal"
        with (
            Context7Client(base_url=server.base_url, api_key="ctx7sk-bad", max_retries=0) as client,
            pytest.raises(AuthenticationError),
        ):
            client.search_library("widgets")


def test_rate_limit_per_key_answers_429_with_headers() -> None:
    with LocalServer({"/acme/widgets": WIDGETS}, rate_limit=RateLimit(3, 86_400), api_keys=["k1", "k2"]) as server:
        with httpx.Client(base_url=server.base_url) as http:
            one = {"Authorization": "Bearer k1"}
            first = http.get("/v2/search", params={"query": "widgets"}, headers=one)
            assert first.headers["ratelimit-limit"] == "3"
            assert first.headers["ratelimit-remaining"] == "2"
            assert int(first.headers["ratelimit-reset"]) > time.time()
            for _ in range(2):
                assert http.get("/v2/search", params={"query": "w"}, headers=one).status_code == 200
            refused = http.get("/v2/search", params={"query": "w"}, headers=one)
            error(refused, 429, "rate_limit_exceeded")
            assert 1 <= int(refused.headers["retry-after"]) <= 86_400
            assert refused.headers["ratelimit-remaining"] == "0"
            other = http.get("/v2/search", params={"query": "w"}, headers={"Authorization": "Bearer k2"})
            assert other.status_code == 200
        with (
            Context7Client(base_url=server.base_url, api_key="k1", max_retries=0) as client,
            pytest.raises(RateLimitError) as info,
        ):
            client.search_library("widgets")
        assert info.value.retry_after is not None and info.value.limit == 3
