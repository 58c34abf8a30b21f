"""Schema-driven fuzzing of the real HTTP API (not a test; run by hand before resolving API issues).

Ingests the seeds into a temporary embedded store, serves the app with uvicorn on 127.0.0.1 (writes
guarded by a key, the default Host allowlist), and runs the schemathesis CLI against its OpenAPI
document: the examples, coverage, fuzzing (positive and negative inputs) and stateful phases, every
check. The server itself counts what it answered, so the request total and the 5xx count do not depend
on the fuzzer's own report.

    .venv/bin/python bench/fuzz_api.py [--max-examples 400] [--seed 1] [--min-requests 5000]

Exit status 0 only when the server answered at least --min-requests requests, none with a 5xx, and
schemathesis found no failure (server errors, schema or status-code violations, rejected valid data,
accepted invalid data, ignored auth...).
"""

from __future__ import annotations

import argparse
import collections
import json
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from capgraph.api.app import create_app  # noqa: E402
from capgraph.app import Services  # noqa: E402
from capgraph.app.settings import Settings  # noqa: E402

SEEDS = next((p for p in (ROOT.parent / "shared" / "seeds", ROOT / "examples") if p.is_dir()), ROOT / "examples")
HOST = "127.0.0.1"
KEY = secrets.token_urlsafe(32)
CONFIG = Path(__file__).with_suffix(".toml")  # per-operation expectations, each with its reason


class Tally:
    """Counts every HTTP answer the app sends, by status."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.statuses: collections.Counter[int] = collections.Counter()
        self.lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                with self.lock:
                    self.statuses[int(message["status"])] += 1
            await send(message)

        await self.app(scope, receive, counted)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=400, help="test cases per operation and phase")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--min-requests", type=int, default=5000)
    parser.add_argument("--workers", default="1")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="capgraph-fuzz-") as tmp:
        settings = Settings(store=str(Path(tmp) / "store"), api_key=KEY)  # type: ignore[arg-type]
        services = Services(settings)
        report = services.ingest.paths(sorted(SEEDS.glob("*.txt")))
        print(f"store: {report.new} seeds, {report.models} models, {report.capabilities} capabilities")
        tally = Tally(create_app(settings, services=services))
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(tally, host=HOST, port=port, log_level="critical"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        report_path = Path(tmp) / "report.json"
        cli = Path(sys.executable).with_name("schemathesis")
        cmd = [
            str(cli),
            f"--config-file={CONFIG}",
            "run",
            f"http://{HOST}:{port}/openapi.json",
            "--phases=examples,coverage,fuzzing,stateful",
            "--checks=all",
            "--mode=all",
            f"--max-examples={args.max_examples}",
            f"--seed={args.seed}",
            f"--workers={args.workers}",
            "--continue-on-failure",
            "--suppress-health-check=all",
            "--generation-database=none",
            "--header",
            f"X-API-Key:{KEY}",
            "--report=json",
            f"--report-json-path={report_path}",
            "--no-color",
        ]
        started = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp)  # its cache stays out of the repo
        elapsed = time.perf_counter() - started
        server.should_exit = True
        thread.join(timeout=30)
        services.close()
        print(done.stdout[-6000:])
        if done.stderr.strip():
            print(done.stderr[-3000:], file=sys.stderr)
        failures = _failures(report_path)
    total = sum(tally.statuses.values())
    errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    print(f"server answered {total} requests in {elapsed:.0f} s: " + json.dumps(dict(sorted(tally.statuses.items()))))
    print(f"5xx answers: {errors}; schemathesis failures by check: {json.dumps(failures)}; exit {done.returncode}")
    ok = total >= args.min_requests and errors == 0 and not failures and done.returncode == 0
    sys.exit(0 if ok else 1)


def _failures(path: Path) -> dict[str, int]:
    """Failures per schemathesis code (and run errors) from its JSON run report; empty when clean."""
    if not path.is_file():
        return {"no report": 1}
    report = json.loads(path.read_text(encoding="utf-8"))
    counts = {f"{f['code']} {f['title']}": int(f["count"]) for f in report.get("failures", [])}
    if report.get("errors"):
        counts["errors"] = len(report["errors"])
    generated = report.get("test_cases", {}).get("generated")
    print(f"schemathesis: {generated} test cases generated; phases: {json.dumps(report.get('phases'))}")
    return counts


if __name__ == "__main__":
    main()
