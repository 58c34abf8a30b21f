"""The one place where errors become HTTP responses; services and routers never raise HTTPException.

Domain errors are looked up through their class hierarchy, so a new `CapgraphError` subclass gets the
nearest mapped ancestor's status (400 for the root) without touching this module.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from capgraph.api.schemas import ErrorOut, FieldError, error_out
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


def declared(*pairs: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for routes, so OpenAPI documents the error shape next to each status."""
    return {status: {"model": ErrorOut, "description": description} for status, description in pairs}


# Every route of a router.
ERROR_RESPONSES = declared(
    (404, "unknown model (with suggestions), source, capability or node"),
    (409, "the stored vectors come from another embedding model"),
    (503, "the store or the embedding model is unavailable"),
)
# Every route of the app: the Host check runs before routing, and anything unforeseen is a logged 500.
APP_RESPONSES = declared(
    (400, "the Host header is not one this server answers (CAPGRAPH_ALLOWED_HOSTS)"),
    (500, "an unexpected error (logged on the server)"),
)
# Every POST and DELETE.
WRITE_RESPONSES = declared(
    (401, "X-API-Key missing or wrong (writes need it unless the operator opened them)"),
    (403, "a write from another origin (a web page): refused before anything runs"),
)
# Every route reading a body.
BODY_RESPONSES = declared((413, "the body is over CAPGRAPH_MAX_BODY_BYTES"))


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


async def capgraph_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CapgraphError)
    status = status_for(exc)
    if status >= 500:
        log.warning("%s %s: %s", request.method, request.url.path, exc)
    headers = {"Retry-After": "5"} if status == 503 else None
    body = error_out(exc).model_dump(mode="json", exclude_none=True)
    return JSONResponse(body, status_code=status, headers=headers)


def error_response(
    status: int, error: str, detail: str, *, headers: Mapping[str, str] | None = None, **extra: Any
) -> JSONResponse:
    """The one error shape, `{error, detail}` (plus `suggestions` or `fields` where they apply)."""
    body = ErrorOut(error=error, detail=detail, **extra).model_dump(mode="json", exclude_none=True)
    return JSONResponse(body, status_code=status, headers=dict(headers) if headers else None)


async def unauthorized(request: Request, exc: Exception) -> Response:
    return error_response(401, "Unauthorized", str(exc), headers={"WWW-Authenticate": "X-API-Key"})


def _loc(part: object) -> str | int:
    return part if isinstance(part, int) else str(part)


async def invalid_request(request: Request, exc: Exception) -> Response:
    """FastAPI's own 422s, in the shared shape; the offending input is not echoed (it may be any bytes)."""
    assert isinstance(exc, RequestValidationError)
    fields = [
        FieldError(loc=[_loc(p) for p in e.get("loc", ())], msg=str(e.get("msg", "")), type=str(e.get("type", "")))
        for e in exc.errors()
    ]
    detail = "; ".join(f"{'.'.join(map(str, f.loc)) or 'request'}: {f.msg}" for f in fields[:5])
    if len(fields) > 5:
        detail += f"; and {len(fields) - 5} more"
    return error_response(422, "InvalidRequest", detail or "The request is invalid.", fields=fields)


def _error_name(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.title().replace(" ", "").replace("-", "")
    except ValueError:
        return "HttpError"


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's and FastAPI's HTTP errors (unknown path 404, 405, body parsing) in the shared shape."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI answers a JSON body that is not UTF-8 with a bare 400; it is an invalid body like any other.
        problem = FieldError(loc=["body"], msg="the JSON body is not valid UTF-8", type="json_invalid")
        return error_response(422, "InvalidRequest", f"body: {problem.msg}", fields=[problem])
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed_methods(request))
    return error_response(exc.status_code, _error_name(exc.status_code), str(exc.detail), headers=headers)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path: Starlette's 405 names only the first route's."""
    routes = request.app.router.routes
    return [
        method
        for method in METHODS
        if any(route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes)
    ]


async def body_too_large(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return too_large_response(str(exc.detail))


def too_large_response(detail: str) -> JSONResponse:
    return error_response(413, "BodyTooLarge", detail, headers={"Connection": "close"})


async def unexpected_error(request: Request, exc: Exception) -> Response:
    # Starlette's ServerErrorMiddleware re-raises after this answer, so the server logs the traceback;
    # the client only learns that it was not its fault.
    return error_response(500, "InternalError", "An unexpected error occurred; it has been logged.")


def install(app: FastAPI) -> None:
    """Register the handlers: every CapgraphError by its status table, FastAPI's and Starlette's own
    errors in the same shape, anything else as a bare 500 (`api/openapi.py` declares that shape)."""
    app.add_exception_handler(CapgraphError, capgraph_error)
    app.add_exception_handler(Unauthorized, unauthorized)
    app.add_exception_handler(BodyTooLarge, body_too_large)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)
