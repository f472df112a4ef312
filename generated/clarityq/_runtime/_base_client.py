"""Sync and async HTTP clients shared by every generated API client."""

from __future__ import annotations

import asyncio
import json
import logging
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, Self, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx

from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    RequestValidationError,
    display_url,
    make_status_error,
)
from ._headers import build_headers, check_headers
from ._operation import Operation
from ._response import APIResponse
from ._retry import is_retryable_exception, is_retryable_status, retry_delay
from ._types import NOT_GIVEN, NotGiven, Timeout
from ._urls import build_query, build_url

__all__ = ["DEFAULT_MAX_RETRIES", "DEFAULT_TIMEOUT", "AsyncAPIClient", "SyncAPIClient"]

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
# Replies (after content decoding) larger than this are refused with APIResponseValidationError
# instead of buffered: a misbehaving server cannot make the client hold unbounded memory, and a
# gzip bomb is cut off as it inflates. Feedback replies are a few hundred bytes.
DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024

log = logging.getLogger(__name__)

_HttpClientT = TypeVar("_HttpClientT", httpx.Client, httpx.AsyncClient)


def total_seconds(timeout: Timeout) -> float | None:
    """Wall-clock bound of one attempt: connect + write + read timeouts (None when one is unbounded).

    httpx timeouts bound each socket operation, so a server trickling one byte per second
    would hold a call with ``timeout=5`` forever; this bounds the attempt as a whole.
    """
    if not isinstance(timeout, httpx.Timeout):
        return float(timeout) * 3
    parts = (timeout.connect, timeout.write, timeout.read)
    return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)


def _deadline_passed(request: httpx.Request) -> httpx.ReadTimeout:
    return httpx.ReadTimeout("the whole call took longer than its timeout allows", request=request)


def _with_body(response: httpx.Response, body: bytes) -> httpx.Response:
    """A copy of the closed, streamed ``response`` whose ``content`` is ``body`` (already decoded).

    httpx has no public way to keep a body read in capped chunks, so the copy is built from the
    body, then given the original headers: built with them, it would decode the body again.
    """
    copy = httpx.Response(
        response.status_code,
        content=body,
        request=response.request,
        extensions=response.extensions,
        history=response.history,
        default_encoding=response.default_encoding,
    )
    copy.headers = response.headers
    copy.next_request = response.next_request
    copy.elapsed = response.elapsed  # set when the original closed
    return copy


@dataclass(frozen=True)
class _PreparedRequest:
    method: str
    url: str
    params: list[tuple[str, str]]
    headers: dict[str, str]
    content: bytes | None
    timeout: Timeout


def _strip_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _secrets_to_redact(auth_headers: Mapping[str, str]) -> tuple[str, ...]:
    # Mask both "Bearer abc..." and the bare token "abc..." should a server echo either.
    found: set[str] = set()
    for value in auth_headers.values():
        found.add(value)
        token = value.rsplit(" ", 1)[-1]
        if len(token) >= 8:
            found.add(token)
    return tuple(sorted(found, key=len, reverse=True))


class _BaseClient(Generic[_HttpClientT]):
    """Configuration and request preparation shared by the sync and async clients."""

    _client: _HttpClientT

    def __init__(
        self,
        *,
        base_url: str,
        auth_headers: Mapping[str, str] | None = None,
        default_headers: Mapping[str, str] | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        user_agent: str | None = None,
    ) -> None:
        if not base_url:
            raise RequestValidationError(
                "No base_url: the spec declares no `servers`. Pass base_url= (or set `default_base_url` in the "
                "vendor's vendor.yaml and regenerate)."
            )
        if not base_url.startswith(("https://", "http://")):
            raise RequestValidationError("base_url must start with https:// or http://.")
        if max_retries < 0:
            raise RequestValidationError("max_retries must be >= 0.")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_response_bytes = DEFAULT_MAX_RESPONSE_BYTES
        # Checked once here so a bad value fails at construction, not mid-request.
        self._auth_headers = check_headers(auth_headers)
        self._redact = _secrets_to_redact(self._auth_headers)
        self.default_headers = check_headers(default_headers)
        self.user_agent = user_agent or f"{type(self).__name__}/python httpx/{httpx.__version__}"
        check_headers({"User-Agent": self.user_agent})

    def __repr__(self) -> str:
        # Never the auth headers: repr() ends up in logs and tracebacks.
        return f"{type(self).__name__}(base_url={_strip_userinfo(self.base_url)!r})"

    def _prepare(
        self,
        op: Operation,
        *,
        path_params: Mapping[str, object] | None,
        query: Mapping[str, object] | None,
        headers: Mapping[str, object] | None,
        json_body: object,
        form_body: Mapping[str, object] | NotGiven,
        content_body: tuple[bytes | str, str] | NotGiven,
        extra_headers: Mapping[str, str] | None,
        timeout: Timeout | NotGiven,
    ) -> _PreparedRequest:
        """Everything that can be refused locally is refused here, before anything is sent."""
        url = build_url(self.base_url, op.path, path_params)
        merged: dict[str, str] = {"Accept": "application/json", "User-Agent": self.user_agent}
        merged.update(self.default_headers)
        merged.update(build_headers(headers))
        merged.update(self._auth_headers)
        content: bytes | None = None
        if not isinstance(json_body, NotGiven):
            try:
                content = json.dumps(json_body, separators=(",", ":"), allow_nan=False).encode()
            except (TypeError, ValueError) as exc:
                raise RequestValidationError(f"Request body is not JSON-serialisable: {exc}") from None
            merged["Content-Type"] = "application/json"
        elif not isinstance(form_body, NotGiven):
            # Form bodies (Twilio and many older APIs) use the same encoding rules as queries.
            content = urllib.parse.urlencode(build_query(form_body)).encode()
            merged["Content-Type"] = "application/x-www-form-urlencoded"
        elif not isinstance(content_body, NotGiven):
            # Any other media type: the caller supplies the encoded bytes (or text).
            raw, media_type = content_body
            content = raw.encode() if isinstance(raw, str) else bytes(raw)
            merged["Content-Type"] = media_type
        # Per-call overrides win, including over auth headers, by explicit caller choice.
        merged.update(check_headers(extra_headers))
        return _PreparedRequest(
            method=op.method.upper(),
            url=url,
            params=build_query(query),
            headers=merged,
            content=content,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
        )

    def _called(self, op: Operation, request: httpx.Request | None) -> str:
        """``METHOD URL`` for messages: the real URL called, credentials redacted (the path template if unknown)."""
        if request is None:
            return f"{op.method.upper()} {op.path}"
        return f"{request.method} {display_url(request.url, self._redact)}"

    def _check_declared_size(self, op: Operation, response: httpx.Response) -> None:
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_response_bytes:
            raise self._too_large(op, response)

    def _too_large(self, op: Operation, response: httpx.Response) -> APIResponseValidationError:
        return APIResponseValidationError(
            f"{self._called(op, response.request)} -> {response.status_code}: response body larger than "
            f"{self.max_response_bytes} bytes (max_response_bytes); refusing to read it",
            response=response,
        )

    def _undecodable(self, op: Operation, response: httpx.Response, exc: Exception) -> APIResponseValidationError:
        return APIResponseValidationError(
            f"{self._called(op, response.request)} -> {response.status_code}: response body could not be decoded "
            f"({type(exc).__name__})",
            response=response,
        )

    def _build_request(self, prepared: _PreparedRequest) -> httpx.Request:
        # Widened copy: httpx's parameter type is an invariant list of scalar unions.
        params: list[tuple[str, str | int | float | bool | None]] = list(prepared.params)
        return self._client.build_request(
            prepared.method,
            prepared.url,
            params=params,
            headers=prepared.headers,
            content=prepared.content,
            timeout=prepared.timeout,
        )

    def _should_retry_exception(
        self, op: Operation, exc: httpx.TransportError, attempt: int, retries: int
    ) -> float | None:
        """Delay before the next attempt, or None to give up."""
        if attempt >= retries or not is_retryable_exception(exc, idempotent=op.idempotent):
            return None
        delay = retry_delay(attempt)
        log.debug("Retrying %s %s in %.2fs after %s", op.method, op.path, delay, type(exc).__name__)
        return delay

    def _should_retry_response(
        self, op: Operation, response: httpx.Response, attempt: int, retries: int
    ) -> float | None:
        """Delay before the next attempt, or None to give up."""
        if attempt >= retries or not is_retryable_status(
            response.status_code, response.headers, idempotent=op.idempotent
        ):
            return None
        delay = retry_delay(attempt, response.headers)
        log.debug(
            "Retrying %s %s in %.2fs after HTTP %d",
            op.method,
            op.path,
            delay,
            response.status_code,
        )
        return delay

    def _transport_error(self, op: Operation, exc: httpx.TransportError) -> APIConnectionError:
        # httpx messages describe the socket failure only; they carry no header values.
        try:
            request: httpx.Request | None = exc.request
        except RuntimeError:  # httpx raises when the error was not tied to a request
            request = None
        where = self._called(op, request)
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"{where}: request timed out ({type(exc).__name__})", request=request)
        return APIConnectionError(f"{where}: connection error ({type(exc).__name__}: {exc})", request=request)

    def _status_error(self, op: Operation, response: httpx.Response) -> APIStatusError:
        spec = op.response_for(response.status_code)
        return make_status_error(
            response,
            spec.model if spec is not None else None,
            redact=self._redact,
        )

    def _success(self, op: Operation, response: httpx.Response, attempt: int) -> APIResponse[Any]:
        log.debug("%s %s -> %d (retries: %d)", op.method, op.path, response.status_code, attempt)
        return APIResponse(response, op.response_for(response.status_code), retries_taken=attempt)


class SyncAPIClient(_BaseClient[httpx.Client]):
    """Blocking client; use as a context manager or call close()."""

    def __init__(
        self,
        *,
        base_url: str,
        auth_headers: Mapping[str, str] | None = None,
        default_headers: Mapping[str, str] | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None = None,
        user_agent: str | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            auth_headers=auth_headers,
            default_headers=default_headers,
            timeout=timeout,
            max_retries=max_retries,
            user_agent=user_agent,
        )
        self._owns_client = http_client is None
        # Redirects are never followed, so credentials cannot be forwarded to another host.
        self._client = http_client or httpx.Client(timeout=timeout, follow_redirects=False)
        # Overridable so tests (and callers with their own scheduling) need not really wait.
        self._sleep: Callable[[float], None] = time.sleep

    def request(
        self,
        op: Operation,
        *,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json_body: object = NOT_GIVEN,
        form_body: Mapping[str, object] | NotGiven = NOT_GIVEN,
        content_body: tuple[bytes | str, str] | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[Any]:
        """Send one operation, retrying per policy; raise an APIError subclass on failure."""
        prepared = self._prepare(
            op,
            path_params=path_params,
            query=query,
            headers=headers,
            json_body=json_body,
            form_body=form_body,
            content_body=content_body,
            extra_headers=extra_headers,
            timeout=timeout,
        )
        retries = self.max_retries if isinstance(max_retries, NotGiven) else max_retries
        attempt = 0
        while True:
            request = self._build_request(prepared)
            log.debug("Sending %s %s (attempt %d)", op.method, op.path, attempt + 1)
            total = total_seconds(prepared.timeout)
            deadline = None if total is None else time.monotonic() + total
            try:
                response = self._client.send(request, follow_redirects=False, stream=True)
                response = self._read(op, response, deadline)
            except httpx.TransportError as exc:
                delay = self._should_retry_exception(op, exc, attempt, retries)
                if delay is None:
                    raise self._transport_error(op, exc) from exc
            else:
                if response.is_success:
                    return self._success(op, response, attempt)
                delay = self._should_retry_response(op, response, attempt, retries)
                if delay is None:
                    raise self._status_error(op, response)
            self._sleep(delay)
            attempt += 1

    def _read(self, op: Operation, response: httpx.Response, deadline: float | None) -> httpx.Response:
        """The streamed response with its body read, up to ``max_response_bytes`` and the deadline."""
        try:
            self._check_declared_size(op, response)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                if deadline is not None and time.monotonic() > deadline:
                    raise _deadline_passed(response.request)
                size += len(chunk)
                if size > self.max_response_bytes:
                    raise self._too_large(op, response)
                chunks.append(chunk)
            body = b"".join(chunks)
        except httpx.DecodingError as exc:
            raise self._undecodable(op, response, exc) from None
        finally:
            response.close()
        return _with_body(response, body)

    def close(self) -> None:
        """Close the underlying httpx client if this client created it."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncAPIClient(_BaseClient[httpx.AsyncClient]):
    """asyncio client; use as an async context manager or await aclose()."""

    def __init__(
        self,
        *,
        base_url: str,
        auth_headers: Mapping[str, str] | None = None,
        default_headers: Mapping[str, str] | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None = None,
        user_agent: str | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            auth_headers=auth_headers,
            default_headers=default_headers,
            timeout=timeout,
            max_retries=max_retries,
            user_agent=user_agent,
        )
        self._owns_client = http_client is None
        # Redirects are never followed, so credentials cannot be forwarded to another host.
        self._client = http_client or httpx.AsyncClient(timeout=timeout, follow_redirects=False)
        # Overridable so tests (and callers with their own scheduling) need not really wait.
        self._sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def request(
        self,
        op: Operation,
        *,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        json_body: object = NOT_GIVEN,
        form_body: Mapping[str, object] | NotGiven = NOT_GIVEN,
        content_body: tuple[bytes | str, str] | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[Any]:
        """Send one operation, retrying per policy; raise an APIError subclass on failure."""
        prepared = self._prepare(
            op,
            path_params=path_params,
            query=query,
            headers=headers,
            json_body=json_body,
            form_body=form_body,
            content_body=content_body,
            extra_headers=extra_headers,
            timeout=timeout,
        )
        retries = self.max_retries if isinstance(max_retries, NotGiven) else max_retries
        attempt = 0
        while True:
            request = self._build_request(prepared)
            log.debug("Sending %s %s (attempt %d)", op.method, op.path, attempt + 1)
            try:
                try:
                    async with asyncio.timeout(total_seconds(prepared.timeout)):
                        response = await self._client.send(request, follow_redirects=False, stream=True)
                        response = await self._read(op, response)
                except TimeoutError:
                    raise _deadline_passed(request) from None
            except httpx.TransportError as exc:
                delay = self._should_retry_exception(op, exc, attempt, retries)
                if delay is None:
                    raise self._transport_error(op, exc) from exc
            else:
                if response.is_success:
                    return self._success(op, response, attempt)
                delay = self._should_retry_response(op, response, attempt, retries)
                if delay is None:
                    raise self._status_error(op, response)
            await self._sleep(delay)
            attempt += 1

    async def _read(self, op: Operation, response: httpx.Response) -> httpx.Response:
        """The streamed response with its body read, up to ``max_response_bytes``."""
        try:
            self._check_declared_size(op, response)
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > self.max_response_bytes:
                    raise self._too_large(op, response)
                chunks.append(chunk)
            body = b"".join(chunks)
        except httpx.DecodingError as exc:
            raise self._undecodable(op, response, exc) from None
        finally:
            await response.aclose()
        return _with_body(response, body)

    async def aclose(self) -> None:
        """Close the underlying httpx client if this client created it."""
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
