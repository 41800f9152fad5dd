"""The exception hierarchy, and the one function that maps a response to it.

Everything the client raises is a :class:`Context7Error`::

    Context7Error
    ├── InvalidInputError (also ValueError)       bad input, before any request
    │   └── InvalidClientError (also TypeError)   a client argument of the wrong kind
    ├── ResponseFormatError                       a body that is not what the API documents, or too large
    ├── TransportError                            no HTTP response at all
    │   ├── APIConnectionError                    refused, reset, DNS, a dead proxy
    │   │   └── TLSCertificateError               a certificate that cannot be verified (not retried)
    │   └── APITimeoutError                       a read timeout, or the call's deadline
    └── APIStatusError                            an HTTP status that is not a success
        ├── LibraryNotFinalizedError              202
        ├── LibraryRedirectedError                301 (when not followed)
        ├── BadRequestError                       400
        ├── AuthenticationError                   401
        ├── PaymentRequiredError                  402
        ├── PermissionDeniedError                 403
        ├── NotFoundError                         404
        │   └── UnsupportedEndpointError          404 from a server without that route
        ├── ConflictError                         409
        ├── UnprocessableEntityError              422
        ├── RateLimitError                        429
        └── ServerError                           5xx

HTTP failures carry the status, the server's error code and message, and the
response; transport failures are their own branch. Each error keeps apart
what went wrong (``detail``) and what a Python caller can do next (``hint``);
its message is the two together. None of them ever contains the API key:
server text is passed through :func:`redact` before it is used.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import ValidationError
from typing_extensions import TypedDict, Unpack

from context7_kit.core.models import ErrorBody

if TYPE_CHECKING:
    import httpx

EXCERPT_CHARS = 200
REDACTED = "[redacted]"


def with_hint(detail: str, hint: str, sep: str = ". ") -> str:
    """``detail`` followed by ``hint``, joined by ``sep`` in place of the detail's closing period."""
    return f"{detail.rstrip('.')}{sep}{hint}" if hint else detail


class Context7Error(Exception):
    """Root of every error this package raises.

    ``detail`` says what went wrong (server text in it already redacted);
    ``hint`` says what a Python caller can do about it ("" when there is
    nothing to add). ``message``, which is ``str(error)``, is the detail
    followed by the hint. An integration that shows errors to an LLM agent
    puts advice of its own after ``detail`` instead (see
    :mod:`context7_kit.core.advice`).
    """

    def __init__(self, detail: str, *, hint: str = "", sep: str = ". ") -> None:
        message = with_hint(detail, hint, sep)
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.hint = hint

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take keyword-only arguments, which Exception's pickling cannot pass back;
        # the response stays behind, because its request carries the API key.
        state = {key: (None if key == "response" else value) for key, value in self.__dict__.items()}
        return (_unpickle_error, (type(self), state))


def _unpickle_error(cls: type[Context7Error], state: dict[str, Any]) -> Context7Error:
    error = cls.__new__(cls)
    message = state.get("message", "")
    Exception.__init__(error, message)
    error.__dict__.update({"detail": message, "hint": "", **state})  # also a pickle made before detail and hint
    return error


class InvalidInputError(Context7Error, ValueError):
    """Input rejected before any request: a bad library ID, page, topic..."""


class InvalidClientError(InvalidInputError, TypeError):
    """A client argument of the wrong kind (an ``InvalidInputError`` that is also a ``TypeError``)."""


class ResponseFormatError(Context7Error):
    """A successful response whose body is not what the API documents."""

    def __init__(self, detail: str, *, hint: str = "", response: httpx.Response | None = None) -> None:
        super().__init__(detail, hint=hint)
        self.response = response


class TransportError(Context7Error):
    """The request did not get an HTTP response."""


class APIConnectionError(TransportError):
    """The server could not be reached (DNS, refused, reset...)."""


class TLSCertificateError(APIConnectionError):
    """The server's TLS certificate could not be verified; not retried (see the hint for SSL_CERT_FILE)."""


class APITimeoutError(TransportError):
    """The server did not answer in time."""


class StatusFields(TypedDict, total=False):
    """What every :class:`APIStatusError` takes besides its detail and status, for subclasses to pass on."""

    error_code: str | None
    response: httpx.Response | None
    hint: str
    request_id: str | None


class APIStatusError(Context7Error):
    """The server answered with a status that is not a success."""

    default_hint = ""

    def __init__(
        self,
        detail: str,
        *,
        status_code: int,
        error_code: str | None = None,
        response: httpx.Response | None = None,
        hint: str = "",
        request_id: str | None = None,
    ) -> None:
        super().__init__(detail, hint=hint)
        self.status_code = status_code
        self.error_code = error_code
        self.response = response
        #: The server's ID of the request (``x-request-id`` or ``x-context7-request-id``), for support.
        self.request_id = request_id if request_id is not None else (header_request_id(response) if response else None)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, error_code={self.error_code!r})"


class LibraryNotFinalizedError(APIStatusError):
    """202: the library is still being processed; try again later."""

    default_hint = "The library is still being processed: try again in a few minutes."


class LibraryRedirectedError(APIStatusError):
    """301: the library moved; ``new_library_id`` is where it lives now."""

    default_hint = "Use the new library ID."

    def __init__(
        self, detail: str, *, new_library_id: str | None, status_code: int = 301, **fields: Unpack[StatusFields]
    ) -> None:
        super().__init__(detail, status_code=status_code, **fields)
        self.new_library_id = new_library_id


class BadRequestError(APIStatusError):
    """400: the request's parameters were rejected."""

    default_hint = "Check the parameters the message names: the server rejected them."


class AuthenticationError(APIStatusError):
    """401: the API key is missing, invalid or not allowed."""

    default_hint = (
        "Check the API key: set CONTEXT7_API_KEY or pass api_key= (keys start with 'ctx7sk-', "
        "or 'ctx7op-' for an on-premise server)."
    )


class PaymentRequiredError(APIStatusError):
    """402: the account's spending limit is reached."""

    default_hint = "The account's spending limit is reached: raise it in the Context7 dashboard."


class PermissionDeniedError(APIStatusError):
    """403: the key may not read this library, or the library is blocked."""

    default_hint = "This key may not read this library: check the key's team and the library's access."


class NotFoundError(APIStatusError):
    """404: the library (``library_not_found``) or version (``tag_not_found``) does not exist.

    For ``tag_not_found``, ``available_tags`` lists the versions the server named (else it is empty).
    """

    default_hint = "Check the library ID, or call search_library() to find the right one."

    def __init__(
        self,
        detail: str,
        *,
        status_code: int = 404,
        available_tags: list[str] | None = None,
        **fields: Unpack[StatusFields],
    ) -> None:
        super().__init__(detail, status_code=status_code, **fields)
        self.available_tags = list(available_tags or [])


class UnsupportedEndpointError(NotFoundError):
    """The server has no such route (an HTML or non-Context7 404): it serves the 2026 API only.

    Raised for Surface A calls (``get_docs``, ``get_docs_text``, ``iter_docs``,
    ``search_library_legacy``) on a server that dropped them, as context7.com
    has: ``get_context`` reads the same docs by question.
    """

    default_hint = "Use get_context(library_id, question) instead, which every Context7 server answers."


class ConflictError(APIStatusError):
    """409: the resource already exists (``duplicate_repo``)."""

    default_hint = "It already exists: nothing to add."


class UnprocessableEntityError(APIStatusError):
    """422: the library cannot be served (too large, no code...)."""

    default_hint = "This library cannot be served: pick another one with search_library()."


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` says how long to wait."""

    default_hint = "Too many requests: wait and retry, or set CONTEXT7_API_KEY for higher limits."

    def __init__(
        self,
        detail: str,
        *,
        retry_after: float | None = None,
        limit: int | None = None,
        remaining: int | None = None,
        reset: int | None = None,
        status_code: int = 429,
        **fields: Unpack[StatusFields],
    ) -> None:
        super().__init__(detail, status_code=status_code, **fields)
        self.retry_after = retry_after
        self.limit = limit
        self.remaining = remaining
        self.reset = reset


class ServerError(APIStatusError):
    """5xx: the server failed; retried with backoff before this is raised."""

    default_hint = "The Context7 server failed: try again later."


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    202: LibraryNotFinalizedError,
    301: LibraryRedirectedError,
    302: LibraryRedirectedError,
    307: LibraryRedirectedError,
    308: LibraryRedirectedError,
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}

# What each documented error code means, for servers that send {"error": code} without a message
# (on-premise servers do).
CODE_TEXTS = {
    "library_not_finalized": "the library is not finalized yet: it is still being processed",
    "library_redirected": "the library moved to a new ID",
    "validation_error": "the request's parameters were rejected (validation error)",
    "invalid_library_id": "the library ID is not valid",
    "invalid_format": "a parameter has an invalid format",
    "invalid_length": "a parameter is empty or too long (invalid length)",
    "invalid_type": "type must be 'json' or 'txt' (invalid type)",
    "invalid_page": "the page is out of range (invalid page)",
    "invalid_limit": "the limit is out of range (invalid limit)",
    "invalid_api_key": "the API key is not valid (invalid API key)",
    "authentication_failed": "authentication failed",
    "spending_limit_exceeded": "the account's spending limit exceeded",
    "access_denied": "access denied to this library",
    "forbidden": "this request is forbidden",
    "insufficient_permissions": "the key has insufficient permissions",
    "library_blocked": "this library is blocked",
    "library_not_found": "library not found",
    "tag_not_found": "no such version of the library (tag not found)",
    "no_snippets_found": "no documentation snippets found",
    "no_libraries_found": "no libraries found",
    "no_documentation_found": "no documentation matched the question or library hints",
    "duplicate_repo": "the repository was already added (duplicate repo)",
    "library_too_large": "the library is too large to process",
    "no_code_found": "the library has no or too few code snippets (no code found)",
    "rate_limit_exceeded": "rate limit exceeded",
    "internal_error": "the server failed (internal error)",
    "search_failed": "the search could not be completed (search failed)",
    "timeout": "the server timed out",
}

_CODE_HINTS = {
    "tag_not_found": "Check the version: search_library() lists each library's versions.",
    "library_not_found": "Check the library ID, or call search_library() to find the right one.",
    "invalid_limit": "limit must be between 1 and 10.",
    "invalid_page": "page must be between 1 and 10.",
}


# Anything shaped like a Context7 key (cloud ``ctx7sk-``, on-premise ``ctx7op-``), whoever's it is.
_KEY_SHAPED = re.compile(r"ctx7(?:sk|op)[-_][A-Za-z0-9_\-]{6,}")


def redact(text: str, secret: str | None) -> str:
    """Remove ``secret``, and anything shaped like a Context7 key, from ``text`` (servers might echo keys back)."""
    if secret:
        text = text.replace(secret, REDACTED)
    if "ctx7" in text:
        text = _KEY_SHAPED.sub(REDACTED, text)
    return text


_KEY_SHAPED_BYTES = re.compile(_KEY_SHAPED.pattern.encode())


def redact_response(response: httpx.Response, secret: str | None) -> None:
    """Remove the key from a received response's headers and body, in place, before anything reads them.

    A server may echo the key anywhere (a request ID, the quota tier, a
    snippet): what the client keeps of an answer (results, errors, ``rate_limit``)
    then never holds it.
    """
    headers = response.headers.multi_items()
    if any("ctx7" in value or (secret and secret in value) for _, value in headers):
        response.headers = type(response.headers)([(name, redact(value, secret)) for name, value in headers])
    content = response.content
    needle = secret.encode() if secret else None
    if (needle and needle in content) or b"ctx7" in content:
        if needle:
            content = content.replace(needle, REDACTED.encode())
        response._content = _KEY_SHAPED_BYTES.sub(REDACTED.encode(), content)


class RedactKeysFilter(logging.Filter):
    """Drops the clients' keys, and anything shaped like one, from a log record.

    httpcore logs whole response headers at DEBUG, so a server that echoes the
    key in a header would otherwise put it in the application's logs.
    """

    secrets: ClassVar[set[str]] = set()  # the keys of the clients made in this process

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record, with its message redacted when it holds a key."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's to report
            return True
        cleaned = redact(message, None)
        for secret in tuple(self.secrets):
            cleaned = cleaned.replace(secret, REDACTED)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


# The loggers of the HTTP stack under the client; a filter applies to its own logger's records only.
HTTP_LOGGERS = ("httpx", "httpcore.connection", "httpcore.http11", "httpcore.http2", "httpcore.proxy")


def header_request_id(response: httpx.Response) -> str | None:
    """The server's request ID (``x-request-id`` or ``x-context7-request-id``), if it sent one."""
    headers = response.headers
    return headers.get("x-request-id") or headers.get("x-context7-request-id") or None


_CODE_SHAPED = re.compile(r"^[a-z][a-z0-9_]*$")


def _inferred_code(status: int, text: str) -> str | None:
    """The error code a message-only 404 stands for, so a missing version still reads as one."""
    lowered = text.lower()
    if status != 404 or "not found" not in lowered:
        return None
    return "tag_not_found" if ("version" in lowered or "tag" in lowered) else "library_not_found"


_TAGS_LISTED = re.compile(r"(?:available tags|available versions|versions)\s*:\s*([^)\n]*)", re.IGNORECASE)


def listed_tags(body: ErrorBody | None) -> list[str]:
    """The versions a ``tag_not_found`` error names, from a field or its message ("Available tags: a, b")."""
    if body is None:
        return []
    if body.available_tags:
        return body.available_tags
    match = _TAGS_LISTED.search(body.message or "")
    if not match:
        return []
    tags = [tag.strip().rstrip(".").strip() for tag in match.group(1).split(",")]
    return [tag for tag in tags if tag and tag.lower() != "none"]


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The error class for a status code: the one place this mapping lives."""
    if status_code in _STATUS_CLASSES:
        return _STATUS_CLASSES[status_code]
    if status_code >= 500:
        return ServerError
    return APIStatusError


def parse_error_body(content: bytes) -> ErrorBody | None:
    """The JSON error body, or None when the body is empty, HTML or not JSON."""
    if not content.strip():
        return None
    try:
        data = json.loads(content)
        return ErrorBody.model_validate(data) if isinstance(data, dict) else None
    except (ValueError, ValidationError, RecursionError):  # RecursionError: absurdly nested JSON
        return None


def excerpt(content: bytes, limit: int = EXCERPT_CHARS) -> str:
    """A short, single-line excerpt of a body for an error message."""
    text = " ".join(content.decode("utf-8", "replace").split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def header_int(headers: Mapping[str, str], name: str) -> int | None:
    """A header's value as an integer, or None when it is missing or not a finite number."""
    try:
        return int(float(headers[name]))
    except (KeyError, ValueError, OverflowError):  # OverflowError: "inf", "1e999"
        return None


def error_from_response(
    response: httpx.Response,
    *,
    secret: str | None = None,
    retry_after: Callable[[Mapping[str, str]], float | None] | None = None,
) -> APIStatusError:
    """Build the error for a non-success response (its body already read)."""
    status = response.status_code
    cls = status_error_class(status)
    body = parse_error_body(response.content)
    code = redact(body.error, secret) if body and body.error else None
    if body and code and not body.message and not _CODE_SHAPED.match(code):
        # On-premise servers send {"error": "<human text>"}: that is the message; the code is inferred.
        body = body.model_copy(update={"message": code})
        code = _inferred_code(status, code)
    if body and body.message:
        what = body.message
    elif body and code:
        what = CODE_TEXTS.get(code, code.replace("_", " "))
    else:
        reason = response.reason_phrase or "error"
        raw = excerpt(response.content)
        what = f"HTTP {status} {reason}" + (f": {raw}" if raw else "")
    detail = redact(f"Context7 API error {status}" + (f" ({code})" if code else "") + f": {what}", secret)
    hint = _CODE_HINTS.get(code or "", cls.default_hint)
    tags = [redact(tag, secret) for tag in listed_tags(body)] if code == "tag_not_found" else []
    if tags:
        hint = "Use one of the versions the server lists: " + ", ".join(tags[:20]) + "."
    fields: StatusFields = {
        "error_code": code,
        "response": response,
        "hint": "" if hint in detail else hint,  # a server message may say it already
    }
    if cls is NotFoundError:
        return NotFoundError(detail, status_code=status, available_tags=tags, **fields)
    if cls is RateLimitError:
        headers = response.headers
        return RateLimitError(
            detail,
            retry_after=retry_after(headers) if retry_after else None,
            limit=header_int(headers, "ratelimit-limit"),
            remaining=header_int(headers, "ratelimit-remaining"),
            reset=header_int(headers, "ratelimit-reset"),
            status_code=status,
            **fields,
        )
    if cls is LibraryRedirectedError:
        new_id = body.redirect_url if body else None
        new_id = new_id or response.headers.get("location")
        new_id = redact(new_id, secret) if new_id else None
        return LibraryRedirectedError(detail, new_library_id=new_id, status_code=status, **fields)
    return cls(detail, status_code=status, **fields)
