"""Fixtures for the generated-client tests: a spec-checking server per vendor, clients per mode."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.clients.spec_server import SpecServer


@dataclass(frozen=True)
class VendorInfo:
    name: str
    prefix: str  # base path of the vendor's server URL, mounted on the loopback server too
    env: dict[str, str]  # credential / client-header env vars and test values
    sent: dict[str, str]  # headers the server must see (lower-case name -> exact value)


SECRETS = {
    "elevenlabs": "sk-eleven-SECRET-0123456789abcdef",
    "moveworks": "mw-token-SECRET-0123456789abcdef",
    "algolia": "algolia-key-SECRET-0123456789abcdef",
    "clarityq": "cq-key-SECRET-0123456789abcdef",
}

VENDORS: dict[str, VendorInfo] = {
    "elevenlabs": VendorInfo(
        "elevenlabs",
        "",
        {"ELEVENLABS_API_KEY": SECRETS["elevenlabs"]},
        {"xi-api-key": SECRETS["elevenlabs"]},
    ),
    "moveworks": VendorInfo(
        "moveworks",
        "/rest/v1beta1",
        {"MOVEWORKS_ACCESS_TOKEN": SECRETS["moveworks"], "MOVEWORKS_ASSISTANT_NAME": "acme-assistant"},
        {"authorization": f"Bearer {SECRETS['moveworks']}", "assistant-name": "acme-assistant"},
    ),
    "algolia": VendorInfo(
        "algolia",
        "/agent-studio",
        {"ALGOLIA_APPLICATION_ID": "myapp", "ALGOLIA_API_KEY": SECRETS["algolia"]},
        {"x-algolia-application-id": "myapp", "x-algolia-api-key": SECRETS["algolia"]},
    ),
    "clarityq": VendorInfo(
        "clarityq",
        "",
        {"CLARITYQ_API_KEY": SECRETS["clarityq"]},
        {"x-api-key": SECRETS["clarityq"]},
    ),
}


def package(vendor: str) -> Any:
    return importlib.import_module(f"generated.{vendor}")


async def run(value: Any) -> Any:
    """Await coroutines (async client), pass plain values through (sync client)."""
    if inspect.isawaitable(value):
        return await value
    return value


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def servers() -> Iterator[Callable[[str], SpecServer]]:
    made: list[SpecServer] = []

    def factory(vendor: str) -> SpecServer:
        info = VENDORS[vendor]
        srv = SpecServer(vendor, prefix=info.prefix)
        srv.expect_headers = dict(info.sent)
        made.append(srv)
        return srv

    yield factory
    for srv in made:
        srv.stop()


@pytest.fixture
def vendor_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for info in VENDORS.values():
        for key, value in info.env.items():
            monkeypatch.setenv(key, value)


MakeClient = Callable[..., Any]


@pytest.fixture
async def make_client(mode: str, vendor_env: None) -> AsyncIterator[MakeClient]:
    """``make_client(vendor, base_url, **kwargs)`` -> Client or AsyncClient per ``mode``; no real sleeps."""
    made: list[Any] = []

    def factory(vendor: str, base_url: str | None, **kwargs: Any) -> Any:
        pkg = package(vendor)
        cls = pkg.Client if mode == "sync" else pkg.AsyncClient
        if base_url is not None:
            kwargs["base_url"] = base_url
        client = cls(**kwargs)
        sleeps: list[float] = []
        client.sleeps = sleeps
        if mode == "sync":
            client._sleep = sleeps.append
        else:

            async def no_sleep(seconds: float) -> None:
                sleeps.append(seconds)

            client._sleep = no_sleep
        made.append(client)
        return client

    yield factory
    for client in made:
        if mode == "sync":
            client.close()
        else:
            await client.aclose()
