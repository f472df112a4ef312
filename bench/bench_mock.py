"""Benchmark ``python -m generator mock`` against aiohttp answering a constant body, in one run.

Both servers run as their own subprocess; one aiohttp client sends the same valid ClarityQ
``PUT .../feedback`` (JSON body, API key) over 50 concurrent keep-alive connections. The mock
matches the route, checks path, credential and body against the spec and answers the
documented 200; the reference reads the body and answers fixed bytes. Rounds alternate
(reference, mock, reference, mock, ...) so machine noise hits both; the median round counts.
Reported: requests/s, p50/p99 latency, errors, and each server's peak RSS (VmHWM).

Run: ``python bench/bench_mock.py [--requests 10000] [--concurrency 50] [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PRODUCT = "5f0c7c8e-1111-4222-8333-944445555666"
CONVERSATION = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"
PATH = f"/api/v1/products/{PRODUCT}/conversations/{CONVERSATION}/feedback"
BODY = json.dumps({"rating": "POSITIVE", "comment": "spot on"}).encode()
HEADERS = {"X-API-Key": "bench-key", "Content-Type": "application/json"}
CONSTANT = json.dumps(
    {"conversation_id": CONVERSATION, "updated_at": "2025-01-01T00:00:00Z", "rating": "POSITIVE", "comment": None}
).encode()


def reference_server() -> None:
    """The same server library answering a constant body (run in a subprocess)."""
    from aiohttp import web

    async def handle(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=CONSTANT, content_type="application/json")

    async def main() -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        print(f"http://127.0.0.1:{port}", flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


def start(cmd: list[str]) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        cmd,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http://"):
        proc.kill()
        raise SystemExit(f"server did not start: {cmd}")
    return proc, url


def peak_rss_mib(pid: int) -> float:
    """VmHWM (peak resident set) of a live process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def load(url: str, total: int, concurrency: int) -> tuple[float, list[float], int]:
    """Send ``total`` requests over ``concurrency`` connections: (seconds, latencies, errors)."""
    import aiohttp

    latencies: list[float] = []
    errors = 0
    remaining = total
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal remaining, errors
            while remaining > 0:
                remaining -= 1
                began = time.perf_counter()
                try:
                    async with session.put(url + PATH, data=BODY, headers=HEADERS) as response:
                        payload = await response.read()
                        if response.status != 200 or b"conversation_id" not in payload:
                            errors += 1
                except aiohttp.ClientError:
                    errors += 1
                latencies.append(time.perf_counter() - began)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - started, latencies, errors


def measure(url: str, total: int, concurrency: int) -> dict[str, float]:
    seconds, latencies, errors = asyncio.run(load(url, total, concurrency))
    cuts = statistics.quantiles(latencies, n=100)
    return {"rps": total / seconds, "p50_ms": cuts[49] * 1000, "p99_ms": cuts[98] * 1000, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reference-server", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reference_server:
        reference_server()
        return
    mock, mock_url = start([sys.executable, "-m", "generator", "mock", "clarityq", "--port", "0"])
    ref, ref_url = start([sys.executable, __file__, "--reference-server"])
    try:
        for url in (ref_url, mock_url):  # warm up connections, caches and validators
            measure(url, 1000, args.concurrency)
        results: dict[str, list[dict[str, float]]] = {"reference": [], "mock": []}
        for _ in range(args.rounds):
            results["reference"].append(measure(ref_url, args.requests, args.concurrency))
            results["mock"].append(measure(mock_url, args.requests, args.concurrency))
        rss = {"reference": peak_rss_mib(ref.pid), "mock": peak_rss_mib(mock.pid)}
    finally:
        for proc in (mock, ref):
            proc.terminate()
            proc.wait(timeout=15)
    summary = {}
    for name, rounds in results.items():
        median = sorted(rounds, key=lambda r: r["rps"])[len(rounds) // 2]
        summary[name] = {**median, "errors": sum(r["errors"] for r in rounds), "peak_rss_mib": rss[name]}
    print(f"{args.requests} requests x {args.rounds} rounds over {args.concurrency} connections (median round)")
    print(f"{'server':<10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'peak RSS MiB':>13}")
    for name, s in summary.items():
        print(
            f"{name:<10} {s['rps']:>8.0f} {s['p50_ms']:>8.2f} {s['p99_ms']:>8.2f} {s['errors']:>7.0f}"
            f" {s['peak_rss_mib']:>13.1f}"
        )
    ratio = summary["mock"]["rps"] / summary["reference"]["rps"]
    print(f"mock / reference throughput: {ratio:.2f}x (target >= 0.5x)")
    print(json.dumps({"summary": summary, "throughput_ratio": round(ratio, 3)}))


if __name__ == "__main__":
    main()
