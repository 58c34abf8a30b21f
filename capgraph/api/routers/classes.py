"""The class browser: capability classes, largest first, and one class with its members."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from capgraph.api import schemas
from capgraph.api.deps import Queries
from capgraph.api.errors import ERROR_RESPONSES
from capgraph.graph.class_browser import ClassView

router = APIRouter(prefix="/classes", tags=["classes"], responses=ERROR_RESPONSES)


@router.get("")
def list_classes(
    queries: Queries,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    min_size: Annotated[int, Query(ge=1, description="only classes with at least this many models")] = 1,
) -> schemas.ClassList:
    """Capability classes, largest first, each with the models that have it."""
    views, total = queries.classes(limit, min_size)
    return schemas.ClassList(total=total, classes=views)


@router.get("/{class_id}")
def get_class(class_id: str, queries: Queries) -> ClassView:
    """One class by id (or name), with each member model's capability."""
    return queries.capability_class(class_id)
