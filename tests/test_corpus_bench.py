"""bench/corpus.py on the small real documents: it imports, generates and type-checks each, one row each.

(The whole corpus, with openapi-python-client beside it, is a benchmark: ``python bench/corpus.py``.)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SMALL = ["oai30-petstore-expanded.yaml", "oai30-link-example.yaml", "oai31-tictactoe.yaml"]

pytestmark = pytest.mark.skipif(
    not all((REPO.parent / "shared" / "realspecs" / name).is_file() for name in SMALL), reason="no real specs"
)


def test_corpus_rows_for_the_small_documents(tmp_path: Path) -> None:
    rows_file = tmp_path / "rows.json"
    proc = subprocess.run(
        [sys.executable, "bench/corpus.py", "--no-opc", "--json", str(rows_file), "--only", *SMALL],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = {row["document"]: row for row in json.loads(rows_file.read_text())}
    assert set(rows) == set(SMALL)
    for name, row in rows.items():
        assert row["imported"] == "ok", row
        assert row["outcome"] == "ok", row
        assert row["generated"] == row["operations"] > 0, row
        assert row["skipped"] == {}, row
        assert row["mypy"] == "clean", row
        assert row["opc"] == "not run"
        assert f"| {name} | {row['operations']} | {row['generated']} | 0 |" in proc.stdout
    # Warnings are counted by kind: tictactoe's 3.0-style schema `example`s in a 3.1 document.
    assert rows["oai31-tictactoe.yaml"]["warnings"].get("schema-example", 0) > 0
