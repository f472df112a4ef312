"""Server-sent events end to end: a raw loopback server writes the stream, sync and async clients read it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import MakeRunner
from pydantic import BaseModel
from raw_server import SSE_HEAD, Conn, RawServer, closes, wait_for

from generator.runtime import (
    APIConnectionError,
    APIResponseValidationError,
    AsyncStream,
    Operation,
    ResponseSpec,
    ServerSentEvent,
    Stream,
)
from generator.runtime._sse import SSEDecoder


class Delta(BaseModel):
    text: str
    index: int = 0


class Frame(BaseModel):
    """Moveworks-style: the spec's event schema is the whole event, {event, data, id}."""

    event: str
    data: Delta
    id: str | None = None
    retry: int | None = None


def _op(model: Any, kind: str = "sse", path: str = "/v1/chat/stream") -> Operation:
    return Operation(
        method="POST",
        path=path,
        operation_id="streamChat",
        idempotent=True,  # retryable by method: still never retried once the stream has begun
        responses={"200": ResponseSpec(model, "text/event-stream", stream=kind)},
        accept="text/event-stream",
    )


JSON_OP = Operation(
    method="GET",
    path="/v1/ping",
    operation_id="ping",
    idempotent=True,
    responses={"200": ResponseSpec(dict[str, Any], "application/json")},
)


@pytest.fixture
def raw() -> Iterator[RawServer]:
    srv = RawServer()
    yield srv
    srv.stop()


async def collect(stream: Stream[Any] | AsyncStream[Any], limit: int | None = None) -> list[Any]:
    out: list[Any] = []
    if isinstance(stream, Stream):
        for item in stream:
            out.append(item)
            if limit is not None and len(out) >= limit:
                break
    else:
        async for item in stream:
            out.append(item)
            if limit is not None and len(out) >= limit:
                break
    return out


async def close(stream: Stream[Any] | AsyncStream[Any]) -> None:
    if isinstance(stream, Stream):
        stream.close()
    else:
        await stream.close()


# Split at awkward places: inside a JSON string, between CR and LF, inside a UTF-8 character.
SPLIT_BODY = [
    b": keep-alive comment\n\n",
    b'retry: 3000\nid: 1\nevent: delta\ndata: {"text": "hel',
    b'lo"}\n\n',
    b'data: {"text":\r',
    b'\ndata: "w\xc3',
    b'\xb6rld", "index": 1}\r\n\r\n',
    b"event: ignored-without-data\n\n",
    b'data: {"text": "end", "index": 2}',  # the final event has no trailing blank line
]


def _sse_reply(pieces: list[bytes]) -> Any:
    def action(conn: Conn) -> None:
        conn.send(SSE_HEAD, 0.02)
        for piece in pieces:
            conn.chunk(piece)
        conn.end_chunks()

    return action


async def test_events_split_across_tcp_reads(raw: RawServer, make_runner: MakeRunner) -> None:
    raw.script(_sse_reply(SPLIT_BODY))
    runner = make_runner(base_url=raw.url)
    stream = (await runner.request(_op(Delta), json_body={"q": "hi"})).parse()
    assert isinstance(stream, Stream if runner.kind == "sync" else AsyncStream)
    items = await collect(stream)
    assert items == [Delta(text="hello"), Delta(text="wörld", index=1), Delta(text="end", index=2)]
    assert "accept: text/event-stream" in raw.requests[0].head.lower()


async def test_event_frames_carry_event_id_and_retry(raw: RawServer, make_runner: MakeRunner) -> None:
    raw.script(_sse_reply(SPLIT_BODY))
    runner = make_runner(base_url=raw.url)
    frames = await collect((await runner.request(_op(Frame, "sse-frame"), json_body={})).parse())
    assert [(f.event, f.data.text, f.id, f.retry) for f in frames] == [
        ("delta", "hello", "1", 3000),
        ("message", "wörld", "1", 3000),  # the id persists; the event type does not
        ("message", "end", "1", 3000),
    ]


async def test_done_sentinel_ends_the_stream(raw: RawServer, make_runner: MakeRunner) -> None:
    raw.script(_sse_reply([b'data: {"text": "a"}\n\n', b"data: [DONE]\n\n", b'data: {"text": "never"}\n\n']))
    runner = make_runner(base_url=raw.url)
    assert await collect((await runner.request(_op(Delta), json_body={})).parse()) == [Delta(text="a")]


async def test_server_closing_mid_event_is_a_clear_error_and_not_retried(
    raw: RawServer, make_runner: MakeRunner
) -> None:
    @closes
    def cut(conn: Conn) -> None:
        conn.send(SSE_HEAD, 0.02)
        conn.chunk(b'data: {"text": "one"}\n\n')
        conn.chunk(b'data: {"text": "tw')
        conn.sock.shutdown(2)  # no terminating chunk: the body ends mid-event

    raw.script(cut)
    runner = make_runner(base_url=raw.url, max_retries=2)
    stream = (await runner.request(_op(Delta), json_body={})).parse()
    received: list[Any] = []
    with pytest.raises(APIConnectionError) as info:
        if isinstance(stream, Stream):
            for item in stream:
                received.append(item)
        else:
            async for item in stream:
                received.append(item)
    assert received == [Delta(text="one")]
    message = str(info.value)
    assert "POST /v1/chat/stream" in message and "mid-event" in message and "not retried" in message
    assert len(raw.requests) == 1  # the stream had begun: never retried


async def test_early_close_releases_the_connection(raw: RawServer, make_runner: MakeRunner) -> None:
    def endless(conn: Conn) -> None:
        conn.send(SSE_HEAD)
        for i in range(500):  # ~25 s unless the client hangs up, which ends it with OSError
            conn.chunk(f'data: {{"text": "t{i}"}}\n\n'.encode(), 0.05)
        conn.end_chunks()

    def pong(conn: Conn) -> None:
        body = json.dumps({"ok": True}).encode()
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body))
        conn.send(body)

    raw.script(endless, pong)
    kind = make_runner(base_url=raw.url).kind
    # One connection in the pool, 1 s to get it: a leaked stream would make the next call time out.
    limits = httpx.Limits(max_connections=1)
    timeout = httpx.Timeout(5.0, pool=1.0)
    http: httpx.Client | httpx.AsyncClient = (
        httpx.Client(limits=limits, timeout=timeout)
        if kind == "sync"
        else httpx.AsyncClient(limits=limits, timeout=timeout)
    )
    runner = make_runner(base_url=raw.url, http_client=http)
    try:
        stream = (await runner.request(_op(Delta), json_body={})).parse()
        first = await collect(stream, limit=1)
        await close(stream)
        assert first == [Delta(text="t0")]
        assert wait_for(lambda: raw.conns[0].closed_by_client.is_set()), "server still streaming after close()"
        pong_response = await runner.request(JSON_OP)
        assert pong_response.parse() == {"ok": True}
    finally:
        if isinstance(http, httpx.Client):
            http.close()
        else:
            await http.aclose()


async def test_context_manager_closes_the_stream(raw: RawServer, make_runner: MakeRunner) -> None:
    raw.script(_sse_reply([b'data: {"text": "a"}\n\n', b'data: {"text": "b"}\n\n']))
    runner = make_runner(base_url=raw.url)
    stream = (await runner.request(_op(Delta), json_body={})).parse()
    if isinstance(stream, Stream):
        with stream as s:
            assert next(iter(s)) == Delta(text="a")
    else:
        async with stream as s:
            assert await s.__anext__() == Delta(text="a")
    assert stream.response.is_closed


async def test_strict_stream_names_event_and_field(raw: RawServer, make_runner: MakeRunner) -> None:
    raw.script(_sse_reply([b'data: {"text": "a"}\n\n', b'data: {"index": 1}\n\n']))
    runner = make_runner(base_url=raw.url, strict_response_validation=True)
    stream = (await runner.request(_op(Delta), json_body={})).parse()
    with pytest.raises(APIResponseValidationError) as info:
        await collect(stream)
    assert "event 2" in str(info.value) and "'text'" in str(info.value) and "streamChat" in str(info.value)


async def test_event_that_is_not_json_is_a_clear_error(raw: RawServer, make_runner: MakeRunner) -> None:
    raw.script(_sse_reply([b"data: not json\n\n"]))
    runner = make_runner(base_url=raw.url)
    with pytest.raises(APIResponseValidationError, match="event 1 is not JSON"):
        await collect((await runner.request(_op(Delta), json_body={})).parse())


def _decode(chunks: list[bytes]) -> list[ServerSentEvent]:
    decoder = SSEDecoder()
    events = [e for chunk in chunks for e in decoder.feed(chunk)]
    return events + decoder.finish()


@pytest.mark.parametrize("split", [1, 2, 3, 7, 1000])
def test_decoder_is_independent_of_chunking(split: int) -> None:
    body = b"".join(SPLIT_BODY)
    chunks = [body[i : i + split] for i in range(0, len(body), split)]
    assert _decode(chunks) == _decode([body])
    assert [e.data for e in _decode([body])] == [
        '{"text": "hello"}',
        '{"text":\n"wörld", "index": 1}',
        SPLIT_BODY[-1][6:].decode(),
    ]


def test_decoder_rules() -> None:
    events = _decode([b"\xef\xbb\xbfdata\n\ndata:no-space\nid: a\0b\nfoo: bar\nretry: 12x\n\nid\ndata: x\r\r"])
    # A bare "data" line is an empty data line; a NUL in id is ignored; unknown fields and bad retry too.
    assert events == [
        ServerSentEvent(data=""),
        ServerSentEvent(data="no-space"),
        ServerSentEvent(data="x", id=""),
    ]


def test_decoder_bounds_one_event() -> None:
    decoder = SSEDecoder(max_event_bytes=100)
    with pytest.raises(ValueError, match="longer than 100"):
        decoder.feed(b"data: " + b"x" * 200)


async def test_a_json_reply_to_an_event_stream_is_an_error(raw: RawServer, make_runner: MakeRunner) -> None:
    def json_reply(conn: Conn) -> None:
        body = b'{"text": "not a stream"}'
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body))
        conn.send(body)

    raw.script(json_reply)
    runner = make_runner(base_url=raw.url)
    stream = (await runner.request(_op(Delta), json_body={})).parse()
    with pytest.raises(APIResponseValidationError, match="expected a text/event-stream body, got application/json"):
        await collect(stream)
    assert stream.response.is_closed


async def test_retried_before_the_stream_begins(raw: RawServer, make_runner: MakeRunner) -> None:
    def unavailable(conn: Conn) -> None:
        conn.send(b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n")

    raw.script(unavailable, _sse_reply([b'data: {"text": "a"}\n\n']))
    runner = make_runner(base_url=raw.url, max_retries=2)
    response = await runner.request(_op(Delta), json_body={})
    assert await collect(response.parse()) == [Delta(text="a")]
    assert response.retries_taken == 1 and len(raw.requests) == 2
