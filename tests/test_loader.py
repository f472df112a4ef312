"""Loader: YAML and JSON parsing, file $ref bundling, and located errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.errors import SpecError
from generator.ir.load import load_spec
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
        ("#/components/schemas/Missing", "unresolvable $ref '#/components/schemas/Missing'"),
        ("other.yaml#/Nope", "unresolvable $ref 'other.yaml#/Nope': nothing at /Nope in other.yaml"),
        ("absent.yaml#/A", "$ref names a file that does not exist"),
    ],
)
def test_unresolvable_ref_is_a_located_warning_and_its_schema_is_skipped(
    tmp_path: Path, ref: str, message: str
) -> None:
    write(tmp_path / "other.yaml", "A: {type: string}\n")
    f = write(
        tmp_path / "openapi.yaml",
        HEAD + f"paths: {{}}\ncomponents:\n  schemas:\n    Ok: {{type: string}}\n    A:\n      $ref: '{ref}'\n",
    )
    spec = load_spec(f)
    unresolved = [w for w in spec.warnings if w.code == "unresolved-ref"]
    assert [
        str(w).startswith(f"warning[unresolved-ref]: {f}:8: at /components/schemas/A/$ref: ") for w in unresolved
    ] == [True]
    assert message in unresolved[0].message
    skipped = [w for w in spec.warnings if w.code == "skipped-schema"]
    assert len(skipped) == 1 and skipped[0].pointer == "/components/schemas/A/$ref" and skipped[0].line == 8
    assert [s.name for s in spec.api.skipped] == ["A"]
    assert spec.api.schema("Ok") is not None


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


def test_refs_are_resolved_wherever_they_stand_as_a_bundler_does(tmp_path: Path) -> None:
    """Whole `paths` maps, operations, `properties` maps, responses and prose are copied in place or imported."""
    write(
        tmp_path / "openapi.yaml",
        HEAD
        + "tags:\n  - name: t\n    description: {$ref: 'prose.yaml#/intro'}\n"
        + "paths: {$ref: 'paths.yaml'}\n"
        + "components:\n  schemas:\n    Pet:\n      type: object\n      properties: {$ref: 'attributes.yaml#/pet'}\n",
    )
    write(tmp_path / "prose.yaml", "intro: Text kept as a string.\n")
    write(tmp_path / "paths.yaml", "/pets:\n  get: {$ref: 'ops/list.yaml'}\n")
    write(
        tmp_path / "ops" / "list.yaml",
        "operationId: listPets\nresponses:\n  '200': {$ref: '../responses/pets.yaml'}\n"
        "  '404': {$ref: '../responses/pets.yaml'}\n",
    )
    write(
        tmp_path / "responses" / "pets.yaml",
        "description: pets\ncontent:\n  application/json:\n    schema: {$ref: '../models/pet.yaml'}\n",
    )
    write(tmp_path / "models" / "pet.yaml", "type: object\nproperties: {$ref: 'attrs.yaml#/pet'}\n")
    write(tmp_path / "models" / "attrs.yaml", "pet:\n  name: {type: string}\n")
    write(tmp_path / "attributes.yaml", "pet:\n  id: {type: integer}\n")
    doc = load_document(tmp_path / "openapi.yaml")
    data = doc.data
    assert data["tags"][0]["description"] == "Text kept as a string."
    op = data["paths"]["/pets"]["get"]
    assert op["operationId"] == "listPets"
    # A response is imported once under components/responses, not components/schemas.
    assert op["responses"] == {
        "200": {"$ref": "#/components/responses/pets"},
        "404": {"$ref": "#/components/responses/pets"},
    }
    response = data["components"]["responses"]["pets"]
    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/pet"}
    assert data["components"]["schemas"]["pet"] == {"type": "object", "properties": {"name": {"type": "string"}}}
    assert data["components"]["schemas"]["Pet"]["properties"] == {"id": {"type": "integer"}}
    # Where each piece came from, for warnings located in the file that says it.
    source, pointer, line = doc.locate("/components/responses/pets/content/application~1json/schema")
    assert (source, pointer, line) == (
        (tmp_path / "responses" / "pets.yaml").resolve(),
        "/content/application~1json/schema",
        4,
    )
    assert doc.locate("/paths/~1pets/get/operationId")[:2] == (
        (tmp_path / "ops" / "list.yaml").resolve(),
        "/operationId",
    )


def test_refs_in_extensions_and_examples_are_data(tmp_path: Path) -> None:
    """A Fern export keeps snippet file names under `$ref` in `x-` extensions: never read, never rewritten."""
    f = write(
        tmp_path / "openapi.yaml",
        HEAD
        + "paths:\n  /a:\n    get:\n      x-fern-examples:\n        - code-samples: [{$ref: './snippets/node/a.ts'}]\n"
        + "      responses:\n        '200':\n          description: ok\n"
        + "          content:\n            application/json:\n"
        + "              schema: {type: object, example: {$ref: 'not-a-file.yaml'}, default: {$ref: 'nope.yaml'}}\n"
        + "              examples:\n                one: {$ref: 'examples/absent.yaml'}\n"
        + "components:\n  headers:\n    x-request-id: {schema: {$ref: 'h.yaml'}}\n",
    )
    write(tmp_path / "h.yaml", "type: string\n")
    data = load_document(f).data
    get = data["paths"]["/a"]["get"]
    assert get["x-fern-examples"] == [{"code-samples": [{"$ref": "./snippets/node/a.ts"}]}]
    media = get["responses"]["200"]["content"]["application/json"]
    assert media["schema"]["example"] == {"$ref": "not-a-file.yaml"}
    assert media["examples"] == {"one": {"$ref": "examples/absent.yaml"}}
    # A header *named* x-... is a name, not an extension: its schema is followed.
    assert data["components"]["headers"]["x-request-id"]["schema"] == {"$ref": "#/components/schemas/h"}


def test_defs_ref_resolves_against_the_nearest_enclosing_defs(tmp_path: Path) -> None:
    """mistral-openapi.yaml: `#/$defs/X` inside a response schema that carries its own `$defs`."""
    f = write(
        tmp_path / "openapi.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n"
        + "          description: ok\n          content:\n            application/json:\n              schema:\n"
        + "                $defs:\n                  Usage: {type: object}\n"
        + "                properties:\n                  usage: {$ref: '#/$defs/Usage'}\n",
    )
    doc = load_document(f)
    base = "/paths/~1a/get/responses/200/content/application~1json/schema"
    schema = resolve_pointer(doc.data, base)
    assert schema["properties"]["usage"] == {"$ref": f"#{base}/$defs/Usage"}
    assert [(w.code, w.pointer) for w in doc.warnings] == [("nested-defs", f"{base}/properties/usage/$ref")]
    # With no enclosing definition it is an unresolvable ref, left for the model builder to skip.
    write(f, f.read_text().replace("Usage: {type: object}", "Other: {type: object}"))
    doc = load_document(f)
    assert resolve_pointer(doc.data, base)["properties"]["usage"] == {"$ref": "#/$defs/Usage"}
    assert doc.warnings == []


def test_an_anchor_defined_twice_is_accepted_later_wins(tmp_path: Path) -> None:
    f = write(
        tmp_path / "openapi.yaml",
        HEAD + "paths: {}\nx-a: &v {type: string}\nx-b: *v\nx-c: &v {type: integer}\nx-d: *v\n",
    )
    doc = load_document(f)
    assert doc.data["x-b"] == {"type": "string"} and doc.data["x-d"] == {"type": "integer"}
    # Duplicate keys stay errors on that path too.
    write(f, HEAD + "paths: {}\nx-a: &v 1\nx-c: &v 2\nx-a: 3\n")
    with pytest.raises(SpecError, match="duplicate key 'x-a'"):
        load_document(f)


def test_each_relative_ref_is_resolved_on_disk_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DigitalOcean's tree repeats the same refs thousands of times: Path.resolve once per distinct ref."""
    operations = "".join(
        f"  /r{i}:\n    get:\n      responses:\n        '200': {{$ref: 'shared/ok.yaml'}}\n" for i in range(50)
    )
    f = write(tmp_path / "openapi.yaml", HEAD + "paths:\n" + operations)
    write(tmp_path / "shared" / "ok.yaml", "description: ok\n")
    calls = []
    original = Path.resolve

    def counting(self: Path, strict: bool = False) -> Path:
        calls.append(self)
        return original(self, strict)

    monkeypatch.setattr(Path, "resolve", counting)
    doc = load_document(f)
    assert len(doc.data["components"]["responses"]) == 1
    assert sum(1 for c in calls if c.name == "ok.yaml") == 1


def test_mapping_keys_are_the_text_written(tmp_path: Path) -> None:
    """`no:`/`on:` are property names, not YAML 1.1 bools; `200:` is the status "200" (JSON keys are strings).

    A property named `no` crashed generate with an internal error (found importing discord's locales).
    """
    spec = tmp_path / "keys.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    Locales:\n      type: object\n      properties:\n        no: {type: string}\n        on: {type: string}\n"
        "        null: {type: string}\n        1e3: {type: string}\n      example: {no: no}\n",
        encoding="utf-8",
    )
    schema = load_document(spec).data["components"]["schemas"]["Locales"]
    assert list(schema["properties"]) == ["no", "on", "null", "1e3"]
    assert schema["example"] == {"no": False}  # values keep YAML's reading; only keys are JSON strings
    loaded = load_spec(spec)
    names = {p.name for s in loaded.api.schemas for p in getattr(s.schema, "properties", ())}
    assert {"no", "on", "null", "1e3"} <= names


def test_json_value_count_is_bounded_as_yaml_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """JSON is counted level by level (it has no aliases): the same limit, the same located error."""
    from generator.spec import loader

    doc = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "x-big": {"list": [1] * 40}}
    f = write(tmp_path / "big.json", json.dumps(doc))
    values = 1 + 4 + 2 + 1 + 40  # the document, its four keys, info's two, x-big's one, the list's items
    monkeypatch.setattr(loader, "MAX_NODES", values)
    assert load_document(f).data == doc
    for limit, pointer in ((values - 1, "/"), (30, "/x-big/list")):  # where the values pile up past the limit
        monkeypatch.setattr(loader, "MAX_NODES", limit)
        with pytest.raises(SpecError, match=f"document holds {values:,} values, over the limit") as info:
            load_document(f)
        assert info.value.pointer == pointer
        assert "alias" not in info.value.message  # JSON has none: the message must not blame them
