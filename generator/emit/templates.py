"""Where the Jinja templates live: ``generator/templates`` in an installed wheel, ``templates/`` in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent.parent / "templates"
_CHECKOUT = Path(__file__).resolve().parents[2] / "templates"


def templates_dir() -> Path:
    """The folder holding the ``*.jinja`` templates (the wheel ships ``templates/`` as ``generator/templates``)."""
    return _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT
