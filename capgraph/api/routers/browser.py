"""The Neo4j Browser style and guide, served so `:style` and `:play` can fetch them (CORS in api.app)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from capgraph.api.errors import ERROR_RESPONSES
from capgraph.errors import NotFound

router = APIRouter(prefix="/browser", tags=["neo4j browser"], responses=ERROR_RESPONSES)

ASSETS = Path(__file__).resolve().parents[1] / "static" / "browser"


def _asset(name: str, media_type: str) -> FileResponse:
    path = ASSETS / name
    if not path.is_file():
        raise NotFound(f"{name} is not installed in {ASSETS}.")
    return FileResponse(path, media_type=media_type)


@router.get(
    "/capgraph.grass",
    response_class=FileResponse,
    name="browser_style",
    responses={
        200: {
            "content": {"text/plain": {"schema": {"type": "string", "description": "a Neo4j Browser GraSS style"}}},
            "description": "the Browser style sheet",
        }
    },
)
def grass() -> FileResponse:
    """The graph style sheet for the Neo4j Browser (`:style http://<host>/browser/capgraph.grass`)."""
    return _asset("capgraph.grass", "text/plain; charset=utf-8")


@router.get(
    "/guide.html",
    response_class=FileResponse,
    name="browser_guide",
    responses={
        200: {
            "content": {"text/html": {"schema": {"type": "string", "description": "a Neo4j Browser guide page"}}},
            "description": "the Browser guide",
        }
    },
)
def guide() -> FileResponse:
    """The capgraph guide for the Neo4j Browser (`:play http://<host>/browser/guide.html`)."""
    return _asset("guide.html", "text/html; charset=utf-8")
