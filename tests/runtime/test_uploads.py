"""Uploads on the wire: multipart/form-data parts (parsed back by the test server) and raw binary bodies."""

from __future__ import annotations

import email.parser
import email.policy
import io
from pathlib import Path
from typing import Any

import pytest
from conftest import MakeRunner
from models import FeedbackRequest
from runtime_server import Reply, ScriptedServer

from generator.runtime import NOT_GIVEN, Operation, RequestValidationError, ResponseSpec

UPLOAD = Operation(
    method="POST",
    path="/v1/files",
    operation_id="uploadFile",
    idempotent=False,
    responses={"200": ResponseSpec(dict[str, Any], "application/json")},
    part_types={"meta_yaml": "application/yaml", "audio": "audio/mpeg"},
)

PUT_BLOB = Operation(
    method="PUT",
    path="/v1/blobs/{name}",
    operation_id="putBlob",
    idempotent=True,
    responses={"204": ResponseSpec(None, None)},
)


def parse_parts(content_type: str, body: bytes) -> list[dict[str, Any]]:
    """The server side: split a multipart/form-data body into its parts (stdlib email parser)."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    assert message.is_multipart()
    parts = []
    for part in message.iter_parts():
        parts.append(
            {
                "name": part.get_param("name", header="content-disposition"),
                "filename": part.get_filename(),
                "content_type": part.get("content-type"),
                "bytes": part.get_payload(decode=True),
            }
        )
    return parts


async def test_multipart_file_parts_and_fields(tmp_path: Path, server: ScriptedServer, make_runner: MakeRunner):
    on_disk = tmp_path / "train.jsonl"
    on_disk.write_bytes(b'{"prompt": "hi"}\n')
    server.script(Reply(200, json={"id": "file-1"}))
    runner = make_runner()
    response = await runner.request(
        UPLOAD,
        multipart={
            "file": on_disk,  # a path: streamed from disk, named after the file
            "raw": b"\x00\x01binary",  # bytes: named after the part
            "handle": io.BytesIO(b"from a file object"),
            "audio": ("take1.mp3", b"ID3...", None),  # content type from `encoding`
            "image": ("p.png", b"\x89PNG", "image/png"),
            "purpose": "fine-tune",
            "expiry": 24,
            "public": False,
            "skipped": NOT_GIVEN,
            "nothing": None,
            "tags": ["a", "b"],
            "meta": {"source": "test", "n": 1},
            "meta_yaml": "a: 1",
            "request": FeedbackRequest.model_validate({"messageId": "m1"}),
        },
    )
    assert response.parse() == {"id": "file-1"}
    seen = server.requests[0]
    assert seen.headers["content-type"].startswith("multipart/form-data; boundary=")
    parts = parse_parts(seen.headers["content-type"], seen.body)
    got = [(p["name"], p["filename"], p["content_type"], p["bytes"]) for p in parts]
    assert got == [
        ("file", "train.jsonl", "application/octet-stream", b'{"prompt": "hi"}\n'),
        ("raw", "raw", "application/octet-stream", b"\x00\x01binary"),
        ("handle", "handle", "application/octet-stream", b"from a file object"),
        ("audio", "take1.mp3", "audio/mpeg", b"ID3..."),
        ("image", "p.png", "image/png", b"\x89PNG"),
        ("purpose", None, None, b"fine-tune"),
        ("expiry", None, None, b"24"),
        ("public", None, None, b"false"),
        ("tags", None, None, b"a"),
        ("tags", None, None, b"b"),
        ("meta", None, "application/json", b'{"source":"test","n":1}'),
        ("meta_yaml", None, "application/yaml", b"a: 1"),
        ("request", None, "application/json", b'{"messageId":"m1"}'),
    ]


async def test_multipart_file_is_closed_and_a_missing_path_refused(
    tmp_path: Path, server: ScriptedServer, make_runner: MakeRunner
):
    runner = make_runner()
    with pytest.raises(RequestValidationError, match=r"cannot open 'missing\.bin'"):
        await runner.request(UPLOAD, multipart={"file": tmp_path / "missing.bin"})
    assert server.requests == []  # refused before anything was sent


@pytest.mark.parametrize("kind", ["bytes", "file", "path"])
async def test_octet_stream_body(kind: str, tmp_path: Path, server: ScriptedServer, make_runner: MakeRunner):
    payload = bytes(range(256)) * 4
    source: Any = payload
    if kind == "file":
        source = io.BytesIO(payload)
    elif kind == "path":
        source = tmp_path / "blob.bin"
        source.write_bytes(payload)
    server.script(Reply(204))
    runner = make_runner()
    await runner.request(PUT_BLOB, path_params={"name": "b1"}, content_body=(source, "application/octet-stream"))
    seen = server.requests[0]
    assert seen.headers["content-type"] == "application/octet-stream"
    assert seen.body == payload
