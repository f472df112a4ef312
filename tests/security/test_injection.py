# ruff: noqa: RUF001, RUF003  (look-alike characters are the point of these tests)
"""Code injection: hostile spec text must come out as data, never as code.

Specs of one fixed shape (three object schemas, an enum schema, two operations with path,
query and header parameters, tags, descriptions and examples) are filled with hostile
text: quotes, triple quotes, backslashes, newlines, ``#``, Python keywords and builtins,
unicode look-alikes, very long strings, names that differ only in case or punctuation,
and names of the runtime's own objects. Each generated package must compile, import
(in a subprocess) and have the same *kinds* of code as a benign spec of the same shape:
the same imports, no call target, bare name or top-level statement kind the benign
package lacks, and expression statements that are only docstrings or template calls.
"""

from __future__ import annotations

import ast
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.output.writer import read_tree
from generator.pipeline import generate

REPO = Path(__file__).resolve().parents[2]
PACKAGE = "hostile"
# Marker every injected payload calls; it must never be a call target, name or import.
MARK = "__pwned__"

NASTY = [
    '"',
    "'",
    '"""',
    "'''",
    "\\",
    "\\n",
    "\n",
    "\r\n",
    "\t",
    "#",
    "# noqa",
    "\x00",
    "\x1b[31m",
    "\u2028",
    "\ufeff",
    "{",
    "}",
    "{{ v }}",
    "{% raw %}",
    "$",
    "`",
    ";",
    "\\x00",
    '"""; __pwned__()  #',
    "'''; __pwned__()  #",
    "'); __pwned__(); ('",
    '"); __pwned__(); ("',
    "\nimport os\n__pwned__()\n",
    '\\"""\n__pwned__()\n"""',
    "__import__('os').system('__pwned__')",
    "class",
    "def",
    "None",
    "True",
    "lambda",
    "import",
    "match",
    "type",
    "_",
    "self",
    "cls",
    "list",
    "dict",
    "str",
    "print",
    "exec",
    "eval",
    "__init__",
    "__class__",
    "__dict__",
    "Client",
    "AsyncClient",
    "Response",
    "APIResponse",
    "Error",
    "APIError",
    "BaseModel",
    "RootModel",
    "Field",
    "ConfigDict",
    "NOT_GIVEN",
    "NotGiven",
    "Operation",
    "models",
    "httpx",
    "os",
    "cast",
    "finish",
    "body",
    "extra_headers",
    "timeout",
    "ＣＬＩＥＮＴ",  # fullwidth look-alike
    "Сlient",  # Cyrillic С
    "ｃｌａｓｓ",
    "é",
    "𝔣𝔬𝔬",
    "١٢٣",
    "0",
    "1abc",
    "-",
    ".",
    "/",
    " ",
    "x" * 300,
]

piece = st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=8))
hostile_text = st.lists(piece, min_size=1, max_size=4).map("".join)
# Names that collide in Python once case and punctuation are gone.
COLLIDING = ["item", "Item", "ITEM", "i-tem", "i_tem", "i.tem", "item ", "Item2", "item2", "i\ntem"]
hostile_name = st.one_of(st.sampled_from(COLLIDING), hostile_text)


def _safe_path_name(text: str) -> bool:
    return bool(text) and not any(c in text for c in "{}/?#%\x00\r\n") and text.strip() == text


def build_spec(n: dict[str, Any]) -> dict[str, Any]:
    """The fixed-shape spec, with every name and text taken from ``n``."""
    s0, s1, s2, enum_name = n["schemas"]
    props = n["props"]
    return {
        "openapi": "3.0.3",
        "info": {"title": n["text"][0], "version": n["text"][1], "description": n["text"][2]},
        "servers": [{"url": "http://127.0.0.1:9/api"}],
        "tags": [{"name": n["tags"][0], "description": n["text"][3]}],
        "paths": {
            "/things": {
                "post": {
                    "operationId": n["ops"][0],
                    "tags": [n["tags"][0]],
                    "summary": n["text"][4],
                    "description": n["text"][5],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{_esc(s0)}"}}},
                    },
                    "responses": {
                        "200": {
                            "description": n["text"][6],
                            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{_esc(s1)}"}}},
                        },
                        "404": {"description": n["text"][7]},
                    },
                }
            },
            f"/things/{{{n['path_param']}}}": {
                "get": {
                    "operationId": n["ops"][1],
                    "tags": [n["tags"][1]],
                    "description": n["text"][8],
                    "parameters": [
                        {
                            "name": n["path_param"],
                            "in": "path",
                            "required": True,
                            "description": n["text"][9],
                            "schema": {"type": "string"},
                        },
                        {
                            "name": n["params"][0],
                            "in": "query",
                            "description": n["text"][10],
                            "example": n["text"][11],
                            "schema": {"type": "string", "enum": n["enum"]},
                        },
                        {
                            "name": n["params"][1],
                            "in": "header",
                            "schema": {"type": "integer"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{_esc(s2)}"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                s0: {
                    "type": "object",
                    "description": n["text"][12],
                    "required": [props[0]],
                    "properties": {
                        props[0]: {"type": "string", "description": n["text"][13], "example": n["text"][14]},
                        props[1]: {"type": "integer", "default": 3},
                        props[2]: {"$ref": f"#/components/schemas/{_esc(enum_name)}"},
                    },
                },
                s1: {
                    "type": "object",
                    "properties": {
                        props[0]: {"type": "string", "default": n["text"][15]},
                        props[3]: {"type": "array", "items": {"$ref": f"#/components/schemas/{_esc(s0)}"}},
                    },
                },
                s2: {
                    "type": "object",
                    "properties": {props[1]: {"type": "boolean", "description": n["text"][1]}},
                },
                enum_name: {"type": "string", "description": n["text"][2], "enum": n["enum"]},
            }
        },
    }


def _esc(name: str) -> str:
    """A JSON pointer token for ``name``, percent-encoded as a URI fragment needs."""
    import urllib.parse

    return urllib.parse.quote(name.replace("~", "~0").replace("/", "~1"), safe="")


BENIGN: dict[str, Any] = {
    "schemas": ["Alpha", "Beta", "Gamma", "Colour"],
    "props": ["first", "second", "third", "fourth"],
    "ops": ["createThing", "getThing"],
    "tags": ["things", "lookups"],
    "params": ["filter", "X-Trace"],
    "path_param": "thing_id",
    "enum": ["red", "green", "blue"],
    "text": [f"text {i}" for i in range(16)],
}

names_strategy = st.fixed_dictionaries(
    {
        "schemas": st.lists(hostile_name, min_size=4, max_size=4, unique=True),
        "props": st.lists(hostile_name, min_size=4, max_size=4, unique=True),
        "ops": st.lists(hostile_name, min_size=2, max_size=2, unique=True),
        "tags": st.lists(hostile_name, min_size=2, max_size=2),
        "params": st.lists(hostile_name, min_size=2, max_size=2, unique=True),
        "path_param": hostile_name.filter(_safe_path_name),
        "enum": st.lists(hostile_text, min_size=1, max_size=4, unique=True),
        "text": st.lists(hostile_text, min_size=16, max_size=16),
    }
)

_counter = itertools.count()


def generate_package(root: Path, names: dict[str, Any]) -> Path:
    """Write the spec under ``root`` and generate it into a fresh out folder; return the package dir."""
    k = next(_counter)
    specs = root / f"specs{k}"
    (specs / PACKAGE).mkdir(parents=True)
    (specs / PACKAGE / "openapi.json").write_text(json.dumps(build_spec(names)), encoding="utf-8")
    (specs / PACKAGE / "vendor.yaml").write_text(
        f"package: {PACKAGE}\nclient_class: HostileClient\nspec: openapi.json\n"
    )
    out = root / f"out{k}"
    generate(specs, out)
    return out / PACKAGE


# ---------------------------------------------------------------- syntax-tree shape


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return _dotted(node.value) + "." + node.attr
    if isinstance(node, ast.Subscript):
        return _dotted(node.value) + "[]"
    if isinstance(node, ast.Call):
        return _dotted(node.func) + "()"
    return type(node).__name__


def shape(source: str) -> dict[str, set[str]]:
    """What kinds of code a module holds, with its own (spec-derived) names abstracted away."""
    tree = ast.parse(source)
    local: set[str] = set()  # names the module binds itself: classes, functions, arguments, targets
    models: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            local.add(node.name)
        elif isinstance(node, ast.arg):
            local.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            local.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "models":
            models.add(node.attr)

    def norm(text: str) -> str:
        parts = text.split(".")
        out = []
        for i, p in enumerate(parts):
            base = p.removesuffix("()").removesuffix("[]")
            suffix = p[len(base) :]
            if (i == 0 and base in local) or (i == 1 and parts[0] == "models" and base in models):
                out.append("<local>" + suffix)
            elif i > 0 and parts[0] == "self":
                out.append("<attr>" + suffix)
            else:
                out.append(p)
        return ".".join(out)

    result: dict[str, set[str]] = {k: set() for k in ("imports", "calls", "names", "top", "exprs", "decorators")}
    for stmt in tree.body:
        result["top"].add(type(stmt).__name__)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            result["imports"] |= {f"import {a.name} as {a.asname}" for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            result["imports"] |= {f"from {node.module} import {a.name} as {a.asname}" for a in node.names}
        elif isinstance(node, ast.Call):
            result["calls"].add(norm(_dotted(node.func)))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in local:
            result["names"].add(node.id)
        elif isinstance(node, ast.Expr):
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                result["exprs"].add("docstring")
            elif isinstance(value, ast.Constant) and value.value is Ellipsis:
                result["exprs"].add("...")
            else:
                inner = value.value if isinstance(value, ast.Await) else value
                result["exprs"].add(type(value).__name__ + ":" + norm(_dotted(inner)))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            result["decorators"] |= {norm(_dotted(d)) for d in node.decorator_list}
        # Sanitized identifiers may keep the marker's letters (an enum member ``field__pwned__``);
        # calling it, or defining a function of that name, would be injected code.
        if isinstance(node, ast.Call):
            assert MARK not in _dotted(node.func), f"injected call {_dotted(node.func)!r}"
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            assert MARK not in node.name, f"injected function {node.name!r}"
    return result


# Kinds of code models.py may hold whatever the spec says (imports the formatter keeps depend on
# the value types it meets: StrEnum for strings, Enum for mixed values...).
MODELS_TOLERATED_IMPORTS = {
    "from enum import Enum as None",
    "from enum import StrEnum as None",
    "from enum import IntEnum as None",
    "from pydantic import RootModel as None",
    "from pydantic import ConfigDict as None",
    "from pydantic import Field as None",
    "from typing import Literal as None",
    "from typing import Any as None",
    "from typing import Annotated as None",
    "from datetime import date as None",
    "from uuid import UUID as None",
    "from pydantic import AwareDatetime as None",
}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, set[str]]]:
    pkg = generate_package(tmp_path_factory.mktemp("baseline"), BENIGN)
    return {
        name: shape((pkg / name).read_text(encoding="utf-8")) for name in ("_client.py", "models.py", "__init__.py")
    }


def assert_same_kinds(pkg: Path, baseline: dict[str, dict[str, set[str]]]) -> None:
    for name, base in baseline.items():
        source = (pkg / name).read_text(encoding="utf-8")
        compile(source, str(pkg / name), "exec")
        got = shape(source)
        for kind, values in got.items():
            allowed = base[kind]
            if name == "models.py" and kind == "imports":
                allowed = allowed | MODELS_TOLERATED_IMPORTS
            if name == "models.py" and kind == "names":
                # Enum / RootModel / Field / Literal / Any appear with the imports above.
                allowed = allowed | {"Enum", "StrEnum", "IntEnum", "RootModel", "Field", "ConfigDict", "Literal", "Any"}
                allowed = allowed | {"Annotated", "_date", "UUID", "AwareDatetime"}
            if name == "models.py" and kind == "calls":
                allowed = allowed | {"Field", "ConfigDict"}
            extra = values - allowed
            assert not extra, f"{name}: {kind} not in the benign package: {sorted(extra)}"
        assert MARK not in "".join(got["calls"] | got["names"] | got["imports"])


def import_in_subprocess(out_dirs: list[Path]) -> None:
    """Import each ``out/hostile`` package in a fresh interpreter and touch both clients."""
    code = (
        "import importlib, sys\n"
        "for root in sys.argv[1:]:\n"
        "    sys.path.insert(0, root)\n"
        f"    pkg = importlib.import_module({PACKAGE!r})\n"
        "    c = pkg.Client(base_url='http://127.0.0.1:9')\n"
        "    repr(c); c.close()\n"
        "    pkg.AsyncClient(base_url='http://127.0.0.1:9')\n"
        "    for m in list(sys.modules):\n"
        f"        if m == {PACKAGE!r} or m.startswith({PACKAGE + '.'!r}):\n"
        "            del sys.modules[m]\n"
        "    sys.path.remove(root)\n"
        "print('ok')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *map(str, out_dirs)],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stdout + proc.stderr


GENERATED: list[Path] = []  # packages the property test made, for the mypy sample


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(names=names_strategy)
def test_hostile_names_and_text_stay_data(
    names: dict[str, Any], tmp_path_factory: pytest.TempPathFactory, baseline: dict[str, dict[str, set[str]]]
) -> None:
    pkg = generate_package(tmp_path_factory.mktemp("hostile"), names)
    assert_same_kinds(pkg, baseline)
    GENERATED.append(pkg.parent)


def test_property_packages_import() -> None:
    """Every package the property test generated imports, in one fresh interpreter."""
    if not GENERATED:
        pytest.skip("run together with test_hostile_names_and_text_stay_data")
    import_in_subprocess(GENERATED)


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(names=names_strategy)
def test_colliding_names_are_disambiguated_deterministically(
    names: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("twice")
    first = read_tree(generate_package(root, names))
    second = read_tree(generate_package(root, names))
    assert first == second


# ---------------------------------------------------------------- hand-written worst cases

WORST_CASES: dict[str, dict[str, Any]] = {
    "runtime-names": {
        **BENIGN,
        "schemas": ["Client", "Response", "BaseModel", "Field"],
        "props": ["models", "httpx", "self", "NOT_GIVEN"],
        "ops": ["request", "with_raw_response"],
        "tags": ["Client", "_api"],
        "params": ["body", "extra_headers"],
        "path_param": "timeout",
    },
    "case-and-punctuation": {
        **BENIGN,
        "schemas": ["item", "Item", "i-tem", "ITEM"],
        "props": ["a_b", "a-b", "aB", "A B"],
        "ops": ["get-thing", "get_thing"],
        "tags": ["T", "t"],
        "params": ["max_retries", "max-retries"],
        "path_param": "Max_Retries",
    },
    "triple-quotes-everywhere": {
        "schemas": ['a"""b', "a'''b", 'x"', "y\\"],
        "props": ['"""', "'''", "\\", "#"],
        "ops": ['op"""; __pwned__()  #', "op'''"],
        "tags": ['"""', "\\"],
        "params": ['"); __pwned__(); ("', 'X-\\"""'],
        "path_param": "id'\"",
        "enum": ['"""', "'''", "\\", '\\"""\n__pwned__()\n"""', "a\nb", '"'],
        "text": ['"""; __pwned__()  #', "\\", '"', "'", '\\"""', "x\\", "\n\n", "\r", "\x00", "\u2028", "#"]
        + ["é"] * 5,
    },
    "keywords-and-builtins": {
        "schemas": ["class", "None", "list", "type"],
        "props": ["def", "return", "match", "print"],
        "ops": ["import", "lambda"],
        "tags": ["class", "async"],
        "params": ["from", "global"],
        "path_param": "if",
        "enum": ["None", "True", "False", "class"],
        "text": ["None"] * 16,
    },
    "unicode-and-long": {
        "schemas": ["ＣＬＩＥＮＴ", "Сlient", "𝔣𝔬𝔬", "é" * 200],
        "props": ["ｃｌａｓｓ", "١٢٣", "x" * 500, "ß"],
        "ops": ["ｏｐ", "o" * 400],
        "tags": ["日本語", "\u200b"],
        "params": ["ｐ", "\u00a0"],
        "path_param": "ıd",
        "enum": ["\ufeff", "\u2028", "é" * 300],
        "text": ["\u202e reversed"] * 16,
    },
}


@pytest.fixture(scope="module")
def worst_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("worst")
    return {name: generate_package(root, names) for name, names in WORST_CASES.items()}


@pytest.mark.parametrize("case", sorted(WORST_CASES))
def test_worst_case_spec(case: str, worst_packages: dict[str, Path], baseline: dict[str, dict[str, set[str]]]) -> None:
    assert_same_kinds(worst_packages[case], baseline)


def test_worst_cases_import(worst_packages: dict[str, Path]) -> None:
    import_in_subprocess([p.parent for p in worst_packages.values()])


def test_runtime_names_are_not_shadowed(worst_packages: dict[str, Path]) -> None:
    models = (worst_packages["runtime-names"] / "models.py").read_text(encoding="utf-8")
    tree = ast.parse(models)
    classes = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    assert {"ClientModel", "ResponseModel", "BaseModelModel", "FieldModel"} <= classes, classes
    assert not {"Client", "Response", "BaseModel", "Field"} & classes


def test_mypy_strict_on_a_sample(worst_packages: dict[str, Path], tmp_path: Path) -> None:
    """One mypy run over the hand-written worst cases and a few property-test packages."""
    import shutil

    sample = list(worst_packages.items()) + [(f"prop{i}", p / PACKAGE) for i, p in enumerate(GENERATED[:3])]
    for name, pkg in sample:
        shutil.copytree(
            pkg, tmp_path / ("hostile_" + name.replace("-", "_")), ignore=shutil.ignore_patterns("__pycache__")
        )
    targets = sorted(p.name for p in tmp_path.iterdir())
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",
            "/tmp/mypy-cache-tests-security",
            "-p",
            *" -p ".join(targets).split(" "),
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]
