"""SIGKILL `capgraph ingest` of a real folder at random moments and check the embedded store after each kill.

One clean ingest of the corpus is timed first; then each round starts `capgraph ingest <corpus>` into the same
data folder and kills it (SIGKILL: nothing runs on the way out). Every third round kills inside a commit
(as soon as a temp or pending file of a document's write is on disk); of the others, odd rounds kill after a
uniform random delay in [--min-delay, that time] (any moment: start-up, parsing, encoding, writing) and even
rounds wait for the round's first commit (CURRENT replaced) and kill a uniform 0-1.5 s later, in the writes.
After each kill a fresh `NetworkxStore` opens the folder and we check:
- it opens (no StoreUnavailable);
- no partial state: every committed source has its extraction, text and title files, every capability of
  the graph has its vector, and the stats agree with the source list;
- no finished document lost: every source committed at the previous check is still there;
- no leftovers after reopen: no temp, `.pending` or `.removing` file; the texts on disk are exactly the
  committed sources' (so `capgraph rebuild` brings back exactly what committed).
When the whole corpus is in, the folder is emptied and the rounds go on from scratch.

usage: .venv/bin/python bench/kill_ingest.py --kills 100 [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from capgraph.errors import StoreUnavailable
from capgraph.graph.networkx_store import NetworkxStore

ROOT = Path(__file__).resolve().parents[1]
LEFTOVER_SUFFIXES = (".tmp", ".pending", ".removing")


def ingest(folder: Path, corpus: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CAPGRAPH_STORE": str(folder), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    cmd = [sys.executable, "-c", "from capgraph.api.cli import main; main()", "ingest", str(corpus)]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def in_commit(folder: Path) -> bool:
    """A document's write is under way: one of its temp or pending files exists."""
    for sub in ("texts", "sources", "vectors", "links", ""):
        with contextlib.suppress(OSError):
            if any(e.name.endswith((".tmp", ".pending")) for e in os.scandir(folder / sub)):
                return True
    return False


def generation(folder: Path) -> int:
    try:
        return int(json.loads((folder / "CURRENT").read_text()).get("generation", 0))
    except (OSError, ValueError):
        return -1


def check(folder: Path, before: set[str]) -> tuple[set[str], list[str]]:
    """(committed source ids, problems found) of the folder as a fresh process opens it."""
    try:
        store = NetworkxStore(folder)
    except StoreUnavailable as exc:
        return before, [f"does not open: {exc}"]
    problems: list[str] = []
    sources = {s.id for s in store.list_sources()}
    if lost := before - sources:
        problems.append(f"lost {len(lost)} finished documents")
    for sid in sources:
        for path in (folder / "sources" / f"{sid}.json", folder / "texts" / f"{sid}.txt"):
            if not path.exists():
                problems.append(f"partial: {path.relative_to(folder)} missing")
    ids = store.all_capability_ids()
    if ids and not all(store.has_vectors(ids)):
        problems.append("partial: capabilities without vectors")
    if store.stats().sources != len(sources):
        problems.append("partial: stats disagree with the source list")
    leftovers = [p for p in folder.rglob("*") if p.is_file() and p.name.endswith(LEFTOVER_SUFFIXES)]
    if leftovers:
        problems.append(f"leftovers: {sorted(str(p.relative_to(folder)) for p in leftovers)[:3]}")
    texts = {p.name.removesuffix(".txt") for p in (folder / "texts").glob("*.txt")}
    if texts != sources:
        problems.append(f"texts of {len(texts - sources)} uncommitted documents, {len(sources - texts)} missing")
    store.close()
    return sources, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--min-delay", type=float, default=3.0, help="seconds; before it the CLI is still importing")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--max-window", type=float, default=40.0, help="seconds; cap on the random kill delay")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="kill-ingest-"))
    folder = work / "store"

    t0 = time.perf_counter()
    clean = ingest(folder, args.corpus)
    status = clean.wait()
    full = min(time.perf_counter() - t0, args.max_window)
    complete, problems = check(folder, set())
    # exit 1 is `ingest`'s "some files failed" (corpus pages that name no model); the rest must be stored
    if status not in (0, 1) or not complete:
        print(f"the clean ingest failed (exit {status}, {len(complete)} documents)")
        return 1
    print(f"clean ingest: {len(complete)} documents in {full:.1f} s; problems: {problems or 'none'}")
    shutil.rmtree(folder)

    committed: set[str] = set()
    opened = partial = lost = leftover = restarts = 0
    counts: list[int] = []
    for n in range(1, args.kills + 1):
        proc = ingest(folder, args.corpus)
        started = time.perf_counter()
        if n % 3 == 0:  # inside a commit: as soon as a temp or pending file is on disk
            while not in_commit(folder) and proc.poll() is None and time.perf_counter() - started < 3 * full:
                time.sleep(0.001)
        elif n % 2:
            time.sleep(rng.uniform(args.min_delay, full))
        else:
            first = generation(folder)
            while generation(folder) == first and proc.poll() is None and time.perf_counter() - started < 3 * full:
                time.sleep(0.02)
            time.sleep(rng.uniform(0.0, 1.5))
        delay = time.perf_counter() - started
        finished = proc.poll() is not None
        if not finished:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        now, problems = check(folder, committed)
        opened += not any(p.startswith("does not open") for p in problems)
        partial += any(p.startswith("partial") for p in problems)
        lost += any(p.startswith("lost") for p in problems)
        leftover += any(p.startswith(("leftovers", "texts of")) for p in problems)
        counts.append(len(now) - len(committed))
        committed = now
        state = "finished before the kill" if finished else f"killed after {delay:5.1f} s"
        print(f"{n:3d} {state}: {len(committed):2d}/{len(complete)} committed; {problems or 'ok'}", flush=True)
        if committed == complete:
            shutil.rmtree(folder)
            committed, restarts = set(), restarts + 1
    print(
        f"\n{args.kills} SIGKILLs: store opened {opened}/{args.kills}; partial states {partial}; "
        f"rounds that lost finished documents {lost}; rounds with leftovers after reopen {leftover}; "
        f"documents committed per round (mean) {sum(counts) / len(counts):.1f}; corpus completed {restarts} times"
    )
    shutil.rmtree(work, ignore_errors=True)
    return 1 if partial or lost or leftover or opened < args.kills else 0


if __name__ == "__main__":
    sys.exit(main())
