"""The ``generate`` and ``check`` commands, on copies of the repository's specs/ and generated/."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main

REPO = Path(__file__).resolve().parents[1]
IGNORE = shutil.ignore_patterns("__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache")


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture
def repo_copy(tmp_path: Path) -> tuple[Path, Path]:
    specs, out = tmp_path / "specs", tmp_path / "generated"
    shutil.copytree(REPO / "specs", specs, ignore=IGNORE)
    shutil.copytree(REPO / "generated", out, ignore=IGNORE)
    return specs, out


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_check_passes_on_the_repository(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "-q", "--specs", str(REPO / "specs"), "--out", str(REPO / "generated"))
    assert code == 0, out + err
    assert "is up to date" in out


def test_check_reports_a_hand_edited_file_with_a_unified_diff(
    capsys: pytest.CaptureFixture[str], repo_copy: tuple[Path, Path]
) -> None:
    specs, out = repo_copy
    target = out / "clarityq" / "models.py"
    data = bytearray(target.read_bytes())
    index = data.index(b"class ")
    data[index] = ord("C")  # one byte: `class` -> `Class`
    target.write_bytes(bytes(data))
    code, stdout, stderr = run(capsys, "check", "-q", "--specs", str(specs), "--out", str(out))
    assert code == 1
    assert f"stale: {out}/clarityq/models.py" in stdout
    assert "--- generated/clarityq/models.py (on disk)" in stdout
    assert "+++ generated/clarityq/models.py (from specs)" in stdout
    assert "\n-Class " in stdout and "\n+class " in stdout
    assert "@@ " in stdout
    assert "1 file(s)" in stderr and "differ" in stderr
    # Only that file is reported.
    assert stdout.count("stale: ") == 1
    # --stat names the file without the diff.
    code, stdout, _ = run(capsys, "check", "-q", "--stat", "--specs", str(specs), "--out", str(out))
    assert code == 1 and "clarityq/models.py" in stdout and "@@" not in stdout


def test_check_reports_missing_and_unexpected_files(
    capsys: pytest.CaptureFixture[str], repo_copy: tuple[Path, Path]
) -> None:
    specs, out = repo_copy
    (out / "moveworks" / "py.typed").unlink()
    (out / "moveworks" / "stray.py").write_text("x = 1\n")
    code, stdout, _ = run(capsys, "check", "-q", "--specs", str(specs), "--out", str(out))
    assert code == 1
    assert f"missing: {out}/moveworks/py.typed" in stdout
    assert f"unexpected: {out}/moveworks/stray.py" in stdout


def test_check_fails_when_a_spec_changes(capsys: pytest.CaptureFixture[str], repo_copy: tuple[Path, Path]) -> None:
    specs, out = repo_copy
    spec = specs / "clarityq" / "openapi.yaml"
    text = spec.read_text(encoding="utf-8")
    assert "  schemas:\n" in text
    # Add a schema: a new model class must appear in the expected output.
    spec.write_text(
        text.replace("  schemas:\n", "  schemas:\n    AddedByTest:\n      type: object\n"
                     "      properties:\n        marker: {type: string}\n", 1),
        encoding="utf-8",
    )  # fmt: skip
    code, stdout, _ = run(capsys, "check", "-q", "--specs", str(specs), "--out", str(out), "clarityq")
    assert code == 1
    assert f"stale: {out}/clarityq/models.py" in stdout
    assert "+class AddedByTest(BaseModel):" in stdout


def test_generate_twice_is_byte_identical_and_matches_the_repository(
    capsys: pytest.CaptureFixture[str], repo_copy: tuple[Path, Path], tmp_path: Path
) -> None:
    specs, _ = repo_copy
    out = tmp_path / "fresh"
    code, stdout, _ = run(capsys, "generate", "-q", "--specs", str(specs), "--out", str(out))
    assert code == 0 and "file(s) changed" in stdout
    first = snapshot(out)
    code, stdout, _ = run(capsys, "generate", "-q", "--specs", str(specs), "--out", str(out))
    assert code == 0 and "already up to date" in stdout
    assert snapshot(out) == first
    assert first == snapshot(REPO / "generated")


def test_generate_one_vendor_keeps_the_others(capsys: pytest.CaptureFixture[str], repo_copy: tuple[Path, Path]) -> None:
    specs, out = repo_copy
    before = snapshot(out)
    (out / "algolia" / "models.py").write_text("# stale\n")
    code, stdout, _ = run(capsys, "generate", "-q", "--specs", str(specs), "--out", str(out), "algolia")
    assert code == 0 and "1 file(s) changed" in stdout
    assert snapshot(out) == before


def test_unknown_vendor_exits_2(capsys: pytest.CaptureFixture[str], repo_copy: tuple[Path, Path]) -> None:
    specs, out = repo_copy
    before = snapshot(out)
    for command in ("generate", "check"):
        code, stdout, stderr = run(capsys, command, "--specs", str(specs), "--out", str(out), "nope")
        assert code == 2
        assert "unknown vendor 'nope' (known: algolia, clarityq, elevenlabs, moveworks)" in stderr
        assert "Traceback" not in stdout + stderr
    assert snapshot(out) == before


def test_failing_generate_leaves_generated_untouched(
    capsys: pytest.CaptureFixture[str], repo_copy: tuple[Path, Path]
) -> None:
    specs, out = repo_copy
    # One good vendor has pending changes; a later one is broken: nothing may be written.
    (out / "algolia" / "models.py").write_text("# stale\n")
    before = snapshot(out)
    spec = specs / "moveworks" / "openapi.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "\npaths: {}\n", encoding="utf-8")  # duplicate key
    code, _, stderr = run(capsys, "generate", "--specs", str(specs), "--out", str(out))
    assert code == 2
    assert f"error: {spec}:" in stderr and "duplicate key 'paths'" in stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["generated", "specs"]  # no staging leftovers


def test_bad_vendor_config_is_a_located_error(capsys: pytest.CaptureFixture[str], repo_copy: tuple[Path, Path]) -> None:
    specs, out = repo_copy
    config = specs / "clarityq" / "vendor.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    code, _, stderr = run(capsys, "check", "--specs", str(specs), "--out", str(out), "clarityq")
    assert code == 2
    assert f"error: {config}" in stderr and "unknown vendor config keys ['colour']" in stderr


def test_entry_point_runs_as_a_module(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "check",
            "-q",
            "--specs",
            str(REPO / "specs"),
            "--out",
            str(tmp_path / "none"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    # Nothing generated yet: every file is missing, exit 1, no traceback.
    assert proc.returncode == 1, proc.stderr
    assert "missing: " in proc.stdout and "Traceback" not in proc.stderr
    help_ = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert help_.returncode == 0 and "generate" in help_.stdout and "check" in help_.stdout
