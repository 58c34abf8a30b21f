"""The GraphStore contract: the same tests, unchanged, against every store (see the `store` fixture).

These check storage semantics (sources, merging, removal, atomicity), so they use hand-made
extractions and small synthetic vectors; match quality is tested with the real model elsewhere.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zlib
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import igraph
import numpy as np
import pytest

from capgraph.errors import CapgraphError, EmbeddingMismatch, ModelNotFound, NotFound
from capgraph.graph.schema import (
    Capability,
    CapabilityClass,
    Claim,
    Comparison,
    Contrast,
    Extraction,
    Model,
    Score,
    Similarity,
    Source,
    Variant,
)
from capgraph.graph.store import GraphStore, IngestBatch
from capgraph.graph.usage import Feedback

DIM = 8


def unit(seed: int) -> list[float]:
    v = np.random.default_rng(seed).normal(size=DIM)
    return (v / np.linalg.norm(v)).astype(np.float32).tolist()


def page(source_id: str, rank_a: str, *, caps_a: list[str], caps_b: list[str], b: str = "beta-2") -> Extraction:
    """A comparison page of alpha-1 vs `b`."""
    caps = [
        Capability(
            id=f"alpha-1:{c}",
            model_id="alpha-1",
            name=c,
            description=f"alpha does {c}",
            unique="u",
            vs_alternatives="v",
        )
        for c in caps_a
    ]
    caps += [Capability(id=f"{b}:{c}", model_id=b, name=c, description=f"{b} does {c}") for c in caps_b]
    return Extraction(
        source=Source(id=source_id, title=f"alpha-1 vs {b} ({source_id})", format="comparison", chars=100),
        models=[
            Model(id="alpha-1", name="Alpha 1", aliases=["Alpha-One"], vendor="Acme"),
            Model(id=b, name=b.title(), kind="Repository"),
            Model(id="gamma", name="Gamma"),
        ],
        capabilities=caps,
        claims=[
            Claim(model_id="alpha-1", attribute="rank", value=f"{rank_a}/100", number=float(rank_a), unit="/100"),
            Claim(model_id=b, attribute="rank", value="60/100", number=60.0, unit="/100"),
        ],
        scores=[Score(model_id="alpha-1", benchmark="AIME", value=50.0)],
        comparisons=[Comparison(a="alpha-1", b=b)],
        contrasts=[Contrast(capability_id=caps[0].id, model_id="gamma")] if caps else [],
        variants=[],
    )


def batch(ex: Extraction, text: str | None = None, sims: list[Similarity] | None = None) -> IngestBatch:
    vectors = {c.id: unit(zlib.crc32(c.id.encode())) for c in ex.capabilities}
    return IngestBatch(
        extraction=ex,
        text=text or f"text of {ex.source.id}",
        vectors=vectors,
        similarities=sims or [],
        embedding_model="test-model",
        embedding_dim=DIM,
    )


def test_upsert_is_idempotent(store: GraphStore) -> None:
    ex = page("s1", "55", caps_a=["chat", "code"], caps_b=["images"])
    first = store.upsert(batch(ex))
    stats = store.stats()
    second = store.upsert(batch(ex))
    assert first.created and not second.created
    assert store.stats() == stats
    assert (stats.sources, stats.models, stats.capabilities, stats.benchmarks) == (1, 3, 3, 1)
    assert stats.relationships["HAS_CAPABILITY"] == 3
    assert stats.relationships["COMPARED_WITH"] == 1
    assert stats.relationships["CONTRASTED_WITH"] == 1
    assert stats.relationships["STATES"] == 2
    assert stats.embedding_model == "test-model"


def test_model_lookup_by_id_name_alias_and_suggestions(store: GraphStore) -> None:
    store.upsert(batch(page("s1", "55", caps_a=["chat"], caps_b=[])))
    assert store.get_model("alpha-1").name == "Alpha 1"
    assert store.get_model("ALPHA 1").id == "alpha-1"
    assert store.get_model("alpha-one").id == "alpha-1"
    assert store.get_model("alpha-1").vendor == "Acme"
    with pytest.raises(ModelNotFound) as info:
        store.get_model("alpha 2")
    assert "Alpha 1" in info.value.suggestions
    assert isinstance(info.value, CapgraphError)


def test_get_models_by_exact_id_in_order(store: GraphStore) -> None:
    store.upsert(batch(page("s1", "55", caps_a=["chat"], caps_b=[])))
    models = {m.id: m for m in store.list_models()[0]}
    assert len(models) >= 2
    ids = sorted(models, reverse=True)
    assert store.get_models([*ids, "no-such-model", "ALPHA 1"]) == [models[i] for i in ids]
    assert store.get_models([]) == []


def test_conflicting_claims_stay_side_by_side(store: GraphStore) -> None:
    store.upsert(batch(page("s1", "55", caps_a=["chat"], caps_b=[])))
    store.upsert(batch(page("s2", "44", caps_a=["chat"], caps_b=[])))
    ranks = {(c.value, c.source_id) for c in store.claims("alpha-1") if c.attribute == "rank"}
    assert ranks == {("55/100", "s1"), ("44/100", "s2")}
    assert store.stats().relationships["COMPARED_WITH"] == 1  # one fact, two sources


def test_remove_source_removes_exactly_what_only_it_supported(store: GraphStore) -> None:
    store.upsert(batch(page("s1", "55", caps_a=["chat", "code"], caps_b=["images"])))
    store.upsert(batch(page("s2", "44", caps_a=["chat"], caps_b=["video"], b="delta")))
    assert store.stats().capabilities == 4  # alpha-1:chat is one node with two sources
    result = store.remove_source("s1")
    assert sorted(result.removed_capabilities) == ["alpha-1:code", "beta-2:images"]
    assert result.removed_models == ["beta-2"]
    assert [c.id for c in store.capabilities("alpha-1")] == ["alpha-1:chat"]
    assert store.has_vectors(["alpha-1:chat", "alpha-1:code"]) == [True, False]
    assert [c.value for c in store.claims("alpha-1")] == ["44/100"]
    evidence = {(e.kind, e.other_id) for e in store.evidence("alpha-1")}
    assert ("COMPARED_WITH", "delta") in evidence and ("COMPARED_WITH", "beta-2") not in evidence
    with pytest.raises(ModelNotFound):
        store.get_model("beta-2")
    assert not store.has_source("s1") and store.has_source("s2")
    with pytest.raises(NotFound):
        store.remove_source("s1")


def test_failed_write_leaves_store_unchanged(store: GraphStore) -> None:
    store.upsert(batch(page("s1", "55", caps_a=["chat"], caps_b=["images"])))
    before = store.stats()
    bad = batch(page("s2", "44", caps_a=["solve"], caps_b=[]))
    bad.vectors = {k: [*v, 0.0] for k, v in bad.vectors.items()}  # wrong dimension
    with pytest.raises(EmbeddingMismatch):
        store.upsert(bad)
    assert store.stats() == before
    assert not store.has_source("s2")
    assert store.has_vectors(["alpha-1:solve"]) == [False]


def test_nearest_and_similarity_links(store: GraphStore) -> None:
    ex = page("s1", "55", caps_a=["chat", "code"], caps_b=["images"])
    sims = [Similarity(a="alpha-1:chat", b="beta-2:images", score=0.8)]
    store.upsert(batch(ex, sims=sims))
    query = np.asarray([unit(zlib.crc32(b"alpha-1:code"))], dtype=np.float32)
    hits = store.nearest(query, 2)[0]
    assert hits[0][0] == "alpha-1:code" and hits[0][1] == pytest.approx(1.0, abs=1e-3)
    assert len(hits) == 2
    links = store.similar_links("beta-2:images")
    assert [(s.b, round(s.score, 3)) for s in links] == [("alpha-1:chat", 0.8)]
    assert store.vectors(["alpha-1:chat"]).shape == (1, DIM)


def test_evidence_scores_and_variants(store: GraphStore) -> None:
    ex = page("s1", "55", caps_a=["chat"], caps_b=[])
    ex.variants = [Variant(variant_id="gamma", base_id="alpha-1")]
    store.upsert(batch(ex))
    kinds = {(e.kind, e.other_id) for e in store.evidence("alpha-1")}
    assert {("COMPARED_WITH", "beta-2"), ("CONTRASTED_WITH", "gamma"), ("VARIANT_OF", "gamma")} <= kinds
    back = {(e.kind, e.other_id) for e in store.evidence("gamma")}
    assert ("CONTRASTED_WITH", "alpha-1") in back  # named by alpha's capability
    assert [(s.benchmark, s.value) for s in store.scores("alpha-1")] == [("AIME", 50.0)]


def test_list_models_filters_and_pages(store: GraphStore) -> None:
    store.upsert(batch(page("s1", "55", caps_a=["chat"], caps_b=[])))
    models, total = store.list_models()
    assert total == 3 and [m.id for m in models] == ["alpha-1", "beta-2", "gamma"]
    assert [m.id for m in store.list_models(prefix="al")[0]] == ["alpha-1"]
    assert [m.id for m in store.list_models(kind="repository")[0]] == ["beta-2"]
    assert [m.id for m in store.list_models(offset=1, limit=1)[0]] == ["beta-2"]


def test_sources_texts_and_extraction(store: GraphStore) -> None:
    ex = page("s1", "55", caps_a=["chat"], caps_b=[])
    store.upsert(batch(ex, text="the raw text"))
    assert [s.id for s in store.list_sources()] == ["s1"]
    assert store.source_text("s1") == "the raw text"
    assert store.source_summary("s1").capabilities == 1
    assert store.source_extraction("s1").source.ingested_at is not None
    assert store.stored_texts() == [("the raw text", ex.source.title, None)]
    with pytest.raises(NotFound):
        store.source_summary("nope")


def test_neighborhood_and_export(store: GraphStore) -> None:
    store.upsert(batch(page("s1", "55", caps_a=["chat"], caps_b=["images"])))
    sub = store.neighborhood("alpha-1", depth=1)
    labels = {n.label for n in sub.nodes}
    assert {"Model", "Capability", "Source", "Benchmark"} <= labels
    assert any(e.type == "HAS_CAPABILITY" for e in sub.edges)
    data = json.loads(store.export("json"))
    assert len(data["nodes"]) == store.stats().sources + 3 + 2 + 1
    root = ET.fromstring(store.export("graphml"))
    assert root.tag.endswith("graphml")


def test_replace_embeddings_and_clear(store: GraphStore) -> None:
    store.upsert(batch(page("s1", "55", caps_a=["chat"], caps_b=["images"])))
    ids = store.all_capability_ids()
    store.replace_embeddings({i: [1.0, 0.0, 0.0] for i in ids}, [], "other-model", 3)
    assert store.embedding_info() == ("other-model", 3)
    assert store.vectors(ids).shape == (2, 3)
    store.clear()
    assert store.stats().models == 0 and store.list_sources() == []


def klass(id_: str, name: str, *members: str) -> CapabilityClass:
    return CapabilityClass(id=id_, name=name, description=f"{name} (test)", members=list(members))


def test_classes_are_stored_grown_and_pruned_with_their_sources(store: GraphStore) -> None:
    first = batch(page("s1", "55", caps_a=["chat", "code"], caps_b=["images"]))
    first.classes = [klass("k1", "Chat", "alpha-1:chat", "beta-2:images"), klass("k2", "Code", "alpha-1:code")]
    store.upsert(first)
    assert store.list_classes() == [
        klass("k1", "Chat", "alpha-1:chat", "beta-2:images"),
        klass("k2", "Code", "alpha-1:code"),
    ]
    second = batch(page("s2", "44", caps_a=["chat"], caps_b=["video"], b="delta"))
    # the whole new state of k1; a member the store does not hold is skipped
    second.classes = [klass("k1", "Chat and video", "alpha-1:chat", "beta-2:images", "delta:video", "ghost:x")]
    store.upsert(second)
    assert store.get_classes(["k1", "nope"]) == [
        klass("k1", "Chat and video", "alpha-1:chat", "beta-2:images", "delta:video")
    ]
    assert store.class_memberships(["delta:video", "alpha-1:code", "ghost:x"]) == {
        "delta:video": "k1",
        "alpha-1:code": "k2",
    }
    assert store.stats().relationships["INSTANCE_OF"] == 4
    store.remove_source("s1")  # alpha-1:code and beta-2:images go, and k2 with its only member
    assert store.list_classes() == [klass("k1", "Chat and video", "alpha-1:chat", "delta:video")]
    store.remove_source("s2")
    assert store.list_classes() == [] and "INSTANCE_OF" not in store.stats().relationships


def test_a_capability_is_in_one_class_and_exports_carry_classes(store: GraphStore, tmp_path: Path) -> None:
    first = batch(page("s1", "55", caps_a=["chat", "code"], caps_b=[]))
    first.classes = [klass("k1", "Chat", "alpha-1:chat"), klass("k2", "Code", "alpha-1:code")]
    store.upsert(first)
    second = batch(page("s2", "44", caps_a=[], caps_b=["code"], b="delta"))
    second.classes = [klass("k1", "Chat", "alpha-1:chat", "alpha-1:code"), klass("k3", "Code", "delta:code")]
    store.upsert(second)  # alpha-1:code moves to k1, leaving k2 empty: k2 goes
    assert [(c.id, c.members) for c in store.list_classes()] == [
        ("k1", ["alpha-1:chat", "alpha-1:code"]),
        ("k3", ["delta:code"]),
    ]
    data = json.loads(store.export("json"))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["CapabilityClass:k1"]["size"] == 2 and nodes["CapabilityClass:k1"]["name"] == "Chat"
    assert "CapabilityClass:k2" not in nodes
    edges = {(e["source"], e["target"]) for e in data["edges"] if e.get("type") == "INSTANCE_OF"}
    assert edges == {
        ("Capability:alpha-1:chat", "CapabilityClass:k1"),
        ("Capability:alpha-1:code", "CapabilityClass:k1"),
        ("Capability:delta:code", "CapabilityClass:k3"),
    }
    store.upsert(batch(page("s3", "60", caps_a=[], caps_b=[])))  # a SCORED number and STATES text `value`
    # igraph reads the GraphML back (it refuses an attribute name declared twice, and a node attribute `id`)
    (tmp_path / "g.graphml").write_text(store.export("graphml"))
    g = igraph.Graph.Read_GraphML(str(tmp_path / "g.graphml"))
    by_id = {v["node_id"]: v for v in g.vs}
    assert by_id["k1"]["label"] == "CapabilityClass" and by_id["k1"]["size"] == 2
    assert sorted(e["type"] for e in g.es if e["type"] in {"INSTANCE_OF", "SCORED"}) == ["INSTANCE_OF"] * 3 + ["SCORED"]
    assert {e["score"] for e in g.es if e["type"] == "SCORED"} == {50.0}
    assert {e["value"] for e in g.es if e["type"] == "STATES"} >= {"60/100", "55/100"}
    store.clear()
    assert store.list_classes() == []


def test_answer_queries_read_the_same_catalog_from_every_store(store: GraphStore) -> None:
    """Search, alternatives and leaderboards are computed from the store's read methods only, so they
    must see the same catalog on every store: models, claims, scores, evidence, page co-mentions."""
    from capgraph.graph.search.answers import Answers
    from capgraph.graph.search.records import read_catalog

    class Words:  # a stand-in encoder: vectors from a hash of the text (quality is tested elsewhere)
        name = "test-model"

        def encode(self, texts: list[str]) -> np.ndarray:
            return np.asarray([unit(zlib.crc32(t.encode())) for t in texts], dtype=np.float32)

    store.upsert(batch(page("s1", "55", caps_a=["reason", "code"], caps_b=["search"]), text="Alpha 1 beats Beta-2."))
    store.upsert(batch(page("s2", "44", caps_a=["reason"], caps_b=[], b="delta-3")))
    catalog = read_catalog(store)
    assert set(catalog.records) == {"alpha-1", "beta-2", "gamma", "delta-3"}
    assert catalog.source_models["s1"] == ("alpha-1", "beta-2", "gamma")
    assert [s.benchmark for s in catalog.records["alpha-1"].scores] == ["AIME"]
    assert ("s1", "Alpha 1 beats Beta-2.") in catalog.mentions["alpha-1"]

    answers = Answers(store, lambda: Words())
    alts = answers.alternatives("alpha-1")
    gamma = next(a for a in alts.alternatives if a.model.id == "gamma")
    assert gamma.parts["contrasted"] > 0 and gamma.evidence[0].kind == "CONTRASTED_WITH"
    assert "“alpha does reason”" in gamma.reason and sorted(gamma.evidence[0].sources) == ["s1", "s2"]
    # compared head-on, but a Repository is no alternative to a Model
    assert {a.model.id for a in alts.alternatives} == {"gamma"}
    assert any(line.startswith("Beta-2:") for line in alts.excluded)
    assert [r.model.id for r in answers.leaderboard("aime").rows] == ["alpha-1"]
    assert answers.search("reason").hits[0].model.id == "alpha-1"


# ----------------------------------------------------------------- usage log: times matched and feedback
def _feedback(fid: str, models: list[str], useful: bool, day: int) -> Feedback:
    return Feedback(id=fid, model_ids=models, useful=useful, query="q", at=datetime(2026, 5, day, tzinfo=UTC))


def test_match_counts_add_up_across_threads(store: GraphStore) -> None:
    assert store.match_counts() == {}
    store.count_matches({"alpha-1": 2, "beta-2": 1, "none": 0})
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: store.count_matches({"alpha-1": 1, "gamma": 3}), range(40)))
    assert store.match_counts() == {"alpha-1": 42, "beta-2": 1, "gamma": 120}


def test_feedback_is_kept_listed_and_reset_per_model(store: GraphStore) -> None:
    store.add_feedback(_feedback("f1", ["alpha-1", "beta-2"], True, 1))
    store.add_feedback(_feedback("f2", ["alpha-1"], False, 2))
    store.add_feedback(_feedback("f1", ["alpha-1", "beta-2"], True, 1))  # the same record again: kept once
    assert [f.id for f in store.list_feedback()] == ["f1", "f2"]
    assert [f.id for f in store.list_feedback("beta-2")] == ["f1"]
    assert store.list_feedback()[1] == _feedback("f2", ["alpha-1"], False, 2)
    assert store.reset_feedback("alpha-1") == 2  # f2 goes, f1 keeps beta-2
    assert [(f.id, f.model_ids) for f in store.list_feedback()] == [("f1", ["beta-2"])]
    assert store.reset_feedback() == 1 and store.list_feedback() == []


def test_clear_forgets_usage_too(store: GraphStore) -> None:
    store.count_matches({"alpha-1": 1})
    store.add_feedback(_feedback("f1", ["alpha-1"], True, 1))
    store.clear()
    assert store.match_counts() == {} and store.list_feedback() == []
