"""Reading the embedded store's folder into memory: the manifest (CURRENT), the graph state it names
(snapshot + the tail written after it, or every source replayed), and the vectors on first use.

Opening reads the snapshot CURRENT names and replays only the sources and segments added after it; with no
usable snapshot (missing, unreadable, or not extending CURRENT, e.g. a store written by older code) it replays
every source, says so, and `NetworkxPersistence` writes one if no writer holds the lock. Vectors (and the
HNSW graph of a large store) are read on the first vector read, so read-only commands that need none never
load them; an HNSW graph built on load because none was persisted is written back the same way, so it is
built once. Pure reads: nothing here writes a file.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from capgraph.embeddings.index import VectorIndex
from capgraph.errors import StoreUnavailable
from capgraph.graph.networkx_store.replay import read_source, remember, replay_all, replay_tail
from capgraph.graph.networkx_store.snapshot import COVERED, LazyExtractions, Snapshot
from capgraph.graph.schema import CapabilityClass

STATE_VERSION = 2
DEFAULT_DIM = 384  # the vector width of an empty store, until an embedding model is recorded
log = logging.getLogger(__name__)

Signature = tuple[int, int, int]


def signature(folder: Path) -> Signature | None:
    """CURRENT's (inode, mtime, size): one `stat` tells whether another process committed since."""
    try:
        st = (folder / "CURRENT").stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def read_current(folder: Path) -> dict[str, Any]:
    """The manifest; {} for a new store, StoreUnavailable for an unreadable one."""
    path = folder / "CURRENT"
    if not path.exists():
        return {}
    try:
        return dict(json.loads(path.read_text()))
    except (OSError, ValueError) as exc:
        raise StoreUnavailable(f"{path} is unreadable: {exc}; run `capgraph rebuild`") from exc


def no_extractions(folder: Path) -> LazyExtractions:
    return LazyExtractions({}, lambda source_id: read_source(folder, source_id))


@dataclass
class LoadedState:
    """One generation's state in memory (vectors apart: `vector_files` names them for `read_vectors`)."""

    generation: int
    manifest: dict[str, Any]
    extractions: LazyExtractions
    similarities: dict[tuple[str, str], float] = field(default_factory=dict)
    classes: dict[str, CapabilityClass] = field(default_factory=dict)
    embedding: tuple[str, int] | None = None
    graph: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)
    tail_nodes: int = 0  # nodes added since the snapshot (what a reopen replays)
    snapshot_wanted: bool = False  # loaded by full replay: a snapshot should be written back
    vector_files: tuple[int, list[str], str | None] = (DEFAULT_DIM, [], None)


def load_state(
    folder: Path, current: dict[str, Any], snapshot_of: Callable[[dict[str, Any]], Snapshot | None]
) -> LoadedState:
    """The state `current` names: its snapshot (`snapshot_of`) and tail, or, with no usable snapshot, every
    source replayed. StoreUnavailable when the files cannot be read."""
    generation = int(current.get("generation", 0))
    state = LoadedState(generation=generation, manifest=current, extractions=no_extractions(folder))
    if not current:
        return state
    try:
        if current.get("version") != STATE_VERSION:
            raise ValueError(f"format version {current.get('version')}, expected {STATE_VERSION}")
        snap = snapshot_of(current)
        tail = snap.tail(current) if snap is not None else None
        if snap is not None and tail is not None:
            state.graph, state.similarities = snap.graph, snap.similarities
            state.extractions = LazyExtractions(snap.sources, lambda source_id: read_source(folder, source_id))
            for cls in snap.classes:
                remember(state.classes, cls)
            try:
                state.tail_nodes = replay_tail(
                    folder,
                    tail,
                    current.get("tail", []),
                    state.graph,
                    state.extractions,
                    state.similarities,
                    state.classes,
                )
            except ValueError as exc:
                log.warning("%s: snapshot %s does not fit CURRENT (%s)", folder, current["snapshot"], exc)
                snap, state.graph, state.similarities, state.classes = None, nx.MultiDiGraph(), {}, {}
                state.extractions, state.tail_nodes = no_extractions(folder), 0
        if snap is None or tail is None:
            state.snapshot_wanted = bool(current["sources"])
            if state.snapshot_wanted:
                why = "missing or unreadable" if snap is None else "older than the store's segments"
                log.warning(
                    "%s: snapshot %s; replaying %d sources (a snapshot is written once no writer holds the lock)",
                    folder,
                    why,
                    len(current["sources"]),
                )
            everything = {k: list(current.get(k, [])) for k in COVERED}
            replay_all(folder, everything, state.graph, state.extractions, state.similarities, state.classes)
        if current.get("embedding"):
            state.embedding = (current["embedding"]["model"], int(current["embedding"]["dim"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreUnavailable(f"The store in {folder} cannot be read ({exc}); run `capgraph rebuild`") from exc
    dim = state.embedding[1] if state.embedding else DEFAULT_DIM
    state.vector_files = (dim, list(current.get("vector_segments", [])), current.get("ann"))
    return state


def read_vectors(folder: Path, vector_files: tuple[int, list[str], str | None]) -> VectorIndex:
    """The vector segments and the HNSW graph a manifest names (immutable once named), as one index."""
    dim, names, ann = vector_files
    graph = (folder / "vectors" / ann).read_bytes() if ann else None
    segments = ((folder / "vectors" / name).read_bytes() for name in names)
    return VectorIndex.from_parts(dim, segments, graph)
