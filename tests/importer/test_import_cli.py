"""End-to-end tests of ``python -m generator import`` on copies of specs/ and generated/."""

from __future__ import annotations

import difflib
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.importer.select import component_refs
from generator.naming import snake_name
from tests.importer.conftest import REALSPECS, REPO, Workspace, seed

ALGOLIA = REALSPECS / "algolia-agent-studio.yml"
MOVEWORKS = REALSPECS / "moveworks-conversations.yaml"


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def operations(doc: Any) -> set[tuple[str, str, str]]:
    return {
        (op["operationId"], path, method)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }


def closure(doc: Any, roots: list[Any]) -> set[tuple[str, str]]:
    """Components reachable from ``roots`` (an independent walk over the source)."""
    found: set[tuple[str, str]] = set()
    queue = list(roots)
    while queue:
        for key, _ in component_refs(queue.pop(), ""):
            if key not in found:
                found.add(key)
                queue.append(doc["components"][key[0]][key[1]])
    return found


def seed_operations(doc: Any) -> set[tuple[str, str, str]]:
    """The operations of a committed spec that came with its seed page (not added later by `import`)."""
    return {
        (op["operationId"], path, method)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op and "x-imported-from" not in op
    }


def component_keys(doc: Any) -> set[tuple[str, str]]:
    return {(s, n) for s, items in (doc.get("components") or {}).items() for n in items}


def test_algolia_agents_adds_operations_and_only_their_components(workspace: Workspace) -> None:
    spec = workspace.specs / "algolia" / "openapi.yaml"
    before_text = spec.read_text(encoding="utf-8")
    before = load(spec)
    source = load(ALGOLIA)

    result = workspace.run("import", "algolia", ALGOLIA, "--path", "/1/agents", "-q")

    assert result.code == 0, result.err
    after = load(spec)
    assert operations(after) == operations(before) | {
        ("listAgents", "/1/agents", "get"),
        ("createAgent", "/1/agents", "post"),
    }
    needed = closure(source, [source["paths"]["/1/agents"]])
    needed |= {("securitySchemes", "appId"), ("securitySchemes", "apiKey")}
    assert component_keys(after) == component_keys(before) | needed
    for section, name in needed:
        assert after["components"][section][name] == source["components"][section][name]
    # The feedback operation and its models are untouched.
    assert after["paths"]["/1/feedback"] == before["paths"]["/1/feedback"]
    for section, name in component_keys(before):
        assert after["components"][section][name] == before["components"][section][name]
    # The vendor's own text survives: the change is insertions only.
    removed = [
        line
        for line in difflib.ndiff(before_text.splitlines(), spec.read_text(encoding="utf-8").splitlines())
        if line.startswith("- ")
    ]
    assert removed == []
    # Provenance on each imported operation.
    provenance = after["paths"]["/1/agents"]["get"]["x-imported-from"]
    assert provenance["source"].endswith("algolia-agent-studio.yml")
    assert len(provenance["sha256"]) == 64 and provenance["date"]
    # The client gains them at once, and `check` agrees with what was written.
    client = (workspace.out / "algolia" / "_client.py").read_text(encoding="utf-8")
    assert "list_agents" in client and "create_agent" in client
    assert workspace.run("check", "-q").code == 0


def test_reimport_is_a_no_op(workspace: Workspace) -> None:
    assert workspace.run("import", "algolia", ALGOLIA, "--operation", "listAgents", "-q").code == 0
    snapshot = workspace.snapshot()
    again = workspace.run("import", "algolia", ALGOLIA, "--operation", "listAgents", "-q")
    assert again.code == 0, again.err
    assert "nothing to write" in again.out
    assert workspace.snapshot() == snapshot


def _moveworks_variant(tmp: Path, meaning: bool = True) -> Path:
    """The realspec with NotFoundErrorResponse changed in meaning (or only in an annotation) from seed 002's."""
    text = MOVEWORKS.read_text(encoding="utf-8")
    doc = load(MOVEWORKS)
    assert "NotFoundErrorResponse" in doc["components"]["schemas"]
    anchor = "    NotFoundErrorResponse:\n"
    assert text.count(anchor) == 1
    change = "      x-note: variant for the conflict test\n" + ("      maxProperties: 7\n" if meaning else "")
    text = text.replace(anchor, anchor + change)
    path = tmp / "moveworks-variant.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_moveworks_conflict_is_refused_with_both_versions(workspace: Workspace) -> None:
    variant = _moveworks_variant(workspace.root)
    snapshot = workspace.snapshot()

    result = workspace.run("import", "moveworks", variant, "--operation", "get-conversation")

    assert result.code == 2
    assert "Traceback" not in result.err
    assert "NotFoundErrorResponse" in result.err
    assert "+maxProperties: 7" in result.err  # a unified diff: the source's line marked
    assert "--- vendor's spec" in result.err and "+++ source" in result.err
    assert "For the components: --rename-conflicts" in result.err
    assert "For the operations" not in result.err
    assert workspace.snapshot() == snapshot


def test_annotation_only_difference_is_a_warning_not_a_conflict(workspace: Workspace) -> None:
    variant = _moveworks_variant(workspace.root, meaning=False)
    before = load(workspace.specs / "moveworks" / "openapi.yaml")

    result = workspace.run("import", "moveworks", variant, "--operation", "get-conversation", "-q")

    assert result.code == 0, result.err
    assert "components/schemas/NotFoundErrorResponse: the source's version differs only in x- extensions" in (
        result.out
    )
    schemas = load(workspace.specs / "moveworks" / "openapi.yaml")["components"]["schemas"]
    assert schemas["NotFoundErrorResponse"] == before["components"]["schemas"]["NotFoundErrorResponse"]
    assert "NotFoundErrorResponse2" not in schemas


def test_moveworks_conflict_with_rename(workspace: Workspace) -> None:
    variant = _moveworks_variant(workspace.root)
    spec = workspace.specs / "moveworks" / "openapi.yaml"
    before = load(spec)

    result = workspace.run(
        "import", "moveworks", variant, "--operation", "get-conversation", "--rename-conflicts", "-q"
    )

    assert result.code == 0, result.err
    assert "NotFoundErrorResponse -> schemas/NotFoundErrorResponse2" in result.out
    after = load(spec)
    schemas = after["components"]["schemas"]
    assert schemas["NotFoundErrorResponse"] == before["components"]["schemas"]["NotFoundErrorResponse"]
    assert schemas["NotFoundErrorResponse2"]["x-note"] == "variant for the conflict test"
    op = after["paths"]["/conversations/{conversation_id}"]["get"]
    refs = str(op["responses"])
    assert "NotFoundErrorResponse2" in refs
    assert after["paths"][next(iter(before["paths"]))] == before["paths"][next(iter(before["paths"]))]
    assert workspace.run("check", "-q").code == 0


def test_moveworks_replace_overwrites(workspace: Workspace) -> None:
    variant = _moveworks_variant(workspace.root)
    result = workspace.run("import", "moveworks", variant, "--operation", "get-conversation", "--replace", "-q")
    assert result.code == 0, result.err
    schemas = load(workspace.specs / "moveworks" / "openapi.yaml")["components"]["schemas"]
    assert schemas["NotFoundErrorResponse"]["x-note"] == "variant for the conflict test"
    assert "NotFoundErrorResponse2" not in schemas


SEED_VENDORS = {"000": "elevenlabs", "002": "moveworks", "003": "algolia"}


@pytest.mark.parametrize("prefix", sorted(SEED_VENDORS))
def test_seed_page_into_new_vendor(workspace: Workspace, prefix: str) -> None:
    committed = load(REPO / "specs" / SEED_VENDORS[prefix] / "openapi.yaml")
    vendor = f"seed{prefix}"

    result = workspace.run("import", vendor, seed(prefix), "-q")

    assert result.code == 0, result.err
    created = load(workspace.specs / vendor / "openapi.yaml")
    # Committed specs may have gained operations (and their components) through `import` since.
    assert operations(created) == seed_operations(committed)
    assert component_keys(created) <= component_keys(committed)
    config = load(workspace.specs / vendor / "vendor.yaml")
    assert config["package"] == snake_name(vendor) and config["client_class"] == f"Seed{prefix}Client"
    assert (workspace.out / config["package"] / "models.py").is_file()
    assert workspace.run("check", vendor, "-q").code == 0


def test_new_vendor_config_defaults(workspace: Workspace) -> None:
    assert workspace.run("import", "algo2", seed("003"), "-q").code == 0
    config = load(workspace.specs / "algo2" / "vendor.yaml")
    assert config["credentials"] == [
        # The application id is also the {APPLICATION_ID} of the server URL.
        {"argument": "app_id", "env": "ALGO2_APP_ID", "scheme": "appId", "server_variable": "APPLICATION_ID"},
        {"argument": "api_key", "env": "ALGO2_API_KEY", "scheme": "apiKey"},
    ]
    assert workspace.run("import", "eleven2", seed("000"), "--client-class", "ElevenClient", "-q").code == 0
    config = load(workspace.specs / "eleven2" / "vendor.yaml")
    assert config["client_class"] == "ElevenClient"
    assert config["credentials"] == [{"argument": "xi_api_key", "env": "ELEVEN2_XI_API_KEY", "header": "xi-api-key"}]
    assert config["default_base_url"] == "https://api.elevenlabs.io"
    result = workspace.run("import", "mw2", seed("002"), "--credential", "BearerAuth=token:MW_TOKEN", "-q")
    assert result.code == 0, result.err
    config = load(workspace.specs / "mw2" / "vendor.yaml")
    assert config["credentials"] == [{"argument": "token", "env": "MW_TOKEN", "scheme": "BearerAuth"}]


@pytest.mark.parametrize("prefix", sorted(SEED_VENDORS))
def test_seed_page_into_empty_existing_vendor(workspace: Workspace, prefix: str) -> None:
    name = SEED_VENDORS[prefix]
    committed = load(REPO / "specs" / name / "openapi.yaml")
    spec = workspace.specs / name / "openapi.yaml"
    spec.write_text(
        f"openapi: {committed['openapi']}\ninfo:\n  title: {name}\n  version: 0.0.0\npaths: {{}}\n", encoding="utf-8"
    )

    result = workspace.run("import", name, seed(prefix), "-q")

    assert result.code == 0, result.err
    assert operations(load(spec)) == seed_operations(committed)
    assert workspace.run("check", name, "-q").code == 0


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _truncated_yaml(tmp: Path) -> Path:
    text = ALGOLIA.read_text(encoding="utf-8")
    cut = text.index("'#/components/schemas/PaginatedAgentsResponse'") + 10  # inside a quoted scalar
    path = tmp / "truncated.yml"
    path.write_text(text[:cut], encoding="utf-8")
    return path


def _truncated_page(tmp: Path) -> Path:
    text = seed("002").read_text(encoding="utf-8")
    path = tmp / "truncated-page.txt"
    path.write_text(text[: text.index("components:")], encoding="utf-8")
    return path


BAD_SOURCES = {
    "page without a spec": (lambda tmp: seed("004"), [], ["no OpenAPI document found", "by hand"]),
    "truncated YAML": (_truncated_yaml, ["--path", "/1/agents"], ["truncated.yml:", "invalid YAML"]),
    "truncated page": (_truncated_page, [], ["never closed", "truncated"]),
    "unknown operation id": (lambda tmp: ALGOLIA, ["--operation", "listAgent"], ["unknown operation id 'listAgent'"]),
    "unknown path": (lambda tmp: ALGOLIA, ["--path", "/1/agent"], ["no path '/1/agent'"]),
    "missing file": (lambda tmp: tmp / "nope.yaml", [], ["cannot read source", "file not found"]),
    "unreachable URL": (lambda tmp: f"http://127.0.0.1:{_closed_port()}/openapi.yaml", [], ["cannot fetch"]),
}


@pytest.mark.parametrize("case", sorted(BAD_SOURCES))
def test_bad_sources_exit_2_and_change_nothing(workspace: Workspace, case: str) -> None:
    make, extra, messages = BAD_SOURCES[case]
    source = make(workspace.root)
    snapshot = workspace.snapshot()

    result = workspace.run("import", "algolia", source, *extra, "--timeout", "5")

    assert result.code == 2, result.out + result.err
    assert "Traceback" not in result.err
    for message in messages:
        assert message in result.err
    assert workspace.snapshot() == snapshot


def test_bad_source_for_new_vendor_creates_nothing(workspace: Workspace) -> None:
    result = workspace.run("import", "clarityq2", seed("004"))
    assert result.code == 2
    assert not (workspace.specs / "clarityq2").exists()
    assert not (workspace.out / "clarityq2").exists()


def test_refresh_reports_and_applies_changes(workspace: Workspace) -> None:
    source = workspace.root / "agent-studio.yml"
    source.write_text(ALGOLIA.read_text(encoding="utf-8"), encoding="utf-8")
    assert workspace.run("import", "algolia", source, "--path", "/1/agents", "-q").code == 0

    unchanged = workspace.run("import", "algolia", "--refresh", "--dry-run", "-q")
    assert unchanged.code == 0, unchanged.err
    assert "2 unchanged, 0 changed" in unchanged.out

    text = source.read_text(encoding="utf-8")
    old = "description: List all agents with pagination and filtering."
    assert text.count(old) == 1
    source.write_text(text.replace(old, "description: List every agent, paginated."), encoding="utf-8")
    snapshot = workspace.snapshot()
    dry = workspace.run("import", "algolia", "--refresh", "--dry-run", "-q")
    assert dry.code == 0, dry.err
    assert "1 unchanged, 1 changed" in dry.out
    assert "changed   listAgents" in dry.out and "List every agent, paginated." in dry.out
    assert "vendor's spec now" in dry.out and "API changes by generator.diff" in dry.out
    assert workspace.snapshot() == snapshot

    applied = workspace.run("import", "algolia", "--refresh", "-q")
    assert applied.code == 0, applied.err
    op = load(workspace.specs / "algolia" / "openapi.yaml")["paths"]["/1/agents"]["get"]
    assert op["description"] == "List every agent, paginated."
    assert (
        workspace.run("import", "algolia", "--refresh", "--dry-run", "-q").out.startswith("unchanged")
        or "2 unchanged" in workspace.run("import", "algolia", "--refresh", "--dry-run", "-q").out
    )
    assert workspace.run("check", "-q").code == 0


def test_a_whole_spec_import_lists_a_few_names_and_counts_the_rest(workspace: Workspace) -> None:
    """42 operations are not a wall of text: ten named, the rest counted; -v names them all."""
    result = workspace.run("import", "agentstudio", ALGOLIA, "--dry-run", "-q")
    assert result.code == 0, result.err
    added = next(line for line in result.out.splitlines() if line.startswith("  added: "))
    assert added.count(" (") == 10 + 1  # ten "id (METHOD /path)" and the count
    assert added.endswith("and 32 more (42 in all; -v lists all)")
    verbose = workspace.run("import", "agentstudio", ALGOLIA, "--dry-run", "-v")
    added = next(line for line in verbose.out.splitlines() if line.startswith("  added: "))
    assert added.count(" (") == 42 and "more" not in added
