"""capgraph's rank pinned on a catalog built by hand: every component computed here, independently."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from capgraph.graph.rank import DEFAULT_WEIGHTS, Rank, RankConfig, rank_all
from capgraph.graph.rank_evidence import page_date, rank_inputs, site_of
from capgraph.graph.schema import Evidence, Model, Source, SourcedScore
from capgraph.graph.search.records import Catalog, ModelRecord
from capgraph.graph.usage import Feedback

NOW = datetime(2026, 7, 1, tzinfo=UTC)
D1 = datetime(2026, 1, 1, tzinfo=UTC)  # s1's page date
D2 = datetime(2026, 6, 1, tzinfo=UTC)  # s2's ingest date (it states none)
D3 = datetime(2025, 6, 1, tzinfo=UTC)  # s3's ingest date


def score(mid: str, bench: str, value: float, *sources: str) -> SourcedScore:
    return SourcedScore(model_id=mid, benchmark=bench, value=value, sources=list(sources))


def catalog() -> Catalog:
    """A, B, C models and D a repository; s1 and s2 are one site, s3 another."""
    a, b, c = (Model(id=x, name=x.upper()) for x in ("a", "b", "c"))
    d = Model(id="d", name="D", kind="Repository")
    ab = Evidence(kind="COMPARED_WITH", model_id="a", other_id="b", sources=["s1", "s3"])
    ac = Evidence(kind="CONTRASTED_WITH", model_id="a", other_id="c", sources=["s2"], capability_id="a:x")
    return Catalog(
        records={
            "a": ModelRecord(
                model=a,
                scores=(
                    score("a", "MMLU", 80, "s1"),
                    score("a", "MMLU", 82, "s2"),  # conflict: averaged to 81
                    score("a", "Latency (ms)", 200, "s1"),
                    score("a", "HumanEval", 90, "s1"),  # nobody else has it: not shared
                ),
                evidence=(ab, ac),
            ),
            "b": ModelRecord(
                model=b,
                scores=(
                    score("b", "MMLU", 70, "s1"),
                    score("b", "Latency (ms)", 100, "s1"),
                    score("b", "UnfragileRank", 99, "s1"),  # a site's own number: never evidence
                    score("b", "m.m.l.u", 74, "s3"),  # the same benchmark spelt otherwise: one standing
                ),
                evidence=(ab,),
            ),
            "c": ModelRecord(model=c, scores=(score("c", "MMLU", 90, "s2"),), evidence=(ac,)),
            "d": ModelRecord(model=d),
        },
        source_models={"s1": ("a", "b"), "s2": ("a", "c"), "s3": ("a", "b", "d")},
    )


SOURCES = [
    Source(id="s1", title="A vs B", url="https://one.example/p1", ingested_at=NOW),
    Source(id="s2", title="A vs C", url="https://www.one.example/p2", ingested_at=D2),
    Source(id="s3", title="URL: https://two.example/x", ingested_at=D3),
]
PAGE_DATES = {"s1": D1, "s2": None, "s3": None}
COUNTS = {"a": 3, "b": 7}


def pagerank_by_hand(alpha: float = 0.85) -> dict[str, float]:
    """Power iteration of PR = (1-α)/N + α(Σ_j PR_j w_ji / W_j + dangling / N), edges A-B (2 sources), A-C (1)."""
    nodes = ["a", "b", "c", "d"]
    w = np.zeros((4, 4))
    w[0, 1] = w[1, 0] = 2.0
    w[0, 2] = w[2, 0] = 1.0
    pr = np.full(4, 0.25)
    for _ in range(500):
        out = w.sum(axis=1)
        flow = np.array([sum(pr[j] * w[j, i] / out[j] for j in range(4) if out[j]) for i in range(4)])
        dangling = sum(pr[j] for j in range(4) if not out[j])
        pr = (1 - alpha) / 4 + alpha * (flow + dangling / 4)
    return dict(zip(nodes, pr.tolist(), strict=True))


def ranks(feedback: list[Feedback] | None = None, config: RankConfig | None = None) -> dict[str, Rank]:
    inputs = rank_inputs(catalog(), SOURCES, PAGE_DATES, COUNTS, feedback or [])
    return {r.model.id: r for r in rank_all(inputs, config or RankConfig(), NOW)}


def vote(model: str, useful: bool, age_days: float = 0.0, i: int = 0) -> Feedback:
    return Feedback(
        id=f"{model}{useful}{age_days}{i}", model_ids=[model], useful=useful, at=NOW - timedelta(days=age_days)
    )


def test_every_component_of_a_model_as_computed_by_hand() -> None:
    fb = [vote("a", True)]
    a = ranks(fb)["a"]
    parts = {c.name: c for c in a.components}
    pr = pagerank_by_hand()
    support = 1 - 2 ** (-2 / 2)  # one.example and two.example: s1 and s2 are one site
    benchmarks = (1 / 2 + 0 / 1) / (2 + 1)  # MMLU 81 beats B's 70 of {70, 81, 90}; latency 200 loses to 100
    graph = pr["a"] / max(pr.values())
    usage = math.log(4) / math.log(8)
    freshness = 2 ** (-30 / 365)  # newest: s2, ingested 2026-06-01, 30 days before NOW
    expected = {"support": support, "benchmarks": benchmarks, "graph": graph, "usage": usage, "freshness": freshness}
    for name, value in expected.items():
        assert parts[name].value == pytest.approx(value, abs=1e-4), name
    evidence = 100 * (0.3 * support + 0.3 * benchmarks + 0.2 * graph + 0.1 * usage + 0.1 * freshness)
    assert a.evidence == pytest.approx(evidence, abs=0.01)
    assert a.feedback.points == pytest.approx(5 * math.tanh(1 / 3), abs=0.01)
    assert a.score == pytest.approx(evidence + 5 * math.tanh(1 / 3), abs=0.02)
    mmlu = parts["benchmarks"].inputs["percentiles"]
    assert mmlu == {"Latency (ms)": 0.0, "MMLU": 0.5}


def test_the_weights_follow_the_kind_and_site_numbers_are_not_benchmarks() -> None:
    got = ranks()
    d = got["d"]
    parts = {c.name: c for c in d.components}
    w = DEFAULT_WEIGHTS["*"]
    pr = pagerank_by_hand()
    expected = 100 * (
        w.support * (1 - 2 ** (-1 / 2)) + w.graph * pr["d"] / max(pr.values()) + w.freshness * 2 ** (-395 / 365)
    )
    assert parts["benchmarks"].value == 0 and parts["usage"].value == 0
    assert d.score == pytest.approx(expected, abs=0.01)
    b_bench = {c.name: c for c in got["b"].components}["benchmarks"]
    assert b_bench.inputs["percentiles"] == {"Latency (ms)": 1.0, "MMLU": 0.0}  # no UnfragileRank


def test_feedback_moves_a_rank_by_less_than_its_bound_and_decays() -> None:
    base = ranks()
    flood = ranks([vote("c", True, i=i) for i in range(1000)])
    moved = flood["c"].score - base["c"].score
    assert 4.9 < moved <= 5.0
    sunk = ranks([vote("a", False, i=i) for i in range(1000)])
    assert base["a"].score - sunk["a"].score <= 5.0
    # a candidate whose evidence trails by more than the bound never overtakes, whatever the votes
    gap = base["a"].evidence - base["c"].evidence
    assert gap > 10 and (flood["a"].position or 0) < (flood["c"].position or 0)
    # 60 days old at a 30-day half-life: a quarter of a fresh vote
    old = ranks([vote("c", True, age_days=60)])["c"].feedback
    assert old.net_votes == pytest.approx(0.25)
    tight = ranks([vote("c", True, i=i) for i in range(50)], RankConfig(feedback_bound=1.0))
    assert tight["c"].score - base["c"].score <= 1.0


def test_a_model_without_sources_has_no_rank() -> None:
    cat = catalog()
    cat.source_models.clear()
    for mid, rec in list(cat.records.items()):
        cat.records[mid] = ModelRecord(model=rec.model)
    assert rank_all(rank_inputs(cat, SOURCES, PAGE_DATES, COUNTS, []), RankConfig(), NOW) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title\nUpdated March 27, 2026\nbody", datetime(2026, 3, 27, tzinfo=UTC)),
        ("Updated 22 January 2026", datetime(2026, 1, 22, tzinfo=UTC)),
        ("Guides · Scored honestlyUpdated March 2026", datetime(2026, 3, 1, tzinfo=UTC)),
        ("Published: 2025-01-02 by someone", datetime(2025, 1, 2, tzinfo=UTC)),
        ("Released May 2024, no page date", None),
    ],
)
def test_page_dates(text: str, expected: datetime | None) -> None:
    assert page_date(text) == expected


def test_sites_are_hosts() -> None:
    assert site_of(SOURCES[0]) == site_of(SOURCES[1]) == "one.example"
    assert site_of(SOURCES[2]) == "two.example"
    assert site_of(Source(id="abcdef0123456789", title="no address")) == "source:abcdef012345"


def test_spellings_of_one_benchmark_are_one_standing() -> None:
    b = next(r for r in rank_inputs(catalog(), SOURCES, PAGE_DATES, COUNTS, []) if r.model.id == "b")
    mmlu = next(s for s in b.benchmarks if s.benchmark == "MMLU")
    assert mmlu.values == [70.0, 74.0] and mmlu.value == 72.0 and mmlu.conflict
    assert [s.benchmark for s in b.benchmarks] == ["Latency (ms)", "MMLU"]
