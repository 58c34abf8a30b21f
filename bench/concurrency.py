"""Concurrent writers and readers against a real `capgraph serve`, with a CLI writer on the same folder
(not a test; run by hand before resolving issue 12).

A temporary embedded store gets the seeds; `capgraph serve` runs over it (writes keyed). For --seconds:
- --writers threads POST distinct small pages (each names two models no other page names);
- --readers threads GET /stats, /models, /sources, /search, /classes, /benchmarks, a model's detail;
- one more thread runs `capgraph ingest` of a fresh page file into the same folder, again and again (a
  second process writing the store), and after each ingest exits polls `GET /models/{its model}` until it
  answers 200: a poll sent 1 s or more after the commit that does not see it is a stale read; the time
  from the commit to the sending of the first poll that saw it is the freshness lag (queueing excluded).
At the end every source the API accepted (201) and every page the CLI ingested must be listed by the
API (walking `/sources` by `next_offset`) and present in a fresh open of the folder.

    .venv/bin/python bench/concurrency.py [--writers 8] [--readers 32] [--seconds 75]

Prints the counts, the 5xx count, the lost sources and the freshness lags; exit 1 when any source is
lost, any 5xx was answered or a lag exceeded 1 s.
"""

from __future__ import annotations

import argparse
import os
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from itertools import count
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_load import HOST, KEY, ROOT, SEEDS, free_port, start_server, wait_ready

FRESH_WITHIN_S = 1.0


def tag(n: int, prefix: str) -> str:
    """A letters-only tag (digits would split the model names)."""
    letters = string.ascii_lowercase
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = letters[r] + out
    return prefix + out


def page(t: str) -> str:
    """A small comparison page of our own wording: two models only this page names, one capability each."""
    return (
        f"Orbit{t} 5B vs Lumen{t} 9B\n"
        f"| Feature | Orbit{t} 5B | Lumen{t} 9B |\n|---|---|---|\n| Type | Model | Model |\n"
        f"| Context window | 32K | 64K |\n"
        f"Orbit{t} 5B Capabilities\nTags support tickets by urgency and routes them to the right queue.\n"
        f"Lumen{t} 9B Capabilities\nDrafts release notes from a list of merged pull requests.\n"
    )


def model_id(t: str) -> str:
    return f"orbit{t}-5b"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--readers", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=75.0)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="concurrency-"))
    store = work / "store"
    env = {**os.environ, "CAPGRAPH_STORE": str(store), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    cli = [sys.executable, "-c", "from capgraph.api.cli import main; main()"]
    seeded = subprocess.run([*cli, "ingest", str(SEEDS)], cwd=ROOT, env=env, capture_output=True, timeout=600)
    assert seeded.returncode == 0, seeded.stderr.decode()[-2000:]
    port = free_port()
    base = f"http://{HOST}:{port}"
    server = start_server(store, port)
    wait_ready(base, server)

    stop = time.monotonic() + args.seconds
    statuses: Counter[int] = Counter()
    errors: Counter[str] = Counter()
    accepted: list[str] = []
    cli_pages: list[str] = []
    lags: list[float] = []
    lock = threading.Lock()
    numbers = count()

    def note(status: int) -> None:
        with lock:
            statuses[status] += 1

    def fail(kind: str) -> None:
        with lock:
            errors[kind] += 1

    def writer() -> None:
        with httpx.Client(base_url=base, timeout=300, headers={"X-API-Key": KEY}) as http:
            while time.monotonic() < stop:
                t = tag(next(numbers), "w")
                try:
                    r = http.post("/sources", content=page(t).encode())
                except httpx.HTTPError as exc:
                    fail(type(exc).__name__)
                    continue
                note(r.status_code)
                if r.status_code == 201:
                    with lock:
                        accepted.append(r.json()["source_id"])

    def reader(i: int) -> None:
        paths = [
            ("/stats", {}),
            ("/models", {"prefix": "orbit", "limit": 50}),
            ("/sources", {"limit": 50}),
            ("/search", {"q": "route support tickets by urgency", "k": 5}),
            ("/classes", {"limit": 10}),
            ("/benchmarks", {"limit": 10}),
            ("/models/o4-mini", {"limit": 20}),
        ]
        with httpx.Client(base_url=base, timeout=300) as http:
            n = i
            while time.monotonic() < stop:
                path, params = paths[n % len(paths)]
                n += 1
                try:
                    note(http.get(path, params=params).status_code)
                except httpx.HTTPError as exc:
                    fail(type(exc).__name__)

    def cli_writer() -> None:
        # Freshness is about the state a read sees, not how long it queued behind 40 clients: a poll *sent*
        # FRESH_WITHIN_S or more after the CLI's commit must see the page; the lag is from the commit to the
        # sending of the first poll that saw it.
        with httpx.Client(base_url=base, timeout=300) as http:
            n = 0
            while time.monotonic() < stop:
                t = tag(n, "c")
                n += 1
                text = work / f"cli-{t}.txt"
                text.write_text(page(t), encoding="utf-8")
                done = subprocess.run([*cli, "ingest", str(text)], cwd=ROOT, env=env, capture_output=True)
                if done.returncode != 0:
                    fail("cli ingest failed")
                    continue
                committed = time.monotonic()
                cli_pages.append(model_id(t))
                while True:
                    sent = time.monotonic()
                    try:
                        status = http.get(f"/models/{model_id(t)}").status_code
                    except httpx.HTTPError as exc:
                        fail(type(exc).__name__)
                        break
                    note(status)
                    if status == 200:
                        lags.append(sent - committed)
                        break
                    if sent - committed >= FRESH_WITHIN_S:
                        fail("stale read sent 1 s after a commit")
                    time.sleep(0.01)

    threads = [threading.Thread(target=writer) for _ in range(args.writers)]
    threads += [threading.Thread(target=reader, args=(i,)) for i in range(args.readers)]
    threads.append(threading.Thread(target=cli_writer))
    for th in threads:
        th.start()
    for th in threads:
        th.join()

    listed: set[str] = set()
    with httpx.Client(base_url=base, timeout=300) as http:
        offset: int | None = 0
        while offset is not None:
            body = http.get("/sources", params={"offset": offset, "limit": 500}).json()
            listed |= {s["id"] for s in body["sources"]}
            offset = body["next_offset"]
        missing_cli = [m for m in cli_pages if http.get(f"/models/{m}").status_code != 200]
    server.terminate()
    server.wait(timeout=60)

    from capgraph.graph.networkx_store import NetworkxStore

    reopened = NetworkxStore(store)
    on_disk = {s.id for s in reopened.list_sources()}
    reopened_models = {m.id for m in reopened.list_models(None, None, 0, 1_000_000)[0]}
    reopened.close()
    lost_api = [s for s in accepted if s not in listed or s not in on_disk]
    lost_cli = [m for m in cli_pages if m not in reopened_models] + missing_cli
    five = sum(n for s, n in statuses.items() if s >= 500)
    lags.sort()
    print(f"{args.writers} writers + {args.readers} readers + 1 CLI writer for {args.seconds:.0f} s")
    print(f"requests by status: {dict(sorted(statuses.items()))}; client errors: {dict(errors) or 'none'}")
    print(f"API writes accepted {len(accepted)}, CLI ingests {len(cli_pages)}; sources at the end {len(on_disk)}")
    print(f"lost: {len(lost_api)} API sources, {len(lost_cli)} CLI pages; 5xx: {five}")
    if lags:
        print(
            f"freshness (CLI commit -> sending of the first read that saw it): n={len(lags)} "
            f"median {lags[len(lags) // 2] * 1000:.0f} ms, max {lags[-1] * 1000:.0f} ms"
        )
    bad = lost_api or lost_cli or five or errors or not lags or lags[-1] > FRESH_WITHIN_S
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
