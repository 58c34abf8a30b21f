"""The graph as a whole: a neighbourhood for drawing, counts, and health."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from capgraph.api import schemas
from capgraph.api.deps import Queries, State
from capgraph.api.errors import ERROR_RESPONSES
from capgraph.graph.schema import StoreStats, Subgraph

router = APIRouter(tags=["graph"], responses=ERROR_RESPONSES)


@router.get("/graph/neighborhood/{node_id:path}")
def neighborhood(
    node_id: Annotated[str, Path(description="a model id, name or alias, or a capability, source or benchmark id")],
    queries: Queries,
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    limit: Annotated[int, Query(ge=1, le=1000, description="most nodes returned, nearest first")] = 300,
) -> Subgraph:
    """Nodes and edges within `depth` hops of a node, for drawing."""
    return queries.neighborhood(node_id, depth, limit)


@router.get("/stats")
def stats(queries: Queries) -> StoreStats:
    """Counts of nodes by label and relationships by type, and the embedding model of the vectors."""
    return queries.stats()


@router.get("/health", responses={503: {"model": schemas.HealthOut, "description": "the store is unreachable"}})
def health(state: State, response: Response) -> schemas.HealthOut:
    """200 when the store answers (with whether the embedding model is loaded), 503 when it does not."""
    services = state.services
    backend, where = services.settings.backend, services.settings.store_fingerprint
    try:
        services.store.stats()
    except Exception as exc:  # health must answer, whatever the store raises
        response.status_code = 503
        store = schemas.StoreHealth(
            reachable=False, backend=backend, fingerprint=where, detail=f"{type(exc).__name__}: {exc}"
        )
    else:
        store = schemas.StoreHealth(reachable=True, backend=backend, fingerprint=where)
    if state.model_error is not None:
        model = schemas.ModelHealth(loaded=False, detail=state.model_error)
    else:
        encoder = services.encoder
        model = schemas.ModelHealth(name=encoder.name, loaded=encoder.loaded)
    status = "unavailable" if not store.reachable else "ok" if model.loaded else "degraded"
    return schemas.HealthOut(status=status, store=store, model=model)
