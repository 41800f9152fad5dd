"""The vendor's published contract, restated for these tests.

Written here from the vendor's public documents (upstash/context7:
``docs/openapi.json``, ``docs/openapi-enterprise.json`` and
``packages/sdk/src/commands/*/types.ts``), keeping only what a client that
reads docs needs: the parameters of each route it calls (name, required,
length, pattern, enum, repetition), the fields of each answer (and which are
required), the error codes by status, and the headers. Where the documents
disagree, both readings are kept (``cloud`` / ``onprem``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Param:
    """A query parameter's rules."""

    name: str
    required: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    repeat_max: int | None = None  # a repeatable parameter (style=form, explode=true): its maxItems

    def problems(self, values: list[str]) -> list[str]:
        """What is wrong with the values a request sends for this parameter."""
        found = []
        if len(values) > 1 and self.repeat_max is None:
            found.append(f"{self.name} sent {len(values)} times but is not repeatable")
        if self.repeat_max is not None and len(values) > self.repeat_max:
            found.append(f"{self.name} sent {len(values)} times, at most {self.repeat_max}")
        for value in values:
            if self.min_length is not None and len(value) < self.min_length:
                found.append(f"{self.name}={value!r} shorter than {self.min_length}")
            if self.max_length is not None and len(value) > self.max_length:
                found.append(f"{self.name} longer than {self.max_length}")
            if self.pattern is not None and not re.search(self.pattern, value):
                found.append(f"{self.name}={value!r} does not match {self.pattern}")
            if self.enum is not None and value not in self.enum:
                found.append(f"{self.name}={value!r} not one of {self.enum}")
        return found


@dataclass(frozen=True)
class Route:
    """A GET route: its path (a regex for path parameters) and query parameters."""

    name: str
    path: str
    params: tuple[Param, ...]
    path_segment_max: int | None = None

    def problems(self, query: list[tuple[str, str]]) -> list[str]:
        """Every way a request's query breaks this route's rules."""
        by_name = {p.name: p for p in self.params}
        found = [f"{name} is not a parameter of {self.name}" for name, _ in query if name not in by_name]
        for param in self.params:
            values = [v for n, v in query if n == param.name]
            if param.required and not values:
                found.append(f"{param.name} is required by {self.name}")
            found += param.problems(values)
        return found


QUERY = Param("query", required=True, min_length=1, max_length=500)
TYPE = Param("type", enum=("json", "txt"))
FAST = Param("fast", enum=("true", "false"))
LIBRARY_ID_PATTERN = r"^/[^/]+/[^/]+([/@][^/]+)?$"
SEARCH_VERSION_PATTERN = r"^v?[0-9]+([._][0-9]+){0,2}([-+][a-zA-Z0-9.-]+)?$"

LIBS_SEARCH = Route(
    "GET /v2/libs/search",
    r"/v2/libs/search",
    (Param("libraryName", required=True, min_length=1, max_length=500), QUERY, FAST),
)
CONTEXT = Route(
    "GET /v2/context",
    r"/v2/context",
    (
        Param("libraryId", required=True, min_length=1, max_length=500, pattern=LIBRARY_ID_PATTERN),
        QUERY,
        TYPE,
        FAST,
    ),
)
# The vendor's OpenAPI document puts the Search API at /v3/search; its SDK sends it to /v2/search.
SEARCH_API = Route(
    "GET /v3/search (Search API; /v2/search in the SDK)",
    r"/v[23]/search",
    (
        QUERY,
        TYPE,
        Param("library", min_length=1, max_length=120, repeat_max=4),
        Param("version", pattern=SEARCH_VERSION_PATTERN),
        Param("language", min_length=1, max_length=40),
    ),
)
# Surface A (the late-2025 document): still served by some servers.
LEGACY_SEARCH = Route("GET /v2/search (libraries)", r"/v2/search", (Param("query", max_length=500),))
DOCS = Route(
    "GET /v2/docs/{mode}/{owner}/{repo}[/{version}]",
    r"/v2/docs/(code|info)/[^/]+/[^/]+(/[^/]+)?",
    (
        Param("topic", max_length=500),
        TYPE,
        Param("page", pattern=r"^([1-9]|10)$"),  # minimum 1; at most 10 pages per topic
        Param("limit", pattern=r"^([1-9]|10)$"),  # 1..10
    ),
    path_segment_max=500,
)
ROUTES = (LIBS_SEARCH, CONTEXT, SEARCH_API, DOCS)


@dataclass(frozen=True)
class Schema:
    """An answer's object: its fields (camelCase, as sent) and which are required."""

    name: str
    fields: tuple[str, ...]
    required: tuple[str, ...] = ()
    nested: dict[str, str] = field(default_factory=dict)


LIBRARY = Schema(
    "Library",
    (
        "id",
        "title",
        "description",
        "branch",
        "lastUpdateDate",
        "state",
        "totalTokens",
        "totalSnippets",
        "stars",
        "trustScore",
        "benchmarkScore",
        "versions",
        "source",  # on-premise
    ),
    # The SDK's SearchResult requires these; the OpenAPI document requires none.
    required=("id", "title"),
)
LIBRARY_STATES = ("finalized", "initial", "processing", "error", "delete")
AUTHENTICATION = ("none", "personal", "team")
CODE_EXAMPLE = Schema("CodeExample", ("language", "code"), required=("language", "code"))
CODE_SNIPPET = Schema(
    "CodeSnippet",
    (
        "codeTitle",
        "codeDescription",
        "codeLanguage",
        "codeTokens",
        "codeId",
        "pageTitle",
        "codeList",
        "isDynamic",
        "sourceFile",
    ),
    required=("codeTitle", "codeDescription", "codeLanguage", "codeTokens", "codeId", "pageTitle", "codeList"),
)
INFO_SNIPPET = Schema("InfoSnippet", ("pageId", "breadcrumb", "content", "contentTokens"), ("content", "contentTokens"))
SEARCH_CODE_SNIPPET = Schema(
    "SearchCodeSnippet", (*CODE_SNIPPET.fields, "libraryId"), (*CODE_SNIPPET.required, "libraryId")
)
SEARCH_INFO_SNIPPET = Schema(
    "SearchInfoSnippet", (*INFO_SNIPPET.fields, "libraryId"), (*INFO_SNIPPET.required, "libraryId")
)
CONTEXT_RULES = Schema("ContextResponse.rules", ("global", "libraryOwn", "libraryTeam"))
LIBRARY_RULES = Schema(
    "rules.libraries[]", ("libraryId", "libraryOwn", "libraryTeam"), ("libraryId", "libraryOwn", "libraryTeam")
)
SEARCH_RULES = Schema("SearchContextResponse.rules", ("global", "libraries"))
CONTEXT_RESPONSE = Schema(
    "ContextResponse", ("codeSnippets", "infoSnippets", "rules"), ("codeSnippets", "infoSnippets")
)
SEARCH_RESPONSE = Schema("SearchResponse", ("results", "searchFilterApplied"), ("results",))
PAGINATION = Schema(
    "Pagination",
    ("page", "limit", "totalPages", "hasNext", "hasPrev"),
    ("page", "limit", "totalPages", "hasNext", "hasPrev"),
)
DOCS_RESPONSE = Schema(
    "DocsResponse", ("snippets", "totalTokens", "pagination", "metadata"), ("snippets", "pagination")
)
ERROR = Schema("Error", ("error", "message", "redirectUrl", "maxLimit", "status"), ("error",))

# status -> the error codes the documents list for it (cloud), and what a client does.
ERROR_CODES: dict[int, tuple[str, ...]] = {
    202: ("library_not_finalized",),
    301: ("library_redirected",),
    400: (
        "validation_error",
        "invalid_library_id",
        "invalid_format",
        "invalid_length",
        "invalid_type",
        "invalid_page",
        "invalid_limit",
    ),
    401: ("invalid_api_key", "authentication_failed"),
    402: ("spending_limit_exceeded",),
    403: ("access_denied", "forbidden", "insufficient_permissions", "library_blocked"),
    404: ("library_not_found", "tag_not_found", "no_snippets_found", "no_libraries_found", "no_documentation_found"),
    409: ("duplicate_repo",),
    422: ("library_too_large", "no_code_found"),
    429: ("rate_limit_exceeded",),
    500: ("internal_error",),
    503: ("search_failed",),
    504: ("timeout",),
}
# On-premise bodies are {"error": "<human text>"}; these are the document's examples.
ONPREM_ERRORS: dict[int, str] = {
    400: "repoUrl is required",
    401: "Authentication required",
    403: "Library import is available only with an offline license.",
    404: "Project not found",
    409: "This project is already queued",
    500: "An unexpected error occurred",
}

RATE_LIMIT_HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")
QUOTA_TIER_HEADER = "Context7-Quota-Tier"
REQUEST_ID_HEADERS = ("x-request-id", "x-context7-request-id")
RETRY_AFTER = "Retry-After"
TXT_PAGINATION_HEADERS = (
    "x-context7-page",
    "x-context7-limit",
    "x-context7-total-pages",
    "x-context7-has-next",
    "x-context7-has-prev",
    "x-context7-total-tokens",
)
KEY_PREFIXES = ("ctx7sk", "ctx7op")
