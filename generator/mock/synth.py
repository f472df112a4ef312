"""Synthesize a JSON value valid against a JSON Schema, deterministically from a ``random.Random``.

Handles ``$ref`` (recursion bounded by ``max_depth``), ``enum``/``const``, every JSON type,
string formats and ``pattern``, numeric bounds and ``multipleOf``, array and object size
bounds, ``oneOf``/``anyOf``/``allOf`` and nullable types. ``static`` mode prefers a schema's
own ``example``/``default`` and keeps every optional property; dynamic mode draws them.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import random
import re
import string
import uuid
from typing import Any

from generator.mock.schemas import SchemaContext

try:  # the regex parser moved in 3.11; both spellings are the stdlib's own
    import re._parser as sre_parse  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef,unused-ignore]

WORDS = ("alpha", "bravo", "delta", "echo", "lima", "nova", "orbit", "pixel", "quartz", "sierra", "tango", "zulu")
MAX_ITEMS = 3  # arrays get at most this many items beyond their minItems


class Synthesizer:
    """Makes values for the prepared schemas of one document."""

    def __init__(self, context: SchemaContext, *, max_depth: int = 4) -> None:
        self.context = context
        self.max_depth = max_depth

    def value(self, schema: Any, rng: random.Random, *, static: bool = True) -> Any:
        """A value valid against ``schema``; retried with fresh draws when a composition makes it invalid."""
        first = self._make(schema, rng, static, 0, ())
        if not self.context.errors(schema, first, ""):
            return first
        for _ in range(12):
            candidate = self._make(schema, rng, False, 0, ())
            if not self.context.errors(schema, candidate, ""):
                return candidate
        return first

    def _make(self, schema: Any, rng: random.Random, static: bool, depth: int, refs: tuple[str, ...]) -> Any:
        if schema is True or not isinstance(schema, dict):
            return rng.choice(WORDS) if schema is not False else None
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = self.context.lookup(ref)
            if refs.count(ref) >= 2 or len(refs) >= self.max_depth or depth > 64:
                return self._minimal(target)
            merged = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
            return self._make(merged, rng, static, depth + 1, (*refs, ref))
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            values = [v for v in schema["enum"] if v is not None] or schema["enum"]
            return values[0] if static else rng.choice(values)
        if static:
            # Trusted here (compiling a validator per sub-schema is slow on big specs); a wrong
            # example fails the check of the whole value in value(), which then draws afresh.
            for key in ("example", "default"):
                if key in schema and schema[key] is not None:
                    return schema[key]
            examples = schema.get("examples")
            if isinstance(examples, list) and examples:
                return examples[0]
        if isinstance(schema.get("allOf"), list):
            return self._all_of(schema, rng, static, depth, refs)
        for key in ("oneOf", "anyOf"):
            variants = schema.get(key)
            if isinstance(variants, list) and variants:
                options = [v for v in variants if not (isinstance(v, dict) and v.get("type") == "null")] or variants
                choice = options[0] if static else rng.choice(options)
                if len(options) < len(variants) and (
                    _ref_of(choice) in refs or len(refs) >= self.max_depth or (not static and rng.random() < 0.15)
                ):
                    return None  # a nullable recursion ends here
                rest = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
                value = self._make(choice, rng, static, depth, refs)
                if isinstance(value, dict) and rest.get("properties"):
                    extra = self._make({**rest, "type": "object"}, rng, static, depth, refs)
                    if isinstance(extra, dict):
                        value = {**extra, **value}
                return value
        kind = self._type(schema, rng, static)
        if kind == "null":
            return None
        if kind == "object":
            return self._object(schema, rng, static, depth, refs)
        if kind == "array":
            return self._array(schema, rng, static, depth, refs)
        if kind == "string":
            return self._string(schema, rng, static)
        if kind == "integer":
            return self._integer(schema, rng, static)
        if kind == "number":
            return self._number(schema, rng, static)
        if kind == "boolean":
            return True if static else rng.random() < 0.5
        return rng.choice(WORDS)

    def _type(self, schema: dict[str, Any], rng: random.Random, static: bool) -> str:
        kind = schema.get("type")
        if isinstance(kind, list):
            concrete = [k for k in kind if k != "null"]
            if not concrete:
                return "null"
            if not static and "null" in kind and rng.random() < 0.15:
                return "null"
            return str(concrete[0] if static else rng.choice(concrete))
        if isinstance(kind, str):
            return kind
        if "properties" in schema or "required" in schema or "additionalProperties" in schema:
            return "object"
        if "items" in schema or "prefixItems" in schema:
            return "array"
        if any(k in schema for k in ("minLength", "maxLength", "pattern", "format")):
            return "string"
        if any(k in schema for k in ("minimum", "maximum", "multipleOf", "exclusiveMinimum", "exclusiveMaximum")):
            return "number"
        return "string"

    def _minimal(self, schema: Any) -> Any:
        """The smallest value for a schema at the recursion bound: null, [] or required-only {}."""
        schema = self.context.resolve(schema)
        if not isinstance(schema, dict):
            return None
        kind = schema.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "null" in kinds:
            return None
        if "array" in kinds and not schema.get("minItems"):
            return []
        return self._make(schema, random.Random(0), True, self.max_depth + 1, ())

    def _all_of(
        self, schema: dict[str, Any], rng: random.Random, static: bool, depth: int, refs: tuple[str, ...]
    ) -> Any:
        parts = [self.context.resolve(p) for p in schema["allOf"]]
        rest = {k: v for k, v in schema.items() if k != "allOf"}
        merged: dict[str, Any] = dict(rest)
        for part in parts:
            if not isinstance(part, dict):
                continue
            for key, value in part.items():
                if key == "properties":
                    merged["properties"] = {**merged.get("properties", {}), **value}
                elif key == "required":
                    merged["required"] = sorted({*merged.get("required", []), *value})
                else:
                    merged.setdefault(key, value)
        merged.pop("allOf", None)
        return self._make(merged, rng, static, depth + 1, refs)

    def _object(
        self, schema: dict[str, Any], rng: random.Random, static: bool, depth: int, refs: tuple[str, ...]
    ) -> Any:
        props: dict[str, Any] = _dict(schema.get("properties"))
        required = [r for r in schema.get("required", []) if isinstance(r, str)]
        out: dict[str, Any] = {}
        deep = len(refs) >= self.max_depth
        for name, sub in props.items():
            wanted = name in required or (not deep and (static or rng.random() < 0.6))
            if wanted and not (isinstance(sub, dict) and (sub.get("writeOnly") is True)):
                out[name] = self._make(sub, rng, static, depth + 1, refs)
        for name in required:
            if name not in out:
                extra = schema.get("additionalProperties")
                out[name] = self._make(extra if isinstance(extra, dict) else {}, rng, static, depth + 1, refs)
        low = schema.get("minProperties")
        if isinstance(low, int) and len(out) < low:
            for name, sub in props.items():
                if len(out) >= low:
                    break
                out.setdefault(name, self._make(sub, rng, static, depth + 1, refs))
            extra = schema.get("additionalProperties", True)
            n = 0
            while len(out) < low and extra is not False:
                out[f"extra_{n}"] = self._make(
                    extra if isinstance(extra, dict) else {"type": "string"}, rng, static, depth + 1, refs
                )
                n += 1
        high = schema.get("maxProperties")
        if isinstance(high, int) and len(out) > high:
            for name in [k for k in out if k not in required][: len(out) - high]:
                del out[name]
        return out

    def _array(
        self, schema: dict[str, Any], rng: random.Random, static: bool, depth: int, refs: tuple[str, ...]
    ) -> Any:
        low = _int(schema.get("minItems"), 0)
        high = _int(schema.get("maxItems"), low + MAX_ITEMS)
        items = schema.get("items", {})
        if len(refs) >= self.max_depth or _ref_of(items) in refs:
            count = low  # a recursive list stays as short as allowed
        else:
            count = max(low, min(high, 1)) if static else rng.randint(low, max(low, min(high, low + MAX_ITEMS)))
        out: list[Any] = []
        attempts = 0
        while len(out) < count and attempts < count * 10 + 10:
            attempts += 1
            item = self._make(items, rng, static and not out, depth + 1, refs)
            if schema.get("uniqueItems") and item in out:
                continue
            out.append(item)
        return out

    def _string(self, schema: dict[str, Any], rng: random.Random, static: bool) -> str:
        fmt = schema.get("format")
        low = _int(schema.get("minLength"), 0)
        high_or_none = _int(schema.get("maxLength"), -1)
        high = None if high_or_none < 0 else high_or_none
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            made = _from_pattern(pattern, rng)
            if made is not None and (high is None or len(made) <= high) and len(made) >= low:
                return made
        text = _formatted(fmt, rng) if isinstance(fmt, str) else None
        if text is None:
            text = WORDS[0] if static else f"{rng.choice(WORDS)}-{rng.randint(0, 999)}"
            if len(text) < low:
                text = (text + "-" + "".join(rng.choice(string.ascii_lowercase) for _ in range(low)))[
                    : max(low, len(text))
                ]
                text = text.ljust(low, "x")
            if high is not None:
                text = text[:high]
        return text

    def _integer(self, schema: dict[str, Any], rng: random.Random, static: bool) -> int:
        low, high = _bounds(schema, integer=True)
        step = schema.get("multipleOf")
        if isinstance(step, int) and step > 0:
            first = math.ceil(low / step) * step
            last = math.floor(high / step) * step
            if first > last:
                return int(first)
            k = 0 if static else rng.randint(0, min((last - first) // step, 1000))
            return int(first + k * step)
        if static:
            return int(max(low, min(high, 1)))
        return rng.randint(int(low), int(high))

    def _number(self, schema: dict[str, Any], rng: random.Random, static: bool) -> float | int:
        low, high = _bounds(schema, integer=False)
        step = schema.get("multipleOf")
        if isinstance(step, (int, float)) and not isinstance(step, bool) and step > 0:
            first, last = math.ceil(low / step), math.floor(high / step)
            k = first if static or last <= first else rng.randint(first, min(last, first + 1000))
            decimals = len(repr(float(step)).split(".")[1].rstrip("0"))
            return int(k * step) if float(step).is_integer() else round(k * step, decimals)
        if static:
            return float(max(low, min(high, 1.5)))
        return round(rng.uniform(low, high), 3) if high - low > 0.01 else low


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _ref_of(schema: Any) -> str | None:
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    return ref if isinstance(ref, str) else None


def _bounds(schema: dict[str, Any], *, integer: bool) -> tuple[float, float]:
    """Inclusive bounds from minimum/maximum and their exclusive forms (2020-12 numbers)."""
    eps = 1 if integer else 1e-6
    low: float = -1000
    high: float = 1000
    if isinstance(schema.get("minimum"), (int, float)):
        low = schema["minimum"]
    if isinstance(schema.get("exclusiveMinimum"), (int, float)) and not isinstance(schema["exclusiveMinimum"], bool):
        low = max(low, schema["exclusiveMinimum"] + eps)
    if isinstance(schema.get("maximum"), (int, float)):
        high = schema["maximum"]
    if isinstance(schema.get("exclusiveMaximum"), (int, float)) and not isinstance(schema["exclusiveMaximum"], bool):
        high = min(high, schema["exclusiveMaximum"] - eps)
    if "minimum" in schema and "maximum" not in schema and "exclusiveMaximum" not in schema:
        high = low + 1000
    if "maximum" in schema and "minimum" not in schema and "exclusiveMinimum" not in schema:
        low = high - 1000
    if integer:
        low, high = math.ceil(low), math.floor(high)
    return low, max(low, high)


_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def _formatted(fmt: str, rng: random.Random) -> str | None:
    """A string in the named format, or None for formats with no special shape."""
    moment = _EPOCH + dt.timedelta(seconds=rng.randint(0, 3 * 365 * 86400))
    makers = {
        "date-time": lambda: moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "date": lambda: moment.date().isoformat(),
        "time": lambda: moment.strftime("%H:%M:%SZ"),
        "duration": lambda: f"PT{rng.randint(1, 59)}M",
        "uuid": lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "email": lambda: f"{rng.choice(WORDS)}@example.com",
        "idn-email": lambda: f"{rng.choice(WORDS)}@example.com",
        "hostname": lambda: f"{rng.choice(WORDS)}.example.com",
        "idn-hostname": lambda: f"{rng.choice(WORDS)}.example.com",
        "uri": lambda: f"https://example.com/{rng.choice(WORDS)}",
        "url": lambda: f"https://example.com/{rng.choice(WORDS)}",
        "iri": lambda: f"https://example.com/{rng.choice(WORDS)}",
        "uri-reference": lambda: f"/{rng.choice(WORDS)}",
        "ipv4": lambda: f"192.0.2.{rng.randint(1, 254)}",
        "ipv6": lambda: f"2001:db8::{rng.randint(1, 0xFFFF):x}",
        "byte": lambda: base64.b64encode(rng.randbytes(12)).decode(),
        "password": lambda: "".join(rng.choice(string.ascii_letters) for _ in range(12)),
        "int64": lambda: str(rng.randint(0, 10**12)),
    }
    maker = makers.get(fmt)
    return maker() if maker else None


def _from_pattern(pattern: str, rng: random.Random) -> str | None:
    """A string matching ``pattern`` (searched, as JSON Schema does), or None when unsure."""
    try:
        parsed = sre_parse.parse(pattern)
        text = _emit(parsed, rng, 0)
    except (re.error, _Unsupported, RecursionError, OverflowError):
        return None
    return text if re.search(pattern, text) else None


class _Unsupported(Exception):
    pass


_CATEGORIES = {
    "CATEGORY_DIGIT": string.digits,
    "CATEGORY_WORD": string.ascii_letters + string.digits + "_",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_DIGIT": string.ascii_letters,
    "CATEGORY_NOT_WORD": "-.",
    "CATEGORY_NOT_SPACE": string.ascii_letters,
}


def _emit(parsed: Any, rng: random.Random, depth: int) -> str:
    if depth > 20:
        raise _Unsupported
    out: list[str] = []
    for op, arg in parsed:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "ANY":
            out.append(rng.choice(string.ascii_letters))
        elif name == "IN":
            out.append(_from_set(arg, rng))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            count = rng.randint(low, min(high, low + 3))
            out.extend(_emit(sub, rng, depth + 1) for _ in range(count))
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            out.append(_emit(arg[-1], rng, depth + 1))
        elif name == "BRANCH":
            out.append(_emit(rng.choice(arg[1]), rng, depth + 1))
        elif name in ("AT",):
            continue
        elif name == "CATEGORY":
            out.append(rng.choice(_CATEGORIES.get(str(arg), string.ascii_letters)))
        else:
            raise _Unsupported
    return "".join(out)


def _from_set(items: Any, rng: random.Random) -> str:
    choices: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            raise _Unsupported
        if name == "LITERAL":
            choices.append(chr(arg))
        elif name == "RANGE":
            lo, hi = arg
            choices.extend(chr(c) for c in range(lo, min(hi, lo + 64) + 1))
        elif name == "CATEGORY":
            choices.extend(_CATEGORIES.get(str(arg), string.ascii_letters))
    if not choices:
        raise _Unsupported
    return rng.choice(choices)
