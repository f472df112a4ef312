"""Benchmark the generated ElevenLabs client against raw httpx and the official SDK.

1. Per-request overhead: the generated sync client vs a raw ``httpx.Client`` posting the
   same JSON to the same loopback server; interleaved batches, median per request.
2. Import + construct time of ``generated.elevenlabs.Client`` vs the official
   ``elevenlabs`` SDK, each in fresh subprocesses, median of several runs. The SDK is
   installed into a temporary venv from PyPI when it is not importable here.

Run: ``python bench/bench_client.py [--requests 3000] [--batch 100] [--runs 7]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
SDK_VENV = Path(tempfile.gettempdir()) / "bench-elevenlabs-venv"
PATH = "/v1/convai/conversations/conv_123/feedback"
BODY = {"feedback": "like"}
REPLY = b'{"status":"ok"}'


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a vendor's server would
    disable_nagle_algorithm = True  # no 40 ms Nagle/delayed-ACK stalls on loopback

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(REPLY)}\r\n\r\n"
        self.wfile.write(head.encode() + REPLY)  # one segment

    def log_message(self, format: str, *args: Any) -> None:
        pass


def start_server() -> tuple[ThreadingHTTPServer, str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def bench_requests(base_url: str, total: int, batch: int) -> tuple[float, float]:
    """Median seconds per request: (generated client, raw httpx)."""
    import httpx

    sys.path.insert(0, str(REPO_ROOT))
    from generated.elevenlabs import Client

    generated = Client(api_key="sk-bench-0123456789", base_url=base_url, max_retries=0)
    raw = httpx.Client(timeout=60.0)
    headers = {"xi-api-key": "sk-bench-0123456789", "Content-Type": "application/json", "Accept": "application/json"}
    url = base_url + PATH
    payload = json.dumps(BODY, separators=(",", ":")).encode()

    def one_generated() -> None:
        generated.conversational_ai.conversations.feedback.create("conv_123", feedback="like")

    def one_raw() -> None:
        response = raw.post(url, content=payload, headers=headers)
        response.raise_for_status()
        response.json()

    for _ in range(200):  # warm up connections, caches, adapters
        one_generated()
        one_raw()
    times: dict[str, list[float]] = {"generated": [], "raw": []}
    done = 0
    order = [("generated", one_generated), ("raw", one_raw)]
    while done < total:
        n = min(batch, total - done)
        for name, fn in order:
            bucket = times[name]
            for _ in range(n):
                t0 = time.perf_counter()
                fn()
                bucket.append(time.perf_counter() - t0)
        order.reverse()  # alternate who goes first
        done += n
    generated.close()
    raw.close()
    return statistics.median(times["generated"]), statistics.median(times["raw"])


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


def import_construct(python: str, snippet: str, runs: int) -> float:
    """Median seconds to import + construct, each run in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONDONTWRITEBYTECODE": "0"}
    subprocess.run([python, "-c", snippet], cwd=REPO_ROOT, env=env, check=True, capture_output=True)  # warm .pyc
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [python, "-c", snippet], cwd=REPO_ROOT, env=env, check=True, capture_output=True, text=True
        )
        samples.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    httpd, base_url = start_server()
    try:
        gen, raw = bench_requests(base_url, args.requests, args.batch)
    finally:
        httpd.shutdown()
        httpd.server_close()
    print(f"per request (median of {args.requests}, loopback, keep-alive):")
    print(f"  generated Client : {gen * 1e6:8.1f} us")
    print(f"  raw httpx.Client : {raw * 1e6:8.1f} us")
    print(f"  overhead         : {(gen - raw) * 1e6:8.1f} us  (ratio generated/raw = {gen / raw:.2f}x)")

    ours = import_construct(sys.executable, GENERATED_SNIPPET, args.runs)
    print(f"import + construct (median of {args.runs} fresh processes):")
    print(f"  generated.elevenlabs.Client : {ours * 1e3:8.1f} ms")
    python = sdk_python()
    if python is None:
        print("  official elevenlabs SDK     : unavailable")
        return
    theirs = import_construct(python, SDK_SNIPPET, args.runs)
    version = subprocess.run(
        [python, "-c", "import importlib.metadata as m; print(m.version('elevenlabs'))"], capture_output=True, text=True
    ).stdout.strip()
    print(f"  official elevenlabs {version:<8}: {theirs * 1e3:8.1f} ms")
    print(f"  ratio official/generated    : {theirs / ours:.1f}x")


if __name__ == "__main__":
    main()
