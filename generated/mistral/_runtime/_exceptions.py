"""Exception hierarchy raised by generated clients.

Messages never contain header values: those may carry credentials.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable
from typing import Any

import httpx

from ._parsing import lenient_validate

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "MissingCredentialError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "UnprocessableEntityError",
    "display_url",
    "make_status_error",
    "parse_error_body",
    "status_error_class",
]

# Enough of the body to diagnose a problem without flooding logs.
_BODY_SNIPPET_CHARS = 500

# Header names vendors commonly use for a request id, checked in order.
_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id")


# Query parameters whose values are credentials by their name (api_key=, token=, sig=...).
_SECRET_PARAM = re.compile(r"key$|token|secret|passw|signature|^sig$|^auth(orization)?$|credential", re.IGNORECASE)


def display_url(url: httpx.URL | str, redact: Iterable[str] = ()) -> str:
    """The URL called, for messages: no userinfo, and credential values in the query shown as ``***``."""
    parts = urllib.parse.urlsplit(str(url))
    netloc = parts.netloc.rsplit("@", 1)[-1]
    secrets = [s for s in redact if s]
    query = []
    for pair in parts.query.split("&") if parts.query else []:
        # Each pair is kept as sent, so the message shows the real URL; only a credential's value is masked.
        name, sep, value = pair.partition("=")
        if sep and (
            _SECRET_PARAM.search(urllib.parse.unquote_plus(name)) or urllib.parse.unquote_plus(value) in secrets
        ):
            pair = f"{name}=***"
        query.append(pair)
    text = urllib.parse.urlunsplit(parts._replace(netloc=netloc, query="&".join(query), fragment=""))
    for secret in sorted(secrets, key=len, reverse=True):
        # A secret in the path (or percent-encoded anywhere) must not survive either.
        for form in {secret, urllib.parse.quote(secret, safe="")}:
            text = text.replace(form, "***")
    return text


class APIError(Exception):
    """Base class of every error a generated client raises."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RequestValidationError(APIError, ValueError):
    """Arguments were refused locally; nothing was sent."""


class MissingCredentialError(APIError):
    """A credential was given neither as a constructor argument nor via its env var."""

    def __init__(self, argument: str, env_var: str, what: str = "credential") -> None:
        super().__init__(f"Missing {what}: pass `{argument}=` to the client or set the {env_var} environment variable.")
        self.argument = argument
        self.env_var = env_var


class APIConnectionError(APIError):
    """The request could not be completed at the transport level."""

    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool)."""


def _snippet(response: httpx.Response, redact: Iterable[str]) -> str:
    try:
        text = response.text
    except Exception:  # body not read or undecodable; the status alone still helps
        return ""
    # Redact before truncating so a cut cannot leave part of a secret visible.
    for secret in redact:
        if secret:
            text = text.replace(secret, "***")
    text = text.strip()
    if len(text) > _BODY_SNIPPET_CHARS:
        text = text[:_BODY_SNIPPET_CHARS] + "..."
    return text


class APIResponseValidationError(APIError):
    """A successful response whose body does not match what the spec declares."""

    def __init__(self, message: str, *, response: httpx.Response) -> None:
        super().__init__(message)
        self.response = response
        self.status_code = response.status_code


class APIStatusError(APIError):
    """The server answered with a non-2xx status."""

    def __init__(self, message: str, *, response: httpx.Response, error: Any | None = None) -> None:
        super().__init__(message)
        self.response = response
        self.status_code: int = response.status_code
        self.headers: httpx.Headers = response.headers
        self.body: bytes = response.content
        self.error = error
        self.request_id: str | None = next(
            (response.headers[h] for h in _REQUEST_ID_HEADERS if h in response.headers), None
        )

    @property
    def text(self) -> str:
        """The response body decoded as text."""
        return self.response.text


class BadRequestError(APIStatusError):
    """HTTP 400."""


class AuthenticationError(APIStatusError):
    """HTTP 401."""


class PermissionDeniedError(APIStatusError):
    """HTTP 403."""


class NotFoundError(APIStatusError):
    """HTTP 404."""


class ConflictError(APIStatusError):
    """HTTP 409."""


class UnprocessableEntityError(APIStatusError):
    """HTTP 422."""


class RateLimitError(APIStatusError):
    """HTTP 429."""


class InternalServerError(APIStatusError):
    """HTTP 5xx."""


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """Return the APIStatusError subclass for a status code."""
    if status_code >= 500:
        return InternalServerError
    return _STATUS_CLASSES.get(status_code, APIStatusError)


def parse_error_body(response: httpx.Response, error_model: Any | None) -> Any | None:
    """Parse a JSON error body into ``error_model`` leniently; None if absent or not JSON."""
    if error_model is None or not response.content:
        return None
    try:
        data = json.loads(response.content)
    except ValueError:
        return None
    return lenient_validate(error_model, data)


def make_status_error(
    response: httpx.Response,
    error_model: Any | None = None,
    *,
    redact: Iterable[str] = (),
) -> APIStatusError:
    """Build the status error for a non-2xx response, with the body parsed into ``error_model``.

    The message names the method and the URL called; strings in ``redact`` (the client's secrets)
    are masked there and in the body should the server echo them.
    """
    request = response.request
    reason = response.reason_phrase or ""
    head = f"{request.method} {display_url(request.url, redact)} -> {response.status_code} {reason}".rstrip()
    snippet = _snippet(response, redact)
    message = f"{head}: {snippet}" if snippet else head
    cls = status_error_class(response.status_code)
    return cls(message, response=response, error=parse_error_body(response, error_model))
