"""Typed models of the Context7 v2 wire format.

Attributes are snake_case; the API's camelCase names are accepted as aliases.
Unknown fields are ignored and everything the API may leave out is optional,
because where the documentation and a real server disagree, the server wins.
The local server serializes these same models, so the wire format lives here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator
from pydantic.alias_generators import to_camel

Mode = Literal["code", "info"]


class WireModel(BaseModel):
    """Base of every wire model: camelCase aliases, unknown fields ignored."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="ignore",
        frozen=True,
        # Validators are built on first use, not at `import context7_kit` (about 50 ms here).
        defer_build=True,
    )

    @model_validator(mode="before")
    @classmethod
    def _null_is_absent(cls, data: Any) -> Any:
        # A server may send null for a field it has no value for: the default applies, as if it were left out.
        if isinstance(data, dict) and None in data.values():
            return {key: value for key, value in data.items() if value is not None}
        return data

    def to_wire(self) -> dict[str, object]:
        """Serialize with the API's camelCase names, omitting unset optionals."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")


class Library(WireModel):
    """A library as returned by the search endpoints."""

    id: str
    title: str
    description: str | None = None
    branch: str | None = None
    last_update_date: datetime | None = None
    state: str | None = None
    total_tokens: int | None = None
    total_snippets: int | None = None
    stars: int | None = None
    trust_score: float | None = None
    benchmark_score: float | None = None
    versions: list[str] = Field(default_factory=list)
    source: str | None = None
    """Where an on-premise server indexed the library from, e.g. ``Local (Private)``."""


class CodeBlock(WireModel):
    """One code block of a code snippet."""

    language: str = ""
    code: str = ""


class CodeSnippet(WireModel):
    """A titled group of code blocks taken from one place in the docs."""

    code_title: str = ""
    code_description: str = ""
    code_language: str = ""
    code_tokens: int = 0
    code_id: str = ""
    page_title: str = ""
    code_list: list[CodeBlock] = Field(default_factory=list)
    library_id: str | None = None
    """The library the snippet came from: set by the Search API (``search_docs``), which spans libraries."""
    is_dynamic: bool | None = None
    """Whether the server recovered it from the library's source code rather than its docs."""
    source_file: str | None = None
    """The repository-relative file of a dynamic snippet."""

    @property
    def kind(self) -> Mode:
        """``"code"``: what the snippet holds."""
        return "code"

    def __str__(self) -> str:
        return _markdown(self)


class InfoSnippet(WireModel):
    """A section of prose taken from the docs."""

    content: str
    content_tokens: int = 0
    page_id: str | None = None
    breadcrumb: str | None = None
    library_id: str | None = None
    """The library the snippet came from: set by the Search API (``search_docs``), which spans libraries."""

    @property
    def kind(self) -> Mode:
        """``"info"``: what the snippet holds."""
        return "info"

    def __str__(self) -> str:
        return _markdown(self)


def _markdown(*snippets: CodeSnippet | InfoSnippet, rules: Rules | None = None, empty: str = "") -> str:
    """Snippets as the Markdown Context7's txt format renders (what ``print()`` shows), rules first."""
    from context7_kit.core.documents import render_snippets  # noqa: PLC0415  (documents imports this module)

    parts = [str(rules)] if rules is not None and rules.all() else []
    if snippets:
        parts.append(render_snippets(snippets))
    return "\n\n".join(parts) or empty


def _snippet_kind(value: object) -> str:
    """Tell a code snippet from an info snippet by its fields (the API sends no tag)."""
    if isinstance(value, (CodeSnippet, InfoSnippet)):
        return value.kind
    if (
        isinstance(value, dict)
        and "content" in value
        and not ("codeList" in value or "code_list" in value or "codeTitle" in value)
    ):
        return "info"
    return "code"


Snippet = Annotated[
    Annotated[CodeSnippet, Tag("code")] | Annotated[InfoSnippet, Tag("info")],
    Discriminator(_snippet_kind),
]


class Pagination(WireModel):
    """Where a page sits among the pages of one topic."""

    page: int = 1
    limit: int = 10
    total_pages: int = 1
    has_next: bool = False
    has_prev: bool = False


class ResponseMetadata(WireModel):
    """What the server says about the request itself."""

    authentication: str | None = None


class SearchResponse(WireModel):
    """Body of ``GET /v2/search`` and ``GET /v2/libs/search``."""

    results: list[Library] = Field(default_factory=list)
    search_filter_applied: bool | None = None
    metadata: ResponseMetadata | None = None


class DocsResponse(WireModel):
    """Body of ``GET /v2/docs/{mode}/...`` with ``type=json``."""

    snippets: list[Snippet] = Field(default_factory=list)
    total_tokens: int = 0
    pagination: Pagination = Field(default_factory=Pagination)
    metadata: ResponseMetadata | None = None


class LibraryRules(WireModel):
    """The rules of one library in a Search API answer."""

    library_id: str = ""
    library_own: list[str] = Field(default_factory=list)
    library_team: list[str] = Field(default_factory=list)


class Rules(WireModel):
    """Rules that a library's owners or a team attach to its docs.

    ``/v2/context`` sends ``global``, ``libraryOwn`` and ``libraryTeam``; the
    Search API sends ``global`` and one :class:`LibraryRules` per library.
    """

    global_: list[str] = Field(
        default_factory=list,
        validation_alias=AliasChoices("global", "global_"),
        serialization_alias="global",
    )
    library_own: list[str] = Field(default_factory=list)
    library_team: list[str] = Field(default_factory=list)
    libraries: list[LibraryRules] = Field(default_factory=list)

    def all(self) -> list[str]:
        """Every rule, global first, then each library's own and team rules."""
        rules = [*self.global_, *self.library_own, *self.library_team]
        for library in self.libraries:
            rules += [*library.library_own, *library.library_team]
        return rules

    def __repr_args__(self) -> Iterable[tuple[str | None, Any]]:
        # The wire name ``global``, and only the lists that hold something.
        for name, value in super().__repr_args__():
            if value:
                yield ("global" if name == "global_" else name), value

    def __str__(self) -> str:
        return "\n".join(["Rules:", *(f"- {rule}" for rule in self.all())]) if self.all() else "No rules."


class ContextResponse(WireModel):
    """Body of ``GET /v2/context`` with ``type=json``."""

    code_snippets: list[CodeSnippet] = Field(default_factory=list)
    info_snippets: list[InfoSnippet] = Field(default_factory=list)
    rules: Rules | None = None


class DocsSearchResponse(WireModel):
    """Body of the Search API, ``GET /v2/search`` with ``type=json`` (2026)."""

    code_snippets: list[CodeSnippet] = Field(default_factory=list)
    info_snippets: list[InfoSnippet] = Field(default_factory=list)
    rules: Rules | None = None


class ErrorBody(WireModel):
    """The JSON body of an error response."""

    error: str | None = None
    message: str | None = None
    status: int | str | None = None  # an on-premise 409 sends a job state here ("queued")
    redirect_url: str | None = None
    max_limit: int | None = None
    available_tags: list[str] | None = None


# --- What the client returns -------------------------------------------------


class DocsPage(BaseModel):
    """One page of documentation snippets for a library and topic."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    library_id: str
    """The library ID finally served (after a redirect, the new one)."""
    requested_library_id: str
    """The library ID the caller asked for."""
    version: str | None = None
    topic: str | None = None
    mode: Mode = "code"
    snippets: list[Snippet] = Field(default_factory=list)
    total_tokens: int = 0
    pagination: Pagination = Field(default_factory=Pagination)
    authentication: str | None = None
    request_id: str | None = None
    """The server's ID of the request (``x-request-id``), for support."""

    @property
    def redirected(self) -> bool:
        """Whether the server moved the library to a new ID."""
        return self.library_id != self.requested_library_id

    @property
    def page(self) -> int:
        """The page number of this page."""
        return self.pagination.page

    def __str__(self) -> str:
        return _markdown(*self.snippets, empty=f"No snippets for {self.library_id} on page {self.page}.")

    @property
    def has_next(self) -> bool:
        """Whether another page follows."""
        return self.pagination.has_next


class TextDocsPage(BaseModel):
    """One page of documentation as the Markdown text the API renders."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    library_id: str
    requested_library_id: str
    version: str | None = None
    topic: str | None = None
    mode: Mode = "code"
    text: str
    total_tokens: int | None = None
    pagination: Pagination = Field(default_factory=Pagination)
    request_id: str | None = None
    """The server's ID of the request (``x-request-id``), for support."""

    @property
    def redirected(self) -> bool:
        """Whether the server moved the library to a new ID."""
        return self.library_id != self.requested_library_id

    @property
    def snippets(self) -> list[Snippet]:
        """The text parsed back into snippets (see :func:`context7_kit.core.txt.parse_txt`)."""
        from context7_kit.core.txt import parse_txt  # noqa: PLC0415  (txt imports this module)

        return parse_txt(self.text)

    def __str__(self) -> str:
        return self.text


class PagedSnippet(BaseModel):
    """A snippet yielded by ``iter_docs``, with the page it came from."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    snippet: Snippet
    page: int
    rank: int
    """1-based position across all pages yielded so far."""
    library_id: str
    version: str | None = None
    topic: str | None = None

    def __str__(self) -> str:
        return str(self.snippet)


class Context(BaseModel):
    """Documentation chosen for one question (``GET /v2/context``)."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    library_id: str
    requested_library_id: str
    version: str | None = None
    query: str
    code_snippets: list[CodeSnippet] = Field(default_factory=list)
    info_snippets: list[InfoSnippet] = Field(default_factory=list)
    rules: Rules | None = None
    request_id: str | None = None
    """The server's ID of the request (``x-request-id``), for support."""
    from_text: bool = False
    """Whether the server answered Markdown (on-premise servers do) and the snippets were parsed from it."""

    @property
    def redirected(self) -> bool:
        """Whether the server moved the library to a new ID."""
        return self.library_id != self.requested_library_id

    @property
    def snippets(self) -> list[Snippet]:
        """Code snippets first, then info snippets."""
        return [*self.code_snippets, *self.info_snippets]

    def __str__(self) -> str:
        return _markdown(
            *self.snippets, rules=self.rules, empty=f"No documentation in {self.library_id} for {self.query!r}."
        )


class DocsSearch(BaseModel):
    """Documentation found across libraries for one question (the Search API, ``search_docs``).

    Each snippet's ``library_id`` says which library it came from.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    query: str
    libraries: list[str] = Field(default_factory=list)
    """The library hints sent (names or IDs), if any."""
    version: str | None = None
    language: str | None = None
    code_snippets: list[CodeSnippet] = Field(default_factory=list)
    info_snippets: list[InfoSnippet] = Field(default_factory=list)
    rules: Rules | None = None
    request_id: str | None = None
    """The server's ID of the request (``x-request-id``), for support."""

    @property
    def snippets(self) -> list[Snippet]:
        """Code snippets first, then info snippets."""
        return [*self.code_snippets, *self.info_snippets]

    def __str__(self) -> str:
        return _markdown(*self.snippets, rules=self.rules, empty=f"No documentation found for {self.query!r}.")

    @property
    def library_ids(self) -> list[str]:
        """The libraries the snippets came from, in order of first appearance."""
        return list(dict.fromkeys(s.library_id for s in self.snippets if s.library_id))


class LibraryResults(list[Library]):
    """The libraries a search found: a plain list, plus what the server said about the answer."""

    request_id: str | None
    """The server's ID of the request (``x-request-id``), for support."""
    search_filter_applied: bool | None
    """Whether a teamspace policy filtered the results (``/v2/libs/search``)."""

    def __init__(
        self,
        libraries: Iterable[Library] = (),
        *,
        request_id: str | None = None,
        search_filter_applied: bool | None = None,
    ) -> None:
        super().__init__(libraries)
        self.request_id = request_id
        self.search_filter_applied = search_filter_applied


class RateLimit(BaseModel):
    """The quota the server reported in its last answer's headers (``client.rate_limit``)."""

    model_config = ConfigDict(frozen=True)

    limit: int | None = None
    """Requests allowed in the current window (``RateLimit-Limit``)."""
    remaining: int | None = None
    """Requests left (``RateLimit-Remaining``); None when the server says ``unlimited`` or sends none."""
    reset: datetime | None = None
    """When the window resets (``RateLimit-Reset``, Unix time), timezone-aware UTC."""
    tier: str | None = None
    """The quota tier (``Context7-Quota-Tier``), e.g. ``free``."""
    unlimited: bool = False
    """Whether the server said ``RateLimit-Remaining: unlimited``."""


def snippet_tokens(snippet: Snippet) -> int:
    """The token count the server gives a snippet."""
    return snippet.code_tokens if isinstance(snippet, CodeSnippet) else snippet.content_tokens
