"""Read-only Cypher over the Neo4j store: for graph questions the match endpoints do not cover."""

from __future__ import annotations

from fastapi import APIRouter

from capgraph.api.deps import Queries, WriteAccess
from capgraph.api.errors import ERROR_RESPONSES
from capgraph.api.schemas import ErrorOut
from capgraph.graph.cypher import CypherParams, CypherResult

router = APIRouter(tags=["cypher"], responses=ERROR_RESPONSES)


@router.post(
    "/cypher",
    dependencies=[WriteAccess],  # a POST: arbitrary queries can be costly, so the API key guards it too
    responses={
        401: {"model": ErrorOut, "description": "X-API-Key missing or wrong (when the server sets one)"},
        403: {"model": ErrorOut, "description": "the query would write (nothing ran)"},
    },
)
def cypher(body: CypherParams, queries: Queries) -> CypherResult:
    """Run one parameterized Cypher query in a read transaction, with a timeout and a row limit.

    Any write (CREATE, MERGE, SET, DELETE, REMOVE, LOAD CSV, write procedures, schema and admin commands)
    is refused with 403 before it runs; the embedded store answers 400 (Cypher needs Neo4j)."""
    return queries.cypher(body)
