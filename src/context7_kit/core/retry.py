"""The retry policy: one set of decisions for the sync and the async client.

Retried: 429 (waiting ``Retry-After`` when the server gives it), 500, 502,
503, 504, connection errors and timeouts, with exponential backoff and
jitter. Never retried: any other 4xx. A ``Retry-After`` longer than
``max_retry_wait`` is not slept through: the :class:`RateLimitError` is
raised at once so the caller can decide.
"""

from __future__ import annotations

import email.utils
import logging
import math
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from context7_kit.core.errors import RateLimitError, ServerError, TLSCertificateError, TransportError

if TYPE_CHECKING:
    from tenacity import RetryCallState

logger = logging.getLogger("context7_kit")

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
BACKOFF_INITIAL = 0.5
BACKOFF_MAX = 8.0


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if math.isnan(seconds):
        return None
    return max(0.0, seconds)


def is_retryable(error: BaseException, max_retry_wait: float) -> bool:
    """Whether a failed attempt is worth another one."""
    if isinstance(error, RateLimitError):
        return error.retry_after is None or error.retry_after <= max_retry_wait
    if isinstance(error, ServerError):
        return error.status_code in RETRYABLE_STATUSES
    # A certificate that fails verification fails the same way on every attempt.
    return isinstance(error, TransportError) and not isinstance(error, TLSCertificateError)


def retry_kwargs(
    *,
    max_retries: int,
    max_retry_wait: float,
    sleep: Callable[[float], Any],
    allows_wait: Callable[[float], bool] = lambda _seconds: True,
    on_retry: Callable[[BaseException | None], None] = lambda _error: None,
) -> dict[str, Any]:
    """Keyword arguments for ``tenacity.Retrying`` or ``AsyncRetrying``.

    ``allows_wait(seconds)`` says whether the call's deadline leaves time to
    wait that long and try again; when it does not, the last error is raised.
    Each retry is logged at INFO (a library leaves WARNING to what its user
    must act on); ``on_retry(error)`` is told of each one too.
    """
    # tenacity loads with the first retry: calls that succeed at once never need it.
    from tenacity import retry_if_exception, stop_after_attempt, wait_exponential, wait_random  # noqa: PLC0415

    backoff = wait_exponential(multiplier=BACKOFF_INITIAL, max=min(BACKOFF_MAX, max_retry_wait)) + wait_random(0, 0.5)

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, RateLimitError) and error.retry_after is not None:
            return min(error.retry_after, max_retry_wait)
        # The jitter is added after wait_exponential's cap: keep the sum under the cap too.
        return min(float(backoff(state)), max_retry_wait)

    def log_retry(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        delay = state.next_action.sleep if state.next_action else 0.0
        # The error's text never holds the key (see errors.redact).
        logger.info(
            "Context7 request failed (%s); retry %d of %d in %.2fs",
            error,
            state.attempt_number,
            max_retries,
            delay,
        )
        on_retry(error)

    attempts = stop_after_attempt(max_retries + 1)

    def stop(state: RetryCallState) -> bool:
        # tenacity computes the coming wait before asking whether to stop.
        return bool(attempts(state)) or not allows_wait(state.upcoming_sleep)

    return {
        "retry": retry_if_exception(lambda e: is_retryable(e, max_retry_wait)),
        "stop": stop,
        "wait": wait,
        "before_sleep": log_retry,
        "reraise": True,
        "sleep": sleep,
    }
