"""What goes on the wire: paths, query, headers, bodies, and refusals before sending."""

from __future__ import annotations

import gzip
import json

import pytest
from conftest import MakeRunner
from models import CREATE_FEEDBACK, FEEDBACK_JSON, GET_ITEM, FeedbackRequest, Rating
from runtime_server import SECRET, Reply, ScriptedServer

from generator.runtime import NOT_GIVEN, RequestValidationError, build_body


@pytest.mark.parametrize(
    ("value", "raw_segment"),
    [
        ("a b/c?d", "a%20b%2Fc%3Fd"),
        ("../x", "..%2Fx"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("é#%", "%C3%A9%23%25"),
    ],
)
async def test_path_param_is_one_segment(server: ScriptedServer, make_runner: MakeRunner, value: str, raw_segment: str):
    server.script(Reply(200, json=FEEDBACK_JSON))
    runner = make_runner()
    await runner.request(GET_ITEM, path_params={"item_id": value})
    assert server.requests[0].path == f"/v1/items/{raw_segment}"


async def test_query_and_headers(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(200, json=FEEDBACK_JSON))
    runner = make_runner(default_headers={"Assistant-Name": "helper"}, user_agent="ua/1")
    await runner.request(
        GET_ITEM,
        path_params={"item_id": "1"},
        query={
            "tag": ["a", "b c"],
            "flag": True,
            "skip": NOT_GIVEN,
            "none": None,
            "r": Rating.thumbs_up,
        },
        headers={"X-Trace": "t1", "X-Omitted": NOT_GIVEN},
        extra_headers={"X-Extra": "e"},
    )
    seen = server.requests[0]
    assert seen.path == "/v1/items/1?tag=a&tag=b%20c&flag=true&r=thumbs_up"
    assert seen.headers["assistant-name"] == "helper"
    assert seen.headers["authorization"] == f"Bearer {SECRET}"
    assert seen.headers["x-trace"] == "t1"
    assert "x-omitted" not in seen.headers
    assert seen.headers["x-extra"] == "e"
    assert seen.headers["user-agent"] == "ua/1"
    assert seen.headers["accept"] == "application/json"


async def test_json_body_omitted_vs_none(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(201, json=FEEDBACK_JSON), Reply(201, json=FEEDBACK_JSON))
    runner = make_runner()
    omitted = build_body(FeedbackRequest, {"message_id": "m1", "rating": NOT_GIVEN})
    explicit_none = build_body(FeedbackRequest, {"message_id": "m1", "rating": None})
    for body in (omitted, explicit_none):
        await runner.request(CREATE_FEEDBACK, path_params={"conversation_id": "c"}, json_body=body)
    assert server.requests[0].json() == {"messageId": "m1"}
    assert server.requests[1].json() == {"messageId": "m1", "rating": None}
    assert server.requests[0].headers["content-type"] == "application/json"


async def test_204_parses_to_none(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(204))
    runner = make_runner()
    response = await runner.request(CREATE_FEEDBACK, path_params={"conversation_id": "c"}, json_body={"messageId": "m"})
    assert response.parse() is None
    assert response.content == b""


async def test_invalid_body_refused_before_sending(server: ScriptedServer, make_runner: MakeRunner):
    make_runner()
    with pytest.raises(RequestValidationError) as info:
        build_body(FeedbackRequest, {"message_id": "m1", "comment": "x" * 51, "rating": "meh"})
    message = str(info.value)
    assert "rating" in message and "comment" in message
    assert "meh" not in message  # input values are not echoed
    assert server.requests == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"extra_headers": {"X-Evil": "a\r\nX-Injected: 1"}},
        {"extra_headers": {"X-Evil": "a\nb"}},
        {"extra_headers": {"X-Evil": "a\0b"}},
        {"extra_headers": {"Bad Name": "v"}},
        {"headers": {"X-Trace": "a\r\nb"}},
        {"path_params": {"item_id": ""}},
        {"path_params": {}},
        {"path_params": {"item_id": "1", "other": "2"}},
    ],
)
async def test_refused_before_sending(server: ScriptedServer, make_runner: MakeRunner, kwargs: dict[str, object]):
    runner = make_runner()
    kwargs.setdefault("path_params", {"item_id": "1"})
    with pytest.raises(RequestValidationError) as info:
        await runner.request(GET_ITEM, **kwargs)
    assert "\r" not in str(info.value)
    assert server.requests == []


async def test_crlf_in_auth_header_refused_at_construction(make_runner: MakeRunner):
    with pytest.raises(RequestValidationError) as info:
        make_runner(auth_headers={"Authorization": f"Bearer {SECRET}\r\nX: y"})
    assert SECRET not in str(info.value)


async def test_non_json_serialisable_body_refused(server: ScriptedServer, make_runner: MakeRunner):
    runner = make_runner()
    with pytest.raises(RequestValidationError):
        await runner.request(CREATE_FEEDBACK, path_params={"conversation_id": "c"}, json_body={"x": object()})
    assert server.requests == []


async def test_response_accessors(server: ScriptedServer, make_runner: MakeRunner):
    server.script(Reply(200, json=FEEDBACK_JSON, headers={"X-Request-Id": "abc"}))
    runner = make_runner()
    response = await runner.request(GET_ITEM, path_params={"item_id": "1"})
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "abc"
    assert response.json() == FEEDBACK_JSON
    assert response.text.startswith("{")
    assert response.http_response.request.method == "GET"
    assert response.elapsed.total_seconds() >= 0
    assert response.retries_taken == 0
    assert response.parse() is response.parse()  # parsed once, cached


async def test_compressed_body_decoded_once_headers_as_sent(server: ScriptedServer, make_runner: MakeRunner):
    body = gzip.compress(json.dumps(FEEDBACK_JSON).encode())
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip", "X-Request-Id": "abc"}
    server.script(Reply(200, body=body, headers=headers))
    response = await make_runner().request(GET_ITEM, path_params={"item_id": "1"})
    assert response.json() == FEEDBACK_JSON
    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["content-length"] == str(len(body))
    assert response.http_response.is_closed
    assert response.http_response.reason_phrase == "OK"  # from the transport's extensions
    assert response.elapsed.total_seconds() > 0
