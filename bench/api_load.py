"""Load benchmark of the HTTP API (not a test): req/s and p50/p99 latency per endpoint.

Starts `capgraph serve` in a subprocess on 127.0.0.1 (a free port, a temporary store), ingests the
seeds through `POST /sources`, then fires a bounded number of requests from a few threads at
/health (the baseline: routing and JSON, no store or model work), /search and /models/o4-mini/alternatives.

    .venv/bin/python bench/api_load.py [--requests 500] [--threads 4] [--counting on|off|both]

`--counting both` runs everything twice in the same run, times matched off (CAPGRAPH_COUNT_MATCHES=false)
then on, so the cost of counting the models each answer returns is read from one machine state.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SEEDS = next((p for p in (ROOT.parent / "shared" / "seeds", ROOT / "examples") if p.is_dir()), ROOT / "examples")
HOST = "127.0.0.1"
KEY = secrets.token_urlsafe(32)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(store: Path, port: int, counting: bool = True) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", CAPGRAPH_API_KEY=KEY)  # the seeds are posted with it
    env["CAPGRAPH_COUNT_MATCHES"] = "true" if counting else "false"
    cmd = [
        sys.executable,
        "-c",
        "from capgraph.api.cli import main; main()",
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--store",
        str(store),
    ]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 180.0) -> tuple[float, float]:
    """Seconds from start until /health answers, and until it reports the model loaded."""
    start = time.perf_counter()
    answered: float | None = None
    while time.perf_counter() - start < timeout:
        if server.poll() is not None:
            err = server.stderr.read().decode(errors="replace") if server.stderr else ""
            raise SystemExit(f"server exited with {server.returncode}:\n{err[-2000:]}")
        try:
            health = httpx.get(f"{base}/health", timeout=1.0)
            if health.status_code == 200:
                answered = answered if answered is not None else time.perf_counter() - start
                if health.json()["model"]["loaded"]:
                    return answered, time.perf_counter() - start
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise SystemExit("server did not become ready")


Params = Callable[[int], dict[str, str]]


def run(name: str, base: str, path: str, params: Params, requests: int, threads: int) -> None:
    local = threading.local()

    def client() -> httpx.Client:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=base, timeout=30.0)
        c: httpx.Client = local.client
        return c

    def one(i: int) -> float:
        t0 = time.perf_counter()
        r = client().get(path, params=params(i))
        elapsed = time.perf_counter() - t0
        if r.status_code != 200:
            raise RuntimeError(f"{path}: {r.status_code} {r.text[:200]}")
        return elapsed

    for i in range(10):  # warm-up: connections
        one(-1 - i)
    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        latencies = sorted(pool.map(one, range(requests)))
    wall = time.perf_counter() - start
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    print(f"{name:<36} {requests / wall:>8.1f} req/s   p50 {p50:>7.2f} ms   p99 {p99:>7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="requests per endpoint (bounded)")
    parser.add_argument("--threads", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--counting", choices=("on", "off", "both"), default="on", help="times matched counting")
    args = parser.parse_args()
    requests = max(1, min(args.requests, 5000))
    for counting in {"on": (True,), "off": (False,), "both": (False, True)}[args.counting]:
        print(f"--- times matched counting {'on' if counting else 'off'}")
        measure(requests, args.threads, counting)


def measure(requests: int, threads: int, counting: bool) -> None:
    port = free_port()
    base = f"http://{HOST}:{port}"
    with tempfile.TemporaryDirectory(prefix="capgraph-bench-") as tmp:
        server = start_server(Path(tmp) / "store", port, counting)
        try:
            health, ready = wait_ready(base, server)
            t0 = time.perf_counter()
            for seed in sorted(SEEDS.glob("*.txt")):
                r = httpx.post(f"{base}/sources", content=seed.read_bytes(), headers={"X-API-Key": KEY}, timeout=120.0)
                r.raise_for_status()
            ingest = time.perf_counter() - t0
            stats = httpx.get(f"{base}/stats").json()
            print(
                f"/health answered {health:.1f} s after start, model loaded at {ready:.1f} s; seeds ingested over "
                f"HTTP in {ingest:.2f} s: {stats['models']} models, {stats['capabilities']} capabilities"
            )
            print(
                f"{requests} requests per endpoint, {threads} client threads, {os.cpu_count()} CPUs, one uvicorn worker"
            )
            cases: list[tuple[str, str, Params]] = [
                ("GET /health (baseline)", "/health", lambda i: {}),
                (
                    "GET /search (same query: cached)",
                    "/search",
                    lambda i: {"q": "generate code across multiple files", "k": "10"},
                ),
                (
                    "GET /search (distinct queries)",
                    "/search",
                    lambda i: {"q": f"generate code across {i} files in a repository", "k": "10"},
                ),
                ("GET /models/o4-mini/alternatives", "/models/o4-mini/alternatives", lambda i: {"k": "10"}),
            ]
            for name, path, params in cases:
                run(name, base, path, params, requests, threads)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
