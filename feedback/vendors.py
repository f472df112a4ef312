"""Find each vendor's generated package by the ``package`` its ``vendor.yaml`` configures, in-tree or installed.

Nothing here imports a generated package until a client is asked for, so ``import feedback``
works with any subset of vendors installed. May import ``generator.spec`` (a layer below).
"""

from __future__ import annotations

import importlib
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

from generator.errors import GeneratorError
from generator.spec.config import CONFIG_FILE, VendorConfig, load_config

# The checkout this package sits in: its specs/ and generated/ are the in-tree vendors.
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SPECS = ROOT / "specs"
IN_TREE = "generated"


class PackageNotFoundError(GeneratorError):
    """Neither the in-tree ``generated/<package>`` nor an installed ``<package>`` exists."""


@cache
def vendor_config(vendor: str, specs_dir: Path = DEFAULT_SPECS) -> VendorConfig | None:
    """The vendor's ``vendor.yaml``, or None when there is no specs folder for it (an installed setup)."""
    if not (specs_dir / vendor / CONFIG_FILE).is_file():
        return None
    return load_config(specs_dir / vendor)


def package_name(vendor: str, specs_dir: Path = DEFAULT_SPECS) -> str:
    """The configured package of ``vendor``; without a ``vendor.yaml``, the vendor name (the generator's default)."""
    config = vendor_config(vendor, specs_dir)
    return config.package if config is not None else vendor


def client_package(vendor: str, specs_dir: Path = DEFAULT_SPECS) -> ModuleType:
    """Import the vendor's package: ``generated.<package>`` of this checkout, else an installed ``<package>``."""
    package = package_name(vendor, specs_dir)
    if (ROOT / IN_TREE / package / "__init__.py").is_file():
        if str(ROOT) not in sys.path:
            # Run from another folder, the checkout is not on sys.path; its generated/ still is the source of truth.
            sys.path.append(str(ROOT))
        return importlib.import_module(f"{IN_TREE}.{package}")
    try:
        return importlib.import_module(package)
    except ModuleNotFoundError as exc:
        if exc.name != package:
            raise  # the package exists but something it imports does not: a real error
        raise PackageNotFoundError(
            f"no generated package {package!r} for vendor {vendor!r}: neither {ROOT / IN_TREE / package} exists "
            f"nor is {package!r} installed (`pip install generated/{package}` from the checkout)"
        ) from None


def vendor_of_module(module: str, vendors: list[str], specs_dir: Path = DEFAULT_SPECS) -> str | None:
    """Which of ``vendors`` a module of a generated package (``generated.algolia._client``, ``algolia._client``) is."""
    parts = module.split(".")
    package = parts[1] if len(parts) > 1 and parts[0] == IN_TREE else parts[0]
    return next((v for v in vendors if package_name(v, specs_dir) == package), None)
