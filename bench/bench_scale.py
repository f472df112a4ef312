"""Generation at scale: our `generate` vs openapi-python-client on the same documents, same run.

Inputs: Twilio Conversations (852 KB) and one larger document built here by merging every
spec in ../shared/realspecs/ under distinct prefixes. openapi-python-client is installed by
this script into its own virtualenv (bench/.work/, git-ignored). Prints median wall times,
the ratio ours/theirs, time per MB, and how many operations each generated.

    python bench/bench_scale.py [--repeats 3] [--mypy]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from generator.ir.load import load_spec  # noqa: E402
from generator.spec.loader import parse_text, read_text  # noqa: E402

SHARED = REPO.parent / "shared" / "realspecs"
WORK = REPO / "bench" / ".work"
OPC_VERSION = "0.29.1"
SECTIONS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
)


def opc_env() -> Path:
    """A virtualenv with openapi-python-client (and the ruff it calls), created once."""
    venv = WORK / "opc-venv"
    exe = venv / "bin" / "openapi-python-client"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, f"openapi-python-client=={OPC_VERSION}", "ruff"], check=True)
    return venv


def merged_document() -> dict[str, Any]:
    """Every realspec under its own prefix: paths, operationIds, tags and component names."""
    merged: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "All realspecs merged", "version": "1.0.0"},
        "servers": [{"url": "https://example.invalid"}],
        "paths": {},
        "components": {s: {} for s in SECTIONS},
    }
    files = sorted(p for p in SHARED.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
    for index, path in enumerate(files):
        doc = parse_text(read_text(path), path)
        prefix = f"S{index}"
        text = json.dumps(doc)
        for section in SECTIONS:
            for name in (doc.get("components") or {}).get(section) or {}:
                old = f'"#/components/{section}/{name}"'
                text = text.replace(old, f'"#/components/{section}/{prefix}{name}"')
        doc = json.loads(text)
        if str(doc.get("openapi", "")).startswith("3.0"):
            _upgrade_30(doc)
        for section in SECTIONS:
            for name, value in ((doc.get("components") or {}).get(section) or {}).items():
                merged["components"][section][f"{prefix}{name}"] = value
        default_security = [{f"{prefix}{k}": v for k, v in req.items()} for req in doc.get("security") or []]
        for route, item in (doc.get("paths") or {}).items():
            for method, op in item.items():
                if not isinstance(op, dict) or method not in (
                    "get",
                    "put",
                    "post",
                    "delete",
                    "patch",
                    "head",
                    "options",
                ):
                    continue
                if "operationId" in op:
                    op["operationId"] = f"{prefix}_{op['operationId']}"
                op["tags"] = [f"{prefix}_{t}" for t in op.get("tags") or ["default"]]
                # 3.1 allows operations without responses; openapi-python-client refuses them.
                op.setdefault("responses", {"200": {"description": "OK"}})
                if "security" in op:
                    op["security"] = [{f"{prefix}{k}": v for k, v in req.items()} for req in op["security"]]
                elif default_security:
                    op["security"] = default_security
            merged["paths"][f"/{prefix.lower()}{route}"] = item
    return merged


def _upgrade_30(node: Any) -> None:
    """The 3.0 spellings a 3.1 document may not keep (nullable is left to our normalizer)."""
    if isinstance(node, dict):
        for key, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            if node.get(key) is True and bound in node:
                node[key] = node.pop(bound)
            elif node.get(key) is False:
                del node[key]
        for value in node.values():
            _upgrade_30(value)
    elif isinstance(node, list):
        for value in node:
            _upgrade_30(value)


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of one run of ``cmd``; raises with its output if it fails."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            out.seek(0)
            raise SystemExit(f"{cmd[0]} failed ({proc.returncode}):\n{out.read().decode()[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    """Run the comparison and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--mypy", action="store_true", help="also run mypy --strict on our output")
    args = parser.parse_args()
    venv = opc_env()
    opc_path = dict(os.environ, PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}")
    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    inputs = {"twilio-conversations-v1": SHARED / "twilio-conversations-v1.json"}
    merged = tmp / "merged.json"
    merged.write_text(json.dumps(merged_document(), indent=1))
    inputs["all-realspecs-merged"] = merged
    header = f"{'input':26} {'MB':>5} {'ops':>5} {'ours s':>7} {'opc s':>7} {'ratio':>6}"
    print(f"{header} {'ours s/MB':>9} {'opc s/MB':>9} {'opc ops':>7}")
    try:
        for name, spec in inputs.items():
            specs = tmp / name / "specs"
            (specs / "bench").mkdir(parents=True)
            shutil.copy(spec, specs / "bench" / ("openapi" + spec.suffix))
            (specs / "bench" / "vendor.yaml").write_text(
                f"package: bench\nclient_class: BenchClient\nspec: openapi{spec.suffix}\n"
            )
            out = tmp / name / "generated"
            opc_out = tmp / name / "opc"
            ours_cmd = [sys.executable, "-m", "generator", "generate", "-q", "--specs", str(specs), "--out", str(out)]
            opc_cmd = [str(venv / "bin" / "openapi-python-client"), "generate", "--path", str(spec)]
            opc_cmd += ["--output-path", str(opc_out), "--overwrite"]
            ours, theirs, rss = [], [], []
            for _ in range(args.repeats):  # interleaved, so machine noise hits both alike
                shutil.rmtree(out, ignore_errors=True)
                seconds, peak = timed(ours_cmd)
                ours.append(seconds)
                rss.append(peak)
                theirs.append(timed(opc_cmd, opc_path)[0])
            operations = len(load_spec(specs / "bench" / ("openapi" + spec.suffix)).api.operations)
            opc_ops = sum(
                1 for p in opc_out.rglob("*.py") if re.search(r"^def sync_detailed\(", p.read_text(), re.MULTILINE)
            )
            mb = spec.stat().st_size / 1e6
            a, b = statistics.median(ours), statistics.median(theirs)
            row = f"{name:26} {mb:5.2f} {operations:5d} {a:7.2f} {b:7.2f} {a / b:6.2f}"
            print(f"{row} {a / mb:9.2f} {b / mb:9.2f} {opc_ops:7d}  peak RSS {max(rss):.0f} MB")
            if args.mypy:
                result = subprocess.run(
                    [sys.executable, "-m", "mypy", "--strict", "bench"], cwd=out, capture_output=True, text=True
                )
                print(f"  mypy --strict on our output: {result.stdout.strip().splitlines()[-1]}")
        check_cmd = [sys.executable, "-m", "generator", "check", "-q", "--specs", str(specs), "--out", str(out)]
        check_times = [timed(check_cmd)[0] for _ in range(args.repeats)]
        print(
            f"check on an unchanged tree ({name}): {statistics.median(check_times):.2f} s = "
            f"{statistics.median(check_times) / statistics.median(ours):.2f}x generate"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
