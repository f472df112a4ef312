"""Responses read as they arrive: typed event streams (SSE, JSON lines) and raw byte streams.

A streamed response holds an open connection. Each wrapper closes it when iteration
ends, on ``close()`` and when its ``with`` block exits, so an abandoned stream releases
the connection instead of leaking it. A stream is never retried: its first byte has
already reached the caller. The ``max_response_bytes`` cap applies to ``read()`` (which
buffers), not to iteration or ``write_to_file()``.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Callable, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

import httpx

from ._exceptions import APIConnectionError, APIResponseValidationError, APITimeoutError
from ._sse import ServerSentEvent, SSEDecoder

if TYPE_CHECKING:
    from ._response import APIResponse

__all__ = ["AsyncStream", "AsyncStreamedResponse", "ServerSentEvent", "Stream", "StreamedResponse"]

T = TypeVar("T")

# OpenAI-style streams end with this sentinel event instead of just closing.
_DONE = "[DONE]"
_CHUNK = 64 * 1024


def _where(response: httpx.Response) -> str:
    request = response.request
    return f"{request.method} {request.url.path}"


def _interrupted(response: httpx.Response, exc: httpx.TransportError, mid_event: bool) -> APIConnectionError:
    what = "mid-event" if mid_event else "before the server ended the stream"
    cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    return cls(
        f"{_where(response)}: the connection broke {what} ({type(exc).__name__}: {exc}); "
        "streams are not retried, start a new call to resume",
        request=response.request,
    )


def _undecodable(response: httpx.Response, exc: Exception) -> APIResponseValidationError:
    return APIResponseValidationError(
        f"{_where(response)}: streamed body could not be decoded ({type(exc).__name__}: {exc})", response=response
    )


class _EventParser(Generic[T]):
    """Turns decoded SSE events or JSON lines into ``T`` through the response's validator."""

    def __init__(self, api_response: APIResponse[Any], kind: str) -> None:
        self.api_response = api_response
        self.kind = kind  # "sse" (data is T) | "sse-frame" (the whole event is T) | "jsonl"
        self.count = 0

    def event(self, sse: ServerSentEvent) -> T | None:
        """The typed item for one SSE event, or None for the end sentinel ``[DONE]``."""
        if sse.data == _DONE:
            return None
        self.count += 1
        data = self._json(sse.data)
        if self.kind == "sse-frame":
            frame: dict[str, Any] = {"event": sse.event, "data": data}
            if sse.id is not None:
                frame["id"] = sse.id
            if sse.retry is not None:
                frame["retry"] = sse.retry
            data = frame
        return self._validate(data)

    def line(self, line: str) -> T:
        """The typed item for one JSON line."""
        self.count += 1
        return self._validate(self._json(line))

    def _json(self, text: str) -> Any:
        try:
            return json.loads(text)
        except ValueError:
            if self.api_response.model_of_stream() is str:
                return text
            raise APIResponseValidationError(
                f"{_where(self.api_response.http_response)}: event {self.count} is not JSON (starts {text[:40]!r})",
                response=self.api_response.http_response,
            ) from None

    def _validate(self, data: Any) -> T:
        value: T = self.api_response.validate(self.api_response.model_of_stream(), data, f"event {self.count}")
        return value


class _Closing:
    """Context-manager and close() plumbing shared by the sync stream wrappers."""

    response: httpx.Response

    def close(self) -> None:
        """Release the connection; safe to call more than once."""
        self.response.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class _AsyncClosing:
    """Async context-manager and aclose() plumbing shared by the async stream wrappers."""

    response: httpx.Response

    async def close(self) -> None:
        """Release the connection; safe to call more than once."""
        await self.response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


class Stream(_Closing, Generic[T]):
    """Typed events of a streamed response; iterate it, ideally inside ``with``."""

    def __init__(self, api_response: APIResponse[Any], kind: str) -> None:
        self.api_response = api_response
        self.response = api_response.http_response
        self._parser: _EventParser[T] = _EventParser(api_response, kind)
        self._iterator = self._items()

    def __iter__(self) -> Iterator[T]:
        return self._iterator

    def __next__(self) -> T:
        return next(self._iterator)

    def _items(self) -> Iterator[T]:
        try:
            _check_event_stream(self.response, self._parser.kind)
            if self._parser.kind == "jsonl":
                for line in self._lines():
                    if line.strip():
                        yield self._parser.line(line)
                return
            for sse in self._events():
                item = self._parser.event(sse)
                if item is None:
                    return
                yield item
        finally:
            self.close()

    def _events(self) -> Iterator[ServerSentEvent]:
        decoder = SSEDecoder(self.api_response.max_event_bytes)
        try:
            for chunk in self.response.iter_raw() if not _encoded(self.response) else self.response.iter_bytes():
                yield from decoder.feed(chunk)
        except httpx.TransportError as exc:
            raise _interrupted(self.response, exc, decoder.has_partial_event) from exc
        except (httpx.DecodingError, ValueError) as exc:
            raise _undecodable(self.response, exc) from exc
        yield from decoder.finish()

    def _lines(self) -> Iterator[str]:
        try:
            yield from self.response.iter_lines()
        except httpx.TransportError as exc:
            raise _interrupted(self.response, exc, True) from exc
        except httpx.DecodingError as exc:
            raise _undecodable(self.response, exc) from exc

    @property
    def headers(self) -> httpx.Headers:
        """Response headers."""
        return self.response.headers


class AsyncStream(_AsyncClosing, Generic[T]):
    """Typed events of a streamed response; ``async for`` over it, ideally inside ``async with``."""

    def __init__(self, api_response: APIResponse[Any], kind: str) -> None:
        self.api_response = api_response
        self.response = api_response.http_response
        self._parser: _EventParser[T] = _EventParser(api_response, kind)
        self._iterator = self._items()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterator

    async def __anext__(self) -> T:
        return await self._iterator.__anext__()

    async def _items(self) -> AsyncIterator[T]:
        try:
            _check_event_stream(self.response, self._parser.kind)
            if self._parser.kind == "jsonl":
                async for line in self._lines():
                    if line.strip():
                        yield self._parser.line(line)
                return
            async for sse in self._events():
                item = self._parser.event(sse)
                if item is None:
                    return
                yield item
        finally:
            await self.close()

    async def _events(self) -> AsyncIterator[ServerSentEvent]:
        decoder = SSEDecoder(self.api_response.max_event_bytes)
        chunks = self.response.aiter_raw() if not _encoded(self.response) else self.response.aiter_bytes()
        try:
            async for chunk in chunks:
                for event in decoder.feed(chunk):
                    yield event
        except httpx.TransportError as exc:
            raise _interrupted(self.response, exc, decoder.has_partial_event) from exc
        except (httpx.DecodingError, ValueError) as exc:
            raise _undecodable(self.response, exc) from exc
        for event in decoder.finish():
            yield event

    async def _lines(self) -> AsyncIterator[str]:
        try:
            async for line in self.response.aiter_lines():
                yield line
        except httpx.TransportError as exc:
            raise _interrupted(self.response, exc, True) from exc
        except httpx.DecodingError as exc:
            raise _undecodable(self.response, exc) from exc

    @property
    def headers(self) -> httpx.Headers:
        """Response headers."""
        return self.response.headers


def _check_event_stream(response: httpx.Response, kind: str) -> None:
    """An SSE operation answered with another media type (say, a JSON body) is an error, not an empty stream."""
    if not kind.startswith("sse"):
        return
    media = response.headers.get("content-type", "text/event-stream").split(";", 1)[0].strip().lower()
    if media != "text/event-stream":
        raise APIResponseValidationError(
            f"{_where(response)} -> {response.status_code}: expected a text/event-stream body, got {media}",
            response=response,
        )


def _encoded(response: httpx.Response) -> bool:
    """Whether the body has a Content-Encoding to undo (iter_raw is cheaper when it has none)."""
    return "content-encoding" in response.headers


class StreamedResponse(_Closing):
    """A response whose body has not been read: iterate it, save it to a file, or read it once."""

    def __init__(self, api_response: APIResponse[Any]) -> None:
        self.api_response = api_response
        self.response = api_response.http_response

    @property
    def status_code(self) -> int:
        """HTTP status code."""
        return self.response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """Response headers."""
        return self.response.headers

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks as it arrives (content-decoded), never all in memory."""
        try:
            yield from self.response.iter_bytes(chunk_size)
        except httpx.TransportError as exc:
            raise _interrupted(self.response, exc, True) from exc
        except httpx.DecodingError as exc:
            raise _undecodable(self.response, exc) from exc
        finally:
            self.close()

    def iter_lines(self) -> Iterator[str]:
        """The body as text lines, as they arrive."""
        try:
            yield from self.response.iter_lines()
        except httpx.TransportError as exc:
            raise _interrupted(self.response, exc, True) from exc
        finally:
            self.close()

    def write_to_file(self, path: str | os.PathLike[str], chunk_size: int | None = _CHUNK) -> int:
        """Stream the body into ``path`` (created or truncated); return the number of bytes written."""
        written = 0
        with open(path, "wb") as out:
            for chunk in self.iter_bytes(chunk_size):
                out.write(chunk)
                written += len(chunk)
        return written

    def read(self) -> bytes:
        """Read the whole body, refusing more than the client's ``max_response_bytes``."""
        return self.api_response.read_capped(self.iter_bytes())

    def parse(self) -> Any:
        """Read (capped) and parse the body as the operation declares; a stream stays a stream."""
        if self.api_response.stream_kind is not None:
            return self.api_response.parse()
        self.read()
        return self.api_response.parse()


class AsyncStreamedResponse(_AsyncClosing):
    """A response whose body has not been read: iterate it, save it to a file, or read it once."""

    def __init__(self, api_response: APIResponse[Any]) -> None:
        self.api_response = api_response
        self.response = api_response.http_response

    @property
    def status_code(self) -> int:
        """HTTP status code."""
        return self.response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """Response headers."""
        return self.response.headers

    async def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The body in chunks as it arrives (content-decoded), never all in memory."""
        try:
            async for chunk in self.response.aiter_bytes(chunk_size):
                yield chunk
        except httpx.TransportError as exc:
            raise _interrupted(self.response, exc, True) from exc
        except httpx.DecodingError as exc:
            raise _undecodable(self.response, exc) from exc
        finally:
            await self.close()

    async def iter_lines(self) -> AsyncIterator[str]:
        """The body as text lines, as they arrive."""
        try:
            async for line in self.response.aiter_lines():
                yield line
        except httpx.TransportError as exc:
            raise _interrupted(self.response, exc, True) from exc
        finally:
            await self.close()

    async def write_to_file(self, path: str | os.PathLike[str], chunk_size: int | None = _CHUNK) -> int:
        """Stream the body into ``path`` (created or truncated); return the number of bytes written."""
        written = 0
        with open(path, "wb") as out:
            async for chunk in self.iter_bytes(chunk_size):
                out.write(chunk)
                written += len(chunk)
        return written

    async def read(self) -> bytes:
        """Read the whole body, refusing more than the client's ``max_response_bytes``."""
        chunks: list[bytes] = []
        size = 0
        async for chunk in self.iter_bytes():
            size += len(chunk)
            if size > self.api_response.max_response_bytes:
                await self.close()
                raise self.api_response.too_large()
            chunks.append(chunk)
        return self.api_response.set_content(b"".join(chunks))

    async def parse(self) -> Any:
        """Read (capped) and parse the body as the operation declares; a stream stays a stream."""
        if self.api_response.stream_kind is not None:
            return self.api_response.parse()
        await self.read()
        return self.api_response.parse()


def stream_factory(is_async: bool) -> Callable[[APIResponse[Any], str], Any]:
    """The stream class for a client kind."""
    return AsyncStream if is_async else Stream
