"""Static description of one API endpoint, emitted by generated code as a constant."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ._params import ParamStyle

__all__ = ["Operation", "ResponseSpec"]


class ResponseSpec:
    """What a response with a given status carries.

    ``model`` is anything pydantic's TypeAdapter accepts (a BaseModel subclass, ``Any``,
    ``list[X]``) or None when the response has no body. Generated code passes ``ref``, a
    function returning the model, instead: the models module is then imported on the first
    response that needs it, not when the client is imported.
    """

    __slots__ = ("_model", "_ref", "content_type", "stream")

    def __init__(
        self,
        model: Any | None = None,
        content_type: str | None = "application/json",
        stream: str | None = None,
        *,
        ref: Callable[[], Any] | None = None,
    ) -> None:
        self._model = model
        self._ref = ref
        self.content_type = content_type
        # None: read whole and parse. "sse": server-sent events whose data is ``model``; "sse-frame":
        # events whose {event, data, id} is ``model``; "jsonl": JSON lines; "bytes": a byte stream.
        self.stream = stream

    @property
    def model(self) -> Any | None:
        """The declared model (resolved from ``ref`` on first use)."""
        if self._ref is not None:
            self._model, self._ref = self._ref(), None
        return self._model

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ResponseSpec):
            return NotImplemented
        return (self.model, self.content_type, self.stream) == (other.model, other.content_type, other.stream)

    def __hash__(self) -> int:
        return hash((self.content_type, self.stream))

    def __repr__(self) -> str:
        return f"ResponseSpec(model={self.model!r}, content_type={self.content_type!r}, stream={self.stream!r})"


class Operation:
    """One endpoint: method, path template, retry safety and declared responses.

    A plain class rather than a dataclass: every client module defines one per operation at
    import, and a frozen dataclass costs far more to build.
    """

    __slots__ = ("accept", "idempotent", "method", "operation_id", "part_types", "path", "responses", "styles")

    def __init__(
        self,
        method: str,
        path: str,
        operation_id: str,
        idempotent: bool,
        responses: Mapping[str, ResponseSpec] | None = None,
        styles: Mapping[tuple[str, str], ParamStyle] | None = None,
        accept: str = "application/json",
        part_types: Mapping[str, str] | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.operation_id = operation_id
        self.idempotent = idempotent
        self.responses: Mapping[str, ResponseSpec] = responses or {}
        # Parameters not serialized the default way for their location, keyed by (location, name).
        self.styles: Mapping[tuple[str, str], ParamStyle] = styles or {}
        self.accept = accept
        # Multipart parts whose `encoding` names a content type, keyed by part name.
        self.part_types: Mapping[str, str] = part_types or {}

    def response_for(self, status_code: int) -> ResponseSpec | None:
        """Return the spec for a status: exact code, then '4XX'-style range, then 'default'."""
        return select_response(self.responses, status_code)

    def __repr__(self) -> str:
        return f"Operation({self.method} {self.path}, operation_id={self.operation_id!r})"


def select_response(responses: Mapping[str, ResponseSpec], status_code: int) -> ResponseSpec | None:
    """Pick the ResponseSpec for a status code the way OpenAPI resolves response keys."""
    exact = responses.get(str(status_code))
    if exact is not None:
        return exact
    range_key = f"{status_code // 100}XX"
    for key, spec in responses.items():
        if key.upper() == range_key:
            return spec
    return responses.get("default")
