"""What the framework examples share: where Context7 is, and a scripted model's policy.

``context7_backend()`` picks the server: CONTEXT7_API_URL's, context7.com with
only CONTEXT7_API_KEY, else the project's local server over docs/ (served as
``/context7-kit/docs``), so every example runs offline.

The scripted "model" decides each turn from the last tool result.

A real model would do the same: guess a library ID first (a wrong one: the
call fails), read the failure, resolve the library's name, read its docs,
and answer from them. Each example wraps this policy in its framework's own
model interface (a function model, a model class, a scripted LM), so the
framework's real agent loop runs it; the example's test checks the turns.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import re
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESOLVE = "resolve_library_id"
DOCS = "query_docs"
ROOT = Path(__file__).resolve().parent.parent
LOCAL_LIBRARY = "/context7-kit/docs"


@dataclass(frozen=True)
class Backend:
    """Client options for the tools, what they reach, and a question that library answers."""

    options: dict[str, Any]
    description: str
    library_name: str
    question: str


@contextmanager
def context7_backend() -> Iterator[Backend]:
    """A given server, context7.com, or (the default) the local server over docs/."""
    if os.environ.get("CONTEXT7_API_URL"):
        yield Backend({}, f"the server at {os.environ['CONTEXT7_API_URL']}", "context7-kit", "How are retries done?")
    elif os.environ.get("CONTEXT7_API_KEY"):
        yield Backend({}, "context7.com", "next.js", "How do I add middleware to the app router?")
    else:
        from context7_kit.server.local import LocalServer

        with LocalServer({LOCAL_LIBRARY: ROOT / "docs"}) as server:
            yield Backend(
                {"base_url": server.base_url},
                f"the local server over docs/ at {server.base_url}",
                "context7-kit",
                "How does context7-kit retry failed requests?",
            )


@dataclass(frozen=True)
class Outcome:
    """What the framework showed the model after a tool call."""

    tool: str
    text: str
    failed: bool


@dataclass(frozen=True)
class Turn:
    """The model's next move: a tool call (``tool`` and ``arguments``) or the final ``answer``."""

    tool: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    answer: str | None = None


def run_example(run: Callable[[Backend, str], str | Awaitable[str]], argv: list[str] | None = None) -> int:
    """An example's main: the backend, the question (first argument, else the backend's), the answer printed.

    ``run`` builds the framework's tools and agent and returns its answer; it may be async.
    """
    args = sys.argv[1:] if argv is None else argv
    with context7_backend() as backend:
        question = args[0] if args else backend.question
        print(f"Context7: {backend.description}\nQuestion: {question}")
        answer = run(backend, question)
        if inspect.isawaitable(answer):
            answer = asyncio.run(_awaited(answer))
    print(f"\nAnswer:\n{answer}")
    return 0


async def _awaited(answer: Awaitable[str]) -> str:
    return await answer


def guessed_id(library_name: str) -> str:
    """The ID a model guesses before resolving: plausible, and wrong."""
    slug = re.sub(r"[^a-z0-9.-]+", "-", library_name.lower()).strip("-") or "library"
    return f"/{slug}/{slug}-guess"


def next_turn(library_name: str, question: str, last: Outcome | None) -> Turn:
    """Guess an ID, recover from the failure by resolving, read the docs, answer."""
    if last is None:
        return Turn(DOCS, {"library_id": guessed_id(library_name), "query": question})
    if last.failed:
        if last.tool == RESOLVE:
            return Turn(answer=f"Context7 failed twice, so I answer without docs: {last.text}")
        return Turn(RESOLVE, {"library_name": library_name, "query": question})
    if last.tool == RESOLVE:
        match = re.search(r"^- (/\S+):", last.text, re.MULTILINE)
        if match is None:
            return Turn(answer=f"I found no library called {library_name!r}.")
        return Turn(DOCS, {"library_id": match.group(1), "query": question})
    titles = re.findall(r"^### (.+)$", last.text, re.MULTILINE)[:3]
    if not titles:
        return Turn(answer=f"The docs did not answer it: {last.text[:200]}")
    return Turn(answer="From the docs, these sections answer it: " + "; ".join(titles))
