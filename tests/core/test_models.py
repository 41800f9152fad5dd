"""The wire models: vendor-shaped JSON parses, unknown fields are ignored, optional is optional."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import httpx
import pytest

from context7_kit import CodeSnippet, Context, DocsPage, InfoSnippet, Rules, TextDocsPage
from context7_kit.core.models import ContextResponse, DocsResponse, ErrorBody, Library, SearchResponse
from tests.core.conftest import Harness

# Raw bodies in the shape of the vendor's API reference, kept verbatim as text.
VENDOR_SEARCH = """
{
  "results": [
    {
      "id": "/vercel/next.js",
      "title": "Next.js",
      "description": "Next.js enables you to create full-stack web applications.",
      "branch": "canary",
      "lastUpdateDate": "2025-11-02T08:14:51.218Z",
      "state": "finalized",
      "totalTokens": 1024539,
      "totalSnippets": 4367,
      "stars": 133914,
      "trustScore": 10,
      "benchmarkScore": 91.5,
      "versions": ["v14.3.0-canary.87", "v15.1.8"]
    },
    {"id": "/websites/nextjs", "title": "Next.js docs site", "vip": true}
  ],
  "metadata": {"authentication": "personal"}
}
"""

VENDOR_DOCS_CODE = """
{
  "snippets": [
    {
      "codeTitle": "Middleware matcher",
      "codeDescription": "Restrict middleware to specific paths with a matcher.",
      "codeLanguage": "typescript",
      "codeTokens": 85,
      "codeId": "https://github.com/vercel/next.js/blob/canary/docs/middleware.mdx#_snippet_3",
      "pageTitle": "Middleware",
      "codeList": [
        {"language": "typescript", "code": "export const config = {\\n  matcher: '/about/:path*',\\n}"},
        {"language": "javascript", "code": "module.exports = {}"}
      ]
    }
  ],
  "totalTokens": 185,
  "pagination": {"page": 1, "limit": 10, "totalPages": 5, "hasNext": true, "hasPrev": false},
  "metadata": {"authentication": "none"}
}
"""

VENDOR_DOCS_INFO = """
{
  "snippets": [
    {
      "content": "Middleware allows you to run code before a request is completed.",
      "contentTokens": 42,
      "pageId": "https://nextjs.org/docs/app/building-your-application/routing/middleware",
      "breadcrumb": "Routing > Middleware"
    },
    {"content": "A snippet with only the required fields.", "contentTokens": 9}
  ],
  "totalTokens": 51,
  "pagination": {"page": 2, "limit": 2, "totalPages": 2, "hasNext": false, "hasPrev": true},
  "metadata": {"authentication": "team"}
}
"""

VENDOR_LIBS_SEARCH = """
{"results": [{"id": "/vercel/next.js", "title": "Next.js", "trustScore": 9.8}], "searchFilterApplied": false}
"""

VENDOR_CONTEXT = """
{
  "codeSnippets": [
    {
      "codeTitle": "Create a route handler",
      "codeDescription": "A GET handler in app/api/route.ts.",
      "codeLanguage": "typescript",
      "codeTokens": 60,
      "codeId": "https://github.com/vercel/next.js/blob/canary/docs/route-handlers.mdx#_snippet_0",
      "pageTitle": "Route Handlers",
      "codeList": [{"language": "typescript", "code": "export async function GET() {}"}]
    }
  ],
  "infoSnippets": [
    {"content": "Route handlers are defined in route.js files.", "contentTokens": 12,
     "pageId": "https://nextjs.org/docs/app/api-reference/file-conventions/route",
     "breadcrumb": "API Reference > route.js"}
  ],
  "rules": {"global": ["Use the App Router."], "libraryOwn": [], "libraryTeam": ["Prefer server components."]}
}
"""

VENDOR_ERRORS = [
    '{"error": "library_redirected", "message": "Library has moved", "status": 301, "redirectUrl": "/vercel/nextjs"}',
    '{"error": "invalid_limit", "message": "Limit must be at most 10", "maxLimit": 10}',
    '{"error": "library_not_finalized", "message": "Library is being processed"}',
]


def test_vendor_search_response_parses() -> None:
    body = SearchResponse.model_validate_json(VENDOR_SEARCH)

    nextjs, site = body.results
    assert nextjs.id == "/vercel/next.js"
    assert nextjs.last_update_date == datetime(2025, 11, 2, 8, 14, 51, 218000, tzinfo=timezone.utc)
    assert nextjs.total_snippets == 4367
    assert nextjs.trust_score == 10
    assert nextjs.benchmark_score == 91.5
    assert nextjs.versions == ["v14.3.0-canary.87", "v15.1.8"]
    assert (site.id, site.title, site.description, site.stars, site.versions) == (
        "/websites/nextjs",
        "Next.js docs site",
        None,
        None,
        [],
    )
    assert not hasattr(site, "vip"), "unknown fields are ignored"
    assert body.metadata is not None and body.metadata.authentication == "personal"


def test_vendor_libs_search_response_parses() -> None:
    body = SearchResponse.model_validate_json(VENDOR_LIBS_SEARCH)

    assert body.results[0].trust_score == 9.8
    assert body.search_filter_applied is False


def test_vendor_code_docs_response_parses() -> None:
    body = DocsResponse.model_validate_json(VENDOR_DOCS_CODE)

    (snippet,) = body.snippets
    assert isinstance(snippet, CodeSnippet)
    assert snippet.kind == "code"
    assert snippet.code_id.endswith("#_snippet_3")
    assert [b.language for b in snippet.code_list] == ["typescript", "javascript"]
    assert snippet.code_list[0].code.startswith("export const config = {\n")
    assert body.total_tokens == 185
    assert (body.pagination.total_pages, body.pagination.has_next) == (5, True)


def test_vendor_info_docs_response_parses() -> None:
    body = DocsResponse.model_validate_json(VENDOR_DOCS_INFO)

    full, bare = body.snippets
    assert isinstance(full, InfoSnippet) and isinstance(bare, InfoSnippet)
    assert full.kind == "info"
    assert full.breadcrumb == "Routing > Middleware"
    assert (bare.page_id, bare.breadcrumb, bare.content_tokens) == (None, None, 9)
    assert body.pagination.has_prev is True
    assert body.metadata is not None and body.metadata.authentication == "team"


def test_vendor_context_response_parses() -> None:
    body = ContextResponse.model_validate_json(VENDOR_CONTEXT)

    assert body.code_snippets[0].page_title == "Route Handlers"
    assert body.info_snippets[0].breadcrumb == "API Reference > route.js"
    assert body.rules is not None
    assert body.rules.global_ == ["Use the App Router."]
    assert body.rules.library_team == ["Prefer server components."]


@pytest.mark.parametrize("raw", VENDOR_ERRORS)
def test_vendor_error_bodies_parse(raw: str) -> None:
    body = ErrorBody.model_validate_json(raw)

    assert body.error and body.message
    assert body.to_wire() == json.loads(raw)


def test_code_and_info_snippets_are_told_apart_in_one_list() -> None:
    body = DocsResponse.model_validate(
        {
            "snippets": [
                {"codeTitle": "A", "codeList": [{"language": "py", "code": "x"}]},
                {"content": "Prose.", "contentTokens": 3},
                {"codeTitle": "B", "content": "odd but code"},
                {"codeId": "https://x.test#_snippet_1"},
            ]
        }
    )

    assert [s.kind for s in body.snippets] == ["code", "info", "code", "code"]


def test_optional_fields_are_optional_and_defaults_sane() -> None:
    body = DocsResponse.model_validate({})
    assert (body.snippets, body.total_tokens, body.metadata) == ([], 0, None)
    assert body.pagination.page == 1 and body.pagination.has_next is False
    assert ContextResponse.model_validate({"codeSnippets": []}).rules is None
    assert Library.model_validate({"id": "/a/b", "title": "B"}).last_update_date is None


def test_models_accept_snake_case_and_round_trip_to_camel_case() -> None:
    snippet = CodeSnippet(code_title="T", code_tokens=3)

    assert snippet.to_wire()["codeTitle"] == "T"
    assert CodeSnippet.model_validate(snippet.to_wire()) == snippet


async def test_vendor_bodies_parse_through_the_client(c7: Harness) -> None:
    c7.api.failures.extend(
        [
            httpx.Response(200, content=VENDOR_SEARCH.encode()),
            httpx.Response(200, content=VENDOR_DOCS_CODE.encode()),
            httpx.Response(200, content=VENDOR_CONTEXT.encode()),
        ]
    )

    libraries = await c7.call("search_library", "next")
    page = await c7.call("get_docs", "/vercel/next.js", topic="middleware")
    context = await c7.call("get_context", "/vercel/next.js", "route handlers")

    assert [lib.id for lib in libraries] == ["/vercel/next.js", "/websites/nextjs"]
    assert page.total_tokens == 185 and page.has_next and page.topic == "middleware"
    assert page.authentication == "none"
    assert [s.kind for s in context.snippets] == ["code", "info"]
    assert context.rules is not None and context.query == "route handlers"


def test_null_optional_fields_take_their_defaults() -> None:
    body = DocsResponse.model_validate_json(
        '{"snippets": [{"codeTitle": "T", "codeDescription": null, "codeList": null, "codeTokens": null},'
        ' {"content": "Prose.", "contentTokens": null, "pageId": null}],'
        ' "totalTokens": null, "pagination": null, "metadata": null}'
    )
    library = Library.model_validate_json('{"id": "/a/b", "title": "B", "versions": null, "stars": null}')

    code, info = body.snippets
    assert isinstance(code, CodeSnippet) and (code.code_description, code.code_list, code.code_tokens) == ("", [], 0)
    assert isinstance(info, InfoSnippet) and (info.content_tokens, info.page_id) == (0, None)
    assert (body.total_tokens, body.pagination.page) == (0, 1)
    assert (library.versions, library.stars) == ([], None)


def test_a_null_required_field_is_still_an_error() -> None:
    with pytest.raises(ValueError, match="id"):
        Library.model_validate_json('{"id": null, "title": "B"}')


# -- what print() shows ------------------------------------------------------------------


def test_printing_a_snippet_shows_its_markdown_not_its_fields() -> None:
    code, info = (
        DocsResponse.model_validate_json(VENDOR_DOCS_CODE).snippets[0],
        InfoSnippet(content="Middleware runs first.", breadcrumb="Routing > Middleware"),
    )
    text = str(code)
    assert text.startswith(f"### {code.code_title}")
    assert "```" in text and "code_title=" not in text and "CodeBlock(" not in text
    assert str(info) == "### Routing > Middleware\n\nMiddleware runs first."


def test_printing_a_context_shows_its_rules_then_its_snippets() -> None:
    body = ContextResponse.model_validate_json(VENDOR_CONTEXT)
    context = Context(
        library_id="/vercel/next.js",
        requested_library_id="/vercel/next.js",
        query="route handlers",
        code_snippets=body.code_snippets,
        info_snippets=body.info_snippets,
        rules=body.rules,
    )
    text = str(context)
    assert text.startswith("Rules:\n- Use the App Router.\n- Prefer server components.")
    assert f"### {body.code_snippets[0].code_title}" in text
    assert "### API Reference > route.js" in text
    assert "code_snippets=" not in text


def test_printing_pages_shows_markdown_or_says_there_is_nothing() -> None:
    body = DocsResponse.model_validate_json(VENDOR_DOCS_CODE)
    page = DocsPage(library_id="/vercel/next.js", requested_library_id="/vercel/next.js", snippets=body.snippets)
    assert str(page).startswith(f"### {body.snippets[0].code_title}")
    empty = DocsPage(library_id="/vercel/next.js", requested_library_id="/vercel/next.js")
    assert str(empty) == "No snippets for /vercel/next.js on page 1."
    text = TextDocsPage(library_id="/a/b", requested_library_id="/a/b", text="### Title\n\nBody")
    assert str(text) == "### Title\n\nBody"


def test_rules_print_by_their_wire_names_and_only_what_they_hold() -> None:
    rules = Rules.model_validate({"global": ["Use v2."], "libraryOwn": []})
    assert repr(rules) == "Rules(global=['Use v2.'])"
    assert repr(Rules()) == "Rules()"
    assert str(rules) == "Rules:\n- Use v2."
    assert "global_" not in repr(rules)
