"""301 library_redirected: followed once, reported, or raised."""

from __future__ import annotations

import httpx
import pytest

from context7_kit import LibraryRedirectedError
from tests.core.conftest import Harness, error_response


def moved(to: str) -> httpx.Response:
    return error_response(301, "library_redirected", "Library moved", redirectUrl=to)


async def test_redirect_is_followed_once_and_reported(c7: Harness) -> None:
    page = await c7.call("get_docs", "/acme/old-widgets", topic="render")

    assert page.library_id == "/acme/widgets"
    assert page.requested_library_id == "/acme/old-widgets"
    assert page.redirected is True
    assert len(page.snippets) == 10
    assert [r.url.path for r in c7.requests] == [
        "/api/v2/docs/code/acme/old-widgets",
        "/api/v2/docs/code/acme/widgets",
    ]
    assert c7.requests[1].url.params["topic"] == "render"


async def test_redirect_keeps_the_pinned_version(c7: Harness) -> None:
    page = await c7.call("get_docs", "/acme/old-widgets/v1.0.0")

    assert page.library_id == "/acme/widgets"
    assert page.version == "v1.0.0"
    assert c7.requests[1].url.path == "/api/v2/docs/code/acme/widgets/v1.0.0"


@pytest.mark.parametrize(
    "redirect_url",
    ["/acme/widgets", "acme/widgets", "https://context7.com/api/v2/docs/code/acme/widgets"],
)
async def test_redirect_url_forms(c7: Harness, redirect_url: str) -> None:
    c7.api.failures.append(moved(redirect_url))

    page = await c7.call("get_docs", "/acme/somewhere")

    assert page.library_id == "/acme/widgets"
    assert c7.requests[1].url.path == "/api/v2/docs/code/acme/widgets"


async def test_redirect_of_get_docs_text_and_get_context(c7: Harness) -> None:
    text = await c7.call("get_docs_text", "/acme/old-widgets")
    context = await c7.call("get_context", "/acme/old-widgets", "how to render")

    assert (text.library_id, text.requested_library_id) == ("/acme/widgets", "/acme/old-widgets")
    assert (context.library_id, context.requested_library_id) == ("/acme/widgets", "/acme/old-widgets")
    assert context.redirected
    assert c7.requests[-1].url.params["libraryId"] == "/acme/widgets"


async def test_not_followed_when_follow_redirects_is_off(make_c7) -> None:
    c7: Harness = make_c7(follow_redirects=False)

    with pytest.raises(LibraryRedirectedError) as info:
        await c7.call("get_docs", "/acme/old-widgets")

    assert info.value.new_library_id == "/acme/widgets"
    assert info.value.status_code == 301
    assert info.value.error_code == "library_redirected"
    assert "/acme/widgets" in info.value.message
    assert "follow_redirects" in info.value.message
    assert len(c7.requests) == 1


async def test_a_second_redirect_is_raised(c7: Harness) -> None:
    c7.api.failures.extend([moved("/acme/b"), moved("/acme/c")])

    with pytest.raises(LibraryRedirectedError) as info:
        await c7.call("get_docs", "/acme/a")

    assert info.value.new_library_id == "/acme/c"
    assert "/acme/c" in info.value.message
    assert len(c7.requests) == 2


async def test_a_redirect_without_a_target_is_raised(c7: Harness) -> None:
    c7.api.failures.append(error_response(301, "library_redirected", "Library moved"))

    with pytest.raises(LibraryRedirectedError) as info:
        await c7.call("get_docs", "/acme/a")

    assert info.value.new_library_id is None
    assert len(c7.requests) == 1


async def test_iter_docs_follows_a_redirect_and_stays_on_the_new_id(c7: Harness) -> None:
    snippets = await c7.collect("/acme/old-widgets")

    assert len(snippets) == 24
    assert {s.library_id for s in snippets} == {"/acme/widgets"}
    paths = [(r.url.path.rsplit("/", 1)[-1], r.url.params["page"]) for r in c7.requests]
    assert paths == [("old-widgets", "1"), ("widgets", "1"), ("widgets", "2"), ("widgets", "3")]
