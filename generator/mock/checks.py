"""Check a request, and in proxy mode a response, against a route; every problem is located.

Locations read ``path/<name>``, ``query/<name>``, ``header/<name>``, ``cookie/<name>``,
``credential/<scheme>``, ``body`` or ``body/<json path>``, ``status``, ``response/...``.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.mock.routes import MediaSpec, MockSpec, ParamSpec, Route
from generator.mock.schemas import Problem

# Headers the mock itself reads; never reported as problems.
MOCK_HEADERS = frozenset({"prefer", "mock-fault"})


@dataclass(frozen=True, slots=True)
class IncomingRequest:
    """What the checks need from a request, independent of the server library."""

    method: str
    path: str  # below the base path, percent-encoded as received
    query: list[tuple[str, str]]
    headers: Mapping[str, str]  # case-insensitive lookups expected (lower-case keys)
    cookies: Mapping[str, str]
    body: bytes
    content_type: str


def check_request(spec: MockSpec, route: Route, raw_path: dict[str, str], req: IncomingRequest) -> list[Problem]:
    """Every way the request breaks the spec: parameters, credentials and body."""
    problems: list[Problem] = []
    query: dict[str, list[str]] = {}
    for name, value in req.query:
        query.setdefault(name, []).append(value)
    declared_query = set()
    for param in route.params:
        if param.location == "query":
            declared_query.add(param.name)
        raw = _raw_value(param, raw_path, query, req)
        where = f"{param.location}/{param.name}"
        if param.location == "path" and raw_path.get(param.name) in (".", ".."):
            # Servers and proxies resolve a bare dot-segment: the request would reach another resource.
            problems.append(Problem(where, f"{raw_path[param.name]!r} is a dot-segment; it must be percent-encoded"))
            continue
        if raw is None:
            if param.required:
                problems.append(Problem(where, f"required {param.location} parameter is missing"))
            continue
        value = coerce(param, raw)
        if isinstance(value, Problem):
            problems.append(Problem(where, value.message))
            continue
        problems.extend(spec.context.errors(param.schema, value, where))
    credential_names = _credential_names(spec, route)
    for name in query:
        if name not in declared_query and name not in credential_names:
            problems.append(Problem(f"query/{name}", "query parameter is not declared by the operation"))
    problems.extend(check_credentials(spec, route, req, query))
    problems.extend(_check_body(spec, route, req))
    return problems


def _credential_names(spec: MockSpec, route: Route) -> set[str]:
    names: set[str] | None = route.cache.get("credential-query-names")
    if names is None:
        names = route.cache["credential-query-names"] = _query_credentials(spec, route)
    return names


def redact_path(spec: MockSpec, route: Route, raw_path: str) -> str:
    """``raw_path`` with the values of query credentials (apiKey ``in: query``) replaced by ``***``."""
    path, sep, query = raw_path.partition("?")
    names = _credential_names(spec, route)
    if not sep or not names:
        return raw_path
    parts = []
    for part in query.split("&"):
        key, eq, _ = part.partition("=")
        parts.append(f"{key}=***" if eq and urllib.parse.unquote_plus(key) in names else part)
    return f"{path}?{'&'.join(parts)}"


def _query_credentials(spec: MockSpec, route: Route) -> set[str]:
    return {
        s.parameter
        for alt in route.security
        for name in alt
        if (s := spec.schemes.get(name)) is not None and s.parameter and s.location == "query"
    }


def _raw_value(
    param: ParamSpec, raw_path: dict[str, str], query: dict[str, list[str]], req: IncomingRequest
) -> str | list[str] | None:
    if param.location == "path":
        raw = raw_path.get(param.name)
        return urllib.parse.unquote(raw) if raw is not None else None
    if param.location == "query":
        values = query.get(param.name)
        if not values:
            return None
        return values if len(values) > 1 or _is_array(param.schema) else values[0]
    if param.location == "header":
        return req.headers.get(param.name.lower())
    if param.location == "cookie":
        return req.cookies.get(param.name)
    return None


def _is_array(schema: Any) -> bool:
    kind = schema.get("type") if isinstance(schema, dict) else None
    return kind == "array" or (isinstance(kind, list) and "array" in kind)


def _types(schema: Any) -> list[str]:
    kind = schema.get("type") if isinstance(schema, dict) else None
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list):
        return [str(k) for k in kind]
    return []


def coerce(param: ParamSpec, raw: str | list[str]) -> Any:
    """A parameter's text as the JSON value its schema types (``"3"`` -> 3); a Problem when it cannot be."""
    schema = param.schema
    if _is_array(schema):
        parts = raw if isinstance(raw, list) else ([raw] if param.explode else raw.split(","))
        item = schema.get("items", {}) if isinstance(schema.get("items"), dict) else {}
        out = []
        for part in parts:
            value = _scalar(item, part)
            if isinstance(value, Problem):
                return value
            out.append(value)
        return out
    if isinstance(raw, list):
        return Problem("", f"given {len(raw)} times; the operation takes one value")
    return _scalar(schema, raw)


def _scalar(schema: Any, text: str) -> Any:
    kinds = _types(schema)
    if "integer" in kinds:
        try:
            return int(text)
        except ValueError:
            if "string" not in kinds:
                return Problem("", f"{text[:60]!r} is not an integer")
    if "number" in kinds:
        try:
            return float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            if "string" not in kinds:
                return Problem("", f"{text[:60]!r} is not a number")
    if "boolean" in kinds:
        if text in ("true", "false"):
            return text == "true"
        if "string" not in kinds:
            return Problem("", f"{text[:60]!r} is not true or false")
    if "null" in kinds and text == "" and "string" not in kinds:
        return None
    return text


def check_credentials(spec: MockSpec, route: Route, req: IncomingRequest, query: dict[str, list[str]]) -> list[Problem]:
    """Problems of the first security alternative when none is satisfied (an empty list when one is)."""
    if not route.security or any(not alt for alt in route.security):
        return []
    first: list[Problem] | None = None
    for alternative in route.security:
        problems = []
        for name in alternative:
            scheme = spec.schemes.get(name)
            if scheme is None:
                continue
            where = f"credential/{name}"
            if scheme.type == "apiKey" and scheme.parameter:
                if scheme.location == "query":
                    got = (query.get(scheme.parameter) or [""])[0]
                elif scheme.location == "cookie":
                    got = req.cookies.get(scheme.parameter, "")
                else:
                    got = req.headers.get(scheme.parameter.lower(), "")
                if not got.strip():
                    problems.append(Problem(where, f"{scheme.location} {scheme.parameter!r} is missing or empty"))
            elif scheme.type in ("http", "oauth2", "openIdConnect"):
                want = scheme.scheme or "bearer"
                kind, _, token = req.headers.get("authorization", "").partition(" ")
                if kind.lower() != want or not token.strip():
                    problems.append(Problem(where, f"Authorization header is not '{want.title()} <credential>'"))
        if not problems:
            return []
        first = first if first is not None else problems
    return first or []


def _media_for(content: tuple[MediaSpec, ...], content_type: str) -> MediaSpec | None:
    media = content_type.split(";", 1)[0].strip().lower()
    for candidate in content:
        if candidate.content_type == media:
            return candidate
    for candidate in content:  # ranges such as application/* or */*
        kind, _, sub = candidate.content_type.partition("/")
        if sub == "*" and (kind == "*" or media.startswith(kind + "/")):
            return candidate
    return None


def is_json(content_type: str) -> bool:
    """True for application/json and any ``+json`` type."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _check_body(spec: MockSpec, route: Route, req: IncomingRequest) -> list[Problem]:
    if route.body is None:
        if req.body:
            return [Problem("body", "the operation declares no request body")]
        return []
    if not req.body:
        return [Problem("body", "required request body is missing")] if route.body_required else []
    media = _media_for(route.body, req.content_type)
    if media is None:
        declared = ", ".join(m.content_type for m in route.body) or "none"
        return [
            Problem("header/content-type", f"{req.content_type or 'no content type'!r} is not declared ({declared})")
        ]
    if media.content_type in FORM_TYPES:
        fields = _form_fields(media.content_type, req)
        return [fields] if isinstance(fields, Problem) else _check_form(spec, media.schema, fields)
    if not is_json(media.content_type):
        return []
    try:
        data = json.loads(req.body)
    except (ValueError, UnicodeDecodeError) as exc:
        return [Problem("body", f"not JSON: {exc}")]
    return spec.context.errors(media.schema, data, "body") if media.schema is not None else []


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _form_fields(content_type: str, req: IncomingRequest) -> dict[str, list[str | bytes]] | Problem:
    """The fields of a form body; a file part's value stays bytes."""
    if content_type == "application/x-www-form-urlencoded":
        try:
            pairs = urllib.parse.parse_qsl(req.body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
        except (UnicodeDecodeError, ValueError) as exc:
            return Problem("body", f"not a URL-encoded form: {exc}")
        fields: dict[str, list[str | bytes]] = {}
        for name, value in pairs:
            fields.setdefault(name, []).append(value)
        return fields
    head = b"Content-Type: " + req.content_type.encode("latin-1", "replace") + b"\r\n\r\n"
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + req.body)
    if not message.is_multipart():
        return Problem("body", "not a multipart/form-data body (no boundary or no parts)")
    fields = {}
    for part in message.iter_parts():
        param_name = part.get_param("name", header="content-disposition")
        if not isinstance(param_name, str):
            return Problem("body", "a multipart part has no Content-Disposition name")
        name = param_name
        payload = part.get_payload(decode=True)
        raw = payload if isinstance(payload, bytes) else b""
        if part.get_filename() is None:
            try:
                fields.setdefault(name, []).append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                fields.setdefault(name, []).append(raw)
        else:
            fields.setdefault(name, []).append(raw)
    return fields


def _check_form(spec: MockSpec, schema: Any, fields: dict[str, list[str | bytes]]) -> list[Problem]:
    """Required fields present; text fields, typed like query parameters, valid against their property."""
    resolved = spec.context.resolve(schema)
    if not isinstance(resolved, dict):
        return []
    props: dict[str, Any] = resolved["properties"] if isinstance(resolved.get("properties"), dict) else {}
    problems = []
    for name in resolved.get("required", []):
        if isinstance(name, str) and name not in fields:
            problems.append(Problem(f"body/{name}", "required form field is missing"))
    for name, values in fields.items():
        where = f"body/{name}"
        prop = props.get(name)
        if prop is None:
            if resolved.get("additionalProperties") is False:
                problems.append(Problem(where, "form field is not declared"))
            continue
        texts = [v for v in values if isinstance(v, str)]
        if len(texts) < len(values):
            continue  # a file part: its bytes are what the client sent
        shape = spec.context.resolve(prop)
        param = ParamSpec(name, "query", False, shape if isinstance(shape, dict) else {}, explode=True)
        value = coerce(param, texts if len(texts) > 1 or _is_array(param.schema) else texts[0])
        if isinstance(value, Problem):
            problems.append(Problem(where, value.message))
        else:
            problems.extend(spec.context.errors(prop, value, where))
    return problems


def check_response(spec: MockSpec, route: Route, status: int, headers: Mapping[str, str], body: bytes) -> list[Problem]:
    """Proxy mode: every way a real response breaks the spec (status, content type, body, headers)."""
    documented = route.response_for(status)
    if documented is None:
        listed = ", ".join(route.responses) or "none"
        return [Problem("status", f"{status} is not documented for this operation (documented: {listed})")]
    problems = []
    for name, hdef in documented.headers.items():
        if hdef.get("required") and name.lower() not in headers:
            problems.append(Problem(f"response/header/{name}", "required response header is missing"))
    if not documented.content:
        return problems
    if not body:
        return [*problems, Problem("response/body", "empty, but the spec documents a body")]
    content_type = headers.get("content-type", "")
    media = _media_for(documented.content, content_type)
    if media is None:
        declared = ", ".join(m.content_type for m in documented.content)
        return [*problems, Problem("response/header/content-type", f"{content_type!r} is not declared ({declared})")]
    if is_json(media.content_type) and media.schema is not None:
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            return [*problems, Problem("response/body", f"not JSON: {exc}")]
        problems.extend(spec.context.errors(media.schema, data, "response/body"))
    return problems
