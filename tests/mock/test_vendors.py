"""Every vendor's generated client against ``python -m generator mock`` run as a subprocess, sync and async."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

import pytest

from generator.ir.status_errors import exception_name
from generator.mock.routes import MockSpec
from generator.mock.server import load_source
from tests.clients.conftest import VENDORS, package, run
from tests.mock.conftest import CALLS, REPO_ROOT, VENDOR_NAMES, MakeClient, MockProcess


def readme_example(vendor: str) -> str:
    text = (REPO_ROOT / "generated" / vendor / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, f"generated/{vendor}/README.md has no python block"
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


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("vendor", VENDOR_NAMES)
def test_readme_example_runs_against_mock_subprocess(
    vendor_mocks: dict[str, MockProcess], vendor: str, mode: str
) -> None:
    mock = vendor_mocks[vendor]
    before = len(mock.entries())
    code = readme_example(vendor) if mode == "sync" else async_variant(readme_example(vendor))
    env = {k: v for k, v in os.environ.items() if not k.endswith(("_API_KEY", "_ACCESS_TOKEN", "_BASE_URL"))}
    env.update(VENDORS[vendor].env)
    env[f"{vendor.upper()}_BASE_URL"] = mock.url
    env["PYTHONPATH"] = str(REPO_ROOT)
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()  # the example prints the parsed result
    [entry] = mock.entries(at_least=before + 1)[before:]
    assert entry["valid"] is True, entry["problems"]
    assert 200 <= entry["status"] < 300


def documented_errors(vendor: str) -> list[tuple[str, int, bool]]:
    """(operationId, status, has a body) for every documented status >= 400 of the vendor."""
    spec = MockSpec(load_source(vendor))
    return [
        (route.operation_id, code, bool(route.responses[str(code)].content))
        for route in spec.routes
        for code in route.documented_codes()
        if code >= 400
    ]


ERROR_CASES = [(v, code, body) for v in VENDOR_NAMES for _, code, body in documented_errors(v)]


@pytest.mark.parametrize(("vendor", "code", "has_body"), ERROR_CASES, ids=[f"{v}-{c}" for v, c, _ in ERROR_CASES])
async def test_prefer_code_forces_each_documented_error(
    vendor_mocks: dict[str, MockProcess], make_client: MakeClient, vendor: str, code: int, has_body: bool
) -> None:
    mock = vendor_mocks[vendor]
    pkg = package(vendor)
    client = make_client(vendor, mock.url, max_retries=0)
    expected: Any = getattr(pkg, exception_name(str(code)))
    with pytest.raises(pkg.APIStatusError) as info:
        await run(CALLS[vendor](client, extra_headers={"Prefer": f"code={code}"}))
    assert type(info.value) is expected
    assert info.value.status_code == code
    if has_body:
        # The synthesized error body parses into the spec's typed error model.
        assert info.value.error is not None
    entry = mock.entries()[-1]
    assert entry["valid"] is True and entry["status"] == code


async def test_plain_call_succeeds_with_typed_result(
    vendor_mocks: dict[str, MockProcess], make_client: MakeClient
) -> None:
    client = make_client("clarityq", vendor_mocks["clarityq"].url)
    stored = await run(CALLS["clarityq"](client))
    assert stored.conversation_id and stored.updated_at is not None
