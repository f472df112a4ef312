"""Generation at scale: our `generate` vs openapi-python-client 0.29.1, cold, in the same run.

1. Real documents (Twilio Conversations, Mistral, Discord; a document the loader refuses is
   reported and skipped): wall time, CPU time (the process and every child it waited for:
   validation child, ruff) and peak RSS of a cold `generate` (fresh output folder, so no
   manifest), interleaved with openapi-python-client on the same file. Target: ours <= 0.5x
   theirs in wall and CPU time.
2. Where our time goes: each stage timed in-process on the same documents.
3. Seconds per MB over a synthetic series (0.1 to 3 MB of operations and schemas built here):
   raw; net of the fixed start-up (a run on a document of zero operations); and marginal, the
   cost of each added MB between neighbouring sizes. Each point is the fastest of the same
   number of interleaved runs (at least 5). Target: s/MB flat within 1.3x.

openapi-python-client is installed by this script into its own virtualenv (bench/.work/,
git-ignored); our package is byte-compiled first, as pip byte-compiles theirs.

    python bench/bench_scale.py [--repeats 1] [--no-opc] [--sizes 0.1,0.3,1,3]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
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

from generator.errors import SpecError  # noqa: E402

SHARED = REPO.parent / "shared" / "realspecs"
WORK = REPO / "bench" / ".work"
OPC_VERSION = "0.29.1"
DOCUMENTS = ("twilio-conversations-v1.json", "mistral-openapi.yaml", "discord-openapi.json")


def opc_env() -> Path:
    """A virtualenv with openapi-python-client (and the ruff it calls), created once."""
    venv = WORK / "opc-venv"
    exe = venv / "bin" / "openapi-python-client"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, f"openapi-python-client=={OPC_VERSION}", "ruff"], check=True)
    return venv


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (with waited-for children) and peak RSS (MB) of one run of ``cmd``."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            out.seek(0)
            raise RuntimeError(f"{cmd[0]} failed:\n{out.read().decode(errors='replace')[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def vendor_dir(root: Path, spec: Path) -> Path:
    """``root/specs`` holding ``spec`` as vendor ``bench``."""
    specs = root / "specs"
    (specs / "bench").mkdir(parents=True, exist_ok=True)
    shutil.copy(spec, specs / "bench" / ("openapi" + spec.suffix))
    (specs / "bench" / "vendor.yaml").write_text(
        f"package: bench\nclient_class: BenchClient\nspec: openapi{spec.suffix}\n"
    )
    return specs


def ours(root: Path, spec: Path) -> tuple[float, float, float]:
    """One cold run of our generate on ``spec``."""
    specs = vendor_dir(root, spec)
    out = root / "generated"
    shutil.rmtree(out, ignore_errors=True)
    return timed([sys.executable, "-m", "generator", "generate", "-q", "--specs", str(specs), "--out", str(out)])


def theirs(venv: Path, root: Path, spec: Path) -> tuple[float, float, float]:
    """One cold run of openapi-python-client on ``spec``."""
    env = dict(os.environ, PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}")
    cmd = [str(venv / "bin" / "openapi-python-client"), "generate", "--path", str(spec)]
    return timed([*cmd, "--output-path", str(root / "opc"), "--overwrite"], env)


def stages(spec: Path) -> dict[str, float]:
    """Seconds per stage of our pipeline on ``spec``, in-process."""
    from generator.emit.client import render_client
    from generator.emit.formatting import format_sources
    from generator.emit.models import render_models
    from generator.ir.builder import build_api
    from generator.spec.config import default_config
    from generator.spec.loader import load_document
    from generator.spec.normalize import NormalizeContext, normalize
    from generator.spec.validate import validate_document

    times: dict[str, float] = {}

    def clock(name: str, start: float) -> float:
        now = time.perf_counter()
        times[name] = now - start
        return now

    t = time.perf_counter()
    document = load_document(spec)
    t = clock("load + $ref bundling", t)
    normalize(document.data, NormalizeContext(file=spec))
    t = clock("normalize", t)
    validate_document(document.data, spec)
    t = clock("validate (in a child during a run)", t)
    config = default_config("bench", spec.parent)
    api = build_api(document.data, config, spec)
    t = clock("build IR + names", t)
    models = render_models(api)
    t = clock("render models", t)
    client = render_client(api, config)
    t = clock("render client", t)
    format_sources({"bench/models.py": models, **{f"bench/{k}": v for k, v in client.items()}})
    clock("ruff fix + format", t)
    return times


# ---------------------------------------------------------------------------- synthetic series


def unit(i: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Paths and schemas of one synthetic resource: the schema kinds real specs use."""
    p = f"R{i}"
    ref = f"#/components/schemas/{p}"
    schemas = {
        f"{p}Status": {"type": "string", "enum": ["active", "archived", "deleted", "count", "center"]},
        f"{p}Base": {
            "type": "object",
            "required": ["id", "created_at"],
            "properties": {
                "id": {"type": "string", "format": "uuid", "readOnly": True},
                "created_at": {"type": "string", "format": "date-time"},
                "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
        p: {
            "allOf": [
                {"$ref": f"{ref}Base"},
                {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "minLength": 1, "maxLength": 200, "description": f"Name of {p}."},
                        "status": {"$ref": f"{ref}Status"},
                        "count": {"type": "integer", "minimum": 0, "default": 0},
                        "ratio": {"type": "number", "nullable": True},
                        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 20},
                        "parent": {"$ref": ref},
                        "target": {"oneOf": [{"$ref": f"{ref}Status"}, {"type": "integer"}]},
                    },
                },
            ]
        },
        f"{p}List": {
            "type": "object",
            "properties": {"data": {"type": "array", "items": {"$ref": ref}}, "next_cursor": {"type": "string"}},
        },
    }
    item_param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ok = {"description": "OK", "content": {"application/json": {"schema": {"$ref": ref}}}}
    body = {"required": True, "content": {"application/json": {"schema": {"$ref": ref}}}}
    paths = {
        f"/r{i}": {
            "get": {
                "operationId": f"list{p}",
                "tags": [f"r{i}"],
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}],
                "responses": {
                    "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": f"{ref}List"}}}}
                },
            },
            "post": {"operationId": f"create{p}", "tags": [f"r{i}"], "requestBody": body, "responses": {"201": ok}},
        },
        f"/r{i}/{{id}}": {
            "parameters": [item_param],
            "get": {"operationId": f"get{p}", "tags": [f"r{i}"], "responses": {"200": ok}},
            "delete": {"operationId": f"delete{p}", "tags": [f"r{i}"], "responses": {"204": {"description": "gone"}}},
        },
    }
    return paths, schemas


def synthetic(megabytes: float) -> dict[str, Any]:
    """A valid OpenAPI 3.0 document of about ``megabytes`` MB (0 gives one without operations)."""
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "Synthetic", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": {},
        "components": {"schemas": {}},
    }
    size = len(json.dumps(unit(0), indent=1))
    for i in range(round(megabytes * 1e6 / size)):
        paths, schemas = unit(i)
        doc["paths"].update(paths)
        doc["components"]["schemas"].update(schemas)
    return doc


def main() -> None:
    """Run the comparisons and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--no-opc", action="store_true", help="skip openapi-python-client")
    parser.add_argument("--sizes", default="0.1,0.3,1,3", help="synthetic series, MB")
    parser.add_argument("--series-only", action="store_true", help="only the synthetic series")
    args = parser.parse_args()
    venv = None if args.no_opc else opc_env()
    # pip byte-compiles openapi-python-client when it installs it; ours runs from the checkout,
    # where PYTHONDONTWRITEBYTECODE (set on some machines) would make every run compile our
    # source again (about 40 ms). Compile it once, as an install would.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "generator")], check=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        print("1. cold generate, ours vs openapi-python-client (median of", args.repeats, "run(s))")
        head = f"{'document':30} {'MB':>5} {'ours wall':>9} {'opc wall':>8} {'ratio':>6} {'ours CPU':>8} {'opc CPU':>8}"
        print(f"{head} {'ratio':>6} {'ours RSS':>8} {'opc RSS':>8}")
        loaded = []
        for name in () if args.series_only else DOCUMENTS:
            spec = SHARED / name
            try:
                from generator.ir.load import load_spec

                load_spec(spec, validate=False)
            except SpecError as exc:
                print(f"{name:30} refused by the loader: {str(exc)[:150]}")
                continue
            loaded.append(spec)
            runs: dict[str, list[tuple[float, float, float]]] = {"ours": [], "opc": []}
            for _ in range(args.repeats):  # interleaved: machine noise hits both alike
                runs["ours"].append(ours(tmp / name, spec))
                if venv is not None:
                    try:
                        runs["opc"].append(theirs(venv, tmp / name, spec))
                    except RuntimeError as exc:
                        print(f"  openapi-python-client failed on {name}: {str(exc)[:200]}")
                        break
            a = [statistics.median(x[k] for x in runs["ours"]) for k in range(3)]
            b = [statistics.median(x[k] for x in runs["opc"]) for k in range(3)] if runs["opc"] else [float("nan")] * 3
            mb = spec.stat().st_size / 1e6
            print(
                f"{name:30} {mb:5.2f} {a[0]:9.2f} {b[0]:8.2f} {a[0] / b[0]:6.2f} {a[1]:8.2f} {b[1]:8.2f} "
                f"{a[1] / b[1]:6.2f} {a[2]:7.0f}M {b[2]:7.0f}M"
            )

        print("\n2. our stages, in-process (seconds)")
        for spec in loaded:
            times = stages(spec)
            total = sum(times.values())
            print(f"{spec.name}: " + ", ".join(f"{k} {v:.2f}" for k, v in times.items()) + f"; total {total:.2f}")

        print("\n3. synthetic series: seconds per MB (cold generate; fastest of the repeats, the least disturbed)")
        # Every point, the empty document included, gets the same number of runs, taken in
        # interleaved rounds: a minimum over more runs is lower, and the small sizes divide
        # the start-up's error by little, so unequal counts would bias them.
        rounds = max(args.repeats, 5)
        points: list[tuple[str, Path, float, int]] = []
        empty = tmp / "empty.json"
        empty.write_text(json.dumps(synthetic(0)))
        for size in [float(s) for s in args.sizes.split(",")]:
            path = tmp / f"synthetic-{size}.json"
            doc = synthetic(size)
            path.write_text(json.dumps(doc, indent=1))
            ops = sum(len([m for m in item if m != "parameters"]) for item in doc["paths"].values())
            points.append((path.stem, path, path.stat().st_size / 1e6, ops))
        runs: dict[str, list[tuple[float, float, float]]] = {"empty": []}
        for _ in range(rounds):
            runs["empty"].append(ours(tmp / "empty", empty))
            for stem, path, _, _ in points:
                runs.setdefault(stem, []).append(ours(tmp / stem, path))
        base, base_cpu, _ = (min(r[k] for r in runs["empty"]) for k in range(3))
        print(f"fixed start-up (a document without operations): {base:.2f} s wall, {base_cpu:.2f} s CPU")
        print(f"{'MB':>6} {'ops':>6} {'wall':>7} {'CPU':>7} {'s/MB':>7} {'net s/MB':>9} {'net CPU/MB':>10} {'RSS':>7}")
        net, net_cpu, fastest = [], [], []
        for stem, _, mb, ops in points:
            wall, cpu, rss = (min(r[k] for r in runs[stem]) for k in range(3))
            fastest.append((mb, wall, cpu))
            net.append((wall - base) / mb)
            net_cpu.append((cpu - base_cpu) / mb)
            row = f"{mb:6.2f} {ops:6d} {wall:7.3f} {cpu:7.3f} {wall / mb:7.2f} {net[-1]:9.2f}"
            print(f"{row} {net_cpu[-1]:10.2f} {rss:6.0f}M")
        print(f"net s/MB spread (max/min): wall {max(net) / min(net):.2f}x, CPU {max(net_cpu) / min(net_cpu):.2f}x")
        # The cost of each added MB, between neighbouring sizes: no start-up to subtract, and no
        # small difference divided by 0.1 MB (at 0.1 MB the net above is some 30 ms).
        pairs = list(itertools.pairwise(fastest))
        step = [(b[1] - a[1]) / (b[0] - a[0]) for a, b in pairs]
        step_cpu = [(b[2] - a[2]) / (b[0] - a[0]) for a, b in pairs]
        spans = ", ".join(
            f"{a[0]:.2f}-{b[0]:.2f} MB: {w:.2f} s ({c:.2f} CPU)"
            for (a, b), w, c in zip(pairs, step, step_cpu, strict=True)
        )
        print(f"marginal s/MB by span: {spans}")
        wall_spread, cpu_spread = max(step) / min(step), max(step_cpu) / min(step_cpu)
        print(f"marginal s/MB spread (max/min): wall {wall_spread:.2f}x, CPU {cpu_spread:.2f}x")
        print(f"({rounds} interleaved rounds; load average at the end: {os.getloadavg()[0]:.2f})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
