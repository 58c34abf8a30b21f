"""Writes: the ingest pipeline (decode -> parse -> resolve -> embed -> link -> store), folder ingest,
rebuild and reembed. CLI, HTTP and (later) MCP all call `IngestService`.

Batching is explicit: a chunk of documents is parsed, its new capability texts are encoded in one call,
and the vectors are handed down to each document's write. Encoding happens before the store is touched,
so a document is written in one `upsert` with its vectors and similarity links: a failure anywhere leaves
the store as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field

from capgraph.app.backends import open_store
from capgraph.app.container import Container
from capgraph.app.settings import Settings
from capgraph.embeddings.encoder import TextEncoder
from capgraph.errors import CapgraphError
from capgraph.graph.classes import classify
from capgraph.graph.schema import Capability, Extraction, Similarity
from capgraph.graph.similarity import (
    NEIGHBOURS,
    all_similarity_links,
    check_compatible,
    embedding_text,
    similarity_links,
)
from capgraph.graph.store import GraphStore, IngestBatch, RemovalResult, UpsertResult
from capgraph.graph.sync import SyncReport, sync

if TYPE_CHECKING:  # the parsers load on the first parse, not for read-only commands (cold start)
    from capgraph.ingest.resolve import Resolver

# Documents parsed and encoded together by `paths`: enough to fill batches of 16, few enough that the
# first write comes soon.
INGEST_CHUNK = 32
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}

Vector = npt.NDArray[np.float32]  # one row of an encoder's output


class Progress(Protocol):
    def advance(self) -> None: ...


class IngestReport(BaseModel):
    result: UpsertResult
    encoded: int = Field(0, description="capability texts run through the model (0 when all were known)")
    warnings: list[str] = Field(default_factory=list)


class FolderReport(BaseModel):
    """Summary of a multi-file ingest, printed at the end of `capgraph ingest`."""

    new: int = 0
    unchanged: int = 0
    failed: dict[str, str] = Field(default_factory=dict)
    models: int = 0
    capabilities: int = 0
    encoded: int = 0
    warnings: dict[str, list[str]] = Field(default_factory=dict)

    def add(self, report: IngestReport) -> None:
        self.new += int(report.result.created)
        self.unchanged += int(not report.result.created)
        self.encoded += report.encoded


class Prepared(NamedTuple):
    text: str
    extraction: Extraction


def prepare(data: bytes | str, *, title: str | None = None, url: str | None = None, resolver: Resolver) -> Prepared:
    """Decode and parse, nothing else: the pure half of an ingest (decode warnings folded in)."""
    from capgraph.ingest import decode_text, parse_text

    text, decode_warnings = decode_text(data)
    extraction = parse_text(text, title=title, url=url, resolver=resolver)
    extraction.warnings = [*decode_warnings, *extraction.warnings]
    return Prepared(text, extraction)


def unembedded(store: GraphStore, extraction: Extraction) -> list[Capability]:
    """The extraction's capabilities that the store has no vector for (the ones that need encoding)."""
    capabilities = extraction.capabilities
    known = store.has_vectors([c.id for c in capabilities]) if capabilities else []
    return [c for c, has in zip(capabilities, known, strict=True) if not has]


def write_prepared(
    store: GraphStore,
    encoder: TextEncoder,
    prepared: Prepared,
    encoded: Mapping[str, Vector] | None = None,
    class_hints: Mapping[str, str] | None = None,
) -> IngestReport:
    """Embed, link, classify and write one prepared document. `encoded` holds vectors the caller already
    computed (by embedding text); only texts missing from it go through the encoder. The caller has checked
    that the encoder fits the store's vectors. `class_hints` (capability id -> class id) keeps classes
    across `rebuild`."""
    text, extraction = prepared
    if store.has_source(extraction.source.id):
        summary = store.source_summary(extraction.source.id)
        return IngestReport(result=UpsertResult(source_id=extraction.source.id, created=False, summary=summary))
    new = unembedded(store, extraction)
    count, given = 0, dict(encoded or {})
    missing = list(dict.fromkeys(embedding_text(c) for c in new if embedding_text(c) not in given))
    if missing:
        given.update(zip(missing, encoder.encode(missing), strict=True))
        count = encoder.encoded_by_last_call
    matrix = np.asarray([given[embedding_text(c)] for c in new], dtype=np.float32)
    vectors = {c.id: row.tolist() for c, row in zip(new, matrix, strict=True)}
    # Linking and writing happen under the store's exclusive lock, so two documents ingested at the same
    # time still see (and link to) each other; the slow part, encoding, stays outside it.
    with store.exclusive():
        neighbours = store.nearest(matrix, NEIGHBOURS) if vectors else []
        similarities: list[Similarity] = similarity_links(store, new, matrix, neighbours=neighbours) if vectors else []
        classes = classify(store, new, matrix, neighbours, class_hints) if vectors else []
        batch = IngestBatch(
            extraction=extraction,
            text=text,
            vectors=vectors,
            similarities=similarities,
            embedding_model=encoder.name if vectors else None,
            embedding_dim=int(matrix.shape[1]) if vectors else None,
            classes=classes,
        )
        result = store.upsert(batch)
    return IngestReport(result=result, encoded=count, warnings=extraction.warnings)


def expand_paths(paths: Iterable[Path]) -> Iterable[Path]:
    """Files as given; folders walked for text files, in a stable order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and not p.name.startswith(".")
            )
        else:
            yield path


class IngestService:
    """Every write the interfaces offer."""

    def __init__(self, container: Container) -> None:
        self._c = container

    def _check_encoder(self) -> None:
        check_compatible(self._c.store.embedding_info(), self._c.encoder.name)

    def parse(self, data: bytes | str, title: str | None = None, url: str | None = None) -> Extraction:
        """Parse only (nothing stored), with the configured aliases."""
        return prepare(data, title=title, url=url, resolver=self._c.resolver).extraction

    def text(self, data: bytes | str, title: str | None = None, url: str | None = None) -> IngestReport:
        """Ingest one document. Re-ingesting a known text changes nothing and encodes nothing."""
        prepared = prepare(data, title=title, url=url, resolver=self._c.resolver)
        if prepared.extraction.capabilities and not self._c.store.has_source(prepared.extraction.source.id):
            self._check_encoder()
        try:
            return write_prepared(self._c.store, self._c.encoder, prepared)
        finally:
            self._c.changed()

    def paths(self, paths: Iterable[Path], progress: Progress | None = None) -> FolderReport:
        """Ingest files in chunks: parse a chunk, encode all its new capability texts in one length-sorted
        call (fewer, fuller batches), then write each document on its own, so a crash loses no finished one."""
        store, report = self._c.store, FolderReport()
        files = list(expand_paths(paths))
        for start in range(0, len(files), INGEST_CHUNK):
            prepared: list[tuple[Path, Prepared]] = []
            for path in files[start : start + INGEST_CHUNK]:
                try:
                    prepared.append((path, prepare(path.read_bytes(), resolver=self._c.resolver)))
                    continue
                except CapgraphError as exc:
                    report.failed[str(path)] = str(exc)
                except OSError as exc:
                    report.failed[str(path)] = f"cannot read: {exc.strerror or exc}"
                if progress is not None:
                    progress.advance()
            texts = list(
                dict.fromkeys(
                    embedding_text(c)
                    for _, item in prepared
                    if not store.has_source(item.extraction.source.id)
                    for c in unembedded(store, item.extraction)
                )
            )
            encoded: dict[str, Vector] = {}
            if texts:
                self._check_encoder()
                encoded = dict(zip(texts, self._c.encoder.encode(texts), strict=True))
                report.encoded += self._c.encoder.encoded_by_last_call
            for path, item in prepared:
                try:
                    result = write_prepared(store, self._c.encoder, item, encoded)
                except CapgraphError as exc:
                    report.failed[str(path)] = str(exc)
                else:
                    report.add(result)
                    if result.warnings:
                        report.warnings[str(path)] = result.warnings
                if progress is not None:
                    progress.advance()
        self._c.changed()
        stats = store.stats()
        report.models, report.capabilities = stats.models, stats.capabilities
        return report

    def rebuild(self) -> FolderReport:
        """Recreate the graph from the stored raw texts, keeping known vectors so nothing is re-encoded."""
        store, encoder = self._c.store, self._c.encoder
        texts = store.stored_texts()
        ids = store.all_capability_ids()
        known_ids = [i for i, has in zip(ids, store.has_vectors(ids), strict=True) if has]
        hints = store.class_memberships(ids) if ids else {}
        known: dict[str, Vector] = {}
        if known_ids and (info := store.embedding_info()) and info[0] == encoder.name:
            caps = store.get_capabilities(known_ids)
            known = dict(zip((embedding_text(c) for c in caps), store.vectors(known_ids), strict=True))
        store.clear()
        report = FolderReport()
        for text, title, url in texts:
            try:
                prepared = prepare(text, title=title or None, url=url, resolver=self._c.resolver)
                report.add(write_prepared(store, encoder, prepared, known, hints))
            except CapgraphError as exc:
                report.failed[title or "(untitled)"] = str(exc)
        self._c.changed(rewritten=True)
        stats = store.stats()
        report.models, report.capabilities = stats.models, stats.capabilities
        return report

    def reembed(self) -> int:
        """Re-encode every capability with the configured model and recompute SIMILAR_TO; returns the count."""
        count = reembed(self._c.store, self._c.encoder)
        self._c.changed(rewritten=True)
        return count

    def remove(self, source_id: str, *, prefix: bool = False) -> RemovalResult:
        """Remove a source (by id, or with `prefix` by an unambiguous start of one) and exactly what only it
        supported."""
        store = self._c.store
        if prefix:
            matches = [s.id for s in store.list_sources() if s.id.startswith(source_id)]
            if len(matches) > 1:
                raise CapgraphError(f"{source_id!r} is the start of {len(matches)} source ids; give more of it.")
            source_id = matches[0] if matches else source_id
        try:
            return store.remove_source(source_id)
        finally:
            self._c.changed()

    def sync_to(self, target: Settings) -> SyncReport:
        """Copy this store into the one `target` points at (texts, extractions, vectors, links)."""
        destination = open_store(target)
        try:
            return sync(self._c.store, destination)
        finally:
            destination.close()


def reembed(store: GraphStore, encoder: TextEncoder) -> int:
    """Re-encode every capability with `encoder` and recompute SIMILAR_TO; returns the count."""
    capabilities = store.get_capabilities(store.all_capability_ids())
    matrix = (
        encoder.encode([embedding_text(c) for c in capabilities])
        if capabilities
        else np.zeros((0, 0), dtype=np.float32)
    )
    vectors = {c.id: row.tolist() for c, row in zip(capabilities, matrix, strict=True)}
    store.replace_embeddings(vectors, all_similarity_links(capabilities, matrix), encoder.name, encoder.dim)
    return len(capabilities)
