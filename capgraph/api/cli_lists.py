"""The CLI's list commands (`models`, `model`, `classes`, `class`, `benchmarks`, `sources`), registered on the
app. Each prints one page (at most `MAX_PAGE` items), says how many there are in all, and names the
`--offset` of the next page, so no command prints a whole graph at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from capgraph.api import render
from capgraph.app import Services
from capgraph.graph.paging import DEFAULT_PAGE, LISTED_MEMBERS, MAX_PAGE, next_offset

StoreOpt = Annotated[
    str | None, typer.Option("--store", help="store folder or neo4j:// URL (default: $CAPGRAPH_STORE or ./data)")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]
OffsetOpt = Annotated[int, typer.Option(min=0, help="where the page starts (the previous page's next offset)")]
LimitOpt = Annotated[int, typer.Option(min=1, max=MAX_PAGE, help=f"how many in one page (at most {MAX_PAGE})")]


def _more(offset: int, limit: int, total: int) -> None:
    following = next_offset(offset, limit, total)
    if following is not None:
        render.err.print(f"[dim]{total - following} more: --offset {following}[/]")


def register(app: typer.Typer, services: Callable[[str | None], Services], emit: Callable[[Any], None]) -> None:
    @app.command()
    def models(
        prefix: Annotated[str | None, typer.Option(help="name prefix")] = None,
        kind: Annotated[str | None, typer.Option(help="Model, Repository, Product, ...")] = None,
        offset: OffsetOpt = 0,
        limit: LimitOpt = DEFAULT_PAGE,
        store: StoreOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """List the models in the store, by name."""
        found, total = services(store).queries.models(prefix, kind, offset, limit)
        if as_json:
            emit(
                {
                    "total": total,
                    "offset": offset,
                    "next_offset": next_offset(offset, limit, total),
                    "models": [m.model_dump() for m in found],
                }
            )
            return
        render.table(
            f"{total} models", ["id", "name", "kind", "vendor"], [[m.id, m.name, m.kind, m.vendor or ""] for m in found]
        )
        _more(offset, limit, total)

    @app.command()
    def model(
        name: Annotated[str, typer.Argument(help="a model name, alias or id")],
        offset: OffsetOpt = 0,
        limit: LimitOpt = DEFAULT_PAGE,
        store: StoreOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """One model's sourced claims and one page of its capabilities (ordered by id)."""
        facts = services(store).queries.model_facts(name, offset, limit)
        if as_json:
            emit(facts)
            return
        render.out.print(f"[bold]{facts.model.name}[/] ({facts.model.id}, {facts.model.kind})")
        render.table(
            "Claims",
            ["attribute", "value", "source"],
            [[c.attribute, c.value, c.source_title] for c in sorted(facts.claims, key=lambda c: c.attribute)],
        )
        render.table(
            f"{facts.capabilities_total} capabilities",
            ["id", "name", "description"],
            [[c.id, c.name, c.description] for c in facts.capabilities],
        )
        _more(offset, limit, facts.capabilities_total)

    @app.command()
    def classes(
        offset: OffsetOpt = 0,
        limit: LimitOpt = 50,
        min_size: Annotated[int, typer.Option(help="only classes with at least this many models")] = 1,
        members: Annotated[int, typer.Option(min=0, max=100, help="member models shown per class")] = LISTED_MEMBERS,
        store: StoreOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """List capability classes, largest first, with the models that have each."""
        found, total = services(store).queries.classes(limit, min_size, offset, members)
        if as_json:
            emit(
                {
                    "total": total,
                    "offset": offset,
                    "next_offset": next_offset(offset, limit, total),
                    "classes": [c.model_dump() for c in found],
                }
            )
            return
        render.table(
            f"{total} capability classes",
            ["name", "models", "members"],
            [[c.name, c.size, ", ".join(c.models) + (", ..." if c.next_offset else "")] for c in found],
        )
        _more(offset, limit, total)

    @app.command(name="class")
    def capability_class(
        name: Annotated[str, typer.Argument(help="the class name or id")],
        offset: OffsetOpt = 0,
        limit: LimitOpt = DEFAULT_PAGE,
        store: StoreOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Show one capability class (by name or id): each model's capability in it, one page of members."""
        found = services(store).queries.capability_class(name, offset, limit)
        if as_json:
            emit(found)
            return
        render.out.print(f"[bold]{found.name}[/] ({found.id}): {found.description}")
        render.table(
            f"{found.size} members",
            ["model", "capability", "id"],
            [[m.model, m.capability, m.capability_id] for m in found.members],
        )
        _more(offset, limit, found.size)

    @app.command()
    def benchmarks(
        offset: OffsetOpt = 0, limit: LimitOpt = DEFAULT_PAGE, store: StoreOpt = None, as_json: JsonOpt = False
    ) -> None:
        """List the benchmarks with scores, by name, with the spellings sources use."""
        found, total = services(store).queries.benchmarks(offset, limit)
        if as_json:
            emit(
                {
                    "total": total,
                    "offset": offset,
                    "next_offset": next_offset(offset, limit, total),
                    "benchmarks": [{"name": n, "spellings": s} for n, s in found],
                }
            )
            return
        render.table(f"{total} benchmarks", ["name", "spellings"], [[n, ", ".join(s)] for n, s in found])
        _more(offset, limit, total)

    @app.command()
    def sources(
        offset: OffsetOpt = 0, limit: LimitOpt = DEFAULT_PAGE, store: StoreOpt = None, as_json: JsonOpt = False
    ) -> None:
        """List the ingested sources, by title."""
        found, total = services(store).queries.source_page(offset, limit)
        if as_json:
            emit(
                {
                    "total": total,
                    "offset": offset,
                    "next_offset": next_offset(offset, limit, total),
                    "sources": [s.model_dump(mode="json") for s in found],
                }
            )
            return
        render.table(
            f"{total} sources",
            ["id", "title", "format", "chars", "ingested"],
            [[s.id[:12], s.title, s.format, s.chars, s.ingested_at or ""] for s in found],
        )
        _more(offset, limit, total)
