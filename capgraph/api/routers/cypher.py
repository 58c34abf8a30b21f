"""Read-only Cypher over the Neo4j store: for graph questions the match endpoints do not cover."""

from __future__ import annotations

from fastapi import APIRouter

from capgraph.api.deps import Queries, WriteAccess
from capgraph.api.errors import BODY_RESPONSES, ERROR_RESPONSES, WRITE_RESPONSES, declared
from capgraph.graph.cypher import CypherParams, CypherResult

router = APIRouter(tags=["cypher"], responses=ERROR_RESPONSES)


@router.post(
    "/cypher",
    dependencies=[WriteAccess],  # a POST: arbitrary queries can be costly, so the API key guards it too
    responses={
        **WRITE_RESPONSES,
        **BODY_RESPONSES,
        **declared(
            (400, "the store is the embedded one (Cypher needs Neo4j), or a foreign Host header"),
            (403, "the query would write (nothing ran), or the request came from another origin"),
            (504, "the query ran past its time limit"),
        ),
    },
)
def cypher(body: CypherParams, queries: Queries) -> CypherResult:
    """Run one parameterized Cypher query in a read transaction, with a timeout and a row limit.

    Any write (CREATE, MERGE, SET, DELETE, REMOVE, LOAD CSV, write procedures, schema and admin commands)
    is refused with 403 before it runs; the embedded store answers 400 (Cypher needs Neo4j)."""
    return queries.cypher(body)
