"""Format all generated Python in one ruff run, with settings fixed here, not by the repo."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

from generator.errors import GeneratorError

# Pinned formatting: the repo's own ruff config may change without changing generated output.
RUFF_FORMAT_ARGS = ["--isolated", "--line-length", "120", "--target-version", "py311"]
RUFF_FIX_ARGS = [
    *RUFF_FORMAT_ARGS,
    *("--select", "I,F401,UP,RUF022,RUF036", "--fix", "--unsafe-fixes", "--exit-zero", "--quiet"),
]


def format_sources(files: dict[str, str]) -> dict[str, str]:
    """Return ``files`` (relative path -> text) with Python (and Markdown code blocks) formatted."""
    python = {name: text for name, text in files.items() if name.endswith((".py", ".md"))}
    if not python:
        return dict(files)
    ruff = find_ruff_bin()
    with tempfile.TemporaryDirectory(prefix="codegen-format-") as tmp:
        root = Path(tmp)
        for name, text in python.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        for args in (["check", *RUFF_FIX_ARGS], ["format", *RUFF_FORMAT_ARGS, "--quiet"]):
            result = subprocess.run([ruff, *args, "."], cwd=root, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise GeneratorError(f"ruff {args[0]} failed on generated code:\n{result.stderr or result.stdout}")
        formatted = {name: (root / name).read_text(encoding="utf-8") for name in python}
    return {**files, **formatted}
