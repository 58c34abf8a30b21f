"""What the CLI and the HTTP API share: the store, the encoder and the resolver, opened once.

The encoder is created lazily: commands that only read the graph never import torch.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from capgraph.api.settings import Settings
from capgraph.embeddings.encoder import Encoder
from capgraph.graph import match
from capgraph.graph.errors import CapgraphError, ModelNotFound, Unsupported
from capgraph.graph.schema import Capability, Evidence, Model, SourcedClaim, SourcedScore
from capgraph.graph.search.alternatives import AlternativesAnswer
from capgraph.graph.search.answers import Answers
from capgraph.graph.search.hybrid import SearchAnswer
from capgraph.graph.search.leaderboard import Leaderboard
from capgraph.graph.store import GraphStore, open_store
from capgraph.ingest.pipeline import (
    IngestReport,
    Prepared,
    check_encoder,
    ingest_prepared,
    ingest_text,
    prepare,
    reembed,
    unencoded_texts,
)
from capgraph.ingest.resolve import Resolver

if TYPE_CHECKING:  # graph.cypher imports the Neo4j driver; only Cypher calls need it
    from capgraph.graph.cypher import CypherParams, CypherResult

# Documents parsed and encoded together by `ingest_paths`: enough to fill batches of 16, few enough
# that the first write comes soon and the encoder's cache (4096 texts) holds the whole chunk.
INGEST_CHUNK = 32
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}


class FolderReport(BaseModel):
    """Summary of a multi-file ingest, printed at the end of `capgraph ingest`."""

    new: int = 0
    unchanged: int = 0
    failed: dict[str, str] = Field(default_factory=dict)
    models: int = 0
    capabilities: int = 0
    encoded: int = 0
    warnings: dict[str, list[str]] = Field(default_factory=dict)


class ModelFacts(BaseModel):
    """Everything the store holds about one model, read in one consistent view."""

    model: Model
    capabilities: list[Capability]
    claims: list[SourcedClaim]
    scores: list[SourcedScore]
    evidence: list[Evidence]


class Services:
    def __init__(
        self, settings: Settings | None = None, store: GraphStore | None = None, encoder: Encoder | None = None
    ):
        self.settings = settings or Settings()
        self._store = store
        self._encoder: Encoder | None = encoder
        self._resolver: Resolver | None = None
        self._answers: Answers | None = None
        self._lock = threading.Lock()

    @property
    def store(self) -> GraphStore:
        if self._store is None:
            options: dict[str, object] = {}
            if "://" in self.settings.store:
                options = {
                    "user": self.settings.neo4j_user,
                    "password": self.settings.neo4j_password.get_secret_value()
                    if self.settings.neo4j_password
                    else None,
                    "database": self.settings.neo4j_database,
                }
            self._store = open_store(self.settings.store, **options)
        return self._store

    @property
    def encoder(self) -> Encoder:
        with self._lock:
            if self._encoder is None:
                self._encoder = Encoder(self.settings.model)
            return self._encoder

    @property
    def resolver(self) -> Resolver:
        if self._resolver is None:
            self._resolver = Resolver.from_file(Path(self.settings.aliases)) if self.settings.aliases else Resolver()
        return self._resolver

    def model(self, name: str) -> Model:
        """A model by id, name or alias; falls back to the resolver's canonical form ("OpenAI: GPT-4o")."""
        try:
            return self.store.get_model(name)
        except ModelNotFound as first:
            try:
                canonical = self.resolver.canonical(name)
            except Exception:
                raise first from None
            try:
                return self.store.get_model(canonical.id)
            except ModelNotFound:
                raise first from None

    def ingest(self, data: bytes | str, title: str | None = None, url: str | None = None) -> IngestReport:
        report = ingest_text(self.store, self.encoder, data, title=title, url=url, resolver=self.resolver)
        if self._answers is not None:
            self._answers.invalidate()
        return report

    def ingest_paths(self, paths: Iterable[Path], progress: object = None) -> FolderReport:
        """Ingest files in chunks: parse a chunk, encode all its new capability texts in one length-sorted
        call (fewer, fuller batches), then write each document on its own, so a crash loses no finished one."""
        report = FolderReport()
        files = list(expand_paths(paths))

        def tick() -> None:
            if progress is not None:
                progress.advance()  # type: ignore[attr-defined]

        for start in range(0, len(files), INGEST_CHUNK):
            prepared: list[tuple[Path, Prepared]] = []
            for path in files[start : start + INGEST_CHUNK]:
                try:
                    prepared.append((path, prepare(path.read_bytes(), resolver=self.resolver)))
                except CapgraphError as exc:
                    report.failed[str(path)] = str(exc)
                    tick()
                except OSError as exc:
                    report.failed[str(path)] = f"cannot read: {exc.strerror or exc}"
                    tick()
            texts = list(dict.fromkeys(t for _, p in prepared for t in unencoded_texts(self.store, p.extraction)))
            if texts:
                check_encoder(self.store, self.encoder)
                self.encoder.encode(texts)  # fills the encoder's cache; the writes below hit it
                report.encoded += self.encoder.encoded_by_last_call
            for path, item in prepared:
                try:
                    result = ingest_prepared(self.store, self.encoder, item)
                except CapgraphError as exc:
                    report.failed[str(path)] = str(exc)
                else:
                    report.new += int(result.result.created)
                    report.unchanged += int(not result.result.created)
                    report.encoded += result.encoded
                    if result.warnings:
                        report.warnings[str(path)] = result.warnings
                tick()
        if self._answers is not None:
            self._answers.invalidate()
        stats = self.store.stats()
        report.models, report.capabilities = stats.models, stats.capabilities
        return report

    def rebuild(self) -> FolderReport:
        """Recreate the graph from the stored raw texts, keeping known vectors so nothing is re-encoded."""
        store = self.store
        texts = store.stored_texts()
        ids = store.all_capability_ids()
        known = [i for i, has in zip(ids, store.has_vectors(ids), strict=True) if has]
        if known and (info := store.embedding_info()) and info[0] == self.encoder.name:
            from capgraph.ingest.pipeline import embedding_text

            caps = store.get_capabilities(known)
            self.encoder.prime([embedding_text(c) for c in caps], store.vectors(known))
        store.clear()
        report = FolderReport()
        for text, title, url in texts:
            try:
                result = self.ingest(text, title=title or None, url=url)
            except CapgraphError as exc:
                report.failed[title or "(untitled)"] = str(exc)
                continue
            report.new += int(result.result.created)
            report.unchanged += int(not result.result.created)
            report.encoded += result.encoded
        stats = store.stats()
        report.models, report.capabilities = stats.models, stats.capabilities
        return report

    def reembed(self) -> int:
        return reembed(self.store, self.encoder)

    @property
    def answers(self) -> Answers:
        """Search, alternatives and leaderboards over this store, cached until the store changes."""
        if self._answers is None:
            self._answers = Answers(self.store, lambda: self.encoder)
        return self._answers

    def alternatives(self, name: str, k: int = 10) -> AlternativesAnswer:
        return self.answers.alternatives(self.model(name).id, k)

    def leaderboard(self, benchmark: str, k: int = 50) -> Leaderboard:
        return self.answers.leaderboard(benchmark, k)

    def overlap(self, a: str, b: str) -> match.Overlap:
        return match.overlap(self.store, self.model(a).id, self.model(b).id)

    def compare(self, a: str, b: str) -> match.Comparison:
        return match.compare(self.store, self.model(a).id, self.model(b).id)

    def search(self, text: str, k: int = 10) -> SearchAnswer:
        return self.answers.search(text, k)

    def model_facts(self, name: str) -> ModelFacts:
        store = self.store
        with store.reading():
            model = self.model(name)
            return ModelFacts(
                model=model,
                capabilities=store.capabilities(model.id),
                claims=store.claims(model.id),
                scores=store.scores(model.id),
                evidence=store.evidence(model.id),
            )

    def similar(self, capability_id: str, k: int = 10) -> tuple[Capability, list[tuple[match.CapabilityRef, float]]]:
        """A capability and the nearest capabilities of other models to it."""
        store = self.store
        with store.reading():
            capability = store.get_capabilities([capability_id])[0]
            return capability, match.similar_capabilities(store, capability.id, k)

    def cypher(self, request: CypherParams) -> CypherResult:
        """A read-only Cypher query on the Neo4j store (the embedded store has no Cypher)."""
        from capgraph.graph.cypher import run_read_only
        from capgraph.graph.neo4j_store import Neo4jStore

        backend = self.store
        if not isinstance(backend, Neo4jStore):
            raise Unsupported(
                f"Cypher needs a Neo4j store; {self.settings.store!r} is the embedded store. "
                "Use CAPGRAPH_STORE=neo4j://127.0.0.1:7687 (see `capgraph sync`)."
            )
        return run_read_only(
            backend,
            request.query,
            request.params,
            timeout_s=request.timeout_s or self.settings.cypher_timeout_s,
            row_limit=request.row_limit or self.settings.cypher_row_limit,
        )

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


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
