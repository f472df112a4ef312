"""Typed status errors and secret hygiene in reprs and messages."""

from __future__ import annotations

import httpx
import pytest
from conftest import MakeRunner
from models import CREATE_FEEDBACK, GET_ITEM, ErrorBody, ValidationErrorBody
from runtime_server import SECRET, Reply, ScriptedServer, free_port

from generator.runtime import (
    APIConnectionError,
    APIError,
    APIStatusError,
    AsyncAPIClient,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    SyncAPIClient,
    UnprocessableEntityError,
    basic_auth,
    make_status_error,
)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, InternalServerError),
        (418, APIStatusError),
    ],
)
async def test_status_errors_carry_typed_body(
    server: ScriptedServer, make_runner: MakeRunner, status: int, cls: type[APIStatusError]
):
    server.script(Reply(status, json={"code": f"E{status}", "message": "nope"}, headers={"X-Request-Id": "r1"}))
    runner = make_runner(max_retries=0)
    with pytest.raises(cls) as info:
        await runner.request(GET_ITEM, path_params={"item_id": "42"})
    err = info.value
    assert type(err) is cls
    assert err.status_code == status
    assert isinstance(err.error, ErrorBody)  # exact, then "4XX", then "default"
    assert err.error.code == f"E{status}"
    assert err.request_id == "r1"
    assert err.body.startswith(b"{")
    assert isinstance(err.headers, httpx.Headers)
    assert str(err).startswith(f"GET {server.url}/v1/items/42 -> {status} ")
    assert SECRET not in str(err)


async def test_422_uses_its_own_model(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(422, json={"detail": [{"loc": ["body"], "msg": "bad"}]}))
    runner = make_runner()
    with pytest.raises(UnprocessableEntityError) as info:
        await runner.request(GET_ITEM, path_params={"item_id": "42"})
    assert isinstance(info.value.error, ValidationErrorBody)
    assert len(server.requests) == 1  # 4xx other than 408/429 is never retried


async def test_message_format_and_truncation(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(404, "x" * 2000))
    runner = make_runner()
    with pytest.raises(NotFoundError) as info:
        await runner.request(CREATE_FEEDBACK, path_params={"conversation_id": "c9"})
    message = str(info.value)
    url = f"{server.url}/v1/conversations/c9/feedback"
    assert message == f"POST {url} -> 404 Not Found: " + ("x" * 500 + "...")
    assert info.value.error is None  # body is not JSON


async def test_echoed_secret_is_redacted(server: ScriptedServer, make_runner: MakeRunner):
    # Some gateways echo request headers in error pages.
    server.script(Reply(401, f"invalid token Bearer {SECRET} for user"))
    runner = make_runner()
    with pytest.raises(AuthenticationError) as info:
        await runner.request(GET_ITEM, path_params={"item_id": "1"})
    assert SECRET not in str(info.value)
    assert "***" in str(info.value)
    assert server.requests[0].headers["authorization"] == f"Bearer {SECRET}"


async def test_an_echoed_basic_password_is_redacted(server: ScriptedServer, make_runner: MakeRunner):
    # A server that names the password it rejected, in its own words and not as the header.
    password = "correct-horse-battery"
    server.script(Reply(401, f"password {password} is wrong for user alice"))
    runner = make_runner(auth_headers={"Authorization": basic_auth("alice", password)})
    with pytest.raises(AuthenticationError) as info:
        await runner.request(GET_ITEM, path_params={"item_id": "1"})
    assert password not in str(info.value)
    assert "password *** is wrong for user alice" in str(info.value)  # a short user name stays readable


async def test_secret_not_in_repr_or_connection_errors(make_runner: MakeRunner):
    runner = make_runner(base_url=f"http://127.0.0.1:{free_port()}", max_retries=0)
    name = type(runner.client).__name__
    assert repr(runner.client) == f"{name}(base_url={runner.client.base_url!r})"
    with pytest.raises(APIConnectionError) as info:
        await runner.request(GET_ITEM, path_params={"item_id": "1"})
    assert SECRET not in str(info.value)
    assert SECRET not in repr(info.value)


def test_repr_hides_userinfo_in_base_url():
    client = SyncAPIClient(base_url="https://user:pw@api.example.com/v1")
    assert repr(client) == "SyncAPIClient(base_url='https://api.example.com/v1')"
    client.close()


async def test_async_repr():
    async with AsyncAPIClient(base_url="https://api.example.com", auth_headers={"xi-api-key": SECRET}) as client:
        assert repr(client) == "AsyncAPIClient(base_url='https://api.example.com')"


def test_make_status_error_directly():
    request = httpx.Request("POST", "https://api.example.com/v1/x/abc/feedback")
    response = httpx.Response(409, json={"code": "dup", "message": "exists"}, request=request)
    err = make_status_error(response, ErrorBody)
    assert isinstance(err, ConflictError)
    assert isinstance(err, APIError)
    assert err.error == ErrorBody(code="dup", message="exists")
    assert str(err).startswith("POST https://api.example.com/v1/x/abc/feedback -> 409 Conflict: {")
    plain = make_status_error(httpx.Response(599, request=request))
    assert type(plain) is InternalServerError
    assert str(plain) == "POST https://api.example.com/v1/x/abc/feedback -> 599"


async def test_debug_logs_never_contain_secrets(
    server: ScriptedServer, make_runner: MakeRunner, caplog: pytest.LogCaptureFixture
):
    server.script(Reply(500, f"echo {SECRET}"), Reply(200, json={"x": 1}))
    runner = make_runner()
    with caplog.at_level("DEBUG"):
        await runner.request(GET_ITEM, path_params={"item_id": "1"})
    assert "Retrying GET /v1/items/{item_id}" in caplog.text
    assert SECRET not in caplog.text
