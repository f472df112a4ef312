"""The response wrapper returned by ``request()``: raw access plus typed parsing."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Generic, TypeVar, cast

import httpx

from ._exceptions import APIResponseValidationError, display_url
from ._operation import ResponseSpec
from ._parsing import lenient_validate

__all__ = ["APIResponse"]

T = TypeVar("T")

_UNSET: Any = object()


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
    ) -> None:
        self.http_response = http_response
        self.spec = spec
        self.retries_taken = retries_taken
        self._parsed: Any = _UNSET

    @property
    def status_code(self) -> int:
        """HTTP status code."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """Response headers."""
        return self.http_response.headers

    @property
    def content(self) -> bytes:
        """Raw response body."""
        return self.http_response.content

    @property
    def text(self) -> str:
        """Response body decoded as text."""
        return self.http_response.text

    @property
    def elapsed(self) -> dt.timedelta:
        """Time between sending the (last) request and finishing reading the response."""
        return self.http_response.elapsed

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
        """Return the body as the declared model (None when no body is declared or sent)."""
        if self._parsed is _UNSET:
            self._parsed = self._parse()
        return cast(T, self._parsed)

    def _parse(self) -> Any:
        spec = self.spec
        if self.status_code == 204 or not self.content:
            return None
        if spec is not None and spec.model is None:
            return None
        model: Any = spec.model if spec is not None else Any
        declared = spec.content_type if spec is not None else None
        actual = self.headers.get("content-type", "")
        wants_json = _is_json_type(declared) if declared else _is_json_type(actual)
        if not wants_json:
            if model is bytes:
                return self.content
            return lenient_validate(model, self.text)
        return lenient_validate(model, self.json())

    def __repr__(self) -> str:
        request = self.http_response.request
        return f"<APIResponse [{self.status_code}] {request.method} {request.url.path}>"
