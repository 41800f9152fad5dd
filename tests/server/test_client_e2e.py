"""The project's own client, every public method, against the local server over the fixture docs."""

from __future__ import annotations

import pytest

from context7_kit import AsyncContext7Client, Context7Client
from context7_kit.core.errors import LibraryRedirectedError, NotFoundError
from context7_kit.core.models import CodeSnippet, InfoSnippet


@pytest.fixture
def client(server_url: str):
    with Context7Client(base_url=server_url, max_retries=0) as c:
        yield c


def test_search_library_finds_served_libraries_by_name(client: Context7Client) -> None:
    results = client.search_library("widgets")
    assert results[0].id == "/acme/widgets"
    assert results[0].title == "Acme Widgets"
    assert results[0].total_snippets and results[0].total_snippets > 20
    assert results[0].state == "finalized"
    assert client.search_library("no-such-library-anywhere") == []


def test_search_library_with_name_and_question(client: Context7Client) -> None:
    results = client.search_library("how do I add middleware?", library_name="widgets")
    assert [lib.id for lib in results] == ["/acme/widgets"]
    assert [lib.id for lib in client.search_library("cli tools", library_name="gadgets")] == ["/acme/gadgets"]


def test_project_docs_folder_is_served_as_context7_kit_docs(client: Context7Client) -> None:
    page = client.get_docs("/context7-kit/docs", mode="info")
    assert page.snippets
    assert "context7-kit serve" in page.snippets[0].content  # type: ignore[union-attr]


def test_get_docs_code_ranks_by_topic(client: Context7Client) -> None:
    page = client.get_docs("/acme/widgets", topic="middleware", limit=3)
    assert len(page.snippets) == 3
    assert all(isinstance(s, CodeSnippet) for s in page.snippets)
    first = page.snippets[0]
    assert isinstance(first, CodeSnippet)
    assert "middleware" in (first.code_title + first.code_description).lower()
    assert first.code_id.startswith("guide/routing.md#_snippet_")
    assert first.page_title == "Routing"
    assert page.total_tokens == sum(s.code_tokens for s in page.snippets)  # type: ignore[union-attr]
    assert page.authentication == "none"


def test_get_docs_info_has_breadcrumbs(client: Context7Client) -> None:
    page = client.get_docs("/acme/widgets", mode="info", topic="middleware ordering")
    first = page.snippets[0]
    assert isinstance(first, InfoSnippet)
    assert first.breadcrumb == "Routing > Middleware > Middleware ordering"
    assert first.page_id == "guide/routing.md#middleware-ordering"


def test_multi_language_tabs_form_one_snippet(client: Context7Client) -> None:
    page = client.get_docs("/acme/widgets", topic="creating a theme")
    snippet = next(s for s in page.snippets if isinstance(s, CodeSnippet) and s.code_title == "Creating a theme")
    assert [b.language for b in snippet.code_list] == ["python", "toml"]
    assert snippet.page_title == "Themes"


def test_pagination_walks_every_code_snippet_once(client: Context7Client) -> None:
    first = client.get_docs("/acme/widgets", limit=4)
    assert first.pagination.has_next and not first.pagination.has_prev
    assert first.pagination.total_pages == 4
    ids = [s.snippet.code_id for s in client.iter_docs("/acme/widgets", limit=4)]  # type: ignore[union-attr]
    assert len(ids) == len(set(ids))
    assert len(ids) > 12
    last = client.get_docs("/acme/widgets", limit=4, page=first.pagination.total_pages)
    assert not last.pagination.has_next and last.pagination.has_prev


def test_ordering_is_deterministic(client: Context7Client) -> None:
    one = client.get_docs("/acme/widgets", topic="widget render", limit=10)
    two = client.get_docs("/acme/widgets", topic="widget render", limit=10)
    assert [s.code_id for s in one.snippets] == [s.code_id for s in two.snippets]  # type: ignore[union-attr]


def test_get_docs_text_renders_markdown_with_pagination_headers(client: Context7Client) -> None:
    text = client.get_docs_text("/acme/widgets", topic="routing", limit=2)
    assert text.text.startswith("### ")
    assert "Source: guide/routing.md#_snippet_" in text.text
    assert "```python" in text.text
    assert text.pagination.limit == 2
    assert text.pagination.total_pages >= 2 and text.pagination.has_next
    assert text.total_tokens and text.total_tokens > 0


def test_get_context_answers_a_question_with_code_info_and_rules(client: Context7Client) -> None:
    context = client.get_context("/acme/widgets", "How do I switch to dark mode?")
    assert context.code_snippets and context.info_snippets
    assert "dark" in context.code_snippets[0].code_title.lower()
    assert context.rules is not None
    assert "Prefer explicit middleware order." in context.rules.library_own
    fast = client.get_context("/acme/widgets", "How do I switch to dark mode?", fast=True)
    assert fast.code_snippets


def test_alias_redirect_is_followed_and_reported(client: Context7Client) -> None:
    page = client.get_docs("/acme/old-widgets", topic="routing")
    assert page.redirected and page.library_id == "/acme/widgets"
    assert page.snippets
    context = client.get_context("/acme/old-widgets", "routing")
    assert context.library_id == "/acme/widgets" and context.code_snippets


def test_alias_redirect_not_followed_names_the_new_id(server_url: str) -> None:
    with (
        Context7Client(base_url=server_url, follow_redirects=False, max_retries=0) as c,
        pytest.raises(LibraryRedirectedError) as info,
    ):
        c.get_docs("/acme/old-widgets")
    assert info.value.new_library_id == "/acme/widgets"


def test_unknown_library_and_version_are_404s(client: Context7Client) -> None:
    with pytest.raises(NotFoundError) as lib:
        client.get_docs("/acme/nothing")
    assert lib.value.error_code == "library_not_found"
    with pytest.raises(NotFoundError) as tag:
        client.get_docs("/acme/widgets", version="v9.9.9")
    assert tag.value.error_code == "tag_not_found"
    with pytest.raises(NotFoundError):
        client.get_context("/acme/nothing", "anything")


async def test_async_client_every_method(server_url: str) -> None:
    async with AsyncContext7Client(base_url=server_url, max_retries=0) as c:
        assert (await c.search_library("gadgets"))[0].id == "/acme/gadgets"
        assert (await c.search_library("write a gadget", library_name="gadgets"))[0].id == "/acme/gadgets"
        page = await c.get_docs("/acme/gadgets", topic="writing a gadget")
        assert isinstance(page.snippets[0], CodeSnippet) and "@gadget" in page.snippets[0].code_list[0].code
        text = await c.get_docs_text("/acme/gadgets", mode="info")
        assert "Acme Gadgets" in text.text
        items = [item async for item in c.iter_docs("/acme/gadgets", limit=1)]
        assert [i.rank for i in items] == list(range(1, len(items) + 1)) and len(items) == 3
        context = await c.get_context("/acme/gadgets", "how do I run a gadget?")
        assert "gadget run" in context.code_snippets[0].code_list[0].code
