"""Dependencies of the routers, as `Annotated` aliases: the services opened by the lifespan, write access,
and the body of `POST /sources`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.security import APIKeyHeader
from pydantic import ValidationError

from capgraph.api.errors import Unauthorized
from capgraph.api.schemas import SourceIn
from capgraph.app import IngestService, QueryService, Services
from capgraph.app.keys import WRITE_KEY_NEEDED, WriteKey, key_accepts
from capgraph.app.settings import Settings


@dataclass
class AppState:
    """What the lifespan opens once and every request shares."""

    settings: Settings
    services: Services
    writes: WriteKey
    model_error: str | None = None


async def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.capgraph
    return state


State = Annotated[AppState, Depends(get_state)]


async def get_queries(state: State) -> QueryService:
    return state.services.queries


async def get_ingest(state: State) -> IngestService:
    return state.services.ingest


Queries = Annotated[QueryService, Depends(get_queries)]
Ingest = Annotated[IngestService, Depends(get_ingest)]

api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="needed for POST and DELETE: CAPGRAPH_API_KEY, or the key generated at first start "
    "(`capgraph key` prints it); not needed when the operator opened writes; reads stay open",
)


async def require_api_key(state: State, key: Annotated[str | None, Security(api_key_header)]) -> None:
    # state.writes.key is None when the operator opened writes on purpose (CAPGRAPH_OPEN_WRITES / --open-writes)
    if not key_accepts(state.writes, key):
        raise Unauthorized(WRITE_KEY_NEEDED)


WriteAccess = Depends(require_api_key)


@dataclass
class Upload:
    data: bytes | str
    title: str | None
    url: str | None


def _as_text(value: object) -> object:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def read_upload(
    request: Request,
    title: Annotated[str | None, Query(max_length=500, description="title for a text/plain body")] = None,
    url: Annotated[str | None, Query(max_length=2000, description="origin URL for a text/plain body")] = None,
) -> Upload:
    """A JSON `SourceIn` body, or any other body taken as the raw text (decoded and checked by the pipeline)."""
    body = await request.body()  # over the limit: 413 from app.BodyLimit
    if not _is_json(request.headers.get("content-type", "")):
        return Upload(data=body, title=title, url=url)
    try:
        source = SourceIn.model_validate_json(body)
    except ValidationError as exc:
        # The raw body can be any bytes; the 422 answer is JSON, so what it echoes must be text.
        errors = [
            {**e, "loc": ("body", *e["loc"]), "input": _as_text(e.get("input"))} for e in exc.errors(include_url=False)
        ]
        raise RequestValidationError(errors, body=body) from None
    return Upload(data=source.text, title=source.title or title, url=source.url or url)


UploadDep = Annotated[Upload, Depends(read_upload)]
