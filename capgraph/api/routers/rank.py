"""capgraph's own rank and the feedback that nudges it: GET /rank, GET /models/{id}/rank, /feedback."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from capgraph.api import schemas
from capgraph.api.deps import Queries, State, WriteAccess
from capgraph.api.errors import BODY_RESPONSES, ERROR_RESPONSES, WRITE_RESPONSES
from capgraph.app.feedback import FeedbackService
from capgraph.graph.rank import Rank
from capgraph.graph.usage import Feedback

router = APIRouter(tags=["rank"], responses=ERROR_RESPONSES)


async def get_feedback(state: State) -> FeedbackService:
    return state.services.feedback


Feedbacks = Annotated[FeedbackService, Depends(get_feedback)]
ModelQuery = Annotated[str | None, Query(min_length=1, max_length=200, description="model id, name or alias")]


@router.get("/rank")
def list_ranks(
    queries: Queries,
    kind: Annotated[str | None, Query(max_length=100, description="Model, Repository, Product, ...")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> schemas.RankList:
    """capgraph's rank of every model, best first: 0-100 from the graph's evidence, each part shown."""
    found, total = queries.ranks(kind, limit)
    return schemas.RankList(ranks=found, total=total)


# Registered before the models router, whose `/models/{model:path}` would otherwise take this path.
@router.get("/models/{model}/rank")
def get_model_rank(model: str, queries: Queries) -> Rank:
    """One model's rank: each component with its formula, inputs and sources, and the feedback term."""
    return queries.rank(model)


@router.post("/feedback", status_code=201, dependencies=[WriteAccess], responses={**WRITE_RESPONSES, **BODY_RESPONSES})
def give_feedback(body: schemas.FeedbackIn, feedback: Feedbacks) -> Feedback:
    """Say whether an answer was useful; it moves the models' ranks by less than a fixed bound, and decays."""
    return feedback.give(body.models, body.useful, body.query)


@router.get("/feedback")
def list_feedback(feedback: Feedbacks, model: ModelQuery = None) -> list[Feedback]:
    """Feedback recorded (about one model, or all), oldest first."""
    return feedback.list(model)


@router.delete("/feedback", dependencies=[WriteAccess], responses=WRITE_RESPONSES)
def reset_feedback(feedback: Feedbacks, model: ModelQuery = None) -> schemas.FeedbackReset:
    """Forget feedback: about one model, or all of it."""
    return schemas.FeedbackReset(reset=feedback.reset(model))
