"""Read-only Cypher as the application sees it: the request, the answer, and the role a store plays
when it can run one (only the Neo4j store does; its runner is `neo4j_store.cypher`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Protocol, runtime_checkable

from pydantic import BaseModel, Field

MAX_TIMEOUT_S: Final = 30.0  # no user query holds a server thread longer (the server's own limit too)


class CypherParams(BaseModel):
    """A read-only Cypher request."""

    query: str = Field(min_length=1, max_length=20_000, description="one Cypher statement; writes are refused")
    params: dict[str, Any] = Field(default_factory=dict, description="values for $parameters in the query")
    timeout_s: float | None = Field(
        None,
        gt=0,
        le=MAX_TIMEOUT_S,
        description=f"seconds, at most {MAX_TIMEOUT_S:g}; default from settings",
    )
    row_limit: int | None = Field(None, ge=1, le=100_000, description="rows returned at most; default from settings")


class CypherResult(BaseModel):
    """Rows as JSON-ready values: nodes as {_id, _labels, ...properties}, relationships as
    {_id, _type, _start, _end, ...properties}, paths as {nodes, relationships}; vectors and raw texts left out."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = Field(description="true when the query had more rows than the row limit")
    elapsed_ms: float


@runtime_checkable
class CypherReader(Protocol):
    """A store that runs read-only Cypher: writes, schema and admin work refused before anything runs."""

    def read_cypher(
        self, query: str, params: Mapping[str, Any] | None, timeout_s: float, row_limit: int
    ) -> CypherResult: ...
