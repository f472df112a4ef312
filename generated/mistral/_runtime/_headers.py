"""Header construction and checks.

Error messages here name the header but never its value: values may be credentials.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping

import httpx

from ._encoding import to_param_string
from ._exceptions import RequestValidationError
from ._types import NotGiven

__all__ = ["build_headers", "check_header", "check_headers", "user_agent"]

# RFC 9110 token characters; anything else in a name could smuggle a second header.
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_FORBIDDEN_IN_VALUE = ("\r", "\n", "\0")


def user_agent(package: str, version: str) -> str:
    """``<package>/<version> python/<x.y> httpx/<version>``: who is calling, for the vendor's logs."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return f"{package}/{version} python/{python} httpx/{httpx.__version__}"


def check_header(name: str, value: str) -> None:
    """Raise RequestValidationError if a header name or value could split or inject headers."""
    if not _TOKEN.match(name):
        raise RequestValidationError(f"Invalid header name {name!r}.")
    if any(ch in value for ch in _FORBIDDEN_IN_VALUE):
        raise RequestValidationError(f"Header {name!r} has a value containing CR, LF or NUL; refusing to send it.")


def build_headers(params: Mapping[str, object] | None) -> dict[str, str]:
    """Convert header parameters to strings, dropping NOT_GIVEN and None; lists are comma-joined."""
    out: dict[str, str] = {}
    for name, value in (params or {}).items():
        if isinstance(value, NotGiven) or value is None:
            continue
        if isinstance(value, list | tuple):
            text = ",".join(to_param_string(v) for v in value)
        else:
            text = to_param_string(value)
        check_header(name, text)
        out[name] = text
    return out


def check_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """Check already-string headers (e.g. per-call extra_headers) and return them as a dict."""
    out: dict[str, str] = {}
    for name, value in (headers or {}).items():
        if not isinstance(value, str):
            raise RequestValidationError(f"Header {name!r} must be a string.")
        check_header(name, value)
        out[name] = value
    return out
