"""What the rule families share: the two APIs, where a schema sits, structural schema identity.

Schemas are compared structurally: a ``RefSchema`` is followed into ``Api.schemas`` (with a
cycle guard), so a schema inlined on one side and referenced on the other is the same schema.
Descriptions, examples and key order never produce findings.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from generator import ir
from generator.diff.checks.cycles import Cycles
from generator.diff.checks.memo import Memo
from generator.diff.model import Finding, make
from generator.diff.rules import RULES
from generator.errors import unescape_pointer_token

OLD, NEW = 0, 1
NO_DEPTH = 1 << 30
# Webhook operations are modelled as operations at "webhook:<name>" (see inputs.load_side).
WEBHOOK_PATH_PREFIX = "webhook:"
STABILITY_LEVELS = ("draft", "alpha", "beta", "stable")


def too_close(d: DiffContext, op: ir.Operation, sunset: str | None) -> bool:
    """Whether a sunset gives less notice than the deprecation policy asks for this operation."""
    days = d.notice_days(op)
    when = parse_sunset(sunset) if sunset else None
    return bool(days and when is not None and (when - d.today).days < days)


def earlier_and_too_close(d: DiffContext, op: ir.Operation, old: str | None, new: str | None) -> bool:
    """A sunset moved earlier, to a date closer than the policy allows."""
    before, after = (parse_sunset(old) if old else None), (parse_sunset(new) if new else None)
    return before is not None and after is not None and after < before and too_close(d, op, new)


def path_key(path: str) -> str:
    """Paths match whatever their parameters are called: ``/a/{id}`` is ``/a/{x}``."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def parse_sunset(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def fmt(value: Any) -> str:
    return json.dumps(value, default=str)


def bag(items: Iterable[Any]) -> tuple[Any, ...]:
    """An order-free but count-keeping form of a list of canonical forms."""
    return tuple(sorted(items, key=hash))


def client_call(op: ir.Operation) -> str:
    """How users call the operation: ``client.a.b.method(...)``, with the names the IR gave the client."""
    return "client." + ".".join((*op.group_path, op.python_name)) + "(...)"


class Lead(enum.Enum):
    """How an impact's text begins when it names the place it is reported at."""

    SUBJECT = "subject"  # the place's Python-side name (``Where.subject``)
    CALL = "call"  # the operation's client call (``client_call``)


SUBJECT, CALL = Lead.SUBJECT, Lead.CALL
# What a change does to the client: a text, or (lead, rest) for a text that begins by naming the place. The name
# is kept apart so that a change found once below a component is reported at each place using it (memo.py).
Impact = str | tuple[Lead, str]
# How a place was derived from the one above it: ("child", name, python name, model), ("items", suffix) or
# ("access", access). Replayed from another place, the same steps give the place the same change has there.
Step = tuple[str, ...]
# The reporting function of one place (``DiffContext.emitter``): emit(rule, message, impact).
Emit = Callable[[str, str, Impact], None]


@dataclass(frozen=True, slots=True)
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
    media: str = ""  # the body's media type
    # "read-only" below a read-only request property, "write-only" below a write-only response one: where oasdiff
    # has a variant for such a property (request-read-only-property-max-decreased...), it is used instead.
    access: str = ""
    # ``subject`` once worked out: the checks of one place each ask for it.
    _subject: str | None = dataclasses.field(default=None, init=False, repr=False, compare=False)
    parent: Where | None = dataclasses.field(default=None, repr=False, compare=False)  # derived from it by:
    step: Step = dataclasses.field(default=(), repr=False, compare=False)

    @property
    def prefix(self) -> str:
        """The rule-id prefix of a change here (``request-property``, ``response-body``...)."""
        if self.area == "parameter":
            return "request-parameter-property" if self.path else "request-parameter"
        return f"{self.area}-{'property' if self.path else 'body'}"

    @property
    def location(self) -> str:
        return self.label + (" /" + "/".join(self.path) if self.path else "")

    @property
    def subject(self) -> str:
        """The Python-side name of the thing that changed."""
        subject = self._subject
        if subject is None:
            subject = self._name()
            object.__setattr__(self, "_subject", subject)  # frozen: a cache, not a change of value
        return subject

    def _name(self) -> str:
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
        """A property below this place, held by the class ``model``."""
        # Built directly: this runs once per compared property, and dataclasses.replace is slow.
        return Where(
            self.op, self.area, self.label, (*self.path, name), (*self.py_path, py), model, self.param, self.status,
            self.media, self.access, self, ("child", name, py, model),
        )  # fmt: skip

    def items(self, suffix: str = "[]") -> Where:
        """The items of the array here (``permissions[]``), or with ``[*]`` the values of the map here."""
        last, last_py = (self.path[-1], self.py_path[-1]) if self.path else ("", "")
        return Where(
            self.op, self.area, self.label, (*self.path[:-1], last + suffix), (*self.py_path[:-1], last_py + suffix),
            self.model, self.param, self.status, self.media, self.access, self, ("items", suffix),
        )  # fmt: skip

    def with_access(self, access: str) -> Where:
        """This place below a read-only (request) or write-only (response) property."""
        return Where(
            self.op, self.area, self.label, self.path, self.py_path, self.model, self.param, self.status, self.media,
            access, self, ("access", access),
        )  # fmt: skip

    def then(self, step: Step) -> Where:
        """The place ``step`` leads to from here."""
        kind = step[0]
        if kind == "child":
            return self.child(step[1], step[2], step[3])
        if kind == "items":
            return self.items(step[1])
        return self.with_access(step[1])


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


class DiffContext:
    """What every rule family reads and writes: both APIs, the options, and the findings so far."""

    def __init__(
        self,
        old: ir.Api,
        new: ir.Api,
        *,
        old_file: str = "",
        new_file: str = "",
        deprecation_days: tuple[int, int] | None = None,
        min_stability: str = "draft",
        declared: frozenset[str] = frozenset(),
        no_rule: frozenset[str] = frozenset(),
        invented_ids: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
        documents: tuple[dict[str, Any], dict[str, Any]] = ({}, {}),
        component_schemas: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
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
        self._inline_cache: tuple[dict[int, tuple[Any, int]], dict[int, tuple[Any, int]]] = ({}, {})
        self._interned: dict[tuple[Any, ...], int] = {}
        self._cycles: Cycles | None = None  # worked out when structural identity first meets a cycle
        self._expanding: tuple[set[str], set[str]] = (set(), set())  # components being expanded, per side
        self._forms: list[tuple[Any, ...]] = []
        self.today = datetime.now(UTC).date()
        self.declared = declared
        self.no_rule = no_rule
        # "METHOD /path" of operations each spec left without an operationId (the loader invented one).
        self.invented = invented_ids
        # The normalized documents, for what the intermediate model does not keep (checks/keywords.py).
        self.documents = documents
        self.component_schemas = component_schemas  # the schema names each file declares (before normalizing)
        # (id(old node), id(new node)) → whether the raw subtrees are the same, $refs followed (keywords.py).
        self.raw_same: dict[tuple[int, int], bool] = {}
        self.raw_pending: dict[tuple[int, int], int] = {}  # comparisons in progress, by depth
        self.raw_low = NO_DEPTH  # shallowest in-progress comparison the current one assumed
        # (id(old node), id(new node)) → whether the keyword family can report nothing below them (keywords.py).
        self.raw_quiet: dict[tuple[int, int], bool] = {}
        # id(raw response) -> (it, its headers resolved), per side (responses.py; the node is kept, so its id is too).
        self.raw_headers: tuple[dict[int, tuple[Any, Any]], dict[int, tuple[Any, Any]]] = ({}, {})
        # Local $ref -> what it names, per side (the documents do not change during a diff).
        self._ref_targets: tuple[dict[str, Any], dict[str, Any]] = ({}, {})
        # What the walk below a pair of components reports, for every other place that walks it (memo.py).
        self.memo = Memo()

    # ---------------------------------------------------------------- plumbing

    @staticmethod
    def stability_rank(op: ir.Operation) -> int:
        level = op.stability or "stable"
        return STABILITY_LEVELS.index(level) if level in STABILITY_LEVELS else len(STABILITY_LEVELS)

    def notice_days(self, op: ir.Operation) -> int:
        """Days of notice the deprecation policy asks for at this operation's stability (0: no policy)."""
        if self.deprecation_days is None or op.stability in ("draft", "alpha"):
            return 0
        return self.deprecation_days[0] if op.stability == "beta" else self.deprecation_days[1]

    def emit(
        self,
        rule: str,
        op: ir.Operation | None,
        location: str,
        message: str,
        impact: str,
        *,
        schema: str = "",
        field: str = "",
    ) -> None:
        """Record a finding; an id no rule family declares is a bug, never dropped silently."""
        if rule not in self.declared:
            if rule in self.no_rule:
                return  # a change in an area oasdiff has no rule for (e.g. request-body-min-items-decreased)
            raise UndeclaredRuleError(rule)
        removed = "removed" in rule
        file = self.files[OLD] if removed else self.files[NEW]
        key, op_id = (op.key, op.operation_id) if op else ("", "")
        # make() and dataclasses.replace(finding, schema=..., field=...) in one step: this runs once per finding.
        self.findings.append(
            Finding(rule, RULES[rule], key, op_id, location, message, impact, file, schema=schema, field=field)
            if schema
            else make(rule, key, op_id, location, message, impact, file)
        )

    def resolve(self, schema: ir.Schema, side: int) -> tuple[ir.Schema, str]:
        """Follow references; returns the schema and the name of the last component followed."""
        if not isinstance(schema, ir.RefSchema):
            return schema, ""
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

    def _intern(self, form: tuple[Any, ...]) -> int:
        """One small int per distinct structural form, shared by both sides: parents hold ints, not trees."""
        number = self._interned.get(form)
        if number is None:
            number = self._interned[form] = len(self._forms)
            self._forms.append(form)
        return number

    def canon(self, schema: ir.Schema | bool, side: int) -> int:
        """The structural identity of a schema: equal numbers mean no difference worth reporting.

        A reference stands for its target's structure; one to a component on a reference cycle stands for
        the component's name, and differs between the sides when anything it reaches does (``cycles.py``).
        """
        # Most calls ask again about an inline schema already numbered (references and booleans are never
        # in this cache): answer those first.
        cached = self._inline_cache[side].get(id(schema))
        if cached is not None and cached[0] is schema:
            return cached[1]
        if isinstance(schema, bool):
            return self._intern(("bool", schema))
        if isinstance(schema, ir.RefSchema):
            cache = self._canon_cache[side]
            number = cache.get(schema.name)
            if number is None:
                number = cache[schema.name] = self._component(schema.name, side)
            if schema.nullable:
                form = self._forms[number]
                if len(form) > 1 and form[1] is False:
                    number = self._intern((form[0], True, *form[2:]))
            return number
        result = self._intern(self._form(schema, side, self.canon))
        # Keyed by identity, holding the schema so that its id cannot be reused while cached.
        self._inline_cache[side][id(schema)] = (schema, result)
        return result

    def _component(self, name: str, side: int) -> int:
        """The structural identity of the component ``name``."""
        target = self.schemas[side].get(name)
        if target is None:
            return self._intern(("missing", name))
        cycles = self._cycles
        expanding = self._expanding[side]
        if cycles is None and name in expanding:
            # Back at a component being expanded: the first cycle met. Every expansion finished so far met
            # none (a component on a cycle cannot be expanded without coming back to itself).
            cycles = self._cycles = Cycles(self.schemas, self._written_differently)
        if cycles is not None and name in cycles.on_cycle[side]:
            return self._on_cycle(name, side)
        assert name not in expanding, "cycles.refs_below and _form must follow the same subschemas"
        expanding.add(name)
        try:
            number = self.canon(target.schema, side)
        finally:
            expanding.discard(name)
        # The expansion may have met the first cycle, this component on it: then it stands for its name.
        cycles = self._cycles
        return self._on_cycle(name, side) if cycles is not None and name in cycles.on_cycle[side] else number

    def _on_cycle(self, name: str, side: int) -> int:
        """A component on a reference cycle: its name, and the side when anything it reaches differs."""
        assert self._cycles is not None
        # [1] is the nullability, as in every form.
        return self._intern(("cycle", False, name, side if self._cycles.reaches_difference(name) else -1))

    def _written_differently(self, name: str) -> bool:
        """Whether component ``name`` differs between the sides, its references compared by name."""
        found = [self.schemas[side].get(name) for side in (OLD, NEW)]
        if found[0] is None or found[1] is None:
            return True
        return self._by_name(found[0].schema, OLD) != self._by_name(found[1].schema, NEW)

    def _by_name(self, schema: ir.Schema | bool, side: int) -> int:
        """The structure of a schema with its references left as names (what ``_written_differently`` compares)."""
        if isinstance(schema, bool):
            return self._intern(("bool", schema))
        if isinstance(schema, ir.RefSchema):
            return self._intern(("ref", schema.name, schema.nullable))
        return self._intern(self._form(schema, side, self._by_name))

    def _form(self, schema: ir.Schema, side: int, child: Callable[[ir.Schema | bool, int], int]) -> tuple[Any, ...]:
        """What structural identity reads of one schema, its subschemas numbered by ``child``."""
        extra: Any = ()  # what only some kinds have
        if isinstance(schema, ir.ObjectSchema):
            extra = (
                frozenset((p.name, p.required, child(p.schema, side)) for p in schema.properties),
                child(schema.additional, side),
            )
        elif isinstance(schema, ir.ArraySchema):
            extra = child(schema.items, side)
        elif isinstance(schema, ir.EnumSchema):
            extra = (frozenset(fmt(v) for v in schema.values), schema.value_type)
        elif isinstance(schema, ir.UnionSchema):
            # A variant that is a component keeps its name: the client types the union by those classes.
            extra = (
                schema.kind,
                schema.discriminator,
                bag(child(v, side) for v in schema.variants),
                frozenset(v.name for v in schema.variants if isinstance(v, ir.RefSchema)),
            )
        elif isinstance(schema, ir.AllOfSchema):
            extra = bag(child(p, side) for p in schema.parts)
        return (
            type(schema).__name__,
            schema.nullable,  # at [1]: a nullable reference re-interns its target's form with it set
            schema.deprecated,
            schema.read_only,
            schema.write_only,
            fmt(schema.default) if schema.has_default else None,
            schema.constraints,  # frozen dataclass: compared and hashed by its fields
            extra,
        )

    def same(self, old: ir.Schema | None, new: ir.Schema | None) -> bool:
        if old is None or new is None:
            return old is new
        return self.canon(old, OLD) == self.canon(new, NEW)

    # ---------------------------------------------------------------- the API

    def emitter(self, w: Where) -> Emit:
        """An ``emit(rule, message, impact)`` bound to one place in one operation."""

        # A change to a model's field is also named by model and field, to group it across operations.
        schema, field = (w.model, w.py_path[-1]) if w.model and w.path else ("", "")

        def emit(rule: str, message: str, impact: Impact) -> None:
            self.memo.note(w, rule, message, impact)
            if w.access and w.path:
                variant = rule.replace(f"{w.area}-property-", f"{w.area}-{w.access}-property-", 1)
                rule = variant if variant in RULES else rule
            if not isinstance(impact, str):
                lead, rest = impact
                impact = (w.subject if lead is SUBJECT else client_call(w.op)) + rest
            self.emit(rule, w.op, w.location, f"{w.location}: {message}", impact, schema=schema, field=field)

        return emit

    def follow(self, node: Any, side: int) -> Any:
        """A node of a normalized document with its local ``$ref``s followed; None where one does not resolve."""
        if not isinstance(node, dict) or "$ref" not in node:
            return node
        for _ in range(32):
            if not isinstance(node, dict) or "$ref" not in node:
                return node
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                return None
            targets = self._ref_targets[side]
            if ref not in targets:
                targets[ref] = self._target(ref, side)
            node = targets[ref]
        return None

    def _target(self, ref: str, side: int) -> Any:
        """What a local ``$ref`` names in a document (one step, not followed further); None when nothing."""
        target: Any = self.documents[side]
        for token in ref[2:].split("/"):
            token = unescape_pointer_token(token)
            if not isinstance(target, dict) or token not in target:
                return None
            target = target[token]
        return target

    def raw_operation(self, op: ir.Operation, side: int) -> dict[str, Any] | None:
        """The operation as the normalized document writes it (for what the intermediate model drops)."""
        paths = self.documents[side].get("paths")
        item = self.follow(paths.get(op.path), side) if isinstance(paths, dict) else None
        found = item.get(op.method.lower()) if isinstance(item, dict) else None
        return found if isinstance(found, dict) else None


class UndeclaredRuleError(Exception):
    """A check emitted a rule id that its family does not declare (or that the rule table lacks)."""

    def __init__(self, rule: str) -> None:
        super().__init__(f"rule id {rule!r} is not declared by any rule family in generator/diff/checks/")
        self.rule = rule


def combinations(prefixes: tuple[str, ...], suffixes: tuple[str, ...]) -> frozenset[str]:
    """Every ``prefix-suffix`` id a family's checks can form, whether or not oasdiff defines it."""
    return frozenset(f"{p}-{s}" for p in prefixes for s in suffixes)


def family(prefixes: tuple[str, ...], suffixes: tuple[str, ...]) -> frozenset[str]:
    """The ids ``prefix-suffix`` that oasdiff defines: a family emits only those of the product that exist."""
    return frozenset(f"{p}-{s}" for p in prefixes for s in suffixes if f"{p}-{s}" in RULES)


SCHEMA_PREFIXES = (
    "request-body", "request-property", "response-body", "response-property", "request-parameter",
    "request-parameter-property", "request-read-only-property", "response-write-only-property",
)  # fmt: skip
