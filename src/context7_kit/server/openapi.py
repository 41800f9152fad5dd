"""The OpenAPI 3.1 document of the served API.

Schemas come from the core's wire models (``model_json_schema`` by alias),
so the document and the bodies cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from context7_kit._version import __version__
from context7_kit.core.library_id import MAX_LIMIT, MAX_PAGE, MAX_SEGMENT, MAX_TEXT
from context7_kit.core.models import ContextResponse, DocsResponse, ErrorBody, SearchResponse

REF = "#/components/schemas/{model}"
LIBRARY_ID_PATTERN = "^/[^/]+/[^/]+([/@][^/]+)?$"


def _schemas() -> dict[str, Any]:
    _, top = models_json_schema(
        [(m, "serialization") for m in (SearchResponse, DocsResponse, ContextResponse, ErrorBody)],
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


def openapi_document(*, api_keys: bool = False, rate_limited: bool = False) -> dict[str, Any]:
    """The OpenAPI document; ``api_keys`` / ``rate_limited`` add the 401 / 429 answers."""
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

    def search_op(summary: str, params: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "get": {
                "summary": summary,
                "parameters": params,
                "responses": {
                    "200": {
                        "description": "Matching libraries, best first.",
                        "content": {"application/json": {"schema": {"$ref": REF.format(model="SearchResponse")}}},
                    },
                    "400": _error("Invalid parameter (invalid_format, invalid_length)."),
                    **common,
                },
            }
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
                        "headers": pagination_headers,
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

    paths: dict[str, Any] = {
        "/v2/search": search_op(
            "Search libraries by name.", [{**_string("Library name or keywords."), "name": "query", "in": "query"}]
        ),
        "/v2/libs/search": search_op(
            "Search libraries by name, ranked with the user's question.",
            [
                {**_string("Library name.", min_length=1), "name": "libraryName", "in": "query", "required": True},
                {**_string("The user's question.", min_length=1), "name": "query", "in": "query", "required": True},
            ],
        ),
        "/v2/docs/{mode}/{owner}/{repo}": docs_op(docs_params),
        "/v2/docs/{mode}/{owner}/{repo}/{version}": docs_op(
            [*docs_params[:3], {"name": "version", "in": "path", "required": True, "schema": segment}, *docs_params[3:]]
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
                        "content": {
                            "application/json": {"schema": {"$ref": REF.format(model="ContextResponse")}},
                            "text/plain": {"schema": {"type": "string"}},
                        },
                    },
                    "301": _error("The library moved (library_redirected, redirectUrl)."),
                    "400": _error("Invalid parameter (invalid_format, invalid_length, invalid_type)."),
                    "404": _error("Unknown library (library_not_found) or version (tag_not_found)."),
                    **common,
                },
            }
        },
    }
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "context7-kit local docs server",
            "version": __version__,
            "description": "A Context7-compatible v2 API over local documentation folders.",
        },
        "servers": [{"url": "/api"}],
        "paths": paths,
        "components": {"schemas": _schemas()},
    }
    if api_keys:
        document["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        document["security"] = [{"bearer": []}]
    return document
