"""The class browser: capability classes, largest first, and one class with its members."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from capgraph.api import schemas
from capgraph.api.deps import Queries
from capgraph.api.errors import ERROR_RESPONSES
from capgraph.graph.class_browser import ClassView
from capgraph.graph.paging import DEFAULT_PAGE, LISTED_MEMBERS, MAX_PAGE

Offset = Annotated[int, Query(ge=0, description="where the page starts (the previous page's `next_offset`)")]
MAX_LISTED_MEMBERS = 100

router = APIRouter(prefix="/classes", tags=["classes"], responses=ERROR_RESPONSES)


@router.get("")
def list_classes(
    queries: Queries,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"classes in one page (at most {MAX_PAGE})")] = 100,
    min_size: Annotated[int, Query(ge=1, description="only classes with at least this many models")] = 1,
    members: Annotated[
        int, Query(ge=0, le=MAX_LISTED_MEMBERS, description="members shown per class (GET /classes/{id} pages on)")
    ] = LISTED_MEMBERS,
) -> schemas.ClassList:
    """Capability classes, largest first, each with the models that have it (the first `members`)."""
    views, total = queries.classes(limit, min_size, offset, members)
    return schemas.class_list(views, total, offset, limit)


@router.get("/{class_id}")
def get_class(
    class_id: str,
    queries: Queries,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"members in one page (at most {MAX_PAGE})")] = (
        DEFAULT_PAGE
    ),
) -> ClassView:
    """One class by id (or name), with one page of its members' capabilities (`size` counts them all)."""
    return queries.capability_class(class_id, offset, limit)
