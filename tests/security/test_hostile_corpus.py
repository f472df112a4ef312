"""Hostile documents (tests/corpus/hostile/ plus a few made at test time) through the real CLI.

Each case runs ``python -m generator generate`` in a subprocess with a wall-clock timeout
and an address-space limit (``RLIMIT_AS``), next to a copy of ``generated/``. It must end
in one located ``error:`` line (exit 2) or succeed with the expected warnings (exit 0):
never a traceback, never a partial write.

``$ref`` confinement is proven, not assumed: a sentinel file outside the spec's folder is
invalid YAML holding a marker, so reading it would fail with a different error naming it;
and every URL in the corpus points at a loopback listener that must see no connection.
Complements tests/test_broken_specs.py (the flat tests/corpus/ files), which it does not repeat.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.spec.loader import MAX_FILE_BYTES

REPO = Path(__file__).resolve().parents[2]
HOSTILE = REPO / "tests" / "corpus" / "hostile"
TIMEOUT = 60  # seconds per case; each takes well under a few
MEMORY_LIMIT = 2 * 1024**3  # bytes of address space
SENTINEL_MARK = "SENTINEL-9f2c4e-OUTSIDE-THE-SPEC-FOLDER"
SENTINEL = f"{SENTINEL_MARK}: [this is not valid YAML\n  reading it fails with a YAML error: {{\n"

# The CLI under an address-space limit; set in the child itself (preexec_fn is unsafe with threads).
LIMITED = (
    "import resource, runpy, sys\n"
    "resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))\n"
    "sys.argv = ['generator', *sys.argv[1:]]\n"
    "runpy.run_module('generator', run_name='__main__', alter_sys=True)\n"
)

ESCAPE = r"points outside the spec's folder"
REMOTE = r"remote \$ref .* is not fetched"
SPEC_REF = "/paths/~1a/post/requestBody/content/application~1json/schema/$ref"

# case -> (regex the single error line matches, JSON pointer it names or None)
ERRORS: dict[str, tuple[str, str | None]] = {
    # $ref confinement: the sentinel outside is never read, no URL is fetched
    "escape-parent.yaml": (ESCAPE, SPEC_REF),
    "escape-percent-encoded.yaml": (ESCAPE, SPEC_REF),
    "escape-absolute-path.yaml": (ESCAPE, SPEC_REF),
    "escape-file-url.yaml": (REMOTE, SPEC_REF),
    "escape-from-included-file": (ESCAPE, "/Item/properties/leak/$ref"),
    "escape-symlink": (ESCAPE, SPEC_REF),
    "remote-http-loopback.yaml": (REMOTE, SPEC_REF),
    "remote-https-loopback.yaml": (REMOTE, SPEC_REF),
    "remote-protocol-relative.yaml": (REMOTE, SPEC_REF),
    "remote-from-included-file": (REMOTE, "/Item/properties/far/$ref"),
    # YAML attacks
    "billion-laughs-mapping.yaml": (r"alias bomb", None),
    # YAML merge keys are not constructed at all (the loader's tag set has no merge)
    "billion-laughs-merge-keys.yaml": (r"invalid YAML: could not determine a constructor for the tag .*merge", None),
    "bomb-in-schema.yaml": (r"alias bomb", None),
    "python-object-tag.yaml": (r"invalid YAML: .*(constructor|tag)", None),
    "undefined-alias.yaml": (r"invalid YAML: found undefined alias", None),
    "unclosed-flow.yaml": (r"invalid YAML", None),
    "truncated-mid-utf8.yaml": (r"not UTF-8 text", None),
    "utf16.yaml": (r"not UTF-8 text", None),
    "deep-properties-400.yaml": (r"nested deeper than", None),
    "deep-lists-5000.json": (r"nested deeper than", None),
    "deep-combinators-150.yaml": (r"nested deeper than 200 levels", None),
    # wrong types where a type is expected
    "tags-string.yaml": (r"tags|invalid OpenAPI|expected a list", None),
    "parameter-number.yaml": (r"expected a mapping|invalid OpenAPI", None),
    # duplicates
    "duplicate-keys-nested.json": (r"duplicate key '200'", None),
    # made at test time
    "huge-sparse-over-limit.yaml": (rf"over the {MAX_FILE_BYTES} byte limit", None),
}

# case -> warning code the run must print (or "" for a clean success)
SUCCEEDS: dict[str, str] = {
    "deep-properties-60.yaml": "",
    "operation-id-number.yaml": "operation-id",  # a number is no operationId: named from the path, warned
    # An allOf chain is merged into one class per schema (see SECURITY.md).
    "long-ref-chain-100.yaml": "",
    "huge-description.yaml": "",
    "many-operations.json": "",
    # Wrong types inside one schema or operation: that one is left out (or typed as any value), located.
    "items-list.yaml": "skipped-schema",
    "parameter-name-list.yaml": "skipped-operation",
    "properties-null-values.yaml": "skipped-schema",
    "ref-not-string.yaml": "invalid",
    "required-not-list.yaml": "skipped-schema",
    "ref-cycle-three-files": "skipped-schema",
    "duplicate-operation-id-across-files": "duplicate-operation-id",
    "type-list-garbage.yaml": "skipped-schema",
    # `enum: red` is no list: the validator's located warning says so and the schema stays a plain string.
    "enum-not-list.yaml": "invalid",
}


def make_generated_cases(where: Path) -> list[Path]:
    """Cases too big to commit, written at test time."""
    made = []
    huge = where / "huge-sparse-over-limit.yaml"
    with huge.open("wb") as f:  # sparse: over the size limit without using the disk
        f.write(b"openapi: 3.0.3\n")
        f.truncate(MAX_FILE_BYTES + 1)
    made.append(huge)
    desc = where / "huge-description.yaml"
    desc.write_text(
        'openapi: 3.0.3\ninfo:\n  title: Hostile\n  version: "1"\n  description: "'
        + ('A very long description with quotes \\" and \\\\ backslashes. ' * 50_000)
        + '"\npaths: {}\n',
        encoding="utf-8",
    )
    made.append(desc)
    ops = where / "many-operations.json"
    paths = ",".join(
        f'"/r{i}": {{"get": {{"operationId": "get{i}", "responses": {{"200": {{"description": "ok"}}}}}}}}'
        for i in range(3000)
    )
    ops.write_text(f'{{"openapi": "3.0.3", "info": {{"title": "H", "version": "1"}}, "paths": {{{paths}}}}}')
    made.append(ops)
    return made


class Listener:
    """A loopback TCP listener that records every connection attempt."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, addr = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(addr)
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@dataclass
class Run:
    name: str
    spec: Path
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    before: dict[str, bytes]
    after: dict[str, bytes]
    leftovers: list[str]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def prepare(source: Path, work: Path, port: int) -> Path:
    """specs/broken/ holding the case, outside/secret.yaml beside specs/; returns the spec file."""
    outside = work / "outside"
    outside.mkdir(parents=True)
    (outside / "secret.yaml").write_text(SENTINEL, encoding="utf-8")
    folder = work / "specs" / "broken"
    if source.is_dir():
        shutil.copytree(source, folder)
        spec_name = "openapi.yaml"
    else:
        folder.mkdir(parents=True)
        shutil.copyfile(source, folder / source.name)
        spec_name = source.name
    for path in folder.rglob("*"):
        if path.is_file() and path.stat().st_size < 1_000_000:
            data = path.read_bytes()
            new = data.replace(b"__PORT__", str(port).encode()).replace(b"__OUTSIDE__", str(outside).encode())
            if new != data:
                path.write_bytes(new)
    if source.name == "escape-symlink":
        (folder / "link.yaml").symlink_to(Path("..") / ".." / "outside" / "secret.yaml")
    (folder / "vendor.yaml").write_text(f"package: broken\nclient_class: BrokenClient\nspec: {spec_name}\n")
    return folder / spec_name


def run_case(source: Path, work: Path, port: int) -> Run:
    spec = prepare(source, work, port)
    out = work / "generated"
    shutil.copytree(REPO / "generated", out, ignore=shutil.ignore_patterns("__pycache__", "*_cache"))
    before = snapshot(out)
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                LIMITED.format(limit=MEMORY_LIMIT),
                "generate",
                "--specs",
                str(work / "specs"),
                "--out",
                str(out),
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=TIMEOUT,
            env={**os.environ, "PYTHONPATH": str(REPO), "NO_PROXY": "*", "no_proxy": "*"},
        )
        code, stdout, stderr = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired:
        code, stdout, stderr = -1, "", f"timed out after {TIMEOUT}s"
    seconds = time.monotonic() - start
    leftovers = sorted(p.name for p in work.iterdir() if p.name not in ("generated", "specs", "outside"))
    return Run(source.name, spec, code, stdout, stderr, seconds, before, snapshot(out), leftovers)


def all_cases(made: Path) -> list[Path]:
    return sorted(HOSTILE.iterdir()) + make_generated_cases(made)


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, listener: Listener) -> dict[str, Run]:
    base = tmp_path_factory.mktemp("hostile")
    made = tmp_path_factory.mktemp("made")
    cases = all_cases(made)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {c.name: pool.submit(run_case, c, base / c.name, listener.port) for c in cases}
        return {name: f.result() for name, f in futures.items()}


def test_every_case_has_an_expectation(tmp_path: Path) -> None:
    names = {p.name for p in all_cases(tmp_path)}
    assert names == set(ERRORS) | set(SUCCEEDS)
    assert not set(ERRORS) & set(SUCCEEDS)


def test_corpus_reaches_forty_documents() -> None:
    flat = [p for p in (REPO / "tests" / "corpus").iterdir() if p.is_file()]
    assert len(flat) + len(list(HOSTILE.iterdir())) >= 40


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_hostile_document_fails_cleanly(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    output = run.stdout + run.stderr
    assert "Traceback" not in output, output
    assert run.returncode == 2, output
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr
    error = lines[0]
    message, pointer = ERRORS[name]
    # Located: the error names a file of the case (the spec or a file it includes).
    assert str(run.spec.parent) in error, error
    if pointer is not None:
        assert f": at {pointer}" in error, error
    assert re.search(message, error), error
    assert SENTINEL_MARK not in output
    assert run.seconds < 20, f"took {run.seconds:.1f}s"
    assert run.after == run.before, "generated/ changed"
    assert run.leftovers == [], run.leftovers


@pytest.mark.parametrize("name", sorted(SUCCEEDS))
def test_hostile_but_valid_document_generates(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    output = run.stdout + run.stderr
    assert "Traceback" not in output, output
    assert run.returncode == 0, output
    assert SUCCEEDS[name] in run.stderr
    assert run.seconds < 30, f"took {run.seconds:.1f}s"
    models = run.spec.parents[2] / "generated" / "broken" / "models.py"
    compile(models.read_text(encoding="utf-8"), str(models), "exec")


@pytest.mark.parametrize("name", sorted(n for n, (m, _) in ERRORS.items() if m in (ESCAPE, REMOTE)))
def test_refs_never_read_outside_the_folder(runs: dict[str, Run], name: str) -> None:
    """The sentinel is invalid YAML: had it been read, the error would be a YAML error naming it."""
    run = runs[name]
    assert SENTINEL_MARK not in run.stdout + run.stderr
    assert "invalid YAML" not in run.stderr
    assert not re.search(r"error: \S*outside/secret\.yaml", run.stderr), run.stderr


def test_no_url_was_fetched(runs: dict[str, Run], listener: Listener) -> None:
    assert runs, "cases ran"
    time.sleep(0.3)  # let a late connection attempt reach the listener
    assert listener.connections == []


def test_python_tags_are_not_executed(runs: dict[str, Run]) -> None:
    assert runs["python-object-tag.yaml"].returncode == 2
    assert not Path("/tmp/hostile-corpus-pwned").exists()
