"""How the CLI shows answers as tables and lines (JSON output is `cli._emit_json`)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from capgraph.graph import match
from capgraph.graph.schema import Extraction
from capgraph.graph.sync import SyncReport

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


def alternatives(result: match.Alternatives) -> None:
    table(
        f"Alternatives to {result.model.name}",
        ["#", "model", "score", "capabilities", "compared", "contrasted", "best shared capability"],
        [
            [
                i + 1,
                a.model.name,
                f"{a.score:.3f}",
                f"{a.parts['capabilities']:.2f}",
                int(a.parts["compared"]),
                f"{a.parts['contrasted']:.1f}",
                f"{a.matches[0].a.name} ~ {a.matches[0].b.name} ({a.matches[0].similarity:.2f})" if a.matches else "",
            ]
            for i, a in enumerate(result.alternatives)
        ],
    )


def overlap(result: match.Overlap) -> None:
    out.print(
        f"[bold]{result.a.name}[/] ∩ [bold]{result.b.name}[/]: overlap {result.score:.2f} "
        f"({len(result.shared)} shared at cosine ≥ {result.threshold})"
    )
    table(
        "Shared",
        [result.a.name, result.b.name, "cosine"],
        [[p.a.name, p.b.name, f"{p.similarity:.3f}"] for p in result.shared],
    )
    table(f"Only {result.a.name}", ["capability"], [[c.name] for c in result.unique_a])
    table(f"Only {result.b.name}", ["capability"], [[c.name] for c in result.unique_b])


def comparison(result: match.Comparison) -> None:
    def cell(values: list[Any], conflict: bool) -> str:
        text = " | ".join(v.value for v in values) or "—"
        return f"{text} (sources disagree)" if conflict else text

    table(
        f"{result.a.name} vs {result.b.name}",
        ["feature", result.a.name, result.b.name],
        [[r.attribute, cell(r.a, r.conflict_a), cell(r.b, r.conflict_b)] for r in result.features]
        + [
            [
                "capabilities in graph",
                result.capability_counts[result.a.id]["in_graph"],
                result.capability_counts[result.b.id]["in_graph"],
            ],
            ["capability overlap", f"{result.overlap.score:.2f}", f"{len(result.overlap.shared)} shared"],
        ],
    )
    out.print(f"[bold]Verdict:[/] {result.verdict}")


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
