"""Time ``python -m generator generate`` on Twilio Conversations v1 against datamodel-code-generator alone.

Both run as fresh processes on the same file (850 kB of JSON), so both pay interpreter and
import start-up; the ratio says what loading, normalizing, validating, the IR and the client
templates cost on top of model generation. Not a test.

    python bench/bench_generate.py [--repeats N] [--spec FILE]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SPEC = REPO.parent / "shared" / "realspecs" / "twilio-conversations-v1.json"


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    args = parser.parse_args()
    if not args.spec.is_file():
        sys.exit(f"spec not found: {args.spec}")
    codegen = shutil.which("datamodel-codegen", path=str(Path(sys.executable).parent)) or shutil.which(
        "datamodel-codegen"
    )
    if codegen is None:
        sys.exit("datamodel-codegen not found next to this Python or on PATH")

    with tempfile.TemporaryDirectory(prefix="bench-generate-") as tmp:
        root = Path(tmp)
        vendor = root / "specs" / "twilio"
        vendor.mkdir(parents=True)
        shutil.copyfile(args.spec, vendor / args.spec.name)
        (vendor / "vendor.yaml").write_text(
            f"package: twilio\nclient_class: TwilioClient\nspec: {args.spec.name}\n", encoding="utf-8"
        )
        ours_cmd = [sys.executable, "-m", "generator", "generate", "-q", "--specs", str(root / "specs")]
        dcg_cmd = [
            codegen,
            *("--input", str(args.spec), "--input-file-type", "openapi"),
            *("--output-model-type", "pydantic_v2.BaseModel", "--output", str(root / "dcg_models")),
        ]
        # One untimed run of each warms the file cache and writes bytecode.
        timed([*ours_cmd, "--out", str(root / "warm")], REPO)
        timed(dcg_cmd, root)
        ours, dcg = [], []
        for i in range(args.repeats):
            # A fresh output folder every time, so every run writes the whole tree.
            ours.append(timed([*ours_cmd, "--out", str(root / f"out{i}")], REPO))
            dcg.append(timed(dcg_cmd, root))
            print(f"run {i + 1}/{args.repeats}: generate {ours[-1]:.2f}s  datamodel-codegen {dcg[-1]:.2f}s", flush=True)

    ours_median, dcg_median = statistics.median(ours), statistics.median(dcg)
    print(f"\nspec: {args.spec.name} ({args.spec.stat().st_size / 1024:.0f} kB), {args.repeats} repeats")
    print(f"python -m generator generate   median {ours_median:.2f}s  (min {min(ours):.2f}s, max {max(ours):.2f}s)")
    print(f"datamodel-codegen alone        median {dcg_median:.2f}s  (min {min(dcg):.2f}s, max {max(dcg):.2f}s)")
    print(f"ratio generate / datamodel-codegen: {ours_median / dcg_median:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
