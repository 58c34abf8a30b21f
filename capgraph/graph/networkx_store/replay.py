"""Rebuilding the embedded store's state from its files: every source (`replay_all`, what opening did before
snapshots and still does without a usable one) or only the writes since the snapshot (`replay_tail`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx

from capgraph.graph.merge import apply_classes, apply_extraction, apply_similarities, refresh_counts, touched_models
from capgraph.graph.networkx_store.snapshot import LazyExtractions
from capgraph.graph.schema import CapabilityClass, Extraction, Similarity


def read_source(folder: Path, source_id: str) -> bytes:
    return (folder / "sources" / f"{source_id}.json").read_bytes()


def read_links(folder: Path, name: str) -> dict[tuple[str, str], float]:
    return {(a, b): float(score) for a, b, score in json.loads((folder / "links" / name).read_text())}


def read_classes(folder: Path, name: str) -> list[CapabilityClass]:
    return [CapabilityClass.model_validate(row) for row in json.loads((folder / "classes" / name).read_text())]


def sim_list(links: dict[tuple[str, str], float]) -> list[Similarity]:
    return [Similarity(a=a, b=b, score=s) for (a, b), s in sorted(links.items())]


def remember(classes: dict[str, CapabilityClass], cls: CapabilityClass) -> None:
    """Later writes of a class replace earlier ones and move to the end: replaying in this order gives
    each capability the class it joined last."""
    classes.pop(cls.id, None)
    classes[cls.id] = cls


def replay_all(
    folder: Path,
    names: dict[str, list[str]],
    graph: nx.MultiDiGraph,
    extractions: LazyExtractions,
    similarities: dict[tuple[str, str], float],
    classes: dict[str, CapabilityClass],
) -> None:
    """Every source into an empty graph, then every link and class: what `merge.build_graph` does."""
    for sid in names["sources"]:
        extractions[sid] = ex = Extraction.model_validate_json(read_source(folder, sid))
        apply_extraction(graph, ex)
    for name in names["link_segments"]:
        similarities.update(read_links(folder, name))
    for name in names["class_segments"]:
        for cls in read_classes(folder, name):
            remember(classes, cls)
    apply_similarities(graph, sim_list(similarities))
    apply_classes(graph, classes.values())
    refresh_counts(graph)


def replay_tail(
    folder: Path,
    tail: dict[str, list[str]],
    generations: list[list[Any]],
    graph: nx.MultiDiGraph,
    extractions: LazyExtractions,
    similarities: dict[tuple[str, str], float],
    classes: dict[str, CapabilityClass],
) -> int:
    """The writes since the snapshot (`generations`: CURRENT's [source id, generation] pairs), each as
    `upsert` applied it: its source, its links, its classes, then its models' counts. Returns the nodes
    they added; ValueError if those writes do not account for exactly the sources and segments of `tail`."""
    if [sid for sid, _ in generations] != tail["sources"]:
        raise ValueError("the tail's sources are not the snapshot's successors")
    links, class_segments = set(tail["link_segments"]), set(tail["class_segments"])
    before = graph.number_of_nodes()
    for sid, gen in generations:
        extractions[sid] = ex = Extraction.model_validate_json(read_source(folder, sid))
        apply_extraction(graph, ex)
        name = f"seg-{int(gen):08d}.json"
        if name in links:
            added = read_links(folder, name)
            similarities.update(added)
            apply_similarities(graph, sim_list(added))
            links.discard(name)
        if name in class_segments:
            written = read_classes(folder, name)
            for cls in written:
                remember(classes, cls)
            apply_classes(graph, written)
            class_segments.discard(name)
        refresh_counts(graph, touched_models(ex))
    if links or class_segments:
        raise ValueError(f"segments {sorted(links | class_segments)} follow the snapshot but no write in its tail")
    return int(graph.number_of_nodes() - before)
