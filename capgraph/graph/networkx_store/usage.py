"""The embedded store's `UsageLog`: times matched and feedback in `<folder>/usage.sqlite`.

Kept out of the manifest and its segments: counters change on every answer, the graph only on ingest,
and SQLite gives what the counters need (atomic `n = n + ?` across threads and processes, WAL so readers
never block the writer) without a new generation per search.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from datetime import datetime
from pathlib import Path

from capgraph.errors import StoreUnavailable
from capgraph.graph.usage import Feedback

USAGE_FILE = "usage.sqlite"
BUSY_TIMEOUT_S = 10.0
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS matches (model_id TEXT PRIMARY KEY, n INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS feedback (id TEXT PRIMARY KEY, at TEXT NOT NULL, useful INTEGER NOT NULL,"
    " query TEXT, model_ids TEXT NOT NULL)",
)


class NetworkxUsage:
    """Mixed into `NetworkxStore`; needs only `self.folder`."""

    folder: Path

    @contextmanager
    def _usage(self) -> Iterator[sqlite3.Connection]:
        """One short connection per call (they are cheap and thread-safe that way); commits on success."""
        try:
            conn = sqlite3.connect(self.folder / USAGE_FILE, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"Cannot open {self.folder / USAGE_FILE}: {exc}") from exc
        with closing(conn):
            try:
                conn.execute("PRAGMA journal_mode=WAL")
                for statement in _SCHEMA:
                    conn.execute(statement)
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise StoreUnavailable(f"Usage log {self.folder / USAGE_FILE}: {exc}") from exc

    def count_matches(self, counts: Mapping[str, int]) -> None:
        rows = [(m, int(n)) for m, n in sorted(counts.items()) if n > 0]
        if not rows:
            return
        with self._usage() as conn:
            conn.executemany(
                "INSERT INTO matches (model_id, n) VALUES (?, ?)"
                " ON CONFLICT(model_id) DO UPDATE SET n = n + excluded.n",
                rows,
            )

    def _no_usage_yet(self) -> bool:
        """Reads of a store nobody counted in yet create no file (a read-only folder stays untouched)."""
        return not (self.folder / USAGE_FILE).exists()

    def match_counts(self) -> dict[str, int]:
        if self._no_usage_yet():
            return {}
        with self._usage() as conn:
            return {m: int(n) for m, n in conn.execute("SELECT model_id, n FROM matches ORDER BY model_id")}

    def add_feedback(self, feedback: Feedback) -> None:
        with self._usage() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO feedback (id, at, useful, query, model_ids) VALUES (?, ?, ?, ?, ?)",
                (
                    feedback.id,
                    feedback.at.isoformat(),
                    int(feedback.useful),
                    feedback.query,
                    json.dumps(sorted(set(feedback.model_ids))),
                ),
            )

    def list_feedback(self, model_id: str | None = None) -> list[Feedback]:
        if self._no_usage_yet():
            return []
        with self._usage() as conn:
            rows = conn.execute("SELECT id, at, useful, query, model_ids FROM feedback ORDER BY at, id").fetchall()
        out = [
            Feedback(id=i, at=datetime.fromisoformat(at), useful=bool(u), query=q, model_ids=json.loads(ms))
            for i, at, u, q, ms in rows
        ]
        return [f for f in out if model_id is None or model_id in f.model_ids]

    def clear_usage(self) -> None:
        """Part of `clear()`: an emptied store keeps no counters or feedback (as Neo4j's `clear` deletes all)."""
        if not self._no_usage_yet():
            with self._usage() as conn:
                conn.execute("DELETE FROM matches")
                conn.execute("DELETE FROM feedback")

    def reset_feedback(self, model_id: str | None = None) -> int:
        """A record naming several models loses only `model_id`; it goes when it names no model left."""
        if self._no_usage_yet():
            return 0
        with self._usage() as conn:
            if model_id is None:
                return int(conn.execute("DELETE FROM feedback").rowcount)
            touched = 0
            for fid, ms in conn.execute("SELECT id, model_ids FROM feedback").fetchall():
                ids = json.loads(ms)
                if model_id not in ids:
                    continue
                touched += 1
                rest = [m for m in ids if m != model_id]
                if rest:
                    conn.execute("UPDATE feedback SET model_ids = ? WHERE id = ?", (json.dumps(rest), fid))
                else:
                    conn.execute("DELETE FROM feedback WHERE id = ?", (fid,))
            return touched
