"""Static description of one API endpoint, emitted by generated code as a constant."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._params import ParamStyle

__all__ = ["Operation", "ResponseSpec"]


@dataclass(frozen=True)
class ResponseSpec:
    """What a response with a given status carries.

    ``model`` is anything pydantic's TypeAdapter accepts (a BaseModel subclass, ``Any``,
    ``list[X]``) or None when the response has no body.
    """

    model: Any | None = None
    content_type: str | None = "application/json"
    # None: read whole and parse. "sse": server-sent events whose data is ``model``; "sse-frame":
    # events whose {event, data, id} is ``model``; "jsonl": JSON lines; "bytes": a byte stream.
    stream: str | None = None


@dataclass(frozen=True)
class Operation:
    """One endpoint: method, path template, retry safety and declared responses."""

    method: str
    path: str
    operation_id: str
    idempotent: bool
    responses: Mapping[str, ResponseSpec] = field(default_factory=dict)
    # Parameters not serialized the default way for their location, keyed by (location, name).
    styles: Mapping[tuple[str, str], ParamStyle] = field(default_factory=dict)
    accept: str = "application/json"
    # Multipart parts whose `encoding` names a content type, keyed by part name.
    part_types: Mapping[str, str] = field(default_factory=dict)

    def response_for(self, status_code: int) -> ResponseSpec | None:
        """Return the spec for a status: exact code, then '4XX'-style range, then 'default'."""
        return select_response(self.responses, status_code)


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
