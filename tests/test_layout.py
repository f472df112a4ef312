"""The house rules of ``generator/``: every module imports, and dependencies point down.

The rules live as import-linter contracts in ``pyproject.toml`` (``lint-imports --no-cache``
runs them by hand); these tests run them, show that an injected violation breaks them, and
check what a static contract cannot: that only ``generator.cli.main`` imports command modules
whatever commands exist, and that the wheel's package list is the tree.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp
import pytest

REPO = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _modules(root: Path) -> list[str]:
    """Dotted names of every module under ``root`` (a folder of REPO)."""
    names = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", "--config", str(cwd / "pyproject.toml")],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_generator_module_imports_and_pulls_in_neither_generated_nor_feedback() -> None:
    modules = [m for m in _modules(REPO / "generator") if m != "generator.__main__"]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('generated', 'feedback')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_import_contracts_hold() -> None:
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("generator/spec/normalize.py", "import generator.emit.client", "The spec stage imports nothing downstream"),
        ("generator/ir/model.py", "import generator.output.writer", "The intermediate model imports neither"),
        ("generator/emit/models.py", "import generator.pipeline", "Emitters import neither"),
        ("generator/naming.py", "import feedback", "never imports its own output"),
        ("generator/errors.py", "import generated", "never imports its own output"),
        ("generator/pipeline.py", "import generator.cli.options", "Only python -m generator imports the CLI"),
        ("generator/runtime/_auth.py", "import generator.errors", "The runtime (copied into every generated"),
        ("generator/runtime/_auth.py", "import generator", "The runtime does not import the generator package"),
    ],
)
def test_a_violating_import_breaks_its_contract(tmp_path: Path, module: str, line: str, contract: str) -> None:
    for folder in ("generator", "feedback", "generated"):
        shutil.copytree(REPO / folder, tmp_path / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts", 1)[-1]
    assert contract in " ".join(broken.split()), result.stdout


def command_import_violations(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    """Each ``generator.cli.cmd_*`` module imported by anything but ``generator.cli.main``, with those importers."""
    commands = [m for m in graph.modules if m.startswith("generator.cli.cmd_")]
    assert commands, "no generator.cli.cmd_* modules found"
    found = {m: graph.find_modules_that_directly_import(m) - {"generator.cli.main"} for m in commands}
    return {m: importers for m, importers in found.items() if importers}


def test_only_cli_main_imports_command_modules() -> None:
    assert command_import_violations(grimp.build_graph("generator", cache_dir=None)) == {}


def test_a_command_imported_elsewhere_is_reported() -> None:
    graph = grimp.ImportGraph()
    for module in ("generator.cli.main", "generator.cli.cmd_generate", "generator.pipeline"):
        graph.add_module(module)
    graph.add_import(importer="generator.cli.main", imported="generator.cli.cmd_generate")
    assert command_import_violations(graph) == {}
    graph.add_import(importer="generator.pipeline", imported="generator.cli.cmd_generate")
    assert command_import_violations(graph) == {"generator.cli.cmd_generate": {"generator.pipeline"}}


def test_runtime_contract_forbids_every_other_part_of_the_generator() -> None:
    contracts = {c["id"]: c for c in PYPROJECT["tool"]["importlinter"]["contracts"]}
    top_level = {
        "generator." + (p.stem if p.is_file() else p.name)
        for p in (REPO / "generator").iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p.is_dir() and any(p.glob("*.py")))
    }
    assert set(contracts["runtime-alone"]["forbidden_modules"]) == top_level - {"generator.runtime"}


def test_pyproject_packages_are_the_tree() -> None:
    tree = {
        ".".join(d.relative_to(REPO).parts)
        for root in ("generator", "feedback")
        for d in [REPO / root, *(REPO / root).rglob("*")]
        if d.is_dir() and any(d.glob("*.py"))
    }
    assert set(PYPROJECT["tool"]["setuptools"]["packages"]) == tree | {"generator.templates"}
    assert PYPROJECT["tool"]["setuptools"]["package-dir"] == {"generator.templates": "templates"}
