"""Library IDs and the other input checks made before any request.

One parser accepts ``/owner/repo``, ``owner/repo``, ``/owner/repo/version``
and ``/owner/repo@version``. Every check raises :class:`InvalidInputError`
(a ``ValueError``) whose message says what is wrong and shows a valid example.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from context7_kit.core.errors import InvalidInputError
from context7_kit.core.models import Mode

MAX_SEGMENT = 500
MAX_TEXT = 500
MAX_PAGE = 10
MAX_LIMIT = 10
ID_EXAMPLE = "'/vercel/next.js' or, pinned to a version, '/vercel/next.js/v15.1.8'"
FIND_ID = "call search_library() to find an ID."


def _show(value: str, limit: int = 60) -> str:
    """A safe, short rendering of user input for an error message."""
    shown = value if len(value) <= limit else value[: limit - 3] + "..."
    return repr(shown)


# Category Cc is fixed by Unicode's stability policy: U+0000-U+001F and U+007F-U+009F.
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _has_control(text: str) -> bool:
    # Cc, Cf, Zl and Zp are all non-printable, so the per-character scan only runs for the rare
    # text that str.isprintable() (C speed) does not clear.
    return not text.isprintable() and any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text)


def _check_segment(name: str, segment: str, original: str) -> None:
    problem = None
    if not segment:
        problem = f"the {name} is empty"
    elif segment in (".", ".."):
        problem = f"the {name} may not be '.' or '..'"
    elif _has_control(segment):
        problem = f"the {name} contains control characters"
    elif len(segment) > MAX_SEGMENT:
        problem = f"the {name} is longer than {MAX_SEGMENT} characters"
    elif segment != segment.strip():
        problem = f"the {name} has leading or trailing spaces"
    if problem:
        raise InvalidInputError(
            f"Invalid library ID {_show(original)}: {problem}. Use the form {ID_EXAMPLE}.", hint=FIND_ID, sep="; "
        )


@dataclass(frozen=True)
class LibraryId:
    """A parsed library ID: owner, repo and an optional pinned version."""

    owner: str
    repo: str
    version: str | None = None

    @classmethod
    def parse(cls, value: str, version: str | None = None) -> LibraryId:
        """Parse any accepted form; ``version`` pins a version unless the ID already does."""
        if not isinstance(value, str):
            raise InvalidInputError(f"The library ID must be a string like {ID_EXAMPLE}, not {type(value).__name__}.")
        text = value.strip()
        if not text:
            raise InvalidInputError(f"The library ID is empty. Use the form {ID_EXAMPLE}.", hint=FIND_ID, sep="; ")
        body = text[1:] if text.startswith("/") else text
        parts = body.split("/")
        if len(parts) == 2 and "@" in parts[1] and not parts[1].startswith("@"):
            repo, _, pinned = parts[1].rpartition("@")
            parts = [parts[0], repo, pinned]
        if len(parts) < 2:
            raise InvalidInputError(
                f"Invalid library ID {_show(value)}: it needs an owner and a repo. Use the form {ID_EXAMPLE}.",
                hint=FIND_ID,
                sep="; ",
            )
        if len(parts) > 3 and any(part in (".", "..") for part in parts):
            raise InvalidInputError(
                f"Invalid library ID {_show(value)}: it may not contain '.' or '..' segments. "
                f"Use the form {ID_EXAMPLE}.",
                hint=FIND_ID,
                sep="; ",
            )
        if len(parts) > 3:
            raise InvalidInputError(
                f"Invalid library ID {_show(value)}: too many '/' segments. Use the form {ID_EXAMPLE}."
            )
        for name, segment in zip(("owner", "repo", "version"), parts, strict=False):
            _check_segment(name, segment, value)
        pinned_version = parts[2] if len(parts) == 3 else None
        if version is not None:
            if not isinstance(version, str) or not version.strip():
                raise InvalidInputError("version= must be a non-empty string such as 'v15.1.8', or None.")
            if "/" in version:  # /owner/repo/a/b would name another library, or none
                raise InvalidInputError(
                    f"version={_show(version)} may not contain '/': give one version such as 'v15.1.8'."
                )
            _check_segment("version", version, version)
            if pinned_version is not None and pinned_version != version:
                raise InvalidInputError(
                    f"The library ID {_show(value)} pins version {pinned_version!r} but version={version!r} "
                    "was also given: pass one or the other."
                )
            pinned_version = version
        return cls(parts[0], parts[1], pinned_version)

    @classmethod
    def of(cls, value: str | LibraryId, version: str | None = None) -> LibraryId:
        """``value`` as a :class:`LibraryId`: a parsed one as is, unless ``version`` pins one (checked by ``parse``)."""
        if isinstance(value, LibraryId):
            return value if version is None else cls.parse(str(value), version)
        return cls.parse(value, version)

    @property
    def base(self) -> str:
        """``/owner/repo`` without any version."""
        return f"/{self.owner}/{self.repo}"

    def __str__(self) -> str:
        """``/owner/repo`` or ``/owner/repo/version``."""
        return self.base if self.version is None else f"{self.base}/{self.version}"

    @property
    def path(self) -> str:
        """Percent-encoded URL path: ``owner/repo[/version]``."""
        segments = [self.owner, self.repo] + ([self.version] if self.version else [])
        return "/".join(quote(s, safe="") for s in segments)


def _text_example(name: str) -> str:
    return f"{name}='next.js'" if name == "library_name" else f"{name}='routing middleware'"


def check_text(name: str, value: str | None, *, required: bool = False) -> str | None:
    """Validate a topic or query: at most 500 characters; required ones non-empty."""
    if value is None:
        if required:
            raise InvalidInputError(f"{name} is required, e.g. {name}='how do I add middleware?'.")
        return None
    if not isinstance(value, str):
        raise InvalidInputError(f"{name} must be a string, not {type(value).__name__}, e.g. {_text_example(name)}.")
    stripped = value.strip()
    if not stripped:
        if required:
            raise InvalidInputError(f"{name} is empty: give a few words, e.g. {_text_example(name)}.")
        return None
    if len(stripped) > MAX_TEXT:
        raise InvalidInputError(
            f"{name} is {len(stripped)} characters long; the API accepts at most {MAX_TEXT}. "
            f"Use a few keywords or one short question, e.g. {_text_example(name)}."
        )
    if _CONTROL_IN_TEXT.search(stripped):  # a Cc character other than \t and \n
        raise InvalidInputError(f"{name} contains control characters: remove them, e.g. {_text_example(name)}.")
    return stripped


def check_range(name: str, value: int, high: int) -> int:
    """Validate a page or limit: an int in 1..high."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(f"{name} must be an integer between 1 and {high}, not {value!r}, e.g. {name}=1.")
    if not 1 <= value <= high:
        raise InvalidInputError(f"{name} must be between 1 and {high} (got {value}), e.g. {name}=1.")
    return value


def check_mode(mode: str) -> Mode:
    """Validate a docs mode: ``code`` or ``info``."""
    if mode == "code":
        return "code"
    if mode == "info":
        return "info"
    raise InvalidInputError(f"mode must be 'code' or 'info', not {mode!r}.")
