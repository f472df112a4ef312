"""The aiohttp application: match, check, apply faults, answer (or proxy), journal.

One handler serves every path. The order per request is: CORS preflight, route match,
latency, forced 429/5xx faults, request checks (a failing request gets problem+json), then
the documented response (``Prefer`` picks code and example) or the upstream's (proxy mode),
sent whole or with a body fault (reset, trickle, truncate, malformed).
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import re
import socket
import struct
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
from aiohttp import web

from generator.mock.checks import (
    MOCK_HEADERS,
    IncomingRequest,
    check_request,
    check_response,
    is_json,
    redact_path,
)
from generator.mock.faults import Fault, FaultSpecError, Prefer, parse_faults, parse_prefer
from generator.mock.routes import MediaSpec, MockSpec, ResponseSpec, Route
from generator.mock.schemas import Problem
from generator.mock.synth import Synthesizer

PROBLEM_JSON = "application/problem+json"
VIOLATIONS_HEADER = "Mock-Violations"
HEADER_LIMIT = 8000  # bytes of violations JSON in one response header
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)
BINARY_MAGIC = {
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff\xe0",
    "image/gif": b"GIF89a",
    "application/pdf": b"%PDF-1.7\n",
    "audio/mpeg": b"ID3\x04\x00\x00",
    "audio/wav": b"RIFF\x24\x00\x00\x00WAVE",
    "application/zip": b"PK\x03\x04",
}
SSE_EVENTS = 3
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # an HTTP header name (RFC 9110 token)
_HEADER_VALUE = re.compile(r"^[\t\x20-\x7e\x80-\xff]*$")  # no CR, LF or other controls


@dataclass
class MockOptions:
    """How the mock behaves beyond the spec."""

    seed: int = 0
    faults: list[Fault] = field(default_factory=list)
    cors: bool = True
    journal_path: Path | None = None
    proxy: str | None = None
    max_depth: int = 4
    proxy_timeout: float = 30.0
    journal_in_memory: int = 100_000  # entries MockServer.journal keeps; the CLI keeps none


@dataclass
class Reply:
    """A scripted answer (``MockServer.script``): sent instead of the documented one, checks still run."""

    status: int = 200
    body: bytes | str | None = None
    json: Any = None  # sent as application/json instead of body when given
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    reset: bool = False  # drop the connection with a TCP reset instead of answering


@dataclass
class RecordedRequest:
    """A request as received (in memory only: headers carry credentials), with what the checks found."""

    method: str
    raw_path: str  # as sent, query included
    path: str  # as sent, without the query
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    operation_id: str | None = None
    path_params: dict[str, str] = field(default_factory=dict)  # percent-decoded
    violations: list[str] = field(default_factory=list)

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


@dataclass
class _Outcome:
    status: int
    body: bytes
    content_type: str | None
    headers: dict[str, str] = field(default_factory=dict)
    stream: list[bytes] | None = None  # SSE events, sent one write each


class MockApp:
    """State of one running mock: spec, options, journal; ``build()`` makes the aiohttp app.

    Without a spec (``spec=None``) it only records requests and answers scripted replies.
    """

    def __init__(self, spec: MockSpec | None, options: MockOptions) -> None:
        self.spec = spec
        self.options = options
        self.synth = Synthesizer(spec.context, max_depth=options.max_depth) if spec is not None else None
        self.journal: deque[dict[str, Any]] = deque(maxlen=options.journal_in_memory)
        self.requests: deque[RecordedRequest] = deque(maxlen=options.journal_in_memory)
        self.replies: deque[Reply] = deque()
        self.default_reply: Reply | None = None  # answers unscripted requests when set
        self._counter = 0
        self._fault_rng = random.Random(f"{options.seed}:faults")
        self._journal_file: IO[str] | None = None
        self._upstream: httpx.AsyncClient | None = None

    @property
    def _spec(self) -> MockSpec:
        assert self.spec is not None, "only reached for a matched route"
        return self.spec

    @property
    def _synth(self) -> Synthesizer:
        assert self.synth is not None, "only reached for a matched route"
        return self.synth

    def build(self) -> web.Application:
        """The aiohttp application serving every path."""
        app = web.Application(client_max_size=32 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        app.on_startup.append(self._startup)
        app.on_cleanup.append(self._cleanup)
        return app

    async def _startup(self, _app: web.Application) -> None:
        if self.options.journal_path is not None:
            self._journal_file = self.options.journal_path.open("a", encoding="utf-8", buffering=1)
        if self.options.proxy:
            self._upstream = httpx.AsyncClient(timeout=self.options.proxy_timeout, follow_redirects=False)

    async def _cleanup(self, _app: web.Application) -> None:
        if self._upstream is not None:
            await self._upstream.aclose()
        if self._journal_file is not None:
            self._journal_file.close()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one request."""
        started = time.monotonic()
        self._counter += 1
        number = self._counter
        body = await request.read()
        raw_path = request.raw_path.split("?", 1)[0]
        entry: dict[str, Any] = {
            "n": number,
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "method": request.method,
            "path": request.raw_path,
            "operation": None,
        }
        origin = request.headers.get("Origin")
        if (
            self.spec is not None
            and self.options.cors
            and request.method == "OPTIONS"
            and "Access-Control-Request-Method" in request.headers
        ):
            return self._finish(entry, started, self._preflight(request, raw_path), [], [], origin=origin)
        route, raw_params, problems, unmatched = self._check(request, raw_path, body)
        entry["operation"] = route.operation_id if route is not None else None
        if route is not None:
            entry["path"] = redact_path(self._spec, route, request.raw_path)  # the journal may be shared
        entry["valid"] = not problems
        entry["problems"] = [p.as_dict() for p in problems]
        if self.options.journal_in_memory:
            self._remember(request, raw_path, body, route, raw_params, problems)
        scripted = self.replies.popleft() if self.replies else self.default_reply
        if scripted is not None:
            return await self._scripted(request, entry, started, scripted, origin)
        if route is None:
            out = unmatched or self._problem(404, "Nothing scripted", [Problem("path", "this mock has no spec")])
            return self._finish(entry, started, out, entry["problems"], [], origin=origin)
        faults = list(self._server_faults())
        header_faults = request.headers.get("Mock-Fault")
        if header_faults:
            try:
                faults += [f for f in parse_faults(header_faults, allow_count=False) if f.fires(self._fault_rng)]
            except FaultSpecError as exc:
                out = self._problem(400, "Bad Mock-Fault header", [Problem("header/mock-fault", str(exc))])
                return self._finish(entry, started, out, entry["problems"], [], origin=origin)
        entry["faults"] = [f.text for f in faults]
        for fault in faults:
            if fault.kind == "latency":
                await asyncio.sleep(fault.value / 1000)
        forced = self._forced(faults)
        if forced is not None:
            return await self._send(request, entry, started, forced, faults, origin)
        prefer: Prefer | str = parse_prefer(request.headers.get("Prefer", ""))
        if isinstance(prefer, str):
            out = self._problem(400, "Bad Prefer header", [Problem("header/prefer", prefer)])
            return self._finish(entry, started, out, entry["problems"], [], origin=origin)
        if self.options.proxy:
            out, violations = await self._proxy(request, route, self._below_base(raw_path) or "", body, problems)
            entry["proxy"] = {"upstream": self.options.proxy, "status": out.status, "violations": violations}
            return await self._send(request, entry, started, out, faults, origin)
        if problems:
            out = self._problem(self._failure_status(route, problems), "Request does not match the spec", problems)
            out.headers["Mock-Operation"] = route.operation_id
            return await self._send(request, entry, started, out, faults, origin)
        out = self._documented(request, route, prefer, number)
        return await self._send(request, entry, started, out, faults, origin)

    def _check(
        self, request: web.Request, raw_path: str, body: bytes
    ) -> tuple[Route | None, dict[str, str], list[Problem], _Outcome | None]:
        """Match the route and check the request: (route, raw path values, problems, answer when unmatched)."""
        if self.spec is None:
            return None, {}, [], None
        route: Route | None = None
        raw_params: dict[str, str] = {}
        path_known, below = False, self._below_base(raw_path)
        if below is not None:
            route, raw_params, path_known = self.spec.match(request.method, below)
        if route is None:
            if below is not None and path_known:
                allowed = ", ".join(self.spec.allowed_methods(below))
                problems = [
                    Problem("method", f"{request.method} is not documented for this path (documented: {allowed})")
                ]
                return None, {}, problems, self._problem(405, "Method not allowed", problems, {"Allow": allowed})
            where = f"under the base path {self.spec.base_path!r}" if below is None else "in the spec"
            problems = [Problem("path", f"{raw_path!r} is not a path {where}")]
            return None, {}, problems, self._problem(404, "No operation matches", problems)
        incoming = IncomingRequest(
            method=request.method,
            path=below or "",
            query=[(k, v) for k, v in request.query.items()],
            headers=request.headers,  # case-insensitive
            cookies=request.cookies,
            body=body,
            content_type=request.headers.get("Content-Type", ""),
        )
        try:
            problems = check_request(self.spec, route, raw_params, incoming)
        except Exception as exc:  # a checker bug must show as a problem, not a dropped connection
            problems = [Problem("mock", f"the mock could not check this request: {type(exc).__name__}: {exc}")]
        return route, raw_params, problems, None

    def _remember(
        self,
        request: web.Request,
        raw_path: str,
        body: bytes,
        route: Route | None,
        raw_params: dict[str, str],
        problems: list[Problem],
    ) -> None:
        query: dict[str, list[str]] = {}
        for name, value in request.query.items():
            query.setdefault(name, []).append(value)
        self.requests.append(
            RecordedRequest(
                method=request.method,
                raw_path=request.raw_path,
                path=raw_path,
                query=query,
                headers={k.lower(): v for k, v in request.headers.items()},
                body=body,
                operation_id=route.operation_id if route is not None else None,
                path_params={k: urllib.parse.unquote(v) for k, v in raw_params.items()},
                violations=[str(p) for p in problems],
            )
        )

    async def _scripted(
        self, request: web.Request, entry: dict[str, Any], started: float, reply: Reply, origin: str | None
    ) -> web.StreamResponse:
        if reply.delay:
            await asyncio.sleep(reply.delay)
        entry["scripted"] = True
        headers = dict(reply.headers)
        content_type = None
        if reply.json is not None:
            payload = json.dumps(reply.json).encode()
            if not any(k.lower() == "content-type" for k in headers):
                content_type = "application/json"
        elif isinstance(reply.body, str):
            payload = reply.body.encode()
        else:
            payload = reply.body or b""
        out = _Outcome(reply.status, payload, content_type, headers)
        self._record(entry, started, out, entry["problems"], [])
        if reply.reset:
            response = web.StreamResponse(status=reply.status)
            _reset(request)
            return response
        return self._response(out, payload, origin)

    # -- matching and choosing -------------------------------------------------------------

    def _below_base(self, raw_path: str) -> str | None:
        base = self.spec.base_path if self.spec is not None else ""
        if not base:
            return raw_path
        if raw_path == base or raw_path.startswith(base + "/"):
            return raw_path[len(base) :] or "/"
        return None

    def _server_faults(self) -> list[Fault]:
        return [f for f in self.options.faults if f.fires(self._fault_rng)]

    def _forced(self, faults: list[Fault]) -> _Outcome | None:
        for fault in faults:
            if fault.kind == "429":
                seconds = str(math.ceil(fault.value))  # Retry-After takes whole seconds
                return self._problem(429, "Too many requests (mock fault)", [], {"Retry-After": seconds})
            if fault.kind == "5xx":
                return self._problem(int(fault.value), "Server error (mock fault)", [])
        return None

    def _failure_status(self, route: Route, problems: list[Problem]) -> int:
        if any(p.location.startswith("credential/") for p in problems):
            return 401
        for code in (422, 400):
            if str(code) in route.responses:
                return code
        other = [c for c in route.documented_codes() if 400 <= c < 500 and c not in (401, 403, 404, 405, 409, 429)]
        return other[0] if other else 422

    def _documented(self, request: web.Request, route: Route, prefer: Prefer, number: int) -> _Outcome:
        code = prefer.code if prefer.code is not None else route.success_code()
        documented = route.response_for(code)
        if documented is None:
            listed = ", ".join(route.responses) or "none"
            return self._problem(
                400,
                "Prefer asks for an undocumented response",
                [Problem("header/prefer", f"code={code} is not documented (documented: {listed})")],
            )
        accept = request.headers.get("Accept", "")
        negotiated: dict[tuple[int, str], MediaSpec | None] = route.cache.setdefault("negotiated", {})
        if (code, accept) not in negotiated and len(negotiated) < 256:  # bounded: Accept is client text
            negotiated[(code, accept)] = _negotiate(documented.content, accept)
        media = negotiated[(code, accept)] if (code, accept) in negotiated else _negotiate(documented.content, accept)
        dynamic = bool(prefer.dynamic)
        if dynamic:
            route.dynamic_calls += 1
            number = route.dynamic_calls
        headers = self._response_headers(route, documented, code, dynamic, number)
        if media is None:
            return _Outcome(code, b"", None, headers)
        if prefer.example is not None:
            if prefer.example not in media.examples:
                named = ", ".join(media.examples) or "none"
                return self._problem(
                    400,
                    "Prefer asks for an undocumented example",
                    [
                        Problem(
                            "header/prefer",
                            f"example={prefer.example!r} is not documented for {code} {media.content_type}"
                            f" (named: {named})",
                        )
                    ],
                )
            return _encode(
                media,
                media.examples[prefer.example],
                self._rng(route, code, media, number if dynamic else None),
                code,
                headers,
            )
        key = f"{code}|{media.content_type}"
        if not dynamic and key in route.cache:
            cached: _Outcome = route.cache[key]
            return _Outcome(
                cached.status, cached.body, cached.content_type, {**cached.headers, **headers}, cached.stream
            )
        rng = self._rng(route, code, media, number if dynamic else None)
        if media.examples and not dynamic:
            value = next(iter(media.examples.values()))
        else:
            value = self._synthesize(media, rng, static=not dynamic)
        out = _encode(media, value, rng, code, headers)
        if not dynamic:
            route.cache[key] = _Outcome(out.status, out.body, out.content_type, {}, out.stream)
        return out

    def _rng(self, route: Route, code: int, media: MediaSpec, number: int | None) -> random.Random:
        # A string seed is hashed deterministically (not salted like hash()).
        return random.Random(f"{self.options.seed}:{route.operation_id}:{code}:{media.content_type}:{number}")

    def _synthesize(self, media: MediaSpec, rng: random.Random, *, static: bool) -> Any:
        schema = media.schema
        if media.content_type == "text/event-stream":
            return [self._synth.value(_event_data_schema(schema), rng, static=static) for _ in range(SSE_EVENTS)]
        if schema is None or schema == {}:
            return {} if is_json(media.content_type) else "text"
        return self._synth.value(schema, rng, static=static)

    def _response_headers(
        self, route: Route, documented: ResponseSpec, code: int, dynamic: bool, number: int
    ) -> dict[str, str]:
        headers = {}
        for name, hdef in documented.headers.items():
            if (
                name.lower() in HOP_BY_HOP
                or name.lower() in ("content-type", "content-encoding")
                or not _TOKEN.match(name)
            ):
                continue
            rng = random.Random(
                f"{self.options.seed}:{route.operation_id}:{code}:header:{name}:{number if dynamic else ''}"
            )
            value = self._synth.value(hdef.get("schema") or {"type": "string"}, rng, static=not dynamic)
            headers[name] = (
                json.dumps(value)
                if isinstance(value, (dict, list))
                else str(value).lower()
                if isinstance(value, bool)
                else str(value)
            )
        # Spec text is hostile: a value that would split the header block is not sent.
        headers = {k: v for k, v in headers.items() if _HEADER_VALUE.match(v)}
        if code == 429 and not any(n.lower() == "retry-after" for n in headers):
            headers["Retry-After"] = "1"  # what a real rate limiter sends; clients wait on it
        return headers

    def _problem(
        self, status: int, title: str, problems: list[Problem], headers: dict[str, str] | None = None
    ) -> _Outcome:
        detail = "; ".join(str(p) for p in problems[:20]) if problems else title
        document = {
            "type": "about:blank" if not problems else "urn:mock:problem",
            "title": title,
            "status": status,
            "detail": detail,
            "errors": [p.as_dict() for p in problems],
        }
        return _Outcome(status, json.dumps(document).encode(), PROBLEM_JSON, dict(headers or {}))

    def _preflight(self, request: web.Request, raw_path: str) -> _Outcome:
        below = self._below_base(raw_path)
        allowed = self.spec.allowed_methods(below) if below is not None and self.spec is not None else []
        headers = {
            "Access-Control-Allow-Methods": ", ".join([*allowed, "OPTIONS"]),
            "Access-Control-Allow-Headers": request.headers.get("Access-Control-Request-Headers", "*"),
            "Access-Control-Max-Age": "600",
        }
        return _Outcome(204, b"", None, headers)

    # -- proxy -----------------------------------------------------------------------------

    async def _proxy(
        self, request: web.Request, route: Route, below: str, body: bytes, request_problems: list[Problem]
    ) -> tuple[_Outcome, list[dict[str, str]]]:
        assert self._upstream is not None and self.options.proxy is not None
        url = self.options.proxy.rstrip("/") + below
        if request.query_string:
            url += "?" + request.query_string
        headers = {
            k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP and k.lower() not in MOCK_HEADERS
        }
        try:
            upstream = await self._upstream.request(request.method, url, headers=headers, content=body)
        except httpx.HTTPError as exc:
            problems = [*request_problems, Problem("upstream", f"{type(exc).__name__}: {exc}")]
            out = self._problem(502, "Upstream unreachable", problems)
            violations = [p.as_dict() for p in problems]
            out.headers[VIOLATIONS_HEADER] = _header_json(violations)
            return out, violations
        response_headers = {k.lower(): v for k, v in upstream.headers.items()}
        problems = [
            *request_problems,
            *check_response(self._spec, route, upstream.status_code, response_headers, upstream.content),
        ]
        violations = [p.as_dict() for p in problems]
        passed = {
            k: v
            for k, v in upstream.headers.items()
            if k.lower() not in HOP_BY_HOP and k.lower() not in ("content-encoding", "content-type")
        }
        out = _Outcome(upstream.status_code, upstream.content, upstream.headers.get("content-type"), passed)
        if violations:
            out.headers[VIOLATIONS_HEADER] = _header_json(violations)
        return out, violations

    # -- sending ---------------------------------------------------------------------------

    async def _send(
        self,
        request: web.Request,
        entry: dict[str, Any],
        started: float,
        out: _Outcome,
        faults: list[Fault],
        origin: str | None,
    ) -> web.StreamResponse:
        kinds = {f.kind: f for f in faults}
        body = b"".join(out.stream) if out.stream is not None else out.body
        if "malformed" in kinds and body:
            body = b'{"mock": "malformed", ' + body[: len(body) // 2] + b"]]"
        elif "truncate" in kinds and body:
            body = body[: max(1, len(body) // 2)]
        # Journal first: whoever reads it after seeing the response finds this request there.
        self._record(entry, started, out, entry.get("problems", []), faults)
        streamed = out.stream is not None and not ({"reset", "truncate", "malformed"} & kinds.keys())
        if not streamed and not ({"reset", "trickle"} & kinds.keys()):
            return self._response(out, body, origin)
        response = web.StreamResponse(status=out.status, headers=out.headers)
        if out.content_type:
            response.headers["Content-Type"] = out.content_type
        self._cors(response, origin)
        pause = kinds["trickle"].value / 1000 if "trickle" in kinds else 0.0
        if streamed and "reset" not in kinds:
            assert out.stream is not None
            response.enable_chunked_encoding()
            await response.prepare(request)
            for event in out.stream:
                await response.write(event)
                await asyncio.sleep(pause)
            await response.write_eof()
            return response
        response.content_length = len(body)
        await response.prepare(request)
        if "reset" in kinds:
            await response.write(body[: len(body) // 2])
            await asyncio.sleep(0.01)  # let the first half leave before the reset
            _reset(request)
            return response
        for start in range(0, len(body), 8):
            await response.write(body[start : start + 8])
            await asyncio.sleep(pause)
        await response.write_eof()
        return response

    def _cors(self, response: web.StreamResponse, origin: str | None) -> None:
        if not self.options.cors or origin is None:
            return
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
        response.headers["Access-Control-Expose-Headers"] = "*"

    def _finish(
        self,
        entry: dict[str, Any],
        started: float,
        out: _Outcome,
        problems: list[Any],
        faults: list[Fault],
        *,
        origin: str | None = None,
    ) -> web.StreamResponse:
        self._record(entry, started, out, problems, faults)
        return self._response(out, out.body, origin)

    def _record(
        self, entry: dict[str, Any], started: float, out: _Outcome, problems: list[Any], faults: list[Fault]
    ) -> None:
        entry["status"] = out.status
        entry.setdefault("valid", not problems)
        entry.setdefault("problems", problems)
        entry.setdefault("faults", [f.text for f in faults])
        entry["ms"] = round((time.monotonic() - started) * 1000, 3)
        self.journal.append(entry)
        if self._journal_file is not None:
            self._journal_file.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def _response(self, out: _Outcome, body: bytes, origin: str | None) -> web.Response:
        made = web.Response(status=out.status, body=body, headers=out.headers)
        if out.content_type:
            made.headers["Content-Type"] = out.content_type
        self._cors(made, origin)
        return made


def out_problems(out: _Outcome) -> list[dict[str, str]]:
    """The problems listed in a problem+json outcome (for the journal)."""
    try:
        errors: list[dict[str, str]] = json.loads(out.body).get("errors", [])
    except (ValueError, AttributeError):
        return []
    return errors


def _header_json(violations: list[dict[str, str]]) -> str:
    text = json.dumps(violations, ensure_ascii=True)
    return text if len(text) <= HEADER_LIMIT else json.dumps(violations[:5], ensure_ascii=True)[:HEADER_LIMIT]


def _reset(request: web.Request) -> None:
    """Abort the connection with a TCP RST (SO_LINGER 0), as a crashed peer or middlebox does."""
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


def _negotiate(content: tuple[MediaSpec, ...], accept: str) -> MediaSpec | None:
    """The documented media type the Accept header prefers; JSON first when it accepts anything."""
    if not content:
        return None
    wanted = [part.split(";", 1)[0].strip().lower() for part in accept.split(",") if part.strip()]
    for want in wanted:
        for media in content:
            if want == media.content_type:
                return media
    for want in wanted:
        kind, _, sub = want.partition("/")
        for media in content:
            if sub == "*" and kind != "*" and media.content_type.startswith(kind + "/"):
                return media
    for media in content:
        if is_json(media.content_type):
            return media
    return content[0]


def _event_data_schema(schema: Any) -> Any:
    """The schema of one SSE event's data: an ``itemSchema``, else the ``data`` property, else the schema."""
    if isinstance(schema, dict):
        if isinstance(schema.get("itemSchema"), dict):
            return schema["itemSchema"]
        props = schema.get("properties")
        if isinstance(props, dict) and "data" in props:
            return props["data"]
    return schema if schema is not None else {"type": "string"}


def _encode(media: MediaSpec, value: Any, rng: random.Random, code: int, headers: dict[str, str]) -> _Outcome:
    ctype = media.content_type
    if ctype == "text/event-stream":
        events = value if isinstance(value, list) else [value]
        chunks = []
        for n, data in enumerate(events, 1):
            if isinstance(data, str) and data.startswith(("data:", "event:", "id:", ":")):
                chunks.append(data.encode() + (b"" if data.endswith("\n\n") else b"\n\n"))
                continue
            text = data if isinstance(data, str) else json.dumps(data)
            lines = "".join(f"data: {line}\n" for line in text.split("\n"))
            chunks.append(f"id: {n}\n{lines}\n".encode())
        return _Outcome(code, b"".join(chunks), "text/event-stream", {**headers, "Cache-Control": "no-cache"}, chunks)
    if is_json(ctype) or ctype == "*/*":
        return _Outcome(code, json.dumps(value).encode(), ctype if ctype != "*/*" else "application/json", headers)
    if ctype.startswith("text/") or ctype in ("application/xml", "application/x-www-form-urlencoded"):
        text = value if isinstance(value, str) else json.dumps(value)
        return _Outcome(code, text.encode(), f"{ctype}; charset=utf-8", headers)
    if isinstance(value, (bytes, bytearray)):
        return _Outcome(code, bytes(value), ctype, headers)
    if isinstance(value, str) and not _binary_schema(media.schema) and not _is_binary_type(ctype):
        return _Outcome(code, value.encode(), ctype, headers)
    magic = BINARY_MAGIC.get(ctype, b"")
    return _Outcome(code, magic + rng.randbytes(256), ctype, headers)


def _binary_schema(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("format") == "binary" or "contentMediaType" in schema)


def _is_binary_type(ctype: str) -> bool:
    return ctype.startswith(("image/", "audio/", "video/", "font/")) or ctype in (
        "application/octet-stream",
        "application/pdf",
        "application/zip",
        "application/gzip",
    )
