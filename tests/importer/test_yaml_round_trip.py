"""Import never changes a value for a YAML 1.1 reader (PyYAML) or a YAML 1.2 reader (ruamel.yaml).

The property: write a source document (JSON, or YAML from a 1.1 or a 1.2 writer), import it,
and every reader reads from the vendor's spec exactly what it read from the source.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from generator.errors import GeneratorError
from generator.importer.run import ImportRequest, run_import
from generator.importer.yamlio import dump_yaml, float_text, is_ambiguous, load_layout
from generator.spec.loader import parse_text

# Plain scalars YAML 1.1 and 1.2 readers disagree on, or read as something other than a string.
TRICKY = [
    "no", "No", "NO", "off", "Off", "yes", "Yes", "on", "ON", "y", "Y", "n", "N", "true", "False", "~", "null",
    "Null", "", "1e3", "1E3", "1.5e3", "0o12", "012", "1_000", "0b101", "0x1F", "+12", "-0", "1:20", "190:20:30.15",
    "2024-01-01", "2001-12-14t21:59:43.10-05:00", ".inf", "-.Inf", ".nan", "=", "<<", "1.0", "0.", "-.5",
]  # fmt: skip

strings = st.one_of(
    st.sampled_from(TRICKY), st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8)
)
scalars = st.one_of(
    strings,
    st.booleans(),
    st.none(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
)
data = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(strings, inner, max_size=4)),
    max_leaves=20,
)


def pyyaml_read(text: str) -> Any:
    """The YAML 1.1 reader."""
    return yaml.safe_load(text)


def ruamel_read(text: str) -> Any:
    """The YAML 1.2 reader."""
    return YAML(typ="safe", pure=True).load(text)


def ruamel_write(value: Any) -> str:
    """A YAML 1.2 writer: plain `no`, `y`, `1:20` (strings in 1.2)."""
    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(value, out)
    return out.getvalue()


WRITERS = {
    "json": lambda value: json.dumps(value, indent=2),
    "pyyaml": lambda value: yaml.safe_dump(value, sort_keys=False, allow_unicode=True),
    "ruamel": ruamel_write,
}
READERS = {"yaml 1.1 (PyYAML)": pyyaml_read, "yaml 1.2 (ruamel)": ruamel_read}


def source_document(payload: Any, names: list[str], words: list[str]) -> dict[str, Any]:
    """An OpenAPI document whose one operation needs a component carrying the payload everywhere it can."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Round trip", "version": "1.0.0"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "properties": {name: {"type": "string", "enum": words or ["x"]} for name in names},
                    "x-payload": payload,
                }
            }
        },
    }


TARGET_SPEC = """\
# A hand-written spec: its own plain scalars must read as before, by every reader.
openapi: 3.0.3
info:
  title: Target
  version: '1'
paths:
  /existing:
    get:
      operationId: existing
      x-mode: on
      responses:
        '200':
          description: ok
"""


def loads_here(text: str) -> bool:
    """Whether this project's own loader reads the text."""
    try:
        parse_text(text, Path("source.yaml"))
    except GeneratorError:
        return False
    return True


def make_target(root: Path) -> Path:
    vendor = root / "specs" / "target"
    vendor.mkdir(parents=True)
    (vendor / "vendor.yaml").write_text("package: target\nclient_class: TargetClient\nspec: openapi.yaml\n")
    (vendor / "openapi.yaml").write_text(TARGET_SPEC)
    return vendor / "openapi.yaml"


def imported_component(root: Path, vendor: str, source: Path) -> str:
    """Import ``listThings`` from ``source`` into ``vendor`` (created when new); return the spec text."""
    outcome = run_import(
        ImportRequest(
            vendor=vendor,
            source=str(source),
            specs_dir=root / "specs",
            out_dir=root / "out",
            regenerate=False,
            date="2024-01-01",
        )
    )
    assert outcome.written
    return outcome.spec_path.read_text(encoding="utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    payload=data,
    names=st.lists(strings.filter(lambda s: s != ""), max_size=3, unique=True),
    words=st.lists(strings, max_size=3, unique=True),
    writer=st.sampled_from(sorted(WRITERS)),
)
def test_import_write_reads_back_equal_for_every_reader(payload: Any, names: list[str], words: list[str],
                                                        writer: str) -> None:  # fmt: skip
    # A 1.2 writer's plain `no:` property name is `False` to this project's own (1.1) loader, which
    # cannot model a non-string property name: that source is unusable before any import.
    assume(writer != "ruamel" or all(isinstance(key, str) for key in pyyaml_read(ruamel_write(dict.fromkeys(names)))))
    document = source_document(payload, names, words)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        target = make_target(root)
        source = root / ("source.json" if writer == "json" else "source.yaml")
        source_text = WRITERS[writer](document)
        # A 1.2 writer's `{no: 1, No: 2}` has a duplicate key for a 1.1 reader: the loader refuses that source.
        assume(loads_here(source_text))
        source.write_text(source_text, encoding="utf-8")

        existing = imported_component(root, "target", source)
        created = imported_component(root, "fresh", source)

        assert (root / "specs" / "fresh" / ("openapi.json" if writer == "json" else "openapi.yaml")).is_file()
        for name, read in READERS.items():
            # JSON is read as JSON (PyYAML misreads JSON's surrogate-pair escapes; not the importer's doing).
            expected = (json.loads if writer == "json" else read)(source_text)["components"]["schemas"]["Thing"]
            assert read(existing)["components"]["schemas"]["Thing"] == expected, (name, writer, existing)
            assert (json.loads if writer == "json" else read)(created)["components"]["schemas"]["Thing"] == expected
            # The vendor's own plain `x-mode: on` still reads as each reader read it before.
            assert read(existing)["paths"]["/existing"] == read(TARGET_SPEC)["paths"]["/existing"], name
        assert target.read_text(encoding="utf-8").startswith("# A hand-written spec")


def test_discord_locale_no_stays_a_string() -> None:
    """The Discord locale `no` (Norwegian) must not become `false` when written as YAML."""
    written = dump_yaml({"title": "no", "const": "no", "enum": ["no", "y", "1e3", "0o12"], "no": 1})
    for read in READERS.values():
        assert read(written) == {"title": "no", "const": "no", "enum": ["no", "y", "1e3", "0o12"], "no": 1}


def test_floats_always_read_back_as_floats() -> None:
    for value in (1e20, 1e-07, 5e-324, 1.7976931348623157e308, -0.0, 1000.0, 0.1):
        for read in READERS.values():
            assert read(f"v: {float_text(value)}\n") == {"v": value}


def test_ambiguity_covers_both_yaml_versions() -> None:
    for text in TRICKY:
        assert is_ambiguous(text), text
    assert not is_ambiguous("like")
    assert not is_ambiguous("no thanks")


def test_a_yaml_sources_own_plain_scalars_are_written_back_as_they_were() -> None:
    """Plain `on`, `no:` keys, comments, anchors and merge keys: the text comes back byte for byte."""
    text = (
        "base: &b\n  mode: on\n  no: 1 # the key `no`\n  y: 2\nchild:\n  x: 1\n  <<: *b\n  extra: yes\n  on: 2\n"
        "list: &l [on, off, 1e3, 0o12, 2024-01-01]\nagain: *l\n"
    )
    layout = load_layout(text)
    assert dump_yaml(layout) == text
