"""Neo4j-only behaviour of the store (the shared semantics are in tests/graph/test_store_contract.py),
and `sync` from the embedded store, compared read for read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from capgraph.errors import ModelNotFound, StoreUnavailable
from capgraph.graph.neo4j_store import Neo4jStore, fuzzy_query, lucene_escape
from capgraph.graph.networkx_store import NetworkxStore
from capgraph.graph.sync import sync
from tests.graph.test_store_contract import batch, page
from tests.neo4j.support import fresh_neo4j_store

pytestmark = pytest.mark.neo4j


@pytest.fixture
def neo_store(neo4j_server: str) -> Iterator[Neo4jStore]:
    store = fresh_neo4j_store(neo4j_server)
    yield store
    store.close()


def test_unreachable_server_is_store_unavailable() -> None:
    store = Neo4jStore("bolt://127.0.0.1:9", connection_timeout=1, max_retry_time=0)
    with pytest.raises(StoreUnavailable, match="not reachable"):
        store.stats()
    store.close()


def test_lucene_specials_are_escaped() -> None:
    assert lucene_escape('a+b (c) "d" e:f') == 'a\\+b \\(c\\) \\"d\\" e\\:f'
    assert fuzzy_query("GPT-4o AND o1") == "gpt~ OR 4o~ OR and~ OR o1~"


def test_suggestions_survive_query_syntax_in_names(neo_store: Neo4jStore) -> None:
    neo_store.upsert(batch(page("s1", "55", caps_a=["chat"], caps_b=[])))
    for name in ['alpha "2"', "alpha~2 OR *", "(alpha) [2]", "AND", ""]:
        with pytest.raises(ModelNotFound):
            neo_store.get_model(name)
    with pytest.raises(ModelNotFound) as info:
        neo_store.get_model("alpha:2")
    assert "Alpha 1" in info.value.suggestions


def test_meta_node_is_not_a_model_and_schema_exists(neo_store: Neo4jStore) -> None:
    neo_store.upsert(batch(page("s1", "55", caps_a=["chat"], caps_b=[])))
    assert neo_store.stats().models == 3 and neo_store.list_models()[1] == 3
    with neo_store.session() as session:
        indexes = {r["name"]: r["type"] for r in session.run("SHOW INDEXES YIELD name, type RETURN name, type")}
        constraints = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name RETURN name")}
        counts = session.run("MATCH (m:Model {id: 'alpha-1'}) RETURN m.capability_count AS n").single(strict=True)
    assert indexes["capability_embedding"] == "VECTOR"
    assert indexes["model_name_text"] == indexes["capability_text"] == "FULLTEXT"
    assert {"source_id", "model_id", "capability_id", "benchmark_id"} <= constraints
    assert counts["n"] == 1


def test_nearest_scores_are_cosines_like_the_embedded_store(neo_store: Neo4jStore, tmp_path: Path) -> None:
    embedded = NetworkxStore(tmp_path / "nx")
    for sid, b in (("s1", "beta-2"), ("s2", "delta")):
        b_ = batch(page(sid, "50", caps_a=["chat", "code", "math"], caps_b=["images", "video"], b=b))
        neo_store.upsert(b_)
        embedded.upsert(b_)
    queries = np.random.default_rng(7).normal(size=(5, 8)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    ours, theirs = neo_store.nearest(queries, 4), embedded.nearest(queries, 4)
    for a, b in zip(ours, theirs, strict=True):
        assert [h[0] for h in a] == [h[0] for h in b]
        assert [h[1] for h in a] == pytest.approx([h[1] for h in b], abs=1e-5)


def test_sync_from_the_embedded_store_is_complete_and_idempotent(neo_store: Neo4jStore, seeded_copy: Path) -> None:
    origin = NetworkxStore(seeded_copy)
    first = sync(origin, neo_store)
    assert first.copied == len(origin.list_sources()) and first.unchanged == 0
    assert first.target == first.origin
    second = sync(origin, neo_store)
    assert second.copied == 0 and second.unchanged == first.copied and second.target == first.target
    # read for read, the two stores answer the same
    model_ids = sorted(origin.model_names())
    assert sorted(neo_store.model_names()) == model_ids
    for mid in model_ids:
        assert neo_store.get_model(mid) == origin.get_model(mid)
        assert neo_store.claims(mid) == origin.claims(mid)
        assert neo_store.scores(mid) == origin.scores(mid)
        assert neo_store.evidence(mid) == origin.evidence(mid)
        assert neo_store.capabilities(mid) == origin.capabilities(mid)
    cap_ids = origin.all_capability_ids()
    assert neo_store.all_capability_ids() == cap_ids
    assert np.allclose(neo_store.vectors(cap_ids), origin.vectors(cap_ids), atol=1e-6)
    for cid in cap_ids[:20]:
        assert [(s.b, round(s.score, 5)) for s in neo_store.similar_links(cid)] == [
            (s.b, round(s.score, 5)) for s in origin.similar_links(cid)
        ]
    assert [s.model_dump() for s in neo_store.list_sources()] == [s.model_dump() for s in origin.list_sources()]

    def graph_of(text: str) -> tuple[set[str], set[tuple[str, str, str]]]:
        data = json.loads(text)
        return {n["id"] for n in data["nodes"]}, {(e["source"], e["target"], e["key"]) for e in data["edges"]}

    assert graph_of(neo_store.export("json")) == graph_of(origin.export("json"))
    # removal on both sides keeps them equal
    sid = origin.list_sources()[0].id
    assert neo_store.remove_source(sid) == origin.remove_source(sid)
    assert neo_store.stats() == origin.stats()
    origin.close()
