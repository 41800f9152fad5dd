"""What to tell an LLM agent when a Context7 call fails, written once for every framework.

A core error's ``hint`` is written for a Python caller ("call
search_library()..."). An agent instead has tools, usually one that finds a
library's ID (``resolve_library_id``) and one that reads its docs
(``query_docs``): :func:`agent_advice` says, in terms of those tools,
what the model should do next, and :func:`agent_message` puts that advice
after the error's ``detail``. The integrations show that text to the model,
each in its own framework's way (a ``ToolException``, a tool error...).
"""

from __future__ import annotations

from context7_kit.core.errors import (
    AuthenticationError,
    Context7Error,
    InvalidInputError,
    LibraryNotFinalizedError,
    LibraryRedirectedError,
    NotFoundError,
    PaymentRequiredError,
    PermissionDeniedError,
    RateLimitError,
    ResponseFormatError,
    ServerError,
    TransportError,
    UnprocessableEntityError,
    UnsupportedEndpointError,
    redact,
    with_hint,
)

RESOLVE_TOOL = "resolve_library_id"
"""The usual name of the tool that finds a library's Context7 ID."""
DOCS_TOOL = "query_docs"
"""The usual name of the tool that reads a library's docs (the vendor's MCP server calls it ``query-docs``)."""

# Placeholders: {resolve} and {docs} (tool names), {lib} (the library asked for).
_ADVICE: list[tuple[type[Context7Error], str]] = [
    (LibraryRedirectedError, "Call {docs} again with the new library ID{new}."),
    (
        LibraryNotFinalizedError,
        "Context7 is still processing {lib} (it is still being indexed), so it has no docs yet: pick another "
        "candidate from {resolve}, or answer without these docs and say so.",
    ),
    (
        InvalidInputError,
        "Fix the arguments. A library ID looks like '/owner/repo' or '/owner/repo/version'; "
        "if you do not have one, call {resolve} to find an ID.",
    ),
    (
        AuthenticationError,
        "The Context7 API key is missing or wrong. This is a configuration problem only the user can fix: "
        "do not retry; tell the user to check CONTEXT7_API_KEY.",
    ),
    (PaymentRequiredError, "The Context7 account has reached its spending limit: do not retry; tell the user."),
    (
        PermissionDeniedError,
        "This key may not read {lib}: pick another library from {resolve}, or tell the user it needs a key "
        "with access; do not retry it.",
    ),
    (UnprocessableEntityError, "Context7 cannot serve {lib}: pick another candidate from {resolve}."),
    (
        RateLimitError,
        "Context7 is rate limiting requests even after retries: stop calling Context7 for now and answer with "
        "what you have, telling the user the docs could not be fetched.{wait}",
    ),
    (ServerError, "Context7 failed on its side: try once more later, or answer without these docs and say so."),
    (TransportError, "Context7 could not be reached: answer without these docs and tell the user."),
    (ResponseFormatError, "Context7 sent an unexpected answer: answer without these docs and tell the user."),
]

_VERSION_NOT_FOUND = (
    "Context7 has no such version of {lib}. Call {resolve} to see the versions it lists, "
    "or call {docs} with the unpinned '/owner/repo' ID."
)
_ROUTE_MISSING = (
    "This Context7 server does not serve documentation pages by topic (/v2/docs); it answers questions: "
    "call {docs} again for {lib} with your question and no topic, page or mode options."
)
_LIBRARY_NOT_FOUND = (
    "Context7 has no library with {the_id}. Call {resolve} with the library's name and use an ID exactly as it returns."
)


_FIXED_LIBRARY = (
    "This tool reads one library chosen by the program, so calling it again will not help: answer without "
    "these docs and tell the user they could not be read."
)
_FIXED_INPUT = "Fix the arguments and call {docs} again."


def agent_advice(
    error: Context7Error,
    library_id: str | None = None,
    *,
    resolve_tool: str | None = RESOLVE_TOOL,
    docs_tool: str = DOCS_TOOL,
) -> str:
    """What an agent should do after ``error``, in terms of its tools; "" when the error's own hint will do.

    ``library_id`` is the ID the model asked for, named in the advice.
    ``resolve_tool=None`` is for a tool over one fixed library (a retriever
    used as a tool): the model cannot pick another library, so the advice
    never sends it to one.
    """
    lib = f"'{library_id}'" if library_id else "this library"
    if isinstance(error, UnsupportedEndpointError):
        template = _ROUTE_MISSING
    elif isinstance(error, NotFoundError):
        template = _VERSION_NOT_FOUND if error.error_code == "tag_not_found" else _LIBRARY_NOT_FOUND
    else:
        template = next((text for cls, text in _ADVICE if isinstance(error, cls)), "")
    if resolve_tool is None and "{resolve}" in template:
        template = _FIXED_INPUT if isinstance(error, InvalidInputError) else _FIXED_LIBRARY
    new = getattr(error, "new_library_id", None)
    retry_after = getattr(error, "retry_after", None)
    wait = ""
    if retry_after is not None:
        seconds = round(retry_after)
        wait = f" (The server asked to wait {seconds} second{'' if seconds == 1 else 's'}.)"
    return template.format(
        resolve=resolve_tool,
        docs=docs_tool,
        lib=lib,
        the_id=f"the ID {lib}" if library_id else "that ID",
        new=f", '{new}'" if new else "",
        wait=wait,
    )


def agent_message(
    error: Context7Error,
    library_id: str | None = None,
    *,
    secret: str | None = None,
    resolve_tool: str | None = RESOLVE_TOOL,
    docs_tool: str = DOCS_TOOL,
) -> str:
    """The text an agent reads for ``error``: what went wrong, then what to do next.

    That is the error's ``detail`` followed by :func:`agent_advice`, or the
    error's whole message when there is no advice for it (its hint then
    speaks to the model as well). ``secret`` (the API key) is scrubbed out.
    """
    advice = agent_advice(error, library_id, resolve_tool=resolve_tool, docs_tool=docs_tool)
    text = with_hint(error.detail, advice) if advice else error.message
    return redact(text, secret)


__all__ = ["DOCS_TOOL", "RESOLVE_TOOL", "agent_advice", "agent_message"]
