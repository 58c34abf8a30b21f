"""How the CLI shows answers as tables and lines (JSON output is `cli._emit_json`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:  # annotations only: `capgraph models` renders a table without importing the query rules
    from capgraph.graph import match
    from capgraph.graph.compare import Comparison, Value
    from capgraph.graph.rank import Rank
    from capgraph.graph.resolve import ResolveAnswer
    from capgraph.graph.schema import Extraction
    from capgraph.graph.search.alternatives import AlternativesAnswer
    from capgraph.graph.search.hybrid import SearchAnswer
    from capgraph.graph.search.leaderboard import Leaderboard
    from capgraph.graph.sync import SyncReport
    from capgraph.graph.usage import Feedback

out = Console()
err = Console(stderr=True)


def table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    grid = Table(title=title, title_justify="left", show_lines=False)
    for col in columns:
        grid.add_column(col, overflow="fold")
    for row in rows:
        grid.add_row(*[str(x) for x in row])
    out.print(grid)


def extraction(ex: Extraction) -> None:
    out.print(f"[bold]{ex.source.title}[/] ({ex.source.format}, {ex.source.chars} chars, id {ex.source.id[:12]})")
    table(
        "Models",
        ["id", "name", "kind", "vendor", "capabilities"],
        [[m.id, m.name, m.kind, m.vendor or "", sum(c.model_id == m.id for c in ex.capabilities)] for m in ex.models],
    )
    if ex.claims:
        table(
            "Claims",
            ["model", "attribute", "value", "number", "unit"],
            [
                [c.model_id, c.attribute, c.value, "" if c.number is None else f"{c.number:g}", c.unit or ""]
                for c in ex.claims
            ],
        )
    if ex.scores:
        table("Scores", ["model", "benchmark", "value"], [[s.model_id, s.benchmark, s.value] for s in ex.scores])
    for w in ex.warnings:
        err.print(f"[yellow]warning:[/] {w}")


def alternatives(result: AlternativesAnswer) -> None:
    if not result.alternatives:
        out.print(f"No alternatives to {result.model.name}: no comparison, shared benchmark, claim or capability.")
    else:
        table(
            f"Alternatives to {result.model.name} ({result.job.replace('_', ' ')})",
            ["#", "model", "score", "why"],
            [[i + 1, a.model.name, f"{a.score:.3f}", a.reason] for i, a in enumerate(result.alternatives)],
        )
    if result.variants:
        out.print("Variants (not alternatives): " + ", ".join(v.name for v in result.variants))
    for line in result.excluded:
        out.print(f"[dim]not an alternative: {line}[/]")


def search(result: SearchAnswer) -> None:
    if result.constraints:
        out.print("Constraints: " + "; ".join(result.constraints))
    if result.nothing_fits:
        out.print(f"Nothing fits: {result.query}")
    else:
        table(
            f"Models for: {result.query}",
            ["#", "model", "kind", "score", "why"],
            [[i + 1, h.model.name, h.kind, f"{h.score:.4f}", h.why] for i, h in enumerate(result.hits)],
        )
    if result.near_misses:
        table(
            "Near misses" if result.nothing_fits else "Near misses (not shown above)",
            ["model", "why not"],
            [[h.model.name, h.why.removeprefix("near miss: ")] for h in result.near_misses],
        )


def leaderboard(board: Leaderboard) -> None:
    table(
        f"{' / '.join(board.names)} ({'higher' if board.higher_is_better else 'lower'} is better)",
        ["#", "model", "value", "sources"],
        [
            [
                r.rank,
                r.model.name,
                f"{r.value:g}" + (" (sources disagree)" if r.conflict else ""),
                "; ".join(f"{v.value:g}{v.unit or ''}: {', '.join(v.sources)}" for v in r.values),
            ]
            for r in board.rows
        ],
    )


def overlap(result: match.Overlap) -> None:
    out.print(
        f"[bold]{result.a.name}[/] ∩ [bold]{result.b.name}[/]: overlap {result.score:.2f} "
        f"({len(result.shared)} shared: {len(result.shared_classes)} by capability class, the rest at cosine "
        f"≥ {result.threshold} or through a phrase both use)"
    )
    table(
        "Shared",
        [result.a.name, result.b.name, "cosine", "class / phrase"],
        [
            [p.a.name, p.b.name, f"{p.similarity:.3f}", p.capability_class or ", ".join(f"“{x}”" for x in p.phrases)]
            for p in result.shared
        ],
    )
    table(f"Only {result.a.name}", ["capability"], [[c.name] for c in result.unique_a])
    table(f"Only {result.b.name}", ["capability"], [[c.name] for c in result.unique_b])


def _cell(values: list[Value], conflict: bool) -> str:
    text = " | ".join(v.value for v in values) or "—"
    return f"{text} (sources disagree)" if conflict else text


def comparison(result: Comparison) -> None:
    a, b = result.a.name, result.b.name
    lead = {"a": a, "b": b, None: ""}
    table(
        f"{a} vs {b}: what differs",
        ["fact", a, b, "better"],
        [[r.fact, _cell(r.a, r.conflict_a), _cell(r.b, r.conflict_b), lead[r.leader]] for r in result.differences],
    )
    if result.same:
        out.print("same on: " + ", ".join(f"{r.fact} ({r.a[0].value})" for r in result.same))
    if result.benchmarks:
        table(
            "Shared benchmarks",
            [
                "benchmark",
                a,
                b,
                "better",
            ],
            [
                [
                    r.benchmark,
                    f"{r.a.value:g}" + (" (sources disagree)" if r.a.conflict else ""),
                    f"{r.b.value:g}" + (" (sources disagree)" if r.b.conflict else ""),
                    lead[r.leader],
                ]
                for r in result.benchmarks
            ],
        )
    c = result.classes
    table(
        "Capability classes",
        ["only " + a, "only " + b, "both"],
        [[", ".join(c.only_a) or "—", ", ".join(c.only_b) or "—", ", ".join(c.shared) or "—"]],
    )
    if result.site_claims:
        table(
            "What other sites claim (their numbers, not capgraph's)",
            ["claim", a, b],
            [[r.fact, _cell(r.a, False), _cell(r.b, False)] for r in result.site_claims],
        )
    ranks = [r for r in (result.capgraph_rank_a, result.capgraph_rank_b) if r is not None]
    if ranks:
        out.print("capgraph's rank: " + ", ".join(f"{r.model.name} {r.score:.1f} (#{r.position})" for r in ranks))
    out.print(f"[bold]Verdict:[/] {result.verdict}")


def ranks(found: list[Rank], total: int) -> None:
    from capgraph.graph.rank import COMPONENTS

    table(
        f"capgraph's rank (top {len(found)} of {total}; from the graph's evidence, not a site's rank)",
        ["#", "model", "kind", "rank", "evid.", "fb", *(c[:5] for c in COMPONENTS)],
        [
            [
                r.position,
                r.model.name,
                r.model.kind,
                f"{r.score:.1f}",
                f"{r.evidence:.1f}",
                f"{r.feedback.points:+.1f}",
                *(f"{c.value:.2f}" for c in r.components),
            ]
            for r in found
        ],
    )


def rank_explain(r: Rank) -> None:
    out.print(
        f"[bold]{r.model.name}[/] ({r.model.kind}): capgraph rank [bold]{r.score:.1f}[/] (#{r.position}) = "
        f"evidence {r.evidence:.2f} {r.feedback.points:+.2f} feedback"
    )
    table(
        "evidence = Σ points",
        ["component", "value", "weight", "points", "formula", "inputs"],
        [
            [c.name, f"{c.value:.4f}", f"{c.weight:.3f}", f"{c.points:.2f}", c.formula, _inputs(c.inputs)]
            for c in r.components
        ],
    )
    f = r.feedback
    out.print(
        f"feedback = {f.bound:g} · tanh({f.net_votes:g} / 3) = {f.points:+.2f} "
        f"({f.records} records; bounded by ±{f.bound:g}, decaying)"
    )
    table(
        "Sources",
        ["site", "date", "dated by", "title", "id"],
        [[s.site, s.date.date().isoformat(), s.dated_by, s.title[:70], s.id[:12]] for s in r.sources],
    )


def _inputs(inputs: dict[str, Any]) -> str:
    def show(v: Any) -> str:
        if isinstance(v, dict):
            return "; ".join(f"{k} {x}" for k, x in v.items()) or "—"
        if isinstance(v, list):
            return ", ".join(map(str, v)) or "—"
        return str(v)

    return "; ".join(f"{k}: {show(v)}" for k, v in inputs.items())


def feedback(records: list[Feedback]) -> None:
    table(
        "Feedback",
        ["when", "useful", "models", "query", "id"],
        [
            [f.at.isoformat(), "yes" if f.useful else "no", ", ".join(f.model_ids), f.query or "", f.id[:12]]
            for f in records
        ],
    )


def sync_report(report: SyncReport) -> None:
    out.print(
        f"synced: {report.copied} sources copied, {report.unchanged} already there, "
        f"{report.target_only} only in the target"
    )
    table(
        "counts",
        ["what", "origin", "target"],
        [
            [name, getattr(report.origin, name), getattr(report.target, name)]
            for name in ("sources", "models", "capabilities", "benchmarks")
        ]
        + [
            [k, report.origin.relationships.get(k, 0), report.target.relationships.get(k, 0)]
            for k in sorted({*report.origin.relationships, *report.target.relationships})
        ],
    )


def resolution(answer: ResolveAnswer) -> None:
    """Each artifact as a short block: why, facts with their sources, alternatives (✓ when they fit)."""
    if answer.constraints:
        out.print("Constraints: " + "; ".join(answer.constraints))
    if answer.nothing_fits:
        out.print(f"Nothing fits: {answer.intent}")
    for i, r in enumerate(answer.results, 1):
        out.print(f"[bold]{i}. {r.model.name}[/] ({r.kind}, {r.job})")
        out.print(f"   {r.why}")
        for f in r.facts:
            mark = {"pass": "✓", "fail": "✗", "unknown": "?"}.get(f.status or "", "·")
            out.print(f"   {mark} {f.statement}" + (f" [dim]({', '.join(f.sources)})[/]" if f.sources else ""))
        for a in r.alternatives:
            out.print(f"   alternative: {a.model.name}{'' if a.fits else ' (misses a constraint)'}: {a.reason}")
    if answer.near_misses:
        table(
            "Near misses",
            ["model", "why not"],
            [[h.model.name, h.why.removeprefix("near miss: ")] for h in answer.near_misses],
        )
