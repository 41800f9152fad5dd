"""The OpenAPI 3.1 document of the served API.

Schemas come from the core's wire models (``model_json_schema`` by alias),
so the document and the bodies cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from context7_kit._version import __version__
from context7_kit.core.library_id import MAX_LIMIT, MAX_PAGE, MAX_SEGMENT, MAX_TEXT
from context7_kit.core.models import ContextResponse, DocsResponse, DocsSearchResponse, ErrorBody, SearchResponse

REF = "#/components/schemas/{model}"
LIBRARY_ID_PATTERN = "^/[^/]+/[^/]+([/@][^/]+)?$"


def _schemas() -> dict[str, Any]:
    _, top = models_json_schema(
        [(m, "serialization") for m in (SearchResponse, DocsResponse, DocsSearchResponse, ContextResponse, ErrorBody)],
        by_alias=True,
        ref_template=REF,
    )
    schemas: dict[str, Any] = top.get("$defs", {})
    return _any_of(schemas)  # type: ignore[no-any-return]


def _any_of(node: Any) -> Any:
    """Turn ``oneOf`` into ``anyOf``: an info snippet also matches the all-optional code snippet schema."""
    if isinstance(node, dict):
        return {("anyOf" if k == "oneOf" else k): _any_of(v) for k, v in node.items() if k != "discriminator"}
    if isinstance(node, list):
        return [_any_of(v) for v in node]
    return node


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(model="ErrorBody")}}},
    }


def _string(description: str, *, min_length: int = 0, max_length: int = MAX_TEXT) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "maxLength": max_length}
    if min_length:
        schema["minLength"] = min_length
    return {"description": description, "schema": schema}


QUOTA_HEADERS = {
    "RateLimit-Limit": "Requests allowed per window, or `unlimited`.",
    "RateLimit-Remaining": "Requests left in this window, or `unlimited`.",
    "RateLimit-Reset": "Unix time the window ends (without a limit: the start of next month, UTC).",
    "Context7-Quota-Tier": "`anonymous` without a key, else `personal`.",
    "x-request-id": "This request's id (the caller's own x-request-id when it sent a usable one).",
}


def openapi_document(*, api_keys: bool = False, rate_limited: bool = False, profile: str = "full") -> dict[str, Any]:
    """The OpenAPI document of a profile; ``api_keys`` / ``rate_limited`` add the 401 / 429 answers."""
    full = profile == "full"
    text_only = profile == "onprem"
    common: dict[str, Any] = {}
    if api_keys:
        common["401"] = _error("Missing or invalid API key (invalid_api_key).")
    if rate_limited:
        common["429"] = {
            **_error("Rate limit exceeded (rate_limit_exceeded); see Retry-After."),
            "headers": {"Retry-After": {"schema": {"type": "string"}}},
        }
    json_type = {
        "name": "type",
        "in": "query",
        "description": "Response format: json or txt (Markdown). Default txt.",
        "schema": {"type": "string", "enum": ["json", "txt"]},
    }
    if text_only:
        json_type["description"] = "Accepted, but this server answers text/plain (Markdown) whatever it says."

    def search_op(summary: str, params: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "get": {
                "summary": summary,
                "parameters": params,
                "responses": {
                    "200": {
                        "description": "Matching libraries, best first.",
                        "headers": quota_headers,
                        "content": {"application/json": {"schema": {"$ref": REF.format(model="SearchResponse")}}},
                    },
                    "400": _error("Invalid parameter (invalid_format, invalid_length)."),
                    **common,
                },
            }
        }

    quota_headers = {name: {"description": text, "schema": {"type": "string"}} for name, text in QUOTA_HEADERS.items()}
    context_content: dict[str, Any] = {"text/plain": {"schema": {"type": "string"}}}
    if not text_only:
        context_content = {
            "application/json": {"schema": {"$ref": REF.format(model="ContextResponse")}},
            **context_content,
        }
    segment = {"type": "string", "minLength": 1, "maxLength": MAX_SEGMENT}
    docs_params = [
        {"name": "mode", "in": "path", "required": True, "schema": {"type": "string", "enum": ["code", "info"]}},
        {"name": "owner", "in": "path", "required": True, "schema": segment},
        {"name": "repo", "in": "path", "required": True, "schema": segment},
        {**_string("Topic that filters and ranks the snippets."), "name": "topic", "in": "query"},
        json_type,
        {
            "name": "page",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        },
        {
            "name": "limit",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
        },
    ]
    pagination_headers = {
        name: {"schema": {"type": "string"}}
        for name in (
            "x-context7-page",
            "x-context7-limit",
            "x-context7-total-pages",
            "x-context7-has-next",
            "x-context7-has-prev",
            "x-context7-total-tokens",
        )
    }

    def docs_op(params: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "get": {
                "summary": "Documentation snippets of a library (code or info), by topic.",
                "parameters": params,
                "responses": {
                    "200": {
                        "description": "One page of snippets.",
                        "headers": {**pagination_headers, **quota_headers},
                        "content": {
                            "application/json": {"schema": {"$ref": REF.format(model="DocsResponse")}},
                            "text/plain": {"schema": {"type": "string"}},
                        },
                    },
                    "301": _error("The library moved (library_redirected, redirectUrl)."),
                    "400": _error("Invalid parameter (invalid_page, invalid_limit, invalid_type, ...)."),
                    "404": _error("Unknown library (library_not_found) or version (tag_not_found)."),
                    **common,
                },
            }
        }

    def search_op_for(dual: bool) -> dict[str, Any]:
        """The Search API; ``dual``: also the older library search (``results``), as /v2/search in full."""
        search_json = "Snippets of every library searched" + (
            ", each with its libraryId, and (the older meaning of this path) the matching libraries in results."
            if dual
            else ", each with its libraryId."
        )
        search_schema: dict[str, Any] = {"$ref": REF.format(model="DocsSearchResponse")}
        if dual:
            search_schema = {"allOf": [search_schema, {"$ref": REF.format(model="SearchResponse")}]}
        return {
            "get": {
                "summary": "Search documentation across libraries (the 2026 Search API)"
                + ("; also library search by name (results)." if dual else "."),
                "parameters": [
                    {
                        **_string(
                            "The question." + (" Without it the answer is empty." if dual else ""),
                            min_length=0 if dual else 1,
                        ),
                        "name": "query",
                        "in": "query",
                        "required": not dual,
                    },
                    {
                        "name": "library",
                        "in": "query",
                        "description": (
                            "A library to search: a name such as `next.js` (the best match) or an ID such as"
                            " `/vercel/next.js` (maybe with a version); repeat up to 4 times."
                        ),
                        "schema": {
                            "type": "array",
                            "maxItems": 4,
                            "items": {"type": "string", "minLength": 1, "maxLength": 120},
                        },
                        "style": "form",
                        "explode": True,
                    },
                    {
                        **_string("A version (git tag) of the libraries given; needs library."),
                        "name": "version",
                        "in": "query",
                    },
                    {**_string("Keep only code snippets in this language."), "name": "language", "in": "query"},
                    {
                        **json_type,
                        "description": f"Response format: json or txt (Markdown). Default {'json' if dual else 'txt'}.",
                    },
                ],
                "responses": {
                    "200": {
                        "description": search_json,
                        "headers": quota_headers,
                        "content": {
                            "application/json": {"schema": search_schema},
                            "text/plain": {"schema": {"type": "string"}},
                        },
                    },
                    "400": _error(
                        "Invalid parameter (validation_error, invalid_library_id, invalid_length, invalid_type)."
                    ),
                    "404": _error("Unknown library (library_not_found) or version (tag_not_found)."),
                    **common,
                },
            }
        }

    paths: dict[str, Any] = {
        "/v2/search": search_op_for(full),
        "/v3/search": search_op_for(False),
        "/v2/libs/search": search_op(
            "Search libraries by name, ranked with the user's question when given.",
            [
                {**_string("Library name.", min_length=1), "name": "libraryName", "in": "query", "required": True},
                {**_string("The user's question; refines the order."), "name": "query", "in": "query"},
            ],
        ),
        "/v2/context": {
            "get": {
                "summary": "Snippets chosen for one question.",
                "parameters": [
                    {
                        "name": "libraryId",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "pattern": LIBRARY_ID_PATTERN, "maxLength": 3 * MAX_SEGMENT + 3},
                    },
                    {**_string("The question.", min_length=1), "name": "query", "in": "query", "required": True},
                    json_type,
                    {"name": "fast", "in": "query", "schema": {"type": "boolean"}},
                ],
                "responses": {
                    "200": {
                        "description": "Code and info snippets for the question.",
                        "headers": quota_headers,
                        "content": context_content,
                    },
                    "301": _error("The library moved (library_redirected, redirectUrl)."),
                    "400": _error("Invalid parameter (invalid_format, invalid_length, invalid_type)."),
                    "404": _error("Unknown library (library_not_found) or version (tag_not_found)."),
                    **common,
                },
            }
        },
    }
    if full:
        paths["/v2/docs/{mode}/{owner}/{repo}"] = docs_op(docs_params)
        paths["/v2/docs/{mode}/{owner}/{repo}/{version}"] = docs_op(
            [*docs_params[:3], {"name": "version", "in": "path", "required": True, "schema": segment}, *docs_params[3:]]
        )
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "context7-kit local docs server",
            "version": __version__,
            "description": f"A Context7-compatible v2 API over local documentation folders (profile {profile}).",
        },
        "servers": [{"url": "/api"}],
        "paths": paths,
        "components": {"schemas": _schemas()},
    }
    if api_keys:
        document["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        document["security"] = [{"bearer": []}]
    return document
