"""Retry policy as pure functions: what may be retried, and how long to wait.

A non-idempotent operation (e.g. a POST that creates an entry per call) is retried only
when the request provably was not processed, so it is never recorded twice.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping

import httpx

__all__ = [
    "INITIAL_RETRY_DELAY",
    "MAX_RETRY_AFTER",
    "MAX_RETRY_DELAY",
    "is_retryable_exception",
    "is_retryable_status",
    "parse_retry_after",
    "retry_delay",
]

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0

# Failures raised before any byte of the request reached the server.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures worth another attempt when repeating the request is harmless.
_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def is_retryable_exception(exc: BaseException, *, idempotent: bool) -> bool:
    """Whether a transport error may be retried for an operation of this idempotency."""
    if isinstance(exc, _NOT_SENT):
        return True
    return idempotent and isinstance(exc, _TRANSIENT)


def is_retryable_status(status_code: int, headers: Mapping[str, str] | None = None, *, idempotent: bool) -> bool:
    """Whether a response status may be retried for an operation of this idempotency."""
    if status_code == 429:
        # The server states it rejected the request without processing it.
        return True
    if not idempotent:
        # 503 + Retry-After is an explicit "not processed, come back later".
        return status_code == 503 and parse_retry_after(headers) is not None
    return status_code == 408 or status_code >= 500


def parse_retry_after(headers: Mapping[str, str] | None, *, now: Callable[[], float] = time.time) -> float | None:
    """Seconds the server asks us to wait (retry-after-ms, Retry-After seconds or date)."""
    if not headers:
        return None
    lowered = {k.lower(): v for k, v in headers.items()}
    ms = lowered.get("retry-after-ms")
    if ms is not None:
        try:
            return max(float(ms) / 1000.0, 0.0)
        except ValueError:
            pass
    value = lowered.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    import email.utils  # only for the rare HTTP-date form; keeps it out of client import time

    parsed = email.utils.parsedate_tz(value)
    if parsed is None:
        return None
    return max(email.utils.mktime_tz(parsed) - now(), 0.0)


def retry_delay(
    attempt: int,
    headers: Mapping[str, str] | None = None,
    *,
    rng: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait before retry number ``attempt`` (0-based): Retry-After, else backoff."""
    retry_after = parse_retry_after(headers)
    if retry_after is not None:
        return min(retry_after, MAX_RETRY_AFTER)
    backoff = min(INITIAL_RETRY_DELAY * 2.0**attempt, MAX_RETRY_DELAY)
    # Up to 25% jitter downwards so many clients do not retry in lockstep.
    return backoff * (1 - 0.25 * rng())
