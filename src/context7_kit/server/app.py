"""The Starlette application: Context7's v2 API over a :class:`DocsIndex`.

Every route lives under ``/api``, so ``http://HOST:PORT/api`` is a drop-in
base URL for this project's client and for the vendor's MCP server
(``CONTEXT7_API_URL``). Bodies are the core's wire models serialized with
``to_wire()``; text bodies are the core's ``render_snippets``. So the wire
format is written once, in ``context7_kit.core.models``.

Errors are ``{"error": code, "message": text}`` with the documented status
codes; nothing a client sends can produce a 500 or a traceback.

A *profile* says which generation of the API is served (see docs/server.md):

* ``full`` (default): both surfaces. ``/v2/docs/...`` is served, ``/v2/search``
  answers both meanings at once (``results``: libraries; ``codeSnippets``,
  ``infoSnippets``, ``rules``: the 2026 Search API) and defaults to JSON; an
  unknown route gets a JSON 404.
* ``live``: like context7.com today. No ``/v2/docs/...``; an unknown route
  (those included) gets an HTML 404 like a web app's unknown page;
  ``/v2/search`` is the Search API only, ``type`` defaults to ``txt``.
* ``onprem``: ``live``, plus ``/v2/context`` answers ``text/plain`` whatever
  ``type`` says, and error bodies are ``{"error": text}`` with no ``message``.

Every answer carries ``RateLimit-Limit``, ``RateLimit-Remaining``
(``unlimited`` without ``--rate-limit``), ``RateLimit-Reset`` (Unix time),
``Context7-Quota-Tier`` and ``x-request-id``.
"""

from __future__ import annotations

import calendar
import hmac
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain, zip_longest
from typing import Any, Literal, get_args
from urllib.parse import quote, urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from context7_kit.core.documents import render_snippets
from context7_kit.core.errors import InvalidInputError
from context7_kit.core.library_id import MAX_LIMIT, MAX_PAGE, MAX_SEGMENT, MAX_TEXT, LibraryId
from context7_kit.core.models import (
    CodeSnippet,
    ContextResponse,
    DocsResponse,
    DocsSearchResponse,
    ErrorBody,
    InfoSnippet,
    Library,
    LibraryRules,
    Mode,
    Pagination,
    ResponseMetadata,
    Rules,
    SearchResponse,
)
from context7_kit.server.index import DocsIndex, TagNotFound, VersionPending
from context7_kit.server.openapi import LIBRARY_ID_PATTERN, openapi_document
from context7_kit.server.ratelimit import Decision, RateLimit, RateLimiter
from context7_kit.server.ratelimit_redis import make_limiter

logger = logging.getLogger("context7_kit.server")

MAX_LIBRARY_ID = 3 * MAX_SEGMENT + 3
Profile = Literal["full", "live", "onprem"]
PROFILES: tuple[str, ...] = get_args(Profile)
PENDING_RETRY_AFTER = 5  # seconds: when to ask again for a version being indexed
FAILED_KEY_LIMIT = RateLimit(10, 60.0)  # failed API key attempts per client address
MAX_SEARCH_LIBRARIES = 4  # the Search API's `library` repeats at most 4 times
MAX_SEARCH_HINT = 120  # each `library` value: a name such as `next.js` or an ID such as `/vercel/next.js`
SEARCH_CODE_SNIPPETS = 10
SEARCH_INFO_SNIPPETS = 6
LIBRARY_SEARCH_HINT = "Search for it with /v2/libs/search?libraryName=NAME."
LIBRARY_ID_SHAPE = re.compile(LIBRARY_ID_PATTERN.strip("^$"))
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
NOT_FOUND_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>404: This page could not be found'
    "</title></head><body><h1>404</h1><p>This page could not be found.</p></body></html>"
)


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

    def response(self, profile: Profile = "full") -> JSONResponse:
        """The JSON response of this error; on-premise servers send only ``{"error": text}``."""
        if profile == "onprem":
            wire: dict[str, object] = {"error": self.message}
        else:
            wire = ErrorBody(error=self.code, message=self.message, status=self.status, **self.extra).to_wire()
        return JSONResponse(wire, status_code=self.status, headers=self.headers)


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


def next_month_start(now: float) -> int:
    """The Unix time the next calendar month starts (UTC): when an anonymous quota resets."""
    year, month = time.gmtime(now)[:2]
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return calendar.timegm((year, month, 1, 0, 0, 0))


def quota_headers(tier: str, limit_headers: Mapping[str, str] | None = None) -> dict[str, str]:
    """The 2026 quota headers: a limiter's ``RateLimit-*`` values, or ``unlimited``."""
    headers = dict(limit_headers or {})
    if not headers:
        headers = {
            "RateLimit-Limit": "unlimited",
            "RateLimit-Remaining": "unlimited",
            "RateLimit-Reset": str(next_month_start(time.time())),
        }
    headers["Context7-Quota-Tier"] = tier
    return headers


def _tier(authentication: str) -> str:
    return "anonymous" if authentication == "none" else authentication


class _Guard:
    """Authentication and rate limiting, applied to every API request.

    Failed key attempts are counted per client address (:data:`FAILED_KEY_LIMIT`);
    an address over it gets 429 until its window ends, whatever key it sends.
    The address is the connection's peer, or what a trusted proxy says
    (``--forwarded-allow-ips``): a client cannot pick it with a header.
    """

    def __init__(self, settings: ServerSettings) -> None:
        self.keys = tuple(k for k in settings.api_keys if k)
        self.limiter = make_limiter(settings.rate_limit, settings.rate_limit_store) if settings.rate_limit else None
        store = settings.rate_limit_store
        self.failures = make_limiter(FAILED_KEY_LIMIT, store, name="failed-keys") if self.keys else None

    def _refuse(self, decision: Decision, headers: Mapping[str, str], what: str) -> APIError:
        return APIError(
            429,
            "rate_limit_exceeded",
            f"{what}: at most {decision.limit} per {decision.period:g} s. Retry after {decision.retry_after} s.",
            headers={**headers, "Retry-After": str(decision.retry_after)},
        )

    async def check(self, request: Request) -> tuple[str, dict[str, str]]:
        """The authentication level and the quota headers, or raise 401 / 429."""
        token = _bearer(request.headers.get("authorization", ""))
        client = request.client.host if request.client else "unknown"
        authentication = "none"
        if self.failures is not None:
            blocked = await self.failures.peek_async(f"ip:{client}")
            if not blocked.allowed:
                raise self._refuse(blocked, quota_headers("anonymous", blocked.headers()), "Too many failed API keys")
            valid = bool(token) and any(hmac.compare_digest(token.encode(), key.encode()) for key in self.keys)
            if not valid:
                failed = await self.failures.hit_async(f"ip:{client}")
                if not failed.allowed:
                    raise self._refuse(failed, quota_headers("anonymous", failed.headers()), "Too many failed API keys")
                if not token:
                    raise APIError(
                        401, "invalid_api_key", "This server requires an API key: send 'Authorization: Bearer <key>'."
                    )
                raise APIError(401, "invalid_api_key", "The API key is not valid for this server.")
            authentication = "personal"
        if self.limiter is None:
            return authentication, quota_headers(_tier(authentication))
        who = f"key:{token}" if authentication != "none" else f"ip:{client}"
        decision = await self.limiter.hit_async(who)
        headers = quota_headers(_tier(authentication), decision.headers())
        if not decision.allowed:
            raise self._refuse(decision, headers, "Rate limit exceeded: requests")
        return authentication, headers


def _bearer(header: str) -> str:
    """The token of an ``Authorization: Bearer <token>`` header, or ``""``."""
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


class _AnswerHeaders:
    """ASGI middleware: every answer carries a request id and, where a route set none, the quota headers."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter | None = None, *, keyed: bool = False) -> None:
        self.app = app
        self.limiter = limiter  # where routes set no quota headers: the caller's window, not counted
        self.keyed = keyed  # whether callers are counted by key (when they send one) rather than address

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        sent = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = sent if _REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                present = {name.lower() for name, _ in raw}
                window: dict[str, str] = {}
                if self.limiter is not None and b"ratelimit-limit" not in present:
                    token = _bearer(headers.get(b"authorization", b"").decode("latin-1")) if self.keyed else ""
                    client = scope.get("client")
                    who = f"key:{token}" if token else f"ip:{client[0] if client else 'unknown'}"
                    window = (await self.limiter.peek_async(who)).headers()
                extra = {"x-request-id": request_id, **quota_headers("anonymous", window)}
                raw += [(k.lower().encode(), v.encode()) for k, v in extra.items() if k.lower().encode() not in present]
                message = {**message, "headers": raw}
            await send(message)

        await self.app(scope, receive, send_with_headers)


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


def _library_param(name: str, raw: str, shape_code: str) -> LibraryId:
    """A library ID sent as a query parameter: 400 when malformed, 404 when no library can have it."""
    if len(raw) > MAX_LIBRARY_ID:
        raise APIError(400, "invalid_length", f"{name} is longer than {MAX_LIBRARY_ID} characters.")
    if not LIBRARY_ID_SHAPE.fullmatch(raw):
        raise APIError(
            400,
            shape_code,
            f"{name} {_show(raw)} is not of the form /owner/repo, /owner/repo/version or /owner/repo@version.",
        )
    try:
        return LibraryId.parse(raw)
    except InvalidInputError:  # the right shape, but no library could have this ID
        raise APIError(404, "library_not_found", f"Library {_show(raw)} was not found.") from None


def _type_param(request: Request, default: str = "txt") -> str:
    value = request.query_params.get("type", default)
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
    profile: Profile = "full",
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
    ``profile``: ``full``, ``live`` or ``onprem`` (see the module docs).
    """
    if profile not in PROFILES:
        raise ValueError(f"Unknown profile {profile!r}: use one of {', '.join(PROFILES)}.")
    full = profile == "full"
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
            raise APIError(404, "library_not_found", f"Library {_show(base)} was not found. {LIBRARY_SEARCH_HINT}")
        return served

    def unavailable(exc: LookupError, library: str, version: str | None) -> APIError:
        """202 for a version still being indexed, 404 for one the library does not have."""
        if isinstance(exc, VersionPending):
            shown = f"{library}/{version}" if version else library
            return APIError(
                202,
                "library_not_finalized",
                f"{shown} is being indexed; retry in a few seconds.",
                headers={"Retry-After": str(PENDING_RETRY_AFTER)},
            )
        versions = index.versions(library)
        shown = ", ".join(versions[:10]) or "none"
        return APIError(
            404,
            "tag_not_found",
            f"Version {_show(version or '')} of {library} was not found (versions: {shown}).",
            available_tags=versions,
        )

    def guarded(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            try:
                authentication, headers = await guard.check(request)
                response = await handler(request, authentication)
            except APIError as exc:
                return exc.response(profile)
            response.headers.update(headers)
            return response

        return endpoint

    def search_targets(request: Request) -> list[tuple[str, str | None]]:
        """The (served library, version) pairs a Search API request names."""
        raw = request.query_params.getlist("library")
        if len(raw) > MAX_SEARCH_LIBRARIES:
            raise APIError(
                400, "validation_error", f"library may be given at most {MAX_SEARCH_LIBRARIES} times, not {len(raw)}."
            )
        version = _text_param(request, "version")
        if version is not None and not raw:
            raise APIError(400, "validation_error", "version needs a library: add library=/owner/repo.")
        targets: list[tuple[str, str | None]] = []
        for text in raw:
            pinned: str | None = None
            if not text.startswith("/"):  # a name such as `next.js`: the best match, as /v2/libs/search ranks them
                if len(text) > MAX_SEARCH_HINT:
                    raise APIError(400, "validation_error", f"library is longer than {MAX_SEARCH_HINT} characters.")
                named = index.search_libraries(text, None, require_name=True)
                if not named:
                    raise APIError(
                        404,
                        "no_documentation_found",
                        f"No documentation library matched the library hint {_show(text)}. {LIBRARY_SEARCH_HINT}",
                    )
                served = named[0].id
            else:
                library = _library_param("library", text, "invalid_library_id")
                base = alias_map.get(library.base, library.base)
                found = base if base in index.sources else by_lower.get(base.lower())
                if found is None:
                    raise APIError(
                        404, "library_not_found", f"Library {_show(base)} was not found. {LIBRARY_SEARCH_HINT}"
                    )
                served, pinned = found, library.version
            wanted = pinned or version
            if pinned is None and version is not None and len(raw) > 1 and version not in index.versions(served):
                wanted = None  # with several libraries `version` is contextual, strict only for one (the spec)
            if (served, wanted) not in targets:
                targets.append((served, wanted))
        return targets

    def search_docs(
        targets: list[tuple[str, str | None]], query: str, language: str | None
    ) -> tuple[list[CodeSnippet], list[InfoSnippet], list[str]]:
        """Each library's best snippets for the question, interleaved (best of each library first)."""
        if not targets:  # every served library, or the best few for the question when there are many
            served = sorted(index.sources)
            if len(served) > MAX_SEARCH_LIBRARIES:
                ranked = [lib.id for lib in index.search_libraries(None, query, require_name=False)]
                served = ranked[:MAX_SEARCH_LIBRARIES]
            targets = [(lib, None) for lib in served]
        codes: list[list[CodeSnippet]] = []
        infos: list[list[InfoSnippet]] = []
        for library, version in targets:
            try:
                code, info = index.context(library, version, query)
            except (TagNotFound, VersionPending) as exc:
                raise unavailable(exc, library, version) from None
            if language:
                wanted = language.lower()
                code = [
                    c
                    for c in code
                    if c.code_language.lower() == wanted or any(b.language.lower() == wanted for b in c.code_list)
                ]
            codes.append([c.model_copy(update={"library_id": library}) for c in code])
            infos.append([i.model_copy(update={"library_id": library}) for i in info])

        def interleave(lists: Sequence[Sequence[Any]], cap: int) -> list[Any]:
            return [s for s in chain.from_iterable(zip_longest(*lists)) if s is not None][:cap]

        libraries = list(dict.fromkeys(library for library, _ in targets))
        return interleave(codes, SEARCH_CODE_SNIPPETS), interleave(infos, SEARCH_INFO_SNIPPETS), libraries

    def search_endpoint(dual: bool) -> Handler:
        """The 2026 Search API; ``dual`` (/v2/search in the full profile): also the older library search."""

        async def search(request: Request, authentication: str) -> Response:
            query = _text_param(request, "query", required=not dual)
            response_type = _type_param(request, "json" if dual else "txt")
            language = _text_param(request, "language")
            targets = await run_in_threadpool(search_targets, request)  # names are looked up in the index
            code: list[CodeSnippet] = []
            info: list[InfoSnippet] = []
            searched: list[str] = []
            if query:
                code, info, searched = await run_in_threadpool(search_docs, targets, query, language)
            if response_type == "txt":
                return PlainTextResponse(render_snippets([*code, *info]))
            results: list[Library] | None = None
            if dual:
                results = (
                    await run_in_threadpool(index.search_libraries, query, query, require_name=True) if query else []
                )
            rules = Rules(libraries=[LibraryRules(library_id=lib, library_own=index.rules(lib)) for lib in searched])
            body = DocsSearchResponse(code_snippets=code, info_snippets=info, rules=rules).to_wire()
            if dual:  # the older meaning of this path too: libraries, for Surface A clients
                older = SearchResponse(results=results or [], metadata=ResponseMetadata(authentication=authentication))
                body.update(older.to_wire())
            return JSONResponse(body)

        return search

    async def libs_search(request: Request, authentication: str) -> Response:
        """Libraries by name; the question (``query``) refines the order when given."""
        name = _text_param(request, "libraryName", required=True)
        query = _text_param(request, "query")
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
        except (TagNotFound, VersionPending) as exc:
            raise unavailable(exc, served, library.version) from None
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
        library = _library_param("libraryId", raw_id, "invalid_format")
        query = _text_param(request, "query", required=True)
        response_type = _type_param(request)
        fast_raw = request.query_params.get("fast", "false").lower()
        if fast_raw not in ("true", "false", "1", "0"):
            raise APIError(400, "invalid_format", f"fast must be 'true' or 'false', not {_show(fast_raw)}.")
        fast = fast_raw in ("true", "1")

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
        except (TagNotFound, VersionPending) as exc:
            raise unavailable(exc, served, library.version) from None
        if response_type == "txt" or profile == "onprem":
            return PlainTextResponse(render_snippets(ranked))
        code = [s for s in ranked if isinstance(s, CodeSnippet)]
        info = [s for s in ranked if isinstance(s, InfoSnippet)]
        rules = Rules(library_own=index.rules(served))
        return JSONResponse(ContextResponse(code_snippets=code, info_snippets=info, rules=rules).to_wire())

    document = openapi_document(api_keys=bool(guard.keys), rate_limited=guard.limiter is not None, profile=profile)

    async def openapi(request: Request) -> Response:
        return JSONResponse(document)

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        headers = dict(exc.headers or {}) if isinstance(exc, HTTPException) else {}
        if status in (404, 405) and not full:  # an unknown page of a web app, as context7.com answers
            return HTMLResponse(NOT_FOUND_PAGE, status_code=404)
        if status == 404:
            error = APIError(404, "not_found", "No such route: see /api/openapi.json for the routes served.")
        elif status == 405:
            error = APIError(405, "method_not_allowed", "Only GET is served.", headers=headers)
        else:
            error = APIError(status, "error", str(exc.detail) if isinstance(exc, HTTPException) else "Error.")
        return error.response(profile)

    async def internal_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, ConnectionError):  # a shared index (PostgreSQL) is down, unreachable or too slow
            logger.warning("Index unavailable on %s: %s", request.url.path, exc)
            unavailable = "The documentation index is unavailable: retry in a few seconds."
            return APIError(503, "index_unavailable", unavailable, headers={"Retry-After": "5"}).response(profile)
        logger.error("Internal error on %s: %r", request.url.path, exc, exc_info=exc)
        return APIError(500, "internal_error", "The server failed to answer this request.").response(profile)

    routes = [
        Route("/openapi.json", openapi),
        Route("/v2/search", guarded(search_endpoint(full))),
        # The vendor's current OpenAPI document puts the Search API here; /v2/search is where its SDK sends it.
        Route("/v3/search", guarded(search_endpoint(dual=False))),
        Route("/v2/libs/search", guarded(libs_search)),
        Route("/v2/context", guarded(context)),
    ]
    if full:
        routes += [
            Route("/v2/docs/{mode}/{owner}/{repo}", guarded(docs)),
            Route("/v2/docs/{mode}/{owner}/{repo}/{version}", guarded(docs)),
        ]
    app = Starlette(
        routes=[Mount("/api", routes=routes)],
        exception_handlers={HTTPException: not_found, Exception: internal_error},
        middleware=[Middleware(_AnswerHeaders, limiter=guard.limiter, keyed=bool(guard.keys))],
    )
    app.state.index = index
    app.state.profile = profile
    app.state.openapi = document
    return app
