"""Property-based tests: library IDs, request URLs, and parsing whatever a server sends.

Deterministic (derandomize) and bounded, so they run in the normal suite.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from context7_kit import Context7Client, Context7Error, InvalidInputError, LibraryId
from context7_kit.core.library_id import MAX_SEGMENT

BASE = "http://127.0.0.1:9/api"
PROPERTY = settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

# -- strategies -------------------------------------------------------------------

HOSTILE = [
    "/",
    "..",
    ".",
    "%2F",
    "%2e%2e",
    "?",
    "#",
    "&",
    "=",
    "@",
    "\\",
    " ",
    "\x00",
    "\n",
    "\u202e",
    "\u2028",
    "é",
    "🚀",
]


def _valid_segment(text: str) -> bool:
    from context7_kit.core.library_id import _has_control

    return (
        bool(text)
        and "/" not in text
        and text not in (".", "..")
        and text == text.strip()
        and not _has_control(text)
        and len(text) <= MAX_SEGMENT
    )


segment = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(_valid_segment)
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=6)),
    min_size=1,
    max_size=8,
).map("".join)


def request_of(call: Callable[[Context7Client], Any]) -> httpx.Request | None:
    """The one request ``call`` sends, or None when the client refused the input first."""
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(404, json={"error": "library_not_found", "message": "no"})

    with Context7Client(base_url=BASE, http_client=httpx.Client(transport=httpx.MockTransport(handler))) as client:
        try:
            call(client)
        except InvalidInputError:
            assert sent == [], "input refused after a request was sent"
            return None
        except Context7Error:
            pass
    assert len(sent) == 1
    return sent[0]


def path_segments(request: httpx.Request) -> list[str]:
    raw = request.url.raw_path.decode("ascii")
    assert "?" not in raw.split("?", 1)[0]
    return raw.split("?", 1)[0].split("/")


# -- library IDs --------------------------------------------------------------------


@PROPERTY
@given(owner=segment, repo=segment, version=st.one_of(st.none(), segment))
def test_a_valid_library_id_round_trips(owner: str, repo: str, version: str | None) -> None:
    text = f"/{owner}/{repo}" + (f"/{version}" if version else "")
    if version is None and "@" in repo and not repo.startswith("@"):
        # '/owner/repo@version' is the other way to pin a version.
        repo, _, version = repo.rpartition("@")
    parsed = LibraryId.parse(text)
    assert (parsed.owner, parsed.repo, parsed.version) == (owner, repo, version)
    assert LibraryId.parse(str(parsed)) == parsed
    assert LibraryId.parse(text.lstrip("/")) == parsed


@PROPERTY
@given(owner=segment, repo=segment.filter(lambda r: "@" not in r), version=segment.filter(lambda v: "@" not in v))
def test_the_at_form_pins_the_same_version(owner: str, repo: str, version: str) -> None:
    assert LibraryId.parse(f"/{owner}/{repo}@{version}") == LibraryId(owner, repo, version)
    assert LibraryId.parse(f"/{owner}/{repo}", version) == LibraryId(owner, repo, version)


@PROPERTY
@given(owner=segment, repo=segment, version=st.one_of(st.none(), segment))
def test_each_id_part_stays_in_its_own_path_segment(owner: str, repo: str, version: str | None) -> None:
    library = LibraryId(owner, repo, version)
    request = request_of(lambda c: c.get_docs(library))  # type: ignore[arg-type]
    assert request is not None
    parts = path_segments(request)
    expected = ["", "api", "v2", "docs", "code", owner, repo] + ([version] if version else [])
    assert len(parts) == len(expected)
    assert [unquote(p) for p in parts] == expected
    assert set(request.url.params) == {"type", "page", "limit"}
    assert request.url.fragment == ""


@PROPERTY
@given(text=hostile_text)
def test_a_hostile_library_id_is_refused_or_kept_inside_its_segments(text: str) -> None:
    request = request_of(lambda c: c.get_docs(text))
    try:
        library = LibraryId.parse(text)
    except InvalidInputError:
        assert request is None
        return
    assert request is not None
    parts = path_segments(request)
    assert parts[:5] == ["", "api", "v2", "docs", "code"]
    assert [unquote(p) for p in parts[5:]] == [library.owner, library.repo] + (
        [library.version] if library.version else []
    )
    assert set(request.url.params) == {"type", "page", "limit"}, "nothing leaked into the query"
    assert request.url.fragment == ""


@PROPERTY
@given(text=hostile_text, topic=hostile_text)
def test_hostile_context_ids_and_topics_stay_inside_their_parameters(text: str, topic: str) -> None:
    request = request_of(lambda c: c.get_context(text, topic))
    if request is None:
        return
    assert path_segments(request) == ["", "api", "v2", "context"]
    assert set(request.url.params) == {"libraryId", "query", "type"}
    assert request.url.params["query"] == topic.strip()
    assert request.url.params["libraryId"] == str(LibraryId.parse(text))


@PROPERTY
@given(topic=hostile_text)
def test_a_hostile_topic_stays_inside_its_parameter(topic: str) -> None:
    request = request_of(lambda c: c.get_docs("/acme/widgets", topic=topic))
    if request is None:
        return
    assert path_segments(request) == ["", "api", "v2", "docs", "code", "acme", "widgets"]
    if topic.strip():
        assert request.url.params["topic"] == topic.strip()
    assert set(request.url.params) <= {"type", "page", "limit", "topic"}


@FEW
@given(value=st.one_of(st.none(), st.integers(), st.floats(), st.binary(max_size=10), st.lists(st.text(max_size=3))))
def test_a_library_id_of_the_wrong_type_is_an_input_error(value: object) -> None:
    with pytest.raises(InvalidInputError):
        LibraryId.parse(value)  # type: ignore[arg-type]


# -- whatever the server answers ------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
# Bodies that look like the API's: the right keys with arbitrary values, so parsing gets deep.
SNIPPET_KEYS = ["codeTitle", "codeList", "codeTokens", "content", "contentTokens", "pageId", "breadcrumb", "codeId"]
wire_like = st.fixed_dictionaries(
    {},
    optional={
        "snippets": st.lists(st.dictionaries(st.sampled_from(SNIPPET_KEYS), json_values, max_size=5), max_size=3),
        "pagination": st.one_of(
            json_values, st.dictionaries(st.sampled_from(["page", "hasNext", "totalPages"]), json_values)
        ),
        "totalTokens": json_values,
        "results": st.lists(
            st.dictionaries(st.sampled_from(["id", "title", "versions", "stars"]), json_values), max_size=3
        ),
        "codeSnippets": json_values,
        "infoSnippets": json_values,
        "rules": json_values,
        "error": json_values,
        "message": json_values,
        "redirectUrl": st.one_of(
            json_values,
            st.sampled_from(["http://", "https://", "/api/v2/docs/code"]).flatmap(
                lambda prefix: st.text(max_size=20).map(lambda rest: prefix + rest)
            ),
        ),
    },
)
bodies = st.one_of(
    json_values.map(lambda v: json.dumps(v).encode()),
    wire_like.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=200),
)
header_text = st.text(alphabet=string.printable.strip() + " ", max_size=30)
headers = st.dictionaries(
    st.sampled_from(
        [
            "retry-after",
            "ratelimit-limit",
            "ratelimit-remaining",
            "ratelimit-reset",
            "location",
            "x-context7-page",
            "x-context7-total-pages",
            "x-context7-has-next",
            "x-context7-total-tokens",
        ]
    ),
    st.one_of(header_text, st.sampled_from(["1e999", "inf", "nan", "-1", "Mon, 01 Jan 99999 00:00:00 GMT", "0x10"])),
    max_size=4,
)
statuses = st.one_of(
    st.just(200), st.sampled_from([202, 301, 302, 400, 401, 404, 422, 429, 500, 503]), st.integers(200, 599)
)

CALLS: dict[str, Callable[[Context7Client], object]] = {
    "get_docs": lambda c: c.get_docs("/acme/widgets", topic="x"),
    "get_docs_text": lambda c: c.get_docs_text("/acme/widgets"),
    "search_library": lambda c: c.search_library("widgets"),
    "get_context": lambda c: c.get_context("/acme/widgets", "how?"),
    "iter_docs": lambda c: list(c.iter_docs("/acme/widgets", max_pages=2)),
}


@PROPERTY
@given(status=statuses, body=bodies, extra=headers, method=st.sampled_from(list(CALLS)))
def test_any_answer_is_a_result_or_a_context7_error(
    status: int, body: bytes, extra: dict[str, str], method: str
) -> None:
    def handler(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers=extra)

    client = Context7Client(
        base_url=BASE, max_retries=1, http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    client._sleep = lambda _s: None
    with client:
        try:
            CALLS[method](client)
        except Context7Error as error:
            assert str(error)
            assert type(error).__module__.startswith("context7_kit.")
        # Anything else (JSONDecodeError, ValidationError, KeyError, TypeError, httpx errors...)
        # propagates and fails the test.
