"""``with_raw_response`` / ``with_streaming_response``: the same call, returning the response itself.

A generated method always ends in ``finish(response)``. Normally that parses the body;
inside a raw-response wrapper a context variable asks it to hand the response over
instead, so each operation is written once and both forms keep its exact signature.
Inside a streaming-response wrapper a second variable also asks ``request()`` not to read
the body: ``with client.x.with_streaming_response.get(...) as r: r.write_to_file(path)``.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from types import TracebackType
from typing import Any, Generic, ParamSpec, TypeVar, cast

from ._response import APIResponse
from ._streaming import AsyncStreamedResponse, StreamedResponse

P = ParamSpec("P")
R = TypeVar("R")

_SINK: ContextVar[list[APIResponse[Any]] | None] = ContextVar("_raw_response_sink", default=None)
_STREAMING: ContextVar[bool] = ContextVar("_streaming_response", default=False)


def streaming_requested() -> bool:
    """Whether the current call runs under ``with_streaming_response`` (leave the body unread)."""
    return _STREAMING.get()


def finish(response: APIResponse[Any]) -> Any:
    """Parse ``response``, or pass it to the enclosing raw-response wrapper unparsed."""
    sink = _SINK.get()
    if sink is not None:
        sink.append(response)
        return None
    return response.parse()


def to_raw_response_wrapper(func: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    """Wrap a generated sync method so it returns the raw APIResponse."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        sink: list[APIResponse[Any]] = []
        token = _SINK.set(sink)
        try:
            func(*args, **kwargs)
        finally:
            _SINK.reset(token)
        return cast("APIResponse[R]", sink[-1])

    return wrapped


def async_to_raw_response_wrapper(func: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[APIResponse[R]]]:
    """Wrap a generated async method so it returns the raw APIResponse."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        sink: list[APIResponse[Any]] = []
        token = _SINK.set(sink)
        try:
            await func(*args, **kwargs)
        finally:
            _SINK.reset(token)
        return cast("APIResponse[R]", sink[-1])

    return wrapped


class StreamedCall(Generic[P]):
    """``with wrapper(...) as response``: makes the call on entry, closes the response on exit."""

    def __init__(self, func: Callable[..., Any], args: Any, kwargs: Any) -> None:
        self._func, self._args, self._kwargs = func, args, kwargs
        self._response: StreamedResponse | None = None

    def __enter__(self) -> StreamedResponse:
        sink: list[APIResponse[Any]] = []
        token, stream_token = _SINK.set(sink), _STREAMING.set(True)
        try:
            self._func(*self._args, **self._kwargs)
        finally:
            _STREAMING.reset(stream_token)
            _SINK.reset(token)
        self._response = StreamedResponse(sink[-1])
        return self._response

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._response is not None:
            self._response.close()


class AsyncStreamedCall(Generic[P]):
    """``async with wrapper(...) as response``: makes the call on entry, closes the response on exit."""

    def __init__(self, func: Callable[..., Awaitable[Any]], args: Any, kwargs: Any) -> None:
        self._func, self._args, self._kwargs = func, args, kwargs
        self._response: AsyncStreamedResponse | None = None

    async def __aenter__(self) -> AsyncStreamedResponse:
        sink: list[APIResponse[Any]] = []
        token, stream_token = _SINK.set(sink), _STREAMING.set(True)
        try:
            await self._func(*self._args, **self._kwargs)
        finally:
            _STREAMING.reset(stream_token)
            _SINK.reset(token)
        self._response = AsyncStreamedResponse(sink[-1])
        return self._response

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._response is not None:
            await self._response.close()


def to_streamed_response_wrapper(func: Callable[P, R]) -> Callable[P, StreamedCall[P]]:
    """Wrap a generated sync method so it returns a context manager over the unread response."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> StreamedCall[P]:
        return StreamedCall(func, args, kwargs)

    return wrapped


def async_to_streamed_response_wrapper(func: Callable[P, Awaitable[R]]) -> Callable[P, AsyncStreamedCall[P]]:
    """Wrap a generated async method so it returns an async context manager over the unread response."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncStreamedCall[P]:
        return AsyncStreamedCall(func, args, kwargs)

    return wrapped
