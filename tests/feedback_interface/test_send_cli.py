"""``python -m feedback send``, run as a user runs it: a subprocess, from outside the checkout, against loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.clients.conftest import VENDORS
from tests.clients.spec_server import Reply, SpecServer, free_port

REPO = Path(__file__).resolve().parents[2]
PRODUCT, CONVERSATION = "5f0c7c8e-1111-4222-8333-944445555666", "9f1c2b4a-3d5e-4f6a-8b7c-1d2e3f4a5b6c"
MOVEWORKS_IDS = ["--conversation-id", "c1", "--response-id", "r1", "--message-id", "m1"]


@pytest.fixture
def server() -> Iterator[Callable[[str], SpecServer]]:
    made: list[SpecServer] = []

    def factory(vendor: str) -> SpecServer:
        srv = SpecServer(vendor, prefix=VENDORS[vendor].prefix)
        made.append(srv)
        return srv

    yield factory
    for srv in made:
        srv.stop()


def send(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a fresh interpreter, started from ``cwd`` with only ``env`` for vendor variables."""
    clean = {k: v for k, v in os.environ.items() if not any(k in i.env for i in VENDORS.values())}
    clean.pop("PYTHONPATH", None)  # the checkout is found through the installed `feedback`, not the path
    return subprocess.run(
        [sys.executable, "-m", "feedback", "send", *args],
        capture_output=True,
        text=True,
        env={**clean, **env},
        cwd=cwd,
        timeout=60,
        check=False,
    )


def test_feedback_send_runs_from_outside_the_checkout(server: Callable[[str], SpecServer], tmp_path: Path) -> None:
    # Item 8: it imported `generated` by the working directory and died with ModuleNotFoundError (exit 3).
    srv = server("clarityq")
    srv.script(Reply(200, json={"conversation_id": CONVERSATION, "updated_at": "2026-07-01T12:34:56Z"}))
    ids = ["--product-id", PRODUCT, "--conversation-id", CONVERSATION]
    args = ["clarityq", "--base-url", srv.url, *ids, "--rating", "positive"]
    done = send(*args, env=VENDORS["clarityq"].env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["sent"] is True
    assert [r.json() for r in srv.requests] == [{"rating": "POSITIVE"}] and srv.violations == []


def test_dropping_the_rating_lists_the_comment_too(server: Callable[[str], SpecServer], tmp_path: Path) -> None:
    # Item 2: `--drop rating --comment hi` answered "dropped": ["rating"] and lost the comment unlisted.
    srv = server("moveworks")
    common = ["moveworks", "--base-url", srv.url, *MOVEWORKS_IDS, "--rating", "positive", "--comment", "hi"]
    refused = send(*common, "--drop", "rating", env=VENDORS["moveworks"].env, cwd=tmp_path)
    assert refused.returncode == 2
    assert "cannot carry the comment: nothing is sent once the rating is dropped" in refused.stderr
    assert "--drop comment" in refused.stderr
    done = send(*common, "--drop", "rating", "--drop", "comment", env=VENDORS["moveworks"].env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "vendor": "moveworks",
        "sent": False,
        "dropped": ["rating", "comment"],
        "response": None,
    }
    assert srv.requests == []


def test_exit_codes_tell_usage_remote_and_network_apart(server: Callable[[str], SpecServer], tmp_path: Path) -> None:
    # Item 4: usage errors, a 404 and a refused connection all exited 2.
    env = VENDORS["elevenlabs"].env
    srv = server("elevenlabs")
    args = ["elevenlabs", "--conversation-id", "c1", "--rating", "positive"]
    usage = send(*args, "--callback", "nonsense", "--base-url", srv.url, env=env, cwd=tmp_path)
    assert usage.returncode == 2 and "--callback expects" in usage.stderr
    srv.script(Reply(404, json={"detail": "no such conversation"}))
    remote = send(*args, "--base-url", srv.url, env=env, cwd=tmp_path)
    assert remote.returncode == 4, remote.stderr
    assert "NotFoundError" in remote.stderr and "404" in remote.stderr
    network = send(*args, "--base-url", f"http://127.0.0.1:{free_port()}", env=env, cwd=tmp_path)
    assert network.returncode == 5, network.stderr
    assert "APIConnectionError" in network.stderr and "Traceback" not in network.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "feedback", "send", "--help"], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    tail = helped.stdout.rstrip().splitlines()[-6:]
    assert tail[0] == "exit codes:" and [line.split()[0] for line in tail[1:]] == ["0", "2", "3", "4", "5"]


def test_assistant_name_option_env_vars_in_help_and_all_missing_ids(
    server: Callable[[str], SpecServer], tmp_path: Path
) -> None:
    # Item 5: no --assistant-name, no list of env vars, and only the first missing id, as `target.message_id`.
    helped = subprocess.run(
        [sys.executable, "-m", "feedback", "send", "--help"], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert "--assistant-name" in helped.stdout
    for info in VENDORS.values():
        for env_var in info.env:
            assert env_var in helped.stdout
    assert "moveworks: needs --conversation-id --response-id --message-id --callback" in helped.stdout

    token_only = {"MOVEWORKS_ACCESS_TOKEN": VENDORS["moveworks"].env["MOVEWORKS_ACCESS_TOKEN"]}
    missing = send("moveworks", "--rating", "positive", env=token_only, cwd=tmp_path)
    assert missing.returncode == 2
    assert "error: moveworks needs --conversation-id --response-id --message-id" in missing.stderr

    srv = server("moveworks")
    srv.script(Reply(200, json={"status": "SUBMITTED"}))
    args = ["moveworks", "--base-url", srv.url, *MOVEWORKS_IDS, "--rating", "positive", "--callback", "positive=cb"]
    done = send(*args, "--assistant-name", "from-the-flag", env=token_only, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert srv.requests[0].headers["assistant-name"] == "from-the-flag"
    assert srv.requests[0].json() == {"callback_id": "cb"} and srv.violations == []
    wrong_vendor = send(
        "clarityq", "--product-id", "p", "--conversation-id", "c", "--rating", "positive",
        "--assistant-name", "x", env={"CLARITYQ_API_KEY": "k"}, cwd=tmp_path,
    )  # fmt: skip
    assert wrong_vendor.returncode == 2 and "--assistant-name applies to moveworks" in wrong_vendor.stderr
