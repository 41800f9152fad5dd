"""A client's settings: their defaults, and the one check every client and adapter runs on them.

Each setting is taken from its argument, else the environment (``CONTEXT7_API_KEY``,
``CONTEXT7_API_URL``), else the default here. :func:`check_client_settings`
checks them without I/O, so a class that builds clients later can fail at once.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

import httpx
from pydantic import SecretStr

from context7_kit.core.cache import DEFAULT_CACHE_TTL
from context7_kit.core.errors import InvalidInputError

DEFAULT_BASE_URL = "https://context7.com/api"
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 3
DEFAULT_MAX_RETRY_WAIT = 60.0
# A whole call (every attempt, read and retry wait) ends within this many seconds.
DEFAULT_DEADLINE = 120.0
# Decoded body size past which a response is refused: the largest real docs page is far below it.
DEFAULT_MAX_RESPONSE_BYTES = 20_000_000


@dataclass(frozen=True)
class ClientSettings:
    """A client's settings, checked, each from its argument, else the environment, else the default."""

    api_key: SecretStr | None
    base_url: str
    timeout: httpx.Timeout
    max_retries: int
    max_retry_wait: float
    cache_ttl: float
    follow_redirects: bool
    deadline: float = DEFAULT_DEADLINE
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES


def check_client_settings(
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    timeout: httpx.Timeout | float | None = None,
    max_retries: int = DEFAULT_MAX_RETRIES,
    max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
    cache_ttl: float = DEFAULT_CACHE_TTL,
    follow_redirects: bool = True,
    deadline: float = DEFAULT_DEADLINE,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> ClientSettings:
    """Check client settings as the clients do, without making an HTTP client or doing I/O.

    Takes the arguments of the same names of :class:`~context7_kit.Context7Client`;
    raises :class:`InvalidInputError` for a bad one (a base_url that is not http(s),
    negative retries...). The API key comes back as a ``SecretStr``.
    """
    key = api_key if api_key is not None else os.environ.get("CONTEXT7_API_KEY")
    url = base_url or os.environ.get("CONTEXT7_API_URL") or DEFAULT_BASE_URL
    parsed = httpx.URL(url)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise InvalidInputError(f"base_url must be an http(s) URL such as {DEFAULT_BASE_URL!r}, not {url!r}.")
    if timeout is None:
        timeout = DEFAULT_TIMEOUT
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise InvalidInputError(f"max_retries must be an integer >= 0, not {max_retries!r}.")
    if max_retry_wait < 0:
        raise InvalidInputError(f"max_retry_wait must be >= 0 seconds, not {max_retry_wait!r}.")
    if cache_ttl <= 0:
        raise InvalidInputError(f"cache_ttl must be a positive number of seconds, not {cache_ttl!r}.")
    if isinstance(deadline, bool) or not isinstance(deadline, (int, float)) or not 0 < deadline < math.inf:
        raise InvalidInputError(f"deadline must be a positive number of seconds, not {deadline!r}, e.g. deadline=30.")
    if isinstance(max_response_bytes, bool) or not isinstance(max_response_bytes, int) or max_response_bytes < 1:
        raise InvalidInputError(
            f"max_response_bytes must be a positive integer, not {max_response_bytes!r}, "
            "e.g. max_response_bytes=50_000_000."
        )
    return ClientSettings(
        api_key=SecretStr(key.strip()) if key and key.strip() else None,
        base_url=url.rstrip("/"),
        timeout=timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout),
        max_retries=max_retries,
        max_retry_wait=float(max_retry_wait),
        cache_ttl=float(cache_ttl),
        follow_redirects=follow_redirects,
        deadline=float(deadline),
        max_response_bytes=max_response_bytes,
    )


__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_MAX_RETRY_WAIT",
    "DEFAULT_TIMEOUT",
    "ClientSettings",
    "check_client_settings",
]
