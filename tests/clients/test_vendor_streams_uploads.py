"""The streaming and upload operations imported into generated/: Moveworks' SSE response stream
and Mistral's document upload and file download, against loopback servers, sync and async."""

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


LIBRARY = "0c5a9b7e-4f7e-4c1e-9d55-2f8a3e2b9c10"
DOCUMENT = {
    "id": "497f6eca-6276-4993-bfeb-53cbbbba6f09",
    "library_id": LIBRARY,
    "hash": "d41d8cd9",
    "mime_type": "application/pdf",
    "extension": "pdf",
    "size": 17,
    "name": "handbook.pdf",
    "created_at": "2024-05-01T12:00:00Z",
    "process_status": "todo",
    "uploaded_by_id": None,
    "uploaded_by_type": "user",
    "processing_status": "todo",
    "tokens_processing_total": 0,
}


async def test_mistral_upload_and_download(
    scripted: ScriptedServer, make_client: MakeClient, mode: str, mistral_env: None, tmp_path: Path
) -> None:
    source = tmp_path / "handbook.pdf"
    source.write_bytes(b"%PDF-1.7 tiny pdf")
    scripted.script(
        Reply(201, json=DOCUMENT),
        Reply(200, body=source.read_bytes(), headers={"Content-Type": "application/octet-stream"}),
    )
    client = make_client("mistral", scripted.url, strict_response_validation=True)
    document = await run(client.beta_libraries_documents.libraries_documents_upload_v1(LIBRARY, file=source))
    assert document.name == "handbook.pdf" and document.size == 17
    upload = scripted.requests[0]
    assert upload.path == f"/v1/libraries/{LIBRARY}/documents"
    assert upload.headers["authorization"] == f"Bearer {MISTRAL_KEY}"
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + upload.headers["content-type"].encode() + b"\r\n\r\n" + upload.body
    )
    parts = list(message.iter_parts())
    assert [p.get_param("name", header="content-disposition") for p in parts] == ["file"]
    assert parts[0].get_filename() == "handbook.pdf"
    assert parts[0].get_content_type() == "application/pdf"  # guessed from the file name
    assert parts[0].get_payload(decode=True) == b"%PDF-1.7 tiny pdf"

    content = await run(client.files.files_api_routes_download_file(DOCUMENT["id"]))
    assert content == b"%PDF-1.7 tiny pdf"
    assert scripted.requests[1].headers["accept"] == "application/octet-stream"


async def test_mistral_file_upload_sends_the_file_and_its_form_fields(
    scripted: ScriptedServer, make_client: MakeClient, mode: str, mistral_env: None, tmp_path: Path
) -> None:
    """The upload issue 14 named (POST /v1/files): a file part plus enum and nullable form fields."""
    source = tmp_path / "train.jsonl"
    source.write_bytes(b'{"messages": []}\n')
    created = {
        "id": "497f6eca-6276-4993-bfeb-53cbbbba6f09",
        "object": "file",
        "bytes": 17,
        "created_at": 1716963433,
        "filename": "train.jsonl",
        "purpose": "fine-tune",
        "sample_type": "instruct",
        "source": "upload",
    }
    scripted.script(Reply(200, json=created))
    client = make_client("mistral", scripted.url, strict_response_validation=True)
    models = package("mistral").models
    result = await run(client.files.files_api_routes_upload_file(file=source, purpose="fine-tune", visibility="user"))
    assert isinstance(result, models.CreateFileResponse) and result.purpose is models.FilePurpose.fine_tune
    upload = scripted.requests[0]
    assert (upload.method, upload.path) == ("POST", "/v1/files")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + upload.headers["content-type"].encode() + b"\r\n\r\n" + upload.body
    )
    parts = {p.get_param("name", header="content-disposition"): p for p in message.iter_parts()}
    assert set(parts) == {
        "file",
        "purpose",
        "visibility",
    }  # expiry not given: not sent; visibility's default is the server's
    assert parts["file"].get_filename() == "train.jsonl"
    assert parts["file"].get_payload(decode=True) == b'{"messages": []}\n'
    assert parts["purpose"].get_payload(decode=True) == b"fine-tune"
    assert parts["visibility"].get_payload(decode=True) == b"user"
