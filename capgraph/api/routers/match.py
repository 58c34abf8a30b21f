"""The match queries: overlap, compare, search, similar capabilities, benchmark leaderboards."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from capgraph.api import schemas
from capgraph.api.deps import Queries
from capgraph.api.errors import ERROR_RESPONSES
from capgraph.graph.compare import Comparison
from capgraph.graph.match import Overlap
from capgraph.graph.paging import DEFAULT_PAGE, MAX_PAGE
from capgraph.graph.search.hybrid import SearchAnswer
from capgraph.graph.search.leaderboard import Leaderboard

router = APIRouter(tags=["match"], responses=ERROR_RESPONSES)

ModelName = Annotated[str, Query(min_length=1, max_length=200, description="model id, name or alias")]
K = Annotated[int, Query(ge=1, le=100, description="how many to return")]


@router.get("/overlap")
def overlap(a: ModelName, b: ModelName, queries: Queries) -> Overlap:
    """Which capabilities A and B share (one-to-one, cosine at or above the threshold) and which are unique."""
    return queries.overlap(a, b)


@router.get("/compare")
def compare(a: ModelName, b: ModelName, queries: Queries) -> Comparison:
    """What differs between A and B for a chooser (facts, shared benchmarks, classes each has alone), with
    sources and conflicts; sites' own numbers apart as their claims; capgraph's rank of each; a verdict."""
    return queries.compare(a, b)


@router.get("/search")
def search(
    q: Annotated[str, Query(min_length=1, max_length=1000, description="a need, in words")],
    queries: Queries,
    k: K = 10,
) -> SearchAnswer:
    """Models that fit a need in words: hybrid BM25 + dense search over everything a model has, typed
    constraints in the query checked against sourced claims, and an empty answer (with near misses) when
    nothing fits."""
    return queries.search(q, k)


@router.get("/benchmarks")
def benchmarks(
    queries: Queries,
    offset: Annotated[int, Query(ge=0, description="where the page starts (the previous page's `next_offset`)")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"benchmarks in one page (at most {MAX_PAGE})")] = (
        DEFAULT_PAGE
    ),
) -> schemas.BenchmarkList:
    """The benchmarks with scores in the graph, by name, each with the spellings sources use; one page."""
    found, total = queries.benchmarks(offset, limit)
    return schemas.benchmark_list(found, total, offset, limit)


@router.get("/benchmarks/{name}")
def leaderboard(name: str, queries: Queries, k: Annotated[int, Query(ge=1, le=500)] = 50) -> Leaderboard:
    """Models ranked by their sourced scores on one benchmark; conflicting sources side by side."""
    return queries.leaderboard(name, k)


@router.get("/capabilities/{capability_id}/similar")
def similar_capabilities(capability_id: str, queries: Queries, k: K = 10) -> schemas.SimilarOut:
    """The nearest capabilities of other models to one capability."""
    capability, similar = queries.similar(capability_id, k)
    return schemas.similar_out(capability, similar)
