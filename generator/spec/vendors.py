"""Which vendors exist: the folders under ``specs/`` that hold a vendor config."""

from __future__ import annotations

from pathlib import Path

from generator.errors import SpecError
from generator.spec.config import CONFIG_FILE


def vendor_names(specs_dir: Path) -> list[str]:
    """Vendors under ``specs/``, sorted."""
    if not specs_dir.is_dir():
        return []
    return sorted(p.name for p in specs_dir.iterdir() if is_vendor(specs_dir, p.name))


def is_vendor(specs_dir: Path, name: str) -> bool:
    """True when ``specs/<name>/`` holds a vendor config."""
    return (specs_dir / name / CONFIG_FILE).is_file()


def vendor_dir(specs_dir: Path, name: str) -> Path:
    """``specs/<name>/``, or a SpecError naming the known vendors."""
    if not is_vendor(specs_dir, name):
        known = ", ".join(vendor_names(specs_dir)) or "none"
        raise SpecError(f"unknown vendor {name!r} (known: {known})", file=specs_dir)
    return specs_dir / name
