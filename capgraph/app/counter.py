"""Times matched, counted off the query's path: answers drop model ids into a bounded queue and a
background thread adds them to the store in batches (`UsageLog.count_matches`, one write per batch).

Under load the queue fills only if the store cannot keep up; then ids are dropped (and counted in
`dropped`) rather than making a search wait. Whatever is queued is written by `close()` and at exit.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterable

from capgraph.errors import CapgraphError
from capgraph.graph.usage import UsageLog

log = logging.getLogger(__name__)

MAX_PENDING = 10_000  # answers waiting to be counted
FLUSH_EVERY_S = 0.5  # longest an answer waits before its models' counters are written


class MatchCounter:
    """Thread-safe: `add` is a non-blocking put; one daemon thread (started on first use) writes."""

    def __init__(self, log_of: Callable[[], UsageLog], max_pending: int = MAX_PENDING, background: bool = True) -> None:
        """`background=False`: no writer thread; only `flush()` writes (tests of the bound)."""
        self._log_of = log_of
        self._queue: queue.Queue[object] = queue.Queue(max_pending)
        self._background = background
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()
        self._write = threading.Lock()  # one batch at a time: the thread's and a `flush()` caller's
        self._stopped = threading.Event()  # never set while the process runs: the thread is a daemon
        self.dropped = 0
        self.written = 0

    def add(self, model_ids: Iterable[str]) -> None:
        """Count one answer: each model it returned once."""
        ids = tuple(dict.fromkeys(model_ids))
        if not ids:
            return
        if self._thread is None and self._background:
            self._begin()
        try:
            self._queue.put_nowait(ids)
        except queue.Full:
            self.dropped += 1

    def _begin(self) -> None:
        with self._start:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="capgraph-match-counter", daemon=True)
                self._thread.start()
                atexit.register(self.flush)

    def _drain(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return counts
            if isinstance(item, tuple):
                counts.update(item)

    def _write_counts(self, counts: Counter[str]) -> None:
        if not counts:
            return
        try:
            self._log_of().count_matches(dict(counts))
            self.written += sum(counts.values())
        except CapgraphError as exc:  # the store is down: these counts are lost, answers are not
            log.warning("times matched not recorded (%d models): %s", len(counts), exc)

    def _run(self) -> None:
        """Wake on a timer, never on an answer: a put does not wake this thread, so one write carries every
        answer of the last FLUSH_EVERY_S (a `get` with a timeout would wake, and write, once per answer)."""
        while not self._stopped.wait(FLUSH_EVERY_S):
            self.flush()

    def flush(self) -> None:
        """Write what is queued now (tests, `close`, exit)."""
        with self._write:
            self._write_counts(self._drain())
