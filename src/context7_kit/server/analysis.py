"""Text analysis shared by indexing and querying: identifier splitting and question cleanup.

Stemming is left to the store's full-text engine (FTS5 ``porter``, or
PostgreSQL's ``english`` configuration), which applies it to both sides.
What the engines do not do is split identifiers: ``removeAdditional`` and
``max_file_bytes`` are one word to them. :func:`analyze` keeps every word as
written and adds the parts of each compound identifier after the text, so
``remove additional`` and ``removeAdditional`` both find it.
"""

from __future__ import annotations

import re

MAX_QUERY_TERMS = 32
_WORD = re.compile(r"[^\W_](?:\w*[^\W_])?")  # letters/digits, with inner underscores
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")

STOP_WORDS = frozenset(
    (  # noqa: SIM905 (a word list reads best as text)
        "a an and are as at be by can do does for from how i in is it me my of on or should the this to use "
        "using what when where which why with you your "
    ).split()
)
"""Words that carry no topic; dropped from a topic or question unless nothing else is left."""

FILLER_WORDS = frozenset(
    (  # noqa: SIM905 (a word list reads best as text)
        "about after again all also am any anything been being both but could did doing done during each eg "
        "etc get gets getting got had has have having here ie into its just keep let lets like make makes "
        "many may might more most much must need needs no not now off one only other our out over own same "
        "say see set so some something such than that their them then there these they thing things those "
        "through too try trying under until up us very via want wants was way we were will without work "
        "working works would yet "
    ).split()
)
"""Question filler: words a question is phrased with (``e.g.``, "has been", "working") rather than its topic."""


def identifier_parts(word: str) -> list[str]:
    """The lower-cased parts of a compound identifier (``camelCase``, ``snake_case``), or [] for a plain word."""
    pieces = [p for p in word.split("_") if p]
    parts: list[str] = []
    for piece in pieces:
        parts.extend(m.group(0).lower() for m in _CAMEL.finditer(piece))
    return parts if len(parts) > 1 else []


def analyze(text: str) -> str:
    """``text`` with the parts of its compound identifiers added after it (each once)."""
    extra: dict[str, None] = {}
    for word in dict.fromkeys(_WORD.findall(text)):
        if "_" in word or (not word.islower() and not word.isupper()):
            for part in identifier_parts(word):
                extra[part] = None
    return f"{text}\n{' '.join(extra)}" if extra else text


def query_terms(text: str | None, *, cleanup: bool = True, split: bool = True) -> list[str]:
    """The search terms of a topic or question, lower-cased, in order, each once.

    Stop words (and, with ``cleanup``, question filler) are dropped unless
    nothing else is left; with ``split``, a compound identifier brings its
    parts too. At most :data:`MAX_QUERY_TERMS` terms.
    """
    if not text:
        return []
    words = [w for w in (m.group(0) for m in _WORD.finditer(text)) if len(w) < 100]
    dropped = STOP_WORDS | FILLER_WORDS if cleanup else STOP_WORDS
    terms: dict[str, None] = {}
    everything: dict[str, None] = {}
    for word in words:
        lower = word.lower()
        everything[lower] = None
        if lower in dropped or (cleanup and len(lower) == 1 and not lower.isdigit()):
            continue
        terms[lower] = None
        if split:
            for part in identifier_parts(word):
                if part not in dropped:
                    terms[part] = None
    return list(terms or everything)[:MAX_QUERY_TERMS]
