"""Property-based: names drawn from what Python and pydantic reserve still give working models.

Schema names, property names and enum values are drawn from Python keywords, builtins, ``str``
and ``int`` method names and ``BaseModel`` attributes (plus spellings of them). Every drawn spec
must give a models module that compiles, imports, round-trips payloads under the wire names, and
(all examples in one run) passes ``mypy --strict``.
"""

from __future__ import annotations

import builtins
import keyword
from pathlib import Path
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.emit_models.support import import_fresh, load_doc, mypy_strict, write_packages

RESERVED = sorted(
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | {n for n in dir(builtins) if not n.startswith("_")}
    | {n for n in set(dir(str)) | set(dir(int)) if not n.startswith("_")}
    | {n for n in dir(pydantic.BaseModel) if not n.startswith("_")}
    | {"self", "root", "name", "value", "model_id", "models", "Client", "Field", "Any", "date", "UUID", "_"}
)
NAMES = st.sampled_from(RESERVED).flatmap(
    lambda n: st.sampled_from([n, n.upper(), n.title(), f"{n}-x", f"{n} {n}", f"_{n}", f"{n}2", f"1{n}"])
)
SCHEMA_NAME = st.sampled_from(RESERVED).flatmap(lambda n: st.sampled_from([n, n.title(), n.upper(), f"{n}_x"]))

EXAMPLES: list[tuple[str, dict[str, Any]]] = []


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    names = draw(st.lists(SCHEMA_NAME, min_size=2, max_size=4, unique_by=str.lower))
    enum_name, *object_names = names
    values = draw(st.lists(NAMES, min_size=1, max_size=8, unique=True))
    schemas: dict[str, Any] = {enum_name: {"type": "string", "enum": values}}
    for obj in object_names:
        props = draw(st.lists(NAMES, min_size=1, max_size=8, unique=True))
        schemas[obj] = {
            "type": "object",
            "properties": {p: {"type": "string"} for p in props}
            | {"ref_" + enum_name: {"$ref": f"#/components/schemas/{enum_name}"}},
        }
        if len(props) > 1:
            schemas[obj]["required"] = props[: len(props) // 2]
    return {
        "openapi": "3.0.3",
        "info": {"title": "names", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("names")


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(doc=specs())
def test_reserved_names_give_models_that_round_trip(root: Path, doc: dict[str, Any]) -> None:
    package = f"names{len(EXAMPLES)}"
    spec = load_doc(root / "specs", doc, package)
    write_packages(root, [spec])
    source = (root / package / "models.py").read_text(encoding="utf-8")
    compile(source, package, "exec")
    models = import_fresh(root, f"{package}.models")
    EXAMPLES.append((package, doc))
    schemas = {s.name: s for s in spec.api.schemas}
    wire_schemas = doc["components"]["schemas"]
    enum_wire = next(n for n, s in wire_schemas.items() if "enum" in s)
    enum_named = next(s for s in spec.api.schemas if s.original_name == enum_wire or s.name == enum_wire)
    enum_cls = getattr(models, enum_named.class_name)
    for value in wire_schemas[enum_wire]["enum"]:
        assert enum_cls(value).value == value
    for named in schemas.values():
        if named is enum_named:
            continue
        cls = getattr(models, named.class_name)
        props = named.schema.properties  # type: ignore[union-attr]
        payload = {p.name: f"v-{p.name}" for p in props if not p.name.startswith("ref_")}
        payload |= {p.name: wire_schemas[enum_wire]["enum"][0] for p in props if p.name.startswith("ref_")}
        instance = cls.model_validate(payload)
        assert instance.model_dump(mode="json", by_alias=True) == payload
        for p in props:
            got = getattr(instance, p.python_name)
            assert (got.value if hasattr(got, "value") and p.name.startswith("ref_") else got) == payload[p.name]
        # Python names build the model too (populate_by_name).
        again = cls(**{p.python_name: getattr(instance, p.python_name) for p in props})
        assert again == instance


def test_all_drawn_packages_pass_mypy_strict(root: Path) -> None:
    assert len(EXAMPLES) >= 10, "the property test runs first and draws the packages"
    proc = mypy_strict(root, [p for p, _ in EXAMPLES])
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
