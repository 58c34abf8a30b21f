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
  CURRENT                   the manifest: which of these files make the live state; replaced atomically

A document's write adds small files and a new manifest, so its cost does not grow with the store;
removals and re-embeddings compact the segments into one, as does a write past MAX_SEGMENTS.
Every write goes to new files first (temp, fsync, rename) and only then replaces CURRENT, so a
process killed at any moment leaves the previous generation or the new one, never a mix.
What such a kill leaves besides (temp files, `.pending` and `.removing` texts) is settled against the
manifest on open and after every commit (`_collect_garbage`): a pending text whose source is in CURRENT is
kept, any other is deleted, so `rebuild` (which reads only `.txt`) never brings back a document that did not
commit.

Freshness: every read first compares CURRENT's stat signature (inode, mtime, size; one `stat` call) with
the one it loaded, and reloads when another process has committed since, so a long-lived reader (the API)
sees a CLI ingest into the same folder at its next read.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
from filelock import FileLock, Timeout

from capgraph.embeddings.index import VectorIndex
from capgraph.errors import StoreUnavailable
from capgraph.graph.merge import (
    build_graph,
    graph_classes,
)
from capgraph.graph.schema import (
    Capability,
    CapabilityClass,
    Extraction,
    Similarity,
    Source,
)

STATE_VERSION = 2
PENDING, REMOVING = ".pending", ".removing"
FRESH_S = 1.0  # reads see another process's commit within this many seconds (at once, in practice)
LOAD_ATTEMPTS = 5  # a reload can race a compaction that deletes the files it is reading; it then retries
MAX_SEGMENTS = 64
_CAPABILITY_FIELDS = tuple(Capability.model_fields)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temp file in the same folder, fsync, rename over `path`, fsync the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


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
            for sub in ("texts", "sources", "vectors", "links", "classes"):
                (self.folder / sub).mkdir(exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"Cannot use {self.folder} as a store: {exc.strerror or exc}") from exc
        self._lock = threading.RLock()
        self._file_lock = FileLock(str(self.folder / ".write.lock"))
        self._generation = 0
        self._manifest: dict[str, Any] = {}
        self._extractions: dict[str, Extraction] = {}
        self._similarities: dict[tuple[str, str], float] = {}
        self._classes: dict[str, CapabilityClass] = {}
        self._embedding: tuple[str, int] | None = None
        self._index = VectorIndex(384)
        self._graph = nx.MultiDiGraph()
        self._seen: tuple[int, int, int] | None = None  # CURRENT's stat signature when last loaded
        self._checked_at = 0.0
        self._depth = 0  # nesting of reads/writes holding `_lock`; only the outermost one refreshes
        self._known = False  # the manifest was read, so leftovers can be judged against it
        try:
            self._load()
        except StoreUnavailable:
            if not recover:
                raise
            self._generation, self._manifest = int(self._current_or_empty().get("generation", 0)), {}
            self._extractions, self._similarities, self._embedding = {}, {}, None
            self._classes = {}
            self._index = VectorIndex(384)
            self._graph = nx.MultiDiGraph()
            self._seen = self._signature()
        self._clean_leftovers()

    def _clean_leftovers(self) -> None:
        """Settle what a killed writer left, unless another process is writing right now (it settles them)."""
        if not self._known:
            return
        try:
            with self._lock, self._file_lock.acquire(timeout=0):
                if int(self._current_or_empty().get("generation", 0)) != self._generation:
                    self._load()
                self._collect_garbage()
        except Timeout:
            pass

    def _current_or_empty(self) -> dict[str, Any]:
        try:
            return self._current()
        except StoreUnavailable:
            return {}

    # ---------------------------------------------------------------- persistence
    def _current(self) -> dict[str, Any]:
        path = self.folder / "CURRENT"
        if not path.exists():
            return {}
        try:
            return dict(json.loads(path.read_text()))
        except (OSError, ValueError) as exc:
            raise StoreUnavailable(f"{path} is unreadable: {exc}; run `capgraph rebuild`") from exc

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            st = (self.folder / "CURRENT").stat()
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size

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
        current = self._current()
        extractions: dict[str, Extraction] = {}
        similarities: dict[tuple[str, str], float] = {}
        classes: dict[str, CapabilityClass] = {}
        embedding: tuple[str, int] | None = None
        index = VectorIndex(384)
        if current:
            try:
                if current.get("version") != STATE_VERSION:
                    raise ValueError(f"format version {current.get('version')}, expected {STATE_VERSION}")
                for sid in current["sources"]:
                    data = (self.folder / "sources" / f"{sid}.json").read_bytes()
                    extractions[sid] = Extraction.model_validate_json(data)
                for name in current["link_segments"]:
                    for a, b, score in json.loads((self.folder / "links" / name).read_text()):
                        similarities[(a, b)] = float(score)
                for name in current.get("class_segments", []):
                    for row in json.loads((self.folder / "classes" / name).read_text()):
                        _remember(classes, CapabilityClass.model_validate(row))
                if current.get("embedding"):
                    embedding = (current["embedding"]["model"], int(current["embedding"]["dim"]))
                dim = embedding[1] if embedding else 384
                segments = [(self.folder / "vectors" / name).read_bytes() for name in current["vector_segments"]]
                ann = (self.folder / "vectors" / current["ann"]).read_bytes() if current.get("ann") else None
                index = VectorIndex.from_parts(dim, segments, ann)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise StoreUnavailable(
                    f"The store in {self.folder} cannot be read ({exc}); run `capgraph rebuild`"
                ) from exc
        self._generation, self._manifest = int(current.get("generation", 0)), current
        self._extractions, self._similarities, self._classes = extractions, similarities, classes
        self._embedding, self._index = embedding, index
        self._graph = build_graph(self._extractions.values(), self._sim_objects(), self._classes.values())

    def remember_class(self, cls: CapabilityClass) -> None:
        _remember(self._classes, cls)

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
        return [Similarity(a=a, b=b, score=s) for (a, b), s in sorted(self._similarities.items())]

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
        ann = self._manifest.get("ann")
        if self._index.ann_dirty:
            data = self._index.ann_bytes()
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
        }
        atomic_write(self.folder / "CURRENT", json.dumps(manifest).encode())
        self._generation, self._manifest, self._seen = gen, manifest, self._signature()
        self._index.ann_dirty = False
        self._collect_garbage()

    def _collect_garbage(self) -> None:
        """Delete files CURRENT does not name and temp files of killed writers; settle pending texts.
        Runs only under the write lock, so no other writer's files are in flight."""
        live = {
            *(f"sources/{sid}.json" for sid in self._manifest.get("sources", [])),
            *(f"vectors/{name}" for name in self._manifest.get("vector_segments", [])),
            *(f"links/{name}" for name in self._manifest.get("link_segments", [])),
            *(f"classes/{name}" for name in self._manifest.get("class_segments", [])),
            *([f"vectors/{self._manifest['ann']}"] if self._manifest.get("ann") else []),
        }
        for folder in ("sources", "vectors", "links", "classes"):
            for path in (self.folder / folder).glob("*"):
                if f"{folder}/{path.name}" not in live and not path.name.startswith("."):
                    with contextlib.suppress(OSError):
                        path.unlink()
        for sub in ("", "texts", "sources", "vectors", "links"):
            for path in (self.folder / sub).glob(".*.tmp"):
                with contextlib.suppress(OSError):
                    path.unlink()
        self._settle_texts()

    def _settle_texts(self) -> None:
        """A pending text stays (renamed to its final name) only if its source committed; a text set aside
        for removal goes only if its source is gone from CURRENT."""
        committed = set(self._manifest.get("sources", []))
        for path in (self.folder / "texts").glob(f"*{PENDING}"):
            final = path.with_name(path.name.removesuffix(PENDING))
            with contextlib.suppress(OSError):
                if final.name.split(".", 1)[0] in committed:
                    os.replace(path, final)
                else:
                    path.unlink()
        for path in (self.folder / "texts").glob(f"*{REMOVING}"):
            final = path.with_name(path.name.removesuffix(REMOVING))
            with contextlib.suppress(OSError):
                if final.name.split(".", 1)[0] in committed:
                    os.replace(path, final)
                else:
                    path.unlink()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Exclusive across threads and processes; reloads first if another process committed since."""
        with self._lock, self._file_lock:
            if int(self._current_or_empty().get("generation", 0)) != self._generation:
                self._load()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1

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
        """Saved as pending: the commit's garbage collection gives them their final names."""
        base = self.folder / "texts" / source.id
        if not base.with_suffix(".txt").exists():
            atomic_write(base.with_name(f"{source.id}.txt{PENDING}"), text.encode("utf-8"))
        meta = json.dumps({"title": source.title, "url": source.url}).encode()
        atomic_write(base.with_name(f"{source.id}.json{PENDING}"), meta)

    def _set_aside_text(self, source_id: str) -> None:
        """Before a removal commits: renamed back if it fails, deleted once it commits."""
        for suffix in (".txt", ".json"):
            path = self.folder / "texts" / f"{source_id}{suffix}"
            with contextlib.suppress(FileNotFoundError):
                os.replace(path, path.with_name(path.name + REMOVING))

    def _text_path(self, source_id: str) -> Path:
        """A committed source's text; `.pending` for the moment between its commit and the rename."""
        path = self.folder / "texts" / f"{source_id}.txt"
        pending = path.with_name(path.name + PENDING)
        return pending if not path.exists() and pending.exists() else path

    def stored_texts(self) -> list[tuple[str, str, str | None]]:
        """(text, title, url) of every stored text, for `rebuild`: committed ones only (not `.pending`)."""
        out = []
        for txt in sorted((self.folder / "texts").glob("*.txt")):
            meta_path = txt.with_suffix(".json")
            meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
            out.append((txt.read_text(encoding="utf-8"), meta.get("title") or "", meta.get("url")))
        return out


def _remember(classes: dict[str, CapabilityClass], cls: CapabilityClass) -> None:
    """Later writes of a class replace earlier ones and move to the end: replaying in this order gives
    each capability the class it joined last."""
    classes.pop(cls.id, None)
    classes[cls.id] = cls
