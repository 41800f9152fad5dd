"""Errors keep detail and hint apart; core.advice turns an error into text for an LLM agent."""

from __future__ import annotations

import pickle

import httpx
import pytest

from context7_kit import (
    BadRequestError,
    Context7Error,
    InvalidInputError,
    LibraryId,
    RateLimitError,
    ServerError,
)
from context7_kit.core._base import unsupported_route
from context7_kit.core.advice import agent_advice, agent_message
from context7_kit.core.errors import error_from_response
from tests.conftest import TEST_KEY


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Context7Error:
    response = httpx.Response(status, json={"error": code, "message": message}, headers=headers)
    return error_from_response(response, secret=TEST_KEY, retry_after=lambda h: float(h["retry-after"]))


def test_message_is_the_detail_followed_by_the_hint() -> None:
    error = _error(404, "library_not_found", f"No library for key {TEST_KEY}")

    assert error.detail == "Context7 API error 404 (library_not_found): No library for key [redacted]"
    assert error.hint == "Check the library ID, or call search_library() to find the right one."
    assert str(error) == error.message == f"{error.detail}. {error.hint}"


def test_a_library_id_error_continues_its_sentence_with_the_hint() -> None:
    with pytest.raises(InvalidInputError) as caught:
        LibraryId.parse("widgets")

    error = caught.value
    assert error.hint == "call search_library() to find an ID."
    assert str(error).endswith("'/vercel/next.js/v15.1.8'; call search_library() to find an ID.")
    assert "search_library" not in error.detail


def test_a_plain_error_has_no_hint() -> None:
    error = Context7Error("Something broke.")
    assert (error.detail, error.hint, str(error)) == ("Something broke.", "", "Something broke.")


def test_detail_and_hint_survive_a_pickle() -> None:
    error = _error(429, "rate_limit_exceeded", "Slow down", headers={"Retry-After": "3"})
    copy = pickle.loads(pickle.dumps(error))

    assert (copy.detail, copy.hint, str(copy)) == (error.detail, error.hint, str(error))


def test_advice_names_the_agents_tools_and_the_library() -> None:
    error = _error(404, "library_not_found", "Library not found")

    text = agent_message(error, "/acme/nothing", resolve_tool="find_lib", docs_tool="read_docs")
    assert text.startswith(error.detail)
    assert "Context7 has no library with the ID '/acme/nothing'. Call find_lib with the library's name" in text
    assert "search_library()" not in text


def test_advice_tells_a_missing_version_from_a_missing_library() -> None:
    assert "see the versions it lists" in agent_advice(_error(404, "tag_not_found", "Version not found"))
    assert "see the versions" not in agent_advice(_error(404, "library_not_found", "Library not found"))


def test_a_missing_docs_route_is_not_advised_as_a_missing_library() -> None:
    response = httpx.Response(404, content=b"<html>404</html>", request=httpx.Request("GET", "https://x.test/v2/docs"))
    error = unsupported_route("v2/docs/code/acme/widgets", response, "it answered 404 with a web page")

    text = agent_message(error, "/acme/widgets", docs_tool="read_docs")
    assert "call read_docs again for '/acme/widgets' with your question" in text
    assert "no library" not in text


def test_rate_limit_advice_says_how_long_the_server_asked_to_wait() -> None:
    error = _error(429, "rate_limit_exceeded", "Slow down", headers={"Retry-After": "90"})
    assert isinstance(error, RateLimitError)
    assert "(The server asked to wait 90 seconds.)" in agent_advice(error)


def test_without_advice_the_whole_message_is_shown() -> None:
    error = _error(400, "invalid_format", "Bad format")
    assert isinstance(error, BadRequestError)
    assert agent_advice(error) == ""
    assert agent_message(error) == str(error)


def test_the_key_is_scrubbed_from_agent_text() -> None:
    error = ServerError(f"Context7 API error 500: echo {TEST_KEY}", status_code=500)
    text = agent_message(error, secret=TEST_KEY)
    assert TEST_KEY not in text
    assert "failed on its side" in text
