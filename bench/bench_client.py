"""Benchmark the generated clients against raw httpx, the import floor and a 100 MB download.

1. Per-request overhead: the generated ElevenLabs sync client vs a raw ``httpx.Client``
   posting the same JSON to the same loopback server; interleaved batches, median wall
   time per request, and client CPU time per request (less sensitive to a busy machine).
   Target: generated/raw <= 1.10. The same pair is then timed over ``httpx.MockTransport``,
   whose difference in µs per call is the client's own cost without network noise.
2. Import + construct: ``from generated.elevenlabs import Client; Client(...)`` vs the
   floor ``import httpx, pydantic; httpx.Client()``, each in fresh interpreters run
   alternately, medians. Target: generated/floor <= 1.15.
3. Streaming: a 100 MB ``application/octet-stream`` body written to a file through
   ``client.files.with_streaming_response.files_api_routes_download_file(...)`` (Mistral),
   in a fresh process whose peak RSS is reported next to its RSS before the call.
4. Optionally (``--sdk``) import + construct of the official ``elevenlabs`` SDK, installed
   into a temporary venv from PyPI when it is not importable here.

The loopback server runs in its own process so that it does not share the client's GIL.
Run: ``python bench/bench_client.py [--requests 3000] [--batch 100] [--runs 11] [--mb 100] [--sdk]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
SDK_VENV = Path(tempfile.gettempdir()) / "bench-elevenlabs-venv"
PATH = "/v1/convai/conversations/conv_123/feedback"
BODY = {"feedback": "like"}
REPLY = b'{"status":"ok"}'
BLOB_BLOCK = bytes(range(256)) * 4096  # 1 MiB, written repeatedly: the server never holds the body either


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a vendor's server would
    disable_nagle_algorithm = True  # no 40 ms Nagle/delayed-ACK stalls on loopback
    blob_bytes = 0

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(REPLY)}\r\n\r\n"
        self.wfile.write(head.encode() + REPLY)  # one segment

    def do_GET(self) -> None:
        size = self.blob_bytes
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {size}\r\n\r\n"
        self.wfile.write(head.encode())
        sent = 0
        try:
            while sent < size:
                block = BLOB_BLOCK[: size - sent]
                self.wfile.write(block)
                sent += len(block)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client refused a buffered read over its cap

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(blob_bytes: int) -> None:
    """Run the loopback server until stdin closes (the parent exits); print the port first."""
    _Handler.blob_bytes = blob_bytes
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    import threading

    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    print(httpd.server_address[1], flush=True)
    sys.stdin.read()
    httpd.shutdown()


class Server:
    """The loopback server in a child process."""

    def __init__(self, blob_bytes: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", "--mb", str(blob_bytes / 2**20)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.url = f"http://127.0.0.1:{int(self.proc.stdout.readline())}"

    def stop(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def _one_request_each(generated: Any, raw: Any, base_url: str) -> tuple[Callable[[], None], Callable[[], None]]:
    """The same feedback request, sent once by the generated client and once by raw httpx (same wire bytes)."""
    headers = {"xi-api-key": "sk-bench-0123456789", "Content-Type": "application/json", "Accept": "application/json"}
    url = base_url + PATH
    payload = json.dumps(BODY, separators=(",", ":")).encode()

    def one_generated() -> None:
        generated.conversational_ai.conversations.feedback.create("conv_123", feedback="like")

    def one_raw() -> None:
        response = raw.post(url, content=payload, headers=headers)
        response.raise_for_status()
        response.json()

    return one_generated, one_raw


def bench_requests(base_url: str, total: int, batch: int) -> dict[str, tuple[float, float]]:
    """Per request: {name: (median wall seconds, CPU seconds)} for the generated client and raw httpx."""
    import httpx

    sys.path.insert(0, str(REPO_ROOT))
    from generated.elevenlabs import Client

    generated = Client(api_key="sk-bench-0123456789", base_url=base_url, max_retries=0)
    raw = httpx.Client(timeout=60.0)
    one_generated, one_raw = _one_request_each(generated, raw, base_url)
    for _ in range(200):  # warm up connections, caches, adapters
        one_generated()
        one_raw()
    times: dict[str, list[float]] = {"generated": [], "raw": []}
    cpu: dict[str, float] = {"generated": 0.0, "raw": 0.0}
    done = 0
    order = [("generated", one_generated), ("raw", one_raw)]
    while done < total:
        n = min(batch, total - done)
        for name, fn in order:
            bucket = times[name]
            c0 = time.process_time()
            for _ in range(n):
                t0 = time.perf_counter()
                fn()
                bucket.append(time.perf_counter() - t0)
            cpu[name] += time.process_time() - c0
        order.reverse()  # alternate who goes first
        done += n
    generated.close()
    raw.close()
    return {name: (statistics.median(times[name]), cpu[name] / total) for name in times}


def bench_mock(total: int, batch: int) -> dict[str, float]:
    """Per request over one ``httpx.MockTransport`` (no sockets): {name: median seconds}.

    Without the network and the server, the difference is the generated client's own cost:
    body validation, request preparation, response reading and parsing.
    """
    import httpx

    sys.path.insert(0, str(REPO_ROOT))
    from generated.elevenlabs import Client

    def reply(request: httpx.Request) -> httpx.Response:
        request.read()
        # A byte stream, as a socket transport hands it over: the generated client reads it in capped chunks.
        headers = {"Content-Type": "application/json", "Content-Length": str(len(REPLY))}
        return httpx.Response(200, headers=headers, stream=httpx.ByteStream(REPLY))

    transport = httpx.MockTransport(reply)
    generated = Client(api_key="sk-bench-0123456789", base_url="http://127.0.0.1:9", max_retries=0)
    # Swap the transport under the client's own httpx client, so that the default (owned-client)
    # path is measured; passing http_client= would measure the bring-your-own-client path instead.
    own = generated._client
    generated._client = httpx.Client(
        transport=transport, timeout=own.timeout, headers=own.headers, follow_redirects=False
    )
    own.close()
    raw = httpx.Client(transport=transport, timeout=60.0)
    one_generated, one_raw = _one_request_each(generated, raw, "http://127.0.0.1:9")
    for _ in range(500):
        one_generated()
        one_raw()
    per_batch: dict[str, list[float]] = {"generated": [], "raw": []}
    order = [("generated", one_generated), ("raw", one_raw)]
    for _ in range(max(1, total // batch)):
        for name, fn in order:
            t0 = time.perf_counter()
            for _ in range(batch):
                fn()
            per_batch[name].append((time.perf_counter() - t0) / batch)
        order.reverse()
    generated.close()
    raw.close()
    return {name: statistics.median(values) for name, values in per_batch.items()}


FLOOR_SNIPPET = """
import time
t0 = time.perf_counter()
import httpx, pydantic
c = httpx.Client()
print(time.perf_counter() - t0)
"""

GENERATED_SNIPPET = """
import time
t0 = time.perf_counter()
from generated.elevenlabs import Client
c = Client(api_key="sk-bench-0123456789")
print(time.perf_counter() - t0)
"""

SDK_SNIPPET = """
import time
t0 = time.perf_counter()
from elevenlabs.client import ElevenLabs
c = ElevenLabs(api_key="sk-bench-0123456789")
print(time.perf_counter() - t0)
"""

STREAM_SNIPPET = """
import resource, sys, time
from generated.mistral import Client
client = Client(api_key="sk-bench-0123456789", base_url=sys.argv[1], max_retries=0)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
with client.files.with_streaming_response.files_api_routes_download_file("f") as response:
    written = response.write_to_file(sys.argv[2])
elapsed = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    client.files.files_api_routes_download_file("f")
    refused = "no"
except Exception as exc:
    refused = type(exc).__name__
print(before, peak, written, elapsed, refused)
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONDONTWRITEBYTECODE": "0"}


def _time_snippet(python: str, snippet: str) -> float:
    out = subprocess.run([python, "-c", snippet], cwd=REPO_ROOT, env=_env(), check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def import_construct(snippets: dict[str, tuple[str, str]], runs: int) -> dict[str, float]:
    """Median seconds to import + construct per snippet, fresh interpreters run alternately."""
    for python, snippet in snippets.values():
        _time_snippet(python, snippet)  # warm .pyc files
    samples: dict[str, list[float]] = {name: [] for name in snippets}
    for _ in range(runs):
        for name, (python, snippet) in snippets.items():
            samples[name].append(_time_snippet(python, snippet))
    return {name: statistics.median(values) for name, values in samples.items()}


def bench_stream(base_url: str) -> tuple[int, int, int, float, str]:
    """(RSS KiB before, peak RSS KiB, bytes written, seconds, what a buffered read raised) in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        target = str(Path(tmp) / "download.bin")
        out = subprocess.run(
            [sys.executable, "-c", STREAM_SNIPPET, base_url, target],
            cwd=REPO_ROOT,
            env=_env(),
            check=True,
            capture_output=True,
            text=True,
        )
    before, peak, written, elapsed, refused = out.stdout.split()
    return int(before), int(peak), int(written), float(elapsed), refused


def sdk_python() -> str | None:
    """A Python that can import the official SDK, installing it into a temp venv if needed."""
    probe = subprocess.run([sys.executable, "-c", "import elevenlabs"], capture_output=True)
    if probe.returncode == 0:
        return sys.executable
    python = SDK_VENV / "bin" / "python"
    importable = (
        python.exists()
        and subprocess.run([str(python), "-c", "import elevenlabs"], capture_output=True).returncode == 0
    )
    if importable:
        return str(python)
    print(f"installing the official elevenlabs SDK into {SDK_VENV} ...", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(SDK_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "elevenlabs"], check=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"could not install the official SDK: {exc}")
        return None
    return str(python)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--mb", type=float, default=100.0, help="size of the streamed download, in MiB")
    parser.add_argument("--sdk", action="store_true", help="also time the official elevenlabs SDK")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    blob_bytes = int(args.mb * 2**20)
    if args.serve:
        serve(blob_bytes)
        return

    server = Server(blob_bytes)
    try:
        results = bench_requests(server.url, args.requests, args.batch)
        stream = bench_stream(server.url)
    finally:
        server.stop()
    (gen, gen_cpu), (raw, raw_cpu) = results["generated"], results["raw"]
    print(f"per request (median of {args.requests}, loopback, keep-alive, server in its own process):")
    print(f"  generated Client : {gen * 1e6:8.1f} us wall  {gen_cpu * 1e6:8.1f} us CPU")
    print(f"  raw httpx.Client : {raw * 1e6:8.1f} us wall  {raw_cpu * 1e6:8.1f} us CPU")
    print(f"  ratio generated/raw: wall {gen / raw:.2f}x, CPU {gen_cpu / raw_cpu:.2f}x (target <= 1.10)")
    mock = bench_mock(args.requests * 3, args.batch)
    print(f"per request over httpx.MockTransport (no network; median of batches of {args.batch}):")
    print(f"  generated {mock['generated'] * 1e6:.1f} us, raw {mock['raw'] * 1e6:.1f} us: ", end="")
    print(f"the client's own cost {(mock['generated'] - mock['raw']) * 1e6:+.1f} us per call")

    snippets = {"floor": (sys.executable, FLOOR_SNIPPET), "generated": (sys.executable, GENERATED_SNIPPET)}
    python = sdk_python() if args.sdk else None
    if python is not None:
        snippets["sdk"] = (python, SDK_SNIPPET)
    times = import_construct(snippets, args.runs)
    print(f"import + construct (median of {args.runs} fresh processes, run alternately):")
    print(f"  floor: import httpx, pydantic; httpx.Client() : {times['floor'] * 1e3:8.1f} ms")
    print(f"  generated.elevenlabs.Client                   : {times['generated'] * 1e3:8.1f} ms")
    print(f"  ratio generated/floor: {times['generated'] / times['floor']:.2f}x (target <= 1.15)")
    if "sdk" in times:
        print(f"  official elevenlabs SDK                       : {times['sdk'] * 1e3:8.1f} ms")

    before, peak, written, elapsed, refused = stream
    print(f"streamed download ({written / 2**20:.0f} MiB to a file, with_streaming_response.write_to_file):")
    growth = (peak - before) / 1024
    print(f"  peak RSS {peak / 1024:.1f} MiB (before the call {before / 1024:.1f} MiB; growth {growth:.1f} MiB)")
    print(f"  {written / 2**20 / elapsed:.0f} MiB/s; the same body read buffered: {refused} (32 MiB default cap)")


if __name__ == "__main__":
    main()
