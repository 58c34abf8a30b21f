"""Load benchmark of the HTTP API (not a test): req/s and p50/p99 latency per endpoint.

Starts `capgraph serve` in a subprocess on 127.0.0.1 (a free port, a temporary store), ingests the
seeds through `POST /sources`, then fires a bounded number of requests from a few threads at
/health (the baseline: routing and JSON, no store or model work), /search and /models/o4-mini/alternatives.

    .venv/bin/python bench/api_load.py [--requests 500] [--threads 1,4,16] [--repeat 3] [--only search]
        [--counting on|off|both]

`--threads` takes a list (one row per count); `--repeat` runs each row N times and prints the medians of
req/s, p50 and p99 (the machine is shared: one run's p99 is noise); `--only` keeps the cases whose name
contains the text.

`--counting both` runs everything twice in the same run, times matched off (CAPGRAPH_COUNT_MATCHES=false)
then on, so the cost of counting the models each answer returns is read from one machine state.
"""

from __future__ import annotations

import argparse
import itertools
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
SERIAL = itertools.count()  # distinct queries stay distinct across runs (repeats would hit the query cache)


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


def cpu_seconds(pid: int) -> float:
    """User + system CPU the process has used (Linux /proc): the server's cost per request, which a shared
    machine's load does not inflate the way it inflates latency."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(base: str, path: str, params: Params, requests: int, threads: int, pid: int) -> tuple[float, ...]:
    """req/s, p50 ms, p99 ms and the server's CPU ms per request of `requests` requests from `threads` client
    threads (after 10 warm-up ones)."""
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
    start, cpu = time.perf_counter(), cpu_seconds(pid)
    with ThreadPoolExecutor(threads) as pool:
        latencies = sorted(pool.map(one, range(requests)))
    wall = time.perf_counter() - start
    cpu = cpu_seconds(pid) - cpu
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    return requests / wall, p50, p99, cpu / requests * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500, help="requests per endpoint (bounded)")
    parser.add_argument("--threads", default="4", help="concurrent client threads, a comma-separated list")
    parser.add_argument("--repeat", type=int, default=1, help="runs per row; medians are printed")
    parser.add_argument("--only", default="", help="keep the cases whose name contains this text")
    parser.add_argument("--counting", choices=("on", "off", "both"), default="on", help="times matched counting")
    args = parser.parse_args()
    requests = max(1, min(args.requests, 5000))
    for counting in {"on": (True,), "off": (False,), "both": (False, True)}[args.counting]:
        print(f"--- times matched counting {'on' if counting else 'off'}")
        threads = [max(1, int(t)) for t in args.threads.split(",")]
        measure(requests, threads, counting, max(1, args.repeat), args.only)


def measure(requests: int, threads: list[int], counting: bool, repeat: int, only: str) -> None:
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
                f"{requests} requests per endpoint, {os.cpu_count()} CPUs, one uvicorn worker; medians of {repeat} runs"
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
                    lambda i: {"q": f"generate code across {next(SERIAL)} files in a repository", "k": "10"},
                ),
                ("GET /models/o4-mini/alternatives", "/models/o4-mini/alternatives", lambda i: {"k": "10"}),
            ]
            for name, path, params in cases:
                if only not in name:
                    continue
                for n in threads:
                    runs = [run(base, path, params, requests, n, server.pid) for _ in range(repeat)]
                    rate, p50, p99, cpu = (statistics.median(r[i] for r in runs) for i in range(4))
                    print(
                        f"{name + ' x' + str(n):<40} {rate:>8.1f} req/s   p50 {p50:>7.2f} ms   p99 {p99:>7.2f} ms"
                        f"   server CPU {cpu:>5.2f} ms/req",
                        flush=True,
                    )
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
