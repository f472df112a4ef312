"""``python -m generator diff``: formats, exit codes, ignore files, git revisions, bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SPECS = ROOT / "specs"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of algolia's spec with one break (notes maxLength 1000 → 500) and one addition."""
    doc = yaml.safe_load((SPECS / "algolia" / "openapi.yaml").read_text())
    doc["components"]["schemas"]["FeedbackCreationRequest"]["properties"]["notes"]["maxLength"] = 500
    doc["components"]["schemas"]["FeedbackCreationRequest"]["properties"]["extra"] = {"type": "string"}
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["diff", *argv, "--specs", str(SPECS)])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_is_grouped_by_operation(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["algolia", str(broken)], capsys)
    assert code == 0
    assert "POST /1/feedback  [createFeedback]" in out
    assert "ERR  request-property-max-length-decreased" in out
    assert "INFO new-optional-request-property" in out
    assert "client: " in out


def test_fail_on_levels(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["algolia", str(broken), "--fail-on", "ERR"], capsys)[0] == 1
    assert run(["algolia", str(broken), "--fail-on", "info"], capsys)[0] == 1
    assert run(["algolia", "algolia", "--fail-on", "INFO"], capsys)[0] == 0


def test_json_and_markdown(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["algolia", str(broken), "--format", "json"], capsys)
    payload = json.loads(out)
    assert payload["summary"] == {"ERR": 1, "WARN": 0, "INFO": 1}
    finding = payload["findings"][0]
    assert set(finding) >= {"id", "level", "operation", "operation_id", "location", "message", "impact"}
    _, out, _ = run(["algolia", str(broken), "--format", "markdown"], capsys)
    assert "| level | rule | change | client impact |" in out
    assert "`request-property-max-length-decreased`" in out


def test_github_annotations(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["algolia", str(broken), "--format", "github"], capsys)
    lines = out.splitlines()
    assert any(
        line.startswith("::error file=") and "title=request-property-max-length-decreased" in line for line in lines
    )
    assert any(line.startswith("::notice ") for line in lines)


def test_ignore_file_accepts_known_findings(broken: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ignore = tmp_path / "ignore.txt"
    ignore.write_text("# accepted while the vendor fixes it\nrequest-property-max-length-decreased POST /1/feedback\n")
    code, out, _ = run(["algolia", str(broken), "--ignore", str(ignore), "--fail-on", "ERR"], capsys)
    assert code == 0
    assert "max-length-decreased" not in out.split("(")[0] or "accepted" in out
    ignore.write_text("request-property-max-length-decreased createFeedback  # by operationId\n")
    assert run(["algolia", str(broken), "--ignore", str(ignore), "--fail-on", "ERR"], capsys)[0] == 0
    ignore.write_text("request-property-max-length-decreased GET /elsewhere\n")
    assert run(["algolia", str(broken), "--ignore", str(ignore), "--fail-on", "ERR"], capsys)[0] == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["missing.yaml", "algolia"],
        ["nosuchvendor", "--base", "HEAD"],
        ["algolia"],
        ["algolia", "--base", "no-such-revision-xyz"],
    ],
)
def test_bad_input_exits_2_without_traceback(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2
    assert err.startswith("error: ")
    assert "Traceback" not in err


def test_malformed_spec_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.0\npaths: [unclosed\n")
    code, _, err = run(["algolia", str(bad)], capsys)
    assert code == 2
    assert str(bad) in err


def test_vendor_against_git_revision(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A throwaway repo: the committed spec (with a relative $ref) vs an edited working tree."""
    if shutil.which("git") is None:
        pytest.skip("git not installed")
    repo = tmp_path / "repo"
    vendor = repo / "specs" / "acme"
    vendor.mkdir(parents=True)
    (vendor / "vendor.yaml").write_text("package: acme\nclient_class: Acme\ndefault_base_url: https://acme.test\n")
    (vendor / "schemas.yaml").write_text(
        "Item:\n  type: object\n  required: [id]\n  properties:\n    id: {type: string}\n    name: {type: string}\n"
    )
    spec = (
        "openapi: 3.0.3\ninfo: {title: Acme, version: '1'}\npaths:\n  /items:\n    get:\n      operationId: listItems\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n"
        "              schema: {$ref: 'schemas.yaml#/Item'}\n"
    )
    (vendor / "openapi.yaml").write_text(spec)

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "spec")
    (vendor / "schemas.yaml").write_text("Item:\n  type: object\n  properties:\n    id: {type: string}\n")
    code = main(["diff", "acme", "--base", "HEAD", "--specs", str(repo / "specs"), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    ids = sorted(f["id"] for f in json.loads(out)["findings"])
    assert ids == ["response-optional-property-removed", "response-property-became-optional"]
    assert main(["diff", "acme", "--base", "HEAD", "--specs", str(repo / "specs"), "--fail-on", "ERR"]) == 1


def test_a_json_diff_imports_neither_yaml_nor_the_html_renderer() -> None:
    """What a JSON diff does not use is imported only when asked for (the diff's start-up time)."""
    code = (
        "import sys; import generator.diff.inputs, generator.diff.compare, generator.diff.render; "
        "generator.diff.render.renderer('json'); "
        "print(sorted(m for m in ('yaml', 'html', 'generator.diff.render_html') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.stdout.strip() == "[]"
