"""The CLI's rank and feedback commands (`capgraph rank`, `capgraph feedback`), registered on the app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer

from capgraph.api import render
from capgraph.app import Services
from capgraph.errors import CapgraphError

StoreOpt = Annotated[
    str | None, typer.Option("--store", help="store folder or neo4j:// URL (default: $CAPGRAPH_STORE or ./data)")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]


def register(app: typer.Typer, services: Callable[[str | None], Services], emit: Callable[[Any], None]) -> None:
    @app.command()
    def rank(
        model: Annotated[str | None, typer.Argument(help="one model: its rank (with --explain, every part)")] = None,
        explain: Annotated[bool, typer.Option("--explain", help="each component, its inputs and sources")] = False,
        kind: Annotated[str | None, typer.Option("--kind", help="only this artifact kind")] = None,
        k: Annotated[int, typer.Option("-k", min=1, max=1000, help="how many models to list")] = 20,
        store: StoreOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """capgraph's own rank (0-100, from the graph's evidence; not any site's claimed rank)."""
        queries = services(store).queries
        if model is None:
            if explain:
                raise CapgraphError("--explain needs a MODEL")
            found, total = queries.ranks(kind, k)
            if as_json:
                emit({"scheme": "capgraph", "total": total, "ranks": [r.model_dump(mode="json") for r in found]})
                return
            render.ranks(found, total)
            return
        one = queries.rank(model)
        if as_json:
            emit(one)
        elif explain:
            render.rank_explain(one)
        else:
            render.ranks([one], 1)

    @app.command()
    def feedback(
        models: Annotated[list[str] | None, typer.Argument(help="the models the answer returned")] = None,
        useful: Annotated[
            bool | None, typer.Option("--useful/--not-useful", help="was the answer useful (required to record)")
        ] = None,
        query: Annotated[str | None, typer.Option("--query", help="the query that gave the answer")] = None,
        reset: Annotated[bool, typer.Option("--reset", help="forget feedback (about MODELS, or all)")] = False,
        show: Annotated[bool, typer.Option("--list", help="list feedback (about MODELS, or all)")] = False,
        store: StoreOpt = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Record whether an answer was useful (it nudges rank within a bound), list it, or reset it."""
        svc = services(store)
        try:
            if reset:
                gone = sum(svc.feedback.reset(m) for m in models) if models else svc.feedback.reset()
                emit({"reset": gone}) if as_json else render.out.print(f"feedback reset: {gone} records")
                return
            if show:
                found = [f for m in models for f in svc.feedback.list(m)] if models else svc.feedback.list()
                emit([f.model_dump(mode="json") for f in found]) if as_json else render.feedback(found)
                return
            if not models or useful is None:
                raise CapgraphError("give MODELS and --useful or --not-useful (or --list, --reset)")
            record = svc.feedback.give(models, useful, query)
            emit(record) if as_json else render.out.print(f"feedback recorded: {record.id}")
        finally:
            svc.close()
