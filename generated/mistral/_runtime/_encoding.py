"""Conversion of Python argument values into the strings sent in URLs and headers."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

__all__ = ["to_param_string"]


def to_param_string(value: Any) -> str:
    """Render a scalar the way OpenAPI parameters expect (enums by value, bools lowercase)."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)
