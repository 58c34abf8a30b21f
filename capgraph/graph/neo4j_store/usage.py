"""The Neo4j store's `UsageLog`: `(:CapgraphMatches {model_id, n})` and `(:CapgraphFeedback)` nodes.

Same semantics as the embedded store's (`networkx_store.usage`); feedback times are ISO strings on both.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from neo4j import ManagedTransaction

from capgraph.graph.neo4j_store.connection import Neo4jConnection
from capgraph.graph.neo4j_store.queries import (
    ADD_FEEDBACK,
    COUNT_MATCHES,
    LIST_FEEDBACK,
    MATCH_COUNTS,
    RESET_ALL_FEEDBACK,
    RESET_MODEL_FEEDBACK,
    USAGE_SCHEMA,
)
from capgraph.graph.usage import Feedback


class Neo4jUsage(Neo4jConnection):
    """Mixed into `Neo4jStore`. Its constraints are made on first use (they make MERGE race-free)."""

    _usage_ready = False

    def _ensure_usage_schema(self) -> None:
        if not self._usage_ready:
            for statement in USAGE_SCHEMA:
                self._run_auto(statement)
            self._usage_ready = True

    def count_matches(self, counts: Mapping[str, int]) -> None:
        rows = [{"model_id": m, "n": int(n)} for m, n in sorted(counts.items()) if n > 0]
        if not rows:
            return
        self._ensure_usage_schema()

        def work(tx: ManagedTransaction) -> None:
            tx.run(COUNT_MATCHES, rows=rows).consume()

        self._write(work)

    def match_counts(self) -> dict[str, int]:
        return {r["model_id"]: int(r["n"]) for r in self._rows(MATCH_COUNTS)}

    def add_feedback(self, feedback: Feedback) -> None:
        self._ensure_usage_schema()

        def work(tx: ManagedTransaction) -> None:
            tx.run(
                ADD_FEEDBACK,
                {
                    "id": feedback.id,
                    "at": feedback.at.isoformat(),
                    "useful": feedback.useful,
                    "query": feedback.query,
                    "model_ids": sorted(set(feedback.model_ids)),
                },
            ).consume()

        self._write(work)

    def list_feedback(self, model_id: str | None = None) -> list[Feedback]:
        return [
            Feedback(
                id=r["id"],
                at=datetime.fromisoformat(r["at"]),
                useful=r["useful"],
                query=r["query"],
                model_ids=list(r["model_ids"]),
            )
            for r in self._rows(LIST_FEEDBACK, model_id=model_id)
        ]

    def reset_feedback(self, model_id: str | None = None) -> int:
        def work(tx: ManagedTransaction) -> int:
            if model_id is None:
                return int(tx.run(RESET_ALL_FEEDBACK).single(strict=True)["n"])
            return int(tx.run(RESET_MODEL_FEEDBACK, model_id=model_id).single(strict=True)["n"])

        return self._write(work)
