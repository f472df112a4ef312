"""What a new user hit running the README's commands (issue 16), each run as they ran it: a subprocess."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def cli(*args: str, cwd: Path = REPO, module: str = "generator") -> subprocess.CompletedProcess[str]:
    """``python -m generator ARGS`` (or another module) started from ``cwd``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("command", ["check", "generate"])
def test_no_vendor_found_is_an_error_not_a_green_check(command: str, tmp_path: Path) -> None:
    # Item 1: `check --specs /nonexistent` printed "up to date" and exited 0, and so did a run from outside the repo.
    missing = tmp_path / "nonexistent"
    done = cli(command, "--specs", str(missing), "--out", str(tmp_path / "out"))
    assert done.returncode == 2, done.stdout
    assert done.stderr == f"error: no vendor specs under {missing} (a vendor is a folder holding vendor.yaml); " + (
        "run from the repository root or pass --specs\n"
    )
    outside = cli(command, cwd=tmp_path)
    assert outside.returncode == 2 and "error: no vendor specs under specs " in outside.stderr
    (tmp_path / "empty").mkdir()
    assert cli(command, "--specs", str(tmp_path / "empty"), cwd=tmp_path).returncode == 2
    assert not (tmp_path / "out").exists() and not (tmp_path / "generated").exists()


@pytest.mark.parametrize(
    ("argv", "codes"),
    [
        ([], ["0", "1", "2", "3", "130"]),
        (["generate"], ["0", "2", "3"]),
        (["check"], ["0", "1", "2", "3"]),
        (["import"], ["0", "2", "3"]),
        (["diff"], ["0", "1", "2", "3"]),
        (["mock"], ["0", "2", "3"]),
    ],
)
def test_every_help_ends_with_its_exit_codes(argv: list[str], codes: list[str]) -> None:
    # Item 4: no --help documented exit codes.
    out = cli(*argv, "--help").stdout.rstrip().splitlines()
    table = out[-len(codes) - 1 :]
    assert table[0] == "exit codes:", out
    assert [line.split()[0] for line in table[1:]] == codes


def test_diff_states_fail_on_default_and_refuses_what_it_cannot_use(tmp_path: Path) -> None:
    # Item 4: no stated --fail-on default, an unknown rule id accepted silently, a raw `git rev-parse` message.
    helped = " ".join(cli("diff", "--help").stdout.split())
    assert "--fail-on {ERR,WARN,INFO} exit 1 when a finding at or above this level remains (default: none;" in helped

    ignore = tmp_path / "accepted.txt"
    ignore.write_text("# accepted on purpose\nendpoint-added\nrequest-property-remvoed POST /1/feedback\n")
    spec = str(REPO / "specs" / "algolia" / "openapi.yaml")
    typo = cli("diff", spec, spec, "--ignore", str(ignore))
    assert typo.returncode == 2
    assert typo.stderr == f"error: {ignore}:3: unknown rule id 'request-property-remvoed'; did you mean " + (
        "'request-property-removed'?\n"
    )

    bad_base = cli("diff", "algolia", "--base", "no-such-revision-xyz")
    assert bad_base.returncode == 2
    assert bad_base.stderr.startswith("error: --base no-such-revision-xyz: no such git revision")
    assert "rev-parse" not in bad_base.stderr and "Traceback" not in bad_base.stderr

    outside = tmp_path / "specs"
    shutil.copytree(REPO / "specs" / "algolia", outside / "algolia")
    no_git = cli("diff", "algolia", "--base", "HEAD", "--specs", str(outside), cwd=tmp_path)
    assert (
        no_git.returncode == 2 and no_git.stderr == f"error: --base needs a git checkout, and {outside} is not in one\n"
    )


SEED_003 = next((REPO.parent / "shared" / "seeds").glob("003_*.txt"), None)


@pytest.mark.skipif(SEED_003 is None, reason="seed 003 is absent")
def test_imported_credential_fills_the_server_variable_and_missing_servers_warn(tmp_path: Path) -> None:
    # Item 3: after importing seed 003 as a new vendor, Client(app_id="MYAPP") still called EXAMPLE.algolia.net.
    specs, out = tmp_path / "specs", tmp_path / "imported"
    done = cli("import", "algo2", str(SEED_003), "--specs", str(specs), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "server_variable: APPLICATION_ID" in (specs / "algo2" / "vendor.yaml").read_text()
    probe = (
        "from imported.algo2 import Client\n"
        "print(Client(app_id='MYAPP', api_key='k').base_url)\n"
        "try:\n    Client(api_key='k')\nexcept Exception as exc:\n    print(type(exc).__name__, exc)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALGO2_")}
    ran = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=env, check=True
    ).stdout.splitlines()
    assert ran[0] == "https://MYAPP.algolia.net/agent-studio"
    assert ran[1].startswith("MissingCredentialError Missing credential: pass `app_id=`")

    # A spec with no `servers`: the import says so, with the fix, instead of leaving Client() to fail.
    bare = tmp_path / "bare.yaml"
    bare.write_text(
        "openapi: 3.0.3\ninfo: {title: Bare, version: '1'}\npaths:\n  /ping:\n    get:\n"
        "      operationId: ping\n      responses:\n        '204': {description: ok}\n"
    )
    warned = cli("import", "bare", str(bare), "--specs", str(specs), "--out", str(out))
    assert warned.returncode == 0, warned.stderr
    assert f"warning: {bare} has no `servers`" in warned.stderr
    assert f"add `default_base_url: https://...` to {specs / 'bare' / 'vendor.yaml'}" in warned.stderr
    failed = subprocess.run(
        [sys.executable, "-c", "from imported.bare import Client\nClient()"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert "No base_url: the spec declares no `servers`. Pass base_url=" in failed.stderr
