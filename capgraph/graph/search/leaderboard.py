"""A benchmark leaderboard: models ranked by their sourced scores, conflicting sources side by side.

Benchmark names match after normalization (case, spaces, hyphens, a trailing "(5-shot)"-style note),
so "SWE-bench Verified" finds "SWE-Bench verified". A model's rank uses the median of its sources'
values; when sources disagree beyond CONFLICT_TOLERANCE the row says so and lists every value.
Higher is better except for error rates (WER, CER, perplexity, latency), detected from the name.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable, Sequence

from pydantic import BaseModel, Field

from capgraph.graph.schema import Model, SourcedScore
from capgraph.graph.search.records import Catalog, source_title
from capgraph.graph.store import BenchmarkScores, GraphStore

# Values of one benchmark for one model further apart than this (relative) are a conflict, not rounding.
CONFLICT_TOLERANCE = 0.005  # 0.5%: 88.7 vs 88.6 conflict, 88.70 vs 88.7 do not
LOWER_IS_BETTER = re.compile(r"\b(wer|cer|error|perplexity|latency|ttft|seconds|ms)\b", re.I)


class SourcedValue(BaseModel):
    value: float
    unit: str | None = None
    sources: list[str] = Field(default_factory=list)


class LeaderboardRow(BaseModel):
    rank: int
    model: Model
    value: float = Field(description="median over the values stated by sources")
    values: list[SourcedValue]
    conflict: bool = False


class Leaderboard(BaseModel):
    benchmark: str
    names: list[str] = Field(description="the benchmark names as the sources write them")
    higher_is_better: bool = True
    rows: list[LeaderboardRow]


def benchmark_key(name: str) -> str:
    """ "SWE-bench Verified (500)" -> "swebench verified": what two spellings of one benchmark share. A "+"
    glued to a name is another test set ("HumanEval+" -> "humaneval plus", not "humaneval")."""
    name = re.sub(r"(?<=[a-z0-9])\+(?![\w+])", " plus ", name.lower())
    name = re.sub(r"\([^)]*\)", " ", name)
    name = re.sub(r"(?<=[a-z])[-_ ](?=bench\b)", "", name)
    return " ".join(re.sub(r"[^a-z0-9.]+", " ", name).split())


def benchmarks(catalog: Catalog) -> dict[str, list[str]]:
    """Normalized benchmark key -> the spellings seen."""
    out: dict[str, set[str]] = {}
    for rec in catalog.records.values():
        for s in rec.scores:
            out.setdefault(benchmark_key(s.benchmark), set()).add(s.benchmark)
    return {k: sorted(v) for k, v in sorted(out.items())}


def resolve_key(name: str, known: Iterable[str]) -> str:
    """The normalized key `name` asks for; "GPQA" finds "GPQA Diamond" when that is the only one it can mean."""
    key = benchmark_key(name)
    known = set(known)
    if key not in known:
        longer = [k2 for k2 in known if k2.startswith(key + " ")]
        key = longer[0] if len(longer) == 1 else key
    return key


def leaderboard(catalog: Catalog, name: str, k: int = 50) -> Leaderboard:
    """Every model with a score for the benchmark, best first; ties keep name order."""
    key = resolve_key(name, benchmarks(catalog))
    return ranked(name, key, ((rec.model, rec.scores) for rec in catalog.records.values()), catalog.title, k)


def store_benchmarks(store: BenchmarkScores) -> dict[str, list[str]]:
    """`benchmarks` read from a store's benchmark index instead of the catalog."""
    out: dict[str, list[str]] = {}
    for spelling in store.scored_benchmarks():
        out.setdefault(benchmark_key(spelling), []).append(spelling)
    return {k: sorted(v) for k, v in sorted(out.items())}


def store_leaderboard(store: GraphStore, name: str, k: int = 50) -> Leaderboard:
    """`leaderboard` reading only the benchmark's scores, their models and the source titles: what it costs
    grows with the benchmark's scores, not with the store (same rows as the catalog's leaderboard)."""
    assert isinstance(store, BenchmarkScores)
    by_model: dict[str, list[SourcedScore]] = {}
    with store.reading():
        known = store_benchmarks(store)
        key = resolve_key(name, known)
        for s in store.benchmark_scores(known.get(key, [])):
            by_model.setdefault(s.model_id, []).append(s)
        models = store.get_models(sorted(by_model))
        titles = {s.id: s.title for s in store.list_sources()}
    models.sort(key=lambda m: (m.name.lower(), m.id))  # the catalog's order: `list_models`'
    entries = ((m, sorted(by_model[m.id], key=lambda s: (s.benchmark, s.value))) for m in models)
    return ranked(name, key, entries, lambda source_id: source_title(titles, source_id), k)


def ranked(
    name: str,
    key: str,
    entries: Iterable[tuple[Model, Sequence[SourcedScore]]],
    title: Callable[[str], str],
    k: int,
) -> Leaderboard:
    """The leaderboard of benchmark `key` over (model, its scores) in name order."""
    spellings: set[str] = set()
    rows: list[LeaderboardRow] = []
    for model, scores in entries:
        found: dict[float, SourcedValue] = {}
        for s in scores:
            if benchmark_key(s.benchmark) != key:
                continue
            spellings.add(s.benchmark)
            sv = found.setdefault(s.value, SourcedValue(value=s.value, unit=s.unit, sources=[]))
            sv.sources = sorted({*sv.sources, *(title(x) for x in s.sources)})
        if not found:
            continue
        values = sorted(found.values(), key=lambda v: v.value)
        nums = [v.value for v in values]
        spread = (max(nums) - min(nums)) / max(abs(max(nums)), 1e-9)
        rows.append(
            LeaderboardRow(
                rank=0,
                model=model,
                value=statistics.median(nums),
                values=values,
                conflict=spread > CONFLICT_TOLERANCE,
            )
        )
    higher = not LOWER_IS_BETTER.search(name) and not any(LOWER_IS_BETTER.search(s) for s in spellings)
    rows.sort(key=lambda r: ((-r.value if higher else r.value), r.model.name.lower()))
    for i, row in enumerate(rows):
        row.rank = i + 1 if i == 0 or row.value != rows[i - 1].value else rows[i - 1].rank
    return Leaderboard(benchmark=name, names=sorted(spellings), higher_is_better=higher, rows=rows[:k])
