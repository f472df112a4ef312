"""A generated client for what AI vendors serve, end to end against loopback servers, sync and async.

``tests/clients/mediakit/`` is a small spec written for this: an SSE chat stream, an audio
stream marked ``x-fern-streaming``, multipart and binary uploads, a binary download,
parameters in every location and style, and API keys in the query string and a cookie.
It is generated into a temporary folder and imported from there.
"""

from __future__ import annotations

import datetime as dt
import email.parser
import email.policy
import importlib
import io
import logging
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline import generate
from tests.clients.conftest import run
from tests.runtime.raw_server import SSE_HEAD, Conn, RawServer
from tests.runtime.runtime_server import Reply, ScriptedServer

HERE = Path(__file__).parent
REPO = HERE.parents[1]
QUERY_KEY = "mk-query-SECRET-0123456789abcdef"
COOKIE_KEY = "mk-cookie-SECRET-0123456789abcdef"


@pytest.fixture(scope="module")
def mediakit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("mediakit")
    specs = root / "specs"
    (specs / "mediakit").mkdir(parents=True)
    for name in ("openapi.yaml", "vendor.yaml"):
        (specs / "mediakit" / name).write_bytes((HERE / "mediakit" / name).read_bytes())
    generate(specs, root / "out")
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module("mediakit")
    finally:
        sys.path.remove(str(root / "out"))
        for name in [m for m in sys.modules if m == "mediakit" or m.startswith("mediakit.")]:
            del sys.modules[name]


@pytest.fixture
async def client_for(mediakit: Any, mode: str) -> AsyncIterator[Any]:
    made: list[Any] = []

    def factory(base_url: str, **kwargs: Any) -> Any:
        cls = mediakit.Client if mode == "sync" else mediakit.AsyncClient
        client = cls(api_key=QUERY_KEY, session=COOKIE_KEY, base_url=base_url, **kwargs)
        made.append(client)
        return client

    yield factory
    for client in made:
        if mode == "sync":
            client.close()
        else:
            await client.aclose()


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    srv = ScriptedServer()
    yield srv
    srv.stop()


@pytest.fixture
def raw() -> Iterator[RawServer]:
    srv = RawServer()
    yield srv
    srv.stop()


def _credentials_arrived(path: str, headers: dict[str, str]) -> None:
    assert f"api_key={QUERY_KEY}" in path
    assert f"session={COOKIE_KEY}" in headers["cookie"]


async def test_sse_operation_returns_typed_stream(client_for: Any, raw: RawServer, mediakit: Any) -> None:
    def events(conn: Conn) -> None:
        conn.send(SSE_HEAD, 0.02)
        conn.chunk(b'data: {"text": "Hel')
        conn.chunk(b'lo", "index": 0}\n\n: ping\n\ndata: {"text": " world", "index": 1}\n\n')
        conn.end_chunks()

    raw.script(events)
    client = client_for(raw.url)
    stream = await run(client.chat.stream_chat(prompt="hi"))
    received = []
    if isinstance(stream, mediakit._runtime.Stream):
        with stream:
            received = [event for event in stream]
    else:
        async with stream:
            received = [event async for event in stream]
    assert received == [mediakit.models.Delta(text="Hello", index=0), mediakit.models.Delta(text=" world", index=1)]
    head = raw.requests[0].head.lower()
    assert "accept: text/event-stream" in head  # the spec's Accept header parameter is the client's job
    assert f"api_key={QUERY_KEY}".lower() in head and f"session={COOKIE_KEY}".lower() in head


async def test_fern_streaming_json_is_json_lines(client_for: Any, raw: RawServer, mediakit: Any) -> None:
    def lines(conn: Conn) -> None:
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", 0.02)
        conn.chunk(b'{"text": "a"}\n{"text": ')
        conn.chunk(b'"b", "index": 1}\n')
        conn.end_chunks()

    raw.script(lines)
    client = client_for(raw.url)
    stream = await run(client.chat.stream_chat_lines(prompt="hi"))
    received = list(stream) if isinstance(stream, mediakit._runtime.Stream) else [item async for item in stream]
    assert received == [mediakit.models.Delta(text="a"), mediakit.models.Delta(text="b", index=1)]


async def test_parameters_in_every_location_and_style(client_for: Any, scripted: ScriptedServer) -> None:
    scripted.script(Reply(200, json=[{"id": "a", "score": 1.5}]))
    client = client_for(scripted.url)
    items = await run(
        client.items.list_items(
            ["a", "b"],
            tags=["x", "y"],
            filter={"color": "red", "size": 2},
            words=["one", "two"],
            since=dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC),
            day=dt.date(2024, 5, 2),
            where={"lang": "en"},
            x_trace_ids=[1, 2],
            locale="fr-CH",
        )
    )
    assert [item.id for item in items] == ["a"]
    seen = scripted.requests[0]
    assert seen.path == (
        "/v1/items/.a.b?tags=x,y&filter[color]=red&filter[size]=2&words=one|two"
        "&since=2024-05-01T12%3A00%3A00%2B00%3A00&day=2024-05-02&where=%7B%22lang%22%3A%22en%22%7D"
        f"&api_key={QUERY_KEY}"
    )
    assert seen.headers["x-trace-ids"] == "1,2"
    assert seen.headers["cookie"] == f"locale=fr-CH; session={COOKIE_KEY}"


async def test_multipart_upload(client_for: Any, scripted: ScriptedServer, mediakit: Any, tmp_path: Path) -> None:
    scripted.script(Reply(200, json={"id": "file-1", "bytes": 5}), Reply(200, json={"id": "file-2", "bytes": 3}))
    client = client_for(scripted.url)
    source = tmp_path / "train.jsonl"
    source.write_bytes(b'{"a":1}\n')
    out = await run(
        client.files.upload_file(
            file=source, purpose="fine-tune", metadata=mediakit.models.UploadFileRequestMetadata(source="unit")
        )
    )
    assert out.id == "file-1"
    await run(client.files.upload_file(file=("notes.txt", io.BytesIO(b"abc"), "text/plain"), purpose="batch"))
    first, second = scripted.requests
    _credentials_arrived(first.path, first.headers)
    assert _parts(first) == [
        ("file", "train.jsonl", "application/octet-stream", b'{"a":1}\n'),
        ("purpose", None, None, b"fine-tune"),
        ("metadata", None, "application/json", b'{"source":"unit"}'),
    ]
    assert _parts(second) == [("file", "notes.txt", "text/plain", b"abc"), ("purpose", None, None, b"batch")]


def _parts(seen: Any) -> list[tuple[str | None, str | None, str | None, bytes]]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + seen.headers["content-type"].encode() + b"\r\n\r\n" + seen.body
    )
    return [
        (
            p.get_param("name", header="content-disposition"),
            p.get_filename(),
            p.get("content-type"),
            p.get_payload(decode=True),
        )
        for p in message.iter_parts()
    ]


async def test_binary_upload_download_and_audio_stream(
    client_for: Any, scripted: ScriptedServer, mediakit: Any, tmp_path: Path
) -> None:
    blob = bytes(range(256)) * 64
    scripted.script(
        Reply(200, json={"id": "f", "bytes": len(blob)}),
        Reply(200, body=blob, headers={"Content-Type": "application/octet-stream"}),
        Reply(200, body=blob, headers={"Content-Type": "application/octet-stream"}),
        Reply(200, body=blob, headers={"Content-Type": "audio/mpeg"}),
    )
    client = client_for(scripted.url, max_response_bytes=len(blob))
    stored = await run(client.files.replace_file("f", body=io.BytesIO(blob)))
    assert stored.bytes == len(blob)
    assert scripted.requests[0].body == blob
    assert scripted.requests[0].headers["content-type"] == "application/octet-stream"
    assert await run(client.files.download_file("f")) == blob

    target = tmp_path / "copy.bin"
    speech = tmp_path / "speech.mp3"
    if isinstance(client, mediakit.Client):
        with client.files.with_streaming_response.download_file("f") as response:
            assert response.write_to_file(target) == len(blob)
        with client.speech.stream_speech("v1", text="hello") as audio:
            assert isinstance(audio, mediakit._runtime.StreamedResponse)
            with speech.open("wb") as out:
                for chunk in audio.iter_bytes():
                    out.write(chunk)
    else:
        async with client.files.with_streaming_response.download_file("f") as response:
            assert await response.write_to_file(target) == len(blob)
        audio = await client.speech.stream_speech("v1", text="hello")
        async with audio:
            with speech.open("wb") as out:
                async for chunk in audio.iter_bytes():
                    out.write(chunk)
    assert target.read_bytes() == blob and speech.read_bytes() == blob
    assert scripted.requests[3].headers["accept"] == "audio/mpeg"


async def test_strict_and_lenient_responses(
    client_for: Any, scripted: ScriptedServer, mediakit: Any, caplog: pytest.LogCaptureFixture
) -> None:
    scripted.script(Reply(200, json={"id": "f"}), Reply(200, json={"id": "f"}))
    lenient = client_for(scripted.url)
    with caplog.at_level(logging.WARNING):
        out = await run(lenient.files.replace_file("f", body=b"x"))
    assert out.id == "f" and out.bytes is None
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "replaceFile" in warnings[0] and "'bytes'" in warnings[0]
    strict = client_for(scripted.url, strict_response_validation=True)
    with pytest.raises(mediakit.APIResponseValidationError, match=r"replaceFile .*field 'bytes': Field required"):
        await run(strict.files.replace_file("f", body=b"x"))


async def test_credentials_never_in_repr_or_errors(client_for: Any, scripted: ScriptedServer, mediakit: Any) -> None:
    scripted.script(Reply(401, json={"error": f"bad {QUERY_KEY} {COOKIE_KEY}"}))
    client = client_for(scripted.url)
    with pytest.raises(mediakit.AuthenticationError) as info:
        await run(client.files.download_file("f"))
    _credentials_arrived(scripted.requests[0].path, scripted.requests[0].headers)
    for text in (repr(client), str(info.value), repr(info.value)):
        assert QUERY_KEY not in text and COOKIE_KEY not in text


def test_generated_package_passes_mypy_strict(mediakit: Any) -> None:
    pkg = Path(mediakit.__file__).parent
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(REPO / "pyproject.toml"), "-p", "mediakit"],
        cwd=pkg.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
