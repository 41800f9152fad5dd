"""The Starlette application: Context7's v2 API over a :class:`DocsIndex`.

Every route lives under ``/api``, so ``http://HOST:PORT/api`` is a drop-in
base URL for this project's client and for the vendor's MCP server
(``CONTEXT7_API_URL``). Bodies are the core's wire models serialized with
``to_wire()``; text bodies are the core's ``render_snippets``. So the wire
format is written once, in ``context7_kit.core.models``.

Errors are ``{"error": code, "message": text}`` with the documented status
codes; nothing a client sends can produce a 500 or a traceback. A request
that is not routed gets a JSON 404 too.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import quote, urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route

from context7_kit.core.documents import render_snippets
from context7_kit.core.errors import InvalidInputError
from context7_kit.core.library_id import MAX_LIMIT, MAX_PAGE, MAX_SEGMENT, MAX_TEXT, LibraryId
from context7_kit.core.models import (
    CodeSnippet,
    ContextResponse,
    DocsResponse,
    ErrorBody,
    InfoSnippet,
    Mode,
    Pagination,
    ResponseMetadata,
    Rules,
    SearchResponse,
)
from context7_kit.server.index import DocsIndex, TagNotFound
from context7_kit.server.openapi import openapi_document
from context7_kit.server.ratelimit import RateLimit
from context7_kit.server.ratelimit_redis import make_limiter

logger = logging.getLogger("context7_kit.server")

MAX_LIBRARY_ID = 3 * MAX_SEGMENT + 3


class APIError(Exception):
    """An error answered with the documented JSON body."""

    def __init__(
        self, status: int, code: str, message: str, *, headers: Mapping[str, str] | None = None, **extra: Any
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
        self.extra = extra

    def response(self) -> JSONResponse:
        """The JSON response of this error."""
        body = ErrorBody(error=self.code, message=self.message, status=self.status, **self.extra)
        return JSONResponse(body.to_wire(), status_code=self.status, headers=self.headers)


def _show(value: str, limit: int = 60) -> str:
    shown = value if len(value) <= limit else value[: limit - 3] + "..."
    return repr(shown)


@dataclass(frozen=True)
class ServerSettings:
    """What the app enforces beyond serving docs: keys, rate limits and aliases."""

    api_keys: tuple[str, ...] = ()
    rate_limit: RateLimit | None = None
    aliases: Mapping[str, str] | None = None
    rate_limit_store: str | None = None


class _Guard:
    """Authentication and rate limiting, applied to every API request."""

    def __init__(self, settings: ServerSettings) -> None:
        self.keys = tuple(k for k in settings.api_keys if k)
        self.limiter = make_limiter(settings.rate_limit, settings.rate_limit_store) if settings.rate_limit else None

    async def check(self, request: Request) -> tuple[str, dict[str, str]]:
        """The authentication level and the rate-limit headers, or raise 401 / 429."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip() if scheme.lower() == "bearer" else ""
        authentication = "none"
        if self.keys:
            if not token:
                raise APIError(
                    401,
                    "invalid_api_key",
                    "This server requires an API key: send 'Authorization: Bearer <key>'.",
                )
            if not any(hmac.compare_digest(token.encode(), key.encode()) for key in self.keys):
                raise APIError(401, "invalid_api_key", "The API key is not valid for this server.")
            authentication = "personal"
        headers: dict[str, str] = {}
        if self.limiter is not None:
            client = request.client.host if request.client else "unknown"
            who = f"key:{token}" if authentication != "none" else f"ip:{client}"
            decision = await self.limiter.hit_async(who)
            headers = decision.headers()
            if not decision.allowed:
                raise APIError(
                    429,
                    "rate_limit_exceeded",
                    f"Rate limit exceeded: at most {decision.limit} requests per {decision.period:g} s. "
                    f"Retry after {decision.retry_after} s.",
                    headers={**headers, "Retry-After": str(decision.retry_after)},
                )
        return authentication, headers


def _int_param(request: Request, name: str, default: int, high: int, code: str) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    text = raw.strip()
    value = int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None
    if value is None or value < 1:
        raise APIError(400, code, f"{name} must be an integer between 1 and {high}, not {_show(raw)}.")
    if value > high:
        if name == "limit":
            raise APIError(400, code, f"limit must be at most {high} (got {value}).", max_limit=high)
        raise APIError(400, code, f"{name} must be at most {high} (got {value}).")
    return value


def _text_param(request: Request, name: str, *, required: bool = False) -> str | None:
    raw = request.query_params.get(name)
    if raw is None:
        if required:
            raise APIError(400, "invalid_format", f"The query parameter {name!r} is required.")
        return None
    if len(raw) > MAX_TEXT:
        raise APIError(400, "invalid_length", f"{name} is {len(raw)} characters long; the maximum is {MAX_TEXT}.")
    if required and not raw:
        raise APIError(400, "invalid_length", f"{name} must not be empty.")
    return raw.strip() or None


def _type_param(request: Request) -> str:
    value = request.query_params.get("type", "txt")
    if value not in ("json", "txt"):
        raise APIError(400, "invalid_type", f"type must be 'json' or 'txt', not {_show(value)}.")
    return value


def _pagination_headers(pagination: Pagination, total_tokens: int) -> dict[str, str]:
    return {
        "x-context7-page": str(pagination.page),
        "x-context7-limit": str(pagination.limit),
        "x-context7-total-pages": str(pagination.total_pages),
        "x-context7-has-next": "true" if pagination.has_next else "false",
        "x-context7-has-prev": "true" if pagination.has_prev else "false",
        "x-context7-total-tokens": str(total_tokens),
    }


Handler = Callable[[Request, str], Awaitable[Response]]


def create_app(
    index: DocsIndex,
    *,
    api_keys: Sequence[str] = (),
    rate_limit: RateLimit | None = None,
    aliases: Mapping[str, str] | None = None,
    rate_limit_store: str | None = None,
) -> Starlette:
    """The ASGI app serving ``index``.

    ``api_keys``: when given, every API request needs one of them
    (``Authorization: Bearer <key>``), else 401 ``invalid_api_key``.
    ``rate_limit``: requests per window per key (or per client address
    without a key), else 429 ``rate_limit_exceeded``; counted in this
    process, or in the Redis at ``rate_limit_store`` (``redis://...``) so
    every replica shares the limits. ``aliases``: old
    library ID -> new one, answered with 301 ``library_redirected``.
    """
    alias_map: dict[str, str] = {}
    for old, new in (aliases or {}).items():
        old_id, new_id = LibraryId.parse(old).base, LibraryId.parse(new).base
        if new_id not in index.sources:
            raise ValueError(f"Alias {old_id} -> {new_id}: {new_id} is not a served library.")
        alias_map[old_id] = new_id
    by_lower = {lib.lower(): lib for lib in index.sources}
    guard = _Guard(ServerSettings(tuple(api_keys), rate_limit, alias_map, rate_limit_store))

    def resolve(library: LibraryId, redirect_to: Callable[[str], str]) -> str:
        base = library.base
        if base in alias_map:
            target = alias_map[base]
            raise APIError(
                301,
                "library_redirected",
                f"Library {base} moved to {target}.",
                headers={"Location": redirect_to(target)},
                redirect_url=target,
            )
        served = base if base in index.sources else by_lower.get(base.lower())
        if served is None:
            raise APIError(
                404, "library_not_found", f"Library {_show(base)} was not found. Search for it with /v2/search."
            )
        return served

    def guarded(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                authentication, headers = await guard.check(request)
                response = await handler(request, authentication)
            except APIError as exc:
                return exc.response()
            response.headers.update(headers)
            return response

        return endpoint

    async def search(request: Request, authentication: str) -> Response:
        query = _text_param(request, "query")
        results = await run_in_threadpool(index.search_libraries, query, query, require_name=True) if query else []
        body = SearchResponse(results=results, metadata=ResponseMetadata(authentication=authentication))
        return JSONResponse(body.to_wire())

    async def libs_search(request: Request, authentication: str) -> Response:
        name = _text_param(request, "libraryName", required=True)
        query = _text_param(request, "query", required=True)
        results = await run_in_threadpool(index.search_libraries, name, query, require_name=True) if name else []
        return JSONResponse(SearchResponse(results=results, search_filter_applied=False).to_wire())

    async def docs(request: Request, authentication: str) -> Response:
        params = request.path_params
        mode = str(params["mode"])
        owner, repo, version = str(params["owner"]), str(params["repo"]), params.get("version")
        for name, segment in (("owner", owner), ("repo", repo), ("version", version)):
            if segment is not None and len(segment) > MAX_SEGMENT:
                raise APIError(400, "invalid_length", f"The {name} is longer than {MAX_SEGMENT} characters.")
        if mode not in ("code", "info"):
            raise APIError(400, "invalid_format", f"The mode must be 'code' or 'info', not {_show(mode)}.")
        kind: Mode = "code" if mode == "code" else "info"
        response_type = _type_param(request)
        topic = _text_param(request, "topic")
        page = _int_param(request, "page", 1, MAX_PAGE, "invalid_page")
        limit = _int_param(request, "limit", MAX_LIMIT, MAX_LIMIT, "invalid_limit")
        try:
            library = LibraryId(owner, repo, str(version) if version is not None else None)
            LibraryId.parse(str(library))
        except InvalidInputError:
            raise APIError(
                404, "library_not_found", f"Library {_show('/' + owner + '/' + repo)} was not found."
            ) from None

        def moved(target: str) -> str:
            path = "/".join(quote(s, safe="") for s in [*target.strip("/").split("/"), *([version] if version else [])])
            query = f"?{request.url.query}" if request.url.query else ""
            return f"{request.scope.get('root_path', '')}/v2/docs/{mode}/{path}{query}"

        served = resolve(library, moved)
        try:
            result = await run_in_threadpool(
                partial(index.docs, served, library.version, kind, topic, page=page, limit=limit)
            )
        except TagNotFound:
            versions = ", ".join(index.versions(served)[:10]) or "none"
            raise APIError(
                404,
                "tag_not_found",
                f"Version {_show(library.version or '')} of {served} was not found (versions: {versions}).",
            ) from None
        pagination = Pagination(
            page=page,
            limit=limit,
            total_pages=result.total_pages,
            has_next=page < result.total_pages,
            has_prev=page > 1,
        )
        if response_type == "txt":
            return PlainTextResponse(
                render_snippets(result.snippets), headers=_pagination_headers(pagination, result.total_tokens)
            )
        body = DocsResponse(
            snippets=result.snippets,
            total_tokens=result.total_tokens,
            pagination=pagination,
            metadata=ResponseMetadata(authentication=authentication),
        )
        return JSONResponse(body.to_wire())

    async def context(request: Request, authentication: str) -> Response:
        raw_id = request.query_params.get("libraryId")
        if raw_id is None:
            raise APIError(400, "invalid_format", "The query parameter 'libraryId' is required, e.g. /vercel/next.js.")
        if len(raw_id) > MAX_LIBRARY_ID:
            raise APIError(400, "invalid_length", f"libraryId is longer than {MAX_LIBRARY_ID} characters.")
        parts = raw_id.split("/")
        if not raw_id.startswith("/") or len(parts) not in (3, 4) or not all(parts[1:]):
            raise APIError(
                400,
                "invalid_format",
                f"libraryId {_show(raw_id)} is not of the form /owner/repo, /owner/repo/version "
                "or /owner/repo@version.",
            )
        query = _text_param(request, "query", required=True)
        response_type = _type_param(request)
        fast_raw = request.query_params.get("fast", "false").lower()
        if fast_raw not in ("true", "false", "1", "0"):
            raise APIError(400, "invalid_format", f"fast must be 'true' or 'false', not {_show(fast_raw)}.")
        fast = fast_raw in ("true", "1")
        try:
            library = LibraryId.parse(raw_id)
        except InvalidInputError:
            raise APIError(404, "library_not_found", f"Library {_show(raw_id)} was not found.") from None

        def moved(target: str) -> str:
            new_id = target + (f"/{library.version}" if library.version else "")
            pairs = [(k, new_id if k == "libraryId" else v) for k, v in request.query_params.multi_items()]
            return f"{request.scope.get('root_path', '')}/v2/context?{urlencode(pairs)}"

        served = resolve(library, moved)
        try:
            ranked = (
                await run_in_threadpool(index.ranked_context, served, library.version, query or "", fast=fast)
                if query
                else []
            )
        except TagNotFound:
            raise APIError(
                404, "tag_not_found", f"Version {_show(library.version or '')} of {served} was not found."
            ) from None
        if response_type == "txt":
            return PlainTextResponse(render_snippets(ranked))
        code = [s for s in ranked if isinstance(s, CodeSnippet)]
        info = [s for s in ranked if isinstance(s, InfoSnippet)]
        rules = Rules(library_own=index.rules(served))
        return JSONResponse(ContextResponse(code_snippets=code, info_snippets=info, rules=rules).to_wire())

    document = openapi_document(api_keys=bool(guard.keys), rate_limited=guard.limiter is not None)

    async def openapi(request: Request) -> Response:
        return JSONResponse(document)

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
        if status == 404:
            error = APIError(404, "not_found", "No such route: see /api/openapi.json for the routes served.")
        elif status == 405:
            error = APIError(405, "method_not_allowed", "Only GET is served.", headers=headers)
        else:
            error = APIError(status, "error", str(exc.detail) if isinstance(exc, HTTPException) else "Error.")
        return error.response()

    async def internal_error(request: Request, exc: Exception) -> Response:
        logger.error("Internal error on %s: %r", request.url.path, exc, exc_info=exc)
        return APIError(500, "internal_error", "The server failed to answer this request.").response()

    routes = [
        Route("/openapi.json", openapi),
        Route("/v2/search", guarded(search)),
        Route("/v2/libs/search", guarded(libs_search)),
        Route("/v2/docs/{mode}/{owner}/{repo}", guarded(docs)),
        Route("/v2/docs/{mode}/{owner}/{repo}/{version}", guarded(docs)),
        Route("/v2/context", guarded(context)),
    ]
    app = Starlette(
        routes=[Mount("/api", routes=routes)],
        exception_handlers={HTTPException: not_found, Exception: internal_error},
    )
    app.state.index = index
    return app
