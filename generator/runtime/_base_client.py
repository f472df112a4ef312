"""Sync and async HTTP clients shared by every generated API client."""

from __future__ import annotations

import base64
import json
import logging
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import IO, Any, Generic, Self, TypeVar
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
from ._headers import check_header, check_headers
from ._multipart import MultipartParts, build_multipart, read_content
from ._operation import Operation
from ._params import build_cookie_header, build_header_params, build_query_string
from ._raw import streaming_requested
from ._response import APIResponse, response_with_body
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
# One encoder for every body: json.dumps() with options builds a new one per call.
_JSON = json.JSONEncoder(separators=(",", ":"), allow_nan=False)

# What most operations accept: the owned httpx client sends it by default (see _own_client_headers).
_USUAL_ACCEPT = "application/json"

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


class _PreparedRequest:
    """Everything needed to send (and resend) one call."""

    __slots__ = ("content", "files", "headers", "method", "opened", "timeout", "url")

    def __init__(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        content: bytes | None,
        timeout: Timeout,
        files: MultipartParts | None = None,
        opened: tuple[IO[bytes], ...] = (),  # files opened for multipart parts, closed after the call
    ) -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.content = content
        self.timeout = timeout
        self.files = files
        self.opened = opened

    def close_files(self) -> None:
        for handle in self.opened:
            handle.close()


def _strip_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


# Shorter pieces are not masked on their own: they would blank ordinary words in messages.
_MIN_SECRET_PIECE = 8


def _secrets_to_redact(*credentials: Mapping[str, str]) -> tuple[str, ...]:
    # Mask both "Bearer abc..." and the bare token "abc..." should a server echo either; for
    # HTTP Basic also the decoded password, which a server may echo in its own words.
    found: set[str] = set()
    for value in (v for c in credentials for v in c.values()):
        found.add(value)
        scheme, _, token = value.rpartition(" ")
        pieces = [token]
        if scheme.lower() == "basic":
            pieces.append(_basic_password(token))
        found.update(p for p in pieces if len(p) >= _MIN_SECRET_PIECE)
    return tuple(sorted(found, key=len, reverse=True))


def _basic_password(token: str) -> str:
    """The password inside a Basic ``token`` (base64 of ``user:password``), or "" if it is not one."""
    try:
        decoded = base64.b64decode(token, validate=True).decode("utf-8")
    except ValueError:  # binascii.Error and UnicodeDecodeError are both ValueErrors
        return ""
    return decoded.partition(":")[2]


async def _asyncio_sleep(seconds: float) -> None:
    # asyncio is imported on first use: a sync-only program need not pay for importing it.
    import asyncio

    await asyncio.sleep(seconds)


def _asyncio_timeout(seconds: float | None) -> Any:
    import asyncio

    return asyncio.timeout(seconds)


class _RedactSecrets(logging.Filter):
    """Masks credentials in httpx's own log records: its INFO line prints the full URL, query included."""

    def __init__(self) -> None:
        super().__init__("vendor-client-redaction")
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets and isinstance(record.args, tuple):
            args = []
            for arg in record.args:
                text = str(arg)
                if any(secret in text for secret in self.secrets):
                    for secret in sorted(self.secrets, key=len, reverse=True):
                        text = text.replace(secret, "***")
                    arg = text
                args.append(arg)
            record.args = tuple(args)
        return True


_HTTPX_LOG_REDACTION = _RedactSecrets()


def _redact_in_httpx_logs(secrets: tuple[str, ...]) -> None:
    logger = logging.getLogger("httpx")
    if _HTTPX_LOG_REDACTION not in logger.filters:
        logger.addFilter(_HTTPX_LOG_REDACTION)
    _HTTPX_LOG_REDACTION.secrets.update(secrets)


class _BaseClient(Generic[_HttpClientT]):
    """Configuration and request preparation shared by the sync and async clients."""

    _client: _HttpClientT
    _owns_client: bool
    # Headers the httpx client already sends by itself (only on a client this one created).
    _client_user_agent: str | None = None
    _client_accept: str | None = None
    is_async: bool = False

    def __init__(
        self,
        *,
        base_url: str,
        auth_headers: Mapping[str, str] | None = None,
        default_headers: Mapping[str, str] | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        user_agent: str | None = None,
        auth_query: Mapping[str, str] | None = None,
        auth_cookies: Mapping[str, str] | None = None,
        strict_response_validation: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
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
        self._total_seconds = (timeout, total_seconds(timeout))  # computed once for the default timeout
        self.max_retries = max_retries
        if max_response_bytes <= 0:
            raise RequestValidationError("max_response_bytes must be > 0.")
        self.max_response_bytes = max_response_bytes
        self.strict_response_validation = strict_response_validation
        # Checked once here so a bad value fails at construction, not mid-request.
        self._auth_headers = check_headers(auth_headers)
        # apiKey credentials `in: query` / `in: cookie`: never in repr, logs or error text either.
        self._auth_query = dict(auth_query or {})
        self._auth_cookies = dict(auth_cookies or {})
        for name, value in self._auth_cookies.items():
            check_header(name, value)
        self._redact = _secrets_to_redact(self._auth_headers, self._auth_query, self._auth_cookies)
        if self._auth_query:
            _redact_in_httpx_logs(_secrets_to_redact(self._auth_query))
        self.default_headers = check_headers(default_headers)
        self.user_agent = user_agent or f"{type(self).__name__}/python httpx/{httpx.__version__}"
        check_headers({"User-Agent": self.user_agent})

    def _own_client_headers(self) -> dict[str, str]:
        """Default headers for an httpx client this one creates: the User-Agent and the usual Accept.

        httpx merges each per-request header into its client's defaults by scanning and popping,
        and replacing its own User-Agent or Accept there costs a few µs per call; set once here,
        ``_prepare`` sends them per request only when they differ.
        """
        self._client_user_agent = self.user_agent
        self._client_accept = _USUAL_ACCEPT
        return {"User-Agent": self.user_agent, "Accept": _USUAL_ACCEPT}

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
        cookies: Mapping[str, object] | None,
        json_body: object,
        form_body: Mapping[str, object] | NotGiven,
        content_body: tuple[object, str] | NotGiven,
        multipart: Mapping[str, object] | NotGiven,
        extra_headers: Mapping[str, str] | None,
        timeout: Timeout | NotGiven,
    ) -> _PreparedRequest:
        """Everything that can be refused locally is refused here, before anything is sent."""
        styles = op.styles
        url = build_url(self.base_url, op.path, path_params, styles)
        if query or self._auth_query:
            query_string = build_query_string(query, styles, self._auth_query)
            if query_string:
                url = f"{url}?{query_string}"
        merged: dict[str, str] = {}
        if op.accept != self._client_accept:
            merged["Accept"] = op.accept
        if self.user_agent != self._client_user_agent:
            merged["User-Agent"] = self.user_agent
        merged.update(self.default_headers)
        if headers:
            merged.update(check_headers(build_header_params(headers, styles)))
        if cookies or self._auth_cookies:
            cookie = build_cookie_header(cookies, styles, self._auth_cookies)
            if cookie:
                check_header("Cookie", cookie)
                merged["Cookie"] = cookie
        merged.update(self._auth_headers)
        content: bytes | None = None
        files: MultipartParts | None = None
        opened: list[IO[bytes]] = []
        if not isinstance(json_body, NotGiven):
            try:
                content = _JSON.encode(json_body).encode()
            except (TypeError, ValueError) as exc:
                raise RequestValidationError(f"Request body is not JSON-serialisable: {exc}") from None
            merged["Content-Type"] = "application/json"
        elif not isinstance(form_body, NotGiven):
            # Form bodies (Twilio and many older APIs) use the same encoding rules as queries.
            content = urllib.parse.urlencode(build_query(form_body)).encode()
            merged["Content-Type"] = "application/x-www-form-urlencoded"
        elif not isinstance(content_body, NotGiven):
            # Any other media type: bytes, text, a binary file or a path, sent as they are.
            raw, media_type = content_body
            content = read_content(raw)
            merged["Content-Type"] = media_type
        elif not isinstance(multipart, NotGiven):
            # httpx writes the boundary into Content-Type and streams file parts from disk.
            files, opened = build_multipart(multipart, op.part_types)
        # Per-call overrides win, including over auth headers, by explicit caller choice.
        if extra_headers:
            merged.update(check_headers(extra_headers))
        return _PreparedRequest(
            method=op.method.upper(),
            url=url,
            headers=merged,
            content=content,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            files=files,
            opened=tuple(opened),
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
        if prepared.files is None and prepared.timeout is self.timeout and self._owns_client:
            # The common case: httpx applies the client's own timeout without rebuilding it.
            return self._client.build_request(
                prepared.method, prepared.url, headers=prepared.headers, content=prepared.content
            )
        return self._client.build_request(
            prepared.method,
            prepared.url,
            headers=prepared.headers,
            content=prepared.content,
            files=prepared.files,
            timeout=prepared.timeout,
        )

    def _streams(self, op: Operation, response: httpx.Response, streaming: bool) -> bool:
        """Whether a successful response is handed over unread (a declared stream, or with_streaming_response)."""
        if streaming:
            return True
        spec = op.response_for(response.status_code)
        return spec is not None and spec.stream is not None

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

    def _success(self, op: Operation, response: httpx.Response, attempt: int, body: bytes | None) -> APIResponse[Any]:
        """The response of a successful call: ``body`` as read, or None while it streams."""
        log.debug("%s %s -> %d (retries: %d)", op.method, op.path, response.status_code, attempt)
        return APIResponse(
            response,
            op.response_for(response.status_code),
            retries_taken=attempt,
            op=op,
            client=self,
            streamed=body is None,
            body=body,
        )


class SyncAPIClient(_BaseClient[httpx.Client]):
    """Blocking client; use as a context manager or call close()."""

    is_async = False

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
        auth_query: Mapping[str, str] | None = None,
        auth_cookies: Mapping[str, str] | None = None,
        strict_response_validation: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        super().__init__(
            base_url=base_url,
            auth_headers=auth_headers,
            default_headers=default_headers,
            timeout=timeout,
            max_retries=max_retries,
            user_agent=user_agent,
            auth_query=auth_query,
            auth_cookies=auth_cookies,
            strict_response_validation=strict_response_validation,
            max_response_bytes=max_response_bytes,
        )
        self._owns_client = http_client is None
        # Redirects are never followed, so credentials cannot be forwarded to another host.
        if http_client is None:
            http_client = httpx.Client(timeout=timeout, follow_redirects=False, headers=self._own_client_headers())
        self._client = http_client
        # Overridable so tests (and callers with their own scheduling) need not really wait.
        self._sleep: Callable[[float], None] = time.sleep

    def request(
        self,
        op: Operation,
        *,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        json_body: object = NOT_GIVEN,
        form_body: Mapping[str, object] | NotGiven = NOT_GIVEN,
        content_body: tuple[object, str] | NotGiven = NOT_GIVEN,
        multipart: Mapping[str, object] | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[Any]:
        """Send one operation, retrying per policy; raise an APIError subclass on failure.

        A streaming operation (or a call under ``with_streaming_response``) returns with the
        body unread; once its headers have arrived it is never retried.
        """
        prepared = self._prepare(
            op,
            path_params=path_params,
            query=query,
            headers=headers,
            cookies=cookies,
            json_body=json_body,
            form_body=form_body,
            content_body=content_body,
            multipart=multipart,
            extra_headers=extra_headers,
            timeout=timeout,
        )
        try:
            return self._send(op, prepared, self.max_retries if isinstance(max_retries, NotGiven) else max_retries)
        finally:
            prepared.close_files()

    def _send(self, op: Operation, prepared: _PreparedRequest, retries: int) -> APIResponse[Any]:
        streaming = streaming_requested()
        cached_for, cached_total = self._total_seconds
        total = cached_total if prepared.timeout is cached_for else total_seconds(prepared.timeout)
        attempt = 0
        while True:
            request = self._build_request(prepared)
            log.debug("Sending %s %s (attempt %d)", op.method, op.path, attempt + 1)
            deadline = None if total is None else time.monotonic() + total
            body: bytes | None = None
            try:
                response = self._client.send(request, follow_redirects=False, stream=True)
                if not (response.is_success and self._streams(op, response, streaming)):
                    body = self._read(op, response, deadline)
            except httpx.TransportError as exc:
                delay = self._should_retry_exception(op, exc, attempt, retries)
                if delay is None:
                    raise self._transport_error(op, exc) from exc
            else:
                if response.is_success:
                    return self._success(op, response, attempt, body)
                delay = self._should_retry_response(op, response, attempt, retries)
                if delay is None:
                    raise self._status_error(op, response_with_body(response, body or b""))
            self._sleep(delay)
            attempt += 1

    def _read(self, op: Operation, response: httpx.Response, deadline: float | None) -> bytes:
        """The body of a streamed response, read up to ``max_response_bytes`` and the deadline."""
        try:
            self._check_declared_size(op, response)
            chunks: list[bytes] = []
            size = 0
            # No Content-Encoding: the raw bytes are the body, without httpx's decoder layers.
            chunks_in = response.iter_bytes() if "content-encoding" in response.headers else response.iter_raw()
            for chunk in chunks_in:
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
        return body

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

    is_async = True

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
        auth_query: Mapping[str, str] | None = None,
        auth_cookies: Mapping[str, str] | None = None,
        strict_response_validation: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        super().__init__(
            base_url=base_url,
            auth_headers=auth_headers,
            default_headers=default_headers,
            timeout=timeout,
            max_retries=max_retries,
            user_agent=user_agent,
            auth_query=auth_query,
            auth_cookies=auth_cookies,
            strict_response_validation=strict_response_validation,
            max_response_bytes=max_response_bytes,
        )
        self._owns_client = http_client is None
        # Redirects are never followed, so credentials cannot be forwarded to another host.
        if http_client is None:
            http_client = httpx.AsyncClient(timeout=timeout, follow_redirects=False, headers=self._own_client_headers())
        self._client = http_client
        # Overridable so tests (and callers with their own scheduling) need not really wait.
        self._sleep: Callable[[float], Awaitable[None]] = _asyncio_sleep

    async def request(
        self,
        op: Operation,
        *,
        path_params: Mapping[str, object] | None = None,
        query: Mapping[str, object] | None = None,
        headers: Mapping[str, object] | None = None,
        cookies: Mapping[str, object] | None = None,
        json_body: object = NOT_GIVEN,
        form_body: Mapping[str, object] | NotGiven = NOT_GIVEN,
        content_body: tuple[object, str] | NotGiven = NOT_GIVEN,
        multipart: Mapping[str, object] | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> APIResponse[Any]:
        """Send one operation, retrying per policy; raise an APIError subclass on failure.

        A streaming operation (or a call under ``with_streaming_response``) returns with the
        body unread; once its headers have arrived it is never retried.
        """
        prepared = self._prepare(
            op,
            path_params=path_params,
            query=query,
            headers=headers,
            cookies=cookies,
            json_body=json_body,
            form_body=form_body,
            content_body=content_body,
            multipart=multipart,
            extra_headers=extra_headers,
            timeout=timeout,
        )
        try:
            return await self._send(
                op, prepared, self.max_retries if isinstance(max_retries, NotGiven) else max_retries
            )
        finally:
            prepared.close_files()

    async def _send(self, op: Operation, prepared: _PreparedRequest, retries: int) -> APIResponse[Any]:
        streaming = streaming_requested()
        attempt = 0
        while True:
            request = self._build_request(prepared)
            log.debug("Sending %s %s (attempt %d)", op.method, op.path, attempt + 1)
            body: bytes | None = None
            try:
                try:
                    async with _asyncio_timeout(total_seconds(prepared.timeout)):
                        response = await self._client.send(request, follow_redirects=False, stream=True)
                        if not (response.is_success and self._streams(op, response, streaming)):
                            body = await self._read(op, response)
                except TimeoutError:
                    raise _deadline_passed(request) from None
            except httpx.TransportError as exc:
                delay = self._should_retry_exception(op, exc, attempt, retries)
                if delay is None:
                    raise self._transport_error(op, exc) from exc
            else:
                if response.is_success:
                    return self._success(op, response, attempt, body)
                delay = self._should_retry_response(op, response, attempt, retries)
                if delay is None:
                    raise self._status_error(op, response_with_body(response, body or b""))
            await self._sleep(delay)
            attempt += 1

    async def _read(self, op: Operation, response: httpx.Response) -> bytes:
        """The body of a streamed response, read up to ``max_response_bytes``."""
        try:
            self._check_declared_size(op, response)
            chunks: list[bytes] = []
            size = 0
            raw = "content-encoding" not in response.headers
            async for chunk in response.aiter_raw() if raw else response.aiter_bytes():
                size += len(chunk)
                if size > self.max_response_bytes:
                    raise self._too_large(op, response)
                chunks.append(chunk)
            body = b"".join(chunks)
        except httpx.DecodingError as exc:
            raise self._undecodable(op, response, exc) from None
        finally:
            await response.aclose()
        return body

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
