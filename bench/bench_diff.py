"""Diff speed and memory: the time to diff two documents against the time to parse them, same run.

Pairs: the two largest single-file realspecs the diff can load (each against a deterministic
mutation of itself), and a synthetic pair of about 3 MB, each written as JSON; and again as
YAML for the YAML-published one and the synthetic pair (vendors publish both; YAML takes
several times longer to parse, so the same diff is a smaller multiple). Every measurement runs in a fresh
child process (wall-clock median of --repeats, the child's imports included), which also
reports its peak RSS.

- parse: reading and parsing both documents (``load_document``: YAML/JSON and $ref bundling),
  with the cyclic collector paused as the diff pauses it while it loads;
- diff: the whole ``diff`` as the CLI runs it without validation (parse, normalize, model,
  compare, JSON report);
- compare: the comparison alone, inside the diff run;
- RSS: each child's own peak resident set (``VmHWM``; ``ru_maxrss`` would include the parent's).

The children find the generator's modules compiled, as an installed package has them (a
bytecode cache in the run's temporary folder, filled before timing); ``--compile-each-run``
leaves the environment's setting, so that with PYTHONDONTWRITEBYTECODE every child compiles.

The diff run is also split by stage: import (of the diff engine), load (``load_document``
as parse measures it), normalize, build (the IR), compare and render (the JSON report).
The machine's load average is printed too: on a shared machine, compare runs made under
similar load.

Target (issue 13): diff time at most twice the parse time.

    python bench/bench_diff.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
SHARED = next((p / "shared" for p in REPO.parents if (p / "shared" / "realspecs").is_dir()), REPO.parent / "shared")
REALSPECS = SHARED / "realspecs"
CANDIDATES = (
    "discord-openapi.json",
    "mistral-openapi.yaml",
    "twilio-conversations-v1.json",
    "moveworks-conversations.yaml",
)

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
mode, old, new = sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
out = {}


def peak_rss_mb():
    # VmHWM is this process's own high-water mark. ru_maxrss is not: on Linux it also carries
    # the RSS of the process that forked (or vforked) this one, so a child of a 75 MB parent reads 75 MB.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(module, name, stage):
    # Time one stage of load_side by wrapping the name inputs.py calls it by (the code itself is unchanged).
    inner = getattr(module, name)
    def wrapper(*args, **kwargs):
        t = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            out[stage] = out.get(stage, 0.0) + time.perf_counter() - t
    setattr(module, name, wrapper)


start = time.perf_counter()
if mode == "parse":
    import gc
    from generator.spec.loader import load_document
    gc.disable()  # as load_side pauses it (diff/gc_pause.py): the same conditions on both sides of the ratio
    load_document(old); load_document(new)
else:
    import generator.diff.inputs as inputs
    from generator.diff.compare import diff_sides
    from generator.diff.render import renderer
    out["import"] = time.perf_counter() - start
    for name, stage in (("load_document", "load"), ("normalize", "normalize"), ("build_api", "build")):
        timed(inputs, name, stage)
    a, b = inputs.load_pair(str(old), str(new), old.parent, validate=False)  # as the CLI loads a pair
    t = time.perf_counter()
    findings = diff_sides(a, b)
    out["compare"] = time.perf_counter() - t
    t = time.perf_counter()
    renderer("json")(findings, str(old), str(new), [])
    out["render"] = time.perf_counter() - t
    out["findings"] = len(findings)
out["seconds"] = time.perf_counter() - start
out["rss_mb"] = peak_rss_mb()
print(json.dumps(out))
"""


def mutate(doc: dict[str, Any], seed: int = 13) -> dict[str, Any]:
    """A deterministic revision: nullability, bounds, enums, removed properties and operations, a new parameter."""
    rng = random.Random(seed)
    new = copy.deepcopy(doc)
    schemas = (new.get("components") or {}).get("schemas") or {}
    for schema in schemas.values():
        props = schema.get("properties") if isinstance(schema, dict) else None
        if not isinstance(props, dict):
            continue
        for name in list(props):
            prop = props[name]
            if not isinstance(prop, dict) or "$ref" in prop:
                continue
            roll = rng.random()
            if roll < 0.03:
                prop["nullable"] = not prop.get("nullable", False)
            elif roll < 0.05 and prop.get("type") == "string":
                prop["maxLength"] = 64
            elif roll < 0.06 and isinstance(prop.get("enum"), list):
                prop["enum"] = [*prop["enum"], "bench-added"]
            elif roll < 0.07:
                del props[name]
    paths = new.get("paths") or {}
    for path in sorted(paths)[:: max(1, len(paths) // 3)][:2]:
        del paths[path]
    for item in list(paths.values())[:5]:
        for op in (v for k, v in item.items() if k in ("get", "post") and isinstance(v, dict)):
            op.setdefault("parameters", []).append(
                {"name": "bench", "in": "query", "required": True, "schema": {"type": "string"}}
            )
    return new


def synthetic(target_bytes: int = 3_000_000) -> dict[str, Any]:
    """An API of many resources (CRUD operations, models with nested objects and enums), about ``target_bytes``."""
    doc: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": "Synthetic", "version": "1"},
        "paths": {},
        "components": {"schemas": {}},
    }
    index = 0
    while len(json.dumps(doc)) < target_bytes:
        name = f"Resource{index}"
        props: dict[str, Any] = {
            f"field_{i}": {"type": ("string", "integer", "number", "boolean")[i % 4], "description": "x" * 40}
            for i in range(30)
        }
        props["status"] = {"type": "string", "enum": ["active", "disabled", "deleted"]}
        props["owner"] = {"$ref": f"#/components/schemas/Resource{max(0, index - 1)}Owner"}
        props["tags"] = {"type": "array", "items": {"type": "string", "maxLength": 32}}
        doc["components"]["schemas"][name] = {"type": "object", "required": ["field_0"], "properties": props}
        doc["components"]["schemas"][f"{name}Owner"] = {
            "type": "object",
            "properties": {"id": {"type": "string"}, "email": {"type": "string", "format": "email"}},
        }
        ref = {"$ref": f"#/components/schemas/{name}"}
        body = {"content": {"application/json": {"schema": ref}}}
        ok = {"200": {"description": "ok", "content": {"application/json": {"schema": ref}}}}
        id_param = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
        doc["paths"][f"/resources{index}"] = {
            "get": {"operationId": f"list{name}", "responses": ok},
            "post": {"operationId": f"create{name}", "requestBody": body, "responses": ok},
        }
        doc["paths"][f"/resources{index}/{{id}}"] = {
            "get": {"operationId": f"get{name}", "parameters": id_param, "responses": ok},
            "delete": {"operationId": f"delete{name}", "parameters": id_param, "responses": ok},
        }
        index += 1
    return doc


# The diff run's stages, in order (each the median over the repeats); they add up to about the diff time.
STAGES = ("import", "load", "normalize", "build", "compare", "render")


# The children's environment; main() points it at a bytecode cache unless --compile-each-run.
CHILD_ENV: dict[str, str] = dict(os.environ)


def bytecode_cache(folder: Path) -> None:
    """Let the children keep compiled bytecode in ``folder`` (not beside the sources), compiled once here.

    An installed package has its bytecode compiled; with PYTHONDONTWRITEBYTECODE (set on some
    machines) every child would compile the generator's modules again, which the diff, importing
    many more of them than parse, pays several times over.
    """
    CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    CHILD_ENV["PYTHONPYCACHEPREFIX"] = str(folder)
    modules = "generator.spec.loader, generator.diff.inputs, generator.diff.compare, generator.diff.render"
    warm = f"import sys; sys.path.insert(0, {str(REPO)!r}); import {modules}"
    subprocess.run([sys.executable, "-c", warm], env=CHILD_ENV, check=True)


def run_child(mode: str, old: Path, new: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(REPO), mode, str(old), str(new)],
        capture_output=True,
        text=True,
        check=False,
        env=CHILD_ENV,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "child failed")
    parsed: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


def measure(old: Path, new: Path, repeats: int) -> dict[str, float]:
    parses = [run_child("parse", old, new) for _ in range(repeats)]
    diffs = [run_child("diff", old, new) for _ in range(repeats)]
    result = {
        "parse": statistics.median(p["seconds"] for p in parses),
        "diff": statistics.median(d["seconds"] for d in diffs),
        "findings": diffs[0]["findings"],
        "rss_parse": max(p["rss_mb"] for p in parses),
        "rss_diff": max(d["rss_mb"] for d in diffs),
    }
    for stage in STAGES:
        result[stage] = statistics.median(d.get(stage, 0.0) for d in diffs)
    return result


def loadable(path: Path) -> str:
    """ "" when the diff can load ``path``, else why not."""
    try:
        run_child("diff", path, path)
    except RuntimeError as exc:
        return str(exc)
    return ""


def write_pair(work: Path, label: str, doc: dict[str, Any], form: str) -> tuple[str, Path, Path]:
    """``doc`` and its mutation written as JSON or YAML (both sides in the same form)."""
    old, new = work / f"{len(list(work.iterdir()))}-old.{form}", work / f"{len(list(work.iterdir()))}-new.{form}"
    for path, data in ((old, doc), (new, mutate(doc))):
        if form == "json":
            path.write_text(json.dumps(data), encoding="utf-8")
        else:
            path.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False), encoding="utf-8")
    return label, old, new


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--compile-each-run",
        action="store_true",
        help="keep the environment's bytecode setting (with PYTHONDONTWRITEBYTECODE, every child compiles)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-diff-") as tmp:
        work = Path(tmp)
        if not args.compile_each_run:
            bytecode_cache(work / "pycache")
        pairs: list[tuple[str, Path, Path]] = []
        chosen = 0
        for name in sorted(
            CANDIDATES, key=lambda n: -(REALSPECS / n).stat().st_size if (REALSPECS / n).exists() else 0
        ):
            source = REALSPECS / name
            if chosen == 2 or not source.exists():
                continue
            why = loadable(source)
            if why:
                print(f"skipped {name}: the diff cannot load it ({why})")
                continue
            text = source.read_text(encoding="utf-8")
            doc = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
            pairs.append(write_pair(work, f"{name} vs mutated", doc, "json"))
            if not name.endswith(".json"):  # as published: YAML, which is slower to parse
                pairs.append(write_pair(work, f"{name} vs mutated, YAML", doc, "yaml"))
            chosen += 1
        doc = synthetic()
        pairs.append(write_pair(work, "synthetic ~3 MB vs mutated", doc, "json"))
        pairs.append(write_pair(work, "synthetic ~3 MB vs mutated, YAML", doc, "yaml"))
        header = f"{'pair':<42} {'MB':>5} {'parse s':>8} {'diff s':>7} {'diff/parse':>10} {'compare s':>9}"
        print(header + f" {'cmp/parse':>9} {'findings':>8} {'RSS parse':>9} {'RSS diff':>8}")
        measured = []
        for label, old, new in pairs:
            m = measure(old, new, args.repeats)
            measured.append((label, m))
            size = (old.stat().st_size + new.stat().st_size) / 2 / 1e6
            print(
                f"{label:<42} {size:>5.2f} {m['parse']:>8.2f} {m['diff']:>7.2f} {m['diff'] / m['parse']:>9.2f}x "
                f"{m['compare']:>9.2f} {m['compare'] / m['parse']:>8.2f}x {m['findings']:>8} "
                f"{m['rss_parse']:>7.0f}MB {m['rss_diff']:>6.0f}MB"
            )
    print("target: diff/parse <= 2.00x (parse = reading and parsing both documents)")
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print("bytecode: " + ("as the environment has it" if args.compile_each_run else "compiled once, before timing"))
    print()
    print("diff run by stage, seconds (both documents; load = load_document, as parse measures it):")
    print(f"{'pair':<42} " + " ".join(f"{stage:>9}" for stage in STAGES))
    for label, m in measured:
        print(f"{label:<42} " + " ".join(f"{m[stage]:>9.2f}" for stage in STAGES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
