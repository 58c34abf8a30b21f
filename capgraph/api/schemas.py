"""The HTTP boundary: request and response models, and plain mappers from the domain types.

The match results of `graph.match` (Overlap, Alternatives, Comparison) are returned as they are: their
shape already is the answer with its evidence. Everything else gets a response model here so the
OpenAPI document describes each field.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from capgraph.app.queries import ModelFacts
from capgraph.errors import CapgraphError, ModelNotFound
from capgraph.graph.claims import value_key
from capgraph.graph.class_browser import ClassView
from capgraph.graph.match import CapabilityRef
from capgraph.graph.paging import next_offset
from capgraph.graph.rank import Rank, RankBrief
from capgraph.graph.schema import Capability, Extraction, Model, Source, SourcedClaim, SourceSummary
from capgraph.graph.store import RemovalResult, UpsertResult
from capgraph.graph.usage import MAX_FEEDBACK_MODELS, MAX_QUERY_CHARS


class FieldError(BaseModel):
    """One invalid part of a request."""

    loc: list[str | int] = Field(description="where: ['query', 'limit'], ['body', 'text'], ['body'] ...")
    msg: str
    type: str = Field(description="pydantic's error type, e.g. greater_than_equal, missing, json_invalid")


class ErrorOut(BaseModel):
    """Every 4xx and 5xx answer has this shape, whichever layer refuses the request."""

    error: str = Field(description="the error class, e.g. ModelNotFound, IngestError, InvalidRequest")
    detail: str = Field(description="what went wrong, in a sentence")
    suggestions: list[str] | None = Field(None, description="closest known model names (unknown model only)")
    fields: list[FieldError] | None = Field(None, description="each invalid part (InvalidRequest only)")


def error_out(exc: CapgraphError) -> ErrorOut:
    """A domain error in the one error shape (the HTTP body, and the CLI's answer under --json)."""
    suggestions = exc.suggestions if isinstance(exc, ModelNotFound) else None
    return ErrorOut(error=type(exc).__name__, detail=str(exc), suggestions=suggestions)


# ---------------------------------------------------------------------------------------------- sources
class SourceIn(BaseModel):
    """A text to ingest, as JSON (a plain-text body with ?title=&url= works too)."""

    text: str = Field(description="the comparison page, blog post or spec sheet, as text")
    title: str | None = Field(None, max_length=500, description="defaults to the text's first heading")
    url: str | None = Field(None, max_length=2000, description="where the text comes from")


class SourceOut(BaseModel):
    id: str = Field(description="sha256 of the normalized text; the same text is always the same source")
    title: str
    url: str | None = None
    format: str = Field(description="the detected layout: comparison, blog, specs or unknown")
    ingested_at: datetime | None = None
    chars: int = Field(description="length of the normalized text")


class ExtractedCounts(BaseModel):
    models: int = Field(description="models the text names")
    capabilities: int = Field(description="capabilities decomposed from the text")
    claims: int = Field(description="table and spec values stated about models")
    scores: int = Field(description="benchmark results")


class SourceIngested(BaseModel):
    source_id: str
    created: bool = Field(description="false when the text was already known (nothing changed)")
    source: SourceOut
    extracted: ExtractedCounts
    encoded: int = Field(description="capability texts encoded for this request (0 when all were known)")
    warnings: list[str] = Field(description="what the parser could not read cleanly")


class SourceList(BaseModel):
    total: int = Field(description="every source, before pagination")
    offset: int
    limit: int
    next_offset: int | None = Field(None, description="`offset` of the next page; None on the last page")
    sources: list[SourceOut] = Field(description="ordered by title, then id")


class SourceModel(BaseModel):
    id: str
    name: str
    kind: str
    capabilities: int = Field(description="capabilities of this model that the source states")


class SourceDetail(BaseModel):
    source: SourceOut
    extracted: ExtractedCounts
    models: list[SourceModel] = Field(description="the models the source supports, in the order it names them")
    warnings: list[str]


class RemovalOut(BaseModel):
    source_id: str
    removed_models: list[str] = Field(description="models that only this source supported")
    removed_capabilities: list[str] = Field(description="capabilities that only this source supported")


# ---------------------------------------------------------------------------------------------- models
class ModelOut(BaseModel):
    id: str = Field(description="canonical slug of the name")
    name: str
    kind: str = Field(description="Model, Repository, Product, MCP Server, Dataset, ...")
    vendor: str | None = None
    family: str | None = None
    aliases: list[str] = Field(description="other names that resolve to this model")


class ModelList(BaseModel):
    total: int = Field(description="models matching the filters, before pagination")
    offset: int
    limit: int
    next_offset: int | None = Field(None, description="`offset` of the next page; None on the last page")
    models: list[ModelOut] = Field(description="ordered by name, then id")


class SourceRef(BaseModel):
    id: str
    title: str


class StatedValue(BaseModel):
    value: str = Field(description="the value as the source writes it")
    number: float | None = None
    unit: str | None = None
    sources: list[SourceRef] = Field(description="every source stating this value")


class ClaimGroup(BaseModel):
    attribute: str
    conflict: bool = Field(
        description="true when sources state more than one distinct value (same number and unit, or the "
        "same text ignoring case, count as one value)"
    )
    values: list[StatedValue]


class CapabilityOut(BaseModel):
    id: str
    model_id: str
    name: str = Field(description="short label derived from the description")
    description: str
    unique: str | None = Field(None, description="what the text says is unique about it")
    vs_alternatives: str | None = Field(None, description="how the text sets it against other models")


class ScoreOut(BaseModel):
    benchmark: str
    value: float
    unit: str | None = None
    sources: list[str]


class EvidenceOut(BaseModel):
    kind: Literal["COMPARED_WITH", "CONTRASTED_WITH", "VARIANT_OF"]
    other_id: str = Field(description="the other model")
    capability_id: str | None = Field(None, description="for CONTRASTED_WITH: the capability naming the model")
    sources: list[str]


class ModelDetail(BaseModel):
    model: ModelOut
    claims: list[ClaimGroup] = Field(description="stated values grouped by attribute, conflicts flagged")
    capabilities: list[CapabilityOut] = Field(description="one page of the capabilities, ordered by id")
    capabilities_total: int = Field(description="every capability of the model, before `offset`/`limit`")
    offset: int = Field(description="where this page of capabilities starts")
    limit: int
    next_offset: int | None = Field(description="`offset` of the next page of capabilities; None on the last page")
    scores: list[ScoreOut]
    variants: list[str] = Field(description="models linked to this one by VARIANT_OF, either direction")
    evidence: list[EvidenceOut] = Field(description="explicit model-to-model relationships with their sources")
    capgraph_rank: RankBrief | None = Field(
        None,
        description="capgraph's own rank from the graph's evidence (GET /models/{id}/rank explains it); "
        "ranks that sites state are in `claims`",
    )


class ModelCapabilities(BaseModel):
    model: ModelOut
    total: int = Field(description="every capability of the model, before pagination")
    offset: int
    limit: int
    next_offset: int | None = Field(None, description="`offset` of the next page; None on the last page")
    capabilities: list[CapabilityOut] = Field(description="ordered by id")


# ---------------------------------------------------------------------------------------------- match
class CapabilityMatch(BaseModel):
    capability: CapabilityRef
    similarity: float = Field(description="cosine of the two embeddings")


class SimilarOut(BaseModel):
    capability: CapabilityRef
    similar: list[CapabilityMatch] = Field(description="capabilities of other models, best first")


# ---------------------------------------------------------------------------------------------- service
class StoreHealth(BaseModel):
    reachable: bool
    backend: str = Field(description="networkx (embedded folder) or neo4j")
    fingerprint: str = Field(description="sha256 of the store's location: the CLI uses a server of its own store")
    detail: str | None = Field(None, description="why the store cannot be reached")


class ModelHealth(BaseModel):
    name: str | None = None
    loaded: bool
    detail: str | None = Field(None, description="why the embedding model is not loaded")


class HealthOut(BaseModel):
    status: Literal["ok", "degraded", "unavailable"] = Field(
        description="unavailable: the store cannot be reached (HTTP 503); degraded: no embedding model"
    )
    store: StoreHealth
    model: ModelHealth


# ---------------------------------------------------------------------------------------------- mappers
def source_out(s: Source) -> SourceOut:
    return SourceOut(id=s.id, title=s.title, url=s.url, format=s.format, ingested_at=s.ingested_at, chars=s.chars)


def _counts(summary: SourceSummary) -> ExtractedCounts:
    return ExtractedCounts(
        models=summary.models, capabilities=summary.capabilities, claims=summary.claims, scores=summary.scores
    )


def source_ingested(result: UpsertResult, encoded: int) -> SourceIngested:
    summary = result.summary
    return SourceIngested(
        source_id=result.source_id,
        created=result.created,
        source=source_out(summary.source),
        extracted=_counts(summary),
        encoded=encoded,
        warnings=list(summary.warnings),
    )


def source_list(sources: list[Source], total: int, offset: int, limit: int) -> SourceList:
    return SourceList(
        total=total,
        offset=offset,
        limit=limit,
        next_offset=next_offset(offset, limit, total),
        sources=[source_out(s) for s in sources],
    )


def source_detail(ex: Extraction) -> SourceDetail:
    per_model: dict[str, int] = defaultdict(int)
    for c in ex.capabilities:
        per_model[c.model_id] += 1
    return SourceDetail(
        source=source_out(ex.source),
        extracted=ExtractedCounts(
            models=len(ex.models), capabilities=len(ex.capabilities), claims=len(ex.claims), scores=len(ex.scores)
        ),
        models=[SourceModel(id=m.id, name=m.name, kind=m.kind, capabilities=per_model[m.id]) for m in ex.models],
        warnings=list(ex.warnings),
    )


def removal_out(r: RemovalResult) -> RemovalOut:
    return RemovalOut(
        source_id=r.source_id, removed_models=r.removed_models, removed_capabilities=r.removed_capabilities
    )


def model_out(m: Model) -> ModelOut:
    return ModelOut(id=m.id, name=m.name, kind=m.kind, vendor=m.vendor, family=m.family, aliases=list(m.aliases))


def model_list(models: list[Model], total: int, offset: int, limit: int) -> ModelList:
    return ModelList(
        total=total,
        offset=offset,
        limit=limit,
        next_offset=next_offset(offset, limit, total),
        models=[model_out(m) for m in models],
    )


def capability_out(c: Capability) -> CapabilityOut:
    return CapabilityOut(
        id=c.id,
        model_id=c.model_id,
        name=c.name,
        description=c.description,
        unique=c.unique,
        vs_alternatives=c.vs_alternatives,
    )


def claim_groups(claims: list[SourcedClaim]) -> list[ClaimGroup]:
    """Claims grouped by attribute; values that mean the same (number and unit, or text) are merged."""
    by_attr: dict[str, dict[tuple[str, ...], StatedValue]] = defaultdict(dict)
    for c in claims:
        value = by_attr[c.attribute].setdefault(
            value_key(c), StatedValue(value=c.value, number=c.number, unit=c.unit, sources=[])
        )
        if all(s.id != c.source_id for s in value.sources):
            value.sources.append(SourceRef(id=c.source_id, title=c.source_title))
    groups = []
    for attribute in sorted(by_attr):
        values = sorted(by_attr[attribute].values(), key=lambda v: (v.value, v.unit or ""))
        for v in values:
            v.sources.sort(key=lambda s: (s.title, s.id))
        groups.append(ClaimGroup(attribute=attribute, conflict=len(values) > 1, values=values))
    return groups


def model_detail(facts: ModelFacts) -> ModelDetail:
    return ModelDetail(
        model=model_out(facts.model),
        claims=claim_groups(facts.claims),
        capabilities=[capability_out(c) for c in facts.capabilities],
        capabilities_total=facts.capabilities_total,
        offset=facts.offset,
        limit=facts.limit,
        next_offset=facts.next_offset,
        scores=[ScoreOut(benchmark=s.benchmark, value=s.value, unit=s.unit, sources=s.sources) for s in facts.scores],
        variants=sorted({e.other_id for e in facts.evidence if e.kind == "VARIANT_OF"}),
        evidence=[
            EvidenceOut(kind=e.kind, other_id=e.other_id, capability_id=e.capability_id, sources=e.sources)
            for e in facts.evidence
        ],
        capgraph_rank=facts.capgraph_rank,
    )


def model_capabilities(facts: ModelFacts) -> ModelCapabilities:
    return ModelCapabilities(
        model=model_out(facts.model),
        total=facts.capabilities_total,
        offset=facts.offset,
        limit=facts.limit,
        next_offset=facts.next_offset,
        capabilities=[capability_out(c) for c in facts.capabilities],
    )


def _matches(pairs: list[tuple[CapabilityRef, float]]) -> list[CapabilityMatch]:
    return [CapabilityMatch(capability=ref, similarity=score) for ref, score in pairs]


def similar_out(capability: Capability, similar: list[tuple[CapabilityRef, float]]) -> SimilarOut:
    ref = CapabilityRef(id=capability.id, model_id=capability.model_id, name=capability.name)
    return SimilarOut(capability=ref, similar=_matches(similar))


# ---------------------------------------------------------------------------------------------- classes
class ClassList(BaseModel):
    total: int = Field(description="classes matching the filter, before `offset`/`limit`")
    offset: int
    limit: int
    next_offset: int | None = Field(None, description="`offset` of the next page; None on the last page")
    classes: list[ClassView] = Field(description="largest first; each with its first `members` members")


class BenchmarkOut(BaseModel):
    name: str = Field(description="the normalized name (GET /benchmarks/{name} takes it or any spelling)")
    spellings: list[str] = Field(description="how sources write it")


class BenchmarkList(BaseModel):
    total: int = Field(description="every benchmark with scores, before `offset`/`limit`")
    offset: int
    limit: int
    next_offset: int | None = Field(None, description="`offset` of the next page; None on the last page")
    benchmarks: list[BenchmarkOut] = Field(description="ordered by name")


def benchmark_list(found: list[tuple[str, list[str]]], total: int, offset: int, limit: int) -> BenchmarkList:
    return BenchmarkList(
        total=total,
        offset=offset,
        limit=limit,
        next_offset=next_offset(offset, limit, total),
        benchmarks=[BenchmarkOut(name=name, spellings=spellings) for name, spellings in found],
    )


def class_list(found: list[ClassView], total: int, offset: int, limit: int) -> ClassList:
    return ClassList(
        total=total, offset=offset, limit=limit, next_offset=next_offset(offset, limit, total), classes=found
    )


def _json_integer(value: object) -> object:
    """JSON Schema's integer, as the OpenAPI document says: a number without a fraction (6 and 6.0), never a
    boolean or a string (lax pydantic would take `false` as 0 and "3" as 3)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("Input should be a valid integer")
    return value


JsonInt = Annotated[int, BeforeValidator(_json_integer)]


class ResolveIn(BaseModel):
    """An intent to resolve: a need in words, constraints included ("open weights under 10B parameters")."""

    intent: str = Field(min_length=1, max_length=2000, description="what the agent or person needs, in words")
    k: JsonInt = Field(3, ge=1, le=20, description="how many artifacts to return")
    alternatives: JsonInt = Field(3, ge=0, le=10, description="how many alternatives per artifact")


# ------------------------------------------------------------------------------------ rank and feedback
class RankList(BaseModel):
    scheme: str = Field("capgraph", description="capgraph's own rank (graph.rank), not any site's claimed rank")
    ranks: list[Rank]
    total: int = Field(description="models ranked (of the kind asked), before `limit`")


class FeedbackIn(BaseModel):
    """Whether an answer was useful: name the models it is about (and the query that gave them, if any)."""

    model_config = ConfigDict(extra="forbid", strict=True)  # `useful: 1` or "yes" is no boolean

    models: list[str] = Field(min_length=1, max_length=MAX_FEEDBACK_MODELS, description="ids, names or aliases")
    useful: bool
    query: str | None = Field(None, max_length=MAX_QUERY_CHARS)


class FeedbackReset(BaseModel):
    reset: int = Field(description="feedback records forgotten (or, for one model, no longer about it)")
