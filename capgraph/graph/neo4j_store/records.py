"""What a source says, as Neo4j rows: the derived node properties, one source's mentions, and rows back to
domain types. The merge rules themselves are `graph.merge`'s."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final

from capgraph.graph.labels import short_label
from capgraph.graph.merge import (
    BENCHMARK,
    CAPABILITY,
    MODEL,
    benchmark_id,
    lookup_key,
    model_view,
)
from capgraph.graph.neo4j_store.queries import (
    HIDDEN_PROPS,
    Row,
)
from capgraph.graph.schema import (
    Capability,
    Extraction,
    Model,
)


# ------------------------------------------------------------------------------ derived properties
def _placeholder_model(model_id: str) -> dict[str, Any]:
    return {"name": model_id, "kind": "Model", "vendor": None, "family": None, "aliases": []}


def model_props(model_id: str, facts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Visible Model properties from the per-source facts (in source order), as `graph.merge` derives them."""
    view = model_view(facts) if facts else _placeholder_model(model_id)
    keys = sorted({lookup_key(n) for n in [model_id, view["name"], *view["aliases"]] if n})
    return {**view, "label": short_label(view["name"]), "facts_json": json.dumps(facts), "lookup_keys": keys}


def capability_props(cap_id: str, facts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The first source's fields; `unique` and `vs_alternatives` from the first source that has them."""
    stated = list(facts.values())
    if not stated:
        view: dict[str, Any] = {
            "model_id": "",
            "name": cap_id,
            "description": "",
            "unique": None,
            "vs_alternatives": None,
        }
    else:
        view = {k: v for k, v in stated[0].items() if k != "id"}
        for field in ("unique", "vs_alternatives"):
            view[field] = next((f[field] for f in stated if f.get(field)), None)
    return {**view, "label": short_label(view["name"]), "facts_json": json.dumps(facts)}


def benchmark_props(bench_id: str, facts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    stated = list(facts.values())
    name = stated[0]["name"] if stated else bench_id
    return {"name": name, "label": short_label(name), "facts_json": json.dumps(facts)}


DERIVE: Final[dict[str, Callable[[str, dict[str, dict[str, Any]]], dict[str, Any]]]] = {
    MODEL: model_props,
    CAPABILITY: capability_props,
    BENCHMARK: benchmark_props,
}


class _Mentions:
    """What one extraction states, as node facts and relationship rows (shared by upsert and removal)."""

    def __init__(self, ex: Extraction):
        self.facts: dict[str, dict[str, dict[str, Any]]] = {MODEL: {}, CAPABILITY: {}, BENCHMARK: {}}
        for m in ex.models:
            self.facts[MODEL][m.id] = m.model_dump(mode="json")
        for c in ex.capabilities:
            self.facts[CAPABILITY].setdefault(c.id, c.model_dump(mode="json"))
        for s in ex.scores:
            self.facts[BENCHMARK].setdefault(benchmark_id(s.benchmark), {"name": s.benchmark})
        self.rels: dict[str, list[Row]] = {
            "HAS_CAPABILITY": [{"a": c.model_id, "b": c.id} for c in ex.capabilities],
            "COMPARED_WITH": [dict(zip("ab", sorted((c.a, c.b)), strict=True)) for c in ex.comparisons],
            "CONTRASTED_WITH": [{"a": c.capability_id, "b": c.model_id} for c in ex.contrasts],
            "VARIANT_OF": [{"a": v.variant_id, "b": v.base_id} for v in ex.variants],
            "SCORED": [
                {
                    "a": s.model_id,
                    "b": benchmark_id(s.benchmark),
                    "key": f"{s.value}|{s.unit}",
                    "value": s.value,
                    "unit": s.unit,
                }
                for s in ex.scores
            ],
        }
        self.states: list[Row] = [
            {
                "b": c.model_id,
                "key": f"{c.attribute}|{c.value}",
                "attribute": c.attribute,
                "value": c.value,
                "number": c.number,
                "unit": c.unit,
            }
            for c in ex.claims
        ]
        # Every node the source mentions, including endpoints it names only in a relationship.
        self.ids: dict[str, set[str]] = {label: set(f) for label, f in self.facts.items()}
        for kind, rows in self.rels.items():
            a_label = CAPABILITY if kind == "CONTRASTED_WITH" else MODEL
            b_label = {"HAS_CAPABILITY": CAPABILITY, "SCORED": BENCHMARK}.get(kind, MODEL)
            for r in rows:
                self.ids[a_label].add(r["a"])
                self.ids[b_label].add(r["b"])
        self.ids[MODEL].update(r["b"] for r in self.states)


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in HIDDEN_PROPS}


def _model(props: dict[str, Any]) -> Model:
    return Model(
        id=props["id"],
        name=props.get("name") or props["id"],
        kind=props.get("kind") or "Model",
        vendor=props.get("vendor"),
        family=props.get("family"),
        aliases=list(props.get("aliases") or []),
    )


def _capability(props: dict[str, Any]) -> Capability:
    return Capability(**{f: props.get(f) for f in Capability.model_fields})


def extraction_of(row: Row) -> Extraction:
    return Extraction.model_validate_json(row["extraction"])
