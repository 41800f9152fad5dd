"""Server profiles (full, live, onprem), the 2026 Search API on /v2/search and the 2026 answer headers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from context7_kit.server import LocalServer, RateLimit
from context7_kit.server.cli import ConfigError, resolve_config
from tests.docs_server import fixture_libraries
from tests.server.conftest import FIXTURE_DOCS, WIDGETS
from tests.server.test_cli import parse

QUOTA_HEADERS = ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "context7-quota-tier", "x-request-id")


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, httpx.Client]]:
    """One client per profile, each on its own server over the fixture docs."""
    libraries = fixture_libraries(FIXTURE_DOCS)
    clients: dict[str, httpx.Client] = {}
    started: list[LocalServer] = []
    try:
        for profile in ("full", "live", "onprem"):
            server = LocalServer(libraries, aliases={"/acme/old-widgets": "/acme/widgets"}, profile=profile).start()
            started.append(server)
            clients[profile] = httpx.Client(base_url=server.base_url, timeout=10)
        yield clients
    finally:
        for client in clients.values():
            client.close()
        for server in started:
            server.stop()


def test_full_search_answers_both_meanings_at_once(servers: dict[str, httpx.Client]) -> None:
    response = servers["full"].get("/v2/search", params={"query": "widgets"})
    assert response.headers["content-type"].startswith("application/json")  # the older clients send no type
    body = response.json()
    assert body["results"][0]["id"] == "/acme/widgets"  # Surface A: libraries
    assert body["codeSnippets"] and body["infoSnippets"]  # the Search API: snippets
    assert {s["libraryId"] for s in body["codeSnippets"] + body["infoSnippets"]} <= {"/acme/widgets", "/acme/gadgets"}
    assert body["rules"]["global"] == []
    assert {r["libraryId"] for r in body["rules"]["libraries"]} == {"/acme/widgets", "/acme/gadgets"}


def test_search_api_filters_by_library_version_and_language(servers: dict[str, httpx.Client]) -> None:
    for profile in ("full", "live"):
        body = (
            servers[profile]
            .get(
                "/v2/search",
                params={"query": "create a widget", "library": "/acme/widgets", "language": "python", "type": "json"},
            )
            .json()
        )
        assert body["codeSnippets"], profile
        for snippet in body["codeSnippets"]:
            assert snippet["libraryId"] == "/acme/widgets"
            languages = {snippet["codeLanguage"].lower(), *(b["language"].lower() for b in snippet["codeList"])}
            assert "python" in languages
        assert all(s["libraryId"] == "/acme/widgets" for s in body["infoSnippets"])
        rules = body["rules"]["libraries"]
        assert [r["libraryId"] for r in rules] == ["/acme/widgets"]
        assert rules[0]["libraryOwn"]  # the fixture's context7.json has rules
    # An alias is followed; the same library twice is searched once.
    body = (
        servers["live"]
        .get(
            "/v2/search",
            params=[
                ("query", "widget"),
                ("library", "/acme/old-widgets"),
                ("library", "/acme/widgets"),
                ("type", "json"),
            ],
        )
        .json()
    )
    assert [r["libraryId"] for r in body["rules"]["libraries"]] == ["/acme/widgets"]
    assert {s["libraryId"] for s in body["codeSnippets"]} == {"/acme/widgets"}


def test_search_api_takes_library_names_as_the_vendor_clients_send_them(servers: dict[str, httpx.Client]) -> None:
    # The vendor's spec and SDK: each `library` "may be a fuzzy product name such as `next.js` or an exact ID".
    for profile in ("full", "live", "onprem"):
        response = servers[profile].get(
            "/v2/search", params=[("query", "create a widget"), ("library", "widgets"), ("type", "json")]
        )
        assert response.status_code == 200, (profile, response.text)
        body = response.json()
        assert body["codeSnippets"], profile
        assert {s["libraryId"] for s in body["codeSnippets"] + body["infoSnippets"]} == {"/acme/widgets"}
    versioned = servers["live"].get("/v2/search", params={"query": "x", "library": "widgets", "version": "v9"})
    assert versioned.status_code == 404 and versioned.json()["error"] == "tag_not_found"
    # With several libraries the version is contextual: one that lacks it is searched unversioned.
    several = servers["live"].get(
        "/v2/search",
        params=[("query", "create a widget"), ("library", "widgets"), ("library", "/acme/gadgets"), ("version", "v9")],
    )
    assert several.status_code == 200, several.text
    assert "### " in several.text


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ([("query", "x"), *[("library", f"/acme/lib{i}") for i in range(5)]], 400, "validation_error"),
        ([("query", "x"), ("version", "v1")], 400, "validation_error"),
        ([("query", "x"), ("library", "no-such-library")], 404, "no_documentation_found"),
        ([("query", "x"), ("library", "w" * 121)], 400, "validation_error"),
        ([("query", "x"), ("library", "/acme")], 400, "invalid_library_id"),
        ([("query", "x"), ("library", "/acme/nothing")], 404, "library_not_found"),
        ([("query", "x"), ("library", "/acme/widgets"), ("version", "v9")], 404, "tag_not_found"),
        ([("query", "x"), ("type", "xml")], 400, "invalid_type"),
    ],
)
def test_search_api_errors(
    servers: dict[str, httpx.Client], params: list[tuple[str, str]], status: int, code: str
) -> None:
    response = servers["full"].get("/v2/search", params=params)
    assert response.status_code == status, response.text
    assert response.json()["error"] == code


def test_live_profile_answers_like_context7_today(servers: dict[str, httpx.Client]) -> None:
    live = servers["live"]
    gone = live.get("/v2/docs/code/acme/widgets", params={"type": "json"})
    assert gone.status_code == 404
    assert gone.headers["content-type"].startswith("text/html")  # a web app's unknown page, not a Context7 error
    text = live.get("/v2/search", params={"query": "install widgets"})
    assert text.headers["content-type"].startswith("text/plain")  # txt by default
    assert "### " in text.text
    body = live.get("/v2/search", params={"query": "install widgets", "type": "json"}).json()
    assert "results" not in body and body["codeSnippets"]
    missing = live.get("/v2/search")
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_format"
    context = live.get("/v2/context", params={"libraryId": "/acme/widgets", "query": "install"})
    assert context.headers["content-type"].startswith("text/plain")
    assert live.get("/v2/context", params={"libraryId": "/acme/widgets", "query": "install", "type": "json"}).json()[
        "codeSnippets"
    ]


def test_full_profile_keeps_surface_a_and_json_404s(servers: dict[str, httpx.Client]) -> None:
    full = servers["full"]
    assert full.get("/v2/docs/code/acme/widgets", params={"type": "json"}).json()["snippets"]
    unknown = full.get("/v2/nothing")
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"


def test_onprem_profile_is_text_only_with_message_less_errors(servers: dict[str, httpx.Client]) -> None:
    onprem = servers["onprem"]
    answer = onprem.get("/v2/context", params={"libraryId": "/acme/widgets", "query": "install", "type": "json"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    assert "### " in answer.text
    for params in ({"query": "install"}, {"libraryId": "/acme/nothing", "query": "install"}):
        error = onprem.get("/v2/context", params=params)
        assert error.status_code in (400, 404)
        body = error.json()
        assert list(body) == ["error"] and body["error"]  # a readable text, no message, no code
        assert " " in body["error"]
    assert onprem.get("/v2/docs/info/acme/widgets").headers["content-type"].startswith("text/html")


def test_libs_search_ranks_by_name_alone_and_reports_scores(servers: dict[str, httpx.Client]) -> None:
    for profile in ("full", "live"):
        response = servers[profile].get("/v2/libs/search", params={"libraryName": "widgets"})
        assert response.status_code == 200, response.text
        first = response.json()["results"][0]
        assert first["id"] == "/acme/widgets"
        assert first["trustScore"] == 7.0 and first["benchmarkScore"] == 50.0


def test_not_found_points_at_library_search(servers: dict[str, httpx.Client]) -> None:
    body = servers["full"].get("/v2/context", params={"libraryId": "/acme/nothing", "query": "x"}).json()
    assert "/v2/libs/search" in body["message"]
    assert "/v2/search" not in body["message"].replace("/v2/libs/search", "")


@pytest.mark.parametrize("profile", ["full", "live", "onprem"])
def test_every_answer_carries_the_quota_headers(servers: dict[str, httpx.Client], profile: str) -> None:
    client = servers[profile]
    answers = [
        client.get("/v2/libs/search", params={"libraryName": "widgets"}),
        client.get("/v2/context", params={"libraryId": "/acme/widgets", "query": "install"}),
        client.get("/v2/context", params={"libraryId": "bad"}),
        client.get("/v2/search", params={"query": "widgets"}),
        client.get("/v2/no-such-route"),
        client.get("/openapi.json"),
    ]
    ids = set()
    for answer in answers:
        for name in QUOTA_HEADERS:
            assert answer.headers.get(name), (profile, answer.request.url, name)
        assert answer.headers["ratelimit-remaining"] == "unlimited"
        assert int(answer.headers["ratelimit-reset"]) > time.time()
        assert answer.headers["context7-quota-tier"] == "anonymous"
        ids.add(answer.headers["x-request-id"])
    assert len(ids) == len(answers)  # one id per request
    echoed = client.get("/v2/libs/search", params={"libraryName": "w"}, headers={"x-request-id": "trace-42"})
    assert echoed.headers["x-request-id"] == "trace-42"
    hostile = client.get("/v2/libs/search", params={"libraryName": "w"}, headers={"x-request-id": "a\tb" * 100})
    assert hostile.headers["x-request-id"] != "a\tb" * 100


def test_rate_limited_answers_count_down() -> None:
    server = LocalServer({"/acme/widgets": WIDGETS}, rate_limit=RateLimit(3, 86_400), api_keys=["ctx7sk-team"])
    with server, httpx.Client(base_url=server.base_url, headers={"Authorization": "Bearer ctx7sk-team"}) as client:
        seen = [client.get("/v2/libs/search", params={"libraryName": "widgets"}) for _ in range(4)]
        unrouted = client.get("/v2/no-such-route")  # not counted, but it shows the caller's window
    assert [r.headers["ratelimit-remaining"] for r in seen] == ["2", "1", "0", "0"]
    assert unrouted.headers["ratelimit-limit"] == "3" and unrouted.headers["ratelimit-remaining"] == "0"
    assert {r.headers["ratelimit-limit"] for r in seen} == {"3"}
    assert seen[-1].status_code == 429 and seen[-1].headers["retry-after"]
    assert {r.headers["context7-quota-tier"] for r in seen} == {"personal"}


def test_scores_are_configurable_per_library(tmp_path: Path) -> None:
    config = tmp_path / "server.toml"
    config.write_text(
        f'profile = "live"\n[[libraries]]\nid = "/acme/widgets"\npath = "{WIDGETS}"\n'
        "trust_score = 9\nbenchmark_score = 88\n"
    )
    settings = resolve_config(parse("serve", "--config", str(config)))
    assert settings.profile == "live"
    assert (settings.libraries[0].trust_score, settings.libraries[0].benchmark_score) == (9.0, 88.0)
    flags = resolve_config(
        parse(
            "serve", "--library", f"/acme/widgets={WIDGETS}", "--trust-score", "/acme/widgets=3", "--profile", "onprem"
        )
    )
    assert flags.libraries[0].trust_score == 3.0 and flags.profile == "onprem"
    for bad in ("/acme/widgets=11", "/acme/widgets=nan", "/acme/other=5", "widgets"):
        with pytest.raises(ConfigError, match="--trust-score"):
            resolve_config(parse("serve", "--library", f"/acme/widgets={WIDGETS}", "--trust-score", bad))
    config.write_text(f'[[libraries]]\nid = "/acme/widgets"\npath = "{WIDGETS}"\nbenchmark_score = 101\n')
    with pytest.raises(ConfigError, match="benchmark_score"):
        resolve_config(parse("serve", "--config", str(config)))


@pytest.mark.parametrize("profile", ["full", "live", "onprem"])
def test_v3_search_is_the_search_api_in_every_profile(servers: dict[str, httpx.Client], profile: str) -> None:
    # Where the vendor's current OpenAPI document puts the Search API (its SDK still sends /v2/search).
    server = servers[profile]
    text = server.get("/v3/search", params={"query": "install widgets", "library": "widgets"})
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/plain")  # txt by default
    body = server.get("/v3/search", params={"query": "install widgets", "library": "widgets", "type": "json"}).json()
    assert "results" not in body  # never the older library search, even in full
    assert body["codeSnippets"] and {s["libraryId"] for s in body["codeSnippets"]} == {"/acme/widgets"}
    assert server.get("/v3/search").status_code == 400


def test_client_search_docs_makes_one_call_on_our_server() -> None:
    from context7_kit import Context7Client

    with LocalServer(fixture_libraries(FIXTURE_DOCS), profile="live") as server:
        seen: list[str] = []
        http = httpx.Client(event_hooks={"request": [lambda request: seen.append(request.url.path)]})
        with http, Context7Client(base_url=server.base_url, http_client=http) as client:
            found = client.search_docs("How do I install widgets?", libraries=["widgets"])
    assert found.code_snippets
    assert seen == ["/api/v3/search"]
