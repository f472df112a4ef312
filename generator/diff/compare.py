"""Compare two intermediate models (``ir.Api``) and report findings with oasdiff's rule ids.

Schemas are compared structurally: a ``RefSchema`` is followed into ``Api.schemas`` (with a
cycle guard), so a schema inlined on one side and referenced on the other is the same schema.
Descriptions, examples and key order never produce findings.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from generator import ir
from generator.diff.model import Finding, make
from generator.diff.rules import RULES
from generator.ir.status_errors import exception_name

OLD, NEW = 0, 1
STABILITY_LEVELS = ("draft", "alpha", "beta", "stable")


def _path_key(path: str) -> str:
    """Paths match whatever their parameters are called: ``/a/{id}`` is ``/a/{x}``."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def _parse_sunset(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _fmt(value: Any) -> str:
    return json.dumps(value, default=str)


def _bag(items: Iterable[Any]) -> tuple[Any, ...]:
    """An order-free but count-keeping form of a list of canonical forms."""
    return tuple(sorted(items, key=hash))


def client_call(op: ir.Operation) -> str:
    """How users call the operation: ``client.a.b.method(...)``, with the names the IR gave the client."""
    return "client." + ".".join((*op.group_path, op.python_name)) + "(...)"


@dataclass(frozen=True)
class Where:
    """Where in an operation a schema sits, and how to name it to users."""

    op: ir.Operation
    area: str  # request | response | parameter
    label: str  # "request body", "response 200", "query parameter limit"
    path: tuple[str, ...] = ()  # wire names below the body / parameter
    py_path: tuple[str, ...] = ()  # python names of the same
    model: str = ""  # class of the object holding the last property
    param: ir.Parameter | None = None
    status: str = ""

    @property
    def prefix(self) -> str:
        if self.area == "parameter":
            return "request-parameter-property" if self.path else "request-parameter"
        return f"{self.area}-{'property' if self.path else 'body'}"

    @property
    def location(self) -> str:
        return self.label + (" /" + "/".join(self.path) if self.path else "")

    @property
    def subject(self) -> str:
        """The Python-side name of the thing that changed."""
        call = client_call(self.op)
        if self.area == "parameter" and self.param is not None:
            arg = f"argument `{self.param.python_name}` of {call}"
            return arg + (f" (item `{'.'.join(self.py_path)}`)" if self.py_path else "")
        if self.path:
            owner = f"`{self.model}.{self.py_path[-1]}`" if self.model else f"`{'.'.join(self.py_path)}`"
            side = "request model field" if self.area == "request" else "response model field"
            return f"{side} {owner} ({call})"
        return f"the {'request body' if self.area == 'request' else self.label + ' body'} of {call}"

    def child(self, name: str, py: str, model: str) -> Where:
        return dataclasses.replace(self, path=(*self.path, name), py_path=(*self.py_path, py), model=model)


def type_name(schema: ir.Schema) -> str:
    """The JSON type of a resolved schema, or "" when it has none (any, unions, allOf)."""
    if isinstance(schema, ir.EnumSchema):
        return "" if schema.value_type == "mixed" else schema.value_type
    return {
        ir.StringSchema: "string",
        ir.IntegerSchema: "integer",
        ir.NumberSchema: "number",
        ir.BooleanSchema: "boolean",
        ir.ArraySchema: "array",
        ir.ObjectSchema: "object",
        ir.NullSchema: "null",
    }.get(type(schema), "")


class Differ:
    """Finds the differences between an old and a new API."""

    def __init__(
        self,
        old: ir.Api,
        new: ir.Api,
        *,
        old_file: str = "",
        new_file: str = "",
        deprecation_days: tuple[int, int] | None = None,
        min_stability: str = "draft",
    ) -> None:
        self.apis = (old, new)
        # Operations less stable than this (in the old spec) are not compared at all.
        self.min_stability = STABILITY_LEVELS.index(min_stability)
        # oasdiff's WithDeprecation(beta_days, stable_days): the notice a deprecation must give.
        self.deprecation_days = deprecation_days
        self.files = (old_file, new_file)
        self.schemas = ({s.name: s for s in old.schemas}, {s.name: s for s in new.schemas})
        self.findings: list[Finding] = []
        self._canon_cache: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
        self.today = datetime.now(UTC).date()

    # ---------------------------------------------------------------- plumbing

    @staticmethod
    def _stability_rank(op: ir.Operation) -> int:
        level = op.stability or "stable"
        return STABILITY_LEVELS.index(level) if level in STABILITY_LEVELS else len(STABILITY_LEVELS)

    def notice_days(self, op: ir.Operation) -> int:
        """Days of notice the deprecation policy asks for at this operation's stability (0: no policy)."""
        if self.deprecation_days is None or op.stability in ("draft", "alpha"):
            return 0
        return self.deprecation_days[0] if op.stability == "beta" else self.deprecation_days[1]

    def emit(self, rule: str, op: ir.Operation | None, location: str, message: str, impact: str) -> None:
        if rule not in RULES:
            return
        removed = "removed" in rule
        file = self.files[OLD] if removed else self.files[NEW]
        self.findings.append(
            make(rule, op.key if op else "", op.operation_id if op else "", location, message, impact, file)
        )

    def resolve(self, schema: ir.Schema, side: int) -> tuple[ir.Schema, str]:
        """Follow references; returns the schema and the name of the last component followed."""
        name = ""
        seen: set[str] = set()
        nullable = False
        while isinstance(schema, ir.RefSchema):
            nullable = nullable or schema.nullable
            if schema.name in seen:
                return ir.AnySchema(), name
            seen.add(schema.name)
            target = self.schemas[side].get(schema.name)
            if target is None:
                return ir.AnySchema(), name
            name = target.class_name
            schema = target.schema
        if nullable and not schema.nullable:
            schema = dataclasses.replace(schema, nullable=True)
        return schema, name

    def canon(self, schema: ir.Schema | bool, side: int, stack: tuple[str, ...] = ()) -> Any:
        """A hashable structural form of a schema: equal forms mean no difference worth reporting."""
        if isinstance(schema, bool):
            return schema
        if isinstance(schema, ir.RefSchema):
            name = schema.name
            if name in stack:
                return ("cycle",)
            cache = self._canon_cache[side]
            if name not in cache:
                target = self.schemas[side].get(name)
                cache[name] = ("missing", name) if target is None else self.canon(target.schema, side, (*stack, name))
            form = cache[name]
            if schema.nullable and isinstance(form, tuple) and len(form) > 1 and form[1] is False:
                form = (form[0], True, *form[2:])
            return form
        c = schema.constraints
        head = (
            type(schema).__name__,
            schema.nullable,
            schema.deprecated,
            schema.read_only,
            schema.write_only,
            _fmt(schema.default) if schema.has_default else None,
            dataclasses.astuple(c),
        )
        extra: Any = ()
        if isinstance(schema, ir.EnumSchema):
            extra = (frozenset(_fmt(v) for v in schema.values), schema.value_type)
        elif isinstance(schema, ir.ArraySchema):
            extra = self.canon(schema.items, side, stack)
        elif isinstance(schema, ir.ObjectSchema):
            extra = (
                frozenset((p.name, p.required, self.canon(p.schema, side, stack)) for p in schema.properties),
                self.canon(schema.additional, side, stack),
            )
        elif isinstance(schema, ir.UnionSchema):
            extra = (schema.kind, schema.discriminator, _bag(self.canon(v, side, stack) for v in schema.variants))
        elif isinstance(schema, ir.AllOfSchema):
            extra = _bag(self.canon(p, side, stack) for p in schema.parts)
        return (*head, extra)

    def same(self, old: ir.Schema | None, new: ir.Schema | None) -> bool:
        if old is None or new is None:
            return old is new
        return bool(self.canon(old, OLD) == self.canon(new, NEW))

    # ---------------------------------------------------------------- the API

    def run(self) -> list[Finding]:
        old, new = self.apis
        self.api_level(old, new)
        old_ops = {(o.method, _path_key(o.path)): o for o in old.operations}
        new_ops = {(o.method, _path_key(o.path)): o for o in new.operations}
        new_paths = {_path_key(o.path) for o in new.operations}
        for key, op in old_ops.items():
            if key not in new_ops:
                self.operation_removed(op, path_gone=key[1] not in new_paths)
        for key, op in new_ops.items():
            if key not in old_ops:
                self.emit("endpoint-added", op, "", f"endpoint {op.key} added", f"new method {client_call(op)}")
            elif self._stability_rank(old_ops[key]) >= self.min_stability:
                self.operation(old_ops[key], op)
        return sorted(self.findings, key=lambda f: f.sort_key)

    def api_level(self, old: ir.Api, new: ir.Api) -> None:
        old_sec, new_sec = set(old.security), set(new.security)
        for req in sorted(new_sec - old_sec):
            self.emit(
                "api-global-security-added",
                None,
                "security",
                f"global security requirement {' + '.join(req) or '(none)'} added",
                "the client sends the credentials this requirement names on every call",
            )
        for req in sorted(old_sec - new_sec):
            self.emit(
                "api-global-security-removed",
                None,
                "security",
                f"global security requirement {' + '.join(req) or '(none)'} removed",
                "the client stops requiring those credentials",
            )
        old_schemes = {s.name: s for s in old.security_schemes}
        new_schemes = {s.name: s for s in new.security_schemes}
        for name in sorted(new_schemes.keys() - old_schemes.keys()):
            self.emit(
                "api-security-component-added",
                None,
                f"securitySchemes/{name}",
                f"security scheme {name!r} ({new_schemes[name].type}) added",
                "the client constructor gains a credential argument for it",
            )
        for name in sorted(old_schemes.keys() - new_schemes.keys()):
            self.emit(
                "api-security-component-removed",
                None,
                f"securitySchemes/{name}",
                f"security scheme {name!r} ({old_schemes[name].type}) removed",
                "the client constructor loses the credential argument bound to it",
            )
        for name in sorted(old_schemes.keys() & new_schemes.keys()):
            o, n = old_schemes[name], new_schemes[name]
            if (o.type, o.location, o.parameter_name, o.scheme) != (n.type, n.location, n.parameter_name, n.scheme):
                self.emit(
                    "api-security-component-type-changed",
                    None,
                    f"securitySchemes/{name}",
                    f"security scheme {name!r} changed from {o.type} {o.location or o.scheme or ''} "
                    f"{o.parameter_name or ''} to {n.type} {n.location or n.scheme or ''} {n.parameter_name or ''}",
                    "the client sends the credential differently; regenerate before the change ships",
                )
        old_servers = {s.url: s for s in old.servers}
        new_servers = {s.url: s for s in new.servers}
        for url in new_servers.keys() - old_servers.keys():
            self.emit("api-server-added", None, "servers", f"server {url} added", "new possible base_url")
        for url in old_servers.keys() - new_servers.keys():
            default = " (it was the default base URL)" if old.servers and old.servers[0].url == url else ""
            self.emit(
                "api-server-removed",
                None,
                "servers",
                f"server {url} removed{default}",
                "clients built with this base_url or without one (when it was the default) call a retired host",
            )
        for url in old_servers.keys() & new_servers.keys():
            o_vars = {v.name: v for v in old_servers[url].variables}
            for v in new_servers[url].variables:
                gone = set(o_vars[v.name].enum) - set(v.enum) if v.name in o_vars and v.enum else set()
                if gone:
                    self.emit(
                        "api-server-variable-enum-value-removed",
                        None,
                        f"servers {url} variable {v.name}",
                        f"server variable {v.name} no longer allows {sorted(gone)}",
                        f"clients passing {sorted(gone)} for {v.name} reach an undefined host",
                    )

    # ---------------------------------------------------------------- operations

    def operation_removed(self, op: ir.Operation, *, path_gone: bool) -> None:
        if op.stability in ("draft", "alpha"):
            return  # oasdiff's policy: draft and alpha operations may go without notice
        kind = "api-path-removed" if path_gone else "api-removed"
        impact = f"method {client_call(op)} disappears; calls raise AttributeError"
        if not op.deprecated:
            self.emit(f"{kind}-without-deprecation", op, "", f"{op.key} removed without deprecation", impact)
            return
        sunset = _parse_sunset(op.sunset) if op.sunset else None
        if op.sunset and sunset is None:
            self.emit(
                "api-path-sunset-parse", op, "x-sunset", f"{op.key} removed; sunset {op.sunset!r} is no date", impact
            )
        elif sunset is not None and sunset > self.today:
            self.emit(f"{kind}-before-sunset", op, "", f"{op.key} removed before its sunset {op.sunset}", impact)
        else:
            self.emit(f"{kind}-with-deprecation", op, "", f"deprecated {op.key} removed", impact)

    def operation(self, o: ir.Operation, n: ir.Operation) -> None:
        call = client_call(n)
        self.lifecycle(o, n)
        if o.operation_id != n.operation_id:
            self.emit(
                "api-operation-id-removed",
                n,
                "operationId",
                f"operationId changed from {o.operation_id!r} to {n.operation_id!r}",
                f"method {client_call(o)} is now {call}",
            )
        if (o.group_path, o.python_name) != (n.group_path, n.python_name):
            rule = "api-client-method-renamed" if o.group_path == n.group_path else "api-client-method-moved"
            self.emit(
                rule,
                n,
                "operationId/tags",
                f"client method changed from {client_call(o)} to {call}",
                f"calls to {client_call(o)} raise AttributeError; use {call}",
            )
        for tag in sorted(set(n.tags) - set(o.tags)):
            self.emit("api-tag-added", n, "tags", f"tag {tag!r} added", f"{call}: documentation grouping only")
        for tag in sorted(set(o.tags) - set(n.tags)):
            self.emit("api-tag-removed", n, "tags", f"tag {tag!r} removed", f"{call}: documentation grouping only")
        o_sec, n_sec = set(o.security or ()), set(n.security or ())
        if o.security is not None or n.security is not None:
            for req in sorted(n_sec - o_sec):
                self.emit(
                    "api-security-added",
                    n,
                    "security",
                    f"security requirement {' + '.join(req) or '(none)'} added",
                    f"{call} sends the credentials it names",
                )
            for req in sorted(o_sec - n_sec):
                self.emit(
                    "api-security-removed",
                    n,
                    "security",
                    f"security requirement {' + '.join(req) or '(none)'} removed",
                    f"{call} stops sending those credentials",
                )
        self.parameters(o, n)
        self.request_body(o, n)
        self.responses(o, n)

    def lifecycle(self, o: ir.Operation, n: ir.Operation) -> None:
        call = client_call(n)
        invalid = [v for v in (o.stability, n.stability) if v is not None and v not in STABILITY_LEVELS]
        if invalid:
            self.emit(
                "api-invalid-stability-level",
                n,
                "x-stability-level",
                f"x-stability-level {invalid[0]!r} is not one of {', '.join(STABILITY_LEVELS)}",
                f"{call}: stability unknown",
            )
            return  # as oasdiff: nothing more is said about an operation of unknown stability
        if o.stability != n.stability:
            old_rank = STABILITY_LEVELS.index(o.stability or "stable")
            new_rank = STABILITY_LEVELS.index(n.stability or "stable")
            if new_rank != old_rank:
                word = "decreased" if new_rank < old_rank else "increased"
                self.emit(
                    f"api-stability-{word}",
                    n,
                    "x-stability-level",
                    f"stability {word} from {o.stability or 'stable'} to {n.stability or 'stable'}",
                    f"{call} is now {n.stability or 'stable'}",
                )
        days = self.notice_days(n)
        if not o.deprecated and n.deprecated:
            sunset = _parse_sunset(n.sunset) if n.sunset else None
            if n.sunset is None and days:
                self.emit(
                    "api-deprecated-sunset-missing",
                    n,
                    "x-sunset",
                    f"{n.key} deprecated without a sunset date (policy: {days} days notice)",
                    f"{call} is deprecated with no removal date",
                )
            elif n.sunset is None:
                self.emit("endpoint-deprecated", n, "deprecated", f"{n.key} deprecated", f"{call} is deprecated")
            elif sunset is not None and days and (sunset - self.today).days < days:
                self.emit(
                    "api-sunset-date-too-small",
                    n,
                    "x-sunset",
                    f"sunset {n.sunset} gives less than the {days} days notice the policy asks",
                    f"{call} is deprecated and goes away on {n.sunset}",
                )
            elif sunset is None:
                self.emit(
                    "api-deprecated-sunset-parse",
                    n,
                    "x-sunset",
                    f"{n.key} deprecated with unparseable sunset {n.sunset!r}",
                    f"{call} is deprecated",
                )
            else:
                self.emit(
                    "endpoint-deprecated-with-sunset",
                    n,
                    "deprecated",
                    f"{n.key} deprecated, sunset {n.sunset}",
                    f"{call} is deprecated and goes away after {n.sunset}",
                )
        elif o.deprecated and not n.deprecated:
            self.emit("endpoint-reactivated", n, "deprecated", f"{n.key} no longer deprecated", f"{call} is supported")
        elif o.deprecated and n.deprecated and o.sunset != n.sunset:
            if n.sunset is None:
                self.emit("sunset-deleted", n, "x-sunset", f"sunset {o.sunset} removed", f"{call}: no removal date")
            elif _parse_sunset(n.sunset) is None or (o.sunset is not None and _parse_sunset(o.sunset) is None):
                self.emit(
                    "api-path-sunset-parse",
                    n,
                    "x-sunset",
                    f"sunset changed from {o.sunset!r} to {n.sunset!r}, which does not parse as a date",
                    f"{call}: removal date unknown",
                )

    # ---------------------------------------------------------------- parameters

    def parameters(self, o: ir.Operation, n: ir.Operation) -> None:
        def key(p: ir.Parameter) -> tuple[str, str]:
            return (p.location, p.name.lower() if p.location == "header" else p.name)

        def keyed(op: ir.Operation) -> dict[tuple[str, str], ir.Parameter]:
            # Path parameters match by position in the template, whatever they are called.
            names = re.findall(r"\{([^}]*)\}", op.path)
            return {
                ("path", f"#{names.index(p.name)}") if p.location == "path" and p.name in names else key(p): p
                for p in op.parameters
            }

        old_params = keyed(o)
        new_params = keyed(n)
        call = client_call(n)
        # The same name in another place: reported once, as a move.
        moved = {}
        for k, p in old_params.items():
            if k in new_params or p.location == "path":
                continue
            target = next(
                (
                    nk
                    for nk, np_ in new_params.items()
                    if nk not in old_params and np_.location != p.location and np_.name.lower() == p.name.lower()
                ),
                None,
            )
            if target is not None:
                moved[k] = target
                np_ = new_params[target]
                self.emit(
                    "request-parameter-location-changed",
                    n,
                    f"{np_.location} parameter {np_.name}",
                    f"parameter {p.name!r} moved from {p.location} to {np_.location}",
                    f"{call}: argument `{np_.python_name}` (was `{p.python_name}`) is now sent as a {np_.location} "
                    "parameter; clients generated before the change send it in the wrong place",
                )
        for k, target in moved.items():
            old_params.pop(k)
            new_params.pop(target)
        for k, p in new_params.items():
            if k in old_params:
                continue
            label = f"{p.location} parameter {p.name}"
            if p.location == "path":
                self.emit(
                    "new-request-path-parameter",
                    n,
                    label,
                    f"new path parameter {p.name!r}",
                    f"{call} takes a new required argument `{p.python_name}`",
                )
            elif p.required:
                self.emit(
                    "new-required-request-parameter",
                    n,
                    label,
                    f"new required {p.location} parameter {p.name!r}",
                    f"{call} takes a new required argument `{p.python_name}`; existing calls raise TypeError",
                )
            else:
                self.emit(
                    "new-optional-request-parameter",
                    n,
                    label,
                    f"new optional {p.location} parameter {p.name!r}",
                    f"{call} takes a new optional argument `{p.python_name}`",
                )
        for k, p in old_params.items():
            if k in new_params:
                continue
            label = f"{p.location} parameter {p.name}"
            impact = f"{client_call(o)} loses argument `{p.python_name}`; calls passing it raise TypeError"
            message = f"{p.location} parameter {p.name!r} removed"
            sunset = _parse_sunset(p.sunset) if p.sunset else None
            if not p.deprecated:
                self.emit("request-parameter-removed", n, label, message, impact)
            elif p.sunset and sunset is None:
                self.emit(
                    "request-parameter-sunset-parse", n, label, f"{message}; sunset {p.sunset!r} is no date", impact
                )
            elif sunset is not None and sunset > self.today:
                self.emit("request-parameter-removed-before-sunset", n, label, f"{message} before {p.sunset}", impact)
            else:
                self.emit("request-parameter-removed-with-deprecation", n, label, f"deprecated {message}", impact)
        for k, old_param in old_params.items():
            new_param = new_params.get(k)
            if new_param is not None:
                self.parameter(n, old_param, new_param)

    def parameter(self, op: ir.Operation, o: ir.Parameter, n: ir.Parameter) -> None:
        label = f"{n.location} parameter {n.name}"
        arg = f"argument `{n.python_name}` of {client_call(op)}"
        if o.python_name != n.python_name:
            self.emit(
                "api-client-method-renamed",
                op,
                label,
                f"parameter {o.name!r} renamed to {n.name!r}",
                f"{client_call(op)}: keyword argument `{o.python_name}` is now `{n.python_name}`",
            )
        if not o.required and n.required:
            self.emit(
                "request-parameter-became-required",
                op,
                label,
                f"{label} became required",
                f"{arg} is now required; calls without it raise TypeError",
            )
        elif o.required and not n.required:
            self.emit("request-parameter-became-optional", op, label, f"{label} became optional", f"{arg} is optional")
        if not o.deprecated and n.deprecated and n.sunset is None and self.notice_days(op):
            self.emit(
                "request-parameter-deprecated-sunset-missing",
                op,
                label,
                f"{label} deprecated without a sunset date",
                f"{arg} is deprecated with no removal date",
            )
        elif not o.deprecated and n.deprecated:
            self.emit("request-parameter-deprecated", op, label, f"{label} deprecated", f"{arg} is deprecated")
        elif o.deprecated and not n.deprecated:
            self.emit("request-parameter-reactivated", op, label, f"{label} no longer deprecated", f"{arg} supported")
        elif o.deprecated and n.deprecated and o.sunset != n.sunset:
            if n.sunset is None:
                self.emit(
                    "request-parameter-sunset-deleted", op, label, f"sunset {o.sunset} removed", f"{arg}: no date"
                )
            elif _parse_sunset(n.sunset) is None or (o.sunset is not None and _parse_sunset(o.sunset) is None):
                self.emit(
                    "request-parameter-sunset-parse",
                    op,
                    label,
                    f"sunset changed from {o.sunset!r} to {n.sunset!r}, which does not parse as a date",
                    f"{arg}: removal date unknown",
                )
        where = Where(op, "parameter", label, param=n)
        self.schema(o.schema, n.schema, where, frozenset())

    # ---------------------------------------------------------------- bodies

    def request_body(self, o: ir.Operation, n: ir.Operation) -> None:
        call = client_call(n)
        ob, nb = o.request_body, n.request_body
        if ob is None and nb is None:
            return
        if ob is None and nb is not None:
            rule = "request-body-added-required" if nb.required else "request-body-added-optional"
            req = "required" if nb.required else "optional"
            self.emit(rule, n, "request body", f"{req} request body added", f"{call} takes a {req} `body` argument")
            return
        if nb is None and ob is not None:
            self.emit(
                "request-body-removed",
                n,
                "request body",
                "request body removed",
                f"{call} no longer takes `body`; calls passing it raise TypeError",
            )
            return
        assert ob is not None and nb is not None
        if not ob.required and nb.required:
            self.emit(
                "request-body-became-required",
                n,
                "request body",
                "request body became required",
                f"{call}: `body` is now a required argument",
            )
        elif ob.required and not nb.required:
            self.emit(
                "request-body-became-optional",
                n,
                "request body",
                "request body became optional",
                f"{call}: `body` is now optional",
            )
        old_media = {m.content_type: m for m in ob.content}
        new_media = {m.content_type: m for m in nb.content}
        for ct in new_media.keys() - old_media.keys():
            self.emit(
                "request-body-media-type-added",
                n,
                f"request body ({ct})",
                f"media type {ct} added",
                f"{call}: new accepted content type",
            )
        for ct in old_media.keys() - new_media.keys():
            sent = ob.preferred is not None and ob.preferred.content_type == ct
            self.emit(
                "request-body-media-type-removed",
                n,
                f"request body ({ct})",
                f"media type {ct} removed",
                f"{call}: " + ("the content type it sends is no longer accepted" if sent else "content type dropped"),
            )
        for ct in sorted(old_media.keys() & new_media.keys()):
            om, nm = old_media[ct].schema, new_media[ct].schema
            if om is not None and nm is not None:
                self.schema(om, nm, Where(n, "request", "request body"), frozenset())

    def responses(self, o: ir.Operation, n: ir.Operation) -> None:
        call = client_call(n)
        old_resp = {r.status: r for r in o.responses}
        new_resp = {r.status: r for r in n.responses}
        for status in sorted(new_resp.keys() - old_resp.keys()):
            if status.startswith("2"):
                self.emit(
                    "response-success-status-added",
                    n,
                    f"response {status}",
                    f"success status {status} added",
                    f"{call} may return a {status} response",
                )
            else:
                self.emit(
                    "response-non-success-status-added",
                    n,
                    f"response {status}",
                    f"non-success status {status} added",
                    f"{call} may raise {exception_name(status)} for status {status}",
                )
        for status in sorted(old_resp.keys() - new_resp.keys()):
            if status.startswith("2"):
                self.emit(
                    "response-success-status-removed",
                    n,
                    f"response {status}",
                    f"success status {status} removed",
                    f"{call} no longer returns the {status} response model; code reading it breaks",
                )
            else:
                self.emit(
                    "response-non-success-status-removed",
                    n,
                    f"response {status}",
                    f"non-success status {status} removed",
                    f"{call} no longer documents {exception_name(status)} for {status}",
                )
        for status in sorted(old_resp.keys() & new_resp.keys()):
            ro, rn = old_resp[status], new_resp[status]
            label = f"response {status}"
            old_media = {m.content_type: m for m in ro.content}
            new_media = {m.content_type: m for m in rn.content}
            renamed = self.media_type_renames(
                sorted(old_media.keys() - new_media.keys()), new_media.keys() - old_media.keys()
            )
            for old_ct, (new_ct, rule) in renamed.items():
                self.emit(
                    rule,
                    n,
                    f"{label} ({new_ct})",
                    f"media type {old_ct} renamed to {new_ct} in {label}",
                    f"{call}: still parsed as {'JSON' if 'json' in new_ct else 'raw'}; no code change",
                )
                old_media[new_ct] = old_media.pop(old_ct)
            for ct in sorted(new_media.keys() - old_media.keys()):
                self.emit(
                    "response-media-type-added",
                    n,
                    f"{label} ({ct})",
                    f"media type {ct} added to {label}",
                    f"{call}: {ct} responses parsed as {('JSON' if 'json' in ct else 'raw')}",
                )
            for ct in sorted(old_media.keys() - new_media.keys()):
                self.emit(
                    "response-media-type-removed",
                    n,
                    f"{label} ({ct})",
                    f"media type {ct} removed from {label}",
                    f"{call}: the return type for {status} changes",
                )
            for h in sorted(set(rn.headers) - set(ro.headers)):
                self.emit("response-header-added", n, f"{label} header {h}", f"header {h} added", f"{call}: none")
            for h in sorted(set(ro.headers) - set(rn.headers)):
                self.emit(
                    "optional-response-header-removed",
                    n,
                    f"{label} header {h}",
                    f"header {h} removed from {label}",
                    f"{call}: code reading header {h} finds it missing",
                )
            for ct in sorted(old_media.keys() & new_media.keys()):
                om, nm = old_media[ct].schema, new_media[ct].schema
                if om is not None and nm is not None:
                    self.schema(om, nm, Where(n, "response", label, status=status), frozenset())

    @staticmethod
    def media_type_renames(removed: list[str], added: set[str]) -> dict[str, tuple[str, str]]:
        """Removed media types that reappear under a related name: old → (new, rule id)."""

        def split(ct: str) -> tuple[str, str, str]:
            base, _, params = ct.partition(";")
            kind, _, sub = base.strip().lower().partition("/")
            return kind, sub, params.strip()

        result: dict[str, tuple[str, str]] = {}
        for old_ct in removed:
            ok, osub, _ = split(old_ct)
            for new_ct in sorted(added - {v[0] for v in result.values()}):
                nk, nsub, _ = split(new_ct)
                if ok != nk:
                    continue
                if osub == nsub:
                    result[old_ct] = (new_ct, "response-media-type-name-changed")
                elif nsub.endswith("+" + osub):
                    result[old_ct] = (new_ct, "response-media-type-name-specialized")
                elif osub.endswith("+" + nsub):
                    result[old_ct] = (new_ct, "response-media-type-name-generalized")
                else:
                    continue
                break
        return result

    # ---------------------------------------------------------------- schemas

    def schema(self, o: ir.Schema, n: ir.Schema, w: Where, stack: frozenset[tuple[str, str, str]]) -> None:
        ro, o_name = self.resolve(o, OLD)
        rn, n_name = self.resolve(n, NEW)
        if o_name and n_name:
            guard = (o_name, n_name, w.area + "/".join(w.path[-1:]))
            if guard in stack or len(w.path) > 40:
                return
            stack = stack | {guard}
        if self.same(ro, rn):
            return
        emit = self._emitter(w)
        p = w.prefix
        subj = w.subject
        if ro.nullable != rn.nullable:
            if rn.nullable:
                rule = f"{p}-became-nullable"
                emit(
                    rule,
                    "became nullable (was not nullable)",
                    f"{subj} may now be None" + (" (typed Optional)" * (w.area != "request")),
                )
            else:
                emit(f"{p}-became-not-nullable", "became not nullable (was nullable)", f"{subj} no longer accepts None")
        if w.path and w.area != "parameter":
            self.deprecation(ro, rn, w, emit)
        to, tn = type_name(ro), type_name(rn)
        if to and tn and to != tn:
            if isinstance(rn, ir.EnumSchema) and not isinstance(ro, ir.EnumSchema):
                self.enum(ro, rn, w, emit, o_name)
            self.type_changed(w, to, tn, emit)
            return
        fo, fn = ro.constraints.format, rn.constraints.format
        if to and to == tn and fo and fn and fo != fn:
            self.type_changed(w, f"{to}/{fo}", f"{tn}/{fn}", emit)
        self.enum(ro, rn, w, emit, o_name)
        self.default(ro, rn, w, emit)
        self.constraints(ro.constraints, rn.constraints, w, emit)
        if isinstance(ro, ir.UnionSchema) and isinstance(rn, ir.UnionSchema) and ro.kind == rn.kind:
            self.composite(list(ro.variants), list(rn.variants), ro.kind, w, stack)
        elif isinstance(ro, ir.AllOfSchema) and isinstance(rn, ir.AllOfSchema):
            self.composite(list(ro.parts), list(rn.parts), "allOf", w, stack)
        elif isinstance(ro, ir.ObjectSchema) and isinstance(rn, ir.ObjectSchema):
            self.object(ro, rn, w, n_name or o_name, stack)
        elif isinstance(ro, ir.ArraySchema) and isinstance(rn, ir.ArraySchema):
            # oasdiff reports a parameter's item constraints as the parameter's own.
            items_where = w if w.area == "parameter" else w.child("items", "[]", w.model)
            self.schema(ro.items, rn.items, items_where, stack)
        elif isinstance(ro, ir.UnionSchema) and not isinstance(rn, (ir.UnionSchema, ir.AllOfSchema)):
            # A oneOf left with one variant is that variant in the IR.
            self.composite(list(ro.variants), [rn], ro.kind, w, stack)
        elif isinstance(rn, ir.UnionSchema) and not isinstance(ro, (ir.UnionSchema, ir.AllOfSchema)):
            self.wrapped(ro, rn, w, o_name, stack)

    def wrapped(
        self, ro: ir.Schema, rn: ir.UnionSchema, w: Where, model: str, stack: frozenset[tuple[str, str, str]]
    ) -> None:
        """A plain schema became a union: its type and its properties are now the variants'."""
        emit = self._emitter(w)
        to = type_name(ro)
        if to:
            self.type_changed(w, to, rn.kind, emit)
        if rn.kind == "oneOf":
            emit(f"{w.prefix}-wrapped-in-one-of", "now wrapped in oneOf", f"{w.subject} becomes a union type")
        word = "one-of" if rn.kind == "oneOf" else "any-of"
        for v in rn.variants:
            emit(f"{w.prefix}-{word}-added", f"{rn.kind} subschema {self._label(v, NEW)} added", f"{w.subject}: union")
        if isinstance(ro, ir.ObjectSchema):
            self.object(ro, ir.ObjectSchema(), w, model, stack)

    def _emitter(self, w: Where) -> Callable[[str, str, str], None]:
        def emit(rule: str, message: str, impact: str) -> None:
            self.emit(rule, w.op, w.location, f"{w.location}: {message}", impact)

        return emit

    def type_changed(self, w: Where, to: str, tn: str, emit: Callable[[str, str, str], None]) -> None:
        p = w.prefix
        widen = to == "integer" and tn == "number"
        narrow = to == "number" and tn == "integer"
        msg = f"type changed from {to!r} to {tn!r}"
        impact = f"{w.subject} is retyped from {to} to {tn}"
        if w.area == "response" or (w.area == "parameter" and w.path):
            rule = f"{p}-type-generalized" if widen else f"{p}-type-specialized" if narrow else f"{p}-type-changed"
        else:
            rule = f"{p}-type-generalized" if widen else f"{p}-type-changed"
        emit(rule, msg, impact)

    def enum(
        self, ro: ir.Schema, rn: ir.Schema, w: Where, emit: Callable[[str, str, str], None], enum_class: str = ""
    ) -> None:
        p = w.prefix
        subj = w.subject
        if not isinstance(rn, ir.EnumSchema):
            return
        if not isinstance(ro, ir.EnumSchema):
            rule = f"{p}-became-enum"
            if w.area == "parameter" and w.path and w.param is not None and w.param.location == "header":
                rule = "request-header-property-became-enum"
            if w.area != "response":
                emit(rule, f"became an enum of {list(rn.values)}", f"{subj} now only accepts {list(rn.values)}")
            return
        old_values = [_fmt(v) for v in ro.values]
        new_values = [_fmt(v) for v in rn.values]
        if len(old_values) == len(new_values) == 1 and old_values != new_values:
            # A one-value enum is a const (the IR spells const as an enum).
            emit(
                f"{p}-const-changed",
                f"const changed from {old_values[0]} to {new_values[0]}",
                f"{subj} is now always {new_values[0]} (was {old_values[0]})",
            )
            if f"{p}-const-changed" in RULES:
                return
        for v in new_values:
            if v not in old_values:
                impact = (
                    f"{subj} may now hold {v}, which the generated model rejects (response validation error)"
                    if w.area == "response"
                    else f"{subj} accepts {v}"
                )
                emit(f"{p}-enum-value-added", f"enum value {v} added", impact)
        members = dict(zip(old_values, ro.member_names or (), strict=False))
        for v in old_values:
            if v not in new_values:
                if v in members and enum_class:
                    subj = f"{w.subject} (enum member `{enum_class}.{members[v]}` removed)"
                if w.area == "response":
                    rule = f"{p}-enum-value-removed" if w.path else "response-mediatype-enum-value-removed"
                    emit(rule, f"enum value {v} removed", f"{subj} no longer returns {v}")
                else:
                    emit(f"{p}-enum-value-removed", f"enum value {v} removed", f"{subj} no longer accepts {v}")

    def deprecation(self, ro: ir.Schema, rn: ir.Schema, w: Where, emit: Callable[[str, str, str], None]) -> None:
        subj = w.subject
        if not ro.deprecated and rn.deprecated:
            if rn.sunset is None and self.notice_days(w.op):
                emit(f"{w.prefix}-deprecated-sunset-missing", "deprecated without a sunset date", f"{subj} deprecated")
            elif rn.sunset is None:
                emit(f"{w.prefix}-deprecated", "deprecated", f"{subj} is deprecated")
            elif _parse_sunset(rn.sunset) is None:
                emit(
                    f"{w.prefix}-deprecated-sunset-invalid",
                    f"deprecated with unparseable sunset {rn.sunset!r}",
                    f"{subj} is deprecated",
                )
            else:
                emit(
                    f"{w.prefix}-deprecated-with-sunset",
                    f"deprecated, sunset {rn.sunset}",
                    f"{subj} is deprecated and goes away after {rn.sunset}",
                )
        elif ro.deprecated and not rn.deprecated:
            emit(f"{w.prefix}-reactivated", "no longer deprecated", f"{subj} is supported again")

    def default(self, ro: ir.Schema, rn: ir.Schema, w: Where, emit: Callable[[str, str, str], None]) -> None:
        old = _fmt(ro.default) if ro.has_default else None
        new = _fmt(rn.default) if rn.has_default else None
        if old == new:
            return
        subj = w.subject
        if old is None:
            emit(f"{w.prefix}-default-value-added", f"default {new} added", f"{subj} defaults to {new}")
        elif new is None:
            emit(f"{w.prefix}-default-value-removed", f"default {old} removed", f"{subj} has no default (was {old})")
        else:
            emit(
                f"{w.prefix}-default-value-changed",
                f"default changed from {old} to {new}",
                f"{subj} defaults to {new} instead of {old}; calls relying on the default behave differently",
            )

    def constraints(
        self, co: ir.Constraints, cn: ir.Constraints, w: Where, emit: Callable[[str, str, str], None]
    ) -> None:
        p = w.prefix
        subj = w.subject
        request = w.area != "response"

        def num(name: str, attr: str, upper: bool) -> None:
            o, n = getattr(co, attr), getattr(cn, attr)
            if o == n:
                return
            msg = f"{name} changed from {o} to {n}"
            if request:
                if o is None and n is not None:
                    emit(f"{p}-{name}-set", f"{name} set to {n}", f"{subj}: values beyond {n} now rejected")
                elif o is not None and n is not None:
                    tighter = n < o if upper else n > o
                    word = (
                        ("decreased" if upper else "increased") if tighter else ("increased" if upper else "decreased")
                    )
                    impact = f"{subj}: values allowed before are rejected" if tighter else f"{subj}: accepts more"
                    emit(f"{p}-{name}-{word}", msg, impact)
            else:
                wider = (n is None or n > o) if upper else (n is None or n < o)
                if o is not None and wider:
                    word = "unset" if n is None else ("increased" if upper else "decreased")
                    emit(f"{p}-{name}-{word}", msg, f"{subj}: responses may fall outside the old bounds")

        def count(name: str, attr: str, upper: bool) -> None:
            o, n = getattr(co, attr), getattr(cn, attr)
            if o == n:
                return
            msg = f"{name} changed from {o} to {n}"
            if request:
                if upper:
                    if o is None and n is not None:
                        emit(f"{p}-{name}-set", f"{name} set to {n}", f"{subj}: longer values now rejected")
                    elif o is not None and n is not None:
                        word = "decreased" if n < o else "increased"
                        impact = f"{subj}: values allowed before are rejected" if n < o else f"{subj}: accepts more"
                        emit(f"{p}-{name}-{word}", msg, impact)
                else:
                    if o is None and n is not None and f"{p}-{name}-set" in RULES and name == "min-items":
                        emit(f"{p}-{name}-set", f"{name} set to {n}", f"{subj}: shorter values now rejected")
                        return
                    ov, nv = o or 0, n or 0
                    if ov != nv:
                        word = "increased" if nv > ov else "decreased"
                        impact = f"{subj}: values allowed before are rejected" if nv > ov else f"{subj}: accepts more"
                        emit(f"{p}-{name}-{word}", msg, impact)
            else:
                if upper and o is not None and (n is None or n > o):
                    emit(f"{p}-{name}-{'unset' if n is None else 'increased'}", msg, f"{subj}: may be longer")
                if not upper and o is not None and (n is None or n < o):
                    emit(f"{p}-{name}-{'unset' if n is None else 'decreased'}", msg, f"{subj}: may be shorter")

        num("max", "maximum", True)
        num("min", "minimum", False)
        num("exclusive-max", "exclusive_maximum", True)
        num("exclusive-min", "exclusive_minimum", False)
        count("max-length", "max_length", True)
        count("min-length", "min_length", False)
        count("max-items", "max_items", True)
        count("min-items", "min_items", False)
        po, pn = co.pattern or None, cn.pattern or None
        if po != pn:
            if po is None:
                emit(f"{p}-pattern-added", f"pattern {pn!r} added", f"{subj}: values must match {pn!r}")
            elif pn is None:
                emit(f"{p}-pattern-removed", f"pattern {po!r} removed", f"{subj}: any string accepted")
            elif request and pn in (".*", "^.*$"):
                emit(f"{p}-pattern-generalized", f"pattern {po!r} relaxed to {pn!r}", f"{subj}: any string accepted")
            else:
                emit(
                    f"{p}-pattern-changed",
                    f"pattern changed from {po!r} to {pn!r}",
                    f"{subj}: values must match {pn!r}",
                )

    def composite(
        self, olds: list[ir.Schema], news: list[ir.Schema], kind: str, w: Where, stack: frozenset[tuple[str, str, str]]
    ) -> None:
        olds, news = list(olds), list(news)
        for ov in list(olds):
            if isinstance(ov, ir.RefSchema):
                ref = next((nv for nv in news if isinstance(nv, ir.RefSchema) and nv.name == ov.name), None)
                if ref is not None:
                    olds.remove(ov)
                    news.remove(ref)
                    self.schema(ov, ref, w, stack)
        for ov in list(olds):
            match = next((nv for nv in news if self.same(ov, nv)), None)
            if match is not None:
                olds.remove(ov)
                news.remove(match)
        if len(olds) == len(news) == 1:
            self.schema(olds[0], news[0], w, stack)
            return
        word = {"oneOf": "one-of", "anyOf": "any-of", "allOf": "all-of"}[kind]
        emit = self._emitter(w)
        for nv in news:
            rule = f"{w.prefix}-{word}-added"
            if kind == "allOf" and isinstance(self.resolve(nv, NEW)[0], ir.AnySchema):
                rule += "-annotation-only"
            emit(rule, f"{kind} subschema {self._label(nv, NEW)} added", f"{w.subject}: the union/model changes")
        for ov in olds:
            rule = f"{w.prefix}-{word}-removed"
            if kind == "allOf" and isinstance(self.resolve(ov, OLD)[0], ir.AnySchema):
                rule += "-annotation-only"
            emit(rule, f"{kind} subschema {self._label(ov, OLD)} removed", f"{w.subject}: the union/model changes")

    def _label(self, schema: ir.Schema, side: int) -> str:
        resolved, name = self.resolve(schema, side)
        return name or type_name(resolved) or type(resolved).__name__

    def object(
        self, ro: ir.ObjectSchema, rn: ir.ObjectSchema, w: Where, model: str, stack: frozenset[tuple[str, str, str]]
    ) -> None:
        old_props = {p.name: p for p in ro.properties}
        new_props = {p.name: p for p in rn.properties}
        area = w.area

        def skip(prop: ir.Property, side: int) -> bool:
            resolved = self.resolve(prop.schema, side)[0]
            return (area != "response" and resolved.read_only) or (area == "response" and resolved.write_only)

        for name, prop in new_props.items():
            if name in old_props or skip(prop, NEW):
                continue
            cw = w.child(name, prop.python_name, model)
            emit = self._emitter(cw)
            field = f"`{model}.{prop.python_name}`" if model else f"`{prop.python_name}`"
            has_default = self.resolve(prop.schema, NEW)[0].has_default
            if area == "request":
                if prop.required:
                    rule = "new-required-request-property" + ("-with-default" if has_default else "")
                    emit(
                        rule,
                        "new required property",
                        f"{client_call(w.op)}: request model gains required field {field}; "
                        "code building the model without it fails validation",
                    )
                else:
                    emit("new-optional-request-property", "new optional property", f"new optional field {field}")
            elif area == "response":
                rule = "response-required-property-added" if prop.required else "response-optional-property-added"
                emit(rule, f"new {'required' if prop.required else 'optional'} property", f"new field {field}")
            elif w.param is not None and w.param.location == "header" and prop.required:
                emit("new-required-request-header-property", "new required property", f"{cw.subject} is required")
        for name, prop in old_props.items():
            if name in new_props or skip(prop, OLD):
                continue
            cw = w.child(name, prop.python_name, model)
            emit = self._emitter(cw)
            field = f"`{model}.{prop.python_name}`" if model else f"`{prop.python_name}`"
            if area == "request":
                emit(
                    "request-property-removed",
                    "property removed",
                    f"{client_call(w.op)}: model field {field} removed; code setting it fails",
                )
            elif area == "response":
                rule = "response-required-property-removed" if prop.required else "response-optional-property-removed"
                emit(
                    rule, "property removed", f"{client_call(w.op)}: model field {field} removed; code reading it fails"
                )
        for name, op_ in old_props.items():
            np_ = new_props.get(name)
            if np_ is None:
                continue
            cw = w.child(name, np_.python_name, model)
            emit = self._emitter(cw)
            if op_.required != np_.required and not skip(np_, NEW):
                if area == "request":
                    if np_.required:
                        default = self.resolve(np_.schema, NEW)[0].has_default
                        rule = "request-property-became-required" + ("-with-default" if default else "")
                        emit(
                            rule,
                            "became required (was optional)",
                            f"{cw.subject} is now required; omitting it fails validation",
                        )
                    else:
                        emit(
                            "request-property-became-optional",
                            "became optional (was required)",
                            f"{cw.subject} is now optional",
                        )
                elif area == "response":
                    if np_.required:
                        emit(
                            "response-property-became-required",
                            "became required (was optional)",
                            f"{cw.subject} always present",
                        )
                    else:
                        emit(
                            "response-property-became-optional",
                            "became optional",
                            f"{cw.subject} is now Optional (may be None); code assuming a value breaks",
                        )
                elif w.param is not None and w.param.location == "header" and np_.required:
                    emit(
                        "request-header-property-became-required",
                        "became required (was optional)",
                        f"{cw.subject} required",
                    )
            self.schema(op_.schema, np_.schema, cw, stack)
        ao, an = ro.additional, rn.additional
        if not isinstance(ao, bool) and not isinstance(an, bool):
            self.schema(ao, an, w.child("additionalProperties", "[*]", model), stack)


def diff_apis(
    old: ir.Api,
    new: ir.Api,
    *,
    old_file: str = "",
    new_file: str = "",
    deprecation_days: tuple[int, int] | None = None,
    min_stability: str = "draft",
) -> list[Finding]:
    """Every finding between two APIs, grouped by operation, most severe first."""
    differ = Differ(
        old, new, old_file=old_file, new_file=new_file, deprecation_days=deprecation_days, min_stability=min_stability
    )
    return differ.run()
