"""Micro-batching: concurrent encode calls share model calls, and each caller gets its own rows."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from capgraph.embeddings.batcher import MicroBatcher, Vectors
from capgraph.embeddings.encoder import Encoder


def test_calls_waiting_while_the_model_runs_go_in_one_batch() -> None:
    release, seen = threading.Event(), []

    def run(texts: list[str]) -> Vectors:
        seen.append(list(texts))
        if len(seen) == 1:
            release.wait(timeout=20)  # the first batch is slow: the other calls queue up meanwhile
        return np.array([[float(t)] for t in texts], dtype=np.float32)

    batcher = MicroBatcher(run, max_wait_s=0.001)
    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(batcher.encode, ["0"])
        while not seen:
            time.sleep(0.001)
        rest = [pool.submit(batcher.encode, [str(i), str(i + 100)]) for i in range(1, 8)]
        while len(batcher._pending) < 7:
            time.sleep(0.001)
        release.set()
        assert first.result()[:, 0].tolist() == [0.0]
        for i, f in enumerate(rest, start=1):
            assert f.result()[:, 0].tolist() == [float(i), float(i + 100)]
    assert batcher.batches == 2 and len(seen[1]) == 14


def test_a_caller_whose_batch_is_done_returns_while_the_next_batch_runs() -> None:
    """b and c share a batch; d queues while it runs and runs the next one, held until the test ends it:
    b and c must return meanwhile (waiting on the model's lock, one of them queued behind d's batch)."""
    first, last, seen = threading.Event(), threading.Event(), []
    batcher = MicroBatcher(lambda texts: run(texts), max_wait_s=0.0)

    def run(texts: list[str]) -> Vectors:
        seen.append(list(texts))
        if texts == ["a"]:
            first.wait(timeout=20)  # b and c queue meanwhile
        elif "b" in texts:
            while len(batcher._pending) < 1:  # d queues while b and c's batch runs
                time.sleep(0.001)
        elif texts == ["d"]:
            last.wait(timeout=20)
        return np.array([[float(ord(t))] for t in texts], dtype=np.float32)

    with ThreadPoolExecutor(4) as pool:
        a = pool.submit(batcher.encode, ["a"])
        while not seen:
            time.sleep(0.001)
        b, c = pool.submit(batcher.encode, ["b"]), pool.submit(batcher.encode, ["c"])
        while len(batcher._pending) < 2:
            time.sleep(0.001)

        def d_call() -> Vectors:
            while len(seen) < 2:  # d arrives once b and c's batch runs
                time.sleep(0.001)
            return batcher.encode(["d"])

        d = pool.submit(d_call)
        first.set()
        assert a.result(timeout=10)[0, 0] == ord("a")
        assert b.result(timeout=5)[0, 0] == ord("b") and c.result(timeout=5)[0, 0] == ord("c")
        while seen[-1] != ["d"]:
            time.sleep(0.001)
        assert not d.done()
        last.set()
        assert d.result(timeout=10)[0, 0] == ord("d")
    assert sorted(seen[1]) == ["b", "c"] and batcher.batches == 3


def test_an_error_reaches_every_caller_of_the_batch_and_the_worker_goes_on() -> None:
    def run(texts: list[str]) -> Vectors:
        if "bad" in texts:
            raise ValueError("bad text")
        return np.ones((len(texts), 2), dtype=np.float32)

    batcher = MicroBatcher(run)
    with pytest.raises(ValueError, match="bad text"):
        batcher.encode(["bad"])
    assert batcher.encode(["good", "fine"]).shape == (2, 2)


def test_concurrent_queries_batch_and_match_one_by_one(encoder: Encoder) -> None:
    """16 threads encode distinct queries at once through the real model: fewer model calls than queries,
    and every vector agrees with the same query encoded alone."""
    queries = [f"generate code across {i} files in a repository" for i in range(16)]
    fresh = Encoder(encoder.model_path)
    fresh._model = encoder._load()  # the session's loaded model; the cache and batcher are fresh
    start = threading.Barrier(16)

    def one(q: str) -> Vectors:
        start.wait(timeout=20)
        return fresh.encode([q])[0]

    with ThreadPoolExecutor(16) as pool:
        together = np.vstack(list(pool.map(one, queries)))
    assert fresh._batcher.batches < len(queries)
    alone = np.vstack([fresh._run_model([q])[0] for q in queries])  # one model call per query
    assert float(np.min(np.sum(together * alone, axis=1))) >= 0.9999
