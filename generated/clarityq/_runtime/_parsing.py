"""Lenient validation of response data into the models a spec declares.

Vendors add enum values and fields before their OpenAPI documents catch up. A response
that fails strict validation is therefore rebuilt without validation: every part that
validates is typed, every part that does not keeps its raw JSON value.
"""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, Union, get_args, get_origin

import pydantic  # a lazy module: pydantic.main loads on first use below, not at client import

if typing.TYPE_CHECKING:
    from pydantic import BaseModel, TypeAdapter
    from pydantic.fields import FieldInfo

__all__ = ["describe_validation_error", "get_adapter", "lenient_construct", "lenient_validate"]

# How many failing fields an error or warning names before summarising the rest.
_FIELDS_SHOWN = 3

# TypeAdapter construction builds a schema and is slow; generated clients reuse few types.
_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def get_adapter(tp: Any) -> TypeAdapter[Any]:
    """Return a cached TypeAdapter for a type or annotation."""
    try:
        adapter = _ADAPTERS.get(tp)
    except TypeError:  # unhashable annotation: build without caching
        from pydantic import TypeAdapter

        return TypeAdapter(tp)
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = TypeAdapter(tp)
        _ADAPTERS[tp] = adapter
    return adapter


def lenient_validate(tp: Any, data: Any) -> Any:
    """Validate ``data`` as ``tp``; on failure build it without validation, keeping raw values."""
    try:
        return get_adapter(tp).validate_python(data)
    except pydantic.ValidationError:
        return _construct(tp, data)


def lenient_construct(tp: Any, data: Any) -> Any:
    """Build ``data`` towards ``tp`` without validation (after validation failed), keeping raw values."""
    return _construct(tp, data)


def describe_validation_error(exc: pydantic.ValidationError) -> str:
    """Which fields failed and why, e.g. ``field 'response.id': Field required``; input values left out."""
    errors = exc.errors(include_input=False, include_url=False)
    parts = []
    for error in errors[:_FIELDS_SHOWN]:
        loc = ".".join(str(part) for part in error["loc"])
        parts.append(f"field {loc!r}: {error['msg']}" if loc else error["msg"])
    if len(errors) > _FIELDS_SHOWN:
        parts.append(f"and {len(errors) - _FIELDS_SHOWN} more")
    return "; ".join(parts)


def _is_model(tp: Any) -> bool:
    from pydantic import BaseModel

    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _construct(tp: Any, data: Any) -> Any:
    """Best-effort conversion of ``data`` towards ``tp`` without raising."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _construct(get_args(tp)[0], data)
    if _is_model(tp):
        if isinstance(data, dict):
            return _construct_model(tp, data)
        return data
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(tp) if a is not type(None)]
        for member in members:
            try:
                return get_adapter(member).validate_python(data)
            except pydantic.ValidationError:
                continue
        # No member validates: shape the data after the first member it structurally fits.
        for member in members:
            if isinstance(data, dict) and _is_model(_strip_annotated(member)):
                return _construct(member, data)
            if isinstance(data, list) and get_origin(_strip_annotated(member)) in (list, tuple):
                return _construct(member, data)
        return data
    if origin in (list, typing.Sequence, set, frozenset) and isinstance(data, list):
        args = get_args(tp)
        item_tp = args[0] if args else Any
        return [lenient_validate(item_tp, item) for item in data]
    if origin in (dict, typing.Mapping) and isinstance(data, dict):
        args = get_args(tp)
        value_tp = args[1] if len(args) == 2 else Any
        return {key: lenient_validate(value_tp, value) for key, value in data.items()}
    return data


def _strip_annotated(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def _wire_name(name: str, field: FieldInfo) -> str:
    if isinstance(field.validation_alias, str):
        return field.validation_alias
    return field.alias or name


def _construct_model(model: type[BaseModel], data: dict[str, Any]) -> BaseModel:
    values: dict[str, Any] = {}
    fields_set: set[str] = set()
    used: set[str] = set()
    for name, field in model.model_fields.items():
        key = _wire_name(name, field)
        if key not in data and name in data:
            key = name
        if key in data:
            values[name] = lenient_validate(field.annotation, data[key])
            fields_set.add(name)
            used.add(key)
        elif field.is_required():
            # Missing required field: None is friendlier than an AttributeError on access.
            values[name] = None
    instance = model.model_construct(_fields_set=fields_set, **values)
    extras = {k: v for k, v in data.items() if k not in used}
    if extras:
        # Keep unknown fields reachable even when the model does not allow extras.
        if instance.__pydantic_extra__ is None:
            object.__setattr__(instance, "__pydantic_extra__", {})
        assert instance.__pydantic_extra__ is not None
        instance.__pydantic_extra__.update(extras)
    return instance
