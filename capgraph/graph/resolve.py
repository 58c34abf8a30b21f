"""Resolve: for an intent in words, the answer an agent can act on without a second call.

Built on the search answer (which models fit, with the typed constraint checks) and the alternatives
rule (which models do the same job, with reasons). For each of the best artifacts it adds:
  capability    the model's capability that matched: the capability passage retrieval ranked best if
                one did, else the capability whose vector is nearest the intent (cosine = q·v / |q||v|)
  why           one sentence naming the capability and the constraints passed, with their sources
  facts         the sourced facts bearing on the intent: every constraint check, benchmark scores the
                intent names, and claims on attributes the intent speaks of ("long context" -> context window)
  alternatives  the model's top alternatives with their reasons, each with the intent's checks on it
                (those that pass every check first, so the first fitting alternative is a drop-in fallback)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from capgraph.graph.schema import Capability, Model
from capgraph.graph.search.alternatives import AlternativesAnswer
from capgraph.graph.search.constraints import Check, Constraint, canonical_attribute, check, parse_constraints
from capgraph.graph.search.hybrid import Hit, SearchAnswer
from capgraph.graph.search.records import Catalog, ModelRecord, display_name, render_claim
from capgraph.graph.search.text import tokens
from capgraph.graph.store import Matrix

# Words of an intent that name a claim attribute (canonical names, see constraints.canonical_attribute).
ATTRIBUTE_WORDS: dict[str, tuple[str, ...]] = {
    "context": ("context_window",),
    "window": ("context_window",),
    "parameter": ("parameters",),
    "size": ("parameters",),
    "price": ("input_price", "output_price"),
    "pricing": ("input_price", "output_price"),
    "cost": ("input_price", "output_price"),
    "cheap": ("input_price", "output_price"),
    "license": ("license",),
    "licence": ("license",),
    "weight": ("open_weights", "license"),
    "open": ("open_weights", "license"),
    "local": ("open_weights", "self_hostable"),
    "self": ("self_hostable",),
}
MAX_FACTS = 8
ALTERNATIVE_POOL = 10  # alternatives read per artifact before the fitting ones are put first


class MatchedCapability(BaseModel):
    id: str
    name: str
    description: str
    similarity: float | None = Field(None, description="cosine of the capability to the intent, when vectors exist")


class Fact(BaseModel):
    """A sourced fact bearing on the intent: a constraint check, a benchmark score or a claim."""

    kind: Literal["constraint", "score", "claim"]
    statement: str
    status: Literal["pass", "fail", "unknown"] | None = Field(None, description="for a constraint: its verdict")
    sources: list[str] = Field(default_factory=list, description="titles of the pages that state it")


class ResolvedAlternative(BaseModel):
    model: Model
    score: float = Field(description="the alternatives score (see GET /models/{model}/alternatives)")
    reason: str
    fits: bool = Field(description="true when it passes every constraint of the intent")
    checks: list[Check] = Field(default_factory=list)


class Resolution(BaseModel):
    """One artifact for the intent, with everything needed to act on it."""

    model: Model
    kind: str
    job: str
    score: float = Field(description="the search score (RRF)")
    capability: MatchedCapability | None = None
    why: str = Field(description="why it fits, in one sentence")
    facts: list[Fact] = Field(default_factory=list)
    alternatives: list[ResolvedAlternative] = Field(default_factory=list)


class NearMiss(BaseModel):
    model: Model
    why: str


class ResolveAnswer(BaseModel):
    intent: str
    need: str = Field(description="the intent without its constraint phrases")
    constraints: list[str] = Field(default_factory=list)
    results: list[Resolution] = Field(default_factory=list)
    near_misses: list[NearMiss] = Field(default_factory=list)
    nothing_fits: bool = False


AlternativesOf = Callable[[str, int], AlternativesAnswer]
IntentVector = Callable[[], Matrix]
CapabilityVectors = Callable[[Sequence[str]], tuple[list[str], Matrix]]


def resolve(
    search: SearchAnswer,
    catalog: Catalog,
    alternatives_of: AlternativesOf,
    intent_vector: IntentVector | None = None,
    capability_vectors: CapabilityVectors | None = None,
    k_alternatives: int = 3,
) -> ResolveAnswer:
    """The resolve answer for one search answer. `intent_vector` and `capability_vectors` are optional
    (no vectors: the matched capability is the one retrieval ranked, or none)."""
    constraints, _ = parse_constraints(search.query)
    results = [
        _resolution(
            hit, catalog, constraints, search.need, alternatives_of, intent_vector, capability_vectors, k_alternatives
        )
        for hit in search.hits
    ]
    return ResolveAnswer(
        intent=search.query,
        need=search.need,
        constraints=search.constraints,
        results=results,
        near_misses=[NearMiss(model=h.model, why=h.why) for h in search.near_misses],
        nothing_fits=search.nothing_fits,
    )


def _resolution(
    hit: Hit,
    catalog: Catalog,
    constraints: Sequence[Constraint],
    need: str,
    alternatives_of: AlternativesOf,
    intent_vector: IntentVector | None,
    capability_vectors: CapabilityVectors | None,
    k_alternatives: int,
) -> Resolution:
    rec = catalog.records[hit.model.id]
    capability = matched_capability(hit, rec, intent_vector, capability_vectors) if need else None
    items = alternatives_of(hit.model.id, max(k_alternatives, ALTERNATIVE_POOL)).alternatives if k_alternatives else []
    alternatives = []
    for item in items:
        other = catalog.records.get(item.model.id)
        checks = [check(c, other) for c in constraints] if other is not None else []
        fits = other is not None and all(c.status == "pass" for c in checks)
        alternatives.append(
            ResolvedAlternative(model=item.model, score=item.score, reason=item.reason, fits=fits, checks=checks)
        )
    alternatives.sort(key=lambda a: not a.fits)  # stable: the alternatives' own order within each group
    return Resolution(
        model=hit.model,
        kind=hit.kind,
        job=hit.job,
        score=hit.score,
        capability=capability,
        why=why_sentence(hit, capability),
        facts=facts(hit, rec, need, catalog),
        alternatives=alternatives[:k_alternatives],
    )


def matched_capability(
    hit: Hit,
    rec: ModelRecord,
    intent_vector: IntentVector | None,
    capability_vectors: CapabilityVectors | None,
) -> MatchedCapability | None:
    """The capability retrieval ranked (from the hit's evidence), else the nearest one to the intent."""
    by_id = {c.id: c for c in rec.capabilities}
    similarity: dict[str, float] = {}
    if rec.capabilities and intent_vector is not None and capability_vectors is not None:
        ids, vectors = capability_vectors([c.id for c in rec.capabilities])
        if ids:
            q = intent_vector()[0]
            norms = np.linalg.norm(vectors, axis=1) * float(np.linalg.norm(q))
            cosines = (vectors @ q) / np.where(norms == 0, 1.0, norms)
            similarity = {cid: round(float(cos), 4) for cid, cos in zip(ids, cosines, strict=True)}
    ranked = [p.capability_id for p in hit.evidence if p.kind == "capability" and p.capability_id in by_id]
    chosen: Capability | None = by_id[ranked[0]] if ranked and ranked[0] else None
    if chosen is None and similarity:
        chosen = by_id[max(similarity, key=lambda cid: (similarity[cid], cid))]
    if chosen is None:
        return None
    return MatchedCapability(
        id=chosen.id, name=chosen.name, description=chosen.description, similarity=similarity.get(chosen.id)
    )


def why_sentence(hit: Hit, capability: MatchedCapability | None) -> str:
    """One sentence: the capability that matched (or the best evidence) and the constraints it passes."""
    if capability is not None:
        phrase = display_name(
            Capability(
                id=capability.id, model_id=hit.model.id, name=capability.name, description=capability.description
            )
        )
        reason = f"its capability “{phrase}” matches the need"
    elif hit.evidence:
        text = hit.evidence[0].text
        reason = f"its {hit.evidence[0].kind} matches the need (“{text[:100]}{'…' if len(text) > 100 else ''}”)"
    else:
        reason = f"it is a {hit.kind.replace('_', ' ')} for {hit.job.replace('_', ' ')}"
    passed = [c for c in hit.checks if c.status == "pass"]
    if passed:
        said = "; ".join(f"{c.detail}{' (' + ', '.join(c.sources) + ')' if c.sources else ''}" for c in passed)
        reason += f", and it meets every constraint: {said}"
    return f"{hit.model.name} fits because {reason}."


def facts(hit: Hit, rec: ModelRecord, need: str, catalog: Catalog) -> list[Fact]:
    """Constraint checks first, then scores the intent named, then claims on attributes the intent speaks of."""
    out = [
        Fact(kind="constraint", statement=f"{c.constraint}: {c.detail}", status=c.status, sources=c.sources)
        for c in hit.checks
    ]
    out += [Fact(kind="score", statement=p.text) for p in hit.evidence if p.kind == "score"]
    checked = {c.constraint.split()[0] for c in hit.checks}
    wanted = {a for t in tokens(need) for a in ATTRIBUTE_WORDS.get(t.rstrip("s"), ())}
    for claim in rec.claims:
        attribute = canonical_attribute(claim.attribute)
        if attribute in wanted and attribute.split("_")[0] not in checked:
            title = claim.source_title or catalog.title(claim.source_id)
            out.append(Fact(kind="claim", statement=render_claim(claim), sources=[title.removeprefix("URL:").strip()]))
    return out[:MAX_FACTS]
