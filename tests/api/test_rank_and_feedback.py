"""capgraph's rank and feedback through the services and the HTTP API; times matched off the query path."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from capgraph.app import Services, Settings
from capgraph.app.counter import MatchCounter
from capgraph.errors import ModelNotFound
from capgraph.graph.networkx_store import NetworkxStore
from tests.api.conftest import API_KEY


def test_rank_routes_answer_like_the_services(client: TestClient, services: Services) -> None:
    body = client.get("/rank", params={"limit": 5}).json()
    assert body["scheme"] == "capgraph" and body["total"] >= len(body["ranks"]) == 5
    scores = [r["score"] for r in body["ranks"]]
    assert scores == sorted(scores, reverse=True) and [r["position"] for r in body["ranks"]] == [1, 2, 3, 4, 5]
    one = client.get("/models/GPT-4o/rank").json()
    assert one == services.queries.rank("gpt-4o").model_dump(mode="json")
    assert [c["name"] for c in one["components"]] == ["support", "benchmarks", "graph", "usage", "freshness"]
    assert abs(sum(c["points"] for c in one["components"]) - one["evidence"]) < 0.05
    detail = client.get("/models/gpt-4o").json()
    assert detail["capgraph_rank"] == {
        "scheme": "capgraph",
        "score": one["score"],
        "position": one["position"],
        "of": body["total"],
    }
    assert client.get("/models/no-such-model/rank").status_code == 404


def test_feedback_needs_the_key_moves_rank_within_its_bound_and_resets(locked: TestClient) -> None:
    before = locked.get("/models/o4-mini/rank").json()
    vote = {"models": ["o4-mini"], "useful": True, "query": "reasoning on a budget"}
    assert locked.post("/feedback", json=vote).status_code == 401
    for _ in range(20):
        assert locked.post("/feedback", json=vote, headers={"X-API-Key": API_KEY}).status_code == 201
    after = locked.get("/models/o4-mini/rank").json()
    assert 0 < after["score"] - before["score"] <= after["feedback"]["bound"] == 5.0
    assert after["evidence"] == before["evidence"] and after["feedback"]["records"] == 20
    listed = locked.get("/feedback", params={"model": "o4-mini"}).json()
    assert len(listed) == 20 and listed[0]["query"] == "reasoning on a budget"
    assert locked.delete("/feedback", params={"model": "o4-mini"}).status_code == 401
    gone = locked.delete("/feedback", params={"model": "o4-mini"}, headers={"X-API-Key": API_KEY}).json()
    assert gone == {"reset": 20}
    assert locked.get("/models/o4-mini/rank").json()["score"] == before["score"]
    bad = locked.post("/feedback", json={"models": ["nothing-like-it"], "useful": True}, headers={"X-API-Key": API_KEY})
    assert bad.status_code == 404
    for wrong in ({"models": [], "useful": True}, {"models": ["o4-mini"], "useful": 1}):  # 1 is no boolean
        assert locked.post("/feedback", json=wrong, headers={"X-API-Key": API_KEY}).status_code == 422


def test_search_and_alternatives_count_the_models_they_return(fresh_services: Services) -> None:
    before = fresh_services.store.match_counts()  # the copied seed folder may hold counts of earlier tests
    answer = fresh_services.queries.search("keeps context across a long multi-turn conversation", k=3)
    alts = fresh_services.queries.alternatives("o4-mini", k=2)
    fresh_services.counter.flush()
    expected: dict[str, int] = {}
    for mid in [h.model.id for h in answer.hits] + [a.model.id for a in alts.alternatives]:
        expected[mid] = expected.get(mid, 0) + 1
    after = fresh_services.store.match_counts()
    assert expected and {m: after[m] - before.get(m, 0) for m in after if after[m] != before.get(m, 0)} == expected
    top = max(after, key=lambda m: after[m])
    fresh_services.ranker.invalidate()
    usage = {c.name: c for c in fresh_services.queries.rank(top).components}["usage"]
    assert usage.inputs["times_matched"] == after[top] and usage.value == 1.0


def test_counting_off_counts_nothing(fresh_services: Services) -> None:
    quiet = Services(
        fresh_services.settings.model_copy(update={"count_matches": False}),
        store=fresh_services.store,
        encoder=fresh_services.encoder,
    )
    before = fresh_services.store.match_counts()
    assert quiet.queries.search("keeps context across a long multi-turn conversation", k=3).hits
    quiet.counter.flush()
    assert fresh_services.store.match_counts() == before


def test_the_counter_is_bounded_and_adds_concurrent_answers(tmp_path: Path) -> None:
    store = NetworkxStore(tmp_path / "store")
    counter = MatchCounter(lambda: store, max_pending=3, background=False)  # no writer: the queue only fills
    for _ in range(5):
        counter.add(["a", "b", "a"])
    assert counter.dropped == 2
    counter.flush()
    assert store.match_counts() == {"a": 3, "b": 3}
    live = MatchCounter(lambda: store)

    def answer_100() -> None:
        for _ in range(100):
            live.add(["c"])

    workers = [threading.Thread(target=answer_100) for _ in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    live.flush()
    assert store.match_counts()["c"] == 800 and live.dropped == 0


def test_removing_every_source_of_a_model_removes_its_rank(fresh_services: Services) -> None:
    ranks, _ = fresh_services.queries.ranks(limit=500)
    lone = next(r for r in ranks if len(r.sources) == 1)
    fresh_services.ingest.remove(lone.sources[0].id)
    fresh_services.ranker.invalidate()
    with pytest.raises(ModelNotFound):
        fresh_services.queries.rank(lone.model.id)
    assert lone.model.id not in {r.model.id for r in fresh_services.queries.ranks(limit=500)[0]}


def test_weights_per_kind_come_from_the_settings(fresh_services: Services) -> None:
    only_support = {"Model": {"support": 1, "benchmarks": 0, "graph": 0, "usage": 0, "freshness": 0}}
    settings = Settings(store=fresh_services.settings.store, rank_weights=only_support)
    tuned = Services(settings, store=fresh_services.store, encoder=fresh_services.encoder)
    r = tuned.queries.rank("gpt-4o")
    support = next(c for c in r.components if c.name == "support")
    assert support.weight == 1.0 and r.evidence == pytest.approx(100 * support.value, abs=0.01)
