"""Fault matrix, run against both the sync and the async client over real loopback HTTP."""

from __future__ import annotations

import pytest
from conftest import MakeRunner
from models import CREATE_FEEDBACK, FEEDBACK_JSON, GET_ITEM, Feedback
from runtime_server import Reply, ScriptedServer, free_port

from generator.runtime import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
)

POST_ARGS = {"path_params": {"conversation_id": "c1"}, "json_body": {"messageId": "m1"}}


async def test_429_with_retry_after_then_200(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(429, json={"code": "rate", "message": "s"}, headers={"Retry-After": "3"}))
    server.script(Reply(200, json=FEEDBACK_JSON))
    runner = make_runner()
    response = await runner.request(GET_ITEM, path_params={"item_id": "1"})
    assert isinstance(response.parse(), Feedback)
    assert response.retries_taken == 1
    assert runner.sleeps == [3.0]
    assert len(server.requests) == 2


async def test_500_500_200_idempotent(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(500, "boom"), Reply(500, "boom"), Reply(200, json=FEEDBACK_JSON))
    runner = make_runner()
    response = await runner.request(GET_ITEM, path_params={"item_id": "1"})
    assert response.parse().feedback_id == "f1"
    assert response.retries_taken == 2
    assert len(server.requests) == 3
    # Exponential backoff with up to 25% downward jitter.
    assert 0.375 <= runner.sleeps[0] <= 0.5
    assert 0.75 <= runner.sleeps[1] <= 1.0


async def test_retries_exhausted_raises_last_status(server: ScriptedServer, make_runner: MakeRunner):
    server.script(*[Reply(503, json={"code": "x", "message": "down"})] * 3)
    runner = make_runner()
    with pytest.raises(InternalServerError) as info:
        await runner.request(GET_ITEM, path_params={"item_id": "1"})
    assert info.value.status_code == 503
    assert len(server.requests) == 3


async def test_connection_reset_idempotent_is_retried(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(reset=True), Reply(200, json=FEEDBACK_JSON))
    runner = make_runner()
    response = await runner.request(GET_ITEM, path_params={"item_id": "1"})
    assert response.status_code == 200
    assert len(server.requests) == 2


async def test_connection_reset_without_retries(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(reset=True))
    runner = make_runner(max_retries=0)
    with pytest.raises(APIConnectionError) as info:
        await runner.request(GET_ITEM, path_params={"item_id": "1"})
    assert not isinstance(info.value, APITimeoutError)
    assert f"GET {server.url}/v1/items/1: connection error" in str(info.value)


async def test_read_timeout_idempotent_retried(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(200, json=FEEDBACK_JSON, delay=0.6), Reply(200, json=FEEDBACK_JSON))
    runner = make_runner(timeout=0.2)
    response = await runner.request(GET_ITEM, path_params={"item_id": "1"})
    assert response.retries_taken == 1
    assert len(server.requests) == 2


async def test_read_timeout_raises_timeout_error(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(200, json=FEEDBACK_JSON, delay=0.6))
    runner = make_runner()
    with pytest.raises(APITimeoutError):
        await runner.request(GET_ITEM, path_params={"item_id": "1"}, timeout=0.2, max_retries=0)


async def test_malformed_json_on_200(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(200, '{"feedbackId": "f1", ', headers={"Content-Type": "application/json"}))
    runner = make_runner()
    response = await runner.request(GET_ITEM, path_params={"item_id": "1"})
    with pytest.raises(APIResponseValidationError) as info:
        response.parse()
    assert info.value.status_code == 200
    assert len(server.requests) == 1


async def test_html_error_page_on_502(server: ScriptedServer, make_runner: MakeRunner):
    page = "<html><body>" + "Bad gateway " * 100 + "</body></html>"
    server.script(Reply(502, page, headers={"Content-Type": "text/html"}))
    runner = make_runner(max_retries=0)
    with pytest.raises(InternalServerError) as info:
        await runner.request(GET_ITEM, path_params={"item_id": "1"})
    err = info.value
    assert err.status_code == 502
    assert err.error is None  # not JSON, so no typed body
    assert err.text == page
    assert str(err).startswith(f"GET {server.url}/v1/items/1 -> 502 Bad Gateway: <html>")
    assert len(str(err)) < 600


async def test_non_idempotent_post_500_sent_once(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(500, json={"code": "oops", "message": "internal"}))
    runner = make_runner(max_retries=5)
    with pytest.raises(InternalServerError) as info:
        await runner.request(CREATE_FEEDBACK, **POST_ARGS)
    assert info.value.error.code == "oops"
    assert len(server.requests) == 1
    assert runner.sleeps == []


async def test_non_idempotent_post_read_timeout_sent_once(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(201, json=FEEDBACK_JSON, delay=0.6))
    runner = make_runner(timeout=0.2, max_retries=5)
    with pytest.raises(APITimeoutError):
        await runner.request(CREATE_FEEDBACK, **POST_ARGS)
    assert len(server.requests) == 1


async def test_non_idempotent_post_reset_sent_once(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(reset=True))
    runner = make_runner(max_retries=5)
    with pytest.raises(APIConnectionError):
        await runner.request(CREATE_FEEDBACK, **POST_ARGS)
    assert len(server.requests) == 1


async def test_non_idempotent_post_connect_failure_is_retried(make_runner: MakeRunner):
    port = free_port()
    started: list[ScriptedServer] = []
    runner = make_runner(base_url=f"http://127.0.0.1:{port}")

    def start_server_on_first_sleep(_seconds: float) -> None:
        # Nothing listened during the first attempt; the retry finds a server.
        if not started:
            srv = ScriptedServer(port)
            srv.script(Reply(201, json=FEEDBACK_JSON))
            started.append(srv)

    runner.on_sleep = start_server_on_first_sleep
    try:
        response = await runner.request(CREATE_FEEDBACK, **POST_ARGS)
        assert response.status_code == 201
        assert response.retries_taken == 1
        assert len(started[0].requests) == 1
    finally:
        for srv in started:
            srv.stop()


async def test_connect_failure_exhausted(make_runner: MakeRunner):
    runner = make_runner(base_url=f"http://127.0.0.1:{free_port()}", max_retries=2)
    with pytest.raises(APIConnectionError) as info:
        await runner.request(CREATE_FEEDBACK, **POST_ARGS)
    assert len(runner.sleeps) == 2
    assert "ConnectError" in str(info.value)


async def test_non_idempotent_429_is_retried(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(429, json={"code": "r", "message": "m"}), Reply(201, json=FEEDBACK_JSON))
    runner = make_runner()
    response = await runner.request(CREATE_FEEDBACK, **POST_ARGS)
    assert response.status_code == 201
    assert len(server.requests) == 2


async def test_non_idempotent_503_retried_only_with_retry_after(server: ScriptedServer, make_runner: MakeRunner):
    server.script(
        Reply(503, json={"code": "d", "message": "m"}, headers={"Retry-After": "1"}),
        Reply(503, json={"code": "d", "message": "m"}),
    )
    runner = make_runner(max_retries=5)
    with pytest.raises(InternalServerError):
        await runner.request(CREATE_FEEDBACK, **POST_ARGS)
    assert len(server.requests) == 2
    assert runner.sleeps == [1.0]


async def test_429_exhausted_is_rate_limit_error(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(429, json={"code": "r", "message": "m"}, headers={"retry-after-ms": "10"}))
    runner = make_runner(max_retries=0)
    with pytest.raises(RateLimitError):
        await runner.request(GET_ITEM, path_params={"item_id": "1"})


async def test_redirect_is_not_followed(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(302, headers={"Location": "http://198.51.100.7/steal"}))
    runner = make_runner()
    with pytest.raises(APIStatusError) as info:
        await runner.request(GET_ITEM, path_params={"item_id": "1"})
    assert info.value.status_code == 302
    assert len(server.requests) == 1
