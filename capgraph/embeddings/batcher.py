"""Micro-batching: concurrent `encode` calls joined into one model call.

One forward pass over 16 short queries costs little more than over one (the model is small, the fixed
cost per call dominates), so when several requests encode at once a single worker thread takes every
call waiting, waits at most `max_wait_s` for more (up to `max_texts`), runs the model once on all their
texts and hands each caller its own rows. A lone caller waits `max_wait_s` at most; nothing else is held
while the model runs, so the rest of each request (BM25, ranking) goes on in parallel.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


@dataclass
class _Call:
    texts: Sequence[str]
    done: threading.Event = field(default_factory=threading.Event)
    result: Vectors | None = None
    error: Exception | None = None


class MicroBatcher:
    """Runs `run(texts) -> one row per text` on one worker thread, for the calls of many threads at once."""

    def __init__(self, run: Callable[[list[str]], Vectors], *, max_wait_s: float = 0.002, max_texts: int = 64):
        self._run = run
        self.max_wait_s = max_wait_s
        self.max_texts = max_texts
        self._queue: queue.Queue[_Call] = queue.Queue()
        self._worker: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.batches = 0  # model calls made (a test and the bench read it: calls / batches = batching gained)

    def encode(self, texts: Sequence[str]) -> Vectors:
        """The rows of `run` for `texts`, in order; `run`'s exception is raised here, in the caller."""
        call = _Call(texts)
        self._ensure_worker()
        self._queue.put(call)
        call.done.wait()
        if call.error is not None:
            raise call.error
        assert call.result is not None
        return call.result

    def _ensure_worker(self) -> None:
        with self._start_lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self._serve, name="capgraph-encode-batcher", daemon=True)
                self._worker.start()

    def _collect(self) -> list[_Call]:
        """The first waiting call, then whatever else arrives within `max_wait_s`, up to `max_texts` texts."""
        calls = [self._queue.get()]
        size = len(calls[0].texts)
        deadline = time.monotonic() + self.max_wait_s
        while size < self.max_texts:
            left = deadline - time.monotonic()
            try:
                nxt = self._queue.get(timeout=left) if left > 0 else self._queue.get_nowait()
            except queue.Empty:
                break
            calls.append(nxt)
            size += len(nxt.texts)
        return calls

    def _serve(self) -> None:
        while True:
            calls = self._collect()
            texts = [t for c in calls for t in c.texts]
            try:
                rows = self._run(texts)
                self.batches += 1
            except Exception as exc:  # handed to every caller of this batch, the worker goes on
                for c in calls:
                    c.error = exc
                    c.done.set()
                continue
            start = 0
            for c in calls:
                c.result = rows[start : start + len(c.texts)]
                start += len(c.texts)
                c.done.set()
