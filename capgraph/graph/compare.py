"""`compare`: two models side by side as a chooser needs them.

What differs (context window, prices, parameters, license, modalities, ...), the benchmark scores on the
benchmarks both have, the capability classes each has alone, every value with its sources and conflicts;
other sites' own numbers (UnfragileRank, adoption, ...) apart, as those sites' claims; capgraph's rank of
each; and a verdict in words built from capgraph's evidence only, never from a site's headline number.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Literal

from pydantic import BaseModel, Field

from capgraph.graph.claims import value_key
from capgraph.graph.rank import Rank
from capgraph.graph.rank_evidence import bench_key, is_site_score
from capgraph.graph.schema import Model, SourcedClaim, SourcedScore
from capgraph.graph.search.leaderboard import LOWER_IS_BETTER
from capgraph.graph.store import GraphReader

Better = Literal["higher", "lower"]
# A chooser's facts: label, the attributes pages use for it, and which way is better (None: neither).
FACTS: tuple[tuple[str, tuple[str, ...], Better | None], ...] = (
    ("context window", ("context_window", "context", "context_length", "max_context"), "higher"),
    ("max output tokens", ("max_output_tokens", "max_output"), "higher"),
    ("input price", ("input_price", "input_price_1_m_tok", "input_price_per_1_m_tokens", "prompt_m"), "lower"),
    ("output price", ("output_price", "output_price_1_m_tok", "output_price_per_1_m_tokens", "completion_m"), "lower"),
    ("price", ("price", "starting_price"), None),
    (
        "parameters",
        ("parameters", "total_parameters", "parameter_count", "number_of_parameters_in_the_llm", "model_size"),
        None,
    ),
    ("active parameters", ("active_parameters",), None),
    ("license", ("license", "open_weights", "open_source", "license_permissive"), None),
    ("modalities", ("modalities", "input_output_modality", "input_output"), None),
    ("speed", ("speed_tokens_s", "generation_speed"), "higher"),
    ("knowledge cutoff", ("knowledge_cutoff",), None),
    ("released", ("release_date", "released", "release", "model_release_date"), None),
)
# Numbers a site computes about models (its own rank, indices, counters, its pricing tier): its claims.
SITE_ATTRIBUTES = frozenset(
    {
        "unfragile_rank",
        "rank",
        "score",
        "overall_score",
        "adoption",
        "quality",
        "ecosystem",
        "match_graph",
        "times_matched",
        "pricing",
        "capabilities",
        "intelligence_index_aa",
        "coding_index_aa",
    }
)


class Value(BaseModel):
    value: str
    number: float | None = None
    unit: str | None = None
    sources: list[str]


class FactRow(BaseModel):
    fact: str
    attributes: list[str] = Field(description="the attribute names the sources used")
    a: list[Value]
    b: list[Value]
    conflict_a: bool = False
    conflict_b: bool = False
    better: Better | None = None
    leader: Literal["a", "b"] | None = Field(None, description="who is better on it, when it has a direction")


class Side(BaseModel):
    value: float = Field(description="mean of the sources' values")
    values: list[float]
    conflict: bool
    sources: list[str]


class BenchmarkRow(BaseModel):
    benchmark: str
    a: Side
    b: Side
    higher_is_better: bool
    leader: Literal["a", "b"] | None = None


class ClassDiff(BaseModel):
    shared: list[str] = Field(default_factory=list)
    only_a: list[str] = Field(default_factory=list)
    only_b: list[str] = Field(default_factory=list)


class Comparison(BaseModel):
    a: Model
    b: Model
    differences: list[FactRow] = Field(description="chooser facts whose values differ or only one side states")
    same: list[FactRow] = Field(default_factory=list, description="chooser facts both state alike")
    benchmarks: list[BenchmarkRow] = Field(description="benchmarks both have a score on")
    classes: ClassDiff
    site_claims: list[FactRow] = Field(description="other sites' own numbers about these models: claims, not facts")
    capgraph_rank_a: Rank | None = Field(None, description="capgraph's own rank (graph.rank), not a site's")
    capgraph_rank_b: Rank | None = None
    source_titles: dict[str, str] = Field(default_factory=dict)
    verdict: str


def _values(claims: list[SourcedClaim]) -> list[Value]:
    by_key: dict[tuple[str, ...], Value] = {}
    for c in claims:
        v = by_key.setdefault(value_key(c), Value(value=c.value, number=c.number, unit=c.unit, sources=[]))
        v.sources = sorted({*v.sources, c.source_id})
    return sorted(by_key.values(), key=lambda v: v.value)


def _median(values: list[Value]) -> float | None:
    numbers = [v.number for v in values if v.number is not None]
    return statistics.median(numbers) if numbers else None


def _leader(na: float | None, nb: float | None, better: Better | None) -> Literal["a", "b"] | None:
    if better is None or na is None or nb is None or na == nb:
        return None
    return "a" if (na > nb) == (better == "higher") else "b"


def fact_rows(claims_a: list[SourcedClaim], claims_b: list[SourcedClaim]) -> tuple[list[FactRow], list[FactRow]]:
    """(differences, same) over the chooser facts; a side's conflicting values are all kept, flagged."""
    diff: list[FactRow] = []
    same: list[FactRow] = []
    for label, attrs, better in FACTS:
        ca = [c for c in claims_a if c.attribute in attrs]
        cb = [c for c in claims_b if c.attribute in attrs]
        if not ca and not cb:
            continue
        va, vb = _values(ca), _values(cb)
        row = FactRow(
            fact=label,
            attributes=sorted({c.attribute for c in ca + cb}),
            a=va,
            b=vb,
            conflict_a=len(va) > 1,
            conflict_b=len(vb) > 1,
            better=better,
            leader=_leader(_median(va), _median(vb), better),
        )
        alike = bool(va and vb) and {value_key_of(v) for v in va} == {value_key_of(v) for v in vb}
        (same if alike else diff).append(row)
    return diff, same


def value_key_of(v: Value) -> tuple[str, ...]:
    return value_key(SourcedClaim(model_id="", attribute="", value=v.value, number=v.number, unit=v.unit, source_id=""))


def site_rows(
    claims_a: list[SourcedClaim],
    claims_b: list[SourcedClaim],
    scores_a: list[SourcedScore],
    scores_b: list[SourcedScore],
) -> list[FactRow]:
    """Sites' own numbers, stated as claims or read as "benchmarks" (UnfragileRank): shown, never weighed."""
    attrs = sorted({c.attribute for c in claims_a + claims_b if c.attribute in SITE_ATTRIBUTES})
    rows = []
    for attr in attrs:
        va = _values([c for c in claims_a if c.attribute == attr])
        vb = _values([c for c in claims_b if c.attribute == attr])
        rows.append(FactRow(fact=attr, attributes=[attr], a=va, b=vb, conflict_a=len(va) > 1, conflict_b=len(vb) > 1))
    stated = {bench_key(a) for a in attrs}  # "unfragile_rank" claimed and "UnfragileRank" scored: one row
    for name in sorted({s.benchmark for s in scores_a + scores_b if is_site_score(s.benchmark)}):
        if bench_key(name) in stated:
            continue
        va, vb = ([_score_value(s) for s in side if s.benchmark == name] for side in (scores_a, scores_b))
        rows.append(FactRow(fact=name, attributes=[name], a=va, b=vb, conflict_a=len(va) > 1, conflict_b=len(vb) > 1))
    return rows


def _score_value(s: SourcedScore) -> Value:
    return Value(value=f"{s.value:g}{s.unit or ''}", number=s.value, unit=s.unit, sources=sorted(s.sources))


def _side(scores: list[SourcedScore]) -> Side:
    vs = sorted({s.value for s in scores})
    return Side(
        value=round(statistics.fmean(s.value for s in scores), 4),
        values=vs,
        conflict=len(vs) > 1,
        sources=sorted({x for s in scores for x in s.sources}),
    )


def benchmark_rows(scores_a: list[SourcedScore], scores_b: list[SourcedScore]) -> list[BenchmarkRow]:
    ga: dict[str, list[SourcedScore]] = defaultdict(list)
    gb: dict[str, list[SourcedScore]] = defaultdict(list)
    for s in scores_a:
        if not is_site_score(s.benchmark):
            ga[bench_key(s.benchmark)].append(s)
    for s in scores_b:
        if not is_site_score(s.benchmark):
            gb[bench_key(s.benchmark)].append(s)
    rows = []
    for key in sorted(set(ga) & set(gb)):
        names = sorted({s.benchmark for s in ga[key] + gb[key]})
        higher = not any(LOWER_IS_BETTER.search(n) for n in (key, *names))
        a, b = _side(ga[key]), _side(gb[key])
        rows.append(
            BenchmarkRow(
                benchmark=names[0],
                a=a,
                b=b,
                higher_is_better=higher,
                leader=_leader(a.value, b.value, "higher" if higher else "lower"),
            )
        )
    return rows


def verdict(c: Comparison) -> str:
    """On what each model leads, from capgraph's evidence: facts with a direction, shared benchmarks, the
    classes each has alone and capgraph's rank. Sites' own numbers are never used."""

    def leads(side: Literal["a", "b"]) -> list[str]:
        return [r.fact for r in c.differences if r.leader == side] + [
            r.benchmark for r in c.benchmarks if r.leader == side
        ]

    parts: list[str] = []
    sides: tuple[tuple[Literal["a", "b"], Model, list[str]], ...] = (
        ("a", c.a, c.classes.only_a),
        ("b", c.b, c.classes.only_b),
    )
    for side, model, alone in sides:
        won = leads(side)
        if won:
            parts.append(f"{model.name} leads on {', '.join(won)}")
        if alone:
            parts.append(f"only {model.name} has {', '.join(alone[:3])}{' and more' if len(alone) > 3 else ''}")
    if not parts:
        parts.append(f"the sources give no fact or shared benchmark on which {c.a.name} or {c.b.name} leads")
    ra, rb = c.capgraph_rank_a, c.capgraph_rank_b
    if ra is not None and rb is not None:
        hi, lo = (ra, rb) if ra.score >= rb.score else (rb, ra)
        parts.append(f"capgraph's rank: {hi.model.name} {hi.score:.1f}, {lo.model.name} {lo.score:.1f}")
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


def compare(
    store: GraphReader, a: str, b: str, rank_a: Rank | None, rank_b: Rank | None, source_titles: dict[str, str]
) -> Comparison:
    """Read both models' claims, scores and classes in one view and set them side by side."""
    with store.reading():
        ma, mb = store.get_model(a), store.get_model(b)
        claims_a, claims_b = store.claims(ma.id), store.claims(mb.id)
        scores_a, scores_b = store.scores(ma.id), store.scores(mb.id)
        caps_a, caps_b = store.capabilities(ma.id), store.capabilities(mb.id)
        member_of = store.class_memberships([c.id for c in caps_a + caps_b])
        names = {k.id: k.name for k in store.get_classes(sorted(set(member_of.values())))}
    cls_a = {names[member_of[c.id]] for c in caps_a if c.id in member_of and member_of[c.id] in names}
    cls_b = {names[member_of[c.id]] for c in caps_b if c.id in member_of and member_of[c.id] in names}
    diff, same = fact_rows(claims_a, claims_b)
    rows = benchmark_rows(scores_a, scores_b)
    used = {s for r in diff + same for v in r.a + r.b for s in v.sources}
    used |= {s for r in rows for s in r.a.sources + r.b.sources}
    sites = site_rows(claims_a, claims_b, scores_a, scores_b)
    used |= {s for r in sites for v in r.a + r.b for s in v.sources}
    result = Comparison(
        a=ma,
        b=mb,
        differences=diff,
        same=same,
        benchmarks=rows,
        classes=ClassDiff(shared=sorted(cls_a & cls_b), only_a=sorted(cls_a - cls_b), only_b=sorted(cls_b - cls_a)),
        site_claims=sites,
        capgraph_rank_a=rank_a,
        capgraph_rank_b=rank_b,
        source_titles={s: source_titles.get(s, s[:12]) for s in sorted(used)},
        verdict="",
    )
    result.verdict = verdict(result)
    return result
