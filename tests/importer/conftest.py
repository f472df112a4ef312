"""Fixtures for the importer: a copy of specs/ and generated/ in tmp_path, and an in-process CLI runner."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli.main import main

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
REALSPECS = SHARED / "realspecs"


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass
class Workspace:
    root: Path
    run: Callable[..., Run]

    @property
    def specs(self) -> Path:
        return self.root / "specs"

    @property
    def out(self) -> Path:
        return self.root / "generated"

    def snapshot(self) -> dict[str, str]:
        """Hash of every file under specs/ and generated/ (to prove nothing changed)."""
        found = {}
        for base in (self.specs, self.out):
            for path in sorted(base.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    found[str(path.relative_to(self.root))] = hashlib.sha256(path.read_bytes()).hexdigest()
        return found


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture
def workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Workspace:
    shutil.copytree(REPO / "specs", tmp_path / "specs")
    shutil.copytree(REPO / "generated", tmp_path / "generated", ignore=shutil.ignore_patterns("__pycache__"))

    def run(*args: str | Path) -> Run:
        capsys.readouterr()
        code = main([*(str(a) for a in args), "--specs", str(tmp_path / "specs"), "--out", str(tmp_path / "generated")])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return Workspace(tmp_path, run)
