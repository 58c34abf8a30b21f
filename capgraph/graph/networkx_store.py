"""The embedded default store: a networkx graph in memory, durable in a data folder.

Layout of the folder:
  texts/<source id>.txt     raw texts, content-addressed (the graph can always be rebuilt from them)
  texts/<source id>.json    their title and url
  sources/<source id>.json  each source's extraction, written once
  vectors/seg-<n>.npz       the capability vectors added by generation n (append-only segments)
  vectors/ivf-<n>.faiss     the IVF index of a large store, rewritten only when retrained or refilled
  links/seg-<n>.json        the SIMILAR_TO links added by generation n
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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
from filelock import FileLock

from capgraph.embeddings.index import VectorIndex
from capgraph.errors import EmbeddingMismatch, ModelNotFound, NotFound, StoreUnavailable
from capgraph.graph.export import export_graph
from capgraph.graph.merge import (
    BENCHMARK,
    CAPABILITY,
    MODEL,
    SOURCE,
    apply_extraction,
    apply_similarities,
    build_graph,
    closest_names,
    lookup_key,
    model_from_node,
    node_key,
    refresh_counts,
)
from capgraph.graph.schema import (
    Capability,
    EdgeView,
    Evidence,
    Extraction,
    Model,
    NodeView,
    Similarity,
    Source,
    SourcedClaim,
    SourcedScore,
    SourceSummary,
    StoreStats,
    Subgraph,
)
from capgraph.graph.store import ExportFormat, IngestBatch, Matrix, RemovalResult, UpsertResult

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


def summarize(ex: Extraction) -> SourceSummary:
    return SourceSummary(
        source=ex.source,
        models=len(ex.models),
        capabilities=len(ex.capabilities),
        claims=len(ex.claims),
        scores=len(ex.scores),
        warnings=list(ex.warnings),
    )


class NetworkxStore:
    """GraphStore on networkx; one lock makes each call, and each `reading()` block, see one state."""

    def __init__(self, folder: str | os.PathLike[str], *, recover: bool = False):
        """`recover=True` opens an unreadable store as empty (keeping its texts) so `rebuild` can refill it."""
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for sub in ("texts", "sources", "vectors", "links"):
                (self.folder / sub).mkdir(exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"Cannot use {self.folder} as a store: {exc.strerror or exc}") from exc
        self._lock = threading.RLock()
        self._file_lock = FileLock(str(self.folder / ".write.lock"))
        self._generation = 0
        self._manifest: dict[str, Any] = {}
        self._extractions: dict[str, Extraction] = {}
        self._similarities: dict[tuple[str, str], float] = {}
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
        self._graph = build_graph(self._extractions.values(), self._sim_objects())

    def _sim_objects(self) -> list[Similarity]:
        return [Similarity(a=a, b=b, score=s) for (a, b), s in sorted(self._similarities.items())]

    def _commit(
        self,
        *,
        new_source: Extraction | None = None,
        new_vectors: Sequence[str] = (),
        new_links: Sequence[Similarity] = (),
        compact: bool = False,
    ) -> None:
        """Write what this generation adds, then switch CURRENT to the new manifest; unreferenced files go."""
        gen = self._generation + 1
        vector_segments = list(self._manifest.get("vector_segments", []))
        link_segments = list(self._manifest.get("link_segments", []))
        compact = compact or len(vector_segments) >= MAX_SEGMENTS or len(link_segments) >= MAX_SEGMENTS
        if new_source is not None:
            source_file = self.folder / "sources" / f"{new_source.source.id}.json"
            atomic_write(source_file, new_source.model_dump_json().encode())
        if compact:
            vector_segments, link_segments = [], []
            new_vectors = self._index.ids
            new_links = self._sim_objects()
        if new_vectors:
            vector_segments.append(f"seg-{gen:08d}.npz")
            atomic_write(self.folder / "vectors" / vector_segments[-1], self._index.segment_bytes(new_vectors))
        if new_links:
            link_segments.append(f"seg-{gen:08d}.json")
            rows = [[*_pair(s), s.score] for s in new_links]
            atomic_write(self.folder / "links" / link_segments[-1], json.dumps(rows, separators=(",", ":")).encode())
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
            *([f"vectors/{self._manifest['ivf']}"] if self._manifest.get("ivf") else []),
        }
        for folder in ("sources", "vectors", "links"):
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

    # ---------------------------------------------------------------- writes
    def upsert(self, batch: IngestBatch) -> UpsertResult:
        ex = batch.extraction
        with self._writing():
            if ex.source.id in self._extractions:
                return UpsertResult(
                    source_id=ex.source.id, created=False, summary=summarize(self._extractions[ex.source.id])
                )
            if (
                batch.embedding_model
                and self._embedding
                and ((batch.embedding_model, batch.embedding_dim) != self._embedding)
            ):
                raise EmbeddingMismatch(
                    f"The store holds {self._embedding[0]} vectors ({self._embedding[1]} dims) but the encoder "
                    f"is {batch.embedding_model} ({batch.embedding_dim}); run `capgraph reembed`."
                )
            stamped = ex.model_copy(deep=True)
            stamped.source.ingested_at = datetime.now(UTC).replace(microsecond=0)
            text_path = self.folder / "texts" / f"{stamped.source.id}.txt"
            self._pending_text = None if text_path.exists() else text_path
            self._save_text(stamped.source, batch.text)
            self._extractions[stamped.source.id] = stamped
            if batch.vectors:
                dims = {len(v) for v in batch.vectors.values()}
                if len(dims) != 1 or (len(self._index) and dims != {self._index.dim}):
                    raise EmbeddingMismatch(
                        f"Vectors of {sorted(dims)} dims do not fit the store's {self._index.dim}; "
                        "run `capgraph reembed`."
                    )
                if not len(self._index):
                    self._index = VectorIndex(dims.pop())
                self._index.add({k: np.asarray(v, dtype=np.float32) for k, v in batch.vectors.items()})
                if batch.embedding_model and batch.embedding_dim:
                    self._embedding = (batch.embedding_model, batch.embedding_dim)
            for s in batch.similarities:
                self._similarities[_pair(s)] = s.score
            apply_extraction(self._graph, stamped)
            apply_similarities(self._graph, batch.similarities)
            refresh_counts(self._graph)
            self._commit(new_source=stamped, new_vectors=list(batch.vectors), new_links=batch.similarities)
            return UpsertResult(source_id=stamped.source.id, created=True, summary=summarize(stamped))

    def remove_source(self, source_id: str) -> RemovalResult:
        with self._writing():
            if source_id not in self._extractions:
                raise NotFound(f"No source {source_id!r}.")
            before_models = self._ids(MODEL)
            before_caps = self._ids(CAPABILITY)
            del self._extractions[source_id]
            graph = build_graph(self._extractions.values())
            kept_caps = {d["id"] for _, d in graph.nodes(data=True) if d.get("label") == CAPABILITY}
            self._similarities = {
                k: v for k, v in self._similarities.items() if k[0] in kept_caps and k[1] in kept_caps
            }
            apply_similarities(graph, self._sim_objects())
            gone_caps = sorted(before_caps - kept_caps)
            self._index.remove(gone_caps)
            self._graph = graph
            self._commit(compact=True)
            (self.folder / "texts" / f"{source_id}.txt").unlink(missing_ok=True)
            (self.folder / "texts" / f"{source_id}.json").unlink(missing_ok=True)
            return RemovalResult(
                source_id=source_id,
                removed_models=sorted(before_models - self._ids(MODEL)),
                removed_capabilities=gone_caps,
            )

    def replace_embeddings(
        self, vectors: dict[str, list[float]], similarities: Sequence[Similarity], model: str, dim: int
    ) -> None:
        with self._writing():
            index = VectorIndex(dim)
            index.add({k: np.asarray(v, dtype=np.float32) for k, v in vectors.items()})
            self._index = index
            self._embedding = (model, dim)
            self._similarities = {_pair(s): s.score for s in similarities}
            self._graph = build_graph(self._extractions.values(), self._sim_objects())
            self._commit(compact=True)

    def clear(self) -> None:
        with self._writing():
            self._extractions, self._similarities, self._embedding = {}, {}, None
            self._index = VectorIndex(self._index.dim)
            self._graph = nx.MultiDiGraph()
            self._commit(compact=True)

    # ---------------------------------------------------------------- reads
    def _ids(self, label: str) -> set[str]:
        return {d["id"] for _, d in self._graph.nodes(data=True) if d.get("label") == label}

    def has_source(self, source_id: str) -> bool:
        with self._lock:
            return source_id in self._extractions

    def list_sources(self) -> list[Source]:
        with self._lock:
            return sorted((e.source for e in self._extractions.values()), key=lambda s: (s.title, s.id))

    def _extraction(self, source_id: str) -> Extraction:
        try:
            return self._extractions[source_id]
        except KeyError:
            raise NotFound(f"No source {source_id!r}.") from None

    def source_summary(self, source_id: str) -> SourceSummary:
        with self._lock:
            return summarize(self._extraction(source_id))

    def source_extraction(self, source_id: str) -> Extraction:
        with self._lock:
            return self._extraction(source_id).model_copy(deep=True)

    def source_text(self, source_id: str) -> str:
        with self._lock:
            self._extraction(source_id)
            return (self.folder / "texts" / f"{source_id}.txt").read_text(encoding="utf-8")

    def _name_index(self) -> dict[str, str]:
        """lookup key -> model id, for names, aliases and ids."""
        index: dict[str, str] = {}
        for _, d in self._graph.nodes(data=True):
            if d.get("label") == MODEL:
                for name in [d["id"], d.get("name", ""), *d.get("aliases", [])]:
                    if name:
                        index.setdefault(lookup_key(name), d["id"])
        return index

    def get_model(self, name_or_id: str) -> Model:
        with self._lock:
            key = node_key(MODEL, name_or_id)
            if key in self._graph:
                return model_from_node(self._graph.nodes[key])
            index = self._name_index()
            found = index.get(lookup_key(name_or_id))
            if found:
                return model_from_node(self._graph.nodes[node_key(MODEL, found)])
            names = {k: self._graph.nodes[node_key(MODEL, v)].get("name", v) for k, v in index.items()}
            raise ModelNotFound(name_or_id, closest_names(name_or_id, names))

    def model_names(self) -> dict[str, list[str]]:
        with self._lock:
            return {
                d["id"]: [d.get("name", d["id"]), *d.get("aliases", [])]
                for _, d in self._graph.nodes(data=True)
                if d.get("label") == MODEL
            }

    def list_models(
        self, prefix: str | None = None, kind: str | None = None, offset: int = 0, limit: int = 100
    ) -> tuple[list[Model], int]:
        with self._lock:
            models = [model_from_node(d) for _, d in self._graph.nodes(data=True) if d.get("label") == MODEL]
        if prefix:
            p = prefix.lower()
            models = [m for m in models if m.name.lower().startswith(p) or m.id.startswith(p)]
        if kind:
            models = [m for m in models if m.kind.lower() == kind.lower()]
        models.sort(key=lambda m: (m.name.lower(), m.id))
        return models[offset : offset + limit], len(models)

    def _capability(self, data: dict[str, Any]) -> Capability:
        # validated when it was ingested; re-validating thousands per query showed up in profiles
        fields: dict[str, Any] = {f: data.get(f) for f in _CAPABILITY_FIELDS}
        return Capability.model_construct(**fields)

    def capabilities(self, model_id: str) -> list[Capability]:
        with self._lock:
            key = node_key(MODEL, model_id)
            if key not in self._graph:
                raise ModelNotFound(model_id)
            caps = [
                self._capability(self._graph.nodes[v])
                for _, v, k in self._graph.out_edges(key, keys=True)
                if k == "HAS_CAPABILITY"
            ]
        return sorted(caps, key=lambda c: c.id)

    def get_capabilities(self, capability_ids: Sequence[str]) -> list[Capability]:
        with self._lock:
            out = []
            for cid in capability_ids:
                key = node_key(CAPABILITY, cid)
                if key not in self._graph:
                    raise NotFound(f"No capability {cid!r}.")
                out.append(self._capability(self._graph.nodes[key]))
            return out

    def all_capability_ids(self) -> list[str]:
        with self._lock:
            return sorted(self._ids(CAPABILITY))

    def claims(self, model_id: str) -> list[SourcedClaim]:
        with self._lock:
            key = node_key(MODEL, model_id)
            out = []
            for u, _, k, d in self._graph.in_edges(key, keys=True, data=True):
                if k.startswith("STATES|"):
                    src = self._graph.nodes[u]
                    out.append(
                        SourcedClaim(
                            model_id=model_id,
                            attribute=d["attribute"],
                            value=d["value"],
                            number=d.get("number"),
                            unit=d.get("unit"),
                            source_id=src["id"],
                            source_title=src.get("title", ""),
                        )
                    )
        return sorted(out, key=lambda c: (c.attribute, c.source_title, c.source_id, c.value))

    def scores(self, model_id: str) -> list[SourcedScore]:
        with self._lock:
            key = node_key(MODEL, model_id)
            out = (
                [
                    SourcedScore(
                        model_id=model_id,
                        benchmark=self._graph.nodes[v]["name"],
                        value=d["value"],
                        unit=d.get("unit"),
                        sources=list(d["sources"]),
                    )
                    for _, v, k, d in self._graph.out_edges(key, keys=True, data=True)
                    if k.startswith("SCORED|")
                ]
                if key in self._graph
                else []
            )
        return sorted(out, key=lambda s: (s.benchmark, s.value))

    def evidence(self, model_id: str) -> list[Evidence]:
        """COMPARED_WITH and VARIANT_OF in both directions; CONTRASTED_WITH from or to the model's capabilities."""
        with self._lock:
            key = node_key(MODEL, model_id)
            if key not in self._graph:
                return []
            g = self._graph
            out: list[Evidence] = []
            for u, v, k, d in [*g.out_edges(key, keys=True, data=True), *g.in_edges(key, keys=True, data=True)]:
                other = v if u == key else u
                if k in ("COMPARED_WITH", "VARIANT_OF"):
                    out.append(
                        Evidence(kind=k, model_id=model_id, other_id=g.nodes[other]["id"], sources=list(d["sources"]))
                    )
                elif k == "CONTRASTED_WITH":  # another model's capability names this model
                    cap = g.nodes[u]
                    out.append(
                        Evidence(
                            kind=k,
                            model_id=model_id,
                            other_id=cap["model_id"],
                            sources=list(d["sources"]),
                            capability_id=cap["id"],
                        )
                    )
            for _, cap_key, k in g.out_edges(key, keys=True):
                if k != "HAS_CAPABILITY":
                    continue
                for _, target, k2, d in g.out_edges(cap_key, keys=True, data=True):
                    if k2 == "CONTRASTED_WITH":
                        out.append(
                            Evidence(
                                kind=k2,
                                model_id=model_id,
                                other_id=g.nodes[target]["id"],
                                sources=list(d["sources"]),
                                capability_id=g.nodes[cap_key]["id"],
                            )
                        )
        return sorted(out, key=lambda e: (e.kind, e.other_id, e.capability_id or ""))

    def similar_links(self, capability_id: str) -> list[Similarity]:
        with self._lock:
            key = node_key(CAPABILITY, capability_id)
            if key not in self._graph:
                raise NotFound(f"No capability {capability_id!r}.")
            out = []
            for u, v, k, d in [
                *self._graph.out_edges(key, keys=True, data=True),
                *self._graph.in_edges(key, keys=True, data=True),
            ]:
                if k == "SIMILAR_TO":
                    other = v if u == key else u
                    out.append(Similarity(a=capability_id, b=self._graph.nodes[other]["id"], score=d["score"]))
        return sorted(out, key=lambda s: (-s.score, s.b))

    # ---------------------------------------------------------------- vectors
    def embedding_info(self) -> tuple[str, int] | None:
        with self._lock:
            return self._embedding

    def vectors(self, capability_ids: Sequence[str]) -> Matrix:
        with self._lock:
            missing = [c for c in capability_ids if c not in self._index]
            if missing:
                raise NotFound(f"No vector for capabilities {missing[:3]}; run `capgraph reembed`.")
            return self._index.get(capability_ids).copy()

    def has_vectors(self, capability_ids: Sequence[str]) -> list[bool]:
        with self._lock:
            return [c in self._index for c in capability_ids]

    def nearest(self, queries: Matrix, k: int) -> list[list[tuple[str, float]]]:
        with self._lock:
            return self._index.search(queries, k)

    # ---------------------------------------------------------------- whole graph
    def _node_view(self, key: str) -> NodeView:
        d = self._graph.nodes[key]
        label = d.get("label", "")
        caption = d.get("title") if label == SOURCE else d.get("name", d.get("id"))
        props = {k: v for k, v in d.items() if k not in ("facts", "label", "embedding")}
        return NodeView(id=key, label=label, caption=str(caption or d.get("id")), properties=props)

    def neighborhood(self, node_id: str, depth: int = 1, limit: int = 300) -> Subgraph:
        with self._lock:
            key = self._resolve_node(node_id)
            undirected = self._graph.to_undirected(as_view=True)
            lengths = nx.single_source_shortest_path_length(undirected, key, cutoff=depth)
            keep = sorted(lengths, key=lambda n: (lengths[n], n))[:limit]
            sub = self._graph.subgraph(keep)
            nodes = [self._node_view(n) for n in keep]
            edges = [
                EdgeView(
                    source=u,
                    target=v,
                    type=d.get("type", k.split("|")[0]),
                    properties={x: y for x, y in d.items() if x != "type"},
                )
                for u, v, k, d in sorted(sub.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
            ]
            return Subgraph(nodes=nodes, edges=edges)

    def _resolve_node(self, node_id: str) -> str:
        if node_id in self._graph:
            return node_id
        for label in (MODEL, CAPABILITY, SOURCE, BENCHMARK):
            if node_key(label, node_id) in self._graph:
                return node_key(label, node_id)
        return node_key(MODEL, self.get_model(node_id).id)

    def stats(self) -> StoreStats:
        with self._lock:
            labels: dict[str, int] = {}
            for _, d in self._graph.nodes(data=True):
                labels[d.get("label", "")] = labels.get(d.get("label", ""), 0) + 1
            rels: dict[str, int] = {}
            for _, _, d in self._graph.edges(data=True):
                rels[d["type"]] = rels.get(d["type"], 0) + 1
            return StoreStats(
                sources=labels.get(SOURCE, 0),
                models=labels.get(MODEL, 0),
                capabilities=labels.get(CAPABILITY, 0),
                benchmarks=labels.get(BENCHMARK, 0),
                relationships=dict(sorted(rels.items())),
                embedding_model=self._embedding[0] if self._embedding else None,
                embedding_dim=self._embedding[1] if self._embedding else None,
            )

    def export(self, fmt: ExportFormat) -> str:
        """GraphML (Gephi, Cytoscape) or node-link JSON; list properties become JSON strings in GraphML."""
        with self._lock:
            return export_graph(self._graph, fmt)

    def close(self) -> None:
        return None
