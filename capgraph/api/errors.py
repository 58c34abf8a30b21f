"""The one place where errors become HTTP responses; services and routers never raise HTTPException.

Domain errors are looked up through their class hierarchy, so a new `CapgraphError` subclass gets the
nearest mapped ancestor's status (400 for the root) without touching this module.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from capgraph.api.schemas import ErrorOut
from capgraph.errors import (
    CapgraphError,
    EmbeddingMismatch,
    EncoderUnavailable,
    IngestError,
    ModelNotFound,
    NotFound,
    QueryRefused,
    QueryTimedOut,
    StoreUnavailable,
)

log = logging.getLogger("capgraph.api")

STATUS: dict[type[CapgraphError], int] = {
    ModelNotFound: 404,
    NotFound: 404,
    IngestError: 422,
    EmbeddingMismatch: 409,
    StoreUnavailable: 503,
    # The embedding model missing on the server is the server's problem, not a bad request.
    EncoderUnavailable: 503,
    QueryRefused: 403,
    QueryTimedOut: 504,  # the database gave up on the query within its time limit
    CapgraphError: 400,
}

# For the `responses=` of routes, so OpenAPI documents the error shape next to each status.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in [
        (404, "unknown model (with suggestions), source, capability or node"),
        (409, "the stored vectors come from another embedding model"),
        (503, "the store or the embedding model is unavailable"),
    ]
}


class Unauthorized(Exception):
    """A write without the right X-API-Key; HTTP-only, so it is not a CapgraphError."""


class BodyTooLarge(HTTPException):
    """Raised while the body streams in; an HTTPException so FastAPI's body parsing passes it through."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is over the {limit}-byte limit.")


def status_for(exc: CapgraphError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def error_body(exc: CapgraphError) -> ErrorOut:
    suggestions = exc.suggestions if isinstance(exc, ModelNotFound) else None
    return ErrorOut(error=type(exc).__name__, detail=str(exc), suggestions=suggestions)


async def capgraph_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CapgraphError)
    status = status_for(exc)
    if status >= 500:
        log.warning("%s %s: %s", request.method, request.url.path, exc)
    headers = {"Retry-After": "5"} if status == 503 else None
    return JSONResponse(error_body(exc).model_dump(exclude_none=True), status_code=status, headers=headers)


async def unauthorized(request: Request, exc: Exception) -> Response:
    return JSONResponse(
        ErrorOut(error="Unauthorized", detail=str(exc)).model_dump(exclude_none=True),
        status_code=401,
        headers={"WWW-Authenticate": "X-API-Key"},
    )


async def body_too_large(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return too_large_response(str(exc.detail))


def too_large_response(detail: str) -> JSONResponse:
    return JSONResponse(
        ErrorOut(error="BodyTooLarge", detail=detail).model_dump(exclude_none=True),
        status_code=413,
        headers={"Connection": "close"},
    )


async def unexpected_error(request: Request, exc: Exception) -> Response:
    # Starlette's ServerErrorMiddleware re-raises after this answer, so the server logs the traceback;
    # the client only learns that it was not its fault.
    return JSONResponse(
        ErrorOut(error="InternalError", detail="An unexpected error occurred; it has been logged.").model_dump(
            exclude_none=True
        ),
        status_code=500,
    )


def install(app: FastAPI) -> None:
    """Register the handlers: every CapgraphError by its status table, anything else as a bare 500."""
    app.add_exception_handler(CapgraphError, capgraph_error)
    app.add_exception_handler(Unauthorized, unauthorized)
    app.add_exception_handler(BodyTooLarge, body_too_large)
    app.add_exception_handler(Exception, unexpected_error)
