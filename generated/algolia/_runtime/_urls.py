"""URL building: path templates, server variables and query strings."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from urllib.parse import quote

from ._encoding import to_param_string
from ._exceptions import RequestValidationError
from ._params import DEFAULT_STYLES, ParamStyle, serialize_path
from ._types import NotGiven

__all__ = ["build_query", "build_url", "encode_path_segment", "fill_server_url"]

_SIMPLE = DEFAULT_STYLES["path"]
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")

# Characters that would let a server variable change scheme, host, port or credentials.
_UNSAFE_IN_SERVER_VARIABLE = set("/\\@:?#[]% \t\r\n\0")


def encode_path_segment(value: object) -> str:
    """Percent-encode a value so it occupies exactly one path segment and never a dot-segment."""
    text = to_param_string(value)
    if text in (".", ".."):
        # quote() leaves dots alone; a bare '.'/'..' would be resolved as a relative path step.
        return text.replace(".", "%2E")
    return quote(text, safe="")


def build_url(
    base_url: str,
    path_template: str,
    path_params: Mapping[str, object] | None,
    styles: Mapping[tuple[str, str], ParamStyle] | None = None,
) -> str:
    """Join base_url and a path template, filling each {param} per its style (simple: one encoded segment)."""
    params = path_params or {}
    pieces, names = _template(path_template)
    if len(params) > len(names) or any(name not in names for name in params):
        unknown = set(params) - set(names)
        raise RequestValidationError(f"Unknown path parameter(s) {sorted(unknown)} for {path_template}.")
    out: list[str] = []
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            out.append(piece)
            continue
        value = params.get(piece)
        if value is None or isinstance(value, NotGiven):
            raise RequestValidationError(f"Path parameter {piece!r} is required.")
        style = styles.get(("path", piece), _SIMPLE) if styles else _SIMPLE
        segment = serialize_path(piece, value, style)
        if not segment:
            raise RequestValidationError(f"Path parameter {piece!r} must not be empty.")
        out.append(segment)
    path = "".join(out)
    if "/./" in f"{path}/" or "/../" in f"{path}/":
        # A value that forms a whole '.'/'..' segment (label style, empty) would be resolved away.
        path = "/".join(seg.replace(".", "%2E") if seg in (".", "..") else seg for seg in path.split("/"))
    if not path.startswith("/"):
        path = "/" + path
    return base_url.rstrip("/") + path


@functools.lru_cache(maxsize=1024)
def _template(template: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """Split ``/a/{x}/b`` into literal and name pieces (alternating, literals first), and the names."""
    pieces = tuple(_PLACEHOLDER.split(template))
    return pieces, frozenset(pieces[1::2])


def fill_server_url(template: str, variables: Mapping[str, str]) -> str:
    """Fill OpenAPI server variables ({region}); refuse values that could change the host."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            raise RequestValidationError(f"Server variable {name!r} is required.")
        value = str(variables[name])
        if not value:
            raise RequestValidationError(f"Server variable {name!r} must not be empty.")
        if any(ch in _UNSAFE_IN_SERVER_VARIABLE for ch in value):
            raise RequestValidationError(
                f"Server variable {name!r} contains characters that could change the URL's host."
            )
        return quote(value, safe="")

    return _PLACEHOLDER.sub(substitute, template)


def build_query(params: Mapping[str, object] | None) -> list[tuple[str, str]]:
    """Query pairs: NOT_GIVEN and None dropped, lists as repeated keys, bools as true/false."""
    pairs: list[tuple[str, str]] = []
    for key, value in (params or {}).items():
        if isinstance(value, NotGiven) or value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            pairs.extend((key, to_param_string(item)) for item in value if item is not None)
        else:
            pairs.append((key, to_param_string(value)))
    return pairs
