"""Every client-impact sentence the diff writes, checked against the two clients it speaks of.

Each finding's ``impact`` is matched to one sentence family in ``FAMILIES`` (a table of the
templates the checks in ``generator/diff/checks/`` emit, grouped by what they claim). The cases
below are spec pairs; both versions are rendered by the real generator, both packages are
imported, and each finding's family checks its claim on them: a method or an argument that is
gone really is (and calls fail against a loopback mock of the spec), a model that "rejects"
a value really rejects it, a change said to do nothing to the client leaves its code as it was.

The guards, so that a new sentence cannot ship unchecked:
- every impact template the checks can write is read from their source (``impact_templates``),
  and each must be written by a case (``UNREACHABLE`` lists, with the reason, the ones no valid
  pair of specs produces);
- every sentence of the table is matched by a finding of some case (so it is checked);
- every impact, over the cases and over all of oasdiff's pairs in ``../shared/diff-oracle``,
  matches exactly one family.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import enum
import functools
import importlib
import inspect
import json
import re
import sys
import textwrap
import typing
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import pydantic
import pytest
import yaml

from generator.diff.compare import diff_sides
from generator.diff.inputs import load_side
from generator.diff.model import Finding
from generator.mock import MockServer, Reply
from generator.pipeline import generate
from generator.spec.config import load_config

SHARED = next(
    (p / "shared" for p in Path(__file__).resolve().parents if (p / "shared" / "diff-oracle").is_dir()),
    Path(__file__).resolve().parents[2].parent / "shared",
)
ORACLE = SHARED / "diff-oracle"
PACKAGE = "api"
UNREACHABLE = "http://127.0.0.1:9"  # for calls that must fail before any request is sent

# ---------------------------------------------------------------- the two generated clients


@dataclass
class Pair:
    """One case rendered: both packages imported, both spec folders, and the diff between them."""

    name: str
    old: Any  # the generated package of the old spec
    new: Any
    dirs: tuple[Path, Path]  # spec folders (openapi.yaml + vendor.yaml)
    outs: tuple[Path, Path]  # generated packages
    findings: list[Finding]
    case: Case

    def side(self, new: bool) -> Any:
        return self.new if new else self.old

    def spec(self, new: bool) -> Path:
        return self.dirs[new] / "openapi.yaml"


def client(pkg: Any, base_url: str = UNREACHABLE, **kwargs: Any) -> Any:
    """A sync client of a generated package, with no retries (a failing call fails once)."""
    return pkg.Client(base_url=base_url, max_retries=0, **kwargs)


def method(pkg: Any, dotted: str, base_url: str = UNREACHABLE, **kwargs: Any) -> Any:
    """``client.a.b`` of a generated package; AttributeError when a name on the way is missing."""
    target = client(pkg, base_url, **kwargs)
    for part in dotted.split("."):
        target = getattr(target, part)
    return target


def has_method(pkg: Any, dotted: str) -> bool:
    try:
        method(pkg, dotted)
    except AttributeError:
        return False
    return True


def methods_for(pkg: Any, key: str) -> set[str]:
    """The client methods whose docstring says they call ``key`` ("GET /things"), found by walking the client."""
    found: set[str] = set()

    def walk(obj: Any, prefix: str, depth: int) -> None:
        for name in dir(obj):
            if name.startswith("_") or name in ("with_raw_response", "with_streaming_response") or depth > 4:
                continue
            value = getattr(obj, name)
            if inspect.ismethod(value) and f"``{key}``" in (value.__doc__ or ""):
                found.add(prefix + name)
            elif type(value).__name__.endswith("Resource"):
                walk(value, f"{prefix}{name}.", depth + 1)

    walk(client(pkg), "", 0)
    return found


def signature(pkg: Any, dotted: str) -> inspect.Signature:
    return inspect.signature(method(pkg, dotted))


def model(pkg: Any, name: str) -> type[pydantic.BaseModel]:
    cls = getattr(pkg.models, name)
    assert isinstance(cls, type) and issubclass(cls, pydantic.BaseModel), name
    return cls


def field_adapter(pkg: Any, model_name: str, field_name: str) -> pydantic.TypeAdapter[Any]:
    """A validator for one field of a model, constraints included (``tags[]``: one item of it)."""
    base = field_name.split("[")[0]
    info = model(pkg, model_name).model_fields[base]
    tp: Any = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    return pydantic.TypeAdapter(tp)


def validates(adapter: pydantic.TypeAdapter[Any], value: Any, field_name: str) -> bool:
    """Whether a JSON value validates (strictly, as requests are built); ``x[]`` wraps the value in a list."""
    for suffix in re.findall(r"\[\*?\]", field_name)[::-1]:
        value = [value] if suffix == "[]" else {"k": value}
    try:
        adapter.validate_json(json.dumps(value))
    except pydantic.ValidationError:
        return False
    return True


def package_sources(out: Path) -> dict[str, str]:
    """The generated package's files, without the manifest (it hashes the spec, which changed)."""
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "MANIFEST.json" and "__pycache__" not in p.parts
    }


def without_docs(source: str) -> str:
    """A module's code with docstrings dropped: what differs beyond it is more than documentation."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body:
            # Docstrings, and attribute docstrings (a string statement after a field), are documentation.
            kept = [s for s in body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            body[:] = kept or [ast.Pass()]
    return ast.dump(tree)


class Loopback:
    """A mock of one spec on 127.0.0.1 (``generator.mock``): it answers from the spec and checks requests."""

    def __init__(self, spec: Path) -> None:
        self.mock = MockServer(spec).start()
        self.mock.default_reply = None

    def __enter__(self) -> Loopback:
        return self

    def __exit__(self, *exc: object) -> None:
        self.mock.stop()

    @property
    def url(self) -> str:
        return self.mock.url

    def violations(self) -> list[str]:
        return [v for r in self.mock.requests for v in r.violations]


def sample(parameter: inspect.Parameter) -> Any:
    """A value for a required argument, from its annotation (the cases keep those simple)."""
    text = str(parameter.annotation)
    return 1 if text.startswith("int") else True if text.startswith("bool") else "x1"


def call_kwargs(pair: Pair, dotted: str, new: bool = False) -> dict[str, Any]:
    """Arguments that make a good call of ``dotted`` on one side: the case's, else one per required argument."""
    given = dict((pair.case.calls_new if new else {}).get(dotted, pair.case.calls.get(dotted, {})))
    for name, p in signature(pair.side(new), dotted).parameters.items():
        if p.default is inspect.Parameter.empty and p.kind is not p.VAR_KEYWORD and name not in given:
            given[name] = sample(p)
    return given


def works_on_old(pair: Pair, dotted: str, kwargs: dict[str, Any]) -> None:
    """The call succeeds on the old client against a loopback mock of the old spec, and sends nothing wrong."""
    with Loopback(pair.spec(False)) as server:
        method(pair.old, dotted, server.url)(**kwargs)
        assert server.violations() == []


# ---------------------------------------------------------------- the claims, checked


@dataclass
class Check:
    """One finding to check: its family's match, the rendered pair, and the case's witness values."""

    finding: Finding
    groups: dict[str, str]
    pair: Pair

    @property
    def call(self) -> str:
        """The dotted client method the sentence names (``things.list_things``)."""
        named = [self.groups[k] for k in ("call", "call1", "call2", "call3", "call4") if self.groups.get(k)]
        if named:
            return named[0]
        # A sentence that names no method is about the finding's operation: its method, found by docstring.
        found = methods_for(self.pair.new, self.finding.operation) or methods_for(self.pair.old, self.finding.operation)
        assert len(found) == 1, f"{self.finding.operation}: methods {found}"
        return found.pop()

    def key(self) -> str:
        return f"{self.finding.id} {self.finding.location}"

    def has_witness(self) -> bool:
        return self.key() in self.pair.case.witness or self.finding.id in self.pair.case.witness

    def witness(self) -> Any:
        """The case's value for this finding (by "rule location", else by rule id)."""
        w = self.pair.case.witness
        for key in (self.key(), self.finding.id):
            if key in w:
                return w[key]
        raise AssertionError(f"case {self.pair.name} gives no witness for {self.finding.id} at {self.finding.location}")

    def subject_adapter(self, new: bool) -> tuple[pydantic.TypeAdapter[Any], str]:
        """A validator for what the sentence's subject names, on one side, and the item path (``x[]``)."""
        g, pkg = self.groups, self.pair.side(new)
        if g.get("field"):
            return field_adapter(pkg, self.model_name(new), g["field"]), g["field"]
        if g.get("arg"):
            p = signature(pkg, self.call).parameters[g["arg"]]
            hints = inspect.get_annotations(method(pkg, self.call).__func__, eval_str=True)
            item = g.get("item") or ""
            return pydantic.TypeAdapter(hints[p.name]), item
        raise AssertionError(f"no field or argument in {self.finding.impact!r}")

    def model_name(self, new: bool) -> str:
        """The class holding the sentence's field; the keyword family names a top-level field without it."""
        if self.groups.get("model"):
            return self.groups["model"]
        pkg, field_name = self.pair.side(new), self.groups["field"].split("[")[0]
        returned = str(inspect.get_annotations(method(pkg, self.call).__func__)["return"])
        return next(m for m in re.findall(r"models\.(\w+)", returned) if field_name in model(pkg, m).model_fields)

    def names_are_real(self) -> None:
        """The method, argument or model field the sentence names exists in the client it is about."""
        g = self.groups
        if not any(g.get(k) for k in ("call", "call1", "call2", "call3", "call4")):
            return
        side = self.pair.new if has_method(self.pair.new, self.call) else self.pair.old
        assert has_method(side, self.call), f"neither client has {self.call}"
        if g.get("arg"):
            sides = [p for p in (self.pair.old, self.pair.new) if has_method(p, self.call)]
            assert any(g["arg"] in signature(p, self.call).parameters for p in sides), (g["arg"], self.call)
        if g.get("model"):
            holders = [getattr(p.models, g["model"], None) for p in (self.pair.old, self.pair.new)]
            fields = [set(h.model_fields) for h in holders if isinstance(h, type) and issubclass(h, pydantic.BaseModel)]
            assert any(g["field"].split("[")[0] in f for f in fields), f"no field {g['model']}.{g['field']}"
        assert f"``{self.finding.operation}``" in (method(side, self.call).__doc__ or ""), (
            f"{self.call} is not the method of {self.finding.operation}"
        )


def _method_gone(c: Check) -> None:
    assert has_method(c.pair.old, c.call)
    with pytest.raises(AttributeError):
        method(c.pair.new, c.call)
    works_on_old(c.pair, c.call, call_kwargs(c.pair, c.call))


def _method_renamed(c: Check) -> None:
    old_call, new_call = c.groups["call1"], c.groups["call2"]
    assert old_call != new_call
    assert methods_for(c.pair.old, c.finding.operation) == {old_call}
    assert methods_for(c.pair.new, c.finding.operation) == {new_call}
    with pytest.raises(AttributeError):
        method(c.pair.new, old_call)
    works_on_old(c.pair, old_call, call_kwargs(c.pair, old_call))


def _method_new(c: Check) -> None:
    assert has_method(c.pair.new, c.call) and not has_method(c.pair.old, c.call)


def _method_follows(c: Check) -> None:
    old, new = methods_for(c.pair.old, c.finding.operation), methods_for(c.pair.new, c.finding.operation)
    assert old and new and old != new, (old, new)


def _method_stays(c: Check) -> None:
    old, new = methods_for(c.pair.old, c.finding.operation), methods_for(c.pair.new, c.finding.operation)
    assert old == new and len(old) == 1, (old, new)
    if c.groups.get("call"):
        assert old == {c.call}


def _group_stays(c: Check) -> None:
    old, new = methods_for(c.pair.old, c.finding.operation), methods_for(c.pair.new, c.finding.operation)
    assert len(old) == len(new) == 1 and c.call in new, (old, new)
    assert {m.rpartition(".")[0] for m in old} == {m.rpartition(".")[0] for m in new}, (old, new)


def _argument_added(c: Check) -> None:
    arg, required = c.groups["arg"], c.groups["word"] == "required"
    assert arg not in signature(c.pair.old, c.call).parameters
    p = signature(c.pair.new, c.call).parameters[arg]
    assert (p.default is inspect.Parameter.empty) == required, p
    if c.groups.get("typeerror"):
        kwargs = call_kwargs(c.pair, c.call)
        works_on_old(c.pair, c.call, kwargs)
        with pytest.raises(TypeError, match=arg):
            method(c.pair.new, c.call)(**kwargs)


def _argument_removed(c: Check) -> None:
    arg = c.groups["arg"]
    assert arg in signature(c.pair.old, c.call).parameters
    assert arg not in signature(c.pair.new, c.call).parameters
    kwargs = {**call_kwargs(c.pair, c.call), arg: c.witness()}
    works_on_old(c.pair, c.call, kwargs)
    with pytest.raises(TypeError, match=arg):
        method(c.pair.new, c.call)(**kwargs)


def _argument_renamed(c: Check) -> None:
    before, after = c.groups["arg"], c.groups["arg2"]
    assert before in signature(c.pair.old, c.call).parameters and after not in signature(c.pair.old, c.call).parameters
    assert after in signature(c.pair.new, c.call).parameters and before not in signature(c.pair.new, c.call).parameters


def _argument_required(c: Check) -> None:
    arg = c.groups["arg"]
    assert signature(c.pair.old, c.call).parameters[arg].default is not inspect.Parameter.empty
    assert signature(c.pair.new, c.call).parameters[arg].default is inspect.Parameter.empty
    kwargs = {k: v for k, v in call_kwargs(c.pair, c.call).items() if k != arg}
    works_on_old(c.pair, c.call, kwargs)
    with pytest.raises(TypeError, match=arg):
        method(c.pair.new, c.call)(**kwargs)


def _argument_optional(c: Check) -> None:
    arg = c.groups["arg"]
    assert signature(c.pair.old, c.call).parameters[arg].default is inspect.Parameter.empty
    assert signature(c.pair.new, c.call).parameters[arg].default is not inspect.Parameter.empty


def _argument_moved(c: Check) -> None:
    """Clients generated before the change send the argument where the server no longer reads it."""
    arg = c.groups["arg"]
    kwargs = {**call_kwargs(c.pair, c.call), arg: c.witness()}
    works_on_old(c.pair, c.call, kwargs)
    with Loopback(c.pair.spec(True)) as server:
        method(c.pair.new, c.call, server.url)(**kwargs)
        assert server.violations() == []
    with Loopback(c.pair.spec(True)) as server:
        with contextlib.suppress(c.pair.old.APIStatusError):  # the mock refuses the request; the violation says why
            method(c.pair.old, c.call, server.url)(**kwargs)
        assert server.violations(), "the old client's request satisfied the new spec"


def outcome(c: Check, new: bool, kwargs: dict[str, Any]) -> list[str]:
    """Call the method on one side against a loopback mock of that side's spec: what went wrong, if anything."""
    pkg = c.pair.side(new)
    with Loopback(c.pair.spec(new)) as server:
        try:
            method(pkg, c.call, server.url)(**kwargs)
        except (pkg.RequestValidationError, pkg.APIStatusError) as exc:
            return [f"{type(exc).__name__}: {exc}", *server.violations()]
        return server.violations()


def _argument_value_changes(c: Check, rejected_by: bool) -> None:
    """An argument's value: a call passing the witness works on one side and fails on the other."""
    kwargs = {**call_kwargs(c.pair, c.call), c.groups["arg"]: c.witness()}
    assert not outcome(c, not rejected_by, kwargs), outcome(c, not rejected_by, kwargs)
    assert outcome(c, rejected_by, kwargs), f"{'new' if rejected_by else 'old'} side takes {kwargs}"


def _rejects_now(c: Check) -> None:
    """The new client refuses a value the old one took (the case's witness)."""
    if c.groups.get("arg"):
        return _argument_value_changes(c, rejected_by=True)
    value = c.witness()
    old, path = c.subject_adapter(False)
    new, _ = c.subject_adapter(True)
    assert validates(old, value, path), f"the old client already rejects {value!r}"
    assert not validates(new, value, path), f"the new client still accepts {value!r}"
    _field_argument_calls(c, value, rejected_by=True)


def _accepts_now(c: Check) -> None:
    """The new client takes a value the old one refused (the case's witness)."""
    if c.groups.get("arg"):
        return _argument_value_changes(c, rejected_by=False)
    value = c.witness()
    old, path = c.subject_adapter(False)
    new, _ = c.subject_adapter(True)
    assert not validates(old, value, path), f"the old client already accepts {value!r}"
    assert validates(new, value, path), f"the new client still rejects {value!r}"
    _field_argument_calls(c, value, rejected_by=False)


def _field_argument_calls(c: Check, value: Any, rejected_by: bool) -> None:
    """A top-level request field the method takes as an argument: the call with the witness fails on one side."""
    fld = c.groups.get("field", "")
    if c.groups.get("side") != "request" or not fld.isidentifier() or c.finding.location.count("/") != 1:
        return
    if any(fld not in signature(c.pair.side(n), c.call).parameters for n in (False, True)):
        return
    taking = {**call_kwargs(c.pair, c.call, new=not rejected_by), fld: value}
    assert not outcome(c, not rejected_by, taking), outcome(c, not rejected_by, taking)
    refusing = {**call_kwargs(c.pair, c.call, new=rejected_by), fld: value}
    with pytest.raises(c.pair.side(rejected_by).RequestValidationError, match=fld):
        method(c.pair.side(rejected_by), c.call)(**refusing)


def annotation(c: Check, new: bool) -> str:
    """The type the sentence's subject has on one side: a field's, an argument's, the body's or the return type."""
    g, pkg = c.groups, c.pair.side(new)
    if g.get("field"):
        info = model(pkg, c.model_name(new)).model_fields.get(g["field"].split("[")[0])
        return "<absent>" if info is None else _plain(repr(info.annotation)) + repr(info.metadata)
    hints = inspect.get_annotations(method(pkg, c.call).__func__)
    if g.get("arg"):
        return str(hints.get(g["arg"], "<absent>"))
    if g.get("call3"):
        return str(hints.get("body", "<absent>"))
    return str(hints["return"])


def _plain(text: str) -> str:
    """A type's repr without the module paths (which differ between the two packages)."""
    return re.sub(r"impacts_case\d+_(old|new)\.api\.models\.", "", text)


def _retyped(c: Check) -> None:
    """The subject's type differs between the clients (and a witness, when given, moves across)."""
    before, after = annotation(c, False), annotation(c, True)
    assert before != after, f"same type {before} on both sides"
    if c.has_witness():
        # The witness is a value only the narrower side refuses: a dropped type, or another value than the const.
        narrower = re.search(r"no longer holds|is now always", c.finding.impact)
        (_rejects_now if narrower else _accepts_now)(c)


def _union_now(c: Check) -> None:
    """The subject is a union in the new client (its variants changed or it became one)."""
    before, after = annotation(c, False), annotation(c, True)
    assert before != after, before
    if "becomes a union" in c.finding.impact:
        before = before.removesuffix(" | None")  # an optional body's argument
        assert "|" in after and "|" not in before, (before, after)
    else:
        assert "|" in before + after, (before, after)


def _field_added(c: Check) -> None:
    name, fld = c.groups["model"], c.groups["field"]
    assert fld in model(c.pair.new, name).model_fields
    assert not hasattr(c.pair.old.models, name) or fld not in model(c.pair.old, name).model_fields
    if "required_field" in c.groups:
        with pytest.raises(pydantic.ValidationError, match=fld):
            model(c.pair.new, name).model_validate({})
        kwargs = call_kwargs(c.pair, c.call)
        with pytest.raises(c.pair.new.RequestValidationError):
            method(c.pair.new, c.call)(**kwargs)


def _field_removed(c: Check) -> None:
    name, fld = c.groups["model"], c.groups["field"]
    assert fld in model(c.pair.old, name).model_fields
    assert not hasattr(c.pair.new.models, name) or fld not in model(c.pair.new, name).model_fields
    if "side" in c.groups:
        kwargs = {**call_kwargs(c.pair, c.call), fld: c.witness()}
        works_on_old(c.pair, c.call, kwargs)
        with pytest.raises(TypeError, match=fld):
            method(c.pair.new, c.call)(**kwargs)
        if hasattr(c.pair.new.models, name):  # the model itself takes the value and drops it (pydantic's default)
            assert model(c.pair.new, name).model_config.get("extra", "ignore") == "ignore"
    else:
        built = model(c.pair.new, name).model_construct()
        with pytest.raises(AttributeError):
            getattr(built, fld)


def _field_on_variants(c: Check) -> None:
    """oneOf wrapping: the field is still on the named variant, and the method now returns a union."""
    name, fld = c.groups["model"], c.groups["field"]
    for variant in re.findall(r"`(\w+)`", c.groups["variants"]):
        assert fld in model(c.pair.new, variant).model_fields
    if c.finding.location.count("/") > 1:  # a property below the body: the union is its parent field's type
        unions = [
            str(info.annotation)
            for cls in vars(c.pair.new.models).values()
            if isinstance(cls, type) and issubclass(cls, pydantic.BaseModel)
            for info in cls.model_fields.values()
        ]
        assert any(f"{name} |" in u or f"| {name}" in u for u in unions), name
        return
    # The union is what the method returns (a response) or takes as ``body`` (a request).
    key = "body" if c.finding.id.startswith("request") else "return"
    ret_old = str(inspect.get_annotations(method(c.pair.old, c.call).__func__)[key]).removesuffix(" | None")
    ret_new = str(inspect.get_annotations(method(c.pair.new, c.call).__func__)[key])
    assert "|" in ret_new and "|" not in ret_old and f"models.{name}" in ret_new, (ret_old, ret_new)


def _body_field_to_union(c: Check) -> None:
    """The field's argument is gone (TypeError); the variant model, passed as ``body``, carries it to the server."""
    fld, value = c.groups["field"], c.witness()
    kwargs = {**call_kwargs(c.pair, c.call), fld: value}
    works_on_old(c.pair, c.call, kwargs)
    with pytest.raises(TypeError, match=fld):
        method(c.pair.new, c.call)(**kwargs)
    body = signature(c.pair.new, c.call).parameters["body"]
    assert body.default is inspect.Parameter.empty
    for variant in re.findall(r"`(\w+)`", c.groups["variants"]):
        assert fld in model(c.pair.new, variant).model_fields
        assert f"models.{variant}" in str(body.annotation), body.annotation


def _field_required(c: Check) -> None:
    """A request field now required: building the body without it fails; a response field now always there."""
    name, fld = c.groups["model"], c.groups["field"]
    assert not model(c.pair.old, name).model_fields[fld].is_required()
    assert model(c.pair.new, name).model_fields[fld].is_required()
    if c.groups.get("side") == "request":
        kwargs = {k: v for k, v in call_kwargs(c.pair, c.call).items() if k != fld}
        works_on_old(c.pair, c.call, kwargs)
        with pytest.raises(c.pair.new.RequestValidationError, match=fld):
            method(c.pair.new, c.call)(**kwargs)


def _field_optional(c: Check) -> None:
    name, fld = c.groups["model"], c.groups["field"]
    assert model(c.pair.old, name).model_fields[fld].is_required()
    info = model(c.pair.new, name).model_fields[fld]
    assert not info.is_required()
    if "none" in c.groups:
        assert info.default is None and "None" in repr(info.annotation)


def _response_enum_grew(c: Check) -> None:
    """The old client, given the new value, returns it as the plain value, not an enum member."""
    name, fld, value = c.groups["model"], c.groups["field"], json.loads(c.groups["value"])
    members = {m.value for m in getattr(c.pair.new.models, c.pair.case.witness["enum"])}
    assert value in members
    payload = {**c.pair.case.witness["payload"], fld: value}
    with Loopback(c.pair.spec(True)) as server:
        server.mock.script(Reply(200, json=payload))
        result = method(c.pair.old, c.call, server.url)(**call_kwargs(c.pair, c.call))
    assert isinstance(result, model(c.pair.old, name))
    got = getattr(result, fld)
    assert got == value and type(got) is type(value), got


def _enum_member_gone(c: Check) -> None:
    """An enum value the client named is gone: the member was in the old enum class, not in the new one."""
    cls, member = c.groups["member"].split(".")
    assert hasattr(getattr(c.pair.old.models, cls), member)
    assert not hasattr(getattr(c.pair.new.models, cls), member)
    with pytest.raises(AttributeError):
        getattr(getattr(c.pair.new.models, cls), member)


def _no_longer_returns(c: Check) -> None:
    """A response value the server stops sending: the new model no longer takes it."""
    if c.groups.get("member"):
        _enum_member_gone(c)
    value = json.loads(c.groups["value"])
    new, path = c.subject_adapter(True)
    old, _ = c.subject_adapter(False)
    assert validates(old, value, path) and not validates(new, value, path)


def _default(c: Check) -> None:
    """A response model fills the default in; a request leaves the value out, and the model holds the default."""
    g = c.groups
    new = json.loads(g["new"]) if g.get("new") not in (None, "None") else None
    if g.get("field"):
        infos = [model(c.pair.side(n), c.model_name(n)).model_fields[g["field"]] for n in (False, True)]
        if "was" in g:
            assert infos[0].default == json.loads(g["was"]), infos[0].default
        assert infos[1].default == (json.loads(g["value"]) if g.get("value", "None") != "None" else new)
        if g.get("side") != "request":
            return
    else:  # an argument: the client's default is "not given", whatever the spec says
        assert signature(c.pair.new, c.call).parameters[g["arg"]].default is c.pair.new.NOT_GIVEN
        same_method_code(c)
    name = g.get("arg") or g["field"]
    kwargs = {k: v for k, v in call_kwargs(c.pair, c.call, new=True).items() if k != name}
    with Loopback(c.pair.spec(True)) as server:
        method(c.pair.new, c.call, server.url)(**kwargs)
        sent = server.mock.requests[-1]
    assert name not in sent.query and name not in json.loads(sent.body or b"{}"), "the client sent the default"


def _const(c: Check) -> None:
    now, was = json.loads(c.groups["now"]), json.loads(c.groups["was"])
    new, path = c.subject_adapter(True)
    old, _ = c.subject_adapter(False)
    assert validates(new, now, path) and not validates(new, was, path)
    assert validates(old, was, path) and not validates(old, now, path)


@functools.cache
def code_changes(outs: tuple[Path, Path]) -> tuple[str, ...]:
    """The files of two generated packages whose code differs, documentation aside (computed once per pair)."""
    old, new = package_sources(outs[0]), package_sources(outs[1])
    assert old.keys() == new.keys()
    return tuple(n for n in old if n.endswith(".py") and without_docs(old[n]) != without_docs(new[n]))


def same_code(c: Check) -> None:
    """The two generated packages are the same code (documentation aside): the change does nothing to the client."""
    changed = code_changes(c.pair.outs)
    assert not changed, f"the code of {list(changed)} differs, for a change said to do nothing to the client"


def _deprecated(c: Check) -> None:
    """The deprecation shows where the client shows it: the method's docstring, or the model field."""
    now = "reactivated" not in c.groups
    if c.groups.get("model"):
        for new in (False, True):
            info = model(c.pair.side(new), c.groups["model"]).model_fields[c.groups["field"]]
            assert bool(info.deprecated) == (new == now), (new, info.deprecated)
    elif c.groups.get("arg"):
        same_method_code(c)
    else:
        for new in (False, True):
            doc = method(c.pair.side(new), c.call).__doc__ or ""
            assert ("Deprecated by the vendor" in doc) == (new == now), doc
        if c.groups.get("date"):
            assert c.groups["date"] in (method(c.pair.new, c.call).__doc__ or "")


def _lifecycle_dates(c: Check) -> None:
    """Sunsets and stability are documentation: the method's code is the same; its docstring has the new sunset."""
    same_method_code(c)
    doc = method(c.pair.new, c.call).__doc__ or ""
    date = re.search(r"on ([\d-]+)$", c.finding.impact)
    if date and not c.groups.get("arg"):
        assert f"sunset {date[1]}" in doc, doc
    if c.finding.impact.endswith(": no removal date"):
        assert "Deprecated by the vendor." in doc and "sunset" not in doc, doc


def same_method_code(c: Check) -> None:
    """The named method's code is the same in both clients (documentation aside)."""
    old, new = (inspect.getsource(method(c.pair.side(n), c.call).__func__) for n in (False, True))
    assert without_docs(textwrap.dedent(old)) == without_docs(textwrap.dedent(new))


def _body_argument(c: Check) -> None:
    """What the sentence says of the ``body`` argument (and of the body's fields as arguments)."""
    g = c.groups
    flags = {"kind_fields": "fields", "kind_removed": "removed", "kind_req": "now-required", "kind_opt": "now-optional"}
    kind = g.get("kind_new") or next((v for k, v in flags.items() if k in g), "same")
    old = signature(c.pair.old, c.call).parameters if has_method(c.pair.old, c.call) else {}
    new = signature(c.pair.new, c.call).parameters
    if kind == "fields":
        assert "body" in new and "body" not in old and new["body"].default is None
        assert set(new) - set(old) - {"body"}, "no field arguments"
    elif kind in ("required", "optional"):
        assert "body" in new and "body" not in old
        assert (new["body"].default is inspect.Parameter.empty) == (kind == "required")
    elif kind == "removed":
        assert "body" in old and "body" not in new
        with pytest.raises(TypeError, match="body"):
            method(c.pair.new, c.call)(**call_kwargs(c.pair, c.call, new=True), body=None)
    elif kind in ("now-required", "now-optional"):
        assert (old["body"].default is inspect.Parameter.empty) == (kind == "now-optional")
        assert (new["body"].default is inspect.Parameter.empty) == (kind == "now-required")
    else:  # unchanged: the old client's call without fields still satisfies the new spec
        assert str(signature(c.pair.old, c.call)) == str(signature(c.pair.new, c.call))
        with Loopback(c.pair.spec(True)) as server:
            method(c.pair.old, c.call, server.url)(**call_kwargs(c.pair, c.call))
            assert server.violations() == []


def old_call_on_new_spec(c: Check) -> list[str]:
    """The old client's call against a mock of the new spec: the problems the mock finds."""
    with Loopback(c.pair.spec(True)) as server:
        with contextlib.suppress(c.pair.old.APIStatusError):  # a refused request: the violations say why
            method(c.pair.old, c.call, server.url)(**call_kwargs(c.pair, c.call))
        return server.violations()


def _request_media(c: Check) -> None:
    """A media type refused: the old client's request fails the new spec; dropped or added: requests still pass."""
    if "refused" in c.groups:
        assert old_call_on_new_spec(c), "the new spec still accepts what the old client sends"
    elif "accepted" in c.groups:
        with Loopback(c.pair.spec(True)) as server:
            method(c.pair.new, c.call, server.url)(**call_kwargs(c.pair, c.call, new=True))
            assert server.violations() == []
    else:
        assert not old_call_on_new_spec(c)


def _may_return(c: Check) -> None:
    """A new success status: the new client takes it and returns the body parsed."""
    status = int(c.groups["status"])
    with Loopback(c.pair.spec(True)) as server:
        server.mock.script(Reply(status, json=c.pair.case.witness["payload"]))
        result = method(c.pair.new, c.call, server.url)(**call_kwargs(c.pair, c.call, new=True))
    assert isinstance(result, pydantic.BaseModel), result


def _may_raise(c: Check) -> None:
    # A range or "default" stands for any status it covers: 418 is one no other key of the cases names.
    written = c.groups["status"]
    status = int(written) if written.isdigit() else int(written[0]) * 100 + 18 if written[1:] == "XX" else 418
    error = getattr(c.pair.new, c.groups["error"])
    with Loopback(c.pair.spec(True)) as server:
        server.mock.script(Reply(status, json={"detail": "no"}))
        with pytest.raises(error):
            method(c.pair.new, c.call, server.url)(**call_kwargs(c.pair, c.call, new=True))


def _status_model_gone(c: Check) -> None:
    """A success response gone: the model the old method could return is no longer among its return types."""
    returns = [str(inspect.get_annotations(method(c.pair.side(n), c.call).__func__)["return"]) for n in (False, True)]
    gone = set(re.findall(r"models\.(\w+)", returns[0])) - set(re.findall(r"models\.(\w+)", returns[1]))
    assert gone, returns


def _undocumented(c: Check) -> None:
    """A failure status no longer documented: the docstring drops it, the client still raises it."""
    status, error = c.groups["status"], c.groups["error"]
    docs = [method(c.pair.side(n), c.call).__doc__ or "" for n in (False, True)]
    assert f"{error}: {status}" in docs[0] and f"{error}: {status}" not in docs[1]
    with Loopback(c.pair.spec(True)) as server:
        server.mock.script(Reply(int(status), json={}))
        with pytest.raises(getattr(c.pair.new, error)):
            method(c.pair.new, c.call, server.url)(**call_kwargs(c.pair, c.call, new=True))


def _same_return(c: Check) -> None:
    returns = [str(inspect.get_annotations(method(c.pair.side(n), c.call).__func__)["return"]) for n in (False, True)]
    assert returns[0] == returns[1], returns
    same_method_code(c)


def _credential_sent(c: Check) -> None:
    """The new client, given the credentials, sends them on the call."""
    header, value = c.pair.case.witness["credential"]
    with Loopback(c.pair.spec(True)) as server:
        call = c.groups.get("call") or c.pair.case.witness["credential_call"]
        method(c.pair.new, call, server.url, **c.pair.case.witness["credentials"])(**call_kwargs(c.pair, call))
        assert server.mock.requests[-1].headers.get(header.lower()) == value


def _constructor_gains(c: Check) -> None:
    params = [set(inspect.signature(c.pair.side(n).Client).parameters) for n in (False, True)]
    assert params[1] - params[0] if "gains" in c.groups else params[0] - params[1], params


def pkg_default(pkg: Any) -> str:
    """The base URL a client built without one uses."""
    return str(pkg.Client().base_url).rstrip("/")


def _server_gone(c: Check) -> None:
    """A removed server: the old client used it by default when the message says so; the new client does not."""
    found = re.search(r"server (\S+) removed", c.finding.message)
    assert found is not None
    url = found[1].rstrip("/")
    assert (pkg_default(c.pair.old) == url) == ("default base URL" in c.finding.message)
    assert pkg_default(c.pair.new) != url


def _server_added(c: Check) -> None:
    """Another server: a client may be pointed at it; the default stays the first server's."""
    found = re.search(r"server (\S+) added", c.finding.message)
    assert found is not None
    url = found[1].rstrip("/")
    assert str(client(c.pair.new, url).base_url).rstrip("/") == url
    servers = yaml.safe_load(c.pair.spec(True).read_text())["servers"]
    assert (pkg_default(c.pair.new) == url) == (servers[0]["url"].rstrip("/") == url)


def _model_gone(c: Check) -> None:
    name = re.search(r"schema '(\w+)' removed", c.finding.message)
    assert name is not None
    assert hasattr(c.pair.old.models, name[1]) and not hasattr(c.pair.new.models, name[1])


def _none(c: Check) -> None:
    """None in the subject's type: the argument's (requests) or the model field's (responses)."""
    now = "no longer" not in c.finding.impact
    g = c.groups
    if g.get("side") == "request" or g.get("arg"):
        # Optional request fields are ``X | None`` in the model either way: the argument's type says it.
        arg = g.get("arg") or g["field"]
        types = [str(inspect.get_annotations(method(c.pair.side(n), c.call).__func__)[arg]) for n in (False, True)]
        assert [" None" in t or t.endswith("| None") for t in types] == [not now, now], types
    elif now:
        new, path = c.subject_adapter(True)
        assert validates(new, None, path) and "None" in annotation(c, True)
    else:  # the server stops sending null; a required field's model now refuses it
        old, path = c.subject_adapter(False)
        new, _ = c.subject_adapter(True)
        required = g.get("model") and model(c.pair.new, g["model"]).model_fields[g["field"]].is_required()
        assert validates(old, None, path) and (not required or not validates(new, None, path))


def _retyped_return(c: Check) -> None:
    returns = [str(inspect.get_annotations(method(c.pair.side(n), c.call).__func__)["return"]) for n in (False, True)]
    assert returns[0] != returns[1], returns


def _server_variable(c: Check) -> None:
    """The client still builds its base URL with a value the new spec no longer lists."""
    variable = c.groups["variable"]
    for value in json.loads("[" + c.groups["values"].replace("'", '"') + "]"):
        assert value in str(c.pair.new.Client(**{variable: value}).base_url)
        assert value in str(c.pair.old.Client(**{variable: value}).base_url)


def _key_enum(c: Check) -> None:
    """The enum the map's keys are named by lost the value: its member is gone from the new client."""
    value = json.loads(c.groups["value"])

    def members(pkg: Any) -> set[str]:
        return {
            f"{name}.{m.name}"
            for name, cls in vars(pkg.models).items()
            if isinstance(cls, type) and issubclass(cls, enum.Enum)
            for m in cls
            if m.value == value
        }

    if "added" in c.groups:
        assert members(c.pair.new) and not members(c.pair.old)
    else:
        assert members(c.pair.old) and not members(c.pair.new)


def _typed_by_model(c: Check) -> None:
    """The side whose model types the positions (a tuple) or keys (an enum) refuses the witness; the other takes it."""
    typed_new = "typed" in c.groups
    strict, path = c.subject_adapter(typed_new)
    loose, _ = c.subject_adapter(not typed_new)
    value = c.witness()
    assert validates(loose, value, path) and not validates(strict, value, path), value
    if "n" in c.groups:  # a list of the tuple's length passes both
        n = int(c.groups["n"])
        assert "tuple[" in annotation(c, typed_new) and "tuple[" not in annotation(c, not typed_new)
        assert validates(strict, value[:n], path) and validates(loose, value[:n], path)


def _read_only_argument(c: Check) -> None:
    """A body field became read-only: the method drops the argument, and passing it raises TypeError."""
    fld = c.finding.field
    assert fld in signature(c.pair.old, c.call).parameters
    assert fld not in signature(c.pair.new, c.call).parameters
    with pytest.raises(TypeError, match=fld):
        method(c.pair.new, c.call)(**call_kwargs(c.pair, c.call), **{fld: c.witness()})


def _write_only_in_response(c: Check) -> None:
    """The field is in the model on the side that has it; a response (from the mock of that spec) leaves it None."""
    name, fld, added = c.groups["model"], c.groups["field"], "added" in c.groups
    with_it, without = (c.pair.new, c.pair.old) if added else (c.pair.old, c.pair.new)
    assert fld in model(with_it, name).model_fields and fld not in model(without, name).model_fields
    with Loopback(c.pair.spec(added)) as server:
        result = method(with_it, c.call, server.url)(**call_kwargs(c.pair, c.call, new=added))
    assert getattr(result, fld) is None
    if not added:
        with pytest.raises(AttributeError):
            getattr(model(c.pair.new, name).model_construct(), fld)


def _still_sent(c: Check) -> None:
    """The client code is the same (documentation aside), and it still sends the credential on the call."""
    old, new = (package_sources(o)["_client.py"] for o in c.pair.outs)
    assert without_docs(old) == without_docs(new)
    _credential_sent(c)


def _body_typing(c: Check) -> None:
    before, after = annotation(c, False), annotation(c, True)
    untyped, typed = (after, before) if "untyped" in c.groups else (before, after)
    assert untyped == "Any" and typed != "Any", (before, after)


def _argument_back(c: Check) -> None:
    fld = c.finding.field
    assert fld not in signature(c.pair.old, c.call).parameters
    assert fld in signature(c.pair.new, c.call).parameters


def union_validator(c: Check, new: bool) -> str:
    """The source of the function the model validates the field's union with (a discriminator), or ""."""
    info = model(c.pair.side(new), c.model_name(new)).model_fields[c.groups["field"]]
    pending: list[Any] = [info.annotation, *info.metadata]
    while pending:
        item = pending.pop()
        if isinstance(item, pydantic.BeforeValidator):
            return textwrap.dedent(inspect.getsource(item.func))
        pending.extend(typing.get_args(item))
        pending.extend(getattr(item, "__metadata__", ()))
    return ""


def _discriminator_changed(c: Check) -> None:
    """The field's union is told apart differently: its validator's code changed, or it has none any more."""
    old, new = union_validator(c, False), union_validator(c, True)
    assert old and old != new, (old, new)
    if c.finding.impact.endswith(": untagged"):
        assert not new


def _client_code_differs(c: Check) -> None:
    """The client's constructor (where credentials are bound to headers or the query) changed."""
    old, new = (textwrap.dedent(inspect.getsource(c.pair.side(n).Client.__init__)) for n in (False, True))
    assert without_docs(old) != without_docs(new)


# ---------------------------------------------------------------- the sentence families

CALL = r"client\.(?P<{0}>[\w.]+)\(\.\.\.\)"
SUBJECT = (
    r"(?:argument `(?P<arg>\w+)` of " + CALL.format("call1") + r"(?: \(item `(?P<item>[^`]+)`\))?"
    r"|(?P<side>request|response) model field `(?:(?P<model>\w+)\.)?(?P<field>[^`.]+)` \("
    + CALL.format("call2")
    + r"\)"
    r"|the request body of "
    + CALL.format("call3")
    + r"|the response (?P<status>\w+) body of "
    + CALL.format("call4")
    + r")"
    r"(?: \(enum member `(?P<member>[\w.]+)` removed\))?"
)


@dataclass(frozen=True)
class Family:
    """Sentences that make one claim, and the check of that claim on the two generated clients."""

    name: str
    claim: str
    patterns: tuple[str, ...]  # full-match regexes; {call} and {subject} stand for the parts above
    verify: Callable[[Check], None]

    def compiled(self) -> list[re.Pattern[str]]:
        return [
            re.compile(p.replace("{subject}", SUBJECT).replace("{call}", CALL.format("call")).replace(
                "{call2}", CALL.format("call2")).replace("{call1}", CALL.format("call1")))
            for p in self.patterns
        ]  # fmt: skip


FAMILIES: list[Family] = [
    Family(
        "method-gone",
        "the client method is gone: calls raise AttributeError",
        (r"method {call} disappears; calls raise AttributeError",),
        _method_gone,
    ),
    Family(
        "method-renamed",
        "the method has another name or group: calls to the old one raise AttributeError",
        (r"calls to {call1} raise AttributeError; use {call2}",),
        _method_renamed,
    ),
    Family("method-added", "a new client method", (r"new method {call}",), _method_new),
    Family(
        "method-follows",
        "the operation's client method changes name with its operationId",
        (r"the client method changes with it \(see api-client-method-(renamed|moved)\)",),
        _method_follows,
    ),
    Family(
        "method-stays",
        "the client method keeps its name and place",
        (r"the client method keeps its name",),
        _method_stays,
    ),
    Family(
        "group-stays",
        "a tag change that leaves the method in its group",
        (r"{call}: documentation grouping only; the client method stays where it is",),
        lambda c: _group_stays(c),
    ),
    Family(
        "method-moves-with-tag",
        "the tag change moves the client method",
        (r"{call}: the method moves \(see api-client-method-moved\)",),
        _method_follows,
    ),
    Family(
        "argument-added",
        "a new argument; a required one breaks existing calls with TypeError",
        (
            r"{call} takes a new (?P<word>required|optional) argument `(?P<arg>\w+)`"
            r"(?P<typeerror>; existing calls raise TypeError)?",
        ),
        _argument_added,
    ),
    Family(
        "argument-removed",
        "an argument is gone: calls passing it raise TypeError",
        (r"{call} loses argument `(?P<arg>\w+)`; calls passing it raise TypeError",),
        _argument_removed,
    ),
    Family(
        "argument-renamed",
        "a keyword argument has a new name",
        (r"{call}: keyword argument `(?P<arg>\w+)` is now `(?P<arg2>\w+)`",),
        _argument_renamed,
    ),
    Family(
        "argument-required",
        "an argument became required: calls without it raise TypeError",
        (r"argument `(?P<arg>\w+)` of {call} is now required; calls without it raise TypeError",),
        _argument_required,
    ),
    Family(
        "argument-optional",
        "an argument became optional",
        (r"argument `(?P<arg>\w+)` of {call} is optional",),
        _argument_optional,
    ),
    Family(
        "argument-moved",
        "a parameter moved: clients generated before send it in the wrong place",
        (
            r"{call}: argument `(?P<arg>\w+)` \(was `\w+`\) is now sent as a \w+ parameter; "
            r"clients generated before the change send it in the wrong place",
        ),
        _argument_moved,
    ),
    Family(
        "rejects-now",
        "the new client (or the new spec's server) refuses values the old one sent",
        (
            r"{subject}: values beyond \S+ now rejected",
            r"{subject}: values allowed before are rejected",
            r"{subject}: (longer|shorter) values now rejected",
            r"{subject}: values must match '.*'",
            r"{subject} now only accepts \[.*\]",
            r"{subject} no longer accepts (?!None$).+",
            r"{subject}: the union is now told apart by '\w+'; a value naming no variant fails validation",
        ),
        _rejects_now,
    ),
    Family(
        "accepts-now",
        "the new client takes values the old one refused",
        (
            r"{subject}: accepts more",
            r"{subject}: any string accepted",
            r"{subject} accepts .+",
            r"{subject}: responses may fall outside the old bounds",
            r"{subject}: may be (longer|shorter)",
        ),
        _accepts_now,
    ),
    Family(
        "none-now-valid",
        "None becomes valid (or invalid) for the subject",
        (
            r"{subject} may now be None(?P<typed> \(typed Optional\))?",
            r"{subject} no longer accepts None",
            r"{subject} is no longer null in responses",
        ),
        lambda c: _none(c),
    ),
    Family(
        "retyped",
        "the subject's type changes",
        (r"{subject} is retyped from \S+ to \S+",),
        _retyped,
    ),
    Family(
        "union",
        "the subject is (or stays) a union whose variants changed",
        (r"{subject}: union", r"{subject}: the union/model changes", r"{subject} becomes a union type"),
        _union_now,
    ),
    Family(
        "response-enum-grew",
        "a response enum gained a value: the old client hands it over as the plain value",
        (
            r"{subject} may now hold (?P<value>.+): the client passes it through as the plain value \(responses parse "
            r"leniently\), not an enum member; code matching on the members does not see it",
        ),
        _response_enum_grew,
    ),
    Family(
        "no-longer-returned",
        "a response value the server stops sending (the enum member named goes)",
        (r"{subject} no longer returns (?P<value>.+)",),
        _no_longer_returns,
    ),
    Family(
        "default",
        "a default: responses without the field read as it; requests leave it out and the server applies its own",
        (
            r"{subject}: a response without it reads as (?P<new>.+?)(?: \(was (?P<was>.+)\))?",
            r"{subject}: left out, it is not sent and the server applies (?:its default (?P<new>.+?)|no documented "
            r"default)(?: \(was (?P<was>.+?)\))?(?:; the model's value is (?P<value>.+))?",
        ),
        _default,
    ),
    Family(
        "const",
        "the subject is always the new value",
        (r"{subject} is now always (?P<now>.+) \(was (?P<was>.+)\)",),
        _const,
    ),
    Family(
        "field-added",
        "a model field is new (a required request field fails validation when left out)",
        (
            r"{call}: request model gains required field `(?P<model>\w+)\.(?P<field>\w+)`; "
            r"code building the model without it fails validation(?P<required_field>)",
            r"new (optional )?field `(?P<model>\w+)\.(?P<field>\w+)`",
        ),
        _field_added,
    ),
    Family(
        "field-removed",
        "a model field is gone: reading it fails; passing it as an argument raises TypeError",
        (
            r"{call}: model field `(?P<model>\w+)\.(?P<field>\w+)` removed; code reading it fails",
            r"{call}: model field `(?P<model>\w+)\.(?P<field>\w+)` removed; passing it as an argument raises "
            r"TypeError, and the model drops it silently(?P<side>)",
        ),
        _field_removed,
    ),
    Family(
        "field-on-variants",
        "oneOf wrapping: the field is still on the variant; the type is a union",
        (
            r"{call}: `(?P<model>\w+)\.(?P<field>\w+)` is still there on union variant\(s\) (?P<variants>[`\w, #]+); "
            r"code (reading|setting) it keeps working on those, but the type is now a union "
            r"\(a type checker asks to narrow it\)",
        ),
        _field_on_variants,
    ),
    Family(
        "body-field-to-union",
        "a request body became a union: its fields are no longer arguments; the variant model goes in `body`",
        (
            r"{call}: argument `(?P<field>\w+)` removed \(calls passing it raise TypeError\); "
            r"the body is now passed whole as `body` \(the field is on (?P<variants>[`\w, #]+)\)",
        ),
        lambda c: _body_field_to_union(c),
    ),
    Family(
        "field-required",
        "a field became required: a request built without it fails; a response always has it",
        (r"{subject} is now required; omitting it fails validation", r"{subject} always present"),
        _field_required,
    ),
    Family(
        "field-optional",
        "a field became optional (a response field may be None)",
        (
            r"{subject} is now optional",
            r"{subject} is now Optional \(may be None\)(?P<none>); code assuming a value breaks",
        ),
        _field_optional,
    ),
    Family(
        "deprecated",
        "deprecation shows in the method's docstring or on the model field",
        (
            r"{call} is deprecated(?: with no removal date)?",
            r"{call} is deprecated and goes away (?:on|after) (?P<date>[\d-]+)",
            r"{call} is supported(?P<reactivated>)",
            r"{subject} (?:is )?deprecated(?: with no removal date| and goes away (?:on|after) (?P<date>[\d-]+))?",
            r"{subject} (?:is )?supported(?: again)?(?P<reactivated>)",
            r"{subject} goes away on (?P<date>[\d-]+)",
        ),
        _deprecated,
    ),
    Family(
        "lifecycle-dates",
        "sunset and stability: documentation the client does not act on",
        (
            r"{call}: no removal date",
            r"{call}: removal date unknown",
            r"{call} goes away sooner, on [\d-]+",
            r"{call}: stability unknown",
            r"{call} is now (draft|alpha|beta|stable)",
            r"{subject}: no date",
            r"{subject}: removal date unknown",
            r"{subject} goes away sooner, on [\d-]+",
            r"{subject} is now (draft|alpha|beta|stable)",
        ),
        lambda c: _lifecycle_dates(c),
    ),
    Family(
        "body-argument",
        "the method's `body` argument (or the body's fields as arguments) changes as said",
        (
            r"{call} takes the body's fields as keyword arguments \(or the whole body as an optional `body` model\)"
            r"(?P<kind_fields>)",
            r"{call} takes an? (?P<kind_new>required|optional) `body` argument",
            r"{call} no longer takes `body`; calls passing it raise TypeError(?P<kind_removed>)",
            r"{call}: `body` is now a (?P<kind_req>required) argument",
            r"{call}: `body` is now (?P<kind_opt>optional)",
            r"{call}: no change to the client, which sends the body's fields as given \(`\{\}` when none\)"
            r"(?P<kind_same>)",
        ),
        lambda c: _body_argument(c),
    ),
    Family(
        "request-media",
        "the request's media types: what the old client sends is (or is not) refused",
        (
            r"{call}: new accepted content type(?P<accepted>)",
            r"{call}: content type dropped",
            r"{call}: the content type it sends is no longer accepted(?P<refused>)",
        ),
        _request_media,
    ),
    Family(
        "status-added",
        "a success status the new client parses",
        (r"{call} may return a (?P<status>\d+) response",),
        _may_return,
    ),
    Family(
        "status-raises",
        "a failure status raises the named exception",
        (r"{call} may raise (?P<error>\w+) for status (?P<status>\d+|\dXX|DEFAULT|default)",),
        _may_raise,
    ),
    Family(
        "status-gone",
        "a success response gone: its model is no longer a return type",
        (r"{call} no longer returns the \d+ response model; code reading it breaks",),
        _status_model_gone,
    ),
    Family(
        "status-undocumented",
        "a failure status no longer documented; the client still raises for it",
        (r"{call} no longer documents (?P<error>\w+) for (?P<status>\d+)",),
        _undocumented,
    ),
    Family(
        "response-media",
        "response media types that leave the method's return type as it was",
        (
            r"{call}: still parsed as (JSON|raw); no code change",
            r"{call}: no change to the client, which reads \w+ responses as \S+",
            r"{call}: \S+ responses parsed as (JSON|raw)",
            r"the response \d+ body of {call}: \w+ → \w+ in the \S+ body, which the client does not parse into a model",
        ),
        _same_return,
    ),
    Family(
        "response-media-parsed",
        "the media type the client reads is gone: it reads another one",
        (r"{call}: \w+ responses are now read as .+ \(were \S+\)",),
        lambda c: _retyped_return(c),
    ),
    Family(
        "credentials-sent",
        "the client sends the credentials a requirement names",
        (
            r"the client sends the credentials this requirement names on every call",
            r"{call} sends the credentials it names",
        ),
        _credential_sent,
    ),
    Family(
        "constructor-credentials",
        "the client constructor gains or loses a credential argument",
        (
            r"the client constructor gains a credential argument for it(?P<gains>)",
            r"the client constructor loses the credential argument bound to it",
        ),
        _constructor_gains,
    ),
    Family(
        "server-gone",
        "a server gone: it was (or was not) the client's default base URL",
        (r"clients built with this base_url or without one \(when it was the default\) call a retired host",),
        _server_gone,
    ),
    Family(
        "server-added", "another server: the default base URL is as it was", (r"new possible base_url",), _server_added
    ),
    Family(
        "server-variable",
        "a server variable value gone: the client still builds the URL with it",
        (r"clients passing \[(?P<values>.+)\] for (?P<variable>\w+) reach an undefined host",),
        lambda c: _server_variable(c),
    ),
    Family(
        "model-gone",
        "a component schema gone: its model class goes",
        (r"its model class disappears from the generated package if nothing else uses it",),
        _model_gone,
    ),
    Family(
        "key-enum",
        "map keys lose an enum value: the enum member goes",
        (
            r"{subject}: key (?P<value>.+) removed from the key enum; code naming it fails",
            r"{subject}: new key (?P<value>.+)(?P<added>)",
        ),
        lambda c: _key_enum(c),
    ),
    Family(
        "typed-by-model",
        "positions (an exact prefixItems) or keys (a string-enum propertyNames) the generated model types, or no more",
        (
            r"{subject}: the generated model types it as a tuple of (?P<n>\d+) items; "
            r"a list of another length fails validation(?P<typed>)",
            r"{subject}: the generated model takes a list again \(it was a tuple of (?P<n>\d+) items\)",
            r"{subject}: keys are now typed by the key enum; other keys fail validation(?P<typed>)",
            r"{subject}: keys are any string again \(the key enum no longer types them\)",
        ),
        _typed_by_model,
    ),
    Family(
        "no-client-change",
        "the change does nothing to the generated client (its code is the same)",
        (
            r"none(: (?!write-only).+)?",
            r"{call}: none",
            r"{call}: code reading header \S+ finds it missing",
            r"{call}: may be absent",
            r"{call}: header value",
            r"{call}: headers are read as text",
            r"the token the client sends must carry the scopes listed; the client itself does not change",
            r"{call}: the token sent must carry the scopes listed; the client itself does not change",
            r"tokens for this scheme are obtained differently; the client sends whatever token it is given",
            r"not modelled by the generated client",
            r"{subject}: .+ \(not checked by the generated model\)",
            r"{subject}: \w+ removed \(the generated model never checked it\)",
            r"{subject}: (not checked|more required|fewer required|properties required together changed"
            r"|conditional schema|one less|extra keys|keys|encoding)",
            r"{subject} is (now )?required; the client passes the header's value as given, unchecked",
            r"no change to what the client (sends|receives)",
            r"responses may now carry it",
            r"responses no longer carry it; code reading it finds None",
        ),
        same_code,
    ),
    Family(
        "types-list",
        "the JSON types the subject may hold change, or it stops (or starts) being a constant",
        (
            r"{subject} may now hold (?!.*: the client passes).+",
            r"{subject} no longer holds .+",
            r"{subject} is no longer always .+",
            r"{subject} is now always [^(]+",
        ),
        _retyped,
    ),
    Family(
        "discriminator",
        "the union is told apart differently: the generated union validator changes",
        (
            r"{subject}: (untagged|new variant tag|tag gone|the tag selects another model"
            r"|the union is told apart by another field)",
        ),
        _discriminator_changed,
    ),
    Family(
        "credential-changed",
        "a security scheme changed: the client sends the credential differently",
        (r"the client sends the credential differently; regenerate before the change ships",),
        lambda c: _client_code_differs(c),
    ),
    Family(
        "write-only-in-response",
        "a write-only field added to (removed from) a response model: present (absent) in the class, None in responses",
        (
            r"model field `(?P<model>\w+)\.(?P<field>\w+)` added; responses never carry it \(write-only\), "
            r"so it reads as None(?P<added>)",
            r"model field `(?P<model>\w+)\.(?P<field>\w+)` removed; responses never carried it \(write-only\), "
            r"but code reading it now fails",
        ),
        lambda c: _write_only_in_response(c),
    ),
    Family(
        "credentials-still-sent",
        "a requirement gone from the spec: the client is the same and still sends the credentials it has",
        (
            r"the server no longer asks for those credentials; the client is unchanged and sends any it is given",
            r"{call}: the server no longer asks for those credentials; the client still sends any it is given",
        ),
        lambda c: _still_sent(c),
    ),
    Family(
        "body-typing",
        "a body gains or loses its schema: the client types it, or takes Any",
        (
            r"{subject} has no schema any more: the client types it as Any(?P<untyped>)",
            r"{subject} has a schema now: the client types it \(it was Any\)",
        ),
        lambda c: _body_typing(c),
    ),
    Family(
        "argument-back",
        "a request field no longer read-only: the method takes it again",
        (r"the method takes it as an argument again",),
        lambda c: _argument_back(c),
    ),
    Family(
        "argument-gone-read-only",
        "a request field became read-only: the method no longer takes it",
        (r"the method no longer takes it as an argument \(passing it raises TypeError\)",),
        lambda c: _read_only_argument(c),
    ),
]


def family_of(impact: str) -> tuple[Family, dict[str, str]]:
    """The one family whose sentence this is, with the names it captured; AssertionError when none or several."""
    hits = [(f, m) for f in FAMILIES for p in f.compiled() if (m := p.fullmatch(impact))]
    assert hits, f"no sentence family claims this impact (add one to FAMILIES, with a case): {impact!r}"
    assert len({f.name for f, _ in hits}) == 1, f"{impact!r} matches families {[f.name for f, _ in hits]}"
    family, match = hits[0]
    return family, {k: v for k, v in match.groupdict().items() if v is not None}


# ---------------------------------------------------------------- the cases


def base() -> dict[str, Any]:
    """A small API: list, create and get things (the cases mutate copies of it)."""

    def ok() -> dict[str, Any]:
        return {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
            }
        }

    return {
        "openapi": "3.0.3",
        "info": {"title": "Impacts", "version": "1"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "tags": ["things"],
                    "parameters": [
                        {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                    ],
                    "responses": ok(),
                },
                "post": {
                    "operationId": "createThing",
                    "tags": ["things"],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewThing"}}},
                    },
                    "responses": ok(),
                },
            },
            "/things/{thing_id}": {
                "get": {
                    "operationId": "getThing",
                    "tags": ["things"],
                    "parameters": [{"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": ok(),
                }
            },
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "string"},
                        "status": {"$ref": "#/components/schemas/Status"},
                        "note": {"type": "string"},
                        "size": {"type": "integer"},
                    },
                },
                "Status": {"type": "string", "enum": ["active", "closed"]},
                "NewThing": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "maxLength": 8},
                        "code": {"type": "string", "pattern": "^[a-z]+$"},
                        "count": {"type": "integer", "maximum": 10},
                        "kind": {"type": "string", "enum": ["small", "large"]},
                        "label": {"type": "string"},
                    },
                },
            }
        },
    }


@dataclass
class Case:
    """A spec pair, the rule ids its diff must report, and what the checks need to show each claim."""

    name: str
    old: dict[str, Any]
    new: dict[str, Any]
    expected: set[str]  # the rule ids the diff reports (all of them: a case that drifts is noticed)
    witness: dict[str, Any] = field(default_factory=dict)  # "rule location" or rule id → a telling value
    calls: dict[str, dict[str, Any]] = field(default_factory=dict)  # method → arguments of a good old call
    deprecation_days: tuple[int, int] | None = None  # the diff's deprecation policy (--deprecation-days)
    calls_new: dict[str, dict[str, Any]] = field(default_factory=dict)  # ... on the new client, where they differ


def _case_methods() -> Case:
    old, new = base(), base()
    del new["paths"]["/things/{thing_id}"]  # getThing removed
    new["paths"]["/things"]["get"]["operationId"] = "findThings"  # renamed
    new["paths"]["/things"]["post"].update(tags=["items"], operationId="makeThing")  # moved and renamed
    new["paths"]["/widgets"] = copy.deepcopy(old["paths"]["/things/{thing_id}"])
    new["paths"]["/widgets"]["get"].update(operationId="listWidgets", parameters=[])
    return Case(
        "methods",
        old,
        new,
        {
            "api-path-removed-without-deprecation", "api-operation-id-removed", "api-client-method-renamed",
            "api-client-method-moved", "api-tag-added", "api-tag-removed", "endpoint-added",
        },
    )  # fmt: skip


def _case_arguments() -> Case:
    old, new = base(), base()
    params = new["paths"]["/things"]["get"]["parameters"]
    params[0]["required"] = True  # limit became required
    del params[1]  # q removed
    params += [
        {"name": "page", "in": "query", "schema": {"type": "integer"}},
        {"name": "region", "in": "query", "required": True, "schema": {"type": "string"}},
    ]
    get = new["paths"].pop("/things/{thing_id}")
    get["get"]["parameters"][0]["name"] = "ref"  # renamed
    new["paths"]["/things/{ref}"] = get
    return Case(
        "arguments",
        old,
        new,
        {
            "request-parameter-became-required", "request-parameter-removed", "new-optional-request-parameter",
            "new-required-request-parameter", "api-client-method-renamed",
        },
        witness={"request-parameter-removed": "text"},
        calls={"things.list_things": {"limit": 5}},
    )  # fmt: skip


def _case_request_values() -> Case:
    old, new = base(), base()
    props = new["components"]["schemas"]["NewThing"]["properties"]
    props["name"]["maxLength"] = 4
    props["code"]["pattern"] = "^[a-z]{2}$"
    props["count"]["maximum"] = 20
    props["kind"]["enum"] = ["small", "large", "huge"]
    props["label"]["enum"] = ["red", "blue"]
    new["paths"]["/things"]["get"]["parameters"][0]["schema"]["maximum"] = 50
    return Case(
        "request values",
        old,
        new,
        {
            "request-property-max-length-decreased", "request-property-pattern-changed",
            "request-property-max-increased", "request-property-enum-value-added", "request-property-became-enum",
            "request-parameter-max-decreased",
        },
        witness={
            "request-property-max-length-decreased": "abcdef",
            "request-property-pattern-changed": "abc",
            "request-property-max-increased": 15,
            "request-property-enum-value-added": "huge",
            "request-property-became-enum": "green",
            "request-parameter-max-decreased": 70,
        },
    )  # fmt: skip


def _case_request_fields() -> Case:
    old, new = base(), base()
    schema = new["components"]["schemas"]["NewThing"]
    del schema["properties"]["label"]  # removed
    schema["properties"]["owner"] = {"type": "string"}
    schema["required"] = ["name", "owner"]  # name became required, owner is a new required field
    schema["properties"]["count"]["nullable"] = True
    schema["properties"]["code"]["type"] = "integer"
    del schema["properties"]["code"]["pattern"]
    params = new["paths"]["/things"]["get"]["parameters"]
    params[1]["in"] = "header"  # q moves to a header
    old["components"]["schemas"]["NewThing"]["required"] = ["kind"]
    schema["properties"]["extra"] = {"type": "string"}
    return Case(
        "request fields",
        old,
        new,
        {
            "request-property-removed", "new-required-request-property", "request-property-became-required",
            "request-property-became-nullable", "request-property-type-changed", "request-parameter-location-changed",
            "request-property-became-optional", "new-optional-request-property",
        },
        witness={
            "request-property-removed": "red",
            "request-parameter-location-changed": "text",
            "request-property-type-changed": 5,
        },
        calls={"things.create_thing": {"name": "n", "kind": "small"}},
        calls_new={"things.create_thing": {"name": "n", "kind": "small", "owner": "o"}},
    )  # fmt: skip


def _only_get_thing(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with one operation left (getThing), so that a response change is reported once."""
    spec["paths"] = {"/things/{thing_id}": spec["paths"]["/things/{thing_id}"]}
    del spec["components"]["schemas"]["NewThing"]
    return spec


def _case_responses() -> Case:
    old, new = _only_get_thing(base()), _only_get_thing(base())
    old["components"]["schemas"]["Thing"]["properties"].update(
        kind={"type": "string", "enum": ["x", "y", "z"]},
        score={"type": "number", "maximum": 5},
        label={"type": "string", "pattern": "^[a-z]+$", "nullable": True},
        mode={"type": "string", "enum": ["auto"]},
        gone={"type": "string"},
        rank={"type": "integer", "nullable": True},
    )
    new["components"]["schemas"]["Thing"]["properties"].update(
        kind={"type": "string", "enum": ["x", "y"]},
        score={"type": "number", "maximum": 9},
        label={"type": "string"},
        mode={"type": "string", "enum": ["manual"]},
        added={"type": "boolean"},
        rank={"type": "integer"},
    )
    thing = new["components"]["schemas"]["Thing"]
    thing["properties"]["status"] = {"$ref": "#/components/schemas/Status"}
    new["components"]["schemas"]["Status"]["enum"].append("archived")  # enum growth in a response
    thing["properties"]["size"] = {"type": "integer", "default": 1, "nullable": True}
    thing["required"] = ["note", "rank"]  # id became optional, note and rank required
    thing["properties"]["token"] = {"type": "string", "writeOnly": True}
    old["components"]["schemas"]["Thing"]["properties"]["tier"] = {"type": "string", "default": "a"}
    thing["properties"]["tier"] = {"type": "string", "default": "b"}
    return Case(
        "responses",
        old,
        new,
        {
            "response-property-enum-value-removed", "response-property-max-increased",
            "response-property-pattern-removed", "response-property-became-not-nullable",
            "response-property-const-changed", "response-optional-property-removed",
            "response-optional-property-added", "response-property-enum-value-added",
            "response-property-default-value-added", "response-property-became-nullable",
            "response-property-became-optional", "response-property-became-required",
            "response-optional-write-only-property-added", "response-property-default-value-changed",
        },
        witness={
            "response-property-max-increased": 7,
            "response-property-pattern-removed": "ABC",
            "enum": "Status",
            "payload": {"id": "t1", "note": "n", "rank": 1},
        },
    )  # fmt: skip


def _case_one_of_wrapping() -> Case:
    old, new = _only_get_thing(base()), _only_get_thing(base())
    new["components"]["schemas"]["Other"] = {"type": "object", "properties": {"chunks": {"type": "integer"}}}
    content = new["paths"]["/things/{thing_id}"]["get"]["responses"]["200"]["content"]["application/json"]
    content["schema"] = {"oneOf": [{"$ref": "#/components/schemas/Thing"}, {"$ref": "#/components/schemas/Other"}]}
    return Case(
        "oneOf wrapping",
        old,
        new,
        {
            "response-body-one-of-added", "response-body-type-changed", "response-body-wrapped-in-one-of",
            "response-required-property-removed", "response-optional-property-removed",
        },
    )  # fmt: skip


def _case_bodies_and_statuses() -> Case:
    old, new = base(), base()
    for spec in (old, new):
        spec["paths"]["/tags"] = {
            "put": {
                "operationId": "putTags",
                "requestBody": {
                    "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}
                },
                "responses": {"204": {"description": "done"}, "409": {"description": "conflict"}},
            },
            "post": {
                "operationId": "postTags",
                "requestBody": {
                    "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}
                },
                "responses": {"204": {"description": "done"}},
            },
        }
    old["paths"]["/things"]["post"]["requestBody"]["content"]["application/xml"] = {"schema": {"type": "string"}}
    new["paths"]["/things"]["post"]["requestBody"]["required"] = False
    new["paths"]["/tags"]["put"]["requestBody"]["required"] = True
    new["paths"]["/tags"]["put"]["responses"] = {
        "204": {"description": "done"},
        "404": {"description": "none"},
        "default": {"description": "other"},
    }
    del new["paths"]["/tags"]["post"]["requestBody"]
    new["paths"]["/things/{thing_id}"]["get"]["requestBody"] = copy.deepcopy(
        old["paths"]["/tags"]["put"]["requestBody"]
    )
    responses = new["paths"]["/things"]["get"]["responses"]
    responses["201"] = copy.deepcopy(responses["200"])
    responses["200"]["content"]["text/plain"] = {"schema": {"type": "string"}}
    responses["200"]["content"]["application/problem+json"] = {"schema": {"type": "object"}}
    for spec in (old, new):
        spec["paths"]["/tags"]["patch"] = {"operationId": "patchTags", "responses": {"204": {"description": "done"}}}
    new["paths"]["/tags"]["patch"]["requestBody"] = copy.deepcopy(new["paths"]["/tags"]["put"]["requestBody"])
    return Case(
        "bodies and statuses",
        old,
        new,
        {
            "request-body-became-optional", "request-body-became-required", "request-body-removed",
            "request-body-added-optional", "request-body-media-type-removed", "response-success-status-added",
            "response-non-success-status-added", "response-non-success-status-removed", "response-media-type-added",
            "request-body-added-required",
        },
        witness={"payload": {"id": "t1"}},
    )  # fmt: skip


def _case_invented_ids() -> Case:
    old, new = base(), base()
    del old["paths"]["/things"]["get"]["operationId"]  # the generator invents get_things
    del new["paths"]["/things/{thing_id}"]["get"]["operationId"]  # ... and get_things_thing_id
    new["paths"]["/things"]["post"]["operationId"] = "makeThing"
    new["paths"]["/things"]["post"]["tags"] = ["things", "admin"]  # a tag that does not move the method
    return Case(
        "invented operationIds",
        old,
        new,
        {"api-operation-id-added", "api-operation-id-removed", "api-client-method-renamed", "api-tag-added"},
    )


def _case_security_and_servers() -> Case:
    old, new = base(), base()
    key = {"type": "apiKey", "in": "header", "name": "X-Key"}
    old["components"]["securitySchemes"] = {"key": key, "legacy": {"type": "apiKey", "in": "query", "name": "k"}}
    new["components"]["securitySchemes"] = {"key": key, "bearer": {"type": "http", "scheme": "bearer"}}
    new["security"] = [{"key": []}]
    new["paths"]["/things"]["post"]["security"] = [{"bearer": []}]
    old["servers"][0]["url"] = "https://{region}.example.com/v1"
    old["servers"][0]["variables"] = {"region": {"default": "eu", "enum": ["eu", "us"]}}
    new["servers"] = [
        {"url": "https://{region}.example.com/v1", "variables": {"region": {"default": "eu", "enum": ["eu"]}}},
        {"url": "https://api2.example.com/v1"},
    ]
    old["servers"].append({"url": "https://old.example.com"})
    old["components"]["schemas"]["Unused"] = {"type": "object", "properties": {"a": {"type": "string"}}}
    old["paths"]["/unused"] = {
        "get": {
            "operationId": "getUnused",
            "x-stability-level": "alpha",  # draft and alpha operations may go without notice
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Unused"}}},
                }
            },
        }
    }
    return Case(
        "security and servers",
        old,
        new,
        {
            "api-global-security-added", "api-security-component-added", "api-security-component-removed",
            "api-security-added", "api-server-removed", "api-server-added", "api-server-variable-enum-value-removed",
            "api-schema-removed",
        },
        witness={
            "credential": ("X-Key", "k-123"),
            "credentials": {"key": "k-123", "bearer": "b-456"},
            "credential_call": "things.list_things",
        },
    )  # fmt: skip


def _case_quiet_api() -> Case:
    """Changes that leave the generated client as it was: each sentence says so, and the code agrees."""
    old, new = base(), base()
    for spec in (old, new):
        spec["openapi"] = "3.1.0"
        spec["components"]["securitySchemes"] = {
            "oauth": {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": "https://a.example.com/token", "scopes": {"read": "r"}}},
            }
        }
        spec["security"] = [{"oauth": ["read"]}]
    old["webhooks"] = {"thingCreated": {"post": {"responses": {"200": {"description": "ok"}}}}}
    flow = new["components"]["securitySchemes"]["oauth"]["flows"]["clientCredentials"]
    flow.update(tokenUrl="https://b.example.com/token", scopes={"read": "r", "write": "w"})
    new["security"] = [{"oauth": ["read", "write"]}]
    get = new["paths"]["/things"]["get"]
    get["x-stability-level"] = "beta"
    get["security"] = [{"oauth": ["read"]}]
    old["paths"]["/things"]["get"]["security"] = [{"oauth": []}]
    old["paths"]["/things/{thing_id}"]["get"]["responses"]["200"]["headers"] = {
        "X-Rate": {"required": True, "schema": {"type": "integer"}},
        "X-Old": {"schema": {"type": "string"}},
    }
    new["paths"]["/things/{thing_id}"]["get"]["responses"]["200"]["headers"] = {
        "X-Rate": {"schema": {"type": ["string", "null"]}},
        "X-New": {"schema": {"type": "string"}},
    }
    new["servers"].append({"url": "https://backup.example.com/v1"})
    new["components"]["schemas"]["NewThing"]["properties"]["code"]["writeOnly"] = True
    meta = {"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
    old["paths"]["/things"]["get"]["parameters"].append({"name": "X-Meta", "in": "header", "schema": meta})
    new_meta = copy.deepcopy(meta)
    new_meta["properties"]["c"] = {"type": "string"}
    new_meta["required"] = ["a", "c"]
    new["paths"]["/things"]["get"]["parameters"].append({"name": "X-Meta", "in": "header", "schema": new_meta})
    for spec, media in ((old, "text/plain"), (new, "text/plain; charset=utf-8")):
        spec["paths"]["/things/{thing_id}"]["get"]["responses"]["200"]["content"][media] = {
            "schema": {"type": "string"}
        }
    for spec in (old, new):
        spec["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/vnd.api+json"] = {
            "schema": {"$ref": "#/components/schemas/Thing"}
        }
    new_content = new["paths"]["/things"]["get"]["responses"]["200"]["content"]
    new_content["application/vnd.api+json;v=2"] = new_content.pop("application/vnd.api+json")
    return Case(
        "quiet api",
        old,
        new,
        {
            "webhook-removed", "api-security-component-oauth-token-url-changed",
            "api-security-component-oauth-scope-added", "api-global-security-scope-added", "api-stability-decreased",
            "api-security-scope-added", "response-header-added", "optional-response-header-removed",
            "response-header-became-optional", "response-header-became-nullable",
            "response-header-type-compatible", "api-server-added", "response-media-type-name-changed",
            "request-optional-property-became-write-only", "new-required-request-header-property",
            "request-header-property-became-required",
        },
    )  # fmt: skip


def _case_quiet_schemas() -> Case:
    """Keywords the generated models do not check: the diff reports them, the client code stays the same."""
    old, new = _only_get_thing(base()), _only_get_thing(base())
    for spec in (old, new):
        spec["openapi"] = "3.1.0"
    props_old = old["components"]["schemas"]["Thing"]["properties"]
    props_new = new["components"]["schemas"]["Thing"]["properties"]
    props_old["tags"] = {"type": "array", "items": {"type": "string"}, "contains": {"const": "a"}, "minContains": 1}
    props_new["tags"] = {"type": "array", "items": {"type": "string"}, "prefixItems": [{"type": "string"}]}
    props_old["meta"] = {"type": "object", "dependentRequired": {"a": ["b"]}}
    props_new["meta"] = {
        "type": "object",
        "dependentRequired": {"c": ["d"]},
        "patternProperties": {"^x-": {"type": "string"}},
        "unevaluatedProperties": False,
        "if": {"required": ["a"]},
        "then": {"properties": {"z": {"type": "string"}}, "required": ["z"]},
    }
    props_old["blob"] = {"type": "string", "contentEncoding": "base64"}
    props_new["blob"] = {"type": "string", "contentEncoding": "base32"}
    for props in (props_old, props_new):
        props["secret"] = {"type": "string", "writeOnly": True}
        props["cond"] = {"type": "object", "if": {"required": ["a"]}, "then": {"properties": {"y": {"type": "string"}}}}
    props_new["cond"] = copy.deepcopy(props_new["cond"])
    props_new["cond"]["then"]["properties"]["x"] = {"type": "string"}
    # An allOf that only annotates a typed schema: folded into it, so the model keeps the type and its limits.
    props_old["level"] = {"type": "string", "maxLength": 5, "allOf": [{"title": "t"}]}
    props_new["level"] = {"type": "string", "maxLength": 5}
    props_old["rank"] = {"type": "integer", "minimum": 0}
    props_new["rank"] = {"type": "integer", "minimum": 0, "allOf": [{"title": "t"}]}
    props_old["hidden"] = {"type": "string", "writeOnly": True}
    props_new["hidden"] = {"type": "string"}
    props_new["note"] = {"type": "string", "writeOnly": True}
    props_old["ids"] = {"type": "array", "items": {"type": "string"}, "contains": {"const": "a"}, "minContains": 1}
    props_new["ids"] = {"type": "array", "items": {"type": "string"}, "contains": {"const": "a"}, "minContains": 2}
    props_old["pair"] = {
        "type": "object",
        "dependentSchemas": {"a": {"required": ["b"]}},
        "dependentRequired": {"x": ["y"]},
        "patternProperties": {"^k-": {"type": "string"}},
    }
    props_new["pair"] = {
        "type": "object",
        "dependentSchemas": {"c": {"required": ["d"]}},
        "dependentRequired": {"x": ["z"]},
    }
    props_old["label"] = {"type": "object", "properties": {"a": {"type": "string"}}}
    props_new["label"] = {"type": "object", "properties": {"a": {"type": "string"}}, "allOf": [{"description": "d"}]}
    new["components"]["schemas"]["Thing"]["required"] = ["id", "secret"]
    props_new["size"] = {"type": "integer", "readOnly": True}
    return Case(
        "quiet schemas",
        old,
        new,
        {
            "response-property-contains-removed", "response-property-prefix-items-added",
            "response-property-dependent-required-added", "response-property-dependent-required-removed",
            "response-property-pattern-property-added", "response-property-unevaluated-properties-added",
            "response-property-if-added", "response-property-then-added", "response-property-content-encoding-changed",
            "response-optional-property-became-read-only", "response-optional-property-added",
            "response-optional-property-became-not-write-only", "response-optional-property-became-write-only",
            "response-property-min-contains-increased", "response-property-dependent-schema-added",
            "response-property-dependent-schema-removed", "response-property-dependent-required-changed",
            "response-property-pattern-property-removed", "response-property-all-of-added-annotation-only",
            "response-property-all-of-removed-annotation-only", "response-write-only-property-became-required",
        },
    )  # fmt: skip


def _case_lifecycle() -> Case:
    old, new = base(), base()
    get = new["paths"]["/things"]["get"]
    get["deprecated"] = True
    get["x-sunset"] = "2099-12-31"
    get["parameters"][1]["deprecated"] = True
    old["paths"]["/things/{thing_id}"]["get"]["deprecated"] = True
    new["components"]["schemas"]["NewThing"]["properties"]["label"]["deprecated"] = True
    new["paths"]["/things"]["post"]["deprecated"] = True
    old["paths"]["/things"]["get"]["parameters"][0]["deprecated"] = True
    return Case(
        "lifecycle",
        old,
        new,
        {
            "endpoint-deprecated-with-sunset", "request-parameter-deprecated", "endpoint-reactivated",
            "request-property-deprecated", "endpoint-deprecated", "request-parameter-reactivated",
        },
    )  # fmt: skip


def _case_keys_and_unions() -> Case:
    old, new = _only_get_thing(base()), _only_get_thing(base())
    for spec in (old, new):
        schemas = spec["components"]["schemas"]
        schemas["A"] = {"type": "object", "properties": {"kind": {"type": "string"}, "a": {"type": "string"}}}
        schemas["B"] = {"type": "object", "properties": {"kind": {"type": "string"}, "b": {"type": "string"}}}
        schemas["Thing"]["properties"]["pet"] = {
            "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]
        }
        schemas["Thing"]["properties"]["usage"] = {
            "type": "object",
            "propertyNames": {"$ref": "#/components/schemas/LLM"},
            "additionalProperties": {"type": "integer"},
        }
    old["components"]["schemas"]["LLM"] = {"type": "string", "enum": ["a1", "b2"]}
    new["components"]["schemas"]["LLM"] = {"type": "string", "enum": ["a1"]}
    new["components"]["schemas"]["Thing"]["properties"]["pet"]["discriminator"] = {"propertyName": "kind"}
    for spec, values in ((old, ["x"]), (new, ["x", "y"])):
        schemas = spec["components"]["schemas"]
        schemas["Region"] = {"type": "string", "enum": values}
        schemas["Thing"]["properties"]["quota"] = {
            "type": "object",
            "propertyNames": {"$ref": "#/components/schemas/Region"},
            "additionalProperties": {"type": "integer"},
        }
        schemas["C"] = {"type": "object", "properties": {"kind": {"type": "string"}, "c": {"type": "string"}}}
        for name, mapping in (("pet2", {"a": "A", "b": "B"}), ("pet3", {"a": "A", "b": "B", "c": "C"})):
            schemas["Thing"]["properties"][name] = {
                "oneOf": [{"$ref": f"#/components/schemas/{v}"} for v in ("A", "B", "C")],
                "discriminator": {
                    "propertyName": "kind",
                    "mapping": {k: f"#/components/schemas/{v}" for k, v in mapping.items()},
                },
            }
    new_props = new["components"]["schemas"]["Thing"]["properties"]
    del new_props["pet2"]["discriminator"]
    new_props["pet3"]["discriminator"]["mapping"] = {
        "a": "#/components/schemas/B",
        "b": "#/components/schemas/B",
        "d": "#/components/schemas/C",
    }
    return Case(
        "keys and unions",
        old,
        new,
        {
            "response-property-property-names-enum-value-removed",
            "response-property-discriminator-added",
            "response-property-property-names-enum-value-added",
            "response-property-discriminator-removed",
            "response-property-discriminator-mapping-added",
            "response-property-discriminator-mapping-deleted",
            "response-property-discriminator-mapping-changed",
        },
        witness={"response-property-discriminator-added": {"kind": "C", "a": "x"}},
    )


def _case_typed_positions_and_keys() -> Case:
    """prefixItems and propertyNames that the models do type: an exact tuple, keys named by a string enum."""
    old, new = _only_get_thing(base()), _only_get_thing(base())
    as_list = {"type": "array", "items": {"type": "number"}}
    as_tuple = {**as_list, "prefixItems": [{"type": "number"}, {"type": "number"}], "minItems": 2, "maxItems": 2}
    any_keys = {"type": "object", "additionalProperties": {"type": "string"}}
    enum_keys = {**any_keys, "propertyNames": {"$ref": "#/components/schemas/Lang"}}
    for spec in (old, new):
        spec["components"]["schemas"]["Lang"] = {"type": "string", "enum": ["en", "fr"]}
    old_props = old["components"]["schemas"]["Thing"]["properties"]
    new_props = new["components"]["schemas"]["Thing"]["properties"]
    old_props.update(span=as_list, pos=as_tuple, names=any_keys, titles=enum_keys)
    new_props.update(span=as_tuple, pos=as_list, names=enum_keys, titles=any_keys)
    return Case(
        "typed positions and keys",
        old,
        new,
        {
            "response-property-prefix-items-added",
            "response-property-prefix-items-removed",
            "response-property-property-names-added",
            "response-property-property-names-removed",
            "response-property-min-items-unset",
        },
        witness={
            "response-property-prefix-items-added": [1.5, 2.5, 3.5],
            "response-property-prefix-items-removed": [1.5, 2.5, 3.5],
            "response-property-property-names-added": {"de": "Titel"},
            "response-property-property-names-removed": {"de": "Titel"},
            "response-property-min-items-unset": [1.5],  # the tuple wanted two
        },
    )


def _case_read_only() -> Case:
    old, new = base(), base()
    new["components"]["schemas"]["NewThing"]["properties"]["label"]["readOnly"] = True
    old["components"]["schemas"]["NewThing"]["properties"]["code"]["readOnly"] = True
    return Case(
        "read-only",
        old,
        new,
        {"request-optional-property-became-read-only", "request-optional-property-became-not-read-only"},
        witness={"request-optional-property-became-read-only": "red"},
    )


def _case_more() -> Case:
    old, new = base(), base()
    for spec in (old, new):
        spec["openapi"] = "3.1.0"
        spec["components"]["securitySchemes"] = {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
        schemas = spec["components"]["schemas"]
        schemas["A"] = {"type": "object", "properties": {"kind": {"type": "string"}, "a": {"type": "string"}}}
        schemas["B"] = {"type": "object", "properties": {"sort": {"type": "string"}, "b": {"type": "string"}}}
        schemas["Thing"]["properties"]["pet"] = {
            "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
            "discriminator": {"propertyName": "kind"},
        }
        spec["paths"]["/things"]["get"]["responses"]["200"]["content"]["text/plain"] = {"schema": {"type": "string"}}
        spec["paths"]["/things/{thing_id}"]["get"]["responses"]["201"] = {
            "description": "made",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}},
        }
    old["paths"]["/things"]["get"]["parameters"][1]["required"] = True
    old["components"]["schemas"]["Thing"]["properties"]["size"]["type"] = ["integer", "string"]
    new["components"]["securitySchemes"]["key"]["in"] = "query"
    new["components"]["schemas"]["Thing"]["properties"]["pet"]["discriminator"]["propertyName"] = "sort"
    new["paths"]["/things"]["post"]["operationId"] = "create_thing"  # the same method name
    del new["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]
    del new["paths"]["/things/{thing_id}"]["get"]["responses"]["201"]
    for spec, schema in ((old, {"type": "string"}), (new, {"type": "object", "properties": {"a": {"type": "string"}}})):
        spec["paths"]["/things"]["post"]["responses"]["202"] = {
            "description": "queued",
            "content": {"application/xml": {"schema": schema}},
        }
    return Case(
        "more",
        old,
        new,
        {
            "request-parameter-became-optional", "api-security-component-type-changed",
            "response-property-discriminator-property-name-changed", "api-operation-id-removed",
            "response-media-type-removed", "response-success-status-removed",
            "response-property-list-of-types-narrowed", "response-property-any-of-removed",
            "response-body-type-compatible",
        },
        witness={"response-property-list-of-types-narrowed": "text"},
    )  # fmt: skip


def _case_request_edges() -> Case:
    old, new = base(), base()
    for spec in (old, new):
        props = spec["components"]["schemas"]["NewThing"]["properties"]
        props.update(
            weight={"type": "integer"}, title={"type": "string"}, tags={"type": "array", "items": {"type": "string"}}
        )
        spec["paths"]["/notes"] = {
            "post": {
                "operationId": "postNote",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"type": "object", "properties": {"text": {"type": "string"}}}}
                    }
                },
                "responses": {"204": {"description": "done"}},
            },
            "put": {
                "operationId": "putNote",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}},
                },
                "responses": {"204": {"description": "done"}},
            },
        }
    old_props = old["components"]["schemas"]["NewThing"]["properties"]
    new_props = new["components"]["schemas"]["NewThing"]["properties"]
    old_props["count"]["default"] = 3
    new_props["weight"]["default"] = 5
    old["paths"]["/things"]["get"]["parameters"][0]["schema"]["default"] = 10
    old_props["label"]["nullable"] = True
    old_props["label"]["deprecated"] = True
    new_props["weight"]["minimum"] = 0
    new_props["title"]["maxLength"] = 3
    new_props["tags"]["minItems"] = 2
    new_props["kind"]["enum"] = ["small"]
    new["paths"]["/things"]["get"]["parameters"][1]["schema"]["default"] = "all"
    notes = new["paths"]["/notes"]
    body = notes["post"]["requestBody"]["content"]
    body["application/x-www-form-urlencoded"] = body.pop("application/json")
    notes["put"]["requestBody"]["required"] = False
    new["paths"]["/things"]["post"]["requestBody"]["content"]["application/xml"] = {"schema": {"type": "string"}}
    for spec in (old, new):
        spec["paths"]["/memos"] = {"post": copy.deepcopy(old["paths"]["/notes"]["post"])}
        spec["paths"]["/memos"]["post"]["operationId"] = "postMemo"
    new["paths"]["/memos"]["post"]["requestBody"]["required"] = True  # an object body: sent either way
    new["paths"]["/things/{thing_id}"]["get"]["requestBody"] = copy.deepcopy(
        old["paths"]["/notes"]["post"]["requestBody"]
    )
    return Case(
        "request edges",
        old,
        new,
        {
            "request-property-min-set", "request-property-max-length-set", "request-property-min-items-set",
            "request-property-enum-value-removed", "request-parameter-default-value-added",
            "request-property-default-value-removed", "request-property-became-not-nullable",
            "request-property-reactivated", "request-body-media-type-removed", "request-body-media-type-added",
            "request-property-default-value-added", "request-parameter-default-value-removed",
            "request-body-became-optional", "request-body-added-optional", "request-body-became-required",
        },
        witness={
            "request-property-min-set": -1,
            "request-property-max-length-set": "abcdef",
            "request-property-min-items-set": ["a"],
            "request-property-enum-value-removed": "large",
        },
        calls={"notes.put_note": {"body": ["a"]}},
    )  # fmt: skip


def _case_response_edges() -> Case:
    old, new = _only_get_thing(base()), _only_get_thing(base())
    for spec in (old, new):
        spec["openapi"] = "3.1.0"
        spec["paths"]["/things/{thing_id}"]["get"]["responses"]["200"]["content"]["text/plain"] = {
            "schema": {"type": "string"}
        }
        spec["paths"]["/other"] = {
            "get": {
                "operationId": "getOther",
                "responses": {"200": {"description": "ok", "content": {"application/json": {}}}},
            }
        }
    props_old = old["components"]["schemas"]["Thing"]["properties"]
    props_new = new["components"]["schemas"]["Thing"]["properties"]
    props_old.update(
        note={"type": "string", "maxLength": 5, "minLength": 3},
        size={"type": "integer"},
        mode={"const": "auto"},
        level={"type": "string"},
        secret={"type": "string", "writeOnly": True},
    )
    props_new.update(
        note={"type": "string", "maxLength": 10, "minLength": 1},
        size={"type": ["integer", "string"]},
        mode={"type": "string"},
        level={"const": "high"},
    )
    del new["paths"]["/things/{thing_id}"]["get"]["responses"]["200"]["content"]["text/plain"]
    for spec, media in ((old, {"schema": {"$ref": "#/components/schemas/Thing"}}), (new, {})):
        spec["paths"]["/gone"] = {
            "get": {
                "operationId": "getGone",
                "responses": {"200": {"description": "ok", "content": {"application/json": media}}},
            }
        }
    new["paths"]["/other"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Thing"
    }
    return Case(
        "response edges",
        old,
        new,
        {
            "response-property-max-length-increased", "response-property-min-length-decreased",
            "response-property-list-of-types-widened", "response-property-any-of-added",
            "response-property-type-changed",
            "response-property-const-removed", "response-property-const-added", "response-media-type-removed",
            "response-optional-write-only-property-removed", "response-body-media-type-schema-added",
            "response-body-media-type-schema-removed",
        },
        witness={
            "response-property-max-length-increased": "abcdefgh",
            "response-property-min-length-decreased": "ab",
            "response-property-list-of-types-widened": "text",
            "response-property-const-removed": "manual",
            "response-property-const-added": "low",
        },
    )  # fmt: skip


def _case_lifecycle_policy() -> Case:
    """Sunsets and stability under a deprecation policy (oasdiff's WithDeprecation)."""
    old, new = base(), base()
    for spec in (old, new):
        spec["components"]["securitySchemes"] = {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}
        spec["components"]["schemas"]["Thing"]["properties"]["size"]["x-stability-level"] = "stable"
        for method_ in ("get", "post"):
            spec["paths"]["/things"][method_].update(deprecated=True, **{"x-sunset": "2099-01-01"})
        spec["paths"]["/things"]["get"]["parameters"][1].update(deprecated=True, **{"x-sunset": "2099-01-01"})
    for spec in (old, new):
        spec["paths"]["/widgets"] = {
            "get": {
                "operationId": "listWidgets",
                "deprecated": True,
                "x-sunset": "2099-01-01",
                "parameters": [
                    {
                        "name": name,
                        "in": "query",
                        "deprecated": True,
                        "x-sunset": "2099-01-01",
                        "schema": {"type": "string"},
                    }
                    for name in ("a", "b")
                ]
                + [{"name": "c", "in": "query", "schema": {"type": "string"}}],
                "responses": {"204": {"description": "done"}},
            }
        }
    for spec in (old, new):
        for path, op_id in (("/gadgets", "listGadgets"), ("/gizmos", "listGizmos")):
            spec["paths"][path] = {"get": {"operationId": op_id, "responses": {"204": {"description": "done"}}}}
    new["paths"]["/gadgets"]["get"]["deprecated"] = True  # no sunset, where the policy asks for one
    new["paths"]["/gizmos"]["get"].update(deprecated=True, **{"x-sunset": "2000-01-03"})  # too soon
    new["components"]["schemas"]["Thing"]["properties"]["note"]["deprecated"] = True
    widgets = new["paths"]["/widgets"]["get"]
    widgets["x-sunset"] = "2000-01-01"  # sooner, and closer than the policy allows
    del widgets["parameters"][0]["x-sunset"]
    widgets["parameters"][1]["x-sunset"] = "later"
    widgets["parameters"][2].update(deprecated=True, **{"x-sunset": "2000-01-02"})
    old["security"] = [{"key": []}]
    old["paths"]["/things"]["post"]["security"] = [{"key": []}]
    new["paths"]["/things"]["post"]["security"] = []
    del new["paths"]["/things"]["get"]["x-sunset"]  # sunset deleted
    new["paths"]["/things"]["post"]["x-sunset"] = "soon"  # no date
    new["paths"]["/things"]["get"]["parameters"][1]["x-sunset"] = "2000-01-01"  # sooner than the policy allows
    new["paths"]["/things/{thing_id}"]["get"]["x-stability-level"] = "sometime"
    new["paths"]["/things/{thing_id}"]["get"]["deprecated"] = True
    new["components"]["schemas"]["Thing"]["properties"]["size"]["x-stability-level"] = "beta"
    return Case(
        "lifecycle policy",
        old,
        new,
        {
            "sunset-deleted", "api-path-sunset-parse", "request-parameter-sunset-date-changed-too-small",
            "api-invalid-stability-level", "response-property-stability-decreased", "api-global-security-removed",
            "api-security-removed", "api-sunset-date-changed-too-small", "request-parameter-sunset-deleted",
            "request-parameter-sunset-parse", "request-parameter-deprecated", "request-parameter-sunset-date-too-small",
            "api-deprecated-sunset-missing", "api-sunset-date-too-small", "response-property-deprecated-sunset-missing",
        },
        witness={
            "credential": ("X-Key", "k-1"),
            "credentials": {"key": "k-1"},
            "credential_call": "things.create_thing",
        },
        deprecation_days=(30, 60),
    )  # fmt: skip


def _case_request_wrapping() -> Case:
    """A request body, and a property of another one, wrapped in a oneOf that still holds the old schema."""
    old, new = base(), base()
    new["components"]["schemas"]["Other"] = {"type": "object", "properties": {"name": {"type": "string"}}}
    for spec in (old, new):
        spec["components"]["schemas"]["Spec"] = {"type": "object", "properties": {"a": {"type": "string"}}}
        spec["components"]["schemas"]["Wrapper"] = {
            "type": "object",
            "properties": {"spec": {"$ref": "#/components/schemas/Spec"}},
        }
        spec["paths"]["/specs"] = {
            "post": {
                "operationId": "postSpec",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Wrapper"}}}},
                "responses": {"204": {"description": "done"}},
            }
        }
    new["components"]["schemas"]["Wrapper"]["properties"]["spec"] = {
        "oneOf": [{"$ref": "#/components/schemas/Spec"}, {"$ref": "#/components/schemas/Other"}]
    }
    content = new["paths"]["/things"]["post"]["requestBody"]["content"]["application/json"]
    content["schema"] = {"oneOf": [{"$ref": "#/components/schemas/NewThing"}, {"$ref": "#/components/schemas/Other"}]}
    fields = {"name": "n", "code": "abc", "count": 1, "kind": "small", "label": "l"}
    return Case(
        "request wrapping",
        old,
        new,
        {
            "request-body-one-of-added", "request-body-type-changed", "request-body-wrapped-in-one-of",
            "request-property-removed", "request-property-one-of-added", "request-property-type-changed",
        },
        witness={
            **{f"request-property-removed request body /{k}": v for k, v in fields.items()},
            "request-property-removed request body /spec/a": "x",
        },
    )  # fmt: skip


CASES: list[Callable[[], Case]] = [
    _case_methods, _case_arguments, _case_request_values, _case_request_fields, _case_responses,
    _case_one_of_wrapping, _case_bodies_and_statuses, _case_invented_ids, _case_security_and_servers,
    _case_quiet_api, _case_quiet_schemas, _case_lifecycle, _case_keys_and_unions, _case_read_only, _case_more,
    _case_request_edges, _case_response_edges, _case_lifecycle_policy, _case_request_wrapping,
    _case_typed_positions_and_keys,
]  # fmt: skip


# ---------------------------------------------------------------- the sentences the checks can write

CHECKS = Path(__file__).resolve().parents[2] / "generator" / "diff" / "checks"
# Templates no valid pair of specs can produce, so no generated client can show them, with the reason.
UNREACHABLE: dict[str, str] = {
    "{} takes a new optional argument `{}`; existing calls raise TypeError": (
        "the TypeError clause is written for a required parameter only (the reader of the source pairs each word "
        "with each clause)"
    ),
    "{} takes a new required argument `{}`": (
        "new-request-path-parameter: path parameters match by their place in the path, so a new one needs the "
        "old spec to declare a path parameter its path does not have, which the generator refuses"
    ),
}


def _skeletons(node: ast.AST, scope: ast.AST, module: ast.Module, depth: int = 0) -> set[str]:
    """The texts an impact expression can take, ``{}`` standing for what is formatted in."""
    if depth > 8:
        return {"{}"}
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value.replace("{", "{{").replace("}", "}}")}
    if isinstance(node, ast.JoinedStr):
        out = {""}
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                # A choice between words ({word}, {'a' if x else 'b'}) is spelled out; anything else is {}.
                words = _skeletons(part.value, scope, module, depth + 1)
                pieces = words if all("{" not in w for w in words) else {"{}"}
            else:
                pieces = _skeletons(part, scope, module, depth + 1)
            out = {a + b for a in out for b in pieces}
        return out
    if isinstance(node, ast.IfExp):
        return _skeletons(node.body, scope, module, depth + 1) | _skeletons(node.orelse, scope, module, depth + 1)
    if (
        isinstance(node, ast.Tuple)
        and len(node.elts) == 2
        and isinstance(node.elts[0], ast.Name)
        and node.elts[0].id in ("SUBJECT", "CALL")
    ):  # (SUBJECT, text): the place's subject (or the client call) and then the text (context.Impact)
        return {"{}" + rest for rest in _skeletons(node.elts[1], scope, module, depth + 1)}
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        lefts, rights = (
            _skeletons(node.left, scope, module, depth + 1),
            _skeletons(node.right, scope, module, depth + 1),
        )
        return {a + b for a in lefts for b in rights}
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):  # "text" * flag: the text or nothing
        return _skeletons(node.left, scope, module, depth + 1) | {""}
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):  # a module table of sentences
        for n in module.body:
            target = n.targets[0] if isinstance(n, ast.Assign) else n.target if isinstance(n, ast.AnnAssign) else None
            if isinstance(target, ast.Name) and target.id == node.value.id and isinstance(n.value, ast.Dict):
                return set().union(*(_skeletons(v, scope, module, depth + 1) for v in n.value.values))
    if isinstance(node, ast.Name):
        found: set[str] = set()
        for n in ast.walk(scope):
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets):
                found |= _skeletons(n.value, scope, module, depth + 1)
        if not found and isinstance(scope, ast.FunctionDef):
            found = _passed_for(node.id, scope, module, depth)
        return found or {"{}"}
    return {"{}"}


def _passed_for(name: str, function: ast.FunctionDef, module: ast.Module, depth: int) -> set[str]:
    """What the module's calls of ``function`` pass for its parameter ``name``."""
    params = [a.arg for a in function.args.args + function.args.kwonlyargs]
    if name not in params:
        return set()
    found: set[str] = set()
    for caller in (n for n in ast.walk(module) if isinstance(n, ast.FunctionDef)):
        for call in ast.walk(caller):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == function.name:
                given = [*call.args[params.index(name) : params.index(name) + 1]]
                given += [k.value for k in call.keywords if k.arg == name]
                for value in given:
                    found |= _skeletons(value, caller, module, depth + 1)
    return found


def impact_templates() -> dict[str, str]:
    """Every impact template the checks can write (from their source), with the module that writes it."""
    found: dict[str, str] = {}
    for path in sorted(CHECKS.glob("*.py")):
        if path.name in ("context.py", "memo.py"):  # the plumbing: its emits pass on what the families give
            continue
        module = ast.parse(path.read_text(encoding="utf-8"))
        functions = [n for n in ast.walk(module) if isinstance(n, ast.FunctionDef)]
        for call in (n for n in ast.walk(module) if isinstance(n, ast.Call)):
            f = call.func
            given = [k.value for k in call.keywords if k.arg == "impact"]
            if given and (isinstance(f, ast.Call) or getattr(f, "id", getattr(f, "attr", "")) == "emit"):
                impact = given[0]
            elif isinstance(f, ast.Attribute) and f.attr == "emit" and len(call.args) >= 5:
                impact = call.args[4]  # d.emit(rule, op, location, message, impact)
            elif ((isinstance(f, ast.Name) and f.id == "emit") or isinstance(f, ast.Call)) and len(call.args) == 3:
                impact = call.args[2]  # emit(rule, message, impact), emitter(where)(rule, message, impact)
            else:
                continue
            # The innermost function holding the call is where its names are bound.
            scope = min(
                (fn for fn in functions if any(n is call for n in ast.walk(fn))), key=lambda fn: len(ast.dump(fn))
            )
            for template in _skeletons(impact, scope, module):
                found.setdefault(template, path.name)
    return found


def template_pattern(template: str) -> re.Pattern[str]:
    """A template as a regex: ``{}`` is any text (two in a row are one: the second may be empty)."""
    parts = re.split(r"(\{\{|\}\}|\{\})", re.sub(r"(\{\})+", "{}", template))
    return re.compile("".join({"{{": r"\{", "}}": r"\}", "{}": "(.+)"}.get(p, re.escape(p)) for p in parts), re.S)


# ---------------------------------------------------------------- running them


def _write(folder: Path, spec: dict[str, Any]) -> Path:
    folder.mkdir(parents=True)
    (folder / "openapi.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    (folder / "vendor.yaml").write_text(
        f"package: {PACKAGE}\nclient_class: ApiClient\nspec: openapi.yaml\n", encoding="utf-8"
    )
    return folder


def diff_case(case: Case, root: Path) -> tuple[list[Finding], tuple[Path, Path]]:
    dirs = (_write(root / "specs" / "old", case.old), _write(root / "specs" / "new", case.new))
    sides = [load_side(d / "openapi.yaml", load_config(d)) for d in dirs]
    return diff_sides(*sides, deprecation_days=case.deprecation_days), dirs


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Pair]]:
    """Every case rendered by the generator, both sides, imported under their own top-level names."""
    root = tmp_path_factory.mktemp("impacts")
    sys.path.insert(0, str(root))
    pairs: dict[str, Pair] = {}
    try:
        for number, make in enumerate(CASES):
            case = make()
            folder = root / f"case{number}"
            findings, dirs = diff_case(case, folder)
            packages, outs = [], []
            for side, d in zip(("old", "new"), dirs, strict=True):
                top = f"impacts_case{number}_{side}"
                generate(d.parent, root / top, [d.name])
                packages.append(importlib.import_module(f"{top}.{PACKAGE}"))
                outs.append(root / top / PACKAGE)
            pairs[case.name] = Pair(case.name, packages[0], packages[1], dirs, (outs[0], outs[1]), findings, case)
        yield pairs
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.startswith("impacts_case")]:
            del sys.modules[name]


@pytest.mark.parametrize("make", CASES, ids=lambda m: m.__name__.removeprefix("_case_"))
def test_each_impact_holds_in_the_two_generated_clients(make: Callable[[], Case], rendered: dict[str, Pair]) -> None:
    pair = rendered[make().name]
    assert {f.id for f in pair.findings} == pair.case.expected, sorted(f.id for f in pair.findings)
    failures = []
    for finding in pair.findings:
        family, groups = family_of(finding.impact)
        check = Check(finding, groups, pair)
        try:
            check.names_are_real()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                family.verify(check)
        except AssertionError as exc:
            failures.append(f"{finding.id} at {finding.location}: {finding.impact!r} ({family.name}): {exc}")
    assert not failures, "\n".join(failures)


def test_every_sentence_of_the_table_is_reached_by_a_case(tmp_path: Path) -> None:
    """A sentence template in the table that no case emits is a claim nobody checked."""
    reached = set()
    for number, make in enumerate(CASES):
        findings, _ = diff_case(make(), tmp_path / str(number))
        for finding in findings:
            family_of(finding.impact)  # exactly one family
            reached |= {(f.name, p.pattern) for f in FAMILIES for p in f.compiled() if p.fullmatch(finding.impact)}
    unreached = [f"{f.name}: {p.pattern}" for f in FAMILIES for p in f.compiled() if (f.name, p.pattern) not in reached]
    assert not unreached, "sentences no case checks:\n" + "\n".join(unreached)


def test_every_template_in_the_checks_is_written_by_a_case(tmp_path: Path) -> None:
    """Read from the checks' source: each impact template they can write is emitted (and so checked) by a case.

    An impact is counted for the most specific templates it fits (most literal text), so that a template
    such as ``{} required`` is not taken as reached by ``{}: more required``.
    """
    templates = impact_templates()
    assert len(templates) > 100, "the reader of the checks' source found too few templates"
    patterns = {t: template_pattern(t) for t in templates if t != "{}"}
    reached: set[str] = set()
    for number, make in enumerate(CASES):
        for finding in diff_case(make(), tmp_path / str(number))[0]:
            fits = [t for t, p in patterns.items() if p.fullmatch(finding.impact)]
            assert fits, f"no template of the checks writes {finding.impact!r} (the source reader missed it)"
            best = max(len(t.replace("{}", "")) for t in fits)
            reached |= {t for t in fits if len(t.replace("{}", "")) == best}
    unreached = sorted(set(patterns) - reached - set(UNREACHABLE))
    assert not unreached, "templates no case writes (add a case):\n" + "\n".join(
        f"{templates[t]}: {t}" for t in unreached
    )
    stale = sorted(set(UNREACHABLE) - set(templates))
    assert not stale, f"UNREACHABLE names templates the checks no longer write: {stale}"


def test_every_impact_over_the_oracle_pairs_belongs_to_a_checked_family() -> None:
    """oasdiff's own cases reach sentences the cases above may not: each must be one of the families."""
    if not ORACLE.is_dir():
        pytest.skip(f"{ORACLE} is not present")
    unclaimed = set()
    for case in json.loads((ORACLE / "cases.json").read_text()):
        try:
            old = load_side(ORACLE / case["base"], None, validate=False)
            new = load_side(ORACLE / case["revision"], None, validate=False)
        except Exception:  # a fixture the loader refuses says nothing about sentences
            continue
        for finding in diff_sides(old, new, deprecation_days=(10, 20)):
            try:
                family_of(finding.impact)
            except AssertionError as exc:
                unclaimed.add(str(exc))
    assert not unclaimed, "\n".join(sorted(unclaimed))
