"""The README usage block of each generated client runs as written; the typed usage example passes mypy --strict."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.clients.conftest import VENDORS
from tests.clients.spec_server import REPO_ROOT, SpecServer
from tests.clients.test_vendors import SUCCESS

Servers = Callable[[str], SpecServer]


def readme_example(vendor: str) -> str:
    text = (REPO_ROOT / "generated" / vendor / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, f"generated/{vendor}/README.md has no ```python block"
    return str(blocks[0])


def _run_example(servers: Servers, vendor: str) -> tuple[SpecServer, subprocess.CompletedProcess[str]]:
    srv = servers(vendor)
    srv.default_reply = SUCCESS[vendor][1]
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_ACCESS_TOKEN", "_BASE_URL"))}
    env.update(VENDORS[vendor].env)
    env[f"{vendor.upper()}_BASE_URL"] = srv.url
    env["PYTHONPATH"] = str(REPO_ROOT)
    proc = subprocess.run(
        [sys.executable, "-c", readme_example(vendor)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return srv, proc


def _check(srv: SpecServer, proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == 0, proc.stderr
    assert len(srv.requests) == 1
    assert srv.violations == []


@pytest.mark.parametrize("vendor", ["elevenlabs", "moveworks", "algolia"])
def test_readme_example_runs(servers: Servers, vendor: str) -> None:
    _check(*_run_example(servers, vendor))


def test_readme_example_runs_clarityq(servers: Servers) -> None:
    _check(*_run_example(servers, "clarityq"))


def test_usage_example_passes_mypy_strict() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            "/tmp/mypy-cache-tests-clients",
            "tests/clients/usage_example.py",
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _mypy_snippet(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    # Inside the repo so pyproject's mypy config (pydantic plugin) applies.
    target = REPO_ROOT / "tests" / "clients" / f"_snippet_{os.getpid()}_{tmp_path.name}.py"
    target.write_text(code, encoding="utf-8")
    try:
        return subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--cache-dir", "/tmp/mypy-cache-tests-clients", str(target)],
            cwd=REPO_ROOT,
            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        target.unlink()


def test_with_client_as_keeps_the_client_type(tmp_path: Path) -> None:
    code = (
        "from generated.algolia import AsyncClient, Client\n\n\n"
        "def f() -> None:\n"
        "    with Client() as client:\n"
        "        client.feedback.create_feedback(agent_id='a', message_id='m', vote=1)\n\n\n"
        "async def g() -> None:\n"
        "    async with AsyncClient() as client:\n"
        "        await client.feedback.create_feedback(agent_id='a', message_id='m', vote=1)\n"
    )
    proc = _mypy_snippet(tmp_path, code)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_aliased_request_model_constructible_type_safely(tmp_path: Path) -> None:
    code = (
        "from generated.algolia import models\n\n"
        "req = models.FeedbackCreationRequest(agent_id='a', message_id='m', vote=models.VoteEnum.upvote)\n"
    )
    proc = _mypy_snippet(tmp_path, code)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    from generated.algolia import models

    models.FeedbackCreationRequest(agent_id="a", message_id="m", vote=models.VoteEnum.upvote)  # type: ignore[call-arg]
