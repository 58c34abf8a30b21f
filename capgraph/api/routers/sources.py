"""Ingest texts and manage sources."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from capgraph.api import schemas
from capgraph.api.deps import Ingest, Queries, UploadDep, WriteAccess
from capgraph.api.errors import BODY_RESPONSES, ERROR_RESPONSES, WRITE_RESPONSES, declared

router = APIRouter(prefix="/sources", tags=["sources"], responses=ERROR_RESPONSES)

MAX_LIMIT = 500
"""Largest page of `GET /sources`: at about 280 bytes a source, about 140 KB."""
_BODY = {
    "required": True,
    "content": {
        "text/plain": {
            "schema": {"type": "string", "description": "the page's text (UTF-8); a first line `URL: ...` is its url"}
        },
        "application/json": {"schema": schemas.SourceIn.model_json_schema()},
    },
}


@router.post(
    "",
    status_code=201,
    dependencies=[WriteAccess],
    responses={
        **WRITE_RESPONSES,
        **BODY_RESPONSES,
        **declared((422, "binary, empty or unreadable text, or an invalid JSON body")),
        200: {"model": schemas.SourceIngested, "description": "the text was already known; nothing changed"},
    },
    openapi_extra={"requestBody": _BODY},
)
def ingest_source(upload: UploadDep, ingest: Ingest, response: Response) -> schemas.SourceIngested:
    """Ingest a text (`text/plain` body, or JSON `{text, title?, url?}`); 201 when new, 200 when known.

    A text that cannot be ingested leaves the store unchanged.
    """
    report = ingest.text(upload.data, title=upload.title, url=upload.url)
    if report.result.created:
        response.headers["Location"] = f"/sources/{report.result.source_id}"
    else:
        response.status_code = 200
    return schemas.source_ingested(report.result, report.encoded)


@router.get("")
def list_sources(
    queries: Queries,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
) -> schemas.SourceList:
    """Ingested sources, ordered by title then id; `total` counts them all, before `offset`/`limit`."""
    found, total = queries.source_page(offset, limit)
    return schemas.source_list(found, total, offset, limit)


@router.get("/{source_id}")
def get_source(source_id: str, queries: Queries) -> schemas.SourceDetail:
    """One source and what it supports: its models with their capability counts, and parser warnings."""
    return schemas.source_detail(queries.source(source_id))


@router.delete("/{source_id}", dependencies=[WriteAccess], responses=WRITE_RESPONSES)
def remove_source(source_id: str, ingest: Ingest) -> schemas.RemovalOut:
    """Remove a source and exactly what only it supported."""
    return schemas.removal_out(ingest.remove(source_id))
