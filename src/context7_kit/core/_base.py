"""What the sync and async clients share: settings, request building, parsing.

Nothing here does I/O. Each public method of the two clients builds a
:class:`Call` here, sends it with its own I/O loop, and hands the response
back to :meth:`BaseClient.interpret`. Request building, error mapping and
response parsing are therefore written once.
"""

from __future__ import annotations

import json
import logging
import platform
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel, ValidationError

from context7_kit._version import __version__
from context7_kit.core.cache import DEFAULT_CACHE_TTL, CacheSetting, cache_key, partition
from context7_kit.core.errors import (
    HTTP_LOGGERS,
    REDACTED,
    APIConnectionError,
    APITimeoutError,
    Context7Error,
    InvalidInputError,
    LibraryRedirectedError,
    NotFoundError,
    RateLimitError,
    RedactKeysFilter,
    ResponseFormatError,
    TLSCertificateError,
    UnsupportedEndpointError,
    error_from_response,
    excerpt,
    header_int,
    header_request_id,
    parse_error_body,
    redact,
    redact_response,
)
from context7_kit.core.library_id import (
    MAX_LIMIT,
    MAX_PAGE,
    LibraryId,
    check_mode,
    check_range,
    check_text,
)
from context7_kit.core.models import (
    CodeSnippet,
    Context,
    ContextResponse,
    DocsPage,
    DocsResponse,
    DocsSearch,
    DocsSearchResponse,
    InfoSnippet,
    LibraryResults,
    Mode,
    PagedSnippet,
    Pagination,
    RateLimit,
    Rules,
    SearchResponse,
    TextDocsPage,
    snippet_tokens,
)
from context7_kit.core.network import CERTIFICATE_HINT, environment_proxy, is_certificate_failure
from context7_kit.core.retry import is_retryable, parse_retry_after, retry_kwargs
from context7_kit.core.settings import (
    DEFAULT_DEADLINE,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_RETRY_WAIT,
    check_client_settings,
)
from context7_kit.core.txt import parse_txt

logger = logging.getLogger("context7_kit")
for _name in HTTP_LOGGERS:
    logging.getLogger(_name).addFilter(RedactKeysFilter())

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
H = TypeVar("H", httpx.Client, httpx.AsyncClient)
AnyHttpClient = httpx.Client | httpx.AsyncClient
"""What ``http_client=`` takes: the sync client uses an ``httpx.Client``, the async one an ``httpx.AsyncClient``."""

# Raw bytes decoded at a time: gzip and deflate expand at most ~1000x, so one step stays ~4 MB.
RAW_CHUNK_BYTES = 4096
# The encodings asked for, and so the only ones read: each has a bounded expansion ratio.
CONTENT_ENCODINGS = ("gzip", "deflate", "identity")
# What get_docs_text accepts as docs: anything else (an HTML error page...) is not cached.
TEXT_MEDIA_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
# The request extension that carries the call's Deadline to the transport under the cache.
DEADLINE_EXTENSION = "context7_kit.deadline"
# Requests in flight per client, so at most this many connections are open at once.
MAX_CONNECTIONS = 50
# Idle connections kept for reuse. httpcore rescans its connections on every request and every
# response, and idle ones make each scan longer: on benchmarks/async_fanout.py (50 requests at
# once), keeping 50 made the burst ~2.5x slower than keeping 20, and keeping 10 makes it
# 1.3-1.7x faster than 20, for this client and for bare httpx alike. Sequential use needs one connection.
MAX_KEEPALIVE = 10
USER_AGENT = f"context7-kit/{__version__} python/{platform.python_version()} httpx/{httpx.__version__}"


# Paths of the two surfaces (see docs/client.md). Surface A's routes may be absent (context7.com dropped them).
LIBS_SEARCH_PATH = "v2/libs/search"
CONTEXT_PATH = "v2/context"
SEARCH_PATH = "v2/search"  # Surface A: library search; 2026: the Search API (search_docs)
# The Search API's path in the vendor's current OpenAPI document; its SDK still sends SEARCH_PATH.
# search_docs asks here first and, where this route is missing, at SEARCH_PATH from then on.
SEARCH_DOCS_PATH = "v3/search"
ONPREM_NOT_FOUND = "Library not found"
MAX_SEARCH_LIBRARIES = 4
MAX_LIBRARY_ID = 500  # libraryId, whole
MAX_LIBRARY_HINT = 120
MAX_LANGUAGE = 40
# The Search API's rule for version= (the vendor's OpenAPI document).
SEARCH_VERSION_PATTERN = re.compile(r"v?[0-9]+(?:[._][0-9]+){0,2}(?:[-+][a-zA-Z0-9.-]+)?")


@dataclass(frozen=True)
class Call(Generic[T]):
    """One API request and how to read its response.

    ``optional_route``: a route a server may not have; a 404 that is not a
    Context7 error then raises :class:`UnsupportedEndpointError`, or, when the
    call has a ``fallback``, the client remembers the route is missing and
    makes the fallback call instead.
    """

    path: str
    params: Mapping[str, str | Sequence[str]]
    parse: Callable[[httpx.Response, LibraryId | None], T]
    library: LibraryId | None = None
    rebuild: Callable[[LibraryId], Call[T]] | None = field(default=None, repr=False)
    optional_route: bool = False
    fallback: Call[T] | None = field(default=None, repr=False)


def _model(response: httpx.Response, model: type[M]) -> M:
    """Parse a JSON body into ``model``, or raise :class:`ResponseFormatError`."""
    try:
        return model.model_validate(json.loads(response.content))
    except (ValueError, ValidationError, RecursionError) as exc:  # RecursionError: absurdly nested JSON
        problem = "is not JSON" if isinstance(exc, json.JSONDecodeError) else "does not match the documented format"
        raise ResponseFormatError(
            f"The Context7 server answered {response.status_code} but its body {problem} "
            f"({excerpt(response.content, 120)!r}).",
            hint="Check base_url points at a Context7 API.",
            response=response,
        ) from None


class Deadline:
    """The time left for one call: every attempt, read and retry wait counts against it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends_at = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left (0 when the deadline has passed)."""
        return max(0.0, self.ends_at - time.monotonic())

    def expired(self) -> APITimeoutError:
        """The error of a call that ran out of time."""
        return APITimeoutError(
            f"The call did not finish within its deadline of {self.seconds:g} s.",
            hint="Try again later, or raise deadline= on the client.",
        )

    def check(self) -> None:
        """Raise :class:`APITimeoutError` once the deadline has passed."""
        if time.monotonic() >= self.ends_at:
            raise self.expired()

    def limit(self, request: httpx.Request) -> None:
        """Shorten the request's connect/read/write/pool timeouts to the time left."""
        self.check()
        left = self.remaining()
        timeouts = request.extensions.get("timeout") or {}
        request.extensions["timeout"] = {
            phase: left if timeouts.get(phase) is None else min(float(timeouts[phase]), left)
            for phase in ("connect", "read", "write", "pool")
        }

    def allows_wait(self, seconds: float) -> bool:
        """Whether waiting ``seconds`` before another attempt still leaves time for it."""
        return time.monotonic() + seconds < self.ends_at


class BodyReader:
    """Reads a streamed response body within the size cap and the deadline; no I/O of its own.

    The client streams the raw body and feeds it here as it arrives; it is
    decoded ``RAW_CHUNK_BYTES`` at a time and counted at once, so neither a huge
    body nor a small one that expands (a gzip bomb) is ever held whole.
    """

    def __init__(self, response: httpx.Response, *, max_bytes: int, deadline: Deadline) -> None:
        self.response = response
        self.max_bytes = max_bytes
        self.deadline = deadline
        where = f"{response.request.url.scheme}://{response.request.url.netloc.decode()}"
        self._where = where
        encodings = [e.strip().lower() for e in response.headers.get_list("content-encoding", split_commas=True)]
        unexpected = [e for e in encodings if e and e not in CONTENT_ENCODINGS]
        if unexpected:
            raise ResponseFormatError(
                f"Context7 at {where} answered with Content-Encoding {', '.join(unexpected)!r}, "
                f"which was not asked for (only {', '.join(CONTENT_ENCODINGS)}).",
                hint="Check for a proxy rewriting responses.",
            )
        declared = header_int(response.headers, "content-length")
        if declared is not None and declared > max_bytes and not encodings:
            raise self._too_large(f"{declared} bytes")
        # httpx's own decoder for the response's Content-Encoding, fed small raw chunks.
        self._decoder = response._get_content_decoder()
        self._chunks: list[bytes] = []
        self._size = 0
        if response.is_stream_consumed:
            # Built with its body in memory, already decoded (an httpx.MockTransport response):
            # nothing is left to stream, and the size is checked at once.
            self._add(response.content)
            response.stream = httpx.ByteStream(b"")
            response.is_stream_consumed = response.is_closed = False

    def _too_large(self, size: str) -> ResponseFormatError:
        return ResponseFormatError(
            f"Context7 at {self._where} sent a response body of {size}, over the limit of "
            f"{self.max_bytes} bytes (max_response_bytes).",
            hint="Check base_url points at a Context7 API, or raise max_response_bytes.",
        )

    def _add(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self.max_bytes:
            raise self._too_large(f"more than {self.max_bytes} bytes decoded")
        if data:
            self._chunks.append(data)

    def feed(self, raw: bytes) -> None:
        """Decode and keep a raw chunk as it arrived; raise when over the cap or past the deadline."""
        for start in range(0, len(raw), RAW_CHUNK_BYTES):
            self._add(self._decoder.decode(raw[start : start + RAW_CHUNK_BYTES]))
        self.deadline.check()

    def finish(self) -> httpx.Response:
        """The response with its decoded body in memory, as ``httpx.Response.read()`` leaves it."""
        self._add(self._decoder.flush())
        self.response._content = b"".join(self._chunks)
        return self.response


def _header_bool(headers: Mapping[str, str], name: str) -> bool | None:
    value = headers.get(name, "").strip().lower()
    return {"true": True, "false": False}.get(value)


def is_text(response: httpx.Response) -> bool:
    """Whether a response is Markdown text (``type=txt``) rather than JSON."""
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind in TEXT_MEDIA_TYPES


def rate_limit_from(headers: Mapping[str, str]) -> RateLimit | None:
    """The quota an answer reports (``RateLimit-*``, ``Context7-Quota-Tier``), or None when it reports none."""
    names = ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "context7-quota-tier")
    if not any(name in headers for name in names):
        return None
    remaining_raw = headers.get("ratelimit-remaining", "").strip()
    unlimited = remaining_raw.lower() == "unlimited"
    reset_at = header_int(headers, "ratelimit-reset")
    try:
        reset = datetime.fromtimestamp(reset_at, tz=timezone.utc) if reset_at is not None else None
    except (OverflowError, OSError, ValueError):
        reset = None
    return RateLimit(
        limit=header_int(headers, "ratelimit-limit"),
        remaining=None if unlimited else header_int(headers, "ratelimit-remaining"),
        reset=reset,
        tier=headers.get("context7-quota-tier") or None,
        unlimited=unlimited,
    )


def unsupported_route(path: str, response: httpx.Response, what: str) -> UnsupportedEndpointError:
    """The error for a Surface A route this server does not serve."""
    docs = path.startswith("v2/docs/")
    return UnsupportedEndpointError(
        f"This Context7 server does not serve Surface A's {'/v2/docs/...' if docs else '/' + path} ({what}); "
        "it speaks the 2026 API, as context7.com does.",
        hint=UnsupportedEndpointError.default_hint
        if docs
        else "Use search_library(), which calls /v2/libs/search on every server.",
        status_code=response.status_code,
        response=response,
    )


def _empty_answer(response: httpx.Response, library: LibraryId) -> NotFoundError:
    # The vendor's own clients read an empty 200 from /v2/context this way.
    return NotFoundError(
        f"Context7 answered {response.status_code} with an empty body for {library}: "
        "the library was not found or is not finalized yet.",
        hint="Check the library ID with search_library(), or try again later.",
        status_code=response.status_code,
        response=response,
    )


def text_pagination(headers: Mapping[str, str], page: int, limit: int) -> Pagination:
    """Pagination of a ``type=txt`` response, read from its ``x-context7-*`` headers."""
    total_pages = header_int(headers, "x-context7-total-pages")
    read_page = header_int(headers, "x-context7-page") or page
    has_next = _header_bool(headers, "x-context7-has-next")
    has_prev = _header_bool(headers, "x-context7-has-prev")
    return Pagination(
        page=read_page,
        limit=header_int(headers, "x-context7-limit") or limit,
        total_pages=total_pages if total_pages is not None else read_page,
        has_next=has_next if has_next is not None else False,
        has_prev=has_prev if has_prev is not None else read_page > 1,
    )


def check_text_body(response: httpx.Response) -> None:
    """Raise :class:`ResponseFormatError` unless a ``type=txt`` response is plain text or Markdown."""
    if not is_text(response):
        shown = response.headers.get("content-type", "").split(";")[0].strip().lower() or "no content type"
        raise ResponseFormatError(
            f"The Context7 server answered {response.status_code} with {shown} where docs text "
            f"(text/plain or Markdown) was expected ({excerpt(response.content, 120)!r}).",
            hint="Check base_url points at a Context7 API, not a web page or a login portal.",
            response=response,
        )


def redirect_target(raw: str | None, previous: LibraryId) -> LibraryId | None:
    """The library ID a 301 points to, keeping a pinned version it does not name."""
    if not raw:
        return None
    text = httpx.URL(raw).path if raw.startswith(("http://", "https://")) else raw
    for prefix in ("/api", "/v2/docs/code", "/v2/docs/info"):
        if text.startswith(prefix + "/"):
            text = text[len(prefix) :]
    try:
        target = LibraryId.parse(text)
    except InvalidInputError:
        return None
    if target.version is None and previous.version is not None:
        target = replace(target, version=previous.version)
    return target


class DocsIteration:
    """The pagination plan of ``iter_docs``, shared by both clients.

    ``next_call()`` gives the request for the next page (None when done);
    ``feed()`` takes that page and returns the snippets to yield.
    """

    def __init__(
        self,
        make_call: Callable[[LibraryId, int], Call[DocsPage]],
        library: LibraryId,
        *,
        max_pages: int,
        max_tokens: int | None,
    ) -> None:
        if isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1:
            raise InvalidInputError(f"max_pages must be a positive integer, not {max_pages!r}, e.g. max_pages=3.")
        if max_tokens is not None and (
            isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1
        ):
            raise InvalidInputError(
                f"max_tokens must be a positive integer or None, not {max_tokens!r}, e.g. max_tokens=5000."
            )
        self._make_call = make_call
        self.library = library
        self.max_pages = min(max_pages, MAX_PAGE)
        self.max_tokens = max_tokens
        self.tokens = 0
        self.rank = 0
        self._page = 1
        self._done = False

    def next_call(self) -> Call[DocsPage] | None:
        """The request for the next page, or None when iteration is over."""
        if self._done or self._page > self.max_pages:
            return None
        return self._make_call(self.library, self._page)

    def feed(self, page: DocsPage) -> Iterator[PagedSnippet]:
        """Snippets of ``page`` that fit the budget; decides whether to go on."""
        if page.redirected:
            # Later pages go straight to where the library moved.
            self.library = LibraryId.parse(page.library_id, page.version)
        self._page += 1
        pagination = page.pagination
        if not page.snippets or not pagination.has_next or pagination.page >= pagination.total_pages:
            self._done = True
        for snippet in page.snippets:
            cost = snippet_tokens(snippet)
            if self.max_tokens is not None and self.tokens + cost > self.max_tokens:
                self._done = True
                return
            self.tokens += cost
            self.rank += 1
            yield PagedSnippet(
                snippet=snippet,
                page=pagination.page,
                rank=self.rank,
                library_id=page.library_id,
                version=page.version,
                topic=page.topic,
            )


class BaseClient:
    """Settings and the pure half of every request; subclassed by both clients."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: httpx.Timeout | float | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
        cache: CacheSetting = None,
        cache_ttl: float = DEFAULT_CACHE_TTL,
        follow_redirects: bool = True,
        http_client: httpx.Client | httpx.AsyncClient | None = None,
        headers: Mapping[str, str] | None = None,
        deadline: float = DEFAULT_DEADLINE,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        """Check and keep the settings; argument, then environment, then default.

        Args:
            api_key: the API key (``ctx7sk...``); default ``$CONTEXT7_API_KEY``, else anonymous.
            base_url: the API base URL; default ``$CONTEXT7_API_URL``, else ``https://context7.com/api``.
            timeout: an ``httpx.Timeout`` or seconds, for each connect and each read; default connect 5 s,
                read 60 s.
            max_retries: retries on 429, 5xx, connection errors and timeouts; 0 disables.
            max_retry_wait: the longest wait in seconds; a longer ``Retry-After`` raises at once.
            cache: None (off), ``"memory"``, a SQLite path, a ``redis://`` URL or a hishel storage.
            cache_ttl: seconds a cached response is served (default 6 hours).
            follow_redirects: follow one ``301 library_redirected``.
            http_client: an httpx client to send through; never modified, and not closed by ``close()``.
            headers: extra request headers.
            deadline: seconds a whole call may take, every attempt, read and retry wait included
                (default 120); past it, :class:`APITimeoutError`.
            max_response_bytes: the largest response body accepted, counted after decompression
                (default 20 MB); a larger one raises :class:`ResponseFormatError`.
        """
        settings = check_client_settings(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            max_retry_wait=max_retry_wait,
            cache_ttl=cache_ttl,
            follow_redirects=follow_redirects,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
        )
        self._api_key = settings.api_key
        if settings.api_key:
            RedactKeysFilter.secrets.add(settings.api_key.get_secret_value())
        self.base_url = settings.base_url
        self.timeout = settings.timeout
        self.max_retries = settings.max_retries
        self.max_retry_wait = settings.max_retry_wait
        self.cache_ttl = settings.cache_ttl
        self.follow_redirects = settings.follow_redirects
        self.deadline = settings.deadline
        self.max_response_bytes = settings.max_response_bytes
        self._extra_headers = dict(headers or {})
        self._warned_rate_limit = False
        # Optional routes this server answered as missing: later calls go straight to their fallback.
        self._missing_routes: set[str] = set()
        self._bypassing = ContextVar(f"context7_kit_bypass_{id(self)}", default=False)
        # Built once; httpx.Headers masks Authorization in its repr.
        self._request_headers = httpx.Headers(self._headers())
        # A base URL with its own query or fragment is left to httpx's params= merging (see _build).
        self._plain_base_url = "?" not in self.base_url and "#" not in self.base_url
        self._partition = partition(self.api_key)
        self._rate_limit: RateLimit | None = None
        self._setup_http(http_client, cache)

    _sleep: Callable[[float], Any]
    _http: httpx.Client | httpx.AsyncClient

    def _setup_http(self, http_client: AnyHttpClient | None, cache: CacheSetting) -> None:
        """Make or adopt the HTTP client, and put the cache in front of it (never inside a given one)."""
        raise NotImplementedError

    def _given_http_client(self, http_client: AnyHttpClient | None, kind: type[H]) -> H | None:
        """The ``http_client=`` given, checked to be of ``kind`` (an ``httpx.Client`` or ``httpx.AsyncClient``)."""
        if http_client is None:
            return None
        if not isinstance(http_client, kind):
            other = "AsyncContext7Client" if kind is httpx.Client else "Context7Client"
            raise InvalidInputError(
                f"{type(self).__name__} needs an httpx.{kind.__name__}, not {type(http_client).__name__}; "
                f"use {other} with an httpx.{type(http_client).__name__}."
            )
        return http_client

    @contextmanager
    def bypass_cache(self) -> Iterator[None]:
        """Within the block, calls skip cached answers; what they fetch replaces them in the cache.

        Example::

            with client.bypass_cache():
                page = client.get_docs("/vercel/next.js")  # or: await client.get_docs(...)

        Without a cache this changes nothing. It applies to this client's calls
        in the current thread or task only.
        """
        token = self._bypassing.set(True)
        try:
            yield
        finally:
            self._bypassing.reset(token)

    # -- settings ---------------------------------------------------------

    @property
    def api_key(self) -> str | None:
        """The API key in clear, for code that must pass it on. Never logged."""
        return self._api_key.get_secret_value() if self._api_key else None

    @property
    def authenticated(self) -> bool:
        """Whether requests carry an API key."""
        return self._api_key is not None

    def __repr__(self) -> str:
        key = "set" if self._api_key else "none"
        return f"{type(self).__name__}(base_url={self.base_url!r}, api_key={key})"

    def _headers(self) -> dict[str, str]:
        headers = {
            "User-Agent": USER_AGENT,
            "Accept": "application/json, text/plain;q=0.9",
            "Accept-Encoding": ", ".join(e for e in CONTENT_ENCODINGS if e != "identity"),
            **self._extra_headers,
        }
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key.get_secret_value()}"
        return headers

    def _http_kwargs(self) -> dict[str, Any]:
        """Settings for an ``httpx.Client`` / ``AsyncClient`` made by this client."""
        # Library redirects (301 library_redirected) are handled here, not by httpx.
        limits = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=MAX_KEEPALIVE)
        return {"timeout": self.timeout, "follow_redirects": False, "trust_env": True, "limits": limits}

    def _build(self, http: httpx.Client | httpx.AsyncClient, call: Call[Any], deadline: Deadline) -> httpx.Request:
        url = f"{self.base_url}/{call.path}"
        if call.params and self._plain_base_url and not http.params:
            # The query encoded once, exactly as httpx encodes params= (urllib's urlencode), so
            # httpx parses the URL once instead of parsing it, then merging and re-parsing it.
            query = urlencode(call.params, doseq=True)
            request = http.build_request("GET", f"{url}?{query}", headers=self._request_headers)
        else:
            request = http.build_request("GET", url, params=dict(call.params), headers=self._request_headers)
        request.extensions["caching"] = {"key": cache_key(self._partition, request), "ttl": self.cache_ttl}
        request.extensions[DEADLINE_EXTENSION] = deadline
        deadline.limit(request)
        return request

    def _reader(self, response: httpx.Response, deadline: Deadline) -> BodyReader:
        return BodyReader(response, max_bytes=self.max_response_bytes, deadline=deadline)

    def _cache_reader(self, response: httpx.Response) -> BodyReader:
        """How the cache's transport reads an answer it may store: within the size cap and the call's deadline."""
        deadline = response.request.extensions.get(DEADLINE_EXTENSION)
        return self._reader(response, deadline if isinstance(deadline, Deadline) else Deadline(self.deadline))

    def _storable(self, response: httpx.Response) -> httpx.Response:
        """What the cache may store of a read answer: decoded, without this client's key (see ``_credential_free``)."""
        from context7_kit.core._credential_free import storable  # noqa: PLC0415  (loads hishel)

        return storable(response, self.api_key)

    def _transport_error(self, exc: httpx.HTTPError, request: httpx.Request) -> Context7Error:
        where = f"{request.url.scheme}://{request.url.netloc.decode()}"
        proxy = environment_proxy(request.url) if self._http.trust_env else None
        through = f" through the proxy {proxy[1]}, set by {proxy[0]}" if proxy else ""
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(
                f"Context7 did not answer in time ({type(exc).__name__} from {where}{through}).",
                hint="Try again, or raise timeout= on the client.",
            )
        if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
            return Context7Error(f"Cannot send a request to {where}.", hint="check base_url.", sep=": ")
        detail = redact(str(exc), self.api_key) or type(exc).__name__
        if isinstance(exc, httpx.DecodingError):
            # The server was reached; its body is what is broken (e.g. a Content-Encoding it does not match).
            return ResponseFormatError(
                f"Context7 at {where} answered with a body that cannot be decoded ({detail}).",
                hint="Check for a proxy rewriting responses.",
            )
        if is_certificate_failure(exc):
            return TLSCertificateError(
                f"The TLS certificate of {where}{through} could not be verified ({detail}).", hint=CERTIFICATE_HINT
            )
        if proxy is not None:
            return APIConnectionError(
                f"Could not reach Context7 at {where}{through} ({detail}).",
                hint=f"Check that the proxy is up, or leave this host out of it with NO_PROXY={request.url.host}",
            )
        return APIConnectionError(
            f"Could not reach Context7 at {where} ({detail}).", hint="Check the network and base_url, then retry."
        )

    def _check(self, response: httpx.Response) -> None:
        """Raise the typed error of a response that is not a 200."""
        if response.status_code != 200:
            raise error_from_response(response, secret=self.api_key, retry_after=parse_retry_after)

    def should_retry(self, error: Exception) -> bool:
        """Whether a failed first attempt goes on to the retry policy (retry.py) at all."""
        return self.max_retries > 0 and is_retryable(error, self.max_retry_wait)

    def _retry_kwargs(self, deadline: Deadline) -> dict[str, Any]:
        """Tenacity's settings for one call: this client's policy, within the call's deadline."""
        return retry_kwargs(
            max_retries=self.max_retries,
            max_retry_wait=self.max_retry_wait,
            sleep=self._sleep,
            allows_wait=deadline.allows_wait,
            on_retry=self._warn_once,
        )

    def _warn_once(self, error: BaseException | None) -> None:
        """Say once per client, at WARNING, what the user can do about being rate limited."""
        if isinstance(error, RateLimitError) and not self.authenticated and not self._warned_rate_limit:
            self._warned_rate_limit = True
            logger.warning(
                "Context7 is rate limiting calls made without an API key: they are retried, but set "
                "CONTEXT7_API_KEY (or pass api_key=) for higher limits."
            )

    @property
    def rate_limit(self) -> RateLimit | None:
        """The quota reported by the last answer that reported one (None before any)."""
        return self._rate_limit

    def interpret(self, call: Call[T], response: httpx.Response) -> T:
        """Turn a received response into the call's result, or raise."""
        redact_response(response, self.api_key)
        quota = rate_limit_from(response.headers)
        if quota is not None:
            self._rate_limit = quota
        if call.optional_route and response.status_code == 404:
            body = parse_error_body(response.content)
            if body is None or body.error in (None, "not_found"):
                what = "it answered 404 with " + ("a web page" if b"<" in response.content[:200] else "no API error")
                raise unsupported_route(call.path, response, what)
        self._check(response)
        try:
            return call.parse(response, call.library)
        except ResponseFormatError as exc:
            # Its message quotes the body, which might echo the key back.
            raise ResponseFormatError(redact(exc.detail, self.api_key), hint=exc.hint, response=response) from None

    def follow(self, call: Call[T], error: LibraryRedirectedError, redirects: int) -> Call[T]:
        """The call to make after a 301, or raise when it must not be followed."""
        echoed = REDACTED in (error.new_library_id or "")
        target = redirect_target(error.new_library_id, call.library) if call.library and not echoed else None
        if not self.follow_redirects or redirects > 0 or target is None or call.rebuild is None:
            reason = (
                "follow_redirects is off"
                if not self.follow_redirects
                else "it was already redirected once"
                if redirects
                else "the target holds the API key"
                if echoed
                else "the server gave no usable new ID"
            )
            new = error.new_library_id or "unknown"
            raise LibraryRedirectedError(
                f"Library {call.library} moved to {new} (not followed: {reason}).",
                hint=f"Use {new} instead.",
                new_library_id=error.new_library_id,
                status_code=error.status_code,
                error_code=error.error_code,
                response=error.response,
            ) from None
        logger.info("Library %s moved to %s; following the redirect", call.library, target)
        return call.rebuild(target)

    # -- calls ------------------------------------------------------------

    def search_call(
        self, query: str, library_name: str | None = None, *, fast: bool | None = None
    ) -> Call[LibraryResults]:
        """``GET /v2/libs/search``: ``libraryName`` is ``library_name`` or else ``query``, ranked by ``query``."""
        q = check_text("query", query, required=True)
        name = check_text("library_name", library_name, required=True) if library_name is not None else q
        assert q is not None and name is not None
        params = {"libraryName": name, "query": q}
        if fast:  # false is the server's default
            params["fast"] = "true"
        return Call(LIBS_SEARCH_PATH, params, _parse_libraries)

    def legacy_search_call(self, query: str) -> Call[LibraryResults]:
        """Surface A's library search, ``GET /v2/search?query=``, for servers that still serve it."""
        q = check_text("query", query, required=True)
        assert q is not None

        def parse(response: httpx.Response, _: LibraryId | None) -> LibraryResults:
            # A server that gives /v2/search only its 2026 meaning answers snippets (or text), no "results".
            if is_text(response) or (
                b'"results"' not in response.content
                and (b'"codeSnippets"' in response.content or b'"infoSnippets"' in response.content)
            ):
                raise unsupported_route(SEARCH_PATH, response, "its /v2/search is the 2026 Search API")
            return _parse_libraries(response, None)

        return Call(SEARCH_PATH, {"query": q}, parse, optional_route=True)

    def search_docs_call(
        self,
        query: str,
        *,
        libraries: str | Iterable[str] | None = None,
        version: str | None = None,
        language: str | None = None,
    ) -> Call[DocsSearch]:
        """The Search API, ``GET /v3/search`` (else ``/v2/search``): docs across up to four libraries for a question."""
        q = check_text("query", query, required=True)
        assert q is not None
        hints = check_library_hints(libraries)
        checked_version = check_search_version(version, hints)
        checked_language = check_text("language", language)
        if checked_language is not None and len(checked_language) > MAX_LANGUAGE:
            raise InvalidInputError(
                f"language is {len(checked_language)} characters long; the API accepts at most {MAX_LANGUAGE}, "
                "e.g. language='TypeScript'."
            )
        params: dict[str, str | Sequence[str]] = {"query": q, "type": "json"}
        if hints:
            params["library"] = hints
        if checked_version is not None:
            params["version"] = checked_version
        if checked_language is not None:
            params["language"] = checked_language

        def parse(response: httpx.Response, _: LibraryId | None) -> DocsSearch:
            content = response.content
            if b'"results"' in content and b'"codeSnippets"' not in content and b'"infoSnippets"' not in content:
                # A server from before the Search API answers this path with Surface A's library list.
                raise UnsupportedEndpointError(
                    "This Context7 server's /v2/search is Surface A's library search, not the 2026 Search API.",
                    hint="Use get_context(library_id, question) for each library instead.",
                    status_code=response.status_code,
                    response=response,
                )
            code, info, rules = read_snippets(response, DocsSearchResponse)
            return DocsSearch(
                query=q,
                libraries=hints,
                version=checked_version,
                language=checked_language,
                code_snippets=code,
                info_snippets=info,
                rules=rules,
                request_id=header_request_id(response),
            )

        at_v2: Call[DocsSearch] = Call(SEARCH_PATH, params, parse)
        return Call(SEARCH_DOCS_PATH, params, parse, optional_route=True, fallback=at_v2)

    def known_route(self, call: Call[T]) -> Call[T]:
        """``call``, or its fallback when this server already answered its route as missing."""
        while call.fallback is not None and call.path in self._missing_routes:
            call = call.fallback
        return call

    def route_missing(self, call: Call[T], error: UnsupportedEndpointError) -> Call[T]:
        """The call to make when ``call``'s route is missing on this server, or raise ``error``."""
        if call.fallback is None:
            raise error
        logger.info("This server has no /%s: using /%s instead", call.path, call.fallback.path)
        self._missing_routes.add(call.path)
        return call.fallback

    @staticmethod
    def docs_call(
        library_id: str | LibraryId,
        *,
        topic: str | None = None,
        mode: str = "code",
        version: str | None = None,
        page: int = 1,
        limit: int = 10,
        text: bool = False,
    ) -> Call[Any]:
        """``GET /v2/docs/{mode}/{owner}/{repo}[/{version}]``, json or txt."""
        library = LibraryId.of(library_id, version)
        checked_mode: Mode = check_mode(mode)
        checked_topic = check_text("topic", topic)
        check_range("page", page, MAX_PAGE)
        check_range("limit", limit, MAX_LIMIT)
        requested = library.base
        params = {"type": "txt" if text else "json", "page": str(page), "limit": str(limit)}
        if checked_topic:
            params["topic"] = checked_topic

        def served(lib: LibraryId | None) -> LibraryId:
            return lib or library

        def parse_json(response: httpx.Response, lib: LibraryId | None) -> DocsPage:
            body = _model(response, DocsResponse)
            final = served(lib)
            return DocsPage(
                library_id=final.base,
                requested_library_id=requested,
                version=final.version,
                topic=checked_topic,
                mode=checked_mode,
                snippets=body.snippets,
                total_tokens=body.total_tokens,
                pagination=body.pagination,
                authentication=body.metadata.authentication if body.metadata else None,
                request_id=header_request_id(response),
            )

        def parse_text(response: httpx.Response, lib: LibraryId | None) -> TextDocsPage:
            check_text_body(response)
            final = served(lib)
            return TextDocsPage(
                library_id=final.base,
                requested_library_id=requested,
                version=final.version,
                topic=checked_topic,
                mode=checked_mode,
                text=response.text,
                total_tokens=header_int(response.headers, "x-context7-total-tokens"),
                pagination=text_pagination(response.headers, page, limit),
                request_id=header_request_id(response),
            )

        def build(lib: LibraryId) -> Call[Any]:
            return Call(
                f"v2/docs/{checked_mode}/{lib.path}",
                params,
                parse_text if text else parse_json,
                library=lib,
                rebuild=build,
                optional_route=True,
            )

        return build(library)

    @staticmethod
    def docs_plan(
        library_id: str | LibraryId,
        *,
        topic: str | None = None,
        mode: str = "code",
        version: str | None = None,
        limit: int = 10,
        max_pages: int = MAX_PAGE,
        max_tokens: int | None = None,
    ) -> DocsIteration:
        """The pagination plan of ``iter_docs``; input is checked here, before any request."""
        first = BaseClient.docs_call(library_id, topic=topic, mode=mode, version=version, limit=limit)
        assert first.library is not None

        def make_call(library: LibraryId, page: int) -> Call[DocsPage]:
            call: Call[DocsPage] = BaseClient.docs_call(library, topic=topic, mode=mode, page=page, limit=limit)
            return call

        return DocsIteration(make_call, first.library, max_pages=max_pages, max_tokens=max_tokens)

    def context_call(
        self, library_id: str | LibraryId, query: str, *, fast: bool | None = None, version: str | None = None
    ) -> Call[Context]:
        """``GET /v2/context``: snippets chosen for one question; a Markdown answer is parsed into them."""
        library = LibraryId.of(library_id, version)
        if len(str(library)) > MAX_LIBRARY_ID:
            raise InvalidInputError(
                f"The library ID is {len(str(library))} characters long; /v2/context accepts at most "
                f"{MAX_LIBRARY_ID}, e.g. '/vercel/next.js/v15.1.8'."
            )
        q = check_text("query", query, required=True)
        assert q is not None
        requested = library.base

        def parse(response: httpx.Response, lib: LibraryId | None) -> Context:
            final = lib or library
            if not response.content.strip():
                raise _empty_answer(response, final)
            if is_text(response) and response.text.lstrip().startswith(ONPREM_NOT_FOUND):
                # An on-premise server answers a missing library with 200 and this text.
                raise NotFoundError(
                    f"The Context7 server answered: {excerpt(response.content)}",
                    hint="Check the library ID, or call search_library() to find the right one.",
                    status_code=response.status_code,
                    error_code="library_not_found",
                    response=response,
                )
            code, info, rules = read_snippets(response, ContextResponse)
            return Context(
                library_id=final.base,
                requested_library_id=requested,
                version=final.version,
                query=q,
                code_snippets=code,
                info_snippets=info,
                rules=rules,
                request_id=header_request_id(response),
                from_text=is_text(response),
            )

        def build(lib: LibraryId) -> Call[Context]:
            params = {"libraryId": str(lib), "query": q, "type": "json"}
            if fast:  # false is the server's default: left out, so the request (and its cache key) stays the same
                params["fast"] = "true"
            return Call(CONTEXT_PATH, params, parse, library=lib, rebuild=build)

        return build(library)


def _parse_libraries(response: httpx.Response, _: LibraryId | None) -> LibraryResults:
    body = _model(response, SearchResponse)
    return LibraryResults(
        body.results, request_id=header_request_id(response), search_filter_applied=body.search_filter_applied
    )


def read_snippets(
    response: httpx.Response, model: type[ContextResponse] | type[DocsSearchResponse]
) -> tuple[list[CodeSnippet], list[InfoSnippet], Rules | None]:
    """Code snippets, info snippets and rules of a JSON answer, or of a Markdown one (which has no rules)."""
    if is_text(response):
        code, info = split_snippets(parse_txt(response.text))
        return code, info, None
    body = _model(response, model)
    return body.code_snippets, body.info_snippets, body.rules


def split_snippets(snippets: Iterable[CodeSnippet | InfoSnippet]) -> tuple[list[CodeSnippet], list[InfoSnippet]]:
    """Code snippets and info snippets apart, each in order."""
    code: list[CodeSnippet] = []
    info: list[InfoSnippet] = []
    for snippet in snippets:
        if isinstance(snippet, CodeSnippet):
            code.append(snippet)
        else:
            info.append(snippet)
    return code, info


def check_library_hints(libraries: str | Iterable[str] | None) -> list[str]:
    """The Search API's ``library`` hints: names or IDs, at most four, each 1..120 characters."""
    if libraries is None:
        return []
    items = [libraries] if isinstance(libraries, str) else list(libraries)
    hints: list[str] = []
    for item in items:
        hint = check_text("libraries", item, required=True)
        assert hint is not None
        if len(hint) > MAX_LIBRARY_HINT:
            raise InvalidInputError(
                f"A library hint is {len(hint)} characters long; the API accepts at most {MAX_LIBRARY_HINT}, "
                "e.g. libraries=['next.js', '/vercel/next.js']."
            )
        hints.append(hint)
    if len(hints) > MAX_SEARCH_LIBRARIES:
        raise InvalidInputError(
            f"libraries has {len(hints)} entries; the API searches at most {MAX_SEARCH_LIBRARIES} at once, "
            "e.g. libraries=['next.js', 'react']."
        )
    return hints


def check_search_version(version: str | None, hints: Sequence[str]) -> str | None:
    """The Search API's ``version``: needs a library hint, and looks like ``15.2`` or ``v15.1.8``."""
    if version is None:
        return None
    checked = check_text("version", version, required=True)
    assert checked is not None
    if not hints:
        raise InvalidInputError("version= needs at least one library, e.g. libraries=['next.js'], version='15.2'.")
    if not SEARCH_VERSION_PATTERN.fullmatch(checked):
        raise InvalidInputError(
            f"version {checked!r} is not a version number the Search API accepts, e.g. version='15.2' or 'v15.1.8'."
        )
    return checked


def check_docs_request(
    library_id: str | LibraryId,
    *,
    topic: str | None = None,
    mode: str = "code",
    version: str | None = None,
    limit: int = 10,
    max_pages: int = MAX_PAGE,
    max_tokens: int | None = None,
) -> LibraryId:
    """Check a docs request's input as ``get_docs`` / ``iter_docs`` do, without I/O; the parsed library ID.

    Raises :class:`InvalidInputError` for a bad library ID, version, topic, mode,
    limit, ``max_pages`` or ``max_tokens``.
    """
    plan = BaseClient.docs_plan(
        library_id, topic=topic, mode=mode, version=version, limit=limit, max_pages=max_pages, max_tokens=max_tokens
    )
    return plan.library


def is_transport_error(exc: BaseException) -> bool:
    """Whether ``exc`` is an httpx failure to get a response at all."""
    return isinstance(exc, httpx.HTTPError) and not isinstance(exc, httpx.HTTPStatusError)


__all__ = [
    "BaseClient",
    "Call",
    "DocsIteration",
    "check_docs_request",
    "check_library_hints",
    "check_search_version",
    "is_transport_error",
    "rate_limit_from",
]
