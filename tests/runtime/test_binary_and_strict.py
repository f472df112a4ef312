"""Binary and streamed responses, strict/lenient response validation, and credentials in query and cookie."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from conftest import MakeRunner
from models import CREATE_FEEDBACK, FEEDBACK_JSON, Feedback
from pydantic import BaseModel
from runtime_server import Reply, ScriptedServer, free_port

from generator.runtime import (
    APIConnectionError,
    APIResponseValidationError,
    AsyncAPIClient,
    AsyncStream,
    AsyncStreamedResponse,
    AuthenticationError,
    Operation,
    ResponseSpec,
    Stream,
    StreamedResponse,
    async_to_streamed_response_wrapper,
    finish,
    to_streamed_response_wrapper,
)

AUDIO = bytes(range(256)) * 20  # 5120 bytes


def _audio_op(stream: str | None = None) -> Operation:
    return Operation(
        method="POST",
        path="/v1/text-to-speech/{voice}",
        operation_id="textToSpeech",
        idempotent=False,
        responses={"200": ResponseSpec(bytes, "audio/mpeg", stream=stream)},
        accept="audio/mpeg",
    )


def _reply_audio() -> Reply:
    return Reply(200, body=AUDIO, headers={"Content-Type": "audio/mpeg"})


async def test_binary_response_is_bytes(server: ScriptedServer, make_runner: MakeRunner) -> None:
    server.script(_reply_audio())
    runner = make_runner()
    response = await runner.request(_audio_op(), path_params={"voice": "v1"}, json_body={"text": "hi"})
    assert response.parse() == AUDIO
    assert server.requests[0].headers["accept"] == "audio/mpeg"


async def test_buffered_cap_is_configurable_and_streaming_ignores_it(
    tmp_path: Path, server: ScriptedServer, make_runner: MakeRunner
) -> None:
    server.script(_reply_audio(), _reply_audio(), _reply_audio())
    runner = make_runner(max_response_bytes=1000)
    with pytest.raises(APIResponseValidationError, match="larger than 1000 bytes"):
        await runner.request(_audio_op(), path_params={"voice": "v1"})

    # x-fern-streaming: the operation itself returns a streamed response.
    streamed = (await runner.request(_audio_op("bytes"), path_params={"voice": "v1"})).parse()
    target = tmp_path / "speech.mp3"
    if isinstance(streamed, StreamedResponse):
        with streamed:
            assert streamed.write_to_file(target) == len(AUDIO)
    else:
        assert isinstance(streamed, AsyncStreamedResponse)
        async with streamed:
            assert await streamed.write_to_file(target) == len(AUDIO)
    assert target.read_bytes() == AUDIO

    # read() buffers, so the cap applies to it.
    streamed = (await runner.request(_audio_op("bytes"), path_params={"voice": "v1"})).parse()
    with pytest.raises(APIResponseValidationError, match="larger than 1000 bytes"):
        if isinstance(streamed, StreamedResponse):
            streamed.read()
        else:
            await streamed.read()


async def test_with_streaming_response_iterates_any_operation(server: ScriptedServer, make_runner: MakeRunner) -> None:
    server.script(_reply_audio(), Reply(201, json=FEEDBACK_JSON))
    runner = make_runner()
    client = runner.client
    if isinstance(client, AsyncAPIClient):

        async def speak_async(voice: str) -> bytes:
            return finish(await client.request(_audio_op(), path_params={"voice": voice}))  # type: ignore[no-any-return]

        async def create_async() -> Any:
            return finish(await client.request(CREATE_FEEDBACK, path_params={"conversation_id": "c"}, json_body={}))

        async with async_to_streamed_response_wrapper(speak_async)("v1") as response:
            assert response.headers["content-type"] == "audio/mpeg"
            chunks = [chunk async for chunk in response.iter_bytes()]
        async with async_to_streamed_response_wrapper(create_async)() as response:
            parsed = await response.parse()
    else:
        sync_client = client

        def speak(voice: str) -> bytes:
            return finish(sync_client.request(_audio_op(), path_params={"voice": voice}))  # type: ignore[no-any-return]

        def create() -> Any:
            return finish(sync_client.request(CREATE_FEEDBACK, path_params={"conversation_id": "c"}, json_body={}))

        with to_streamed_response_wrapper(speak)("v1") as response:
            assert response.status_code == 200
            chunks = list(response.iter_bytes())
        with to_streamed_response_wrapper(create)() as response:
            parsed = response.parse()
    assert b"".join(chunks) == AUDIO
    assert isinstance(parsed, Feedback) and parsed.feedback_id == "f1"


class Line(BaseModel):
    n: int


async def test_json_lines_stream(server: ScriptedServer, make_runner: MakeRunner) -> None:
    op = Operation(
        method="GET",
        path="/v1/lines",
        operation_id="lines",
        idempotent=True,
        responses={"200": ResponseSpec(Line, "application/json", stream="jsonl")},
    )
    server.script(Reply(200, body=b'{"n": 1}\n\n{"n": 2}\r\n{"n": 3}', headers={"Content-Type": "application/json"}))
    runner = make_runner()
    stream = (await runner.request(op)).parse()
    if isinstance(stream, Stream):
        items = list(stream)
    else:
        assert isinstance(stream, AsyncStream)
        items = [item async for item in stream]
    assert items == [Line(n=1), Line(n=2), Line(n=3)]


MISSING_SCORE = {"feedbackId": "f1", "rating": "thumbs_up"}


async def test_strict_mode_raises_naming_the_field(server: ScriptedServer, make_runner: MakeRunner) -> None:
    server.script(Reply(201, json=MISSING_SCORE))
    runner = make_runner(strict_response_validation=True)
    response = await runner.request(CREATE_FEEDBACK, path_params={"conversation_id": "c"}, json_body={})
    with pytest.raises(APIResponseValidationError) as info:
        response.parse()
    message = str(info.value)
    assert "createFeedback" in message and "field 'score': Field required" in message


async def test_lenient_mode_returns_and_warns_once(
    server: ScriptedServer, make_runner: MakeRunner, caplog: pytest.LogCaptureFixture
) -> None:
    server.script(Reply(201, json={**MISSING_SCORE, "rating": "meh"}))
    runner = make_runner()
    response = await runner.request(CREATE_FEEDBACK, path_params={"conversation_id": "c"}, json_body={})
    with caplog.at_level(logging.WARNING):
        parsed = response.parse()
    assert isinstance(parsed, Feedback) and parsed.feedback_id == "f1" and parsed.score is None
    assert parsed.rating == "meh"  # the raw value is kept
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    text = warnings[0].getMessage()
    assert "createFeedback" in text and "'score'" in text and "'rating'" in text


QUERY_SECRET = "qk-SECRET-in-query-0123456789"
COOKIE_SECRET = "ck-SECRET-in-cookie-0123456789"


async def test_query_and_cookie_credentials_arrive_and_never_leak(
    server: ScriptedServer, make_runner: MakeRunner, caplog: pytest.LogCaptureFixture
) -> None:
    echo = f"bad key {QUERY_SECRET} / {COOKIE_SECRET}"
    server.script(Reply(201, json=FEEDBACK_JSON), Reply(401, json={"code": "auth", "message": echo}))
    runner = make_runner(auth_headers={}, auth_query={"api_key": QUERY_SECRET}, auth_cookies={"session": COOKIE_SECRET})
    caplog.set_level(logging.DEBUG)
    await runner.request(CREATE_FEEDBACK, path_params={"conversation_id": "c"}, json_body={}, query={"x": "1"})
    seen = server.requests[0]
    assert seen.path == f"/v1/conversations/c/feedback?x=1&api_key={QUERY_SECRET}"
    assert seen.headers["cookie"] == f"session={COOKIE_SECRET}"
    with pytest.raises(AuthenticationError) as info:
        await runner.request(CREATE_FEEDBACK, path_params={"conversation_id": "c"}, json_body={})
    refused = runner.client.__class__(
        base_url=f"http://127.0.0.1:{free_port()}",
        max_retries=0,
        auth_query={"api_key": QUERY_SECRET},
        auth_cookies={"session": COOKIE_SECRET},
    )
    try:
        with pytest.raises(APIConnectionError) as conn_info:
            if isinstance(refused, AsyncAPIClient):
                await refused.request(CREATE_FEEDBACK, path_params={"conversation_id": "c"}, json_body={})
            else:
                refused.request(CREATE_FEEDBACK, path_params={"conversation_id": "c"}, json_body={})
    finally:
        if isinstance(refused, AsyncAPIClient):
            await refused.aclose()
        else:
            refused.close()
    texts = [str(info.value), repr(info.value), str(conn_info.value), repr(conn_info.value),
             repr(runner.client), repr(refused)] + [r.getMessage() for r in caplog.records]  # fmt: skip
    for text in texts:
        assert QUERY_SECRET not in text and COOKIE_SECRET not in text, text
    assert "***" in str(info.value)  # the echoed secrets were masked, not just absent
