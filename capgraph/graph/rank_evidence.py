"""The inputs of capgraph's rank (`graph.rank`), read from the catalog of the store's facts.

Pure functions: the application layer hands in the catalog (`graph.search.records.read_catalog`), the
sources, their page dates, the match counters and the feedback; both stores therefore give one rank.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from urllib.parse import urlparse

import networkx as nx

from capgraph.graph.rank import BenchmarkStanding, RankInputs, SourceRef
from capgraph.graph.schema import Source
from capgraph.graph.search.leaderboard import CONFLICT_TOLERANCE, LOWER_IS_BETTER, benchmark_key
from capgraph.graph.search.records import Catalog
from capgraph.graph.usage import Feedback

PAGERANK_ALPHA = 0.85
DATE_WINDOW_CHARS = 4000  # a page states its date near its top
_MONTHS = {
    m: i
    for i, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        1,
    )
}
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE_NEAR = re.compile(
    # a word boundary, or a capital glued to a lowercase word ("honestlyUpdated": flattened page chrome)
    r"(?:\b|(?-i:(?<=[a-z])(?=[A-Z])))(?:published|updated|last updated|posted|written|date)\b[:\s]*(?:on\s+)?"
    rf"(?:(\d{{4}})-(\d{{2}})-(\d{{2}})|(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})|{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})"
    rf"|{_MONTH}\s+(\d{{4}}))",
    re.I,
)
# "Benchmarks" that are a site's own composite numbers (Unfragile's rank and its parts): claims of that site,
# never evidence of capgraph's rank. Compared by `bench_key`.
SITE_SCORES = frozenset(
    {
        "unfragilerank",
        "unfragile rank",
        "rank",
        "adoption",
        "quality",
        "ecosystem",
        "match graph",
        "matchgraph",
        "freshness",
        "times matched",
    }
)
_URL_LINE = re.compile(r"^\s*URL:\s*(\S+)", re.I)


def bench_key(name: str) -> str:
    """The leaderboard's key without spaces and dots, so "GSM-8K" is "GSM8K" and "Human Eval" "HumanEval":
    one benchmark is one standing, never two."""
    return re.sub(r"[^a-z0-9]", "", benchmark_key(name))


def is_site_score(benchmark: str) -> bool:
    return bench_key(benchmark) in SITE_SCORES


def page_date(text: str) -> datetime | None:
    """The date a page says it was published or updated ("Updated March 27, 2026", "Published: 2025-01-02",
    "Updated 22 January 2026", "Updated March 2026" -> the 1st); None when it states none."""
    m = _DATE_NEAR.search(text[:DATE_WINDOW_CHARS])
    if m is None:
        return None
    g = m.groups()
    try:
        if g[0]:
            y, mo, d = int(g[0]), int(g[1]), int(g[2])
        elif g[3]:
            y, mo, d = int(g[5]), _MONTHS[g[4].lower()], int(g[3])
        elif g[6]:
            y, mo, d = int(g[8]), _MONTHS[g[6].lower()], int(g[7])
        else:
            y, mo, d = int(g[10]), _MONTHS[g[9].lower()], 1
        return datetime(y, mo, d, tzinfo=UTC)
    except ValueError:
        return None


def site_of(source: Source) -> str:
    """What makes two sources independent: the host of its address (from `url` or a "URL: ..." title),
    else the source itself."""
    address = source.url or (m.group(1) if (m := _URL_LINE.match(source.title)) else None)
    host = urlparse(address).hostname if address else None
    return host.removeprefix("www.") if host else f"source:{source.id[:12]}"


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def source_refs(sources: Sequence[Source], page_dates: Mapping[str, datetime | None]) -> dict[str, SourceRef]:
    out: dict[str, SourceRef] = {}
    for s in sources:
        dated = page_dates.get(s.id)
        when = dated or s.ingested_at or datetime(1970, 1, 1, tzinfo=UTC)
        out[s.id] = SourceRef(
            id=s.id,
            title=s.title.removeprefix("URL:").strip(),
            site=site_of(s),
            date=_aware(when),
            dated_by="page" if dated else "ingest",
        )
    return out


def benchmark_standings(catalog: Catalog) -> dict[str, list[BenchmarkStanding]]:
    """model id -> its standing on every benchmark it shares with at least one other model.

    Sites' own numbers (SITE_SCORES) are left out. A model's value is the mean of the values its sources
    state; values further apart than the
    leaderboard's CONFLICT_TOLERANCE are flagged. percentile = (models beaten + ties / 2) / (models - 1).
    """
    values: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    sources: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    spellings: dict[str, set[str]] = defaultdict(set)
    for mid, rec in catalog.records.items():
        for s in rec.scores:
            key = bench_key(s.benchmark)
            if key in SITE_SCORES:
                continue
            values[key][mid].append(s.value)
            sources[key][mid].update(s.sources)
            spellings[key].add(s.benchmark)
    out: dict[str, list[BenchmarkStanding]] = defaultdict(list)
    for key, per_model in sorted(values.items()):
        if len(per_model) < 2:
            continue
        higher = not any(LOWER_IS_BETTER.search(n) for n in (key, *spellings[key]))
        means = {m: statistics.fmean(v) for m, v in per_model.items()}
        n = len(means)
        for mid, mean in means.items():
            better = sum(1 for o, x in means.items() if o != mid and (x < mean if higher else x > mean))
            ties = sum(1 for o, x in means.items() if o != mid and x == mean)
            beaten = better + ties / 2
            vs = sorted(set(per_model[mid]))
            out[mid].append(
                BenchmarkStanding(
                    benchmark=min(spellings[key]),
                    value=round(mean, 4),
                    values=vs,
                    conflict=len(vs) > 1 and (vs[-1] - vs[0]) > CONFLICT_TOLERANCE * max(abs(vs[-1]), 1e-9),
                    models=n,
                    beaten=beaten,
                    percentile=round(beaten / (n - 1), 4),
                    higher_is_better=higher,
                    sources=sorted(sources[key][mid]),
                )
            )
    return out


def comparison_graph(catalog: Catalog) -> nx.Graph:
    """Models joined where a source compares or contrasts them; weight = sources stating the pair."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(catalog.records))
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for rec in catalog.records.values():
        for e in rec.evidence:
            if e.kind in ("COMPARED_WITH", "CONTRASTED_WITH") and e.other_id in catalog.records:
                a, b = sorted((e.model_id, e.other_id))
                if a != b:
                    pairs[(a, b)].update(e.sources or [f"{e.kind}:{a}:{b}"])
    for (a, b), srcs in sorted(pairs.items()):
        graph.add_edge(a, b, weight=float(len(srcs)))
    return graph


def pagerank(graph: nx.Graph) -> dict[str, float]:
    """PageRank (α = 0.85, edge weight = sources); every model has a value, isolated ones the floor."""
    if graph.number_of_nodes() == 0:
        return {}
    return {str(k): float(v) for k, v in nx.pagerank(graph, alpha=PAGERANK_ALPHA, weight="weight").items()}


def rank_inputs(
    catalog: Catalog,
    sources: Sequence[Source],
    page_dates: Mapping[str, datetime | None],
    counts: Mapping[str, int],
    feedback: Sequence[Feedback],
) -> list[RankInputs]:
    """One `RankInputs` per model of the catalog: its sources are those naming it or stating its facts."""
    refs = source_refs(sources, page_dates)
    named: dict[str, set[str]] = defaultdict(set)
    for sid, models in catalog.source_models.items():
        for mid in models:
            named[mid].add(sid)
    for mid, rec in catalog.records.items():
        named[mid].update(c.source_id for c in rec.claims)
        named[mid].update(s for sc in rec.scores for s in sc.sources)
        named[mid].update(s for e in rec.evidence for s in e.sources)
    standings = benchmark_standings(catalog)
    graph = comparison_graph(catalog)
    pr = pagerank(graph)
    top_pr = max(pr.values(), default=0.0)
    top_count = max((counts.get(m, 0) for m in catalog.records), default=0)
    about: dict[str, list[Feedback]] = defaultdict(list)
    for f in feedback:
        for mid in set(f.model_ids):
            about[mid].append(f)
    return [
        RankInputs(
            model=rec.model,
            sources=[refs[s] for s in sorted(named[mid]) if s in refs],
            benchmarks=sorted(standings.get(mid, []), key=lambda b: b.benchmark),
            pagerank=pr.get(mid, 0.0),
            max_pagerank=top_pr,
            neighbours=sorted(str(n) for n in graph.neighbors(mid)),
            times_matched=counts.get(mid, 0),
            max_times_matched=top_count,
            feedback=about.get(mid, []),
        )
        for mid, rec in sorted(catalog.records.items())
    ]
