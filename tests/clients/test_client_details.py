"""Small client details a new user tripped over (issue 16 item 9), against loopback servers."""

from __future__ import annotations

import base64
import importlib
import inspect
import json
import re
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.pipeline import generate
from generator.runtime import basic_auth
from generator.runtime._exceptions import display_url
from tests.clients.conftest import SECRETS
from tests.clients.spec_server import Reply, SpecServer

REPO = Path(__file__).resolve().parents[2]
TWILIO = REPO.parent / "shared" / "realspecs" / "twilio-conversations-v1.json"
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"


def test_errors_name_the_method_and_the_url_called(servers: Callable[[str], SpecServer], vendor_env: None) -> None:
    # The message showed `/conversations/{conversation_id}/...`, the template, not what was called.
    moveworks = importlib.import_module("generated.moveworks")
    server = servers("moveworks")
    server.script(Reply(404, json={"error": {"code": "NOT_FOUND", "message": "no such message"}}))
    with moveworks.Client(base_url=server.url, max_retries=0) as client, pytest.raises(moveworks.NotFoundError) as info:
        client.messages.submit_feedback("conv 1", "resp_1", "msg_1", callback_id="cb")
    called = f"{server.url}/conversations/conv%201/responses/resp_1/messages/msg_1/feedback"
    assert str(info.value).startswith(f"POST {called} -> 404 Not Found: ")
    assert "{conversation_id}" not in str(info.value) and SECRETS["moveworks"] not in str(info.value)


def test_credentials_in_the_url_are_redacted_from_messages() -> None:
    url = "https://user:pa55word@api.example.com/v1/x/SECRETTOKEN123?api_key=k3y&page=2&token=t0k&q=SECRETTOKEN123"
    shown = display_url(url, ["SECRETTOKEN123"])
    assert shown == "https://api.example.com/v1/x/***?api_key=***&page=2&token=***&q=***"
    assert display_url("http://h/a%20b?q=a+b&n=%C3%BC") == "http://h/a%20b?q=a+b&n=%C3%BC"  # as sent


def test_user_agent_names_the_package_and_its_version(servers: Callable[[str], SpecServer], vendor_env: None) -> None:
    algolia = importlib.import_module("generated.algolia")
    server = servers("algolia")
    server.script(Reply(422, json={"detail": []}))
    with algolia.Client(base_url=server.url, max_retries=0) as client, pytest.raises(algolia.APIStatusError):
        client.feedback.create_feedback(agent_id="a", message_id="m", vote=1)
    expected = f"algolia/{algolia.__version__} python/{PYTHON} httpx/{httpx.__version__}"
    assert server.requests[0].headers["user-agent"] == expected
    assert re.fullmatch(r"\d+(\.\d+)*\+codegen\.\d+\.\d+\.\d+", algolia.__version__)


def test_docstrings_have_no_empty_argument_lines() -> None:
    for client_module in sorted((REPO / "generated").glob("*/_client.py")):
        empty = re.findall(r"^ {12}[a-z_][a-z0-9_]*:$", client_module.read_text(encoding="utf-8"), re.MULTILINE)
        assert not empty, f"{client_module}: {empty}"
    algolia = importlib.import_module("generated.algolia")
    doc = inspect.getdoc(algolia.Client(application_id="a", api_key="k").feedback.create_feedback) or ""
    assert "    message_id: Body field ``messageId``." in doc


def test_a_missing_body_argument_is_named_as_the_caller_spells_it(vendor_env: None) -> None:
    algolia = importlib.import_module("generated.algolia")
    with (
        algolia.Client(base_url="http://127.0.0.1:9", max_retries=0) as client,
        pytest.raises(algolia.RequestValidationError) as info,
    ):
        client.feedback.create_feedback(agent_id="a", vote=1)  # type: ignore[call-overload]
    assert "  message_id=: Field required" in str(info.value)
    assert "messageId" not in str(info.value)


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[dict[str, str]]]]:
    seen: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append({k.lower(): v for k, v in self.headers.items()} | {"path": self.path})
            body = json.dumps({"account_sid": "AC1", "url": "https://example.com"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", seen
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.skipif(not TWILIO.is_file(), reason=f"{TWILIO} is absent")
def test_http_basic_is_two_arguments_each_with_its_env_var(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recorder: tuple[str, list[dict[str, str]]]
) -> None:
    # Twilio's `accountSid_authToken` scheme was one argument that had to be "user:password".
    specs = tmp_path / "specs" / "twilio"
    specs.mkdir(parents=True)
    shutil.copy(TWILIO, specs / "openapi.json")
    (specs / "vendor.yaml").write_text("package: twilio\nclient_class: TwilioClient\nspec: openapi.json\n")
    generate(tmp_path / "specs", tmp_path / "tw_generated")
    monkeypatch.syspath_prepend(str(tmp_path))
    twilio: Any = importlib.import_module("tw_generated.twilio")
    try:
        params = inspect.signature(twilio.Client).parameters
        assert [p for p in params if p in ("account_sid", "auth_token")] == ["account_sid", "auth_token"]
        doc = inspect.getdoc(twilio.Client.__init__) or ""
        assert "account_sid: HTTP Basic user name; optional, defaults to $TWILIO_ACCOUNT_SID." in doc
        assert "auth_token: HTTP Basic password; optional, defaults to $TWILIO_AUTH_TOKEN." in doc

        url, seen = recorder
        monkeypatch.setenv("TWILIO_AUTH_TOKEN", "from-env-t0ken")
        with twilio.Client(account_sid="AC123", base_url=url) as client:
            client.conversations_v1_configuration.fetch_configuration()
        assert seen[-1]["authorization"] == "Basic " + base64.b64encode(b"AC123:from-env-t0ken").decode()
        assert seen[-1]["authorization"] == basic_auth("AC123", "from-env-t0ken")

        monkeypatch.delenv("TWILIO_AUTH_TOKEN")
        monkeypatch.delenv("TWILIO_ACCOUNT_SID", raising=False)
        with pytest.raises(twilio.MissingCredentialError, match=r"auth_token=.*TWILIO_AUTH_TOKEN"):
            twilio.Client(account_sid="AC123", base_url=url)
    finally:
        for name in [m for m in sys.modules if m.startswith("tw_generated")]:
            del sys.modules[name]
