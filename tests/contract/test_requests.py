"""Every request the client builds obeys the vendor's parameter rules (tests/contract/spec.py).

Hypothesis drives each public method with inputs the client accepts; each
request it sends is checked against its route's rules (names, required,
lengths, patterns, enums, repetition). Inputs the spec forbids must be
refused before any request is sent (a refused request still costs quota).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from context7_kit import Context7Client, InvalidInputError
from tests.contract import spec

BASE_URL = "https://context7.test/api"


def answer(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path.endswith("/v2/libs/search") or (path.endswith("/v2/search") and "type" not in request.url.params):
        return httpx.Response(200, json={"results": [], "searchFilterApplied": False})
    if "/v2/docs/" in path and request.url.params.get("type") == "txt":
        return httpx.Response(200, text="### A\n\ntext", headers={"content-type": "text/plain"})
    if "/v2/docs/" in path:
        return httpx.Response(200, json={"snippets": [], "pagination": {"page": 1, "totalPages": 1}})
    return httpx.Response(200, json={"codeSnippets": [], "infoSnippets": []})


class Recorder:
    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return answer(request)


def sent(call: Callable[[Context7Client], Any]) -> list[httpx.Request]:
    """The requests ``call`` makes, or [] when the client refused the input."""
    recorder = Recorder()
    with Context7Client(base_url=BASE_URL, http_client=httpx.Client(transport=httpx.MockTransport(recorder))) as c:
        try:
            call(c)
        except InvalidInputError:
            assert recorder.requests == []
    return recorder.requests


def route_of(request: httpx.Request) -> spec.Route:
    path = request.url.path.removeprefix("/api")
    if path == "/v2/search":
        return spec.SEARCH_API if "type" in request.url.params else spec.LEGACY_SEARCH
    for route in spec.ROUTES:
        if re.fullmatch(route.path, path):
            return route
    raise AssertionError(f"{path} is not a route of the vendor's documents")


def check(requests: list[httpx.Request]) -> None:
    for request in requests:
        route = route_of(request)
        assert route.problems(list(request.url.params.multi_items())) == [], request.url
        if route.path_segment_max is not None:
            # As sent (percent-encoded), so a "/" or "#" inside a segment stays in it.
            segments = request.url.raw_path.decode("ascii").split("?")[0].split("/")[5:]  # after /api/v2/docs/{mode}/
            assert all(1 <= len(httpx.URL("/" + s).path) - 1 <= route.path_segment_max for s in segments)


# Text a user may type, including what the API counts as too long or too odd.
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=520)
_SEGMENT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=260)
_VERSIONISH = st.one_of(st.from_regex(spec.SEARCH_VERSION_PATTERN, fullmatch=True), _TEXT)

COMMON = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(query=_TEXT, name=st.one_of(st.none(), _TEXT), fast=st.sampled_from([None, True, False]))
def test_library_search_requests_follow_the_spec(query: str, name: str | None, fast: bool | None) -> None:
    requests = sent(lambda c: c.search_library(query, name, fast=fast))
    check(requests)
    if requests:
        assert route_of(requests[0]) is spec.LIBS_SEARCH


@COMMON
@given(
    owner=_SEGMENT,
    repo=_SEGMENT,
    version=st.one_of(st.none(), _SEGMENT),
    query=_TEXT,
    fast=st.sampled_from([None, True, False]),
)
def test_context_requests_follow_the_spec(
    owner: str, repo: str, version: str | None, query: str, fast: bool | None
) -> None:
    check(sent(lambda c: c.get_context(f"/{owner}/{repo}", query, version=version, fast=fast)))


@COMMON
@given(
    query=_TEXT,
    libraries=st.one_of(st.none(), _TEXT, st.lists(_TEXT, max_size=6)),
    version=st.one_of(st.none(), _VERSIONISH),
    language=st.one_of(st.none(), _TEXT),
)
def test_search_api_requests_follow_the_spec(
    query: str, libraries: str | list[str] | None, version: str | None, language: str | None
) -> None:
    requests = sent(lambda c: c.search_docs(query, libraries=libraries, version=version, language=language))
    check(requests)
    if requests:
        assert requests[0].url.params["type"] == "json"


@COMMON
@given(
    owner=_SEGMENT,
    repo=_SEGMENT,
    topic=st.one_of(st.none(), _TEXT),
    mode=st.sampled_from(["code", "info"]),
    page=st.integers(-1, 12),
    limit=st.integers(-1, 12),
    text=st.booleans(),
)
def test_surface_a_docs_requests_follow_the_spec(
    owner: str, repo: str, topic: str | None, mode: str, page: int, limit: int, text: bool
) -> None:
    assume(owner.strip() and repo.strip())
    method = "get_docs_text" if text else "get_docs"
    check(sent(lambda c: getattr(c, method)(f"/{owner}/{repo}", topic=topic, mode=mode, page=page, limit=limit)))


@COMMON
@given(query=_TEXT)
def test_legacy_library_search_requests_follow_the_spec(query: str) -> None:
    check(sent(lambda c: c.search_library_legacy(query)))


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.get_context("/" + "o" * 300 + "/" + "r" * 300, "q"),  # libraryId over 500 characters
        lambda c: c.search_docs("q", libraries=["a", "b", "c", "d", "e"]),
        lambda c: c.search_docs("q", version="15.2"),
        lambda c: c.search_docs(
            "q", libraries="next.js", version="\u0661\u0665.\u0662"
        ),  # Arabic-Indic digits, not ASCII ones
        lambda c: c.search_library("q" * 501),
        lambda c: c.search_library("   "),
    ],
)
def test_what_the_spec_forbids_is_refused_before_sending(call: Callable[[Context7Client], Any]) -> None:
    recorder = Recorder()
    with (
        Context7Client(base_url=BASE_URL, http_client=httpx.Client(transport=httpx.MockTransport(recorder))) as c,
        pytest.raises(InvalidInputError),
    ):
        call(c)
    assert recorder.requests == []


def test_every_parameter_of_the_routes_is_sent_somewhere() -> None:
    """The client reaches every parameter the spec gives its routes (none is silently unsupported)."""
    requests = [
        *sent(lambda c: c.search_library("how to route", "next.js", fast=True)),
        *sent(lambda c: c.get_context("/vercel/next.js@v15.1.8", "how to route", fast=True)),
        *sent(lambda c: c.search_docs("q", libraries=["next.js", "react"], version="15.2", language="TypeScript")),
        *sent(lambda c: c.get_docs_text("/vercel/next.js/v15.1.8", topic="routing", mode="info", page=2, limit=3)),
        *sent(lambda c: c.search_library_legacy("next.js")),
    ]
    check(requests)
    for route in (*spec.ROUTES, spec.LEGACY_SEARCH):
        names = {name for r in requests if route_of(r) is route for name, _ in r.url.params.multi_items()}
        assert names == {p.name for p in route.params}, route.name
