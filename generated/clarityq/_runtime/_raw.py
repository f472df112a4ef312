"""``client.<resource>.with_raw_response.<method>(...)``: the same call, returning the APIResponse.

A generated method always ends in ``finish(response)``. Normally that parses the body;
inside a raw-response wrapper a context variable asks it to hand the response over
instead, so each operation is written once and both forms keep its exact signature.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar, cast

from ._response import APIResponse

P = ParamSpec("P")
R = TypeVar("R")

_SINK: ContextVar[list[APIResponse[Any]] | None] = ContextVar("_raw_response_sink", default=None)


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
