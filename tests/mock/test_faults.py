"""Each fault mode against the generated clients, sync and async: by server flag and by Mock-Fault header."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from generator.mock import MockServer
from generator.mock.faults import FaultSpecError, parse_faults
from tests.clients.conftest import package, run
from tests.mock.conftest import CALLS, MakeClient, MockProcess

MockApi = Callable[..., MockServer]


def fault(spec: str) -> dict[str, dict[str, str]]:
    return {"extra_headers": {"Mock-Fault": spec}}


async def test_latency_header_delays_and_times_out(mock_api: MockApi, make_client: MakeClient) -> None:
    mock = mock_api("clarityq")
    pkg = package("clarityq")
    client = make_client("clarityq", mock.url, max_retries=0)
    started = time.monotonic()
    assert (await run(CALLS["clarityq"](client, **fault("latency=300")))).conversation_id
    assert time.monotonic() - started >= 0.3
    with pytest.raises(pkg.APITimeoutError):
        await run(CALLS["clarityq"](client, timeout=0.1, **fault("latency=1000")))


@pytest.mark.parametrize("vendor", ["algolia", "clarityq"])
async def test_429_retry_after_is_honoured_then_success(
    mock_api: MockApi, make_client: MakeClient, vendor: str
) -> None:
    mock = mock_api(vendor, faults=["429=7*1"])  # the first request only, as --fault 429=7*1
    client = make_client(vendor, mock.url)
    assert await run(CALLS[vendor](client)) is not None
    assert client.sleeps == [7.0]
    assert [e["status"] for e in mock.journal] == [429, 201 if vendor == "algolia" else 200]


async def test_429_header_every_attempt_raises_rate_limit_error(mock_api: MockApi, make_client: MakeClient) -> None:
    mock = mock_api("algolia")
    pkg = package("algolia")
    client = make_client("algolia", mock.url, max_retries=2)
    with pytest.raises(pkg.RateLimitError) as info:
        await run(CALLS["algolia"](client, **fault("429=3")))
    assert info.value.headers["retry-after"] == "3"
    assert client.sleeps == [3.0, 3.0]
    assert len(mock.journal) == 3


@pytest.mark.parametrize("vendor", ["algolia", "elevenlabs", "moveworks"])
async def test_post_that_got_500_is_sent_exactly_once(mock_api: MockApi, make_client: MakeClient, vendor: str) -> None:
    mock = mock_api(vendor)
    pkg = package(vendor)
    client = make_client(vendor, mock.url, max_retries=3)
    with pytest.raises(pkg.InternalServerError) as info:
        await run(CALLS[vendor](client, **fault("5xx")))
    assert info.value.status_code == 500
    assert len(mock.journal) == 1
    assert client.sleeps == []


async def test_idempotent_put_retries_through_a_5xx_burst(mock_api: MockApi, make_client: MakeClient) -> None:
    mock = mock_api("clarityq", faults=["5xx=503*2"])
    client = make_client("clarityq", mock.url, max_retries=2)
    assert (await run(CALLS["clarityq"](client))).conversation_id
    assert [e["status"] for e in mock.journal] == [503, 503, 200]


def test_5xx_rate_is_deterministic_for_a_seed(mock_api: MockApi) -> None:
    import httpx

    def statuses(seed: int) -> list[int]:
        mock = mock_api("clarityq", seed=seed, faults=["5xx@0.5"])
        url = mock.url + "/api/v1/products/p/conversations/c/feedback"
        return [httpx.put(url, json={"comment": "x"}, headers={"X-API-Key": "k"}).status_code for _ in range(30)]

    first = statuses(7)
    assert statuses(7) == first
    assert 5 <= first.count(500) <= 25  # about half, from a 50% rate
    assert set(first) == {500, 422}  # the ids are not uuids: what passes the fault is checked


@pytest.mark.parametrize("vendor", ["algolia", "clarityq"])
async def test_reset_mid_body_raises_a_typed_connection_error(
    mock_api: MockApi, make_client: MakeClient, vendor: str
) -> None:
    mock = mock_api(vendor)
    pkg = package(vendor)
    client = make_client(vendor, mock.url, max_retries=1)
    with pytest.raises(pkg.APIConnectionError):
        await run(CALLS[vendor](client, **fault("reset")))
    # A POST may have been processed: never resent. The idempotent PUT is retried once.
    assert len(mock.journal) == (1 if vendor == "algolia" else 2)


async def test_slow_trickle_arrives_whole_or_times_out(mock_api: MockApi, make_client: MakeClient) -> None:
    mock = mock_api("clarityq")
    pkg = package("clarityq")
    client = make_client("clarityq", mock.url, max_retries=0)
    started = time.monotonic()
    stored = await run(CALLS["clarityq"](client, **fault("trickle=10")))
    assert stored.conversation_id
    assert time.monotonic() - started >= 0.1  # > 100 bytes in 8-byte chunks, 10 ms apart
    with pytest.raises(pkg.APITimeoutError):
        await run(CALLS["clarityq"](client, timeout=0.3, **fault("trickle=100")))


@pytest.mark.parametrize("kind", ["truncate", "malformed"])
async def test_truncated_or_malformed_json_raises_response_validation_error(
    mock_api: MockApi, make_client: MakeClient, kind: str
) -> None:
    mock = mock_api("algolia")
    pkg = package("algolia")
    client = make_client("algolia", mock.url, max_retries=0)
    with pytest.raises(pkg.APIResponseValidationError):
        await run(CALLS["algolia"](client, **fault(kind)))
    assert mock.journal[-1]["faults"] == [kind]


def test_fault_flag_on_the_command_line(mock_process: Callable[..., MockProcess]) -> None:
    import httpx

    mock = mock_process("clarityq", "--fault", "429=2*1", "--fault", "latency=50")
    url = mock.url + "/api/v1/products/p/conversations/c/feedback"
    first = httpx.put(url, json={"comment": "x"}, headers={"X-API-Key": "k"})
    assert first.status_code == 429 and first.headers["retry-after"] == "2"
    assert first.headers["content-type"] == "application/problem+json"
    assert httpx.put(url, json={"comment": "x"}, headers={"X-API-Key": "k"}).status_code == 422
    assert [e["faults"] for e in mock.entries(at_least=2)] == [["429=2*1", "latency=50"], ["latency=50"]]


def test_bad_fault_specs_are_refused_clearly() -> None:
    for spec, words in [
        ("teapot", "unknown kind 'teapot'"),
        ("5xx=404", "out of range"),
        ("429@2", "@RATE"),
        ("reset*0", "*COUNT"),
        ("latency=soon", "not a number"),
    ]:
        with pytest.raises(FaultSpecError, match="fault") as info:
            parse_faults(spec)
        assert words in str(info.value)
    with pytest.raises(FaultSpecError, match="flag only"):
        parse_faults("429*1", allow_count=False)


def test_fault_values_take_units() -> None:
    values = {spec: parse_faults(spec)[0].value for spec in ("latency=2s", "latency=250ms", "latency=30", "429=1500ms")}
    assert values == {"latency=2s": 2000, "latency=250ms": 250, "latency=30": 30, "429=1500ms": 1.5}
