"""Every vendor in specs/: its generated client's README example against ``python -m generator mock``, sync and async.

The mock runs as a subprocess, as a user starts it. The example runs as written (and as its
AsyncClient twin); then once per documented error status with ``Prefer: code=N`` sent as a
default header, and must raise the typed exception the runtime maps that status to.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from generator.ir.status_errors import exception_name
from generator.mock.routes import MockSpec
from generator.mock.server import load_source
from generator.spec.config import load_config
from generator.spec.vendors import vendor_names
from tests.clients.conftest import run
from tests.mock.conftest import CALLS, REPO_ROOT, MakeClient, MockProcess, start_mock

SPEC_VENDORS = vendor_names(REPO_ROOT / "specs")
BASE_URL_ARG = re.compile(r'Client\(base_url=os\.environ\.get\("([A-Z0-9_]+)"\)')


@pytest.fixture(scope="module")
def spec_mocks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, MockProcess]]:
    """One mock subprocess per vendor in specs/ for the module."""
    folder = tmp_path_factory.mktemp("journals")
    mocks = {v: start_mock(v, journal=folder / f"{v}.jsonl") for v in SPEC_VENDORS}
    yield mocks
    for mock in mocks.values():
        code, err = mock.stop()
        assert code == 0, err


def readme_example(vendor: str) -> str:
    package = load_config(REPO_ROOT / "specs" / vendor).package
    text = (REPO_ROOT / "generated" / package / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, f"generated/{package}/README.md has no python block"
    return str(blocks[0])


def async_variant(code: str) -> str:
    """The README example with AsyncClient: ``async with``, ``await`` the call, run under asyncio."""
    code = re.sub(r"\bClient\b", "AsyncClient", code)
    head, sep, body = code.partition("\nwith AsyncClient(")
    assert sep, "the README example opens the client with `with Client(`"
    body = ("async with AsyncClient(" + body).replace("result = client.", "result = await client.")
    assert "await client." in body
    indented = "".join(f"    {line}\n" if line.strip() else "\n" for line in body.splitlines())
    return f"import asyncio\n{head}\n\nasync def main() -> None:\n{indented}\n\nasyncio.run(main())\n"


def example_env(vendor: str, base_url: str, example: str) -> dict[str, str]:
    """The process environment the example reads: base URL and every credential/client-header variable."""
    config = load_config(REPO_ROOT / "specs" / vendor)
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_ACCESS_TOKEN", "_BASE_URL"))}
    for credential in config.credentials:
        env[credential.env] = f"test-{credential.argument}"
    for header in config.client_headers:
        if header.env:
            env[header.env] = f"test-{header.argument}"
    found = BASE_URL_ARG.search(example)
    assert found, "the README example takes its base URL from the environment"
    env[found.group(1)] = base_url
    env["PYTHONPATH"] = str(REPO_ROOT)
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("vendor", SPEC_VENDORS)
def test_readme_example_runs_against_mock_subprocess(
    spec_mocks: dict[str, MockProcess], vendor: str, mode: str
) -> None:
    mock = spec_mocks[vendor]
    before = len(mock.entries())
    example = readme_example(vendor)
    code = example if mode == "sync" else async_variant(example)
    proc = run_python(code, example_env(vendor, mock.url, example))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()  # the example prints the parsed result
    [entry] = mock.entries(at_least=before + 1)[before:]
    assert entry["valid"] is True, entry["problems"]
    assert 200 <= entry["status"] < 300


def readme_operation(vendor: str) -> tuple[str, str]:
    """(METHOD, /path/template) of the operation the README example calls, from its Operations table."""
    package = load_config(REPO_ROOT / "specs" / vendor).package
    text = (REPO_ROOT / "generated" / package / "README.md").read_text(encoding="utf-8")
    called = re.search(r"result = client\.([\w.]+)\(", text)
    assert called, "the README example calls one operation"
    row = re.search(rf"\| `client\.{re.escape(called.group(1))}\(\)` \| `([A-Z]+) ([^`]+)` \|", text)
    assert row, f"the README's Operations table lists {called.group(1)}"
    return row.group(1), row.group(2)


def documented_errors(vendor: str) -> list[tuple[int, bool]]:
    """(status, has a body) for every documented status >= 400 of the vendor's README operation."""
    spec = MockSpec(load_source(vendor, REPO_ROOT / "specs"))
    method, template = readme_operation(vendor)
    [route] = [r for r in spec.routes if (r.method, r.template) == (method, template)]
    return [(code, bool(route.responses[str(code)].content)) for code in route.documented_codes() if code >= 400]


FORCE_EACH = """
import json, sys
CODES = {codes!r}
EXAMPLE = {example!r}
results = []
for code in CODES:
    src = EXAMPLE.replace({marker!r}, {marker!r} + ", default_headers={{'Prefer': 'code=%d'}}, max_retries=0" % code)
    try:
        exec(compile(src, "README example", "exec"), {{"__name__": "__readme__"}})
        results.append({{"code": code, "raised": None}})
    except Exception as exc:
        results.append({{
            "code": code,
            "raised": type(exc).__name__,
            "status": getattr(exc, "status_code", None),
            "typed_body": getattr(exc, "error", None) is not None,
        }})
print(json.dumps(results))
"""


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("vendor", SPEC_VENDORS)
def test_prefer_code_forces_each_documented_error(spec_mocks: dict[str, MockProcess], vendor: str, mode: str) -> None:
    mock = spec_mocks[vendor]
    errors = documented_errors(vendor)
    if not errors:
        pytest.skip(f"{vendor}: the README's operation {' '.join(readme_operation(vendor))} documents no error status")
    example = readme_example(vendor)
    code = example if mode == "sync" else async_variant(example)
    found = BASE_URL_ARG.search(code)
    assert found is not None
    script = FORCE_EACH.format(codes=[c for c, _ in errors], example=code, marker=found.group(0))
    proc = run_python(script, example_env(vendor, mock.url, example))
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    assert len(results) == len(errors)
    for (status, has_body), result in zip(errors, results, strict=True):
        assert result["raised"] == exception_name(str(status)), result
        assert result["status"] == status
        if has_body:
            assert result["typed_body"], result  # the synthesized error body parses into the typed model
    statuses = [e["status"] for e in mock.entries()[-len(errors) :]]
    assert statuses == [c for c, _ in errors]


async def test_plain_call_succeeds_with_typed_result(
    spec_mocks: dict[str, MockProcess], make_client: MakeClient
) -> None:
    client = make_client("clarityq", spec_mocks["clarityq"].url)
    stored = await run(CALLS["clarityq"](client))
    assert stored.conversation_id and stored.updated_at is not None


def test_the_feedback_vendors_document_errors_on_their_readme_operation() -> None:
    assert set(SPEC_VENDORS) >= {"elevenlabs", "moveworks", "algolia", "clarityq"}
    assert all(documented_errors(v) for v in ("elevenlabs", "moveworks", "algolia", "clarityq"))
