"""Unused template imports are dropped before ruff runs, and a wrong drop is undone by the format pass."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.emit.formatting import format_sources
from generator.emit.imports import drop_unused_imports
from generator.emit.pysource import docstring

MODULE = '''"""A module."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Literal, cast

from ._runtime import (
    NOT_GIVEN,
    NotGiven,
    Stream,
    basic_auth,
    finish,
)

__all__ = ["f"]


def f(x: NotGiven = NOT_GIVEN) -> int:
    """Returns a Stream; see os and Literal (prose, not code)."""
    return cast(int, finish(x.basic_auth))
'''


def test_names_the_code_never_uses_are_dropped() -> None:
    pruned = drop_unused_imports(MODULE)
    header = pruned.split("__all__")[0]
    assert "from typing import cast\n" in header  # TYPE_CHECKING, Any, Literal: unused; one line now
    assert "import os" not in header  # named only in a docstring
    assert "from ._runtime import NOT_GIVEN, NotGiven, finish\n" in header  # `x.basic_auth` is an attribute
    assert "from __future__ import annotations" in header
    assert pruned.split("__all__")[1] == MODULE.split("__all__")[1]  # the code itself is untouched


def test_an_import_marked_noqa_is_kept_as_ruff_keeps_it() -> None:
    source = "from ._streams import Stream  # noqa: F401 - re-exported\nimport os\n\nx = 1\n"
    assert drop_unused_imports(source) == "from ._streams import Stream  # noqa: F401 - re-exported\n\nx = 1\n"


def test_a_block_where_everything_is_used_is_left_byte_for_byte() -> None:
    source = "import os\n\nprint(os.sep)\n"
    assert drop_unused_imports(source) == source


def test_a_docstring_that_never_closes_leaves_the_source_unchanged() -> None:
    source = 'import os\n\n\ndef f() -> None:\n    """Open\n    print(os)\n'
    assert drop_unused_imports(source) == source


def test_spec_prose_cannot_fool_the_docstring_scan() -> None:
    """Quotes and backslashes in prose are escaped per line: no text line starts or ends a docstring."""
    for prose in ('ends in quotes """""', 'a"', '\\"""', '"""starts', "x\\", '""'):
        lines = docstring(["Title", prose, "more"], "    ").split("\n")
        for line in lines[1:-1]:
            assert not line.strip().startswith('"""') and not line.strip().endswith('"""'), line


def test_a_wrong_drop_is_undone_by_the_format_pass(tmp_path: Path) -> None:
    """A triple-quoted string that is not a docstring fools the scan: the pass must still give working code."""
    source = (
        "from typing import cast\n\n"
        'X = """\n"""\n\n\n'
        "def f() -> int:\n    return cast(int, 1)\n\n\n"
        'def g() -> int:\n    """Doc."""\n    return 2\n'
    )
    assert not drop_unused_imports(source).startswith("from typing import cast")  # the scan was fooled
    formatted = format_sources({"pkg/mod.py": source})["pkg/mod.py"]
    assert formatted.startswith("from typing import cast\n")
    (tmp_path / "fooled.py").write_text(formatted, encoding="utf-8")
    run = subprocess.run([sys.executable, "-c", "import fooled; print(fooled.f())"], cwd=tmp_path, capture_output=True)
    assert run.stdout == b"1\n", run.stderr
