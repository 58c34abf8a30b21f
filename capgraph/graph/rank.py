"""capgraph's own rank: 0-100 per model from evidence in the graph only, every input shown.

Not any site's rank: the "rank"/"UnfragileRank" values pages state are claims of those sites and stay
claims. This rank reads a `RankInputs` record per model (built by `graph.rank_evidence` from the
store) and combines five components, each a number in [0, 1]:

  support    = 1 - 2^(-sites / SUPPORT_HALF)         independent sites (distinct hosts) naming the model
  benchmarks = Σ_b p_b / (k + 1)                      p_b = percentile among the models scored on b,
                                                      k = shared benchmarks (the +1 keeps one lucky score
                                                      from giving full marks)
  graph      = PR / max PR                            PageRank over COMPARED_WITH + CONTRASTED_WITH
  usage      = ln(1 + matched) / ln(1 + max matched)  times matched in search/resolve/alternatives answers
  freshness  = 2^(-age_days / FRESHNESS_HALF_LIFE)    age of the newest supporting source (page date,
                                                      else ingest date)

  evidence   = 100 · Σ w_c · c / Σ w_c                weights w per artifact kind (`RankConfig.weights`)
  feedback   = B · tanh(Σ_f v_f · 2^(-age_f / H) / FEEDBACK_SCALE)
                                                      v = +1 useful, -1 not; B = bound (points), H = half-life
  rank       = clamp(evidence + feedback, 0, 100)

Feedback never moves a model by B points or more, so it only reorders models whose evidence is within B
of each other; it decays with H and can be reset.
"""

from __future__ import annotations

import math
from datetime import datetime

from pydantic import BaseModel, Field

from capgraph.graph.schema import Model
from capgraph.graph.usage import Feedback

COMPONENTS = ("support", "benchmarks", "graph", "usage", "freshness")
SUPPORT_HALF = 2.0  # sites at which support reaches 0.5 (4 sites: 0.75, 8: 0.94)
FEEDBACK_SCALE = 3.0  # net decayed votes at which the feedback term reaches tanh(1) ≈ 0.76 of its bound
SCHEME = "capgraph"


class ComponentWeights(BaseModel):
    """How much each component counts for one artifact kind; only the ratios matter."""

    support: float = Field(ge=0)
    benchmarks: float = Field(ge=0)
    graph: float = Field(ge=0)
    usage: float = Field(ge=0)
    freshness: float = Field(ge=0)

    def of(self, name: str) -> float:
        return float(getattr(self, name))


DEFAULT_WEIGHTS: dict[str, ComponentWeights] = {
    # Models are benchmarked: their standing there counts as much as how many sites discuss them.
    "Model": ComponentWeights(support=0.30, benchmarks=0.30, graph=0.20, usage=0.10, freshness=0.10),
    # Repositories, products, MCP servers, datasets rarely have benchmark scores: presence and links count.
    "*": ComponentWeights(support=0.40, benchmarks=0.05, graph=0.30, usage=0.15, freshness=0.10),
}


class RankConfig(BaseModel):
    weights: dict[str, ComponentWeights] = Field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    feedback_bound: float = Field(5.0, ge=0, le=20, description="B: the most feedback can move a rank, in points")
    feedback_half_life_days: float = Field(30.0, gt=0)
    freshness_half_life_days: float = Field(365.0, gt=0)

    def for_kind(self, kind: str) -> ComponentWeights:
        return self.weights.get(kind) or self.weights.get("*") or DEFAULT_WEIGHTS["*"]


class SourceRef(BaseModel):
    id: str
    title: str
    site: str
    date: datetime
    dated_by: str = Field(description="'page' when the page states its date, else 'ingest'")


class BenchmarkStanding(BaseModel):
    benchmark: str
    value: float = Field(description="mean of the values sources state (conflicting values averaged)")
    values: list[float]
    conflict: bool
    models: int = Field(description="models with a score on this benchmark")
    beaten: float = Field(description="models it beats, ties counting half")
    percentile: float = Field(description="beaten / (models - 1)")
    higher_is_better: bool = True
    sources: list[str]


class RankInputs(BaseModel):
    """Everything the formula reads about one model; `graph.rank_evidence.rank_inputs` builds it."""

    model: Model
    sources: list[SourceRef]
    benchmarks: list[BenchmarkStanding] = Field(default_factory=list)
    pagerank: float = 0.0
    max_pagerank: float = 0.0
    neighbours: list[str] = Field(default_factory=list, description="models it is compared or contrasted with")
    times_matched: int = 0
    max_times_matched: int = 0
    feedback: list[Feedback] = Field(default_factory=list)


class Component(BaseModel):
    name: str
    value: float = Field(description="in [0, 1]")
    weight: float = Field(description="share of the evidence score (weights of the kind, normalised)")
    points: float = Field(description="100 · weight · value: what it adds to the evidence score")
    formula: str
    inputs: dict[str, object] = Field(default_factory=dict)


class FeedbackTerm(BaseModel):
    points: float
    bound: float
    net_votes: float = Field(description="Σ v · 2^(-age / half-life)")
    records: int


class Rank(BaseModel):
    """capgraph's rank of one model (not a site's claimed rank), with the parts that make it."""

    scheme: str = SCHEME
    model: Model
    score: float = Field(description="clamp(evidence + feedback, 0, 100)")
    evidence: float
    feedback: FeedbackTerm
    components: list[Component]
    sources: list[SourceRef]
    position: int | None = None


class RankBrief(BaseModel):
    """capgraph's rank in one line, for answers about a model (`capgraph rank MODEL --explain` has the parts)."""

    scheme: str = SCHEME
    score: float
    position: int | None
    of: int = Field(description="how many models are ranked")


def _age_days(then: datetime, now: datetime) -> float:
    return max(0.0, (now - then).total_seconds() / 86400.0)


def components(inputs: RankInputs, config: RankConfig, now: datetime) -> list[Component]:
    """The five components of the evidence score, each with its formula and the inputs it read."""
    w = config.for_kind(inputs.model.kind)
    total = sum(w.of(n) for n in COMPONENTS) or 1.0
    sites = sorted({s.site for s in inputs.sources})
    k = len(inputs.benchmarks)
    newest = max(inputs.sources, key=lambda s: s.date) if inputs.sources else None
    age = _age_days(newest.date, now) if newest else None
    m, top = inputs.times_matched, inputs.max_times_matched
    parts: list[tuple[str, float, str, dict[str, object]]] = [
        (
            "support",
            1.0 - 2.0 ** (-len(sites) / SUPPORT_HALF),
            f"1 - 2^(-sites / {SUPPORT_HALF:g})",
            {"sites": sites, "sources": len(inputs.sources)},
        ),
        (
            "benchmarks",
            sum(b.percentile for b in inputs.benchmarks) / (k + 1),
            "Σ percentile / (shared benchmarks + 1)",
            {"shared_benchmarks": k, "percentiles": {b.benchmark: round(b.percentile, 4) for b in inputs.benchmarks}},
        ),
        (
            "graph",
            inputs.pagerank / inputs.max_pagerank if inputs.max_pagerank > 0 else 0.0,
            "PageRank / max PageRank (COMPARED_WITH + CONTRASTED_WITH)",
            {
                "pagerank": round(inputs.pagerank, 6),
                "max_pagerank": round(inputs.max_pagerank, 6),
                "neighbours": len(inputs.neighbours),
            },
        ),
        (
            "usage",
            math.log1p(m) / math.log1p(top) if top > 0 else 0.0,
            "ln(1 + times matched) / ln(1 + max times matched)",
            {"times_matched": m, "max_times_matched": top},
        ),
        (
            "freshness",
            2.0 ** (-age / config.freshness_half_life_days) if age is not None else 0.0,
            f"2^(-age_days / {config.freshness_half_life_days:g})",
            {
                "newest_source": newest.id if newest else None,
                "age_days": round(age, 1) if age is not None else None,
                "dated_by": newest.dated_by if newest else None,
            },
        ),
    ]
    return [
        Component(
            name=name,
            value=round(value, 4),
            weight=round(w.of(name) / total, 4),
            points=round(100.0 * w.of(name) / total * value, 2),
            formula=formula,
            inputs=inputs_,
        )
        for name, value, formula, inputs_ in parts
    ]


def feedback_term(feedback: list[Feedback], config: RankConfig, now: datetime) -> FeedbackTerm:
    """B · tanh(net / FEEDBACK_SCALE): bounded by B whatever the number of votes, decaying with age."""
    half = config.feedback_half_life_days
    net = sum((1.0 if f.useful else -1.0) * 2.0 ** (-_age_days(f.at, now) / half) for f in feedback)
    points = config.feedback_bound * math.tanh(net / FEEDBACK_SCALE)
    return FeedbackTerm(
        points=round(points, 2), bound=config.feedback_bound, net_votes=round(net, 4), records=len(feedback)
    )


def rank(inputs: RankInputs, config: RankConfig, now: datetime) -> Rank:
    """One model's rank; a model with no supporting source has none (the caller leaves it out)."""
    parts = components(inputs, config, now)
    evidence = sum(100.0 * c.weight * c.value for c in parts)
    fb = feedback_term(inputs.feedback, config, now)
    score = min(100.0, max(0.0, evidence + fb.points))
    return Rank(
        model=inputs.model,
        score=round(score, 2),
        evidence=round(evidence, 2),
        feedback=fb,
        components=parts,
        sources=sorted(inputs.sources, key=lambda s: (s.date, s.id), reverse=True),
    )


def rank_all(records: list[RankInputs], config: RankConfig, now: datetime) -> list[Rank]:
    """Every model that has a source, best first (ties by name, then id), positions from 1."""
    out = sorted(
        (rank(r, config, now) for r in records if r.sources),
        key=lambda r: (-r.score, -r.evidence, r.model.name.lower(), r.model.id),
    )
    for i, r in enumerate(out, 1):
        r.position = i
    return out
