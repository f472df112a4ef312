"""Format all generated Python in one ruff run, with settings fixed here, not by the repo."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

from generator.emit.imports import drop_unused_imports
from generator.errors import GeneratorError

# Pinned formatting: the repo's own ruff config may change without changing generated output.
RUFF_FORMAT_ARGS = ["--isolated", "--line-length", "120", "--target-version", "py311"]
# The fix run also reports undefined names (F821, never fixed): a file whose imports were
# pruned and that then shows one is written again unpruned, so pruning can only cost speed.
RUFF_FIX_ARGS = [*RUFF_FORMAT_ARGS, *("--select", "I,F401,UP,RUF022,RUF036,F821", "--fix", "--unsafe-fixes")]


def format_sources(files: dict[str, str]) -> dict[str, str]:
    """Return ``files`` (relative path -> text) with Python (and Markdown code blocks) formatted."""
    python = {name: text for name, text in files.items() if name.endswith((".py", ".md"))}
    if not python:
        return dict(files)
    ruff = find_ruff_bin()
    with tempfile.TemporaryDirectory(prefix="codegen-format-") as tmp:
        root = Path(tmp)
        pruned: set[str] = set()
        for name, text in python.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            written = drop_unused_imports(text) if name.endswith(".py") else text
            if written != text:
                pruned.add(name)
            target.write_text(written, encoding="utf-8")
        report = _ruff(ruff, root, ["check", *RUFF_FIX_ARGS, "--exit-zero", "--output-format", "json", "."])
        undefined = {
            Path(d["filename"]).resolve().relative_to(root.resolve()).as_posix()
            for d in json.loads(report or "[]")
            if d.get("code") == "F821"
        }
        if redo := sorted(undefined & pruned):
            for name in redo:
                (root / name).write_text(python[name], encoding="utf-8")
            _ruff(ruff, root, ["check", *RUFF_FIX_ARGS, "--exit-zero", "--quiet", *redo])
        _ruff(ruff, root, ["format", *RUFF_FORMAT_ARGS, "--quiet", "."])
        formatted = {name: (root / name).read_text(encoding="utf-8") for name in python}
    return {**files, **formatted}


def _ruff(ruff: str, root: Path, args: list[str]) -> str:
    """Run ruff in ``root``; its stdout, or a GeneratorError if it fails."""
    result = subprocess.run([ruff, *args], cwd=root, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise GeneratorError(f"ruff {args[0]} failed on generated code:\n{result.stderr or result.stdout}")
    return result.stdout
