"""Write the generated tree atomically, and compare it with what is on disk."""

from __future__ import annotations

import ctypes
import ctypes.util
import difflib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.errors import GeneratorError

IGNORED_PARTS = frozenset({"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"})
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def read_tree(root: Path, vendors: list[str] | None = None) -> dict[str, str]:
    """Files under ``root`` (or under its ``vendors`` subfolders) as relative path -> text."""
    files: dict[str, str] = {}
    if not root.is_dir():
        return files
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_dir() or IGNORED_PARTS.intersection(rel.parts):
            continue
        if vendors is not None and (len(rel.parts) < 2 or rel.parts[0] not in vendors):
            continue
        try:
            files[rel.as_posix()] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            files[rel.as_posix()] = "<binary file>"
    return files


@dataclass(frozen=True)
class Difference:
    """One file that differs between expected and actual output."""

    path: str
    kind: str  # stale | missing | unexpected
    diff: str


def compare(expected: dict[str, str], actual: dict[str, str], root_name: str = "generated") -> list[Difference]:
    """Every file whose content differs, with a unified diff."""
    result = []
    for name in sorted(set(expected) | set(actual)):
        old, new = actual.get(name), expected.get(name)
        if old == new:
            continue
        kind = "missing" if old is None else "unexpected" if new is None else "stale"
        diff = "".join(
            difflib.unified_diff(
                (old or "").splitlines(keepends=True),
                (new or "").splitlines(keepends=True),
                fromfile=f"{root_name}/{name} (on disk)",
                tofile=f"{root_name}/{name} (from specs)",
            )
        )
        result.append(Difference(name, kind, diff))
    return result


def replace_tree(root: Path, files: dict[str, str], vendors: list[str]) -> list[str]:
    """Make ``root`` hold ``files`` for ``vendors`` (other vendors kept), in one atomic swap.

    The new tree is built beside ``root`` and exchanged with it by ``renameat2`` where the
    kernel offers it, so readers see either the old tree or the new one, and a failure at
    any point before the swap leaves ``root`` untouched. Only files whose content changed
    are written (unchanged ones keep their mtime); with no change nothing is touched.
    Returns the changed paths.
    """
    root = root.resolve()
    current = read_tree(root)
    owned = {n for n in current if n.split("/")[0] in vendors}
    changed = sorted(name for name in set(files) | owned if current.get(name) != files.get(name))
    if not changed:
        return []
    staging = root.parent / f".{root.name}.new-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        if root.is_dir():
            shutil.copytree(root, staging, ignore=shutil.ignore_patterns(*IGNORED_PARTS))
        for name in changed:
            target = staging / name
            if name not in files:
                target.unlink(missing_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[name], encoding="utf-8")
        _swap(staging, root)
    except OSError as exc:
        raise GeneratorError(f"could not write {root}: {exc}") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return changed


def _swap(new: Path, root: Path) -> None:
    """Put ``new`` in place of ``root``; afterwards ``new`` holds the old tree (or is gone)."""
    if not root.exists():
        os.rename(new, root)
        return
    libc_name = ctypes.util.find_library("c")
    renameat2 = getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None) if libc_name else None
    if (
        renameat2 is not None
        and renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(root), _RENAME_EXCHANGE) == 0
    ):
        return
    # No atomic exchange here (old kernel, other OS): two renames, the window is tiny.
    old = root.parent / f".{root.name}.old-{os.getpid()}"
    os.rename(root, old)
    os.rename(new, root)
    os.rename(old, new)
