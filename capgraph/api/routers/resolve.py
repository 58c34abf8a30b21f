"""`POST /resolve`: an intent in, the artifacts to use with why, their sourced facts and alternatives out."""

from __future__ import annotations

from fastapi import APIRouter

from capgraph.api import schemas
from capgraph.api.deps import Queries
from capgraph.api.errors import BODY_RESPONSES, ERROR_RESPONSES, declared
from capgraph.graph.resolve import ResolveAnswer

# A read that takes a body, so a POST; no key. The guard still refuses it from another origin (a web page).
CROSS_ORIGIN = declared((403, "a POST from another origin (a web page): refused before anything runs"))
router = APIRouter(tags=["match"], responses={**ERROR_RESPONSES, **BODY_RESPONSES, **CROSS_ORIGIN})


@router.post("/resolve")
def resolve(request: schemas.ResolveIn, queries: Queries) -> ResolveAnswer:
    """For an intent, the best artifacts, each with the capability that matched, why in one sentence, the
    sourced facts bearing on the intent (constraint checks, named benchmark scores, relevant claims) and its
    top alternatives with their reasons; `nothing_fits` with near misses when nothing does. A read: no key."""
    return queries.resolve(request.intent, request.k, request.alternatives)
