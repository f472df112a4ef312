"""The mock's view of one spec: each operation as a route with its parameters, body and responses.

Operations come from the IR (``LoadedSpec.api``); the JSON Schema details (parameter,
body and response schemas, examples, response headers) from the normalized document,
read defensively: a malformed corner gives an empty schema, never a crash.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from generator.ir.load import LoadedSpec
from generator.mock.schemas import SchemaContext


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """A parameter with its prepared JSON Schema."""

    name: str
    location: str  # path | query | header | cookie
    required: bool
    schema: dict[str, Any]
    explode: bool


@dataclass(frozen=True, slots=True)
class MediaSpec:
    """One content type of a body or response."""

    content_type: str
    schema: Any  # prepared JSON Schema, or None when undeclared
    examples: dict[str, Any]  # name -> value ("example" for a lone `example`)


@dataclass(frozen=True, slots=True)
class ResponseSpec:
    """A documented response: status key as written (``"200"``, ``"4XX"``, ``"default"``)."""

    status: str
    content: tuple[MediaSpec, ...]
    headers: dict[str, dict[str, Any]]  # header name -> {"schema":..., "required":...}


@dataclass(frozen=True, slots=True)
class SchemeSpec:
    """A security scheme as the mock checks it."""

    name: str
    type: str
    location: str | None
    parameter: str | None
    scheme: str | None


@dataclass
class Route:
    """One operation and how to match and check it."""

    operation_id: str
    method: str
    template: str
    regex: re.Pattern[str]
    names: list[str]
    params: list[ParamSpec]
    body_required: bool
    body: tuple[MediaSpec, ...] | None
    responses: dict[str, ResponseSpec]
    security: list[list[str]]
    idempotent: bool
    cache: dict[str, Any] = field(default_factory=dict)
    dynamic_calls: int = 0  # numbers each dynamic answer: the same --seed replays the same sequence

    def response_for(self, code: int) -> ResponseSpec | None:
        """The response documented for ``code``: exact, then ``4XX``-style, then ``default``."""
        return (
            self.responses.get(str(code))
            or self.responses.get(f"{str(code)[0]}XX")
            or self.responses.get(f"{str(code)[0]}xx")
            or self.responses.get("default")
        )

    def success_code(self) -> int:
        """The status a plain call gets: the lowest documented 2xx, else 200."""
        codes = sorted(int(s) for s in self.responses if s.isdigit() and s.startswith("2"))
        return codes[0] if codes else 200

    def documented_codes(self) -> list[int]:
        """Every explicitly numbered status, ascending."""
        return sorted(int(s) for s in self.responses if s.isdigit())


class MockSpec:
    """Routes of one loaded spec, and the base path they are served under."""

    def __init__(self, loaded: LoadedSpec) -> None:
        self.loaded = loaded
        self.name = loaded.config.package if loaded.config else "spec"
        self.context = SchemaContext(loaded.normalized)
        doc = loaded.normalized
        self.base_path = _base_path(loaded)
        self.schemes = {
            s.name: SchemeSpec(s.name, s.type, s.location, s.parameter_name, (s.scheme or "").lower() or None)
            for s in loaded.api.security_schemes
        }
        default_security = [list(alt) for alt in loaded.api.security]
        if not default_security and loaded.api.credentials:
            # A spec that states its credential only as a required header parameter (Moveworks'
            # Authorization) loses it to normalization; the vendor config still names the scheme.
            default_security = [[c.scheme for c in loaded.api.credentials if c.scheme in self.schemes]]
        self.routes: list[Route] = []
        paths = _dict(doc.get("paths"))
        for op in loaded.api.operations:
            item = _dict(paths.get(op.path))
            raw = _dict(item.get(op.method.lower()))
            security = default_security if op.security is None else [list(alt) for alt in op.security]
            self.routes.append(self._route(op.operation_id, op.method, op.path, item, raw, security, op.idempotent))
        # Literal segments win over parameters: /items/mine before /items/{id}.
        self.routes.sort(key=lambda r: (r.template.count("{"), -len(r.template)))

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        """The route for ``method path`` with its raw path values; the flag says the path exists at all."""
        found_path = False
        for route in self.routes:
            m = route.regex.match(path)
            if m is None:
                continue
            found_path = True
            if route.method == method:
                return route, dict(zip(route.names, m.groups(), strict=True)), True
        return None, {}, found_path

    def allowed_methods(self, path: str) -> list[str]:
        """Methods documented for ``path`` (for 405 and CORS preflight)."""
        return sorted({r.method for r in self.routes if r.regex.match(path)})

    def _route(
        self,
        operation_id: str,
        method: str,
        template: str,
        item: dict[str, Any],
        raw: dict[str, Any],
        security: list[list[str]],
        idempotent: bool,
    ) -> Route:
        ctx = self.context
        names = re.findall(r"\{([^{}]+)\}", template)
        pattern = "".join(
            "([^/]+)" if part.startswith("{") else re.escape(part)
            for part in re.split(r"(\{[^{}]+\})", template)
            if part
        )
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for source in (item.get("parameters"), raw.get("parameters")):
            for p in source if isinstance(source, list) else []:
                p = ctx.resolve(p)
                if isinstance(p, dict) and isinstance(p.get("name"), str) and isinstance(p.get("in"), str):
                    merged[(p["name"], p["in"])] = p
        params = []
        for (name, where), p in merged.items():
            schema = ctx.prepare(p.get("schema")) if isinstance(p.get("schema"), dict) else {}
            if not schema and isinstance(p.get("content"), dict) and p["content"]:
                first = next(iter(p["content"].values()))
                schema = ctx.prepare(first.get("schema", {})) if isinstance(first, dict) else {}
            style_default = where in ("query", "cookie")
            explode = p.get("explode", style_default) is True
            params.append(ParamSpec(name, where, bool(p.get("required")) or where == "path", schema, explode))
        body_required = False
        body = None
        request_body = ctx.resolve(raw.get("requestBody"))
        if isinstance(request_body, dict):
            body_required = request_body.get("required") is True
            body = self._media(request_body.get("content"))
        responses: dict[str, ResponseSpec] = {}
        raw_responses = _dict(raw.get("responses"))
        for status, resp in raw_responses.items():
            resp = ctx.resolve(resp)
            if not isinstance(resp, dict):
                continue
            headers = {}
            for hname, hdef in (resp.get("headers") or {}).items() if isinstance(resp.get("headers"), dict) else []:
                hdef = ctx.resolve(hdef)
                if isinstance(hdef, dict):
                    headers[str(hname)] = {
                        "schema": ctx.prepare(hdef.get("schema", {})),
                        "required": hdef.get("required") is True,
                    }
            responses[str(status)] = ResponseSpec(str(status), self._media(resp.get("content")), headers)
        return Route(
            operation_id,
            method.upper(),
            template,
            re.compile(f"^{pattern}$"),
            names,
            params,
            body_required,
            body,
            responses,
            security,
            idempotent,
        )

    def _media(self, content: Any) -> tuple[MediaSpec, ...]:
        if not isinstance(content, dict):
            return ()
        out = []
        for ctype, media in content.items():
            media = media if isinstance(media, dict) else {}
            schema = self.context.prepare(media["schema"]) if isinstance(media.get("schema"), (dict, bool)) else None
            examples: dict[str, Any] = {}
            if "example" in media:
                examples["example"] = media["example"]
            if isinstance(media.get("examples"), dict):
                for name, ex in media["examples"].items():
                    ex = self.context.resolve(ex)
                    if isinstance(ex, dict) and "value" in ex:
                        examples[str(name)] = ex["value"]
            out.append(MediaSpec(str(ctype).lower(), schema, examples))
        return tuple(out)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _base_path(loaded: LoadedSpec) -> str:
    """The path part of the first server URL (variables at their defaults), without a trailing slash."""
    servers = loaded.api.servers
    if not servers:
        return ""
    url = servers[0].url
    for var in servers[0].variables:
        url = url.replace("{" + var.name + "}", var.default)
    path = urllib.parse.urlsplit(url).path if "://" in url else url.split("?")[0]
    path = re.sub(r"\{[^{}]*\}", "x", path)
    return path.rstrip("/")
