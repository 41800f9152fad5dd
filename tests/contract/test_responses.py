"""Every field, required-ness, error code and header of the vendor's contract is read as documented.

Fixtures are written here from tests/contract/spec.py: a *full* answer with
every documented field, a *minimal* one with only the required fields, and
the same with nulls and unknown fields (the models are tolerant: where the
documents and a server disagree, the server wins).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from context7_kit import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    Context7Client,
    LibraryNotFinalizedError,
    LibraryRedirectedError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnprocessableEntityError,
)
from context7_kit.core.errors import CODE_TEXTS
from context7_kit.core.models import (
    CodeBlock,
    CodeSnippet,
    ContextResponse,
    DocsResponse,
    DocsSearchResponse,
    ErrorBody,
    InfoSnippet,
    Library,
    LibraryRules,
    Pagination,
    Rules,
    SearchResponse,
)
from tests.contract import spec

LIBRARY = {
    "id": "/vercel/next.js",
    "title": "Next.js",
    "description": "The React Framework",
    "branch": "canary",
    "lastUpdateDate": "2025-01-15T10:30:00.000Z",
    "state": "finalized",
    "totalTokens": 607822,
    "totalSnippets": 3629,
    "stars": 131745,
    "trustScore": 10,
    "benchmarkScore": 95.5,
    "versions": ["v15.1.8", "v14.3.0"],
    "source": "Local (Private)",
}
CODE_SNIPPET = {
    "codeTitle": "Middleware Authentication Example",
    "codeDescription": "Shows how to check a cookie in middleware",
    "codeLanguage": "typescript",
    "codeTokens": 150,
    "codeId": "https://github.com/vercel/next.js/blob/canary/docs/middleware.mdx#_snippet_0",
    "pageTitle": "Middleware",
    "codeList": [{"language": "typescript", "code": "export function middleware() {}"}],
    "isDynamic": True,
    "sourceFile": "packages/next/src/server/web/spec-extension/response.ts",
}
INFO_SNIPPET = {
    "pageId": "https://github.com/vercel/next.js/blob/canary/docs/middleware.mdx",
    "breadcrumb": "Routing > Middleware",
    "content": "Middleware runs before a request is completed.",
    "contentTokens": 200,
}
CONTEXT_RULES = {"global": ["Use the app router."], "libraryOwn": ["Prefer edge."], "libraryTeam": ["No eval."]}
LIBRARY_RULES = {"libraryId": "/vercel/next.js", "libraryOwn": ["Prefer edge."], "libraryTeam": ["No eval."]}
SEARCH_RULES = {"global": ["Use the app router."], "libraries": [LIBRARY_RULES]}
PAGINATION = {"page": 2, "limit": 5, "totalPages": 7, "hasNext": True, "hasPrev": True}

# (spec schema, model, full fixture)
SCHEMAS: list[tuple[spec.Schema, type[BaseModel], dict[str, Any]]] = [
    (spec.LIBRARY, Library, LIBRARY),
    (spec.CODE_EXAMPLE, CodeBlock, CODE_SNIPPET["codeList"][0]),
    (spec.CODE_SNIPPET, CodeSnippet, CODE_SNIPPET),
    (spec.INFO_SNIPPET, InfoSnippet, INFO_SNIPPET),
    (spec.SEARCH_CODE_SNIPPET, CodeSnippet, {**CODE_SNIPPET, "libraryId": "/vercel/next.js"}),
    (spec.SEARCH_INFO_SNIPPET, InfoSnippet, {**INFO_SNIPPET, "libraryId": "/vercel/next.js"}),
    (spec.CONTEXT_RULES, Rules, CONTEXT_RULES),
    (spec.LIBRARY_RULES, LibraryRules, LIBRARY_RULES),
    (spec.SEARCH_RULES, Rules, SEARCH_RULES),
    (spec.PAGINATION, Pagination, PAGINATION),
    (spec.SEARCH_RESPONSE, SearchResponse, {"results": [LIBRARY], "searchFilterApplied": True}),
    (
        spec.CONTEXT_RESPONSE,
        ContextResponse,
        {"codeSnippets": [CODE_SNIPPET], "infoSnippets": [INFO_SNIPPET], "rules": CONTEXT_RULES},
    ),
    (
        spec.CONTEXT_RESPONSE,
        DocsSearchResponse,
        {
            "codeSnippets": [{**CODE_SNIPPET, "libraryId": "/vercel/next.js"}],
            "infoSnippets": [{**INFO_SNIPPET, "libraryId": "/vercel/next.js"}],
            "rules": SEARCH_RULES,
        },
    ),
    (
        spec.DOCS_RESPONSE,
        DocsResponse,
        {
            "snippets": [CODE_SNIPPET, INFO_SNIPPET],
            "totalTokens": 350,
            "pagination": PAGINATION,
            "metadata": {"authentication": "team"},
        },
    ),
    (
        spec.ERROR,
        ErrorBody,
        {"error": "library_redirected", "message": "moved", "redirectUrl": "/a/b", "maxLimit": 10, "status": 301},
    ),
]
IDS = [f"{schema.name}-{model.__name__}" for schema, model, _ in SCHEMAS]


def wire_names(model: type[BaseModel]) -> set[str]:
    names = set()
    for name, info in model.model_fields.items():
        names.add(info.serialization_alias or info.alias or (model.model_config.get("alias_generator") or str)(name))
    return names


@pytest.mark.parametrize(("schema", "model", "full"), SCHEMAS, ids=IDS)
def test_every_documented_field_has_a_fixture_and_a_model_field(
    schema: spec.Schema, model: type[BaseModel], full: dict[str, Any]
) -> None:
    assert set(schema.fields) <= set(full), "the fixture must carry every documented field"
    assert set(schema.fields) <= wire_names(model), f"{model.__name__} drops documented fields"


@pytest.mark.parametrize(("schema", "model", "full"), SCHEMAS, ids=IDS)
def test_a_full_answer_keeps_every_value(schema: spec.Schema, model: type[BaseModel], full: dict[str, Any]) -> None:
    parsed = model.model_validate(full)
    wire = parsed.model_dump(by_alias=True, mode="json")
    for name in schema.fields:
        if name == "lastUpdateDate":
            assert parsed.last_update_date == datetime(2025, 1, 15, 10, 30, tzinfo=timezone.utc)  # type: ignore[attr-defined]
        elif isinstance(full[name], list) and full[name] and isinstance(full[name][0], dict):
            assert len(wire[name]) == len(full[name])
        elif not isinstance(full[name], dict):
            assert wire[name] == full[name], name


@pytest.mark.parametrize(("schema", "model", "full"), SCHEMAS, ids=IDS)
def test_only_the_required_fields_are_enough(schema: spec.Schema, model: type[BaseModel], full: dict[str, Any]) -> None:
    model.model_validate({name: full[name] for name in schema.required})


@pytest.mark.parametrize(("schema", "model", "full"), SCHEMAS, ids=IDS)
def test_null_optionals_and_unknown_fields_are_tolerated(
    schema: spec.Schema, model: type[BaseModel], full: dict[str, Any]
) -> None:
    body = {**{name: full[name] for name in schema.required}, "someFutureField": {"x": 1}}
    body |= {name: None for name in schema.fields if name not in schema.required}
    model.model_validate(body)


@pytest.mark.parametrize("state", spec.LIBRARY_STATES)
def test_every_library_state_reads(state: str) -> None:
    assert Library.model_validate({**LIBRARY, "state": state}).state == state


@pytest.mark.parametrize("authentication", spec.AUTHENTICATION)
def test_every_authentication_value_reads(authentication: str) -> None:
    body = DocsResponse.model_validate({"snippets": [], "metadata": {"authentication": authentication}})
    assert body.metadata is not None and body.metadata.authentication == authentication


CLASS_BY_STATUS: dict[int, type[APIStatusError]] = {
    202: LibraryNotFinalizedError,
    301: LibraryRedirectedError,
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: ServerError,
    503: ServerError,
    504: ServerError,
}
CODES = [(status, code) for status, codes in spec.ERROR_CODES.items() for code in codes]


def client_answering(response: httpx.Response) -> Context7Client:
    transport = httpx.MockTransport(lambda _request: response)
    return Context7Client(
        base_url="https://context7.test/api",
        max_retries=0,
        follow_redirects=False,
        http_client=httpx.Client(transport=transport),
    )


@pytest.mark.parametrize("with_message", [True, False], ids=["with-message", "code-only"])
@pytest.mark.parametrize(("status", "code"), CODES, ids=[f"{s}-{c}" for s, c in CODES])
def test_every_documented_error_code_is_its_typed_error(status: int, code: str, with_message: bool) -> None:
    body = {"error": code, **({"message": "Server says so."} if with_message else {})}
    headers = {"x-request-id": "req-9", "Retry-After": "1"}
    with (
        client_answering(httpx.Response(status, json=body, headers=headers)) as client,
        pytest.raises(CLASS_BY_STATUS[status]) as caught,
    ):
        client.get_context("/vercel/next.js", "q")
    error = caught.value
    assert error.status_code == status and error.error_code == code and error.request_id == "req-9"
    if status != 301:  # a redirect not followed says where the library went instead
        assert ("Server says so." if with_message else CODE_TEXTS[code]) in str(error)


@pytest.mark.parametrize(("status", "message"), spec.ONPREM_ERRORS.items(), ids=[str(s) for s in spec.ONPREM_ERRORS])
def test_every_onprem_error_body_is_its_typed_error_with_the_servers_words(status: int, message: str) -> None:
    with (
        client_answering(httpx.Response(status, json={"error": message})) as client,
        pytest.raises(CLASS_BY_STATUS[status]) as caught,
    ):
        client.get_context("/your-org/your-repo", "q")
    assert message in str(caught.value)


def test_onprem_library_not_found_in_a_200_text_is_not_found() -> None:
    response = httpx.Response(200, text="Library not found: /your-org/nothing", headers={"content-type": "text/plain"})
    with client_answering(response) as client, pytest.raises(NotFoundError) as caught:
        client.get_context("/your-org/nothing", "q")
    assert caught.value.error_code == "library_not_found"


def test_an_onprem_text_400_keeps_its_words() -> None:
    response = httpx.Response(400, text="query and libraryId are required", headers={"content-type": "text/plain"})
    with client_answering(response) as client, pytest.raises(BadRequestError, match="query and libraryId"):
        client.get_context("/your-org/repo", "q")


def test_redirect_url_and_max_limit_are_read() -> None:
    with (
        client_answering(httpx.Response(301, json={"error": "library_redirected", "redirectUrl": "/new/repo"})) as c,
        pytest.raises(LibraryRedirectedError) as moved,
    ):
        c.get_context("/old/repo", "q")
    assert moved.value.new_library_id == "/new/repo"
    assert ErrorBody.model_validate({"error": "invalid_limit", "maxLimit": 10}).max_limit == 10


@pytest.mark.parametrize("header", spec.REQUEST_ID_HEADERS)
def test_the_quota_headers_and_request_id_of_a_success_are_read(header: str) -> None:
    headers = {
        "RateLimit-Limit": "1000",
        "RateLimit-Remaining": "999",
        "RateLimit-Reset": "1767225600",
        spec.QUOTA_TIER_HEADER: "free",
        header: "req-1",
    }
    body = {"codeSnippets": [CODE_SNIPPET], "infoSnippets": []}
    with client_answering(httpx.Response(200, json=body, headers=headers)) as client:
        context = client.get_context("/vercel/next.js", "q")
        quota = client.rate_limit
    assert context.request_id == "req-1"
    assert quota is not None and (quota.limit, quota.remaining, quota.tier) == (1000, 999, "free")
    assert quota.reset == datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_rate_limit_errors_read_retry_after_and_the_quota() -> None:
    headers = {spec.RETRY_AFTER: "30", "RateLimit-Limit": "60", "RateLimit-Remaining": "0", "RateLimit-Reset": "99"}
    with (
        client_answering(httpx.Response(429, json={"error": "rate_limit_exceeded"}, headers=headers)) as client,
        pytest.raises(RateLimitError) as caught,
    ):
        client.get_context("/vercel/next.js", "q")
    error = caught.value
    assert (error.retry_after, error.limit, error.remaining, error.reset) == (30, 60, 0, 99)


def test_txt_pagination_headers_are_read() -> None:
    values = ["2", "5", "7", "true", "true", "350"]
    headers = dict(zip(spec.TXT_PAGINATION_HEADERS, values, strict=True)) | {"content-type": "text/plain"}
    with client_answering(httpx.Response(200, text="### A\n\ntext", headers=headers)) as client:
        page = client.get_docs_text("/vercel/next.js", page=2, limit=5)
    assert page.pagination == Pagination(page=2, limit=5, total_pages=7, has_next=True, has_prev=True)
    assert page.total_tokens == 350


@pytest.mark.parametrize("prefix", spec.KEY_PREFIXES)
def test_both_key_kinds_are_sent_and_never_shown(prefix: str) -> None:
    key = f"{prefix}-0123456789abcdef"
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(401, json={"error": "invalid_api_key", "message": f"Bad key {key}"})

    client = Context7Client(
        api_key=key,
        base_url="https://context7.test/api",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    with client, pytest.raises(AuthenticationError) as caught:
        client.search_library("next.js")
    assert seen[0].headers["authorization"] == f"Bearer {key}"
    assert key not in str(caught.value) + repr(caught.value) + repr(client)
