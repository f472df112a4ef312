"""Each generated vendor client, sync and async, against a server that checks requests against the spec."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.clients.conftest import SECRETS, VENDORS, MakeClient, package, run
from tests.clients.spec_server import Reply, SpecServer

Servers = Callable[[str], SpecServer]

PRODUCT = "5f0c7c8e-1111-4222-8333-944445555666"
CONVERSATION = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"

ALGOLIA_CREATED = {
    "id": "fb-1",
    "agentId": "agent-1",
    "messageId": "msg-1",
    "vote": 1,
    "tags": ["helpful", "fast"],
    "notes": "great",
    "createdAt": "2025-01-01T00:00:00Z",
    "updatedAt": "2025-01-01T00:00:00Z",
}
CLARITYQ_STORED = {
    "conversation_id": CONVERSATION,
    "updated_at": "2025-01-01T12:00:00Z",
    "rating": "POSITIVE",
    "comment": "spot on",
}

# One valid call per vendor, and the reply that makes it succeed.
SUCCESS: dict[str, tuple[Callable[..., Any], Reply]] = {
    "elevenlabs": (
        lambda c, **kw: c.conversational_ai.conversations.feedback.create("conv_1", feedback="like", **kw),
        Reply(200, json={"status": "ok"}),
    ),
    "moveworks": (
        lambda c, **kw: c.messages.submit_feedback("conv_1", "resp_1", "msg_1", callback_id="cb-1", **kw),
        Reply(200, json={"status": "SUBMITTED"}),
    ),
    "algolia": (
        lambda c, **kw: c.feedback.create_feedback(agent_id="agent-1", message_id="msg-1", vote=1, **kw),
        Reply(201, json=ALGOLIA_CREATED),
    ),
    "clarityq": (
        lambda c, **kw: c.feedback.submit_conversation_feedback(PRODUCT, CONVERSATION, rating="POSITIVE", **kw),
        Reply(200, json=CLARITYQ_STORED),
    ),
}


def setup(servers: Servers, make_client: MakeClient, vendor: str, **kwargs: Any) -> tuple[SpecServer, Any]:
    srv = servers(vendor)
    return srv, make_client(vendor, srv.url, **kwargs)


# --- success paths -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "sent"),
    [({"feedback": "like"}, {"feedback": "like"}), ({"feedback": None}, {"feedback": None}), ({}, {})],
    ids=["like", "null", "omitted"],
)
async def test_elevenlabs_feedback(servers: Servers, make_client: MakeClient, kwargs: Any, sent: Any) -> None:
    srv, client = setup(servers, make_client, "elevenlabs")
    srv.script(Reply(200, json={"status": "ok"}))
    result = await run(client.conversational_ai.conversations.feedback.create("conv_123", **kwargs))
    assert result == {"status": "ok"}
    assert srv.violations == []
    [req] = srv.requests
    assert req.json() == sent
    assert req.path_params == {"conversation_id": "conv_123"}
    assert req.headers["content-type"] == "application/json"


async def test_elevenlabs_feedback_enum_member(servers: Servers, make_client: MakeClient) -> None:
    srv, client = setup(servers, make_client, "elevenlabs")
    models = package("elevenlabs").models
    srv.script(Reply(200, json={}))
    await run(client.conversational_ai.conversations.feedback.create("c", feedback=models.UserFeedbackScore.dislike))
    assert srv.violations == []
    assert srv.requests[0].json() == {"feedback": "dislike"}


async def test_moveworks_submit_feedback(servers: Servers, make_client: MakeClient) -> None:
    srv, client = setup(servers, make_client, "moveworks", assistant_name="helpdesk-bot")
    srv.expect_headers["assistant-name"] = "helpdesk-bot"
    models = package("moveworks").models
    srv.script(Reply(200, json={"status": "SUBMITTED"}), Reply(200, json={"status": "SUBMITTED"}))
    for _ in range(2):
        result = await run(
            client.messages.submit_feedback(
                "conv_1a2b", "resp_3c4d", "msg_5e6f", callback_id="opaque+cb/==", additional_feedback="wrong answer"
            )
        )
        assert isinstance(result, models.SubmitFeedbackResponse)
        assert result.status == models.SubmitFeedbackResponseStatus.submitted
    assert srv.violations == []
    for req in srv.requests:
        assert req.json() == {"callback_id": "opaque+cb/==", "additional_feedback": "wrong answer"}
        assert req.headers["assistant-name"] == "helpdesk-bot"
        assert req.path_params == {"conversation_id": "conv_1a2b", "response_id": "resp_3c4d", "message_id": "msg_5e6f"}


async def test_algolia_create_feedback(servers: Servers, make_client: MakeClient) -> None:
    srv, client = setup(servers, make_client, "algolia")
    models = package("algolia").models
    srv.script(Reply(201, json=ALGOLIA_CREATED))
    result = await run(
        client.feedback.create_feedback(
            agent_id="agent-1", message_id="msg-1", vote=1, tags=["helpful", "fast"], notes="great"
        )
    )
    assert isinstance(result, models.FeedbackResponse)
    assert (result.id, result.agent_id, result.vote, result.tags) == ("fb-1", "agent-1", 1, ["helpful", "fast"])
    assert srv.violations == []
    assert srv.requests[0].json() == {
        "agentId": "agent-1",
        "messageId": "msg-1",
        "vote": 1,
        "tags": ["helpful", "fast"],
        "notes": "great",
    }


async def test_algolia_vote_enum_member(servers: Servers, make_client: MakeClient) -> None:
    srv, client = setup(servers, make_client, "algolia")
    models = package("algolia").models
    srv.script(Reply(201, json={**ALGOLIA_CREATED, "vote": 0}))
    await run(client.feedback.create_feedback(agent_id="a", message_id="m", vote=models.VoteEnum.downvote))
    assert srv.violations == []
    assert srv.requests[0].json()["vote"] == 0


async def test_algolia_base_url_from_application_id(mode: str, vendor_env: None) -> None:
    pkg = package("algolia")
    cls = pkg.Client if mode == "sync" else pkg.AsyncClient
    client = cls(application_id="myapp")
    try:
        assert client.base_url == "https://myapp.algolia.net/agent-studio"
        assert "https://myapp.algolia.net/agent-studio" in repr(client)
        assert SECRETS["algolia"] not in repr(client)
    finally:
        if mode == "sync":
            client.close()
        else:
            await client.aclose()


@pytest.mark.parametrize(
    ("kwargs", "sent"),
    [
        ({"rating": "POSITIVE", "comment": "spot on"}, {"rating": "POSITIVE", "comment": "spot on"}),
        ({"rating": None}, {"rating": None}),
        ({"comment": "only a comment"}, {"comment": "only a comment"}),
    ],
    ids=["rating+comment", "clear-rating", "comment-only"],
)
async def test_clarityq_submit(servers: Servers, make_client: MakeClient, kwargs: Any, sent: Any) -> None:
    srv, client = setup(servers, make_client, "clarityq")
    models = package("clarityq").models
    srv.script(Reply(200, json=CLARITYQ_STORED))
    result = await run(client.feedback.submit_conversation_feedback(PRODUCT, CONVERSATION, **kwargs))
    assert isinstance(result, models.FeedbackResponse)
    assert result.conversation_id == uuid.UUID(CONVERSATION)
    assert result.rating == "POSITIVE"
    assert srv.violations == []
    [req] = srv.requests
    assert req.method == "PUT"
    assert req.json() == sent
    assert req.path_params == {"product_id": PRODUCT, "conversation_id": CONVERSATION}


# --- documented error statuses -------------------------------------------------------------

VALIDATION_BODY = {"detail": [{"loc": ["body", "vote"], "msg": "Input should be 0 or 1", "type": "enum"}]}


def _mw_error(code: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": f"{code.lower()} happened"}}


ERRORS = [
    # vendor, status, exception class, error model (None: spec declares no body), body
    ("moveworks", 400, "BadRequestError", "InvalidFeedbackErrorResponse", _mw_error("INVALID_REQUEST")),
    ("moveworks", 404, "NotFoundError", "NotFoundErrorResponse", _mw_error("NOT_FOUND")),
    ("moveworks", 429, "RateLimitError", "RateLimitExceededErrorResponse", _mw_error("RATE_LIMIT_EXCEEDED")),
    ("moveworks", 500, "InternalServerError", "InternalErrorResponse", _mw_error("INTERNAL_ERROR")),
    ("algolia", 422, "UnprocessableEntityError", "HTTPValidationError", VALIDATION_BODY),
    ("clarityq", 422, "UnprocessableEntityError", "HTTPValidationError", VALIDATION_BODY),
    ("clarityq", 409, "ConflictError", None, {"detail": "answer not ready"}),
    ("elevenlabs", 422, "UnprocessableEntityError", None, VALIDATION_BODY),
]


@pytest.mark.parametrize(
    ("vendor", "status", "exc_name", "model_name", "body"), ERRORS, ids=[f"{e[0]}-{e[1]}" for e in ERRORS]
)
async def test_documented_error_status(
    servers: Servers,
    make_client: MakeClient,
    vendor: str,
    status: int,
    exc_name: str,
    model_name: str | None,
    body: Any,
) -> None:
    srv, client = setup(servers, make_client, vendor)
    pkg = package(vendor)
    call, _ = SUCCESS[vendor]
    srv.script(Reply(status, json=body, headers={"X-Request-Id": "req-42"}))
    with pytest.raises(getattr(pkg, exc_name)) as info:
        await run(call(client, max_retries=0))
    exc = info.value
    assert isinstance(exc, pkg.APIStatusError)
    assert exc.status_code == status
    assert exc.headers["x-request-id"] == "req-42"
    assert exc.request_id == "req-42"
    assert exc.body == json.dumps(body).encode()
    assert len(srv.requests) == 1
    if model_name is None:
        assert exc.error is None
    else:
        model = getattr(pkg.models, model_name)
        assert isinstance(exc.error, model)
        assert exc.error.model_dump(mode="json", by_alias=True, exclude_none=True) == body
    assert srv.violations == []


# --- refused before sending ----------------------------------------------------------------

REFUSED = [
    ("algolia", lambda c: c.feedback.create_feedback(agent_id="a", message_id="m", vote=1, notes="n" * 1001), "notes"),
    (
        "algolia",
        lambda c: c.feedback.create_feedback(agent_id="a", message_id="m", vote=1, tags=[f"t{i}" for i in range(11)]),
        "tags",
    ),
    ("algolia", lambda c: c.feedback.create_feedback(agent_id="a", message_id="m", vote=2), "vote"),
    ("algolia", lambda c: c.feedback.create_feedback(agent_id="a", message_id="m", vote=1, tags=["x" * 51]), "tags"),
    ("clarityq", lambda c: c.feedback.submit_conversation_feedback(PRODUCT, CONVERSATION), "at least 1"),
    ("clarityq", lambda c: c.feedback.submit_conversation_feedback(PRODUCT, CONVERSATION, comment="c" * 2001), "2000"),
    ("clarityq", lambda c: c.feedback.submit_conversation_feedback(PRODUCT, CONVERSATION, rating="MEH"), "rating"),
    ("elevenlabs", lambda c: c.conversational_ai.conversations.feedback.create("c", feedback="love"), "feedback"),
    ("elevenlabs", lambda c: c.conversational_ai.conversations.feedback.create(""), "conversation_id"),
]


@pytest.mark.parametrize(
    ("vendor", "call", "mentions"),
    REFUSED,
    ids=[
        "algolia-notes-1001",
        "algolia-11-tags",
        "algolia-vote-2",
        "algolia-tag-51",
        "clarityq-empty",
        "clarityq-comment-2001",
        "clarityq-bad-rating",
        "elevenlabs-bad-enum",
        "elevenlabs-empty-path-param",
    ],
)
async def test_refused_before_sending(
    servers: Servers, make_client: MakeClient, vendor: str, call: Callable[[Any], Any], mentions: str
) -> None:
    srv, client = setup(servers, make_client, vendor)
    pkg = package(vendor)
    with pytest.raises(pkg.RequestValidationError) as info:
        await run(call(client))
    assert mentions in str(info.value)
    assert srv.requests == []


# --- credentials -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("vendor", "env_var", "argument"),
    [
        ("elevenlabs", "ELEVENLABS_API_KEY", "api_key"),
        ("moveworks", "MOVEWORKS_ACCESS_TOKEN", "access_token"),
        ("moveworks", "MOVEWORKS_ASSISTANT_NAME", "assistant_name"),
        ("algolia", "ALGOLIA_APPLICATION_ID", "application_id"),
        ("algolia", "ALGOLIA_API_KEY", "api_key"),
        ("clarityq", "CLARITYQ_API_KEY", "api_key"),
    ],
)
def test_missing_credential(
    mode: str, vendor_env: None, monkeypatch: pytest.MonkeyPatch, vendor: str, env_var: str, argument: str
) -> None:
    monkeypatch.delenv(env_var)
    pkg = package(vendor)
    cls = pkg.Client if mode == "sync" else pkg.AsyncClient
    with pytest.raises(pkg.MissingCredentialError) as info:
        cls(base_url="http://127.0.0.1:9")
    assert info.value.env_var == env_var
    assert info.value.argument == argument
    assert env_var in str(info.value)
    for secret in SECRETS.values():
        assert secret not in str(info.value)


@pytest.mark.parametrize("vendor", list(VENDORS))
async def test_credentials_read_from_env_at_construction(
    servers: Servers, make_client: MakeClient, monkeypatch: pytest.MonkeyPatch, vendor: str
) -> None:
    srv, client = setup(servers, make_client, vendor)
    # Changing the environment after construction changes nothing.
    for key in VENDORS[vendor].env:
        monkeypatch.setenv(key, "changed-later")
    call, reply = SUCCESS[vendor]
    srv.script(reply)
    await run(call(client))
    assert srv.violations == []  # includes the exact credential values (expect_headers)


@pytest.mark.parametrize("vendor", list(VENDORS))
async def test_secrets_not_in_repr_or_errors(servers: Servers, make_client: MakeClient, vendor: str) -> None:
    srv, client = setup(servers, make_client, vendor)
    pkg = package(vendor)
    secrets = [v for k, v in VENDORS[vendor].env.items() if "KEY" in k or "TOKEN" in k]
    # A server that echoes the credential back in an error page.
    srv.script(Reply(400, body=f"bad key {' and '.join(secrets)}", headers={"Content-Type": "text/plain"}))
    call, _ = SUCCESS[vendor]
    with pytest.raises(pkg.APIStatusError) as info:
        await run(call(client, max_retries=0))
    for secret in secrets:
        assert secret not in repr(client)
        assert secret not in str(client)
        assert secret not in str(info.value)
        assert secret not in repr(info.value)
    assert "bad key" in str(info.value)


# --- path parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["a b/c?d", "../x", "..", ".", "%2F", "#frag", "ü/é"])
async def test_path_parameter_stays_in_one_segment(servers: Servers, make_client: MakeClient, value: str) -> None:
    srv, client = setup(servers, make_client, "moveworks")
    srv.script(Reply(200, json={"status": "SUBMITTED"}))
    await run(client.messages.submit_feedback(value, "resp", value, callback_id="cb"))
    assert srv.violations == []
    [req] = srv.requests
    assert req.path_params == {"conversation_id": value, "response_id": "resp", "message_id": value}
    assert req.query == {}


async def test_elevenlabs_path_parameter_encoded(servers: Servers, make_client: MakeClient) -> None:
    srv, client = setup(servers, make_client, "elevenlabs")
    srv.script(Reply(200, json={}), Reply(200, json={}))
    await run(client.conversational_ai.conversations.feedback.create("a b/c?d", feedback="like"))
    await run(client.conversational_ai.conversations.feedback.create("../x", feedback="like"))
    assert srv.violations == []
    assert [r.path_params["conversation_id"] for r in srv.requests] == ["a b/c?d", "../x"]
    assert srv.requests[0].path == "/v1/convai/conversations/a%20b%2Fc%3Fd/feedback"


# --- per-call options -----------------------------------------------------------------------------


@pytest.mark.parametrize("vendor", list(VENDORS))
async def test_extra_headers_per_call(servers: Servers, make_client: MakeClient, vendor: str) -> None:
    srv, client = setup(servers, make_client, vendor)
    call, reply = SUCCESS[vendor]
    srv.script(reply, reply)
    await run(call(client, extra_headers={"X-Trace-Id": "trace-1"}))
    await run(call(client))
    assert srv.violations == []
    assert srv.requests[0].headers["x-trace-id"] == "trace-1"
    assert "x-trace-id" not in srv.requests[1].headers


async def test_default_headers_on_client(servers: Servers, make_client: MakeClient) -> None:
    srv, client = setup(servers, make_client, "clarityq", default_headers={"X-Team": "growth"})
    call, reply = SUCCESS["clarityq"]
    srv.script(reply)
    await run(call(client))
    assert srv.violations == []
    assert srv.requests[0].headers["x-team"] == "growth"


async def test_per_call_timeout(servers: Servers, make_client: MakeClient) -> None:
    srv, client = setup(servers, make_client, "algolia")
    pkg = package("algolia")
    srv.script(Reply(201, json=ALGOLIA_CREATED, delay=0.5))
    call, _ = SUCCESS["algolia"]
    with pytest.raises(pkg.APITimeoutError):
        await run(call(client, timeout=0.1))
    assert len(srv.requests) == 1  # a read timeout on a non-idempotent POST is not retried


@pytest.mark.parametrize(("max_retries", "attempts"), [(0, 1), (1, 2), (3, 4)])
async def test_per_call_max_retries(servers: Servers, make_client: MakeClient, max_retries: int, attempts: int) -> None:
    srv, client = setup(servers, make_client, "clarityq")
    pkg = package("clarityq")
    srv.script(*[Reply(503, body="busy") for _ in range(5)])
    call, _ = SUCCESS["clarityq"]
    with pytest.raises(pkg.InternalServerError):
        await run(call(client, max_retries=max_retries))
    assert len(srv.requests) == attempts
    assert len(client.sleeps) == attempts - 1
    assert srv.violations == []


async def test_client_max_retries_default(servers: Servers, make_client: MakeClient) -> None:
    srv, client = setup(servers, make_client, "clarityq", max_retries=0)
    pkg = package("clarityq")
    srv.script(Reply(500, body="x"), Reply(200, json=CLARITYQ_STORED))
    call, _ = SUCCESS["clarityq"]
    with pytest.raises(pkg.InternalServerError):
        await run(call(client))
    assert len(srv.requests) == 1


# --- raw responses and lenient parsing ----------------------------------------------------------


@pytest.mark.parametrize("vendor", list(VENDORS))
async def test_with_raw_response(servers: Servers, make_client: MakeClient, vendor: str) -> None:
    srv, client = setup(servers, make_client, vendor)
    pkg = package(vendor)
    call, reply = SUCCESS[vendor]
    srv.script(Reply(reply.status, json=reply.json, headers={"X-Request-Id": "raw-1"}))
    raw = await run(call(client.with_raw_response))
    assert isinstance(raw, pkg.APIResponse)
    assert raw.status_code == reply.status
    assert raw.headers["x-request-id"] == "raw-1"
    assert raw.json() == reply.json
    assert json.loads(raw.content) == reply.json
    parsed = raw.parse()
    if vendor == "elevenlabs":
        assert parsed == reply.json
    else:
        assert parsed.model_dump(mode="json", by_alias=True, exclude_none=True) == reply.json
    assert srv.violations == []


async def test_resource_with_raw_response(servers: Servers, make_client: MakeClient) -> None:
    srv, client = setup(servers, make_client, "moveworks")
    srv.script(Reply(200, json={"status": "SUBMITTED"}))
    raw = await run(client.messages.with_raw_response.submit_feedback("c", "r", "m", callback_id="cb"))
    assert raw.status_code == 200
    assert raw.parse().status == "SUBMITTED"


UNEXPECTED = {
    "moveworks": {"status": "QUEUED", "eta_seconds": 3},
    "algolia": {**ALGOLIA_CREATED, "vote": 7, "sentiment": {"score": 0.9}},
    "clarityq": {**CLARITYQ_STORED, "rating": "NEUTRAL", "answer_id": "x"},
    "elevenlabs": {"anything": ["goes", 1, None]},
}


@pytest.mark.parametrize("vendor", list(VENDORS))
async def test_unknown_enum_values_and_extra_fields_parse(
    servers: Servers, make_client: MakeClient, vendor: str
) -> None:
    srv, client = setup(servers, make_client, vendor)
    call, reply = SUCCESS[vendor]
    body = UNEXPECTED[vendor]
    srv.script(Reply(reply.status, json=body))
    result = await run(call(client))
    if vendor == "moveworks":
        assert result.status == "QUEUED"
        assert result.model_extra == {"eta_seconds": 3} or getattr(result, "eta_seconds", None) == 3
    elif vendor == "algolia":
        assert result.vote == 7
        assert result.id == "fb-1"
    elif vendor == "clarityq":
        assert result.rating == "NEUTRAL"
    else:
        assert result == body


async def test_error_body_with_unknown_code_still_typed(servers: Servers, make_client: MakeClient) -> None:
    srv, client = setup(servers, make_client, "moveworks")
    pkg = package("moveworks")
    srv.script(Reply(400, json={"error": {"code": "CALLBACK_EXPIRED", "message": "too late"}, "trace": "t"}))
    with pytest.raises(pkg.BadRequestError) as info:
        await run(client.messages.submit_feedback("c", "r", "m", callback_id="cb"))
    assert isinstance(info.value.error, pkg.models.InvalidFeedbackErrorResponse)
    assert info.value.error.error.code == "CALLBACK_EXPIRED"
    assert info.value.error.error.message == "too late"
