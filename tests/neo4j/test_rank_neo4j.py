"""Both stores give the same ranks from the same sources, counters and feedback (the Neo4j store has no
GDS: PageRank is computed by capgraph from the graph's evidence, so it cannot differ)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from capgraph.app import Services, Settings
from capgraph.graph.networkx_store import NetworkxStore
from capgraph.graph.store import GraphStore
from capgraph.graph.usage import Feedback
from tests.graph.test_store_contract import batch, page
from tests.neo4j.support import fresh_neo4j_store

pytestmark = pytest.mark.neo4j


def fill(store: GraphStore) -> None:
    store.upsert(batch(page("s1", "55", caps_a=["chat", "code"], caps_b=["images"])))
    store.upsert(batch(page("s2", "70", caps_a=["chat"], caps_b=["audio"], b="delta")))
    store.count_matches({"alpha-1": 4, "delta": 1})
    at = datetime(2026, 5, 1, tzinfo=UTC)
    store.add_feedback(Feedback(id="f1", model_ids=["delta"], useful=True, at=at))


def test_both_stores_give_the_same_ranks(neo4j_server: str, tmp_path: Path) -> None:
    embedded = NetworkxStore(tmp_path / "store")
    neo = fresh_neo4j_store(neo4j_server)
    try:
        now = datetime.now(UTC)
        got = []
        for store, where in ((embedded, str(tmp_path / "store")), (neo, neo4j_server)):
            fill(store)
            ranks = Services(Settings(store=where), store=store).ranker.ranks(now)
            got.append([(r.model.id, r.score, [(c.name, c.value) for c in r.components]) for r in ranks])
        assert got[0] == got[1]
        assert {m for m, _, _ in got[0]} == {"alpha-1", "beta-2", "delta", "gamma"}
    finally:
        neo.close()
