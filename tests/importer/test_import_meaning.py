"""``import`` judges conflicts on meaning; JSON stays JSON; unusable selectors and sources say what would work."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML

from generator.importer.meaning import compare
from tests.importer.conftest import REALSPECS, Workspace

# ElevenLabs' full published spec writes the enum plainly, with a title; the seed vendor (a Fern
# docs export) writes `enum: [{value: like}, {value: dislike}]`.
FULL_ELEVENLABS = """\
openapi: 3.1.1
info: {title: ElevenLabs, version: '1.0'}
paths:
  /v1/convai/conversations/{conversation_id}:
    get:
      operationId: get_conversation
      parameters:
        - {name: conversation_id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/ConversationHistoryFeedbackCommonModel'}
  /v1/convai/conversations/{conversation_id}/feedback/summary:
    get:
      operationId: get_feedback_summary
      parameters:
        - {name: conversation_id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  score: {$ref: '#/components/schemas/UserFeedbackScore'}
  /v1/convai/conversations/{conversation_id}/feedback:
    post:
      operationId: create
      summary: Send Conversation Feedback
      parameters:
        - {name: conversation_id, in: path, required: true, schema: {type: string}}
        - {name: dry_run, in: query, schema: {type: boolean}}
        - {name: xi-api-key, in: header, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/ConversationFeedbackRequestModel'}
      responses:
        '200': {description: Successful Response}
components:
  schemas:
    UserFeedbackScore:
      type: string
      enum: [like, dislike]
      title: UserFeedbackScore
    ConversationHistoryFeedbackCommonModel:
      type: object
      properties:
        overall_score: {$ref: '#/components/schemas/UserFeedbackScore'}
        likes: {type: integer}
    ConversationFeedbackRequestModel:
      type: object
      properties:
        feedback:
          oneOf:
            - {$ref: '#/components/schemas/UserFeedbackScore'}
            - {type: 'null'}
          description: Like or dislike.
"""


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def full_spec(tmp: Path, text: str = FULL_ELEVENLABS) -> Path:
    path = tmp / "elevenlabs-full.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_user_feedback_score_fern_enum_and_plain_enum_are_not_a_conflict(workspace: Workspace) -> None:
    spec = workspace.specs / "elevenlabs" / "openapi.yaml"
    before = load(spec)["components"]["schemas"]["UserFeedbackScore"]
    assert before["enum"] == [{"value": "like"}, {"value": "dislike"}]  # the seed's Fern style

    result = workspace.run(
        "import", "elevenlabs", full_spec(workspace.root),
        "--operation", "get_conversation", "--operation", "get_feedback_summary", "-q",
    )  # fmt: skip

    assert result.code == 0, result.err
    assert "components shared (identical): schemas/UserFeedbackScore" in result.out
    assert (
        "warning: components/schemas/UserFeedbackScore: the source's version differs only in title; kept the vendor's"
        in result.out
    )
    schemas = load(spec)["components"]["schemas"]
    assert schemas["UserFeedbackScore"] == before
    assert "UserFeedbackScore2" not in schemas
    models = (workspace.out / "elevenlabs" / "models.py").read_text(encoding="utf-8")
    assert models.count("class UserFeedbackScore(") == 1 and "UserFeedbackScore2" not in models
    assert "overall_score: UserFeedbackScore" in models
    assert workspace.run("check", "-q").code == 0


def test_enum_that_differs_in_meaning_is_a_component_conflict(workspace: Workspace) -> None:
    source = full_spec(workspace.root, FULL_ELEVENLABS.replace("enum: [like, dislike]", "enum: [like, dislike, meh]"))
    snapshot = workspace.snapshot()

    result = workspace.run("import", "elevenlabs", source, "--operation", "get_conversation")

    assert result.code == 2
    assert "component schemas/UserFeedbackScore differs" in result.err
    assert "+  - meh" in result.err.splitlines()  # a unified diff marks the source's addition
    assert "For the components: --rename-conflicts" in result.err and "For the operations" not in result.err
    assert workspace.snapshot() == snapshot


def test_operation_conflict_hint_names_replace_not_rename(workspace: Workspace) -> None:
    """The full spec's `create` adds a query parameter to the seed's: only --replace helps."""
    source = full_spec(workspace.root)
    snapshot = workspace.snapshot()

    result = workspace.run("import", "elevenlabs", source, "--operation", "create")

    assert result.code == 2
    assert "operation create (POST /v1/convai/conversations/{conversation_id}/feedback) differs" in result.err
    assert "+  - name: dry_run" in result.err.splitlines()
    assert "For the operations: --replace overwrites the vendor's operations" in result.err
    assert "For the components" not in result.err
    renamed = workspace.run("import", "elevenlabs", source, "--operation", "create", "--rename-conflicts")
    assert renamed.code == 2
    assert "(--rename-conflicts renames components only)" in renamed.err
    assert workspace.snapshot() == snapshot
    replaced = workspace.run("import", "elevenlabs", source, "--operation", "create", "--replace", "-q")
    assert replaced.code == 0, replaced.err


def test_json_source_becomes_a_json_vendor_spec_in_the_source_layout(workspace: Workspace) -> None:
    source = REALSPECS / "discord-openapi.json"
    source_text = source.read_text(encoding="utf-8")

    result = workspace.run("import", "discord", source, "--operation", "get_my_user", "-q")

    assert result.code == 0, result.err
    folder = workspace.specs / "discord"
    assert sorted(p.name for p in folder.iterdir()) == ["openapi.json", "vendor.yaml"]
    assert load(folder / "vendor.yaml")["spec"] == "openapi.json"
    written = (folder / "openapi.json").read_text(encoding="utf-8")
    spec = json.loads(written)
    # The Norwegian locale stays the string "no" (YAML 1.1 would have read `no` as false).
    locales = spec["components"]["schemas"]["AvailableLocalesEnum"]["oneOf"]
    assert {"title": "no", "description": "The no locale", "const": "no"} in locales
    # Formatting kept: two-space indent, no final newline, as the source; every line of the
    # written component is a line of the source.
    assert written.startswith('{\n  "openapi": "3.1.0",\n  "info": {\n    "title": ')
    assert not written.endswith("\n") and not source_text.endswith("\n")
    component = json.dumps({"AvailableLocalesEnum": spec["components"]["schemas"]["AvailableLocalesEnum"]}, indent=2)
    assert "\n".join("    " + line for line in component.splitlines()[1:-1]) in source_text


def test_unknown_operation_lists_the_sources_operation_ids_closest_first(workspace: Workspace) -> None:
    source = REALSPECS / "algolia-agent-studio.yml"

    result = workspace.run("import", "algolia", source, "--operation", "listAgentz")

    assert result.code == 2
    message = result.err
    assert "unknown operation id 'listAgentz'" in message
    listed = message.split("operationIds: ", 1)[1].strip().split(", ")
    assert listed[0] == "listAgents"  # the closest first
    assert len(listed) == 42 and {"createAgent", "updateProvider", "listModels"} <= set(listed)


def test_unsupported_url_scheme_is_named(workspace: Workspace) -> None:
    result = workspace.run("import", "newv", "ftp://example.com/spec.yaml")

    assert result.code == 2
    assert "unsupported URL scheme 'ftp'" in result.err and "file not found" not in result.err
    assert not (workspace.specs / "newv").exists()


def test_discord_locale_no_survives_import_into_a_yaml_vendor(workspace: Workspace) -> None:
    """The issue's case: Discord's JSON imported into a vendor whose spec is YAML keeps "no" a string."""
    folder = workspace.specs / "discordy"
    folder.mkdir()
    (folder / "vendor.yaml").write_text(
        "package: discordy\nclient_class: DiscordyClient\nspec: openapi.yaml\n"
        "credentials:\n  - {argument: bot_token, env: DISCORDY_BOT_TOKEN, scheme: BotToken}\n",
        encoding="utf-8",
    )
    (folder / "openapi.yaml").write_text(
        "openapi: 3.1.0\ninfo:\n  title: Discord\n  version: '10'\npaths: {}\n", encoding="utf-8"
    )

    result = workspace.run("import", "discordy", REALSPECS / "discord-openapi.json", "--operation", "get_my_user", "-q")

    assert result.code == 0, result.err
    text = (folder / "openapi.yaml").read_text(encoding="utf-8")
    for read in (yaml.safe_load, lambda t: YAML(typ="safe", pure=True).load(t)):
        locales = read(text)["components"]["schemas"]["AvailableLocalesEnum"]["oneOf"]
        assert {"title": "no", "description": "The no locale", "const": "no"} in locales
    models = (workspace.out / "discordy" / "models.py").read_text(encoding="utf-8")
    assert '"no"' in models and "False" not in models.split("class AvailableLocalesEnum", 1)[1].split("class ", 1)[0]


def test_compare_judges_by_the_normalizers_value_passes() -> None:
    fern = {"type": "string", "enum": [{"value": "like"}, {"value": "dislike"}]}
    assert compare(fern, {"type": "string", "enum": ["like", "dislike"]}, "schemas", "3.1.1").same
    bounds = compare({"type": "number", "minimum": 0, "exclusiveMinimum": True},
                     {"type": "number", "exclusiveMinimum": 0}, "schemas", "3.1.0")  # fmt: skip
    assert bounds.same and not bounds.annotations
    assert compare({"enum": ["a", "a"]}, {"enum": ["a"]}, "schemas", "3.0.3").same
    titled = compare({"type": "string"}, {"type": "string", "title": "T", "x-a": 1}, "schemas", "3.0.3")
    assert titled.same and titled.annotations == ("title", "x- extensions")
    # A property named `title` is data, not an annotation.
    props = compare({"properties": {"title": {"type": "string"}}}, {"properties": {}}, "schemas", "3.0.3")
    assert not props.same
    assert not compare({"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["b"]}, "schemas", "3.0.3").same
