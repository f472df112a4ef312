"""Proxy mode: requests go to an upstream; both directions are checked, each violation reported."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.clients.conftest import package, run
from tests.mock.conftest import CALLS, CONVERSATION, PRODUCT, MakeClient, MockProcess

FEEDBACK_PATH = f"/api/v1/products/{PRODUCT}/conversations/{CONVERSATION}/feedback"
GOOD = {"conversation_id": CONVERSATION, "updated_at": "2025-01-01T00:00:00Z", "rating": "POSITIVE", "comment": None}


class Upstream:
    """A second loopback server playing the vendor: answers what each test sets, records what it got."""

    def __init__(self) -> None:
        self.status = 200
        self.body: Any = GOOD
        self.headers: dict[str, str] = {}
        self.seen: list[tuple[str, str, dict[str, str], bytes]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_PUT(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                owner.seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                payload = json.dumps(owner.body).encode()
                self.send_response(owner.status)
                self.send_header("Content-Type", "application/json")
                for name, value in owner.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    up = Upstream()
    yield up
    up.httpd.shutdown()
    up.httpd.server_close()


def violations(response: httpx.Response) -> dict[str, str]:
    return {v["location"]: v["message"] for v in json.loads(response.headers.get("mock-violations", "[]"))}


def test_proxy_reports_each_off_spec_answer(mock_process: Callable[..., MockProcess], upstream: Upstream) -> None:
    mock = mock_process("clarityq", "--proxy", upstream.url)
    headers = {"X-API-Key": "real-key"}
    url = mock.url + FEEDBACK_PATH
    cases: list[tuple[int, Any, dict[str, str]]] = [
        (200, GOOD, {}),
        (
            200,
            {k: v for k, v in GOOD.items() if k != "updated_at"},
            {"response/body": '"updated_at" is a required property'},
        ),
        (200, {**GOOD, "conversation_id": 5}, {"response/body/conversation_id": 'is not of type "string"'}),
        (418, {"detail": "teapot"}, {"status": "418 is not documented"}),
    ]
    for status, body, expected in cases:
        upstream.status, upstream.body = status, body
        r = httpx.put(url, json={"rating": "POSITIVE"}, headers=headers)
        assert r.status_code == status and r.json() == body  # the upstream's answer, passed through
        found = violations(r)
        assert set(found) == set(expected), found
        for where, words in expected.items():
            assert words in found[where]
    journal = mock.entries(at_least=len(cases))
    assert [len(e["proxy"]["violations"]) for e in journal] == [0, 1, 1, 1]
    assert journal[3]["proxy"]["violations"][0]["location"] == "status"
    # The request reached the upstream intact: path below the base, credential, body.
    method, path, sent, body = upstream.seen[0]
    assert (method, path, sent["x-api-key"], json.loads(body)) == (
        "PUT",
        FEEDBACK_PATH,
        "real-key",
        {"rating": "POSITIVE"},
    )


def test_proxy_reports_an_off_spec_request_and_still_forwards_it(
    mock_process: Callable[..., MockProcess], upstream: Upstream
) -> None:
    mock = mock_process("clarityq", "--proxy", upstream.url)
    r = httpx.put(mock.url + FEEDBACK_PATH, json={"rating": "MEH"})
    assert r.status_code == 200
    assert set(violations(r)) == {"credential/ApiKeyAuth", "body/rating"}
    assert len(upstream.seen) == 1


async def test_generated_client_through_the_proxy(
    mock_process: Callable[..., MockProcess], upstream: Upstream, make_client: MakeClient
) -> None:
    mock = mock_process("clarityq", "--proxy", upstream.url)
    client = make_client("clarityq", mock.url)
    stored = await run(CALLS["clarityq"](client))
    assert str(stored.conversation_id) == CONVERSATION
    upstream.status, upstream.body = 409, {"detail": "not ready"}
    with pytest.raises(package("clarityq").ConflictError):
        await run(CALLS["clarityq"](client))
    assert mock.entries(at_least=2)[-1]["proxy"]["violations"] == []


def test_unreachable_upstream_is_a_502_problem(mock_process: Callable[..., MockProcess]) -> None:
    from tests.clients.spec_server import free_port

    mock = mock_process("clarityq", "--proxy", f"http://127.0.0.1:{free_port()}")
    r = httpx.put(mock.url + FEEDBACK_PATH, json={"rating": "POSITIVE"}, headers={"X-API-Key": "k"})
    assert r.status_code == 502
    assert r.headers["content-type"] == "application/problem+json"
    assert "upstream" in violations(r)


def test_proxy_passes_redirects_back_without_following(
    mock_process: Callable[..., MockProcess], upstream: Upstream
) -> None:
    mock = mock_process("clarityq", "--proxy", upstream.url)
    upstream.status, upstream.body = 307, {"moved": True}
    upstream.headers = {"Location": upstream.url + "/elsewhere"}
    r = httpx.put(mock.url + FEEDBACK_PATH, json={"rating": "POSITIVE"}, headers={"X-API-Key": "k"})
    assert r.status_code == 307 and r.headers["location"] == upstream.url + "/elsewhere"
    assert len(upstream.seen) == 1  # the mock did not follow it
    assert "307 is not documented" in violations(r)["status"]
