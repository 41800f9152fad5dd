"""The client and the CLI, with default settings, against each server profile.

``live`` answers like context7.com today (no /v2/docs, HTML 404s, /v2/search
is the Search API, txt by default); ``onprem`` like an on-premise server (also
/v2/context only as text/plain, error bodies without a message, ``ctx7op-``
keys); ``full`` serves both surfaces. Defaults must work on all three.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from context7_kit import (
    AsyncContext7Client,
    CodeSnippet,
    Context7Client,
    NotFoundError,
    UnsupportedEndpointError,
    cli,
)
from tests.docs_server import fixture_server

FIXTURE_DOCS = Path(__file__).resolve().parent / "fixtures" / "docs"
KEYS = {
    "full": "ctx7sk-full-0123456789abcdef",
    "live": "ctx7sk-live-0123456789abcdef",
    "onprem": "ctx7op-prem-0123456789",
}
QUESTION = "How do I switch to dark mode?"


@pytest.fixture(scope="module", params=["full", "live", "onprem"])
def served(request: pytest.FixtureRequest) -> Iterator[tuple[str, str, str]]:
    """(profile, base URL, the key the server accepts)."""
    profile = request.param
    with fixture_server(FIXTURE_DOCS, api_keys=[KEYS[profile]], profile=profile) as url:
        yield profile, url, KEYS[profile]


@pytest.fixture
def client(served: tuple[str, str, str]) -> Iterator[Context7Client]:
    _, url, key = served
    with Context7Client(base_url=url, api_key=key, max_retries=0) as c:
        yield c


def test_find_a_library_then_ask_it_a_question(served: tuple[str, str, str], client: Context7Client) -> None:
    profile = served[0]
    assert client.rate_limit is None
    libraries = client.search_library("widgets")
    assert libraries[0].id == "/acme/widgets"
    assert libraries.request_id

    context = client.get_context(libraries[0].id, QUESTION)

    assert context.snippets and context.request_id
    assert context.from_text == (profile == "onprem")
    assert all(s.code_list for s in context.code_snippets)
    quota = client.rate_limit
    assert quota is not None and quota.tier and quota.reset is not None and quota.reset.tzinfo is not None


def test_search_docs_names_each_snippets_library(served: tuple[str, str, str], client: Context7Client) -> None:
    found = client.search_docs("How do I create a widget?", libraries=["/acme/widgets"])

    assert found.snippets
    assert found.library_ids == ["/acme/widgets"]
    assert found.request_id


def test_surface_a_works_where_served_and_says_what_to_use_elsewhere(
    served: tuple[str, str, str], client: Context7Client
) -> None:
    profile = served[0]
    if profile == "full":
        assert client.get_docs("/acme/widgets", topic="create", limit=2).snippets
        assert client.search_library_legacy("widgets")[0].id == "/acme/widgets"
        return
    with pytest.raises(UnsupportedEndpointError, match="get_context"):
        client.get_docs("/acme/widgets", topic="create")
    with pytest.raises(UnsupportedEndpointError, match="search_library"):
        client.search_library_legacy("widgets")


def test_a_missing_library_reads_as_one(served: tuple[str, str, str], client: Context7Client) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.get_context("/acme/nothing-here", QUESTION)

    assert not isinstance(caught.value, UnsupportedEndpointError)
    assert caught.value.error_code == "library_not_found"
    assert "/acme/nothing-here" in str(caught.value) and "not found" in str(caught.value)
    assert caught.value.request_id


def test_a_missing_version_lists_the_ones_that_exist(served: tuple[str, str, str], client: Context7Client) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.get_context("/acme/widgets/v99.0.0", QUESTION)

    assert caught.value.error_code == "tag_not_found"
    assert isinstance(caught.value.available_tags, list)


async def test_the_async_client_reads_the_same_way(served: tuple[str, str, str]) -> None:
    _, url, key = served
    async with AsyncContext7Client(base_url=url, api_key=key, max_retries=0) as client:
        libraries = await client.search_library("widgets")
        context = await client.get_context(libraries[0].id, QUESTION)
        found = await client.search_docs("How do I create a widget?", libraries="/acme/widgets")
    assert context.snippets and found.snippets
    assert client.rate_limit is not None


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["search", "widgets"], "/acme/widgets"),
        (["docs", "/acme/widgets", "--topic", "create a widget"], "```"),
        (["docs", "/acme/widgets", "--topic", "create a widget", "--format", "txt"], "```"),
        (["context", "/acme/widgets", QUESTION], "###"),
        (["search-docs", "How do I create a widget?", "--library", "/acme/widgets"], "Library: /acme/widgets"),
    ],
)
def test_the_cli_works_with_no_flag(
    served: tuple[str, str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    expected: str,
) -> None:
    _, url, key = served
    monkeypatch.setenv("CONTEXT7_API_URL", url)
    monkeypatch.setenv("CONTEXT7_API_KEY", key)

    code = cli.main(argv)

    out, err = capsys.readouterr()
    assert code == 0, err
    assert expected in out
    assert key not in out + err


def test_parsed_markdown_snippets_are_the_json_ones(served: tuple[str, str, str]) -> None:
    """On-premise Markdown and JSON answers give the same code snippets, as far as the format carries."""
    if served[0] != "onprem":
        pytest.skip("only the onprem profile forces Markdown")
    _, url, key = served
    with (
        fixture_server(FIXTURE_DOCS, api_keys=[key], profile="live") as live_url,
        Context7Client(base_url=live_url, api_key=key) as live,
        Context7Client(base_url=url, api_key=key) as prem,
    ):
        from_json = live.get_context("/acme/widgets", QUESTION)
        from_text = prem.get_context("/acme/widgets", QUESTION)
    assert not from_json.from_text and from_text.from_text

    def shape(s: CodeSnippet) -> tuple[object, ...]:
        return (s.code_title, s.code_id, s.code_description, s.code_list)

    assert [shape(s) for s in from_text.code_snippets] == [shape(s) for s in from_json.code_snippets]


@pytest.mark.parametrize("profile", ["full", "live", "onprem"])
def test_the_readme_quick_start_runs_with_no_option(profile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from context7_kit.server.local import LocalServer

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    block = re.search(r"## Quick start\n\n```python\n(.*?)```", readme, re.S)
    assert block, "README has a Quick start code block"
    served = {"/vercel/next.js": FIXTURE_DOCS / "widgets", "/facebook/react": FIXTURE_DOCS / "gadgets"}
    with LocalServer(served, profile=profile) as server:
        monkeypatch.setenv("CONTEXT7_API_URL", server.base_url)
        names: dict[str, object] = {}
        exec(block.group(1), names)  # the README's own code, run as a reader would
    found = names["found"]
    assert names["context"].snippets  # type: ignore[attr-defined]
    assert found.library_ids == ["/vercel/next.js", "/facebook/react"]  # type: ignore[attr-defined]
