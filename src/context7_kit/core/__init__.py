"""The core fetcher: clients, models, errors. Imports no LLM framework.

Also what every integration shares: :class:`ClientPair` (an object's sync and
async clients) built from :class:`ClientOptions`; in :mod:`context7_kit.core.tools`,
the two tools as framework-neutral callables with JSON Schemas; and, in
:mod:`context7_kit.core.advice`, what to tell an LLM agent when a call fails.
"""

from __future__ import annotations

from context7_kit.core._base import check_docs_request
from context7_kit.core.async_client import AsyncContext7Client
from context7_kit.core.client import Context7Client
from context7_kit.core.documents import SnippetDocument, render_snippet, to_document
from context7_kit.core.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    Context7Error,
    InvalidClientError,
    InvalidInputError,
    LibraryNotFinalizedError,
    LibraryRedirectedError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ResponseFormatError,
    ServerError,
    TLSCertificateError,
    TransportError,
    UnprocessableEntityError,
    UnsupportedEndpointError,
)
from context7_kit.core.library_id import LibraryId
from context7_kit.core.models import (
    CodeBlock,
    CodeSnippet,
    Context,
    DocsPage,
    DocsSearch,
    InfoSnippet,
    Library,
    LibraryResults,
    LibraryRules,
    PagedSnippet,
    Pagination,
    RateLimit,
    Rules,
    Snippet,
    TextDocsPage,
)
from context7_kit.core.pair import ClientOptions, ClientPair
from context7_kit.core.settings import ClientSettings, check_client_settings
from context7_kit.core.txt import parse_txt

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncContext7Client",
    "AuthenticationError",
    "BadRequestError",
    "ClientOptions",
    "ClientPair",
    "ClientSettings",
    "CodeBlock",
    "CodeSnippet",
    "ConflictError",
    "Context",
    "Context7Client",
    "Context7Error",
    "DocsPage",
    "DocsSearch",
    "InfoSnippet",
    "InvalidClientError",
    "InvalidInputError",
    "Library",
    "LibraryId",
    "LibraryNotFinalizedError",
    "LibraryRedirectedError",
    "LibraryResults",
    "LibraryRules",
    "NotFoundError",
    "PagedSnippet",
    "Pagination",
    "PaymentRequiredError",
    "PermissionDeniedError",
    "RateLimit",
    "RateLimitError",
    "ResponseFormatError",
    "Rules",
    "ServerError",
    "Snippet",
    "SnippetDocument",
    "TLSCertificateError",
    "TextDocsPage",
    "TransportError",
    "UnprocessableEntityError",
    "UnsupportedEndpointError",
    "check_client_settings",
    "check_docs_request",
    "parse_txt",
    "render_snippet",
    "to_document",
]
