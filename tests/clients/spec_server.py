"""Loopback HTTP server that checks every request against a vendor's OpenAPI document.

Each request is matched to an operation (method + path template) of the *normalized*
spec (``generator.spec.load_vendor``), then checked: path parameters, required query
parameters and headers, credentials from the security requirements, content type, and
the JSON body against the request body schema with ``jsonschema``. Every problem is
recorded in ``violations``; tests assert the list is empty. Replies are scripted.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import socket
import struct
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema

from generator.ir.load import LoadedSpec, load_vendor

REPO_ROOT = Path(__file__).resolve().parents[2]


@cache
def vendor_spec(vendor: str) -> LoadedSpec:
    return load_vendor(REPO_ROOT / "specs", vendor)


@dataclass
class Reply:
    """One scripted answer. ``reset`` drops the connection with a TCP RST instead."""

    status: int = 200
    json: Any = None
    body: bytes | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    reset: bool = False


@dataclass
class Seen:
    """A request as received, plus what the spec check found out about it."""

    method: str
    raw_path: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    operation_id: str | None = None
    path_params: dict[str, str] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)

    def json(self) -> Any:
        return json.loads(self.body)


def _nullable_30(schema: Any) -> Any:
    """OpenAPI 3.0 ``nullable: true`` -> JSON Schema ``type: [T, "null"]`` (3.1 docs pass through)."""
    if isinstance(schema, dict):
        out = {k: _nullable_30(v) for k, v in schema.items()}
        if out.pop("nullable", False) is True:
            t = out.get("type")
            if isinstance(t, str):
                out["type"] = [t, "null"]
            elif "type" not in out:
                out = {"anyOf": [out, {"type": "null"}]}
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        return out
    if isinstance(schema, list):
        return [_nullable_30(v) for v in schema]
    return schema


@dataclass
class _Route:
    method: str
    template: str
    regex: re.Pattern[str]
    names: list[str]
    operation: dict[str, Any]
    parameters: list[dict[str, Any]]


class SpecChecker:
    """The checks, independent of any socket so they can be unit-tested too."""

    def __init__(self, vendor: str, *, prefix: str = "") -> None:
        self.vendor = vendor
        self.prefix = prefix.rstrip("/")
        loaded = vendor_spec(vendor)
        self.doc = loaded.normalized
        self.is_30 = str(self.doc.get("openapi", "")).startswith("3.0")
        self.components = copy.deepcopy(self.doc.get("components", {}))
        if self.is_30:
            self.components = _nullable_30(self.components)
        self.schemes: dict[str, dict[str, Any]] = self.components.get("securitySchemes", {})
        self.routes: list[_Route] = []
        for template, item in self.doc.get("paths", {}).items():
            shared = item.get("parameters", [])
            for method, op in item.items():
                if method not in {"get", "put", "post", "delete", "patch", "head", "options"}:
                    continue
                names = re.findall(r"\{([^{}]+)\}", template)
                pattern = "".join(
                    "([^/]+)" if part.startswith("{") else re.escape(part)
                    for part in re.split(r"(\{[^{}]+\})", template)
                    if part
                )
                params = {(p["name"], p["in"]): self._deref(p) for p in shared}
                params.update({(p["name"], p["in"]): self._deref(p) for p in op.get("parameters", [])})
                self.routes.append(
                    _Route(method.upper(), template, re.compile(f"^{pattern}$"), names, op, list(params.values()))
                )

    def _deref(self, node: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while "$ref" in node and seen < 20:
            ref = node["$ref"]
            assert ref.startswith("#/"), ref
            target: Any = self.doc
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
            seen += 1
        return node

    def _schema_errors(self, schema: dict[str, Any], instance: Any) -> list[str]:
        root = _nullable_30(copy.deepcopy(schema)) if self.is_30 else copy.deepcopy(schema)
        if not isinstance(root, dict):
            return []
        root = {"allOf": [root], "components": self.components}
        validator = jsonschema.Draft202012Validator(root, format_checker=jsonschema.FormatChecker())
        return [
            f"{'/'.join(str(p) for p in err.absolute_path) or '(root)'}: {err.message[:200]}"
            for err in validator.iter_errors(instance)
        ]

    def check(self, seen: Seen) -> None:
        v = seen.violations
        path = seen.path
        if self.prefix:
            if not path.startswith(self.prefix + "/"):
                v.append(f"path {seen.raw_path!r} is not under the base path {self.prefix!r}")
                return
            path = path[len(self.prefix) :]
        candidates = [r for r in self.routes if r.regex.match(path)]
        route = next((r for r in candidates if r.method == seen.method), None)
        if route is None:
            what = "method not allowed" if candidates else "no operation matches"
            v.append(f"{what}: {seen.method} {path}")
            return
        seen.operation_id = route.operation.get("operationId")
        match = route.regex.match(path)
        assert match is not None
        for name, raw in zip(route.names, match.groups(), strict=True):
            if "%2F" not in raw.upper() and raw in (".", ".."):
                v.append(f"path parameter {name} is a dot-segment {raw!r}")
            seen.path_params[name] = urllib.parse.unquote(raw)
        headers = seen.headers
        declared_query = set()
        for param in route.parameters:
            name, where, schema = param["name"], param["in"], param.get("schema", {})
            value: str | None
            if where == "path":
                value = seen.path_params.get(name)
            elif where == "query":
                declared_query.add(name)
                vals = seen.query.get(name)
                value = vals[0] if vals else None
            elif where == "header":
                value = headers.get(name.lower())
            else:
                continue
            if value is None:
                if param.get("required") or where == "path":
                    v.append(f"missing required {where} parameter {name}")
                continue
            if schema.get("type") == "string" or "format" in schema:
                v.extend(f"{where} parameter {name}: {e}" for e in self._schema_errors(schema, value))
        for name in seen.query:
            if name not in declared_query:
                v.append(f"undeclared query parameter {name}")
        self._check_security(route, headers, seen.query, v)
        self._check_body(route, seen, v)

    def _check_security(
        self, route: _Route, headers: dict[str, str], query: dict[str, list[str]], v: list[str]
    ) -> None:
        requirements = route.operation.get("security", self.doc.get("security"))
        if not requirements:
            return
        problems_per_alternative: list[list[str]] = []
        for alternative in requirements:
            problems: list[str] = []
            for scheme_name in alternative:
                scheme = self.schemes.get(scheme_name, {})
                if scheme.get("type") == "apiKey":
                    name = scheme["name"]
                    got = headers.get(name.lower()) if scheme.get("in") == "header" else None
                    if scheme.get("in") == "query":
                        got = (query.get(name) or [None])[0]
                    if not got:
                        problems.append(f"credential {scheme_name}: {scheme.get('in')} {name!r} missing or empty")
                elif scheme.get("type") == "http":
                    auth = headers.get("authorization", "")
                    want = str(scheme.get("scheme", "")).lower()
                    kind, _, token = auth.partition(" ")
                    if kind.lower() != want or not token.strip():
                        problems.append(f"credential {scheme_name}: Authorization is not '{want.title()} <token>'")
            if not problems:
                return
            problems_per_alternative.append(problems)
        v.extend(problems_per_alternative[0])

    def _check_body(self, route: _Route, seen: Seen, v: list[str]) -> None:
        body_spec = route.operation.get("requestBody")
        if body_spec is None:
            if seen.body:
                v.append("body sent to an operation that declares none")
            return
        body_spec = self._deref(body_spec)
        if not seen.body:
            if body_spec.get("required"):
                v.append("required request body missing")
            return
        ctype = seen.headers.get("content-type", "")
        media = ctype.split(";", 1)[0].strip().lower()
        content = body_spec.get("content", {})
        if media not in content:
            v.append(f"content-type {ctype!r} not declared (declared: {sorted(content)})")
            return
        if media == "application/json" or media.endswith("+json"):
            try:
                data = json.loads(seen.body)
            except ValueError as exc:
                v.append(f"body is not JSON: {exc}")
                return
            schema = content[media].get("schema")
            if schema:
                v.extend(f"body {e}" for e in self._schema_errors(schema, data))


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"

    def _handle(self) -> None:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        raw_path, _, raw_query = self.path.partition("?")
        seen = Seen(
            method=self.command,
            raw_path=self.path,
            path=raw_path,
            query=urllib.parse.parse_qs(raw_query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        try:
            owner.checker.check(seen)
        except Exception as exc:  # a checker bug must still show up as a violation
            seen.violations.append(f"checker crashed: {exc!r}")
        for name, value in owner.expect_headers.items():
            if seen.headers.get(name.lower()) != value:
                seen.violations.append(f"header {name} is not the expected value")
        with owner.lock:
            owner.requests.append(seen)
            reply = owner.replies.popleft() if owner.replies else owner.default_reply
        if reply.delay:
            time.sleep(reply.delay)
        if reply.reset:
            # SO_LINGER 0 makes close() send RST: the client sees "connection reset".
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        headers = dict(reply.headers)
        if reply.json is not None:
            payload = json.dumps(reply.json).encode()
            headers.setdefault("Content-Type", "application/json")
        elif isinstance(reply.body, str):
            payload = reply.body.encode()
        else:
            payload = reply.body or b""
        try:
            self.send_response(reply.status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:  # client gave up (read-timeout tests)
            pass

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    def finish(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: SpecServer


class SpecServer:
    """Loopback server for one vendor: ``script()`` replies, read ``requests``/``violations``."""

    def __init__(self, vendor: str, *, prefix: str = "", default_reply: Reply | None = None) -> None:
        self.checker = SpecChecker(vendor, prefix=prefix)
        self.prefix = self.checker.prefix
        self.replies: deque[Reply] = deque()
        self.requests: list[Seen] = []
        self.expect_headers: dict[str, str] = {}
        self.default_reply = default_reply or Reply(599, body="unscripted")
        self.lock = threading.Lock()
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        """Base URL clients should use (includes the vendor's base path)."""
        return f"http://127.0.0.1:{self.port}{self.prefix}"

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    @property
    def violations(self) -> list[str]:
        return [f"{r.method} {r.raw_path}: {msg}" for r in self.requests for msg in r.violations]

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def free_port() -> int:
    """A port nothing listens on (bound then released), for connect-failure tests."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
