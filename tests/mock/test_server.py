"""The mock as a program and a library: signals, binding, CORS, journal, Prefer, SSE and binary bodies."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from generator.mock import MockServer, mock_server
from generator.mock.server import make_options
from tests.mock.conftest import CATALOG, REPO_ROOT, MockProcess

BEARER = {"Authorization": "Bearer t0ken"}
ITEM = "/items/3f1c2a4e-1b2c-4d3e-8f40-5a6b7c8d9e0f"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "mock", *args],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_stops_gracefully_on_signals(mock_process: Callable[..., MockProcess], sig: int) -> None:
    mock = mock_process(str(CATALOG))
    assert httpx.get(mock.url + "/items?limit=1", headers=BEARER).status_code == 200
    code, err = mock.stop(sig)
    assert code == 0, err
    assert "mock: stopping" in err and "Traceback" not in err
    assert len(mock.entries()) == 1  # the journal was flushed and closed


def test_binding_beyond_loopback_warns(tmp_path: Path) -> None:
    # 192.0.2.1 (TEST-NET-1) is on no interface here: the warning shows, then a clean bind error.
    proc = cli("clarityq", "--host", "192.0.2.1", "--port", "0")
    assert proc.returncode == 2
    assert "warning: binding 192.0.2.1: the mock is reachable from other machines" in proc.stderr
    assert "error: cannot listen on 192.0.2.1:0" in proc.stderr and "Traceback" not in proc.stderr
    assert make_options(host="0.0.0.0").cors is False and make_options(host="127.0.0.1").cors is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuchvendor"], "unknown vendor 'nosuchvendor'"),
        (["missing/openapi.yaml"], "missing/openapi.yaml: no such spec file"),
        (["clarityq", "--fault", "boom"], "unknown kind 'boom'"),
    ],
)
def test_bad_input_exits_2_without_traceback(args: list[str], message: str) -> None:
    proc = cli(*args, "--port", "0")
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_cors_preflight_and_simple_requests() -> None:
    with MockServer(str(CATALOG)) as mock:
        pre = httpx.options(
            mock.url + "/items",
            headers={
                "Origin": "http://localhost:3000",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        assert pre.status_code == 204
        assert pre.headers["access-control-allow-origin"] == "http://localhost:3000"
        assert pre.headers["access-control-allow-methods"] == "GET, POST, OPTIONS"
        assert pre.headers["access-control-allow-headers"] == "authorization, content-type"
        r = httpx.get(mock.url + "/items?limit=1", headers={**BEARER, "Origin": "http://localhost:3000"})
        assert r.headers["access-control-allow-origin"] == "http://localhost:3000"
    with MockServer(str(CATALOG), cors=False) as mock:
        r = httpx.get(mock.url + "/items?limit=1", headers={**BEARER, "Origin": "http://localhost:3000"})
        assert "access-control-allow-origin" not in r.headers


def test_journal_lines_say_what_was_called_and_whether_valid(tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    with MockServer(str(CATALOG), journal=journal) as mock:
        httpx.get(mock.url + "/items?limit=2", headers=BEARER)
        httpx.get(mock.url + "/items", headers={**BEARER, "Mock-Fault": "latency=1"})
    first, second = (json.loads(line) for line in journal.read_text().splitlines())
    assert first["operation"] == "listItems" and first["valid"] is True and first["status"] == 200
    assert first["method"] == "GET" and first["path"] == "/v2/items?limit=2"
    assert second["valid"] is False and second["problems"][0]["location"] == "query/limit"
    assert second["faults"] == ["latency=1"] and second["status"] == 400


def test_prefer_example_code_and_dynamic() -> None:
    with MockServer(str(CATALOG), seed=3) as mock, MockServer(str(CATALOG), seed=3) as twin:
        url = mock.url + ITEM
        assert httpx.get(url, headers=BEARER).json()["name"] == "Lamp"  # the first documented example
        archived = httpx.get(url, headers={**BEARER, "Prefer": "example=archived"}).json()
        assert archived["status"] == "archived"
        r = httpx.get(url, headers={**BEARER, "Prefer": "example=nope"})
        assert r.status_code == 400 and "basic, archived" in r.text
        r = httpx.get(url, headers={**BEARER, "Prefer": "code=404"})
        assert r.status_code == 404 and set(r.json()) >= {"code", "message"}
        r = httpx.get(url, headers={**BEARER, "Prefer": "code=418"})
        assert r.status_code == 400 and "code=418 is not documented" in r.text
        dynamic = [httpx.get(url, headers={**BEARER, "Prefer": "dynamic=true"}).json() for _ in range(3)]
        assert len({json.dumps(d) for d in dynamic}) == 3  # fresh data per call...
        again = [httpx.get(twin.url + ITEM, headers={**BEARER, "Prefer": "dynamic=true"}).json() for _ in range(3)]
        assert again == dynamic  # ...the same sequence for the same --seed
        page = httpx.get(mock.url + "/items?limit=1", headers=BEARER)
        assert int(page.headers["x-total-count"]) >= 0  # documented response headers are sent


def test_server_sent_events_and_binary_bodies() -> None:
    with mock_server(str(CATALOG)) as url:
        with httpx.stream("GET", url + ITEM + "/events", headers=BEARER) as r:
            assert r.headers["content-type"] == "text/event-stream"
            events = [json.loads(line[6:]) for line in r.iter_lines() if line.startswith("data: ")]
        assert len(events) == 3 and all(e["type"] in ("created", "updated", "deleted") for e in events)
        image = httpx.get(url + ITEM + "/image", headers=BEARER)
        assert image.headers["content-type"] == "image/png"
        assert image.content.startswith(b"\x89PNG\r\n\x1a\n") and len(image.content) > 64


def test_context_manager_yields_the_base_url_with_the_vendor_base_path() -> None:
    with mock_server("algolia") as url:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/agent-studio")


def test_scripted_replies_override_the_spec_and_checks_still_run() -> None:
    from generator.mock import Reply

    with MockServer(str(CATALOG)) as mock:
        mock.script(Reply(503, json={"down": True}, headers={"Retry-After": "4"}), Reply(reset=True))
        r = httpx.get(mock.url + "/items", headers=BEARER)  # missing limit: recorded, still scripted
        assert (r.status_code, r.json(), r.headers["retry-after"]) == (503, {"down": True}, "4")
        with pytest.raises(httpx.TransportError):
            httpx.get(mock.url + "/items?limit=1", headers=BEARER)
        assert httpx.get(mock.url + "/items?limit=1", headers=BEARER).status_code == 200  # the spec again
        first, second, third = mock.requests
        assert first.violations == ["query/limit: required query parameter is missing"]
        assert second.query == {"limit": ["1"]} and second.headers["authorization"] == "Bearer t0ken"
        assert third.operation_id == "listItems" and third.violations == []
        assert [e.get("scripted", False) for e in mock.journal] == [True, True, False]


def test_a_request_in_flight_completes_during_shutdown(mock_process: Callable[..., MockProcess]) -> None:
    mock = mock_process(str(CATALOG))
    got: list[int] = []

    def slow_call() -> None:
        headers = {**BEARER, "Mock-Fault": "latency=2000"}
        got.append(httpx.get(mock.url + "/items?limit=1", headers=headers, timeout=10).status_code)

    caller = threading.Thread(target=slow_call)
    caller.start()
    time.sleep(1.0)  # the request is being answered (a slow machine has had a second to send it)
    code, err = mock.stop(signal.SIGTERM)
    caller.join(timeout=10)
    assert code == 0, err
    assert got == [200]


def test_query_credentials_are_accepted_and_kept_out_of_the_journal(tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    with MockServer(str(CATALOG), journal=journal) as mock:
        r = httpx.get(mock.url + "/items?limit=1&api_key=SECRET-123")  # the second security alternative
        assert r.status_code == 200, r.text
    text = journal.read_text()
    assert "SECRET-123" not in text
    assert json.loads(text)["path"] == "/v2/items?limit=1&api_key=***"


def _readme_mock_blocks() -> list[str]:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Mock server") : text.index("## Vendors")]
    return [str(b) for b in re.findall(r"```python\n(.*?)```", section, flags=re.S)]


def test_readme_python_api_example_runs() -> None:
    code = _readme_mock_blocks()[0]
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr


def test_readme_pytest_fixture_example_passes(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["generator.mock.pytest_plugin"]\n')
    (tmp_path / "test_readme_example.py").write_text(_readme_mock_blocks()[1])
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout


def test_hostile_response_header_definitions_are_not_sent(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/x": {
                "get": {
                    "operationId": "x",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "headers": {
                                "X-Split": {"schema": {"type": "string", "example": "a\r\nSet-Cookie: owned=1"}},
                                "Bad Name": {"schema": {"type": "string"}},
                                "X-Fine": {"schema": {"type": "string", "example": "fine"}},
                            },
                        }
                    },
                }
            }
        },
    }
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    with mock_server(path) as url:
        r = httpx.get(url + "/x")
    assert r.status_code == 200
    assert r.headers["x-fine"] == "fine"
    assert "set-cookie" not in r.headers and "x-split" not in r.headers and "bad name" not in r.headers
