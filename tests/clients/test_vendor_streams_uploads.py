"""The streaming and upload operations imported into generated/: Moveworks' SSE response stream
and Mistral's file upload and download, against loopback servers, sync and async."""

from __future__ import annotations

import email.parser
import email.policy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.clients.conftest import SECRETS, MakeClient, package, run
from tests.runtime.raw_server import SSE_HEAD, Conn, RawServer
from tests.runtime.runtime_server import Reply, ScriptedServer

MISTRAL_KEY = "mistral-key-SECRET-0123456789abcdef"


@pytest.fixture
def raw() -> Iterator[RawServer]:
    srv = RawServer()
    yield srv
    srv.stop()


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    srv = ScriptedServer()
    yield srv
    srv.stop()


def _response(status: str) -> dict[str, Any]:
    return {
        "response_id": "resp_1",
        "conversation_id": "conv_1",
        "status": status,
        "created_at": "2024-05-01T12:00:00Z",
    }


async def test_moveworks_response_stream(raw: RawServer, make_client: MakeClient, mode: str) -> None:
    frames = [
        ("RESPONSE_CREATED",
         {"event_type": "RESPONSE_CREATED", "sequence_number": 1, "response": _response("CREATED")}),
        ("RESPONSE_IN_PROGRESS",
         {"event_type": "RESPONSE_IN_PROGRESS", "sequence_number": 2, "response": _response("IN_PROGRESS")}),
        ("RESPONSE_COMPLETED",
         {"event_type": "RESPONSE_COMPLETED", "sequence_number": 3, "response": _response("COMPLETED")}),
    ]  # fmt: skip

    def stream(conn: Conn) -> None:
        conn.send(SSE_HEAD, 0.02)
        for name, data in frames:
            text = f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()
            conn.chunk(text[:25])  # every event arrives in two TCP reads
            conn.chunk(text[25:])
        conn.end_chunks()

    raw.script(stream)
    pkg = package("moveworks")
    client = make_client("moveworks", raw.url + "/rest/v1beta1", strict_response_validation=True)
    events = await run(client.responses.create_response_stream("conv_1", input=pkg.models.UserInput(text="hi")))
    if mode == "sync":
        with events:
            received = list(events)
    else:
        async with events:
            received = [event async for event in events]
    assert [(e.event.value, e.data.root.sequence_number, e.data.root.response.status.value) for e in received] == [
        ("RESPONSE_CREATED", 1, "CREATED"),
        ("RESPONSE_IN_PROGRESS", 2, "IN_PROGRESS"),
        ("RESPONSE_COMPLETED", 3, "COMPLETED"),
    ]
    request = raw.requests[0]
    assert request.request_line == "POST /rest/v1beta1/conversations/conv_1/responses/stream HTTP/1.1"
    head = request.head.lower()
    assert "accept: text/event-stream" in head
    assert f"authorization: bearer {SECRETS['moveworks']}".lower() in head
    assert "assistant-name: acme-assistant" in head
    assert json.loads(request.body) == {"input": {"text": "hi"}}


@pytest.fixture
def mistral_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MISTRAL_API_KEY", MISTRAL_KEY)
    for name in ("MISTRAL_DASHBOARD_USER_CONTEXT_AUTH", "MISTRAL_ADMIN_API_KEY"):
        monkeypatch.delenv(name, raising=False)


FILE_OUT = {
    "id": "497f6eca-6276-4993-bfeb-53cbbbba6f09",
    "object": "file",
    "bytes": 17,
    "created_at": 1716963433,
    "filename": "train.jsonl",
    "purpose": "fine-tune",
    "sample_type": "instruct",
    "source": "upload",
}


async def test_mistral_upload_and_download(
    scripted: ScriptedServer, make_client: MakeClient, mode: str, mistral_env: None, tmp_path: Path
) -> None:
    source = tmp_path / "train.jsonl"
    source.write_bytes(b'{"prompt": "hi"}\n')
    scripted.script(
        Reply(200, json=FILE_OUT),
        Reply(200, body=source.read_bytes(), headers={"Content-Type": "application/octet-stream"}),
    )
    client = make_client("mistral", scripted.url)
    stored = await run(client.files.files_api_routes_upload_file(file=source, purpose="fine-tune", expiry=24))
    assert stored.bytes == 17 and stored.filename == "train.jsonl"
    upload = scripted.requests[0]
    assert upload.path == "/v1/files" and upload.headers["authorization"] == f"Bearer {MISTRAL_KEY}"
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + upload.headers["content-type"].encode() + b"\r\n\r\n" + upload.body
    )
    parts = {p.get_param("name", header="content-disposition"): p for p in message.iter_parts()}
    assert sorted(parts) == ["expiry", "file", "purpose"]
    assert parts["file"].get_filename() == "train.jsonl"
    assert parts["file"].get_content_type() == "application/octet-stream"
    assert parts["file"].get_payload(decode=True) == b'{"prompt": "hi"}\n'
    assert parts["purpose"].get_payload(decode=True) == b"fine-tune"
    assert parts["expiry"].get_payload(decode=True) == b"24"

    content = await run(client.files.files_api_routes_download_file(FILE_OUT["id"]))
    assert content == b'{"prompt": "hi"}\n'
    assert scripted.requests[1].headers["accept"] == "application/octet-stream"
