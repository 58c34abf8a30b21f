"""The application layer: the one place the CLI, the HTTP API and (later) an MCP server go through.

`Services(settings)` opens the backend chosen by `Settings` once; `services.ingest` holds every write and
`services.queries` every read, `services.feedback` what users say of answers.
Interfaces stay thin: parse input, call one method, render the answer.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from capgraph.app.container import Container
from capgraph.app.settings import Settings
from capgraph.graph.store import GraphStore

if TYPE_CHECKING:  # imported on first use: a read-only command (`capgraph models`) never loads the query rules
    from capgraph.app.feedback import FeedbackService
    from capgraph.app.ingest import IngestService
    from capgraph.app.queries import QueryService
    from capgraph.embeddings.encoder import Encoder


class Services(Container):
    """The container plus its services, each created on first use (importing them costs ~0.1 s of a cold
    start that the read-only commands do not need). The services hold only the container, so two made by
    threads racing to a first use (cached_property takes no lock from Python 3.12) behave as one."""

    def __init__(
        self,
        settings: Settings | None = None,
        store: GraphStore | None = None,
        encoder: Encoder | None = None,
        *,
        recover: bool = False,
    ) -> None:
        super().__init__(settings, store, encoder, recover=recover)

    @cached_property
    def ingest(self) -> IngestService:
        from capgraph.app.ingest import IngestService

        return IngestService(self)

    @cached_property
    def queries(self) -> QueryService:
        from capgraph.app.queries import QueryService

        return QueryService(self)

    @cached_property
    def feedback(self) -> FeedbackService:
        from capgraph.app.feedback import FeedbackService

        return FeedbackService(self, self.queries)


def __getattr__(name: str) -> Any:
    """`from capgraph.app import QueryService` (and the other services) still works, loaded on first use."""
    if name in ("FeedbackService", "IngestService", "QueryService"):
        import importlib

        module = {"FeedbackService": "feedback", "IngestService": "ingest", "QueryService": "queries"}[name]
        return getattr(importlib.import_module(f"capgraph.app.{module}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Container", "FeedbackService", "IngestService", "QueryService", "Services", "Settings"]
