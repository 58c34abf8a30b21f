"""Models: listing, detail with sourced claims, capabilities, alternatives."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from capgraph.api import schemas
from capgraph.api.deps import Queries
from capgraph.api.errors import ERROR_RESPONSES
from capgraph.graph.paging import DEFAULT_PAGE, MAX_PAGE
from capgraph.graph.search.alternatives import AlternativesAnswer

router = APIRouter(prefix="/models", tags=["models"], responses=ERROR_RESPONSES)

K = Annotated[int, Query(ge=1, le=100, description="how many to return")]
Offset = Annotated[int, Query(ge=0, description="where the page starts (the previous page's `next_offset`)")]
CapabilityLimit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"capabilities in one page (at most {MAX_PAGE})")]


@router.get("")
def list_models(
    queries: Queries,
    prefix: Annotated[str | None, Query(max_length=200, description="name or id prefix, any case")] = None,
    kind: Annotated[str | None, Query(max_length=100, description="Model, Repository, Product, ...")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> schemas.ModelList:
    """Models, ordered by name; `total` counts every match before `offset`/`limit`."""
    found, total = queries.models(prefix, kind, offset, limit)
    return schemas.model_list(found, total, offset, limit)


@router.get("/{model}/capabilities")
def model_capabilities(
    model: str,
    queries: Queries,
    offset: Offset = 0,
    limit: CapabilityLimit = MAX_PAGE,
) -> schemas.ModelCapabilities:
    """The capabilities of a model (id, name or alias), by id; one page (a page can state 10,000 of them)."""
    return schemas.model_capabilities(queries.model_facts(model, offset, limit))


@router.get("/{model}/alternatives")
def alternatives(model: str, queries: Queries, k: K = 10) -> AlternativesAnswer:
    """Models that can replace this one, ranked, each with the parts of its score and its evidence."""
    return queries.alternatives(model, k)


# `:path` so an alias with a slash ("meta-llama/Llama-3") still resolves; declared after the sub-routes.
@router.get("/{model:path}")
def get_model(
    model: str, queries: Queries, offset: Offset = 0, limit: CapabilityLimit = DEFAULT_PAGE
) -> schemas.ModelDetail:
    """A model by id, name or alias: claims grouped by attribute with their sources (conflicts flagged),
    one page of its capabilities (`capabilities_total`, `next_offset`), benchmark scores, variants and
    model-to-model evidence."""
    return schemas.model_detail(queries.model_facts(model, offset, limit))
