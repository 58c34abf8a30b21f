"""`POST /resolve`: an intent in, the artifacts to use with why, their sourced facts and alternatives out."""

from __future__ import annotations

from fastapi import APIRouter

from capgraph.api import schemas
from capgraph.api.deps import Queries
from capgraph.api.errors import BODY_RESPONSES, ERROR_RESPONSES
from capgraph.graph.resolve import ResolveAnswer

router = APIRouter(tags=["match"], responses={**ERROR_RESPONSES, **BODY_RESPONSES})


@router.post("/resolve")
def resolve(request: schemas.ResolveIn, queries: Queries) -> ResolveAnswer:
    """For an intent, the best artifacts, each with the capability that matched, why in one sentence, the
    sourced facts bearing on the intent (constraint checks, named benchmark scores, relevant claims) and its
    top alternatives with their reasons; `nothing_fits` with near misses when nothing does. A read: no key."""
    return queries.resolve(request.intent, request.k, request.alternatives)
