"""The domain schema: plain pydantic data shared by ingest, the stores, the match queries and the API.

No method here touches a store or a model; these are the facts and nothing else.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SourceFormat = Literal["comparison", "blog", "specs", "unknown"]


class Domain(BaseModel):
    model_config = ConfigDict(frozen=False, extra="forbid")


class Source(Domain):
    """One ingested text. `id` is the sha256 of the normalized text, so the same text is one source."""

    id: str
    title: str
    url: str | None = None
    format: SourceFormat = "unknown"
    ingested_at: datetime | None = None
    chars: int = 0


class Model(Domain):
    """Any AI artifact a text names (kind: Model, Repository, Product, MCP Server, Dataset, ...)."""

    id: str
    name: str
    kind: str = "Model"
    vendor: str | None = None
    family: str | None = None
    aliases: list[str] = Field(default_factory=list)


class Capability(Domain):
    """One decomposed capability of one model, as a comparison page describes it."""

    id: str
    model_id: str
    name: str
    description: str
    unique: str | None = None
    vs_alternatives: str | None = None


class Claim(Domain):
    """A table or spec value stated by a source about a model: raw text plus number and unit when it has one."""

    model_id: str
    attribute: str
    value: str
    number: float | None = None
    unit: str | None = None


class Score(Domain):
    """A benchmark result for a model."""

    model_id: str
    benchmark: str
    value: float
    unit: str | None = None


class Comparison(Domain):
    """Two models set side by side by a page or a table."""

    a: str
    b: str


class Contrast(Domain):
    """A model named in a capability's "vs alternatives" text."""

    capability_id: str
    model_id: str


class Variant(Domain):
    """`variant_id` is a size, snapshot or edition of `base_id` (Llama 4 Scout -> Llama 4)."""

    variant_id: str
    base_id: str


class Extraction(Domain):
    """Everything one text says, typed; the unit that a store writes in one piece."""

    source: Source
    models: list[Model] = Field(default_factory=list)
    capabilities: list[Capability] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    scores: list[Score] = Field(default_factory=list)
    comparisons: list[Comparison] = Field(default_factory=list)
    contrasts: list[Contrast] = Field(default_factory=list)
    variants: list[Variant] = Field(default_factory=list)
    declared_capability_counts: dict[str, int] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)


class Similarity(Domain):
    """A SIMILAR_TO link between capabilities of two different models (cosine of their embeddings)."""

    a: str
    b: str
    score: float


class CapabilityClass(Domain):
    """Capabilities of different models that do the same thing, under one readable name.

    `members` are capability ids, at most one per model; `id` is stable (see `graph.classes.class_id`).
    """

    id: str
    name: str
    description: str = ""
    members: list[str] = Field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.members)


class SourcedClaim(Domain):
    """A claim as read back from a store: the value and which source states it."""

    model_id: str
    attribute: str
    value: str
    number: float | None = None
    unit: str | None = None
    source_id: str
    source_title: str = ""


class SourcedScore(Domain):
    model_id: str
    benchmark: str
    value: float
    unit: str | None = None
    sources: list[str] = Field(default_factory=list)


class Evidence(Domain):
    """A model-to-model relationship with the sources that state it."""

    kind: Literal["COMPARED_WITH", "CONTRASTED_WITH", "VARIANT_OF"]
    model_id: str
    other_id: str
    sources: list[str] = Field(default_factory=list)
    capability_id: str | None = None


class SourceSummary(Domain):
    source: Source
    models: int = 0
    capabilities: int = 0
    claims: int = 0
    scores: int = 0
    warnings: list[str] = Field(default_factory=list)


class StoreStats(Domain):
    sources: int = 0
    models: int = 0
    capabilities: int = 0
    benchmarks: int = 0
    relationships: dict[str, int] = Field(default_factory=dict)
    embedding_model: str | None = None
    embedding_dim: int | None = None


class NodeView(Domain):
    id: str
    label: str
    caption: str
    properties: dict[str, object] = Field(default_factory=dict)


class EdgeView(Domain):
    source: str
    target: str
    type: str
    properties: dict[str, object] = Field(default_factory=dict)


class Subgraph(Domain):
    nodes: list[NodeView] = Field(default_factory=list)
    edges: list[EdgeView] = Field(default_factory=list)
