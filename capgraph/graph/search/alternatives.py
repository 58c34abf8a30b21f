"""Alternatives from all evidence: head-on comparisons, contrasts, shared benchmarks, claims and capabilities.

score = Σ WEIGHTS[part] · part, every part in [0, 1]:
  compared      pages that set the two side by side: 0.7 for one page, +0.15 per further page (max 1)
  contrasted    capability texts of one naming the other: min(1, mentions / 2)
  capabilities  mean over the model's capabilities of the best cosine to one of the candidate's
                (neighbours from the vector index; below SIMILARITY_FLOOR counts 0)
  classes       capability classes both have, weighted by rarity: Σ_shared idf(c) / Σ_own idf(c), with
                idf(c) = ln(N / n_c) over the N models that have classes (sharing "generates text" says
                little, sharing "LoRA fine-tuning" says much; issue 11)
  benchmarks    mean closeness 1 - |a - b| / max(|a|, |b|) over shared benchmarks, × min(1, shared / 3)
  claims        share of comparable facts that agree (context class, open weights, size class, price class),
                × min(1, comparable / 2)
  pages         pages naming both, each weighing 1 / (other models it names): min(1, Σ)
  job           1 when both do the same specialised job (speech recognition, image generation, ...: jobs
                of few artifacts, where sharing the job already says much); 0 for the broad "llm" job
A model's own variants lend it their evidence: pages comparing "Whisper Large v3" count for "whisper"
(at VARIANT_COMPARED instead of 0.7), and a model without scores uses the best-scored variant's.
Only candidates with the same primary job qualify (kinds.py): an image generator is no alternative to a
chat model, benchmarks/datasets never are, and an accessory named after a product ("Cursor Rules") does not
take the product's job. The model's own variants, snapshots and short forms ("A1111") are listed apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, Field

from capgraph.graph.schema import Capability, Model
from capgraph.graph.search.catalog_index import CatalogIndex, agreeing_facts
from capgraph.graph.search.kinds import Profile, profile
from capgraph.graph.search.records import Catalog, ModelRecord, display_name
from capgraph.graph.store import Matrix

# Weights: a head-on comparison page is the strongest statement that two models compete; capability
# similarity next (it covers models no page compares); benchmarks and claims corroborate. Sum = 1.
WEIGHTS = {
    "compared": 0.36,
    "contrasted": 0.09,
    "capabilities": 0.16,
    "classes": 0.06,
    "benchmarks": 0.13,
    "claims": 0.08,
    "job": 0.05,
    "pages": 0.07,
}
VARIANT_COMPARED = 0.5  # a head-on page about one of the model's variants: weaker than about the model itself
SAME_JOB_MAX = 200  # a specialised job with more artifacts than this is too broad to make them candidates
SIMILARITY_FLOOR = 0.25  # half the SIMILAR_TO threshold (0.5): weaker neighbours are noise
SHOWN_MATCH = 0.5  # pairs shown as shared capabilities: the SIMILAR_TO threshold (ingest.pipeline)
NEIGHBOURS_PER_CAPABILITY = 25
CLAIMS_ONLY_MIN = 0.5  # a candidate known only from claims needs half its comparable facts to agree
CLAIMS_ONLY_FACTS = 2  # ... and at least two agreeing facts ("both closed weights" alone fits half the field)
MIN_SCORE = 0.02  # below this a candidate has no evidence worth a line


class VectorSource(Protocol):
    """The three vector reads alternatives needs; every GraphStore has them."""

    def has_vectors(self, capability_ids: Sequence[str]) -> list[bool]: ...
    def vectors(self, capability_ids: Sequence[str]) -> Matrix: ...
    def nearest(self, queries: Matrix, k: int) -> list[list[tuple[str, float]]]: ...


class CapabilityMatch(BaseModel):
    own: str = Field(description="the model's capability, as a readable phrase")
    other: str
    own_id: str
    other_id: str
    similarity: float


class EvidenceLine(BaseModel):
    kind: str = Field(
        description="COMPARED_WITH | CONTRASTED_WITH | CAPABILITIES | CLASSES | BENCHMARKS | CLAIMS | JOB | PAGES"
    )
    detail: str = Field(description="the evidence in words")
    sources: list[str] = Field(default_factory=list, description="ids of the sources that state it")


class AlternativeItem(BaseModel):
    model: Model
    kind: str
    job: str
    score: float = Field(
        description="Σ weight·part: compared .36, contrasted .09, capabilities .16, classes .06, benchmarks .13, "
        "claims .08, job .05, pages .07"
    )
    parts: dict[str, float]
    reason: str = Field(description="one line in words: why this is an alternative")
    evidence: list[EvidenceLine] = Field(default_factory=list)
    matches: list[CapabilityMatch] = Field(default_factory=list, description="capability pairs at cosine ≥ 0.5")


class AlternativesAnswer(BaseModel):
    model: Model
    kind: str
    job: str
    alternatives: list[AlternativeItem]
    variants: list[Model] = Field(default_factory=list, description="own sizes, snapshots and editions")
    excluded: list[str] = Field(default_factory=list, description="candidates dropped, with why")


def variants_of(catalog: Catalog, model_id: str) -> set[str]:
    """The model's own variants (see CatalogIndex.variants)."""
    return CatalogIndex(catalog, {m: profile(r) for m, r in catalog.records.items()}).variants(model_id)


def _capability_part(
    vectors: VectorSource | None, own: Sequence[Capability], owner: dict[str, tuple[str, Capability]]
) -> dict[str, list[tuple[float, Capability, Capability]]]:
    """candidate model -> best (cosine, own capability, their capability) per own capability."""
    out: dict[str, dict[str, tuple[float, Capability, Capability]]] = defaultdict(dict)
    if vectors is None or not own:
        return {}
    present = [c for c, has in zip(own, vectors.has_vectors([c.id for c in own]), strict=True) if has]
    if not present:
        return {}
    hits = vectors.nearest(vectors.vectors([c.id for c in present]), NEIGHBOURS_PER_CAPABILITY)
    for cap, row in zip(present, hits, strict=True):
        for cid, cos in row:
            if cid not in owner or cos < SIMILARITY_FLOOR:
                continue
            mid, other = owner[cid]
            if mid == cap.model_id:
                continue
            cur = out[mid].get(cap.id)
            if cur is None or cos > cur[0]:
                out[mid][cap.id] = (float(cos), cap, other)
    return {m: sorted(v.values(), key=lambda t: -t[0]) for m, v in out.items()}


def _benchmark_part(a: ModelRecord, b: ModelRecord) -> tuple[float, list[str]]:
    sa = {s.benchmark.lower(): s for s in a.scores}
    shared = [(sa[s.benchmark.lower()], s) for s in b.scores if s.benchmark.lower() in sa]
    if not shared:
        return 0.0, []
    close = [1 - abs(x.value - y.value) / max(abs(x.value), abs(y.value), 1e-9) for x, y in shared]
    part = max(0.0, sum(close) / len(close)) * min(1.0, len(shared) / 3)
    lines = [f"{x.benchmark} {x.value:g} vs {y.value:g}" for x, y in shared[:4]]
    return part, lines


def _evidence_lines(
    catalog: Catalog, pages: set[str], contrasts: list[tuple[str, list[str]]], other: str
) -> list[EvidenceLine]:
    lines = []
    if pages:
        titles = sorted(catalog.title(x) for x in pages)
        plural = "s" * (len(pages) > 1)
        lines.append(
            EvidenceLine(
                kind="COMPARED_WITH",
                detail=f"compared head-on on {len(pages)} page{plural}: " + "; ".join(titles[:3]),
                sources=sorted(pages),
            )
        )
    for named, sources in contrasts[:2]:
        lines.append(EvidenceLine(kind="CONTRASTED_WITH", detail=f"{named} names {other}", sources=sources))
    return lines


def _compatible(model: Profile, other: Profile) -> str | None:
    """None when `other` can stand in for `model`, else why not."""
    if not other.is_artifact_to_use:
        return f"a {other.kind}, not something to use instead"
    if (model.kind == "model") != (other.kind == "model"):
        return f"a {other.kind.replace('_', ' ')}, not a {model.kind.replace('_', ' ')}"
    if model.job != other.job and not (model.job == "other" and model.kind == other.kind):
        return f"does another job ({other.job.replace('_', ' ')}, not {model.job.replace('_', ' ')})"
    return None


def alternatives(
    catalog: Catalog,
    profiles: dict[str, Profile],
    model_id: str,
    vectors: VectorSource | None = None,
    k: int = 10,
    index: CatalogIndex | None = None,
) -> AlternativesAnswer:
    """Rank other models as alternatives to `model_id` (see the module docstring for the score)."""
    idx = index if index is not None else CatalogIndex(catalog, profiles)
    rec = catalog.records[model_id]
    me = profiles[model_id]
    variants = idx.variants(model_id)
    owner = idx.owner
    compared: dict[str, set[str]] = defaultdict(set)
    contrasted: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for e in rec.evidence:
        if e.kind == "COMPARED_WITH":
            compared[e.other_id] |= set(e.sources)
        elif e.kind == "CONTRASTED_WITH":
            cap = owner.get(e.capability_id or "")
            named = (f"{catalog.name(cap[0])}'s “{display_name(cap[1])}”") if cap else "a capability"
            contrasted[e.other_id].append((named, list(e.sources)))
    caps = _capability_part(vectors, rec.capabilities, owner)
    via_variant: dict[str, set[str]] = defaultdict(set)
    for v in variants:
        for e in catalog.records[v].evidence if v in catalog.records else ():
            if e.kind == "COMPARED_WITH":
                via_variant[e.other_id] |= set(e.sources)
    scored_variants = [v for v in variants if v in catalog.records and catalog.records[v].scores]
    bench_rec = rec
    if not rec.scores and scored_variants:
        bench_rec = catalog.records[max(scored_variants, key=lambda v: (len(catalog.records[v].scores), v))]
    pages = idx.co_mentioned(model_id)
    candidates = set(compared) | set(contrasted) | set(caps) | set(via_variant) | set(pages)
    candidates |= idx.benchmark_peers(bench_rec.model.id)
    candidates |= idx.class_peers(model_id)
    same_job = idx.same_job(model_id) if me.job not in ("llm", "other") else set()
    if len(same_job) <= SAME_JOB_MAX:
        candidates |= same_job
    for mid in idx.shared_fact_candidates(model_id, CLAIMS_ONLY_FACTS):
        part, agree = agreeing_facts(idx.facts[model_id], idx.facts[mid])
        if part >= CLAIMS_ONLY_MIN and len(agree) >= CLAIMS_ONLY_FACTS:
            candidates.add(mid)
    candidates -= {model_id}
    scored: list[tuple[float, str, dict[str, float]]] = []
    excluded: list[str] = []
    for mid in sorted(candidates):
        if mid not in catalog.records or mid in variants:
            continue
        why_not = _compatible(me, profiles[mid])
        if why_not:
            if mid in compared or mid in contrasted or mid in caps:
                excluded.append(f"{catalog.name(mid)}: {why_not}")
            continue
        matches = caps.get(mid, [])
        n_pages = len(compared.get(mid, ()))
        parts = {
            "compared": min(1.0, 0.7 + 0.15 * (n_pages - 1))
            if n_pages
            else (VARIANT_COMPARED if mid in via_variant else 0.0),
            "contrasted": min(1.0, len(contrasted.get(mid, [])) / 2),
            "capabilities": sum(s for s, _, _ in matches) / len(rec.capabilities) if rec.capabilities else 0.0,
            "classes": idx.shared_classes(model_id, mid)[0],
            "benchmarks": _benchmark_part(bench_rec, catalog.records[mid])[0],
            "claims": agreeing_facts(idx.facts[model_id], idx.facts[mid])[0],
            "job": 1.0 if mid in same_job else 0.0,
            "pages": min(1.0, pages.get(mid, 0.0)),
        }
        score = sum(WEIGHTS[p] * v for p, v in parts.items())
        if score >= MIN_SCORE:
            scored.append((score, mid, parts))
    scored.sort(key=lambda t: (-t[0], catalog.name(t[1]).lower()))
    items: list[AlternativeItem] = []
    for score, mid, parts in scored[:k]:  # words and objects only for what is shown
        other = catalog.records[mid]
        matches = caps.get(mid, [])
        lines = _evidence_lines(catalog, compared.get(mid, set()), contrasted.get(mid, []), other.model.name)
        if matches:
            s, a, b = matches[0]
            lines.append(
                EvidenceLine(
                    kind="CAPABILITIES",
                    detail=f"{len(matches)} similar capabilities, best “{display_name(a)}” ~ “{display_name(b)}” "
                    f"({s:.2f})",
                )
            )
        if mid in via_variant and mid not in compared:
            titles = "; ".join(sorted(catalog.title(x) for x in via_variant[mid])[:2])
            lines.append(
                EvidenceLine(
                    kind="COMPARED_WITH",
                    detail=f"compared with a variant on: {titles}",
                    sources=sorted(via_variant[mid]),
                )
            )
        shared_classes = idx.shared_classes(model_id, mid)[1]
        if shared_classes:
            named = ", ".join(f"“{catalog.class_names.get(c, c)}”" for c in shared_classes[:3])
            lines.append(EvidenceLine(kind="CLASSES", detail=f"shared capability classes, rarest first: {named}"))
        bench_lines = _benchmark_part(bench_rec, other)[1]
        if bench_lines:
            lines.append(EvidenceLine(kind="BENCHMARKS", detail="shared benchmarks: " + ", ".join(bench_lines)))
        claim_lines = agreeing_facts(idx.facts[model_id], idx.facts[mid])[1]
        if claim_lines:
            lines.append(EvidenceLine(kind="CLAIMS", detail="same class: " + ", ".join(claim_lines)))
        if mid in same_job:
            lines.append(EvidenceLine(kind="JOB", detail=f"same job: {me.job.replace('_', ' ')}"))
        shared_pages = sorted(idx.pages_of.get(model_id, set()) & idx.pages_of.get(mid, set()))
        if shared_pages and mid not in compared:
            lines.append(
                EvidenceLine(
                    kind="PAGES",
                    detail=f"named together on {len(shared_pages)} page{'s' * (len(shared_pages) > 1)}: "
                    + "; ".join(catalog.title(x) for x in shared_pages[:2]),
                    sources=shared_pages,
                )
            )
        items.append(
            AlternativeItem(
                model=other.model,
                kind=profiles[mid].kind,
                job=profiles[mid].job,
                score=round(score, 4),
                parts={p: round(v, 4) for p, v in parts.items()},
                reason="; ".join(line.detail for line in lines[:2]),
                evidence=lines,
                matches=[
                    CapabilityMatch(
                        own=display_name(a), other=display_name(b), own_id=a.id, other_id=b.id, similarity=round(s, 4)
                    )
                    for s, a, b in matches[:5]
                    if s >= SHOWN_MATCH
                ],
            )
        )
    return AlternativesAnswer(
        model=rec.model,
        kind=me.kind,
        job=me.job,
        alternatives=items,
        variants=sorted((catalog.records[v].model for v in variants if v in catalog.records), key=lambda m: m.name),
        excluded=excluded[:10],
    )
