"""The response wrapper returned by ``request()``: raw access plus typed parsing."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

import httpx
import pydantic

from ._exceptions import APIResponseValidationError, display_url
from ._operation import Operation, ResponseSpec
from ._parsing import describe_validation_error, get_adapter, lenient_construct

if TYPE_CHECKING:
    from ._streaming import AsyncStream, Stream

__all__ = ["APIResponse", "response_with_body"]

T = TypeVar("T")

_UNSET: Any = object()

log = logging.getLogger("vendor_client.response")


class ClientSettings(Protocol):
    """What a response needs from the client that made it."""

    strict_response_validation: bool
    max_response_bytes: int
    is_async: bool


def response_with_body(response: httpx.Response, body: bytes) -> httpx.Response:
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


def _is_json_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


class APIResponse(Generic[T]):
    """A successful (2xx) HTTP response and the model its operation declares for it."""

    def __init__(
        self,
        http_response: httpx.Response,
        spec: ResponseSpec | None,
        *,
        retries_taken: int = 0,
        op: Operation | None = None,
        client: ClientSettings | None = None,
        streamed: bool = False,
        body: bytes | None = None,
    ) -> None:
        # ``http_response`` may be the closed streamed response whose ``body`` was read in capped
        # chunks: the httpx copy carrying that body is only built if someone asks for it.
        self._response = http_response
        self._body = body
        self._copied = body is None
        self.spec = spec
        self.retries_taken = retries_taken
        self.op = op
        self._client = client
        # True while the body is unread: the caller iterates it (stream) or reads it later.
        self.streamed = streamed
        self._parsed: Any = _UNSET

    @property
    def http_response(self) -> httpx.Response:
        """The httpx response, its ``content`` the body as read."""
        if not self._copied:
            assert self._body is not None
            self._response = response_with_body(self._response, self._body)
            self._copied = True
        return self._response

    @property
    def status_code(self) -> int:
        """HTTP status code."""
        return self._response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """Response headers."""
        return self._response.headers

    @property
    def content(self) -> bytes:
        """Raw response body."""
        return self._body if self._body is not None else self._response.content

    @property
    def text(self) -> str:
        """Response body decoded as text."""
        return self.http_response.text

    @property
    def elapsed(self) -> dt.timedelta:
        """Time between sending the (last) request and finishing reading the response."""
        return self.http_response.elapsed

    @property
    def stream_kind(self) -> str | None:
        """How the declared body streams ("sse", "sse-frame", "jsonl", "bytes"), or None if it is read whole."""
        return self.spec.stream if self.spec is not None else None

    @property
    def strict(self) -> bool:
        """Whether a body that does not match its model raises instead of being returned with a warning."""
        return self._client is not None and self._client.strict_response_validation

    @property
    def max_response_bytes(self) -> int:
        """The client's cap on buffered bodies."""
        return self._client.max_response_bytes if self._client is not None else 32 * 1024 * 1024

    @property
    def max_event_bytes(self) -> int:
        """The cap on one streamed event (the buffered-body cap)."""
        return self.max_response_bytes

    def json(self) -> Any:
        """Decode the body as JSON; raise APIResponseValidationError if it is not JSON."""
        try:
            return json.loads(self.content)
        except ValueError as exc:
            request = self.http_response.request
            ctype = self.headers.get("content-type", "<none>")
            raise APIResponseValidationError(
                f"{request.method} {display_url(request.url)} -> {self.status_code}: expected a JSON "
                f"body but got content-type {ctype} that does not parse ({exc.__class__.__name__})",
                response=self.http_response,
            ) from exc

    def parse(self) -> T:
        """Return the body as the declared model (None when no body is declared or sent).

        A streaming operation returns its ``Stream``/``AsyncStream`` (or streamed response) instead.
        """
        if self._parsed is _UNSET:
            self._parsed = self._parse()
        return cast(T, self._parsed)

    def _parse(self) -> Any:
        spec = self.spec
        kind = self.stream_kind
        if kind is not None and self.streamed:
            return self._stream(kind)
        if self.status_code == 204 or not self.content:
            return None
        if spec is not None and spec.model is None:
            return None
        model: Any = spec.model if spec is not None else Any
        declared = spec.content_type if spec is not None else None
        wants_json = _is_json_type(declared or self.headers.get("content-type", ""))
        if not wants_json:
            if model is bytes:
                return self.content
            return self.validate(model, self.text)
        return self.validate(model, self.json())

    def _stream(self, kind: str) -> Any:
        from ._streaming import AsyncStream, AsyncStreamedResponse, Stream, StreamedResponse

        is_async = self._client is not None and self._client.is_async
        if kind == "bytes":
            return AsyncStreamedResponse(self) if is_async else StreamedResponse(self)
        stream: Stream[Any] | AsyncStream[Any] = AsyncStream(self, kind) if is_async else Stream(self, kind)
        return stream

    def model_of_stream(self) -> Any:
        """The model each streamed event is validated as."""
        model = self.spec.model if self.spec is not None else None
        return Any if model is None else model

    def validate(self, model: Any, data: Any, what: str = "response body") -> Any:
        """Validate ``data`` as ``model``: strict mode raises, lenient mode warns once and keeps raw values."""
        if model is Any:
            return data  # nothing to check, and a TypeAdapter round trip would only copy it
        try:
            return get_adapter(model).validate_python(data)
        except pydantic.ValidationError as exc:
            problem = describe_validation_error(exc)
            op = self.op
            name = op.operation_id if op is not None else "response"
            request = self.http_response.request
            where = f"{name} ({request.method} {request.url.path} -> {self.status_code})"
            if self.strict:
                raise APIResponseValidationError(
                    f"{where}: {what} does not match the spec: {problem}", response=self.http_response
                ) from None
            log.warning("%s: %s does not match the spec (%s); returned unvalidated", where, what, problem)
            return lenient_construct(model, data)

    def read_capped(self, chunks: Iterable[bytes]) -> bytes:
        """Buffer ``chunks`` as this response's body, refusing more than ``max_response_bytes``."""
        parts: list[bytes] = []
        size = 0
        for chunk in chunks:
            size += len(chunk)
            if size > self.max_response_bytes:
                self._response.close()
                raise self.too_large()
            parts.append(chunk)
        return self.set_content(b"".join(parts))

    def set_content(self, content: bytes) -> bytes:
        """Record a body read elsewhere so ``content``/``parse()`` see it."""
        self._body, self._copied = content, False
        self.streamed = False
        return content

    def too_large(self) -> APIResponseValidationError:
        """The error for a body over ``max_response_bytes``."""
        request = self.http_response.request
        return APIResponseValidationError(
            f"{request.method} {request.url.path} -> {self.status_code}: response body larger than "
            f"{self.max_response_bytes} bytes (max_response_bytes); stream it with with_streaming_response "
            "or raise the limit",
            response=self.http_response,
        )

    def __repr__(self) -> str:
        request = self.http_response.request
        return f"<APIResponse [{self.status_code}] {request.method} {request.url.path}>"
