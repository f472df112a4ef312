"""Every real published document in ../shared/realspecs, imported as a new vendor and generated.

One row per document, in one run, next to openapi-python-client 0.29.1 on the same file:

- ops: operations the document declares; gen: operations in our client; skipped, and why;
- warnings (by kind, the most frequent first); ``mypy --strict`` on the generated package;
- seconds: our ``generate`` wall time; opc: its outcome and the operations it generated.

Each document is imported with ``python -m generator import`` into a temporary ``specs/``
(never the repository's). Where ``import`` fails, or writes a spec that no longer generates
(a YAML 1.1 ``no`` read back as ``false``, say), the row says so and the document is
generated from a vendor folder holding it as published, so generation is still measured. openapi-python-client is
installed into its own virtualenv (bench/.work/, as bench_scale.py does).

    python bench/corpus.py [--only NAME ...] [--no-opc] [--no-mypy] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bench_scale import opc_env  # noqa: E402
from generator.ir.load import load_vendor  # noqa: E402
from generator.naming import snake_name  # noqa: E402
from generator.spec.loader import load_document  # noqa: E402
from generator.spec.refs import HTTP_METHODS  # noqa: E402

REALSPECS = REPO.parent / "shared" / "realspecs"
MULTI_FILE_ROOTS = {"digitalocean": "DigitalOcean-public.v2.yaml"}
TIMEOUT = 1800  # seconds per command; the largest document generates in well under a minute


@dataclass
class Row:
    """What happened to one document."""

    document: str
    operations: int = 0
    imported: str = ""
    generated: int | None = None
    models: int | None = None
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, int] = field(default_factory=dict)
    outcome: str = ""
    seconds: float = 0.0
    mypy: str = "not run"
    opc: str = "not run"
    opc_operations: int | None = None


def documents() -> list[Path]:
    """Every single-file document at the top of realspecs, plus the root of each multi-file tree."""
    found = sorted(p for p in REALSPECS.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml", ".json"))
    found += [REALSPECS / folder / root for folder, root in MULTI_FILE_ROOTS.items() if (REALSPECS / folder).is_dir()]
    return found


def declared_operations(path: Path) -> int:
    """Operations the document declares (after bundling its file references)."""
    paths = load_document(path).data.get("paths") or {}
    return sum(1 for item in paths.values() if isinstance(item, dict) for m in item if m in HTTP_METHODS)


def run(cmd: list[str], cwd: Path = REPO, env: dict[str, str] | None = None) -> tuple[int, str, float]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, env=env, errors="replace")
    return proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - start


def last_error(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("error:")] or output.strip().splitlines()[-1:]
    return lines[-1][:200] if lines else "no output"


def generate(specs: Path, out: Path, vendor: str) -> tuple[int, str, float]:
    cmd = [sys.executable, "-m", "generator", "generate", "-v", "--specs", str(specs), "--out", str(out), vendor]
    return run(cmd)


def as_published(path: Path, folder: Path, vendor: str) -> None:
    """A vendor folder holding the document (its whole tree when multi-file) exactly as published."""
    shutil.rmtree(folder, ignore_errors=True)
    if path.parent != REALSPECS:
        shutil.copytree(path.parent, folder)
    else:
        folder.mkdir(parents=True)
        shutil.copyfile(path, folder / path.name)
    (folder / "vendor.yaml").write_text(f"package: {vendor}\nclient_class: Client{vendor.title()}\nspec: {path.name}\n")


def measure(path: Path, work: Path, *, opc: Path | None, mypy: bool) -> Row:
    """Import, generate, type-check and compare one document."""
    name = path.parent.name if path.parent != REALSPECS else path.name
    vendor = "rs_" + snake_name(Path(name).stem)
    row = Row(document=name, operations=declared_operations(path))
    specs, out = work / "specs", work / "generated"
    py = sys.executable
    code, output, _ = run([py, "-m", "generator", "import", "--no-generate", "-q", "--specs", str(specs),
                           "--out", str(out), vendor, str(path)])  # fmt: skip
    row.imported = "ok" if code == 0 else "failed: " + last_error(output)
    if code == 0:
        code, output, row.seconds = generate(specs, out, vendor)
        if code != 0:
            row.imported = "ok, but the imported spec does not generate: " + last_error(output)
    if code != 0:
        # Generation is still measured, from a vendor folder holding the document as published.
        as_published(path, specs / vendor, vendor)
        code, output, row.seconds = generate(specs, out, vendor)
    if code != 0:
        row.outcome = "failed: " + last_error(output)
    else:
        row.outcome = "ok"
        row.warnings = dict(Counter(re.findall(r"^warning\[([\w.-]+)\]", output, re.MULTILINE)).most_common())
        spec = load_vendor(specs, vendor)
        row.generated, row.models = len(spec.api.operations), len(spec.api.schemas)
        row.skipped = dict(Counter(f"{s.kind}: {s.reason}" for s in spec.api.skipped).most_common())
        if mypy:
            code, output, _ = run([py, "-m", "mypy", "--strict", "--no-incremental", vendor], cwd=out)
            summary = output.strip().splitlines()[-1] if output.strip() else ""
            row.mypy = "clean" if code == 0 else summary[:120]
    if opc is not None:
        target = work / "opc" / vendor
        env = dict(os.environ, PATH=f"{opc / 'bin'}{os.pathsep}{os.environ['PATH']}")
        code, output, _ = run([str(opc / "bin" / "openapi-python-client"), "generate", "--path", str(path),
                               "--output-path", str(target), "--overwrite"], cwd=work, env=env)  # fmt: skip
        sources = list(target.rglob("*.py")) if target.is_dir() else []
        row.opc_operations = sum(len(re.findall(r"^def sync_detailed\(", p.read_text(), re.M)) for p in sources)
        warned = "warning" in output.lower()
        row.opc = ("ok" + (" (with warnings)" if warned else "")) if code == 0 and sources else f"failed (exit {code})"
    return row


def table(rows: list[Row]) -> str:
    """The rows as a Markdown table."""
    head = "| document | ops | generated | skipped (why) | warnings | mypy --strict | s | opc 0.29.1 | opc ops |"
    lines = [head, "| --- | ---: | ---: | --- | --- | --- | ---: | --- | ---: |"]
    for r in rows:
        skipped = sum(r.skipped.values())
        why = "; ".join(f"{n}x {reason}" for reason, n in r.skipped.items())
        warned = sum(r.warnings.values())
        kinds = ", ".join(f"{k} {n}" for k, n in list(r.warnings.items())[:3])
        generated = "" if r.generated is None else str(r.generated)
        if r.outcome != "ok":
            generated = r.outcome
        imported = "" if r.imported == "ok" else f" (import {r.imported})"
        opc_ops = "" if r.opc_operations is None else str(r.opc_operations)
        lines.append(
            f"| {r.document}{imported} | {r.operations} | {generated} | {skipped}{f' ({why})' if why else ''} | "
            f"{warned}{f' ({kinds})' if kinds else ''} | {r.mypy} | {r.seconds:.1f} | {r.opc} | {opc_ops} |"
        )
    return "\n".join(line.replace("\n", " ") for line in lines)


def main(argv: list[str] | None = None) -> int:
    """Run the corpus and print the table (exit 1 when a document fails to generate)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", default=[], help="document names (or parts of them) to run")
    parser.add_argument("--no-opc", action="store_true", help="do not run openapi-python-client")
    parser.add_argument("--no-mypy", action="store_true", help="do not run mypy --strict on the output")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    selected = [p for p in documents() if not args.only or any(o in str(p) for o in args.only)]
    opc = None if args.no_opc else opc_env()
    rows = []
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        for index, path in enumerate(selected):
            row = measure(path, Path(tmp) / str(index), opc=opc, mypy=not args.no_mypy)
            print(f"{row.document}: {row.outcome}, {row.generated} of {row.operations} operations", file=sys.stderr)
            rows.append(row)
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1))
    return 0 if all(r.outcome == "ok" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
