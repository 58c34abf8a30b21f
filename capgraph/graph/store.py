"""The storage roles (writer, source archive, reader, vector search) and `GraphStore`, all four in one.

Two implementations: `NetworkxStore` (embedded default) and `Neo4jStore`. This module imports only domain
types; the backend is picked in one place, `capgraph.app.backends.open_store`.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from capgraph.graph.schema import (
    Capability,
    CapabilityClass,
    Evidence,
    Extraction,
    Model,
    Similarity,
    Source,
    SourcedClaim,
    SourcedScore,
    SourceSummary,
    StoreStats,
    Subgraph,
)
from capgraph.graph.usage import UsageLog

Matrix = npt.NDArray[np.float32]
ExportFormat = Literal["graphml", "json"]


class IngestBatch(BaseModel):
    """One document ready to write: its extraction, raw text, new vectors and new similarity links."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    extraction: Extraction
    text: str
    vectors: dict[str, list[float]] = Field(default_factory=dict)
    similarities: list[Similarity] = Field(default_factory=list)
    embedding_model: str | None = None
    embedding_dim: int | None = None
    classes: list[CapabilityClass] = Field(
        default_factory=list,
        description="the whole new state of each class this document creates or grows (`graph.classes.classify`);"
        " members the store does not hold after the write are skipped",
    )


class UpsertResult(BaseModel):
    source_id: str
    created: bool
    summary: SourceSummary


class RemovalResult(BaseModel):
    source_id: str
    removed_models: list[str] = Field(default_factory=list)
    removed_capabilities: list[str] = Field(default_factory=list)


class GraphWriter(Protocol):
    """Writes: each call is one unit; a failure leaves the store as it was."""

    def upsert(self, batch: IngestBatch) -> UpsertResult: ...
    def remove_source(self, source_id: str) -> RemovalResult: ...
    def replace_embeddings(
        self, vectors: dict[str, list[float]], similarities: Sequence[Similarity], model: str, dim: int
    ) -> None: ...
    def clear(self) -> None: ...
    def exclusive(self) -> AbstractContextManager[None]:
        """Held by the pipeline while it links a document to what is stored and writes it."""
        ...


class SourceArchive(Protocol):
    """The ingested texts and their extractions: what `rebuild` and `sync` start from."""

    def has_source(self, source_id: str) -> bool: ...
    def list_sources(self) -> list[Source]: ...
    def source_summary(self, source_id: str) -> SourceSummary: ...
    def source_text(self, source_id: str) -> str: ...
    def source_extraction(self, source_id: str) -> Extraction: ...
    def stored_texts(self) -> list[tuple[str, str, str | None]]:
        """(text, title, url) of every stored source: what `rebuild` re-ingests."""
        ...


class GraphReader(Protocol):
    """Reads of models, capabilities and their facts; `reading()` makes a block of them one view."""

    def reading(self) -> AbstractContextManager[None]:
        """A block of reads that sees one state (no ingest lands halfway through it)."""
        ...

    def get_model(self, name_or_id: str) -> Model: ...
    def get_models(self, model_ids: Sequence[str]) -> list[Model]:
        """Models by exact id, in one read; unknown ids are left out."""
        ...

    def list_models(
        self, prefix: str | None = None, kind: str | None = None, offset: int = 0, limit: int = 100
    ) -> tuple[list[Model], int]: ...
    def model_names(self) -> dict[str, list[str]]: ...
    def capabilities(self, model_id: str) -> list[Capability]: ...
    def get_capabilities(self, capability_ids: Sequence[str]) -> list[Capability]: ...
    def all_capability_ids(self) -> list[str]: ...
    def claims(self, model_id: str) -> list[SourcedClaim]: ...
    def scores(self, model_id: str) -> list[SourcedScore]: ...
    def evidence(self, model_id: str) -> list[Evidence]: ...
    def similar_links(self, capability_id: str) -> list[Similarity]: ...
    def list_classes(self) -> list[CapabilityClass]:
        """Every capability class with its members, largest first (then by name, id)."""
        ...

    def get_classes(self, class_ids: Sequence[str]) -> list[CapabilityClass]:
        """Classes by id, with their members, in one read; unknown ids are left out."""
        ...

    def class_memberships(self, capability_ids: Sequence[str]) -> dict[str, str]:
        """capability id -> its class id, for those of `capability_ids` that have one."""
        ...

    def neighborhood(self, node_id: str, depth: int = 1, limit: int = 300) -> Subgraph: ...
    def stats(self) -> StoreStats: ...
    def export(self, fmt: ExportFormat) -> str: ...


class VectorSearch(Protocol):
    """The capability vectors: which exist, their values, and nearest neighbours by cosine."""

    def embedding_info(self) -> tuple[str, int] | None: ...
    def vectors(self, capability_ids: Sequence[str]) -> Matrix: ...
    def has_vectors(self, capability_ids: Sequence[str]) -> list[bool]: ...
    def nearest(self, queries: Matrix, k: int) -> list[list[tuple[str, float]]]: ...


class CapabilityVectors(VectorSearch, Protocol):
    """Vectors plus the capabilities they belong to: what the linking rule needs."""

    def get_capabilities(self, capability_ids: Sequence[str]) -> list[Capability]: ...


class ClassIndex(CapabilityVectors, Protocol):
    """Vectors, capabilities and their classes: what class assignment needs."""

    def get_classes(self, class_ids: Sequence[str]) -> list[CapabilityClass]: ...
    def class_memberships(self, capability_ids: Sequence[str]) -> dict[str, str]: ...


@runtime_checkable
class BenchmarkScores(Protocol):
    """A store that reads scores by benchmark: a leaderboard reads one benchmark's scores, not every model's
    facts (the catalog: 10.5 s CPU at 100k capabilities). A store without it is served from the catalog."""

    def scored_benchmarks(self) -> list[str]:
        """The benchmark names (as sources write them) with at least one score, sorted."""
        ...

    def benchmark_scores(self, names: Sequence[str]) -> list[SourcedScore]:
        """Every score on the benchmarks named exactly so (names from `scored_benchmarks`)."""
        ...


@runtime_checkable
class GraphStore(GraphWriter, SourceArchive, GraphReader, VectorSearch, UsageLog, Protocol):
    """A whole backend: the four roles and the usage log, opened and closed as one. Ask for the role you use."""

    def close(self) -> None: ...
