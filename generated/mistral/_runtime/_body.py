"""Request bodies: keyword arguments or a model instance -> the JSON object to send."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pydantic  # a lazy module: pydantic.main loads when a body is first validated
import pydantic_core

if TYPE_CHECKING:
    from pydantic import BaseModel

from ._exceptions import RequestValidationError
from ._types import NotGiven

__all__ = ["build_body", "format_validation_error", "jsonable"]


def format_validation_error(
    exc: pydantic.ValidationError, what: str, arguments: Mapping[str, str] | None = None
) -> str:
    """Readable one-line-per-problem message; input values are left out on purpose.

    ``arguments`` maps a body field's wire name to the method argument that fills it, so a problem
    with a field the caller passed as an argument is reported as ``message_id=``, not ``messageId``.
    """
    lines = [f"Invalid {what}:"]
    for error in exc.errors(include_input=False, include_url=False):
        parts = [str(part) for part in error["loc"]]
        if parts and arguments is not None:
            parts[0] = arguments.get(parts[0], parts[0]) + "="
        loc = ".".join(parts) or "(body)"
        lines.append(f"  {loc}: {error['msg']}")
    return "\n".join(lines)


# Per model class: method/model field name -> wire name, and the set of wire names.
_WIRE_NAMES: dict[type[BaseModel], tuple[dict[str, str], frozenset[str]]] = {}


def _wire_names(model_cls: type[BaseModel]) -> tuple[dict[str, str], frozenset[str]]:
    cached = _WIRE_NAMES.get(model_cls)
    if cached is not None:
        return cached
    names: dict[str, str] = {}
    for name, field in model_cls.model_fields.items():
        if isinstance(field.validation_alias, str):
            names[name] = field.validation_alias
        else:
            names[name] = field.alias or name
    cached = _WIRE_NAMES[model_cls] = (names, frozenset(names.values()))
    return cached


def build_body(
    model_cls: type[BaseModel],
    values: Mapping[str, object] | None = None,
    instance: BaseModel | None = None,
    *,
    min_properties: int | None = None,
    arguments: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Validate body fields (wire or model names) or an instance; return the JSON object to send.

    NOT_GIVEN values are not sent; None is sent as null. ``arguments`` (wire name -> method
    argument, where they differ) names the arguments in errors; with it, fields are arguments.
    """
    given = {k: v for k, v in values.items() if not isinstance(v, NotGiven)} if values else {}
    if instance is not None:
        title = f"{model_cls.__name__} request body"
        if given:
            raise RequestValidationError(
                f"Pass either a {model_cls.__name__} instance or its fields, not both (got fields {sorted(given)})."
            )
        if not isinstance(instance, model_cls):
            raise RequestValidationError(f"Expected a {model_cls.__name__} instance, got {type(instance).__name__}.")
        # Re-validate: the instance may have been mutated or built with model_construct().
        payload_from_instance = instance.model_dump(by_alias=True, exclude_unset=True)
        try:
            model = model_cls.model_validate(payload_from_instance)
        except pydantic.ValidationError as exc:
            raise RequestValidationError(format_validation_error(exc, title)) from None
    else:
        wire, aliases = _wire_names(model_cls)
        payload: dict[str, object] = {}
        for key, value in given.items():
            wire_name = wire.get(key)
            if wire_name is not None:
                payload[wire_name] = value
            elif key in aliases:
                payload[key] = value
            else:
                raise RequestValidationError(f"Unknown field {key!r} for {model_cls.__name__} request body.")
        try:
            model = model_cls.model_validate(payload)
        except pydantic.ValidationError as exc:
            names = {w: arguments.get(w, w) for w in aliases} if arguments is not None else None
            title = f"{model_cls.__name__} request body"
            raise RequestValidationError(format_validation_error(exc, title, names)) from None
    body = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if min_properties is not None and len(body) < min_properties:
        fields = ", ".join(model_cls.model_fields)
        title = f"{model_cls.__name__} request body"
        raise RequestValidationError(f"{title} needs at least {min_properties} of these fields: {fields}.")
    return body


def jsonable(value: object) -> object:
    """A body passed whole (a union, a list, a map of models) as JSON values: models as their wire fields.

    Models keep only the fields that were set, as ``build_body`` sends them; enums, dates,
    UUIDs and the like become their JSON form. Plain JSON values pass through unchanged.
    """
    if value is None or isinstance(value, (str, int, float, bool, NotGiven)):
        return value
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    if isinstance(value, Mapping):
        return {key if isinstance(key, str) else jsonable(key): jsonable(item) for key, item in value.items()}
    return pydantic_core.to_jsonable_python(value)
