"""Parameter serialization as OpenAPI defines it: ``style`` and ``explode`` for every location.

Path (simple, label, matrix), query (form, spaceDelimited, pipeDelimited, deepObject),
header (simple) and cookie (form); a parameter declared with ``content`` is encoded as
that media type (JSON) and then sent as a plain string. Values are percent-encoded; the
style's delimiters are not, so ``tags=a,b`` arrives as the spec's table says it must.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from ._encoding import to_param_string
from ._exceptions import RequestValidationError
from ._types import NotGiven

__all__ = [
    "DEFAULT_STYLES",
    "ParamStyle",
    "build_cookie_header",
    "build_header_params",
    "build_query_string",
    "serialize_path",
]

# RFC 3986 reserved characters, left as they are when a parameter sets allowReserved.
_RESERVED = ":/?#[]@!$&'()*+,;="
# Characters RFC 6265 forbids in a cookie value (besides controls): percent-encoded.
_COOKIE_SAFE = "!#$&'()*+-./:<=>?@[]^_`{|}~"


class ParamStyle:
    """How one parameter is serialized; generated code declares only those that differ from the default."""

    __slots__ = ("allow_reserved", "content_type", "explode", "style")

    def __init__(
        self, style: str, explode: bool, content_type: str | None = None, allow_reserved: bool = False
    ) -> None:
        self.style = style
        self.explode = explode
        self.content_type = content_type  # set for `content`-encoded parameters
        self.allow_reserved = allow_reserved

    def __repr__(self) -> str:
        return f"ParamStyle({self.style!r}, {self.explode!r}, {self.content_type!r}, {self.allow_reserved!r})"


DEFAULT_STYLES: Mapping[str, ParamStyle] = {
    "path": ParamStyle("simple", False),
    "query": ParamStyle("form", True),
    "header": ParamStyle("simple", False),
    "cookie": ParamStyle("form", True),
}


def _scalar(value: object) -> str:
    return to_param_string(value)


def _plain(value: Any) -> Any:
    """Pydantic models and mappings as dicts of wire names; everything else unchanged."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json", by_alias=True, exclude_none=True)
    return value


def _content(value: Any, content_type: str) -> str:
    """A ``content``-encoded parameter: JSON for JSON media types, else the text as given."""
    if content_type.split(";", 1)[0].strip().lower().endswith("json"):
        try:
            return json.dumps(_plain(value), separators=(",", ":"), allow_nan=False, default=to_param_string)
        except (TypeError, ValueError) as exc:
            raise RequestValidationError(f"Parameter value is not JSON-serialisable: {exc}") from None
    return _scalar(value)


def _shape(value: Any) -> tuple[str, Any]:
    """('array', [str...]) | ('object', [(key, str)...]) | ('scalar', str); None members dropped."""
    if type(value) is str:  # the common case, before the slower protocol checks
        return "scalar", value
    value = _plain(value)
    if isinstance(value, Mapping):
        return "object", [(str(k), _scalar(v)) for k, v in value.items() if v is not None]
    if isinstance(value, list | tuple | set | frozenset):
        return "array", [_scalar(v) for v in value if v is not None]
    return "scalar", _scalar(value)


def _given(value: object) -> bool:
    return not isinstance(value, NotGiven) and value is not None


# ------------------------------------------------------------------------------------ path


def serialize_path(name: str, value: object, style: ParamStyle) -> str:
    """One path parameter as it replaces ``{name}``: simple, label or matrix, values percent-encoded."""
    if style.content_type is not None:
        return _enc_segment(_content(value, style.content_type))
    kind, data = _shape(value)
    s, explode = style.style, style.explode
    if s == "label":
        if kind == "scalar":
            return "." + _enc_segment(data)
        if kind == "array":
            return "." + ".".join(_enc_segment(v) for v in data)
        sep = "=" if explode else "."
        return "." + ".".join(f"{_enc_segment(k)}{sep}{_enc_segment(v)}" for k, v in data)
    if s == "matrix":
        key = _enc_segment(name)
        if kind == "scalar":
            return f";{key}={_enc_segment(data)}" if data != "" else f";{key}"
        if kind == "array":
            if explode:
                return "".join(f";{key}={_enc_segment(v)}" for v in data)
            return f";{key}=" + ",".join(_enc_segment(v) for v in data)
        if explode:
            return "".join(f";{_enc_segment(k)}={_enc_segment(v)}" for k, v in data)
        return f";{key}=" + ",".join(f"{_enc_segment(k)},{_enc_segment(v)}" for k, v in data)
    if s != "simple":
        raise RequestValidationError(f"Path parameter {name!r}: unsupported style {s!r}.")
    if kind == "scalar":
        return _enc_segment(data)
    if kind == "array":
        return ",".join(_enc_segment(v) for v in data)
    if explode:
        return ",".join(f"{_enc_segment(k)}={_enc_segment(v)}" for k, v in data)
    return ",".join(f"{_enc_segment(k)},{_enc_segment(v)}" for k, v in data)


def _enc_segment(text: str) -> str:
    if text in (".", ".."):
        # quote() leaves dots alone; a bare '.'/'..' would be resolved as a relative path step.
        return text.replace(".", "%2E")
    return quote(text, safe="")


# ----------------------------------------------------------------------------------- query


def _enc_query(text: str, allow_reserved: bool) -> str:
    return quote(text, safe=_RESERVED if allow_reserved else "")


def _query_pairs(name: str, value: object, style: ParamStyle) -> list[str]:
    """The ``key=value`` pieces one query parameter contributes, already percent-encoded."""

    def enc(text: str) -> str:
        return _enc_query(text, style.allow_reserved)

    key = enc(name)
    if style.content_type is not None:
        return [f"{key}={enc(_content(value, style.content_type))}"]
    kind, data = _shape(value)
    s, explode = style.style, style.explode
    if s == "deepObject":
        if kind != "object":
            raise RequestValidationError(f"Query parameter {name!r} (deepObject) needs a mapping or model.")
        return [f"{key}[{enc(k)}]={enc(v)}" for k, v in data]
    if s in ("spaceDelimited", "pipeDelimited"):
        sep = "%20" if s == "spaceDelimited" else "|"
        if kind == "scalar":
            return [f"{key}={enc(data)}"]
        items = data if kind == "array" else [part for kv in data for part in kv]
        if explode and kind == "array":
            return [f"{key}={enc(v)}" for v in items]
        return [f"{key}=" + sep.join(enc(v) for v in items)]
    if s != "form":
        raise RequestValidationError(f"Query parameter {name!r}: unsupported style {s!r}.")
    if kind == "scalar":
        return [f"{key}={enc(data)}"]
    if kind == "array":
        if explode:
            return [f"{key}={enc(v)}" for v in data]
        return [f"{key}=" + ",".join(enc(v) for v in data)] if data else []
    if explode:
        return [f"{enc(k)}={enc(v)}" for k, v in data]
    return [f"{key}=" + ",".join(f"{enc(k)},{enc(v)}" for k, v in data)] if data else []


def build_query_string(
    params: Mapping[str, object] | None,
    styles: Mapping[tuple[str, str], ParamStyle] | None = None,
    extra: Mapping[str, str] | None = None,
) -> str:
    """The encoded query string (no ``?``): NOT_GIVEN and None dropped, each value per its style."""
    pieces: list[str] = []
    default = DEFAULT_STYLES["query"]
    for name, value in (params or {}).items():
        if not _given(value):
            continue
        style = styles.get(("query", name), default) if styles else default
        pieces.extend(_query_pairs(name, value, style))
    for name, value in (extra or {}).items():
        pieces.append(f"{_enc_query(name, False)}={_enc_query(value, False)}")
    return "&".join(pieces)


# ------------------------------------------------------------------------- header, cookie


def _simple(value: object, explode: bool) -> str:
    kind, data = _shape(value)
    if kind == "scalar":
        return str(data)
    if kind == "array":
        return ",".join(data)
    return ",".join(f"{k}={v}" if explode else f"{k},{v}" for k, v in data)


def build_header_params(
    params: Mapping[str, object] | None, styles: Mapping[tuple[str, str], ParamStyle] | None = None
) -> dict[str, str]:
    """Header parameters as strings (style simple; ``content`` ones as JSON); NOT_GIVEN and None dropped."""
    out: dict[str, str] = {}
    default = DEFAULT_STYLES["header"]
    for name, value in (params or {}).items():
        if not _given(value):
            continue
        style = styles.get(("header", name), default) if styles else default
        out[name] = (
            _content(value, style.content_type) if style.content_type is not None else _simple(value, style.explode)
        )
    return out


def _enc_cookie_name(text: str) -> str:
    # RFC 9110 token characters only: no '=', ';' or space that would split or add a cookie.
    return quote(text, safe="!#$&'*+-.^_`|~")


def _enc_cookie(text: str) -> str:
    return quote(text, safe=_COOKIE_SAFE)


def build_cookie_header(
    params: Mapping[str, object] | None,
    styles: Mapping[tuple[str, str], ParamStyle] | None = None,
    extra: Mapping[str, str] | None = None,
) -> str:
    """The ``Cookie`` header value for cookie parameters (style form) plus ``extra`` cookies; "" if none."""
    pairs: list[str] = []
    default = DEFAULT_STYLES["cookie"]
    for name, value in (params or {}).items():
        if not _given(value):
            continue
        key = _enc_cookie_name(name)  # a name from the spec cannot add a cookie of its own
        style = styles.get(("cookie", name), default) if styles else default
        if style.content_type is not None:
            pairs.append(f"{key}={_enc_cookie(_content(value, style.content_type))}")
            continue
        kind, data = _shape(value)
        if kind == "scalar":
            pairs.append(f"{key}={_enc_cookie(data)}")
        elif kind == "array":
            if style.explode:
                pairs.extend(f"{key}={_enc_cookie(v)}" for v in data)
            else:
                pairs.append(f"{key}=" + ",".join(_enc_cookie(v) for v in data))
        elif style.explode:
            pairs.extend(f"{_enc_cookie_name(k)}={_enc_cookie(v)}" for k, v in data)
        else:
            pairs.append(f"{key}=" + ",".join(f"{_enc_cookie(k)},{_enc_cookie(v)}" for k, v in data))
    for name, value in (extra or {}).items():
        pairs.append(f"{_enc_cookie_name(name)}={_enc_cookie(value)}")
    return "; ".join(pairs)
