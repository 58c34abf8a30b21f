"""The match queries: overlap, compare, search, similar capabilities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from capgraph.api import schemas
from capgraph.api.deps import Queries
from capgraph.api.errors import ERROR_RESPONSES
from capgraph.graph.match import Comparison, Overlap

router = APIRouter(tags=["match"], responses=ERROR_RESPONSES)

ModelName = Annotated[str, Query(min_length=1, max_length=200, description="model id, name or alias")]
K = Annotated[int, Query(ge=1, le=100, description="how many to return")]


@router.get("/overlap")
def overlap(a: ModelName, b: ModelName, queries: Queries) -> Overlap:
    """Which capabilities A and B share (one-to-one, cosine at or above the threshold) and which are unique."""
    return queries.overlap(a, b)


@router.get("/compare")
def compare(a: ModelName, b: ModelName, queries: Queries) -> Comparison:
    """A and B side by side: sourced features (conflicts kept), capability counts, overlap and a verdict."""
    return queries.compare(a, b)


@router.get("/search")
def search(
    q: Annotated[str, Query(min_length=1, max_length=1000, description="a need, in words")],
    queries: Queries,
    k: K = 10,
) -> schemas.SearchOut:
    """Models whose capabilities best fit a need described in words, with the capabilities that matched."""
    return schemas.search_out(queries.search(q, k))


@router.get("/capabilities/{capability_id}/similar")
def similar_capabilities(capability_id: str, queries: Queries, k: K = 10) -> schemas.SimilarOut:
    """The nearest capabilities of other models to one capability."""
    capability, similar = queries.similar(capability_id, k)
    return schemas.similar_out(capability, similar)
