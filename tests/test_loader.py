"""Loader: YAML and JSON parsing, file $ref bundling, and located errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.errors import SpecError
from generator.spec.loader import MAX_DEPTH, load_document, resolve_pointer

HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_and_json_give_the_same_document(tmp_path: Path) -> None:
    data = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
        "x-date": "2024-01-01",
    }
    y = write(
        tmp_path / "a.yaml",
        HEAD + "paths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\nx-date: 2024-01-01\n",
    )
    j = write(tmp_path / "a.json", json.dumps(data))
    # YAML timestamps stay strings: OpenAPI documents are JSON data.
    assert load_document(y).data == data == load_document(j).data


def test_json_content_in_a_yaml_named_file_and_bom(tmp_path: Path) -> None:
    f = tmp_path / "spec.yaml"
    f.write_bytes(b"\xef\xbb\xbf" + b'{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}')
    assert load_document(f).data["openapi"] == "3.1.0"


def test_relative_file_refs_are_bundled_into_components(tmp_path: Path) -> None:
    write(
        tmp_path / "openapi.yaml",
        HEAD
        + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        + "          content:\n            application/json:\n"
        + "              schema: {$ref: 'models/pet.yaml#/components/schemas/Pet'}\n",
    )
    write(
        tmp_path / "models" / "pet.yaml",
        "components:\n  schemas:\n    Pet:\n      type: object\n      properties:\n"
        "        owner: {$ref: '../common.yaml#/Owner'}\n        tag: {$ref: '#/components/schemas/Tag'}\n"
        "    Tag: {type: string}\n",
    )
    write(tmp_path / "common.yaml", "Owner: {type: object, properties: {name: {type: string}}}\n")
    doc = load_document(tmp_path / "openapi.yaml")
    schemas = doc.data["components"]["schemas"]
    ref = doc.data["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/Pet"
    assert schemas["Pet"]["properties"]["tag"] == {"$ref": "#/components/schemas/Tag"}
    assert schemas["Tag"] == {"type": "string"}
    owner_ref = schemas["Pet"]["properties"]["owner"]["$ref"]
    assert resolve_pointer(doc.data, owner_ref) == {"type": "object", "properties": {"name": {"type": "string"}}}
    assert set(doc.included) == {(tmp_path / "models" / "pet.yaml").resolve(), (tmp_path / "common.yaml").resolve()}


def test_cycle_across_two_files_is_bundled_once(tmp_path: Path) -> None:
    write(
        tmp_path / "openapi.yaml",
        HEAD + "paths: {}\ncomponents:\n  schemas:\n    Root: {$ref: 'a.yaml#/components/schemas/A'}\n",
    )
    write(tmp_path / "a.yaml", "components:\n  schemas:\n    A:\n      properties:\n        b: {$ref: 'b.yaml#/B'}\n")
    write(tmp_path / "b.yaml", "B:\n  properties:\n    a: {$ref: 'a.yaml#/components/schemas/A'}\n")
    doc = load_document(tmp_path / "openapi.yaml")
    schemas = doc.data["components"]["schemas"]
    assert schemas["Root"] == {"$ref": "#/components/schemas/A"}
    b_ref = schemas["A"]["properties"]["b"]["$ref"]
    assert resolve_pointer(doc.data, b_ref)["properties"]["a"] == {"$ref": "#/components/schemas/A"}
    # Every ref in the bundled document is local.
    assert "yaml" not in json.dumps(doc.data)


def test_duplicate_keys_are_errors_with_line(tmp_path: Path) -> None:
    f = write(
        tmp_path / "dup.yaml",
        HEAD + "paths: {}\ncomponents:\n  schemas:\n    A: {type: string}\n    A: {type: integer}\n",
    )
    with pytest.raises(SpecError, match="duplicate key 'A'") as info:
        load_document(f)
    assert info.value.file == f and info.value.line == 7
    j = write(tmp_path / "dup.json", '{"openapi": "3.0.3",\n "openapi": "3.1.0"}')
    with pytest.raises(SpecError, match="duplicate key 'openapi'") as info:
        load_document(j)
    assert info.value.file == j


def test_remote_ref_is_refused(tmp_path: Path) -> None:
    f = write(
        tmp_path / "openapi.yaml",
        HEAD + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'https://example.com/s.yaml#/A'}\n",
    )
    with pytest.raises(SpecError, match=r"remote \$ref .* is not fetched") as info:
        load_document(f)
    assert info.value.pointer == "/components/schemas/A/$ref"


def test_ref_escaping_the_spec_folder_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "secret.yaml", "A: {type: string}\n")
    f = write(
        tmp_path / "spec" / "openapi.yaml",
        HEAD + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: '../secret.yaml#/A'}\n",
    )
    with pytest.raises(SpecError, match="outside the spec's folder") as info:
        load_document(f)
    assert info.value.pointer == "/components/schemas/A/$ref"
    # A symlink inside the folder that leads outside it is refused the same way.
    (tmp_path / "spec" / "link.yaml").symlink_to(tmp_path / "secret.yaml")
    write(f, HEAD + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'link.yaml#/A'}\n")
    with pytest.raises(SpecError, match="outside the spec's folder"):
        load_document(f)


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("#/components/schemas/Missing", "nothing at /components/schemas/Missing"),
        ("other.yaml#/Nope", "nothing at /Nope in other.yaml"),
        ("absent.yaml#/A", "does not exist"),
    ],
)
def test_unresolvable_ref_is_located(tmp_path: Path, ref: str, message: str) -> None:
    write(tmp_path / "other.yaml", "A: {type: string}\n")
    f = write(
        tmp_path / "openapi.yaml",
        HEAD + f"paths: {{}}\ncomponents:\n  schemas:\n    Ok: {{type: string}}\n    A:\n      $ref: '{ref}'\n",
    )
    with pytest.raises(SpecError, match=message) as info:
        load_document(f)
    assert info.value.file == f
    assert info.value.pointer == "/components/schemas/A/$ref"
    from generator.ir.load import _locate

    _locate(info.value, None)
    assert info.value.line == 8
    assert str(info.value).startswith(f"{f}:8: at /components/schemas/A/$ref: ")


def test_error_in_a_referenced_file_names_that_file(tmp_path: Path) -> None:
    write(tmp_path / "openapi.yaml", HEAD + "paths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'models.yaml#/A'}\n")
    bad = write(tmp_path / "models.yaml", "A:\n  b: {$ref: '#/Missing'}\n")
    with pytest.raises(SpecError, match="unresolvable") as info:
        load_document(tmp_path / "openapi.yaml")
    assert info.value.file == bad.resolve()
    assert info.value.pointer == "/A/b/$ref"


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["  a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    f = write(tmp_path / "bomb.yaml", HEAD + "paths: {}\nx-bomb:\n" + "\n".join(lines) + "\n")
    with pytest.raises(SpecError, match="alias bomb") as info:
        load_document(f)
    assert info.value.file == f
    assert info.value.pointer is not None and info.value.pointer.startswith("/x-bomb/a")


def test_recursive_yaml_alias_is_refused(tmp_path: Path) -> None:
    f = write(tmp_path / "rec.yaml", HEAD + "paths: {}\nx-loop: &loop\n  self: *loop\n")
    with pytest.raises(SpecError, match="recursive YAML alias") as info:
        load_document(f)
    assert info.value.pointer == "/x-loop/self"


def test_legitimate_aliases_become_independent_copies(tmp_path: Path) -> None:
    f = write(
        tmp_path / "alias.yaml",
        HEAD + "paths: {}\nx-a: &shared {type: object, properties: {n: {type: string}}}\nx-b: *shared\n",
    )
    data = load_document(f).data
    assert data["x-a"] == data["x-b"]
    assert data["x-a"] is not data["x-b"]
    assert data["x-a"]["properties"] is not data["x-b"]["properties"]


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_deep_nesting_is_a_located_error(tmp_path: Path, suffix: str) -> None:
    depth = MAX_DEPTH + 50  # parseable by Python, too deep for us
    schema = {"type": "string"}
    for _ in range(depth // 2):
        schema = {"properties": {"a": schema}}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"D": schema}},
    }
    f = write(tmp_path / f"deep.{suffix}", json.dumps(doc))
    with pytest.raises(SpecError, match="nested deeper than") as info:
        load_document(f)
    assert info.value.file == f
    assert info.value.pointer is not None and info.value.pointer.startswith("/components/schemas/D/properties")


def test_very_deep_nesting_does_not_raise_recursion_error(tmp_path: Path) -> None:
    n = 5000
    f = write(tmp_path / "deep.json", '{"openapi": "3.0.3", "x": ' + '{"a": ' * n + "1" + "}" * n + "}")
    with pytest.raises(SpecError, match="nested deeper"):
        load_document(f)
    g = write(tmp_path / "deep.yaml", HEAD + "x: " + "[" * n + "]" * n + "\n")
    with pytest.raises(SpecError, match="nest"):
        load_document(g)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "expected a mapping at the top level, found NoneType"),
        (b"- a\n- b\n", "expected a mapping at the top level, found list"),
        (b"openapi: 3.0.3\ninfo: [\n", "invalid YAML"),
        (b"swagger: '2.0'\ninfo: {title: t, version: '1'}\n", "Swagger 2.0"),
        (b"title: no version field\n", "not an OpenAPI document"),
        (b"openapi: 3.0.3\ninfo: {title: \xff\xfe}\n", "not UTF-8 text"),
    ],
)
def test_bad_documents_are_spec_errors(tmp_path: Path, content: bytes, message: str) -> None:
    f = tmp_path / "bad.yaml"
    f.write_bytes(content)
    with pytest.raises(SpecError, match=message) as info:
        load_document(f)
    assert info.value.file == f


def test_invalid_json_has_line(tmp_path: Path) -> None:
    f = write(tmp_path / "bad.json", '{"openapi": "3.0.3",\n"info": {}\n} trailing')
    with pytest.raises(SpecError, match="invalid JSON: Extra data") as info:
        load_document(f)
    assert info.value.line == 3


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="file not found"):
        load_document(tmp_path / "nope.yaml")
