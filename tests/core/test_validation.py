"""Input checks: rejected before any request, with a message that shows a valid form."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from context7_kit import Context7Error, InvalidInputError, LibraryId
from tests.core.conftest import Harness, docs_body

ID_EXAMPLE = "/vercel/next.js"

# (method, args, kwargs, what the message must name, the valid example it must show)
BAD_INPUT: dict[str, tuple[str, tuple[Any, ...], dict[str, Any], str, str]] = {
    "id-empty": ("get_docs", ("",), {}, "empty", ID_EXAMPLE),
    "id-blank": ("get_docs", ("   ",), {}, "empty", ID_EXAMPLE),
    "id-slash-only": ("get_docs", ("/",), {}, "owner", ID_EXAMPLE),
    "id-owner-only": ("get_docs", ("/vercel",), {}, "owner and a repo", ID_EXAMPLE),
    "id-empty-owner": ("get_docs", ("//next.js",), {}, "owner is empty", ID_EXAMPLE),
    "id-empty-repo": ("get_docs", ("/vercel//v1",), {}, "repo is empty", ID_EXAMPLE),
    "id-trailing-slash": ("get_docs", ("/vercel/next.js/",), {}, "version is empty", ID_EXAMPLE),
    "id-empty-at-version": ("get_docs", ("/vercel/next.js@",), {}, "version is empty", ID_EXAMPLE),
    "id-too-many-segments": ("get_docs", ("/a/b/c/d",), {}, "too many", ID_EXAMPLE),
    "id-dot-owner": ("get_docs", ("/./next.js",), {}, "'.' or '..'", ID_EXAMPLE),
    "id-dotdot-repo": ("get_docs", ("/vercel/..",), {}, "'.' or '..'", ID_EXAMPLE),
    "id-dotdot-version": ("get_docs", ("/vercel/next.js/..",), {}, "'.' or '..'", ID_EXAMPLE),
    "id-nul": ("get_docs", ("/vercel/next\x00js",), {}, "control characters", ID_EXAMPLE),
    "id-newline": ("get_docs", ("/vercel/next.js\n/v1",), {}, "control characters", ID_EXAMPLE),
    "id-escape": ("get_docs", ("/vercel/\x1b[31mnext",), {}, "control characters", ID_EXAMPLE),
    "id-zero-width": ("get_docs", ("/ver\u200bcel/next.js",), {}, "control characters", ID_EXAMPLE),
    "id-long-owner": ("get_docs", ("/" + "o" * 501 + "/repo",), {}, "longer than 500", ID_EXAMPLE),
    "id-long-version": ("get_docs", ("/vercel/next.js/" + "v" * 501,), {}, "longer than 500", ID_EXAMPLE),
    "id-not-a-string": ("get_docs", (None,), {}, "string", ID_EXAMPLE),
    "id-int": ("get_docs", (42,), {}, "string", ID_EXAMPLE),
    "version-contradicts-id": ("get_docs", ("/vercel/next.js/v14",), {"version": "v15"}, "v14", "v15"),
    "version-contradicts-at-id": ("get_docs", ("/vercel/next.js@v14",), {"version": "v15"}, "pins version", "v15"),
    "version-empty": ("get_docs", ("/vercel/next.js",), {"version": ""}, "version", "v15.1.8"),
    "version-dotdot": ("get_docs", ("/vercel/next.js",), {"version": ".."}, "'.' or '..'", ID_EXAMPLE),
    "version-control": ("get_docs", ("/vercel/next.js",), {"version": "v1\r"}, "control", ID_EXAMPLE),
    "version-slash": ("get_docs", ("/vercel/next.js",), {"version": "v1/"}, "may not contain '/'", "v15.1.8"),
    "context-version-slash": ("get_context", ("/vercel/next.js", "how?"), {"version": "/"}, "'/'", "v15.1.8"),
    "page-zero": ("get_docs", ("/vercel/next.js",), {"page": 0}, "between 1 and 10", "page=1"),
    "page-eleven": ("get_docs", ("/vercel/next.js",), {"page": 11}, "between 1 and 10", "page=1"),
    "page-negative": ("get_docs", ("/vercel/next.js",), {"page": -1}, "between 1 and 10", "page=1"),
    "page-bool": ("get_docs", ("/vercel/next.js",), {"page": True}, "integer", "page=1"),
    "page-str": ("get_docs", ("/vercel/next.js",), {"page": "2"}, "integer", "page=1"),
    "page-float": ("get_docs", ("/vercel/next.js",), {"page": 2.0}, "integer", "page=1"),
    "limit-zero": ("get_docs", ("/vercel/next.js",), {"limit": 0}, "between 1 and 10", "limit="),
    "limit-eleven": ("get_docs", ("/vercel/next.js",), {"limit": 11}, "between 1 and 10", "limit="),
    "limit-bool": ("get_docs", ("/vercel/next.js",), {"limit": False}, "integer", "limit="),
    "limit-none": ("get_docs", ("/vercel/next.js",), {"limit": None}, "integer", "limit="),
    "text-page-eleven": ("get_docs_text", ("/vercel/next.js",), {"page": 11}, "between 1 and 10", "page=1"),
    "text-bad-id": ("get_docs_text", ("vercel",), {}, "owner and a repo", ID_EXAMPLE),
    "topic-too-long": ("get_docs", ("/vercel/next.js",), {"topic": "t" * 501}, "at most 500", "topic="),
    "topic-control": ("get_docs", ("/vercel/next.js",), {"topic": "rout\x07ing"}, "control characters", "topic="),
    "topic-not-str": ("get_docs", ("/vercel/next.js",), {"topic": 5}, "string", "topic="),
    "mode-unknown": ("get_docs", ("/vercel/next.js",), {"mode": "docs"}, "mode", "'code' or 'info'"),
    "search-empty": ("search_library", ("",), {}, "empty", "query="),
    "search-blank": ("search_library", ("  \t",), {}, "empty", "query="),
    "search-none": ("search_library", (None,), {}, "required", "query="),
    "search-too-long": ("search_library", ("q" * 501,), {}, "at most 500", "query="),
    "search-empty-name": ("search_library", ("routing",), {"library_name": ""}, "empty", "library_name="),
    "search-long-name": ("search_library", ("routing",), {"library_name": "n" * 501}, "at most 500", "library_name="),
    "context-empty-query": ("get_context", ("/vercel/next.js", ""), {}, "empty", "query="),
    "context-long-query": ("get_context", ("/vercel/next.js", "q" * 501), {}, "at most 500", "query="),
    "context-bad-id": ("get_context", ("next.js", "routing"), {}, "owner and a repo", ID_EXAMPLE),
    "context-version-clash": ("get_context", ("/vercel/next.js@v1", "q"), {"version": "v2"}, "pins", "v2"),
}


@pytest.mark.parametrize(("method", "args", "kwargs", "problem", "example"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
async def test_bad_input_is_rejected_before_any_request(
    c7: Harness, method: str, args: tuple[Any, ...], kwargs: dict[str, Any], problem: str, example: str
) -> None:
    with pytest.raises(InvalidInputError) as info:
        await c7.call(method, *args, **kwargs)

    assert isinstance(info.value, Context7Error)
    assert isinstance(info.value, ValueError)
    assert problem in info.value.message
    assert example in info.value.message, f"no valid example shown: {info.value.message}"
    assert c7.requests == []


BAD_ITERATION: dict[str, tuple[dict[str, Any], str, str]] = {
    "bad-id": ({"library_id": "/vercel"}, "owner and a repo", ID_EXAMPLE),
    "max-pages-zero": ({"max_pages": 0}, "max_pages", "max_pages="),
    "max-pages-bool": ({"max_pages": True}, "max_pages", "max_pages="),
    "max-tokens-zero": ({"max_tokens": 0}, "max_tokens", "max_tokens="),
    "max-tokens-str": ({"max_tokens": "100"}, "max_tokens", "max_tokens="),
    "limit-eleven": ({"limit": 11}, "between 1 and 10", "limit="),
    "topic-too-long": ({"topic": "x" * 501}, "at most 500", "topic="),
    "version-clash": ({"library_id": "/vercel/next.js/v1", "version": "v2"}, "pins", "v2"),
}


@pytest.mark.parametrize(("kwargs", "problem", "example"), BAD_ITERATION.values(), ids=BAD_ITERATION.keys())
async def test_iter_docs_rejects_bad_input_when_called_not_when_read(
    c7: Harness, kwargs: dict[str, Any], problem: str, example: str
) -> None:
    kwargs = {"library_id": "/vercel/next.js", **kwargs}

    with pytest.raises(InvalidInputError) as info:
        c7.client.iter_docs(**kwargs)  # not iterated: the check happens at the call

    assert problem in info.value.message
    assert example in info.value.message, f"no valid example shown: {info.value.message}"
    assert c7.requests == []


ACCEPTED_IDS = {
    "slash-owner-repo": ("/acme/widgets", None, None, "acme/widgets"),
    "owner-repo": ("acme/widgets", None, None, "acme/widgets"),
    "surrounding-space": ("  /acme/widgets  ", None, None, "acme/widgets"),
    "slash-version": ("/acme/widgets/v1.0.0", None, "v1.0.0", "acme/widgets/v1.0.0"),
    "at-version": ("/acme/widgets@v1.0.0", None, "v1.0.0", "acme/widgets/v1.0.0"),
    "no-slash-at-version": ("acme/widgets@v1.0.0", None, "v1.0.0", "acme/widgets/v1.0.0"),
    "version-argument": ("/acme/widgets", "v2.0.0", "v2.0.0", "acme/widgets/v2.0.0"),
    "agreeing-version": ("/acme/widgets/v2.0.0", "v2.0.0", "v2.0.0", "acme/widgets/v2.0.0"),
}


@pytest.mark.parametrize(("given", "version", "served_version", "path"), ACCEPTED_IDS.values(), ids=ACCEPTED_IDS.keys())
async def test_accepted_library_id_forms(
    c7: Harness, given: str, version: str | None, served_version: str | None, path: str
) -> None:
    page = await c7.call("get_docs", given, version=version)

    assert page.library_id == "/acme/widgets"
    assert page.requested_library_id == "/acme/widgets"
    assert page.version == served_version
    assert c7.requests[0].url.raw_path.decode().split("?")[0] == f"/api/v2/docs/code/{path}"


@pytest.mark.parametrize(
    ("given", "expected_path"),
    [
        ("/vercel/next.js", "vercel/next.js"),
        ("/my org/my repo", "my%20org/my%20repo"),
        ("/acme/100%", "acme/100%25"),
        ("/acme/what?x=1", "acme/what%3Fx%3D1"),
        ("/acme/frag#ment", "acme/frag%23ment"),
        ("/acme/widgets/v1 beta", "acme/widgets/v1%20beta"),
        ("/acme/caf\u00e9", "acme/caf%C3%A9"),
        ("/websites/uploadcare", "websites/uploadcare"),
    ],
)
async def test_path_segments_are_percent_encoded(c7: Harness, given: str, expected_path: str) -> None:
    c7.api.failures.append(httpx.Response(200, json=docs_body()))

    await c7.call("get_docs", given, mode="info")

    raw = c7.requests[0].url.raw_path.decode()
    assert raw.split("?")[0] == f"/api/v2/docs/info/{expected_path}"
    assert c7.requests[0].url.params["type"] == "json"


async def test_query_parameters_are_sent_as_documented(c7: Harness) -> None:
    await c7.call("get_docs", "/acme/widgets", topic="  routing & middleware?  ", page=2, limit=5)

    params = c7.requests[0].url.params
    assert dict(params) == {"type": "json", "page": "2", "limit": "5", "topic": "routing & middleware?"}


async def test_library_search_always_goes_to_libs_search(c7: Harness) -> None:
    await c7.call("search_library", "widgets")
    await c7.call("search_library", "how to render", library_name="widgets")
    await c7.call("search_library", "widgets", fast=True)

    first, second, third = c7.requests
    assert first.url.path == second.url.path == third.url.path == "/api/v2/libs/search"
    assert dict(first.url.params) == {"libraryName": "widgets", "query": "widgets"}
    assert dict(second.url.params) == {"libraryName": "widgets", "query": "how to render"}
    assert dict(third.url.params) == {"libraryName": "widgets", "query": "widgets", "fast": "true"}


async def test_surface_a_library_search_stays_reachable_by_its_own_name(c7: Harness) -> None:
    libraries = await c7.call("search_library_legacy", "widgets")

    assert c7.requests[0].url.path == "/api/v2/search"
    assert dict(c7.requests[0].url.params) == {"query": "widgets"}
    assert [lib.id for lib in libraries] == ["/acme/widgets"]


@pytest.mark.parametrize(
    ("given", "version", "sent", "served_version"),
    [
        ("/acme/widgets", None, "/acme/widgets", None),
        ("/acme/widgets@v1.0.0", None, "/acme/widgets/v1.0.0", "v1.0.0"),
        ("acme/widgets", "v1.0.0", "/acme/widgets/v1.0.0", "v1.0.0"),
    ],
)
async def test_get_context_sends_the_full_library_id(
    c7: Harness, given: str, version: str | None, sent: str, served_version: str | None
) -> None:
    context = await c7.call("get_context", given, "how do I render?", fast=True, version=version)

    params = c7.requests[0].url.params
    assert params["libraryId"] == sent
    assert params["query"] == "how do I render?"
    assert params["fast"] == "true"
    assert context.library_id == "/acme/widgets"
    assert context.version == served_version


def test_library_id_parse_and_render() -> None:
    lib = LibraryId.parse("/vercel/next.js@v15.1.8")
    assert (lib.owner, lib.repo, lib.version) == ("vercel", "next.js", "v15.1.8")
    assert str(lib) == "/vercel/next.js/v15.1.8"
    assert lib.base == "/vercel/next.js"
    assert LibraryId.parse("vercel/next.js") == LibraryId("vercel", "next.js")
