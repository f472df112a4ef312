"""Positive, negative, cleared and commented feedback to every vendor through the one interface.

Requests go to the spec-checking loopback server of tests/clients/, which validates method,
path, credentials and JSON body against each vendor's spec; sync and async adapters alike.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from feedback import (
    AsyncFeedbackAdapter,
    FeedbackAdapter,
    FeedbackResult,
    Part,
    Rating,
    Target,
    UnsupportedFeedbackError,
)
from tests.clients.conftest import VENDORS, servers, vendor_env  # noqa: F401 - fixtures used via server_for
from tests.clients.spec_server import Reply, SpecServer

CONVERSATION = "9f1c2b4a-3d5e-4f6a-8b7c-1d2e3f4a5b6c"
PRODUCT = "5f0c7c8e-1111-4222-8333-944445555666"
TARGET = Target(
    conversation_id=CONVERSATION,
    message_id="msg_1",
    response_id="resp_1",
    agent_id="agent_1",
    product_id=PRODUCT,
    callbacks={Rating.POSITIVE: "cb-helpful", Rating.NEGATIVE: "cb-unhelpful"},
)
COMMENT = "Matched our dashboard exactly."

SUCCESS = {
    "elevenlabs": Reply(200, json={}),
    "moveworks": Reply(200, json={"status": "SUBMITTED"}),
    "algolia": Reply(
        201,
        json={
            "id": "fb_1",
            "agentId": "agent_1",
            "messageId": "msg_1",
            "vote": 1,
            "tags": [],
            "createdAt": "2026-07-01T12:34:56Z",
            "updatedAt": "2026-07-01T12:34:56Z",
        },
    ),
    "clarityq": Reply(200, json={"conversation_id": CONVERSATION, "updated_at": "2026-07-01T12:34:56Z"}),
}

# (vendor, rating, comment, tags) -> the JSON body the vendor must receive
CASES: list[tuple[str, Rating, str | None, list[str] | None, dict[str, Any]]] = [
    ("elevenlabs", Rating.POSITIVE, None, None, {"feedback": "like"}),
    ("elevenlabs", Rating.NEGATIVE, None, None, {"feedback": "dislike"}),
    ("elevenlabs", Rating.CLEARED, None, None, {"feedback": None}),
    ("moveworks", Rating.POSITIVE, None, None, {"callback_id": "cb-helpful"}),
    ("moveworks", Rating.NEGATIVE, None, None, {"callback_id": "cb-unhelpful"}),
    ("moveworks", Rating.NEGATIVE, COMMENT, None, {"callback_id": "cb-unhelpful", "additional_feedback": COMMENT}),
    ("algolia", Rating.POSITIVE, None, None, {"agentId": "agent_1", "messageId": "msg_1", "vote": 1}),
    ("algolia", Rating.NEGATIVE, None, None, {"agentId": "agent_1", "messageId": "msg_1", "vote": 0}),
    (
        "algolia",
        Rating.POSITIVE,
        COMMENT,
        ["accurate", "fast"],
        {"agentId": "agent_1", "messageId": "msg_1", "vote": 1, "notes": COMMENT, "tags": ["accurate", "fast"]},
    ),
    ("clarityq", Rating.POSITIVE, None, None, {"rating": "POSITIVE"}),
    ("clarityq", Rating.NEGATIVE, None, None, {"rating": "NEGATIVE"}),
    ("clarityq", Rating.CLEARED, None, None, {"rating": None}),
    ("clarityq", Rating.POSITIVE, COMMENT, None, {"rating": "POSITIVE", "comment": COMMENT}),
]


@pytest.fixture
def server_for(request: pytest.FixtureRequest) -> Any:
    """A spec-checking server per vendor, credentials in the environment (tests/clients fixtures)."""
    request.getfixturevalue("vendor_env")
    return request.getfixturevalue("servers")


async def send(mode: str, vendor: str, server: SpecServer, rating: Rating, **kwargs: Any) -> FeedbackResult:
    package = importlib.import_module(f"generated.{vendor}")
    if mode == "sync":
        with package.Client(base_url=server.url, max_retries=0) as client:
            return FeedbackAdapter(client).send(TARGET, rating, **kwargs)
    async with package.AsyncClient(base_url=server.url, max_retries=0) as aclient:
        return await AsyncFeedbackAdapter(aclient).send(TARGET, rating, **kwargs)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("vendor", "rating", "comment", "tags", "body"), CASES)
async def test_feedback_reaches_vendor_as_its_spec_says(
    server_for: Any, mode: str, vendor: str, rating: Rating, comment: str | None, tags: list[str] | None, body: Any
) -> None:
    server = server_for(vendor)
    server.script(SUCCESS[vendor])
    result = await send(mode, vendor, server, rating, comment=comment, tags=tags)
    assert result.sent and result.dropped == ()
    assert [r.json() for r in server.requests] == [body]
    assert server.violations == []


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(
    ("vendor", "rating", "extra", "part", "body"),
    [
        ("elevenlabs", Rating.POSITIVE, {"comment": COMMENT}, Part.COMMENT, {"feedback": "like"}),
        ("algolia", Rating.CLEARED, {}, Part.RATING, None),
        ("moveworks", Rating.CLEARED, {}, Part.RATING, None),
        ("clarityq", Rating.NEGATIVE, {"tags": ["slow"]}, Part.TAGS, {"rating": "NEGATIVE"}),
    ],
)
async def test_unsupported_is_refused_then_dropped_only_on_request(
    server_for: Any, mode: str, vendor: str, rating: Rating, extra: dict[str, Any], part: Part, body: Any
) -> None:
    server = server_for(vendor)
    with pytest.raises(UnsupportedFeedbackError, match=part.value):
        await send(mode, vendor, server, rating, **extra)
    assert server.requests == []  # refused before anything went on the wire

    server.script(SUCCESS[vendor])
    result = await send(mode, vendor, server, rating, drop={part}, **extra)
    assert part in result.dropped
    assert result.sent is (body is not None)
    assert [r.json() for r in server.requests] == ([body] if body is not None else [])
    assert server.violations == []


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_moveworks_without_the_callback_id_is_refused(server_for: Any, mode: str) -> None:
    server = server_for("moveworks")
    target = Target(conversation_id="c", response_id="r", message_id="m", callbacks={Rating.POSITIVE: "cb"})
    package = importlib.import_module("generated.moveworks")
    with pytest.raises(UnsupportedFeedbackError, match="no callback id for negative"):
        if mode == "sync":
            with package.Client(base_url=server.url) as client:
                FeedbackAdapter(client).send(target, Rating.NEGATIVE)
        else:
            async with package.AsyncClient(base_url=server.url) as aclient:
                await AsyncFeedbackAdapter(aclient).send(target, Rating.NEGATIVE)
    assert server.requests == []


def run_cli(*args: str, env: dict[str, str]) -> Any:
    import os
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "feedback", "send", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
        check=False,
    )


def test_cli_sends_and_reports_drops(server_for: Any) -> None:
    import json

    clarityq = server_for("clarityq")
    clarityq.script(SUCCESS["clarityq"])
    env = VENDORS["clarityq"].env | VENDORS["elevenlabs"].env
    ok = run_cli(
        "clarityq", "--base-url", clarityq.url, "--product-id", PRODUCT, "--conversation-id", CONVERSATION,
        "--rating", "cleared", "--comment", COMMENT, env=env,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["sent"] is True
    assert [r.json() for r in clarityq.requests] == [{"rating": None, "comment": COMMENT}]

    eleven = server_for("elevenlabs")
    args = ["elevenlabs", "--base-url", eleven.url, "--conversation-id", "c1", "--rating", "positive"]
    refused = run_cli(*args, "--comment", "nice", env=env)
    assert refused.returncode == 2 and "--drop comment" in refused.stderr and "Traceback" not in refused.stderr
    assert eleven.requests == []
    eleven.script(SUCCESS["elevenlabs"])
    dropped = run_cli(*args, "--comment", "nice", "--drop", "comment", env=env)
    assert dropped.returncode == 0, dropped.stderr
    assert json.loads(dropped.stdout)["dropped"] == ["comment"]
    assert [r.json() for r in eleven.requests] == [{"feedback": "like"}]
    assert clarityq.violations == [] and eleven.violations == []
