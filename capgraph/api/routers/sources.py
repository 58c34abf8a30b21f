"""Ingest texts and manage sources."""

from __future__ import annotations

from fastapi import APIRouter, Response

from capgraph.api import schemas
from capgraph.api.deps import Ingest, Queries, UploadDep, WriteAccess
from capgraph.api.errors import ERROR_RESPONSES
from capgraph.api.schemas import ErrorOut

router = APIRouter(prefix="/sources", tags=["sources"], responses=ERROR_RESPONSES)

_WRITE_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorOut, "description": "X-API-Key missing or wrong (when the server sets one)"},
}
_BODY = {
    "required": True,
    "content": {
        "text/plain": {"schema": {"type": "string"}},
        "application/json": {"schema": schemas.SourceIn.model_json_schema()},
    },
}


@router.post(
    "",
    status_code=201,
    dependencies=[WriteAccess],
    responses={
        **_WRITE_ERRORS,
        200: {"model": schemas.SourceIngested, "description": "the text was already known; nothing changed"},
        413: {"description": "the body is over the configured limit"},
        422: {"model": ErrorOut, "description": "binary, empty or unreadable text, or an invalid JSON body"},
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
def list_sources(queries: Queries) -> schemas.SourceList:
    """Every ingested source."""
    return schemas.source_list(queries.sources())


@router.get("/{source_id}")
def get_source(source_id: str, queries: Queries) -> schemas.SourceDetail:
    """One source and what it supports: its models with their capability counts, and parser warnings."""
    return schemas.source_detail(queries.source(source_id))


@router.delete("/{source_id}", dependencies=[WriteAccess], responses=_WRITE_ERRORS)
def remove_source(source_id: str, ingest: Ingest) -> schemas.RemovalOut:
    """Remove a source and exactly what only it supported."""
    return schemas.removal_out(ingest.remove(source_id))
