"""resolve: the search and alternatives answers joined per artifact, on the seeded store."""

from __future__ import annotations

import numpy as np

from capgraph.app import Services
from capgraph.graph.resolve import matched_capability
from capgraph.graph.schema import Capability, Model
from capgraph.graph.search.hybrid import Hit, Passage
from capgraph.graph.search.records import ModelRecord


def test_every_artifact_comes_with_capability_why_facts_and_alternatives(seeded_services: Services) -> None:
    intent = "open weights model that keeps context across a long conversation"
    answer = seeded_services.queries.resolve(intent, 3, 3)
    search = seeded_services.queries.search(intent, 3)
    assert [r.model.id for r in answer.results] == [h.model.id for h in search.hits]
    assert answer.constraints == ["open weights True"] and not answer.nothing_fits
    assert any(r.alternatives for r in answer.results)
    store = seeded_services.store
    for r in answer.results:
        own = {c.id for c in store.capabilities(r.model.id)}
        assert r.capability is not None and r.capability.id in own
        assert r.why.startswith(f"{r.model.name} fits because") and r.why.endswith(".")
        assert [f.kind for f in r.facts][:1] == ["constraint"] and r.facts[0].status == "pass"
        assert r.facts[0].sources, "a constraint fact names where its value comes from"
        assert len(r.alternatives) <= 3
        fits = [a.fits for a in r.alternatives]
        assert fits == sorted(fits, reverse=True), "alternatives that meet the constraints come first"
        for a in r.alternatives:
            assert a.reason and a.fits == all(c.status == "pass" for c in a.checks) and len(a.checks) == 1


def test_claims_on_what_the_intent_speaks_of_are_facts(seeded_services: Services) -> None:
    answer = seeded_services.queries.resolve("long context window model", 3, 1)
    claims = {(r.model.id, f.statement) for r in answer.results for f in answer.results[0].facts if f.kind == "claim"}
    llama = next(r for r in answer.results if r.model.id == "llama-4")
    context = [f for f in llama.facts if f.kind == "claim"]
    assert context and all(f.statement.startswith("context") and f.sources for f in context), claims
    assert all(r.alternatives == [] for r in seeded_services.queries.resolve("long context window model", 2, 0).results)


def test_nothing_fits_is_said_with_near_misses(seeded_services: Services) -> None:
    answer = seeded_services.queries.resolve("bake a chocolate cake", 3, 3)
    assert answer.nothing_fits and not answer.results and answer.near_misses


def test_without_a_ranked_capability_the_nearest_to_the_intent_is_chosen() -> None:
    model = Model(id="m", name="M", kind="Model")
    caps = (
        Capability(id="c1", model_id="m", name="Translate text", description="translates between languages"),
        Capability(id="c2", model_id="m", name="Transcribe audio", description="turns speech into text"),
    )
    hit = Hit(
        model=model, kind="model", job="llm", score=0.1, evidence=[Passage(model_id="m", kind="profile", text="M")]
    )
    vectors = {"c1": [1.0, 0.0], "c2": [0.6, 0.8]}

    def lookup(ids: object) -> tuple[list[str], np.ndarray]:
        return ["c1", "c2"], np.asarray([vectors["c1"], vectors["c2"]], dtype=np.float32)

    chosen = matched_capability(
        hit, ModelRecord(model=model, capabilities=caps), lambda: np.asarray([[0.0, 2.0]]), lookup
    )
    assert chosen is not None and chosen.id == "c2" and chosen.similarity == 0.8
    ranked = hit.model_copy(
        update={"evidence": [Passage(model_id="m", kind="capability", text="x", capability_id="c1")]}
    )
    first = matched_capability(
        ranked, ModelRecord(model=model, capabilities=caps), lambda: np.asarray([[0.0, 2.0]]), lookup
    )
    assert first is not None and first.id == "c1" and first.similarity == 0.0
