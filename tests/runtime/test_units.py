"""Pure helpers: sentinel, URLs, retry policy, credentials, operation response lookup."""

from __future__ import annotations

import copy
import email.utils
import pickle

import httpx
import pytest

from generator.runtime import (
    NOT_GIVEN,
    MissingCredentialError,
    NotGiven,
    Operation,
    RequestValidationError,
    ResponseSpec,
    build_query,
    build_url,
    fill_server_url,
    resolve,
)
from generator.runtime._retry import (
    is_retryable_exception,
    is_retryable_status,
    parse_retry_after,
    retry_delay,
)


def test_not_given_sentinel():
    assert not NOT_GIVEN
    assert repr(NOT_GIVEN) == "NOT_GIVEN"
    assert NotGiven() is NOT_GIVEN
    assert copy.deepcopy(NOT_GIVEN) is NOT_GIVEN
    assert pickle.loads(pickle.dumps(NOT_GIVEN)) is NOT_GIVEN


def test_build_url():
    url = build_url("https://h/api/", "/x/{a}/{b}", {"a": "a b/c?d", "b": ".."})
    assert url == "https://h/api/x/a%20b%2Fc%3Fd/%2E%2E"
    assert build_url("https://h", "/x/{a}", {"a": True}) == "https://h/x/true"
    assert build_url("https://h", "/x/{a}", {"a": "..."}) == "https://h/x/..."
    with pytest.raises(RequestValidationError, match="'a' must not be empty"):
        build_url("https://h", "/x/{a}", {"a": ""})
    with pytest.raises(RequestValidationError, match="'a' is required"):
        build_url("https://h", "/x/{a}", {"a": None})


def test_fill_server_url():
    template = "https://{region}.api.example.com/{version}"
    assert fill_server_url(template, {"region": "eu", "version": "v1"}) == ("https://eu.api.example.com/v1")
    for bad in ("evil.com/", "user@evil.com", "evil.com:80", "a?b", "a#b", "", "a b"):
        with pytest.raises(RequestValidationError):
            fill_server_url(template, {"region": bad, "version": "v1"})
    with pytest.raises(RequestValidationError, match="'version' is required"):
        fill_server_url(template, {"region": "eu"})


def test_build_query():
    assert build_query({"a": NOT_GIVEN, "b": [1, 2], "c": False, "d": None, "e": "x"}) == [
        ("b", "1"),
        ("b", "2"),
        ("c", "false"),
        ("e", "x"),
    ]


def _req() -> httpx.Request:
    return httpx.Request("POST", "https://h/x")


@pytest.mark.parametrize(
    ("exc", "idempotent", "expected"),
    [
        (httpx.ConnectError("refused"), False, True),
        (httpx.ConnectTimeout("t"), False, True),
        (httpx.PoolTimeout("t"), False, True),
        (httpx.ReadTimeout("t"), False, False),
        (httpx.ReadError("reset"), False, False),
        (httpx.RemoteProtocolError("disconnected"), False, False),
        (httpx.WriteError("w"), False, False),
        (httpx.ReadTimeout("t"), True, True),
        (httpx.ReadError("reset"), True, True),
        (httpx.RemoteProtocolError("disconnected"), True, True),
        (httpx.UnsupportedProtocol("ftp"), True, False),
        (httpx.LocalProtocolError("bad"), True, False),
    ],
)
def test_retryable_exceptions(exc: Exception, idempotent: bool, expected: bool):
    assert is_retryable_exception(exc, idempotent=idempotent) is expected


@pytest.mark.parametrize(
    ("status", "headers", "idempotent", "expected"),
    [
        (429, {}, False, True),
        (503, {"Retry-After": "2"}, False, True),
        (503, {}, False, False),
        (500, {}, False, False),
        (408, {}, False, False),
        (408, {}, True, True),
        (500, {}, True, True),
        (502, {}, True, True),
        (400, {}, True, False),
        (404, {}, True, False),
        (409, {}, True, False),
    ],
)
def test_retryable_statuses(status: int, headers: dict[str, str], idempotent: bool, expected: bool):
    assert is_retryable_status(status, headers, idempotent=idempotent) is expected


def test_retry_after_parsing():
    assert parse_retry_after({"Retry-After": "7"}) == 7.0
    assert parse_retry_after({"retry-after-ms": "1500", "Retry-After": "7"}) == 1.5
    assert parse_retry_after({"Retry-After": "soon"}) is None
    assert parse_retry_after(None) is None
    date = email.utils.formatdate(1_000_030, usegmt=True)
    assert parse_retry_after({"Retry-After": date}, now=lambda: 1_000_000.0) == 30.0
    assert parse_retry_after(httpx.Headers({"retry-after": "3"})) == 3.0


def test_retry_delay():
    assert retry_delay(0, rng=lambda: 0.0) == 0.5
    assert retry_delay(1, rng=lambda: 0.0) == 1.0
    assert retry_delay(10, rng=lambda: 0.0) == 8.0  # capped
    assert retry_delay(3, rng=lambda: 1.0) == 3.0  # 25% jitter
    assert retry_delay(0, {"Retry-After": "12"}) == 12.0
    assert retry_delay(0, {"Retry-After": "3600"}) == 60.0  # capped


def test_resolve_reads_env_at_call_time(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("VENDOR_API_KEY", raising=False)
    with pytest.raises(MissingCredentialError) as info:
        resolve(None, "VENDOR_API_KEY", "api_key")
    assert "api_key" in str(info.value) and "VENDOR_API_KEY" in str(info.value)
    monkeypatch.setenv("VENDOR_API_KEY", "from-env")
    assert resolve(None, "VENDOR_API_KEY", "api_key") == "from-env"
    assert resolve("explicit", "VENDOR_API_KEY", "api_key") == "explicit"


def test_operation_response_lookup():
    op = Operation(
        "GET",
        "/x",
        "getX",
        True,
        {
            "200": ResponseSpec(int),
            "404": ResponseSpec(str),
            "4XX": ResponseSpec(float),
            "default": ResponseSpec(bytes),
        },
    )
    assert op.response_for(200) == ResponseSpec(int)
    assert op.response_for(404) == ResponseSpec(str)
    assert op.response_for(418) == ResponseSpec(float)
    assert op.response_for(500) == ResponseSpec(bytes)
    assert Operation("GET", "/x", "getX", True).response_for(200) is None


def test_basic_auth_is_rfc7617() -> None:
    from generator.runtime import basic_auth

    assert basic_auth("AC123", "s3cr3t") == "Basic QUMxMjM6czNjcjN0"
    assert basic_auth("ü", "p") == "Basic w7w6cA=="  # UTF-8 before base64
