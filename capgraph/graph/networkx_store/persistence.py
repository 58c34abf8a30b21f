"""The embedded default store: a networkx graph in memory, durable in a data folder.

Layout of the folder:
  texts/<source id>.txt     raw texts, content-addressed (the graph can always be rebuilt from them)
  texts/<source id>.json    their title and url
  texts/<...>.pending       a text (or its title) saved for a write that has not committed yet
  texts/<...>.removing      a text set aside by a removal that has not committed yet
  sources/<source id>.json  each source's extraction, written once
  vectors/seg-<n>.npz       the capability vectors added by generation n (append-only segments)
  vectors/ann-<n>.npz       the HNSW graph of a large store and its labels, rewritten when rebuilt or grown
  links/seg-<n>.json        the SIMILAR_TO links added by generation n
  classes/seg-<n>.json      the capability classes generation n created or grew (replayed in order)
  snapshots/snap-<n>.json   the graph state as of generation n, read in one go on open (`snapshot.py`)
  CURRENT                   the manifest: which of these files make the live state; replaced atomically

A document's write adds small files and a new manifest, so its cost does not grow with the store;
removals and re-embeddings compact the segments into one, as does a write past MAX_SEGMENTS.
Every write goes to new files first (temp, fsync, rename) and only then replaces CURRENT, so a
process killed at any moment leaves the previous generation or the new one, never a mix.
What such a kill leaves besides (temp files, `.pending` and `.removing` texts) is settled against the
manifest on open and after every commit (`_collect_garbage`): a pending text whose source is in CURRENT is
kept, any other is deleted, so `rebuild` (which reads only `.txt`) never brings back a document that did not
commit.

Opening (`loading.py`) reads the snapshot CURRENT names plus the writes after it; vectors on first use.

Freshness: every read first compares CURRENT's stat signature (inode, mtime, size; one `stat` call) with
the one it loaded, and reloads when another process has committed since, so a long-lived reader (the API)
sees a CLI ingest into the same folder at its next read.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
from filelock import FileLock, Timeout

from capgraph.embeddings.index import VectorIndex
from capgraph.errors import StoreUnavailable
from capgraph.graph.merge import graph_classes
from capgraph.graph.networkx_store import files
from capgraph.graph.networkx_store.files import atomic_write
from capgraph.graph.networkx_store.loading import (
    DEFAULT_DIM,
    STATE_VERSION,
    Signature,
    load_state,
    no_extractions,
    read_current,
    read_vectors,
    signature,
)
from capgraph.graph.networkx_store.replay import remember, sim_list
from capgraph.graph.networkx_store.snapshot import DELTA_MAX, LazyExtractions, Snapshot, encode
from capgraph.graph.networkx_store.snapshot import read as read_snapshot
from capgraph.graph.schema import Capability, CapabilityClass, Extraction, Similarity, Source

__all__ = ["STATE_VERSION", "NetworkxPersistence"]  # STATE_VERSION: read in `loading`, written here
FRESH_S = 1.0  # reads see another process's commit within this many seconds (at once, in practice)
LOAD_ATTEMPTS = 5  # a reload can race a compaction that deletes the files it is reading; it then retries
MAX_SEGMENTS = 64
_CAPABILITY_FIELDS = tuple(Capability.model_fields)
SUBFOLDERS = files.SUBFOLDERS
log = logging.getLogger(__name__)


def _pair(s: Similarity) -> tuple[str, str]:
    a, b = sorted((s.a, s.b))
    return a, b


class NetworkxPersistence:
    """The data folder: manifest, append-only segments, texts, the write lock and garbage collection;
    loads the state into memory and commits each change as a new generation."""

    def __init__(self, folder: str | os.PathLike[str], *, recover: bool = False):
        """`recover=True` opens an unreadable store as empty (keeping its texts) so `rebuild` can refill it."""
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for sub in ("texts", *SUBFOLDERS):
                (self.folder / sub).mkdir(exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"Cannot use {self.folder} as a store: {exc.strerror or exc}") from exc
        self._lock = threading.RLock()
        self._file_lock = FileLock(str(self.folder / ".write.lock"))
        self._generation = 0
        self._manifest: dict[str, Any] = {}
        self._extractions = self._no_extractions()
        self._similarities: dict[tuple[str, str], float] = {}
        self._classes: dict[str, CapabilityClass] = {}
        self._embedding: tuple[str, int] | None = None
        self._vectors: VectorIndex | None = VectorIndex(DEFAULT_DIM)  # None: not read yet, see `_index`
        self._vector_files: tuple[int, list[str], str | None] = (DEFAULT_DIM, [], None)
        self._tail_nodes = 0  # nodes added since the snapshot CURRENT names (what a reopen replays)
        self._snapshot_wanted = False  # loaded by full replay: write a snapshot when the lock is free
        self._exclusive = 0  # nesting of `exclusive()`
        self._graph = nx.MultiDiGraph()
        self._seen: Signature | None = None  # CURRENT's stat signature when last loaded
        self._checked_at = 0.0
        self._depth = 0  # nesting of reads/writes holding `_lock`; only the outermost one refreshes
        self._known = False  # the manifest was read, so leftovers can be judged against it
        try:
            self._load()
        except StoreUnavailable:
            if not recover:
                raise
            self._generation, self._manifest = int(self._current_or_empty().get("generation", 0)), {}
            self._extractions, self._similarities, self._embedding = self._no_extractions(), {}, None
            self._classes = {}
            self._index = VectorIndex(DEFAULT_DIM)
            self._graph = nx.MultiDiGraph()
            self._seen = self._signature()
        self._clean_leftovers()

    def _no_extractions(self) -> LazyExtractions:
        return no_extractions(self.folder)

    def _clean_leftovers(self) -> None:
        """Settle what a killed writer left, unless another process is writing right now (it settles them)."""
        if not self._known:
            return
        try:
            with self._lock, self._file_lock.acquire(timeout=0):
                if int(self._current_or_empty().get("generation", 0)) != self._generation:
                    self._load()
                self._collect_garbage()
                self._try_amend()
        except Timeout:
            pass

    def _amend(self) -> None:
        """Write back what this process had to rebuild on load (a snapshot, an HNSW graph) under the
        generation it was loaded from: same generation, one more file named in CURRENT. Only under the
        write lock, and only if no commit came in between."""
        ann = self._vectors is not None and self._vectors.ann_dirty
        if (
            not (self._snapshot_wanted or ann)
            or int(self._current_or_empty().get("generation", -1)) != self._generation
        ):
            return
        manifest = dict(self._manifest)
        if self._snapshot_wanted:
            manifest["snapshot"] = self._write_snapshot(manifest, f"snap-{self._generation:08d}a.json")
            manifest["tail"] = []
        if ann and self._vectors is not None:
            data = self._vectors.ann_bytes()
            manifest["ann"] = None if data is None else f"ann-{self._generation:08d}a.npz"
            if data is not None:
                atomic_write(self.folder / "vectors" / manifest["ann"], data)
            self._vectors.ann_dirty = False
        atomic_write(self.folder / "CURRENT", json.dumps(manifest).encode())
        self._manifest, self._seen, self._snapshot_wanted = manifest, self._signature(), False

    def _try_amend(self) -> None:
        """`_amend` when no writer holds the lock; it only saves work, so a failure (a read-only folder)
        is said and the store stays open."""
        if self._exclusive:
            return
        try:
            with self._lock, self._file_lock.acquire(timeout=0):
                self._amend()
        except Timeout:
            pass
        except OSError as exc:
            log.warning("%s: could not write back the snapshot or vector graph built on load: %s", self.folder, exc)

    def _write_snapshot(self, manifest: dict[str, Any], name: str) -> str:
        covers = {k: list(manifest.get(k, [])) for k in ("sources", "link_segments", "class_segments")}
        data = encode(
            covers, self._graph, self._extractions.sources(), self._similarities, list(self._classes.values())
        )
        atomic_write(self.folder / "snapshots" / name, data)
        self._tail_nodes = 0
        return name

    def _current_or_empty(self) -> dict[str, Any]:
        try:
            return self._current()
        except StoreUnavailable:
            return {}

    # ---------------------------------------------------------------- loading (`loading.py`)
    def _current(self) -> dict[str, Any]:
        return read_current(self.folder)

    def _signature(self) -> Signature | None:
        return signature(self.folder)

    def _load(self) -> None:
        """Load the generation CURRENT names; retried when a concurrent compaction deletes its files
        midway. On failure the state in memory is left as it was."""
        for attempt in range(LOAD_ATTEMPTS):
            seen = self._signature()
            try:
                self._load_once()
            except StoreUnavailable:
                if attempt + 1 == LOAD_ATTEMPTS or self._signature() == seen:
                    raise
            else:
                self._seen, self._known = seen, True
                return

    def _load_once(self) -> None:
        state = load_state(self.folder, self._current(), self._read_snapshot)
        self._generation, self._manifest = state.generation, state.manifest
        self._extractions, self._similarities, self._classes = state.extractions, state.similarities, state.classes
        self._embedding, self._graph = state.embedding, state.graph
        self._tail_nodes, self._snapshot_wanted = state.tail_nodes, state.snapshot_wanted
        self._vector_files = state.vector_files
        self._vectors = None if state.manifest else VectorIndex(state.vector_files[0])

    def _read_snapshot(self, current: dict[str, Any]) -> Snapshot | None:
        if not current.get("snapshot"):
            return None
        try:
            return read_snapshot(self.folder / "snapshots" / current["snapshot"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("%s: snapshot %s unreadable (%s)", self.folder, current["snapshot"], exc)
            return None

    @property
    def _index(self) -> VectorIndex:
        """The vectors, read on first use. Segment and graph files are immutable once named, so they hold
        this generation's vectors; if a compaction by another process deleted them meanwhile, the state
        is reloaded first."""
        for attempt in range(LOAD_ATTEMPTS):
            if self._vectors is not None:
                return self._vectors
            try:
                self._vectors = read_vectors(self.folder, self._vector_files)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                if attempt + 1 == LOAD_ATTEMPTS:
                    raise StoreUnavailable(
                        f"The vectors in {self.folder} cannot be read ({exc}); run `capgraph rebuild`"
                    ) from exc
                self._load()
            else:
                if self._vectors.ann_dirty:
                    self._try_amend()
        assert self._vectors is not None
        return self._vectors

    @_index.setter
    def _index(self, index: VectorIndex) -> None:
        self._vectors = index

    def remember_class(self, cls: CapabilityClass) -> None:
        remember(self._classes, cls)

    def _refresh(self) -> None:
        """Reload if another process committed since the last load: one `stat` when nothing changed, and
        the generation itself read at least every FRESH_S (a reused inode with the same mtime and size
        cannot hide a commit for longer)."""
        seen, now = self._signature(), time.monotonic()
        if seen == self._seen and now - self._checked_at < FRESH_S:
            return
        self._checked_at = now
        if int(self._current_or_empty().get("generation", 0)) != self._generation:
            self._load()
            self._try_amend()
        else:
            self._seen = seen

    @contextlib.contextmanager
    def _view(self) -> Iterator[None]:
        """The lock every read takes: the outermost one first catches up with other processes' commits."""
        with self._lock:
            if self._depth == 0:
                self._refresh()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1

    def _sim_objects(self) -> list[Similarity]:
        return sim_list(self._similarities)

    def _commit(
        self,
        *,
        new_source: Extraction | None = None,
        new_vectors: Sequence[str] = (),
        new_links: Sequence[Similarity] = (),
        new_classes: Sequence[CapabilityClass] = (),
        compact: bool = False,
    ) -> None:
        """Write what this generation adds, then switch CURRENT to the new manifest; unreferenced files go."""
        gen = self._generation + 1
        vector_segments = list(self._manifest.get("vector_segments", []))
        link_segments = list(self._manifest.get("link_segments", []))
        class_segments = list(self._manifest.get("class_segments", []))
        compact = compact or max(map(len, (vector_segments, link_segments, class_segments))) >= MAX_SEGMENTS
        if new_source is not None:
            source_file = self.folder / "sources" / f"{new_source.source.id}.json"
            atomic_write(source_file, new_source.model_dump_json().encode())
        if compact:
            vector_segments, link_segments, class_segments = [], [], []
            new_vectors = self._index.ids
            new_links = self._sim_objects()
            new_classes = graph_classes(self._graph)
            self._classes = {c.id: c for c in new_classes}
        if new_vectors:
            vector_segments.append(f"seg-{gen:08d}.npz")
            atomic_write(self.folder / "vectors" / vector_segments[-1], self._index.segment_bytes(new_vectors))
        if new_links:
            link_segments.append(f"seg-{gen:08d}.json")
            rows = [[*_pair(s), s.score] for s in new_links]
            atomic_write(self.folder / "links" / link_segments[-1], json.dumps(rows, separators=(",", ":")).encode())
        if new_classes:
            class_segments.append(f"seg-{gen:08d}.json")
            class_rows = [c.model_dump(mode="json") for c in new_classes]
            atomic_write(self.folder / "classes" / class_segments[-1], json.dumps(class_rows).encode())
        if new_source is not None:
            self._tail_nodes += len(new_source.models) + len(new_source.capabilities)
        ann = self._manifest.get("ann")
        if self._vectors is not None and self._vectors.ann_dirty:
            data = self._vectors.ann_bytes()
            ann = None if data is None else f"ann-{gen:08d}.npz"
            if data is not None:
                atomic_write(self.folder / "vectors" / f"ann-{gen:08d}.npz", data)
        manifest = {
            "version": STATE_VERSION,
            "generation": gen,
            "sources": list(self._extractions),
            "vector_segments": vector_segments,
            "link_segments": link_segments,
            "class_segments": class_segments,
            "ann": ann,
            "embedding": {"model": self._embedding[0], "dim": self._embedding[1]} if self._embedding else None,
            "snapshot": self._manifest.get("snapshot"),
            # the writes since the snapshot, in order: (source, generation), for the reopen's replay
            "tail": [*self._manifest.get("tail", []), *([[new_source.source.id, gen]] if new_source else [])],
        }
        if (
            compact
            or self._snapshot_wanted
            or not manifest["snapshot"]
            or new_source is None
            or self._tail_nodes > DELTA_MAX
        ):
            manifest["snapshot"], manifest["tail"] = self._write_snapshot(manifest, f"snap-{gen:08d}.json"), []
        atomic_write(self.folder / "CURRENT", json.dumps(manifest).encode())
        self._generation, self._manifest, self._seen = gen, manifest, self._signature()
        self._snapshot_wanted = False
        if self._vectors is not None:
            self._vectors.ann_dirty = False
        self._collect_garbage()

    def _collect_garbage(self) -> None:
        """Delete files CURRENT does not name and temp files of killed writers; settle pending texts.
        Runs only under the write lock, so no other writer's files are in flight."""
        files.collect_garbage(self.folder, self._manifest, SUBFOLDERS)
        self._settle_texts()

    def _settle_texts(self) -> None:
        files.settle_texts(self.folder, set(self._manifest.get("sources", [])))

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Exclusive across threads and processes; reloads first if another process committed since."""
        with self._lock, self._file_lock:
            if int(self._current_or_empty().get("generation", 0)) != self._generation:
                self._load()
            self._depth += 1
            self._exclusive += 1  # no write-back of load work mid-write (`_amend`): the commit writes it
            try:
                yield
            finally:
                self._depth -= 1
                self._exclusive -= 1

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """`exclusive`, and on failure back to the last committed state."""
        with self.exclusive():
            try:
                yield
            except BaseException:
                self._load()  # the files still hold the last good state
                self._settle_texts()  # and texts saved or set aside for this write go back
                raise

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        with self._view():
            yield

    def _save_text(self, source: Source, text: str) -> None:
        files.save_text(self.folder, source, text)

    def _set_aside_text(self, source_id: str) -> None:
        files.set_aside_text(self.folder, source_id)

    def _text_path(self, source_id: str) -> Path:
        return files.text_path(self.folder, source_id)

    def stored_texts(self) -> list[tuple[str, str, str | None]]:
        """(text, title, url) of every stored text, for `rebuild`: committed ones only (not `.pending`)."""
        return files.stored_texts(self.folder)
