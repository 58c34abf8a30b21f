"""The embedded default store: a networkx graph in memory, durable in a data folder.

Layout of the folder:
  texts/<source id>.txt     raw texts, content-addressed (the graph can always be rebuilt from them)
  texts/<source id>.json    their title and url
  sources/<source id>.json  each source's extraction, written once
  vectors/seg-<n>.npz       the capability vectors added by generation n (append-only segments)
  vectors/ivf-<n>.faiss     the IVF index of a large store, rewritten only when retrained or refilled
  links/seg-<n>.json        the SIMILAR_TO links added by generation n
  classes/seg-<n>.json      the capability classes generation n created or grew (replayed in order)
  CURRENT                   the manifest: which of these files make the live state; replaced atomically

A document's write adds small files and a new manifest, so its cost does not grow with the store;
removals and re-embeddings compact the segments into one, as does a write past MAX_SEGMENTS.
Every write goes to new files first (temp, fsync, rename) and only then replaces CURRENT, so a
process killed at any moment leaves the previous generation or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import networkx as nx
from filelock import FileLock

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
        self._pending_text: Path | None = None
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

    def _load(self) -> None:
        current = self._current()
        self._generation = int(current.get("generation", 0))
        self._manifest = current
        self._extractions = {}
        self._similarities = {}
        self._classes = {}
        self._embedding = None
        self._index = VectorIndex(384)
        if current:
            try:
                if current.get("version") != STATE_VERSION:
                    raise ValueError(f"format version {current.get('version')}, expected {STATE_VERSION}")
                for sid in current["sources"]:
                    data = (self.folder / "sources" / f"{sid}.json").read_bytes()
                    self._extractions[sid] = Extraction.model_validate_json(data)
                for name in current["link_segments"]:
                    for a, b, score in json.loads((self.folder / "links" / name).read_text()):
                        self._similarities[(a, b)] = float(score)
                for name in current.get("class_segments", []):
                    for row in json.loads((self.folder / "classes" / name).read_text()):
                        self.remember_class(CapabilityClass.model_validate(row))
                if current.get("embedding"):
                    self._embedding = (current["embedding"]["model"], int(current["embedding"]["dim"]))
                dim = self._embedding[1] if self._embedding else 384
                segments = [(self.folder / "vectors" / name).read_bytes() for name in current["vector_segments"]]
                ivf = (self.folder / "vectors" / current["ivf"]).read_bytes() if current.get("ivf") else None
                self._index = VectorIndex.from_parts(dim, segments, ivf)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise StoreUnavailable(
                    f"The store in {self.folder} cannot be read ({exc}); run `capgraph rebuild`"
                ) from exc
        self._graph = build_graph(self._extractions.values(), self._sim_objects(), self._classes.values())

    def remember_class(self, cls: CapabilityClass) -> None:
        """Later writes of a class replace earlier ones and move to the end: replaying in this order
        gives each capability the class it joined last."""
        self._classes.pop(cls.id, None)
        self._classes[cls.id] = cls

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
        ivf = self._manifest.get("ivf")
        if self._index.ivf_dirty:
            data = self._index.ivf_bytes()
            ivf = None if data is None else f"ivf-{gen:08d}.faiss"
            if data is not None:
                atomic_write(self.folder / "vectors" / f"ivf-{gen:08d}.faiss", data)
        manifest = {
            "version": STATE_VERSION,
            "generation": gen,
            "sources": list(self._extractions),
            "vector_segments": vector_segments,
            "link_segments": link_segments,
            "class_segments": class_segments,
            "ivf": ivf,
            "embedding": {"model": self._embedding[0], "dim": self._embedding[1]} if self._embedding else None,
        }
        atomic_write(self.folder / "CURRENT", json.dumps(manifest).encode())
        self._generation, self._manifest = gen, manifest
        self._index.ivf_dirty = False
        self._collect_garbage()

    def _collect_garbage(self) -> None:
        live = {
            *(f"sources/{sid}.json" for sid in self._manifest["sources"]),
            *(f"vectors/{name}" for name in self._manifest["vector_segments"]),
            *(f"links/{name}" for name in self._manifest["link_segments"]),
            *(f"classes/{name}" for name in self._manifest.get("class_segments", [])),
            *([f"vectors/{self._manifest['ivf']}"] if self._manifest.get("ivf") else []),
        }
        for folder in ("sources", "vectors", "links", "classes"):
            for path in (self.folder / folder).glob("*"):
                if f"{folder}/{path.name}" not in live and not path.name.startswith("."):
                    with contextlib.suppress(OSError):
                        path.unlink()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Exclusive across threads and processes; reloads first if another process committed since."""
        with self._lock, self._file_lock:
            if int(self._current_or_empty().get("generation", 0)) != self._generation:
                self._load()
            yield

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """`exclusive`, and on failure back to the last committed state."""
        with self.exclusive():
            self._pending_text = None
            try:
                yield
            except BaseException:
                if self._pending_text is not None:  # a text saved for a write that did not commit
                    self._pending_text.unlink(missing_ok=True)
                    self._pending_text.with_suffix(".json").unlink(missing_ok=True)
                self._load()  # the files still hold the last good state
                raise

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        with self._lock:
            yield

    def _save_text(self, source: Source, text: str) -> None:
        base = self.folder / "texts" / source.id
        txt = base.with_suffix(".txt")
        if not txt.exists():
            atomic_write(txt, text.encode("utf-8"))
        atomic_write(base.with_suffix(".json"), json.dumps({"title": source.title, "url": source.url}).encode())

    def stored_texts(self) -> list[tuple[str, str, str | None]]:
        """(text, title, url) of every stored text, for `rebuild`."""
        out = []
        for txt in sorted((self.folder / "texts").glob("*.txt")):
            meta_path = txt.with_suffix(".json")
            meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
            out.append((txt.read_text(encoding="utf-8"), meta.get("title") or "", meta.get("url")))
        return out
