"""The embedded store's snapshot: its whole graph state in one file, so opening it is one read, not a replay.

Replaying every source (parse each extraction, merge it into the graph) costs O(sources × nodes): 57 s at
100k capabilities. The snapshot holds what that replay builds (graph nodes and edges with their data, the
sources' metadata, the links, the classes) as one JSON document read with orjson, plus `covers`: the
manifest lists (sources, link and class segments) it was taken from. It is valid for a manifest whose
lists start with those; what came after (`tail`) is replayed on top, as the writes that added it did.

Rewriting the whole snapshot at every write would make writes O(store) again, so a commit writes a new one
only when it compacts (already O(store)), when there is none, or when the tail passes DELTA_MAX nodes;
otherwise it names the previous one and the tail grows by its own document (O(change), amortised).

Extractions are read lazily (`LazyExtractions`): reads that need one (source detail, removal, rebuild)
parse its `sources/<id>.json` on first use; list and membership come from the snapshot's metadata.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import orjson

from capgraph.errors import StoreUnavailable
from capgraph.graph.schema import CapabilityClass, Extraction, Source

SNAPSHOT_VERSION = 1
DELTA_MAX = 2_000  # nodes a reopen may replay on top of the snapshot (~0.4 s) before a commit writes a new one
COVERED = ("sources", "link_segments", "class_segments")
CHUNK = 8_192  # graph nodes per line of the snapshot


@dataclass
class Snapshot:
    """A decoded snapshot: the graph, the sources' metadata in manifest order, links, classes in replay
    order, and the manifest lists it covers."""

    covers: dict[str, list[str]]
    graph: nx.MultiDiGraph
    sources: dict[str, Source]
    similarities: dict[tuple[str, str], float]
    classes: list[CapabilityClass]

    def tail(self, manifest: dict[str, Any]) -> dict[str, list[str]] | None:
        """What `manifest` adds after what this snapshot covers, or None when it does not extend it
        (a compaction or removal since, or another store's snapshot)."""
        out = {}
        for key in COVERED:
            mine, theirs = self.covers.get(key, []), list(manifest.get(key, []))
            if theirs[: len(mine)] != mine:
                return None
            out[key] = theirs[len(mine) :]
        return out


def encode(
    covers: dict[str, list[str]],
    graph: nx.MultiDiGraph,
    sources: list[Source],
    similarities: dict[tuple[str, str], float],
    classes: list[CapabilityClass],
) -> bytes:
    """The state as JSON lines: a head (version, covers, sources, links, classes), then the graph in
    chunks of CHUNK nodes, each line its nodes as networkx holds them (node -> data), their out-edges
    (u -> v -> key -> data: all keys are strings) and the order of their predecessors. Decoding builds
    those dicts once and the graph takes them as they are; a line at a time keeps orjson's parse tree of
    one chunk in memory, not of the whole file (measured: +96 MB at 100k capabilities in one document)."""
    head = {
        "version": SNAPSHOT_VERSION,
        "covers": covers,
        "sources": [s.model_dump(mode="json") for s in sources],
        "links": [[a, b, s] for (a, b), s in similarities.items()],
        "classes": [c.model_dump(mode="json") for c in classes],
    }
    lines = [orjson.dumps(head)]
    keys = list(graph._node)
    position = {k: n for n, k in enumerate(keys)}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        lines.append(
            orjson.dumps(
                {
                    "nodes": {k: graph._node[k] for k in chunk},
                    "succ": {k: graph._succ[k] for k in chunk},
                    "pred": {k: order for k in chunk if (order := _pred_order(graph, k, position)) is not None},
                }
            )
        )
    return b"\n".join(lines) + b"\n"


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Decoding allocates millions of containers and none of them is garbage, so the cyclic collector's
    passes over them are wasted: paused while decoding, and what was built is then frozen (`gc.freeze`) so
    later collections skip it (measured at 100k capabilities: open 0.78 s of CPU against 1.22 s, and each
    full collection after it 0.3 s less). Refcounting still frees frozen objects; what froze with them and
    later became cyclic garbage is unfrozen, so collectable, at the next load: one load's worth at most."""
    enabled = gc.isenabled()
    gc.unfreeze()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if enabled:
            gc.enable()


def read(path: Path) -> Snapshot:
    """Raises OSError when unreadable, ValueError when the file is not a snapshot of this version."""
    data = memoryview(path.read_bytes())
    with _collector_paused():
        lines = _lines(data)
        head = orjson.loads(next(lines, b"{}"))
        if not isinstance(head, dict) or head.get("version") != SNAPSHOT_VERSION:
            raise ValueError(f"snapshot version {head.get('version') if isinstance(head, dict) else None}")
        nodes: dict[str, Any] = {}
        succ: dict[str, Any] = {}
        pred: dict[str, list[str]] = {}
        for line in lines:
            chunk = orjson.loads(line)
            nodes.update(chunk["nodes"])
            succ.update(chunk["succ"])
            pred.update(chunk["pred"])
        return Snapshot(
            covers={k: list(head["covers"][k]) for k in COVERED},
            graph=_graph(nodes, succ, pred),
            sources={s["id"]: Source.model_validate(s) for s in head["sources"]},
            similarities={(a, b): float(s) for a, b, s in head["links"]},
            classes=[CapabilityClass.model_validate(c) for c in head["classes"]],
        )


def _lines(data: memoryview) -> Iterator[memoryview]:
    start, raw = 0, data.obj
    assert isinstance(raw, bytes)
    while (end := raw.find(b"\n", start)) >= 0:
        if end > start:
            yield data[start:end]
        start = end + 1
    if start < len(raw):
        raise ValueError("snapshot truncated")


def _pred_order(graph: nx.MultiDiGraph, v: str, position: dict[str, int]) -> list[str] | None:
    """`v`'s predecessors in the graph's order, only when decoding would not rebuild that order by itself
    (it links them source node by source node, in node order): rare, so the snapshot stays small."""
    order = list(graph._pred[v])
    at = [position[u] for u in order]
    return order if any(x > y for x, y in itertools.pairwise(at)) else None


def _graph(nodes: dict[str, Any], succ: dict[str, Any], pred: dict[str, list[str]]) -> nx.MultiDiGraph:
    """Takes the decoded dicts as networkx's own adjacency (its documented layout: `_succ[u][v]` and
    `_pred[v][u]` are one dict of key -> edge data); predecessors are linked source by source, then put
    back in their written order where the snapshot gives one."""
    if nodes.keys() != succ.keys():
        raise ValueError("snapshot nodes and adjacency differ")
    g = nx.MultiDiGraph()
    g._node.update(nodes)
    g._succ.update(succ)
    preds: dict[str, dict[str, Any]] = {v: {} for v in nodes}
    for u, nbrs in succ.items():
        for v, keyed in nbrs.items():
            preds[v][u] = keyed
    for v, order in pred.items():
        linked = preds[v]
        preds[v] = {u: linked[u] for u in order}
    g._pred.update(preds)
    return g


class LazyExtractions(MutableMapping[str, Extraction]):
    """Source id -> its extraction, in manifest order; each parsed from its file on first access. The
    sources' metadata is held from the start, so listing sources parses nothing."""

    def __init__(self, sources: dict[str, Source], read: Callable[[str], bytes]):
        self._sources = dict(sources)
        self._parsed: dict[str, Extraction] = {}
        self._read = read

    def source(self, source_id: str) -> Source:
        return self._sources[source_id]

    def sources(self) -> list[Source]:
        return list(self._sources.values())

    def __getitem__(self, source_id: str) -> Extraction:
        if source_id not in self._parsed:
            self._parsed[source_id] = self.fresh(source_id)
        return self._parsed[source_id]

    def fresh(self, source_id: str) -> Extraction:
        """A private copy, parsed from its file (written once, at its commit): 2.4x cheaper than a deep
        copy of the parsed one, and nothing is kept."""
        if source_id not in self._sources:
            raise KeyError(source_id)
        try:
            return Extraction.model_validate_json(self._read(source_id))
        except (OSError, ValueError) as exc:
            why = f"The extraction of {source_id} cannot be read ({exc}); run `capgraph rebuild`"
            raise StoreUnavailable(why) from exc

    def __setitem__(self, source_id: str, ex: Extraction) -> None:
        self._sources[source_id] = ex.source
        self._parsed[source_id] = ex

    def __delitem__(self, source_id: str) -> None:
        del self._sources[source_id]
        self._parsed.pop(source_id, None)

    def __contains__(self, source_id: object) -> bool:
        return source_id in self._sources

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)
