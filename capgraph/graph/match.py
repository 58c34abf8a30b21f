"""The match queries: overlap, similar, and the dense-only search and alternatives (the benchmarks'
"before"; the answers live in `graph/search/`, compare in `graph/compare.py`). Pure functions over a GraphStore.

Each answer carries its evidence (capability pairs with their cosine, the sources of explicit
relationships) so a user can see why, not only what.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol

import numpy as np
from pydantic import BaseModel, Field

from capgraph.graph.class_names import capability_terms
from capgraph.graph.phrases import shared_phrases, words_of
from capgraph.graph.schema import Capability, Model
from capgraph.graph.similarity import SIMILARITY_THRESHOLD, check_compatible
from capgraph.graph.store import GraphStore, Matrix

DEFAULT_THRESHOLD = SIMILARITY_THRESHOLD  # one threshold for links and for "shared"
# overlap(): the cosine at which two capabilities may pair through a phrase both texts use (a paragraph already
# paired may pair again this way). Below the one-to-one threshold because a paragraph about two abilities sits
# between them in embedding space. On the model pairs of bench/keys/quality (overlap.jsonl and the pair key),
# the phrase pairs at 0.47-0.5 were 2 same of 3 ("text image", "token context"; not "natural language"),
# those at 0.44-0.46 ("transformer architecture", "natural language") 0 of 3.
PHRASE_COSINE = 0.47
# overlap(): content terms (outside the models' names) two shared capabilities must have in common.
MIN_SHARED_TERMS = 3
# overlap(): the cosine from which a one-to-one pair below the threshold is shared when both texts name the same
# acronym concept ("LoRA" / "low-rank adaptation", `search.text.concepts`): the lexical side says what the
# embedding blurs. On the model pairs of bench/keys/quality (overlap.jsonl and the pair key), the assigned
# pairs below 0.5 that share a concept were 1 of 1 the same (LoRA at 0.37); no pair under 0.3 shares one.
CONCEPT_COSINE = 0.3

# alternatives(): how the parts of a candidate's score are weighted (they sum to 1).
WEIGHT_CAPABILITIES = 0.7
WEIGHT_COMPARED = 0.2
WEIGHT_CONTRASTED = 0.1
# Nearest capabilities fetched per capability of the model; enough to reach ~10 other models.
NEIGHBOURS_PER_CAPABILITY = 25


class QueryEncoder(Protocol):
    @property
    def name(self) -> str: ...

    def encode(self, texts: Sequence[str]) -> Matrix: ...


class CapabilityRef(BaseModel):
    id: str
    model_id: str
    name: str


class CapabilityPair(BaseModel):
    a: CapabilityRef
    b: CapabilityRef
    similarity: float
    capability_class: str | None = Field(None, description="the class both are in, when they share one")
    phrases: list[str] = Field(
        default_factory=list, description="for a second pair of a paragraph: the phrases both texts use that paired it"
    )


class Overlap(BaseModel):
    a: Model
    b: Model
    threshold: float
    score: float = Field(description="2·Σ shared similarity / (|caps a| + |caps b|), in [0, 1]")
    shared: list[CapabilityPair] = Field(
        description="pairs in the same capability class, then one-to-one pairs at or above the threshold; best first"
    )
    shared_classes: list[str] = Field(default_factory=list, description="names of the classes both models have")
    unique_a: list[CapabilityRef]
    unique_b: list[CapabilityRef]
    pairs: list[CapabilityPair] = Field(description="every assigned pair with its similarity, best first")


class EvidenceItem(BaseModel):
    kind: str
    detail: str
    sources: list[str] = Field(default_factory=list)


class Alternative(BaseModel):
    model: Model
    score: float
    parts: dict[str, float]
    matches: list[CapabilityPair] = Field(default_factory=list)
    evidence: list[EvidenceItem] = Field(default_factory=list)


class Alternatives(BaseModel):
    model: Model
    alternatives: list[Alternative]


class SearchHit(BaseModel):
    model: Model
    score: float
    capabilities: list[tuple[CapabilityRef, float]]


class SearchResult(BaseModel):
    query: str
    hits: list[SearchHit]


def _ref(c: Capability) -> CapabilityRef:
    return CapabilityRef(id=c.id, model_id=c.model_id, name=c.name)


def _check_vectors(store: GraphStore, encoder: QueryEncoder | None = None) -> None:
    if encoder is not None:
        check_compatible(store.embedding_info(), encoder.name)


def _with_vectors(store: GraphStore, caps: list[Capability]) -> tuple[list[Capability], Matrix]:
    present = [c for c, has in zip(caps, store.has_vectors([c.id for c in caps]), strict=True) if has]
    return present, store.vectors([c.id for c in present])


def overlap(store: GraphStore, a: str, b: str, threshold: float = DEFAULT_THRESHOLD, by_class: bool = True) -> Overlap:
    """Capabilities of a and b in the same capability class are paired first (a class holds one capability
    per model, so these pairs are one-to-one); the rest are matched one-to-one by maximum total cosine
    (Hungarian assignment), shared when at or above `threshold`. Everything else is unique to its side.
    A pair below the threshold is shared too when its cosine is ≥ CONCEPT_COSINE and both name one acronym
    concept (`_same_concept`). A shared pair must share words besides the models' names (`_say_the_same`).
    A paragraph that covers several abilities may then pair again (`_phrase_pairs`): with a capability at
    cosine ≥ PHRASE_COSINE when the two use a phrase word for word that none of their pairs already shares.
    `by_class=False` is cosine alone, one-to-one (the benchmarks' "before").
    score = 2 * sum(shared similarity) / (n_a + n_b), at most 1: 1 when every capability has an identical twin.
    """
    with store.reading():
        ma, mb = store.get_model(a), store.get_model(b)
        caps_a, va = _with_vectors(store, store.capabilities(ma.id))
        caps_b, vb = _with_vectors(store, store.capabilities(mb.id))
        member_of = store.class_memberships([c.id for c in (*caps_a, *caps_b)]) if by_class else {}
        names = {k.id: k.name for k in store.get_classes(sorted(set(member_of.values())))} if member_of else {}
    pairs: list[CapabilityPair] = []
    if caps_a and caps_b:
        from scipy.optimize import linear_sum_assignment  # imported here: scipy costs ~1 s at start-up

        sim = va @ vb.T
        class_of_b = {member_of[c.id]: j for j, c in enumerate(caps_b) if c.id in member_of}
        same = [(i, class_of_b[k]) for i, c in enumerate(caps_a) if (k := member_of.get(c.id)) in class_of_b]
        pairs = [
            CapabilityPair(
                a=_ref(caps_a[i]),
                b=_ref(caps_b[j]),
                similarity=round(float(sim[i, j]), 4),
                capability_class=names.get(member_of[caps_a[i].id]),
            )
            for i, j in same
        ]
        rest_a = [i for i in range(len(caps_a)) if i not in {i for i, _ in same}]
        rest_b = [j for j in range(len(caps_b)) if j not in {j for _, j in same}]
        if rest_a and rest_b:
            rows, cols = linear_sum_assignment(-sim[np.ix_(rest_a, rest_b)])
            pairs += [
                CapabilityPair(
                    a=_ref(caps_a[rest_a[r]]),
                    b=_ref(caps_b[rest_b[c]]),
                    similarity=round(float(sim[rest_a[r], rest_b[c]]), 4),
                )
                for r, c in zip(rows, cols, strict=True)
            ]
    pairs.sort(key=lambda p: (p.capability_class is None, -p.similarity, p.a.id, p.b.id))
    shared = [p for p in pairs if p.capability_class is not None or p.similarity >= threshold]
    if by_class and caps_a and caps_b:
        own_names = _name_words(ma, mb)
        by_id = {c.id: c for c in (*caps_a, *caps_b)}
        shared += [
            p
            for p in pairs
            if p.capability_class is None
            and CONCEPT_COSINE <= p.similarity < threshold
            and _same_concept(by_id[p.a.id], by_id[p.b.id])
        ]
        shared = [p for p in shared if _say_the_same(by_id[p.a.id], by_id[p.b.id], own_names)]
        extra = _phrase_pairs(caps_a, caps_b, va @ vb.T, shared, own_names)
        shared = sorted([*shared, *extra], key=lambda p: (p.capability_class is None, -p.similarity, p.a.id, p.b.id))
        pairs = sorted([*pairs, *extra], key=lambda p: (p.capability_class is None, -p.similarity, p.a.id, p.b.id))
    shared_a = {p.a.id for p in shared}
    shared_b = {p.b.id for p in shared}
    total = len(caps_a) + len(caps_b)
    score = 2 * sum(p.similarity for p in shared) / total if total else 0.0
    return Overlap(
        a=ma,
        b=mb,
        threshold=threshold,
        score=round(min(1.0, score), 4),
        shared=shared,
        shared_classes=[p.capability_class for p in shared if p.capability_class is not None],
        unique_a=[_ref(c) for c in caps_a if c.id not in shared_a],
        unique_b=[_ref(c) for c in caps_b if c.id not in shared_b],
        pairs=pairs,
    )


def _name_words(*models: Model) -> list[str]:
    return [n for m in models for n in (m.name, *m.aliases, m.vendor or "")]


def _say_the_same(a: Capability, b: Capability, names: list[str]) -> bool:
    """Whether two paired texts share enough words besides the models' names: at least MIN_SHARED_TERMS
    content terms (fewer when a text has fewer: half the shorter one's). Two paragraphs about two models of
    one maker ("Llama 4 is Meta's flagship ..." / "access to Llama 3.2 1B through Meta's assistant") embed
    close (cosine 0.69) through the names alone; the same ability shares its words (4-17 on the overlap key)."""
    own = set().union(*(words_of(n) for n in names)) if names else set()
    ta = {t.removesuffix("'s") for t in capability_terms(a)} - own
    tb = {t.removesuffix("'s") for t in capability_terms(b)} - own
    need = min(MIN_SHARED_TERMS, math.ceil(min(len(ta), len(tb)) / 2))
    return len(ta & tb) >= need


def _same_concept(a: Capability, b: Capability) -> bool:
    """Whether both texts name one acronym concept (by acronym or long form): a technique named, not a topic."""
    concepts = {t for t in capability_terms(a) if t.startswith("concept:")}
    return any(t in concepts for t in capability_terms(b))


def _phrase_pairs(
    caps_a: list[Capability], caps_b: list[Capability], sim: Matrix, shared: list[CapabilityPair], names: list[str]
) -> list[CapabilityPair]:
    """Second pairs for paragraphs that cover several abilities (`graph.phrases`): (i, j) not yet paired with
    cos ≥ PHRASE_COSINE and a shared phrase that is new to both, i.e. shared by none of the pairs i or j is
    already in ("context window" of a conversation paragraph, when the conversation is already paired).
    Best cosine first; each kept pair adds its phrases to both sides' coverage."""
    text = {c.id: f"{c.name}. {c.description}" for c in (*caps_a, *caps_b)}
    covered: dict[str, set[str]] = defaultdict(set)
    taken = {(p.a.id, p.b.id) for p in shared}
    for p in shared:
        both = set(shared_phrases(text[p.a.id], text[p.b.id], names))
        covered[p.a.id] |= both
        covered[p.b.id] |= both
    candidates = sorted(
        ((float(sim[i, j]), i, j) for i, j in zip(*np.nonzero(sim >= PHRASE_COSINE), strict=True)),
        key=lambda t: (-t[0], caps_a[t[1]].id, caps_b[t[2]].id),
    )
    out: list[CapabilityPair] = []
    for cos, i, j in candidates:
        a, b = caps_a[i], caps_b[j]
        if (a.id, b.id) in taken:
            continue
        new = set(shared_phrases(text[a.id], text[b.id], names)) - covered[a.id] - covered[b.id]
        if new:
            out.append(CapabilityPair(a=_ref(a), b=_ref(b), similarity=round(cos, 4), phrases=sorted(new)))
            covered[a.id] |= new
            covered[b.id] |= new
    return out


def alternatives(store: GraphStore, name: str, k: int = 10, threshold: float = DEFAULT_THRESHOLD) -> Alternatives:
    """Rank other models as alternatives to `name`.

    Candidates come from the vector index (the nearest capabilities of each of the model's
    capabilities) and from explicit evidence (COMPARED_WITH, CONTRASTED_WITH in either direction).
    score = 0.7 * coverage + 0.2 * compared + 0.1 * min(1, contrasts / 2), where coverage is the mean,
    over the model's capabilities, of the best cosine to a capability of the candidate (0 when none
    of the candidate's capabilities is among the nearest or it is below threshold / 2).
    """
    with store.reading():
        model = store.get_model(name)
        caps, vectors = _with_vectors(store, store.capabilities(model.id))
        neighbour_lists = store.nearest(vectors, NEIGHBOURS_PER_CAPABILITY) if caps else []
        neighbour_ids = sorted({cid for hits in neighbour_lists for cid, _ in hits})
        neighbour_caps = {c.id: c for c in store.get_capabilities(neighbour_ids)}
        evidence = store.evidence(model.id)
        variant_ids = {e.other_id for e in evidence if e.kind == "VARIANT_OF"}

        best: dict[str, dict[str, tuple[float, Capability]]] = defaultdict(dict)
        for own, hits in zip(caps, neighbour_lists, strict=True):
            for cid, score in hits:
                other = neighbour_caps[cid]
                if other.model_id == model.id or score < threshold / 2:
                    continue
                current = best[other.model_id].get(own.id)
                if current is None or score > current[0]:
                    best[other.model_id][own.id] = (score, other)

        compared: dict[str, list[str]] = defaultdict(list)
        contrasted: dict[str, list[EvidenceItem]] = defaultdict(list)
        for e in evidence:
            if e.kind == "COMPARED_WITH":
                compared[e.other_id].extend(e.sources)
            elif e.kind == "CONTRASTED_WITH":
                contrasted[e.other_id].append(
                    EvidenceItem(
                        kind="CONTRASTED_WITH",
                        detail=f"capability {e.capability_id} names the other model",
                        sources=e.sources,
                    )
                )

        # Score every candidate with plain numbers first; build response objects only for the top k.
        scored: list[tuple[float, str, float, float, float]] = []
        for cid in (set(best) | set(compared) | set(contrasted)) - {model.id}:
            coverage = sum(s for s, _ in best.get(cid, {}).values()) / len(caps) if caps else 0.0
            is_compared = 1.0 if cid in compared else 0.0
            contrast_part = min(1.0, len(contrasted.get(cid, [])) / 2)
            score = WEIGHT_CAPABILITIES * coverage + WEIGHT_COMPARED * is_compared + WEIGHT_CONTRASTED * contrast_part
            scored.append((round(score, 4), cid, coverage, is_compared, contrast_part))
        scored.sort(key=lambda t: (-t[0], t[1]))

        own_caps = {c.id: c for c in caps}
        top = scored[:k]
        candidates = {m.id: m for m in store.get_models([t[1] for t in top])}  # one read for all of them
        results: list[Alternative] = []
        for score, cid, coverage, is_compared, contrast_part in top:
            matches = sorted(
                (
                    CapabilityPair(a=_ref(own_caps[own_id]), b=_ref(other), similarity=round(s, 4))
                    for own_id, (s, other) in best.get(cid, {}).items()
                ),
                key=lambda p: (-p.similarity, p.a.id),
            )
            items = []
            if cid in compared:
                items.append(
                    EvidenceItem(
                        kind="COMPARED_WITH", detail="compared side by side", sources=sorted(set(compared[cid]))
                    )
                )
            if cid in variant_ids:
                items.append(EvidenceItem(kind="VARIANT_OF", detail="variant of the same family"))
            items.extend(contrasted.get(cid, []))
            results.append(
                Alternative(
                    model=candidates[cid],
                    score=score,
                    parts={
                        "capabilities": round(coverage, 4),
                        "compared": is_compared,
                        "contrasted": round(contrast_part, 4),
                        "shared_capabilities": float(sum(1 for p in matches if p.similarity >= threshold)),
                    },
                    matches=[p for p in matches if p.similarity >= threshold][:10],
                    evidence=items,
                )
            )
    return Alternatives(model=model, alternatives=results)


def search(store: GraphStore, encoder: QueryEncoder, text: str, k: int = 10, per_model: int = 3) -> SearchResult:
    """Models whose capabilities best fit a need in words: the nearest capabilities, grouped by model.

    A model's score is its best capability's cosine plus 0.1 × the mean of its next matches (up to
    `per_model` - 1), so breadth breaks near-ties without outweighing a strong single match.
    """
    _check_vectors(store, encoder)
    query = encoder.encode([text])
    with store.reading():
        hits = store.nearest(query, max(k * 10, 50))[0] if store.embedding_info() else []
        caps = {c.id: c for c in store.get_capabilities([cid for cid, _ in hits])}
        grouped: dict[str, list[tuple[CapabilityRef, float]]] = defaultdict(list)
        for cid, score in hits:
            grouped[caps[cid].model_id].append((_ref(caps[cid]), round(score, 4)))
        out = []
        for model_id, matches in grouped.items():
            matches = sorted(matches, key=lambda m: (-m[1], m[0].id))[:per_model]
            rest = [s for _, s in matches[1:]]
            score = matches[0][1] + (0.1 * statistics.fmean(rest) if rest else 0.0)
            out.append(SearchHit(model=store.get_model(model_id), score=round(score, 4), capabilities=matches))
    out.sort(key=lambda h: (-h.score, h.model.id))
    return SearchResult(query=text, hits=out[:k])


def similar_capabilities(store: GraphStore, capability_id: str, k: int = 10) -> list[tuple[CapabilityRef, float]]:
    """Nearest capabilities of other models to one capability (vector index), best first."""
    with store.reading():
        cap = store.get_capabilities([capability_id])[0]
        if not store.has_vectors([cap.id])[0]:
            return []
        hits = store.nearest(store.vectors([cap.id]), k * 3 + 1)[0]
        caps = {c.id: c for c in store.get_capabilities([cid for cid, _ in hits])}
    out = [(_ref(caps[cid]), round(s, 4)) for cid, s in hits if caps[cid].model_id != cap.model_id]
    return out[:k]
