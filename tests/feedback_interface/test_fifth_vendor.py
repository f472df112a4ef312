"""The README's worked example: a fifth vendor is its spec plus a short mapping, nothing else."""

from __future__ import annotations

import importlib
import json
import shutil
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from feedback import FeedbackAdapter, Part, Rating, Target, ValueRating, VendorMapping
from generator.pipeline import generate

HERE = Path(__file__).parent


@pytest.fixture
def acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    specs = tmp_path / "specs"
    shutil.copytree(HERE / "fifth_vendor", specs / "acme")
    out = tmp_path / "acme_generated"  # its own top-level package, beside the repo's generated/
    generate(specs, out)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module("acme_generated.acme")
    for name in [m for m in sys.modules if m.startswith("acme_generated")]:
        del sys.modules[name]


@pytest.fixture
def server() -> Iterator[tuple[str, list[tuple[str, str, dict[str, Any]]]]]:
    seen: list[tuple[str, str, dict[str, Any]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append((self.path, self.headers["Authorization"], body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", seen
    httpd.shutdown()
    httpd.server_close()


def test_fifth_vendor_needs_only_a_mapping(acme: Any, server: tuple[str, list[Any]]) -> None:
    base_url, seen = server
    # This is the whole integration, as in the README.
    mapping: VendorMapping[Any] = VendorMapping(
        vendor="acme",
        method=lambda c: c.answers.rate_answer,
        target={"message_id": "answer_id"},
        rating=ValueRating("score", positive="up", negative="down", cleared="none"),
        comment="remark",
    )
    with acme.Client(token="t0k", base_url=base_url) as client:
        adapter = FeedbackAdapter(client, mapping)
        result = adapter.send(Target(message_id="ans 1"), Rating.POSITIVE, comment="great")
        cleared = adapter.send(Target(message_id="ans 1"), Rating.CLEARED)
        dropped = adapter.send(Target(message_id="ans 2"), Rating.NEGATIVE, tags=["x"], drop={Part.TAGS})
    assert result.sent and cleared.sent and dropped.dropped == (Part.TAGS,)
    assert seen == [
        ("/v2/answers/ans%201/rating", "Bearer t0k", {"score": "up", "remark": "great"}),
        ("/v2/answers/ans%201/rating", "Bearer t0k", {"score": "none"}),
        ("/v2/answers/ans%202/rating", "Bearer t0k", {"score": "down"}),
    ]
