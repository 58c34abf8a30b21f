"""A benchmark leaderboard: models ranked by their sourced scores, conflicting sources side by side.

Benchmark names match after normalization (case, spaces, hyphens, a trailing "(5-shot)"-style note),
so "SWE-bench Verified" finds "SWE-Bench verified". A model's rank uses the median of its sources'
values; when sources disagree beyond CONFLICT_TOLERANCE the row says so and lists every value.
Higher is better except for error rates (WER, CER, perplexity, latency), detected from the name.
"""

from __future__ import annotations

import re
import statistics

from pydantic import BaseModel, Field

from capgraph.graph.schema import Model
from capgraph.graph.search.records import Catalog

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


def leaderboard(catalog: Catalog, name: str, k: int = 50) -> Leaderboard:
    """Every model with a score for the benchmark, best first; ties keep name order."""
    key = benchmark_key(name)
    known = benchmarks(catalog)
    if key not in known:  # "GPQA" finds "GPQA Diamond" when that is the only benchmark it can mean
        longer = [k2 for k2 in known if k2.startswith(key + " ")]
        key = longer[0] if len(longer) == 1 else key
    spellings: set[str] = set()
    rows: list[LeaderboardRow] = []
    for rec in catalog.records.values():
        found: dict[float, SourcedValue] = {}
        for s in rec.scores:
            if benchmark_key(s.benchmark) != key:
                continue
            spellings.add(s.benchmark)
            sv = found.setdefault(s.value, SourcedValue(value=s.value, unit=s.unit, sources=[]))
            sv.sources = sorted({*sv.sources, *(catalog.title(x) for x in s.sources)})
        if not found:
            continue
        values = sorted(found.values(), key=lambda v: v.value)
        nums = [v.value for v in values]
        spread = (max(nums) - min(nums)) / max(abs(max(nums)), 1e-9)
        rows.append(
            LeaderboardRow(
                rank=0,
                model=rec.model,
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
