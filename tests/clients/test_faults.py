"""Fault matrix for the generated clients, sync and async, over real loopback sockets.

ElevenLabs and Algolia send non-idempotent POSTs (retried only when provably not
processed); ClarityQ sends an idempotent PUT (retried on 5xx and transport errors).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.clients.conftest import MakeClient, package, run
from tests.clients.spec_server import Reply, SpecServer, free_port
from tests.clients.test_vendors import SUCCESS

Servers = Callable[[str], SpecServer]

POST_VENDORS = ["elevenlabs", "algolia"]
ALL = ["elevenlabs", "algolia", "clarityq"]


def setup(servers: Servers, make_client: MakeClient, vendor: str, **kwargs: Any) -> tuple[SpecServer, Any]:
    srv = servers(vendor)
    return srv, make_client(vendor, srv.url, **kwargs)


@pytest.mark.parametrize("vendor", ALL)
async def test_429_with_retry_after_then_success(servers: Servers, make_client: MakeClient, vendor: str) -> None:
    srv, client = setup(servers, make_client, vendor)
    call, ok = SUCCESS[vendor]
    srv.script(Reply(429, json={"detail": "slow down"}, headers={"Retry-After": "7"}), ok)
    result = await run(call(client))
    assert result is not None
    assert len(srv.requests) == 2
    assert client.sleeps == [7.0]
    assert srv.violations == []


@pytest.mark.parametrize("vendor", ALL)
async def test_429_exhausts_retries(servers: Servers, make_client: MakeClient, vendor: str) -> None:
    srv, client = setup(servers, make_client, vendor)
    pkg = package(vendor)
    call, _ = SUCCESS[vendor]
    srv.script(*[Reply(429, json={"detail": "slow down"}, headers={"Retry-After": "1"}) for _ in range(3)])
    with pytest.raises(pkg.RateLimitError) as info:
        await run(call(client))
    assert info.value.status_code == 429
    assert len(srv.requests) == 3  # default max_retries=2


async def test_idempotent_put_500_500_200_succeeds(servers: Servers, make_client: MakeClient) -> None:
    srv, client = setup(servers, make_client, "clarityq")
    call, ok = SUCCESS["clarityq"]
    srv.script(Reply(500, body="oops"), Reply(500, body="oops"), ok)
    result = await run(call(client))
    assert str(result.rating) == "POSITIVE"
    assert len(srv.requests) == 3
    assert len(client.sleeps) == 2
    assert srv.violations == []
    # The same body each time: a retry repeats the request exactly.
    assert len({r.body for r in srv.requests}) == 1


@pytest.mark.parametrize("vendor", POST_VENDORS)
async def test_non_idempotent_post_500_sent_exactly_once(
    servers: Servers, make_client: MakeClient, vendor: str
) -> None:
    srv, client = setup(servers, make_client, vendor)
    pkg = package(vendor)
    call, ok = SUCCESS[vendor]
    srv.script(Reply(500, body="oops"), Reply(500, body="oops"), ok)
    with pytest.raises(pkg.InternalServerError) as info:
        await run(call(client))
    assert info.value.status_code == 500
    assert len(srv.requests) == 1
    assert client.sleeps == []


@pytest.mark.parametrize("vendor", POST_VENDORS)
async def test_non_idempotent_post_503_with_retry_after_is_retried(
    servers: Servers, make_client: MakeClient, vendor: str
) -> None:
    srv, client = setup(servers, make_client, vendor)
    call, ok = SUCCESS[vendor]
    srv.script(Reply(503, body="maintenance", headers={"Retry-After": "2"}), ok)
    await run(call(client))
    assert len(srv.requests) == 2
    assert client.sleeps == [2.0]


async def test_idempotent_put_connection_reset_then_success(servers: Servers, make_client: MakeClient) -> None:
    srv, client = setup(servers, make_client, "clarityq")
    call, ok = SUCCESS["clarityq"]
    srv.script(Reply(reset=True), ok)
    await run(call(client))
    assert len(srv.requests) == 2
    assert srv.violations == []


@pytest.mark.parametrize("vendor", POST_VENDORS)
async def test_non_idempotent_post_connection_reset_not_retried(
    servers: Servers, make_client: MakeClient, vendor: str
) -> None:
    srv, client = setup(servers, make_client, vendor)
    pkg = package(vendor)
    call, ok = SUCCESS[vendor]
    srv.script(Reply(reset=True), ok)
    with pytest.raises(pkg.APIConnectionError) as info:
        await run(call(client))
    assert not isinstance(info.value, pkg.APITimeoutError)
    assert len(srv.requests) == 1


@pytest.mark.parametrize("vendor", ALL)
async def test_connect_refused_is_retried_then_raises(make_client: MakeClient, vendor: str) -> None:
    pkg = package(vendor)
    client = make_client(vendor, f"http://127.0.0.1:{free_port()}")
    call, _ = SUCCESS[vendor]
    with pytest.raises(pkg.APIConnectionError):
        await run(call(client, max_retries=1))
    assert len(client.sleeps) == 1  # nothing reached a server: safe to retry even a POST


@pytest.mark.parametrize("vendor", ALL)
async def test_read_timeout(servers: Servers, make_client: MakeClient, vendor: str) -> None:
    srv, client = setup(servers, make_client, vendor)
    pkg = package(vendor)
    call, ok = SUCCESS[vendor]
    srv.script(Reply(ok.status, json=ok.json, delay=0.4), Reply(ok.status, json=ok.json, delay=0.4))
    with pytest.raises(pkg.APITimeoutError) as info:
        await run(call(client, timeout=0.1, max_retries=1))
    assert isinstance(info.value, pkg.APIConnectionError)
    assert len(srv.requests) == (2 if vendor == "clarityq" else 1)


@pytest.mark.parametrize("vendor", ALL)
async def test_malformed_json_on_200(servers: Servers, make_client: MakeClient, vendor: str) -> None:
    srv, client = setup(servers, make_client, vendor)
    pkg = package(vendor)
    call, ok = SUCCESS[vendor]
    srv.script(Reply(ok.status, body='{"status": "SUBM', headers={"Content-Type": "application/json"}))
    with pytest.raises(pkg.APIResponseValidationError) as info:
        await run(call(client))
    assert info.value.status_code == ok.status
    assert len(srv.requests) == 1


@pytest.mark.parametrize("vendor", ALL)
async def test_html_error_page_on_502(servers: Servers, make_client: MakeClient, vendor: str) -> None:
    srv, client = setup(servers, make_client, vendor)
    pkg = package(vendor)
    call, _ = SUCCESS[vendor]
    page = "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>"
    srv.script(Reply(502, body=page, headers={"Content-Type": "text/html"}))
    with pytest.raises(pkg.InternalServerError) as info:
        await run(call(client, max_retries=0))
    assert info.value.status_code == 502
    assert info.value.text == page
    assert info.value.body == page.encode()
    assert info.value.error is None
    assert "502 Bad Gateway" in str(info.value)


async def test_idempotent_put_502_html_then_success(servers: Servers, make_client: MakeClient) -> None:
    srv, client = setup(servers, make_client, "clarityq")
    call, ok = SUCCESS["clarityq"]
    srv.script(Reply(502, body="<html>bad gateway</html>", headers={"Content-Type": "text/html"}), ok)
    await run(call(client))
    assert len(srv.requests) == 2
