"""The application layer: the one place the CLI, the HTTP API and (later) an MCP server go through.

`Services(settings)` opens the backend chosen by `Settings` once; `services.ingest` holds every write and
`services.queries` every read, `services.feedback` what users say of answers.
Interfaces stay thin: parse input, call one method, render the answer.
"""

from __future__ import annotations

from capgraph.app.container import Container
from capgraph.app.feedback import FeedbackService
from capgraph.app.ingest import IngestService
from capgraph.app.queries import QueryService
from capgraph.app.settings import Settings
from capgraph.embeddings.encoder import Encoder
from capgraph.graph.store import GraphStore


class Services(Container):
    """The container plus its two services."""

    def __init__(
        self,
        settings: Settings | None = None,
        store: GraphStore | None = None,
        encoder: Encoder | None = None,
        *,
        recover: bool = False,
    ) -> None:
        super().__init__(settings, store, encoder, recover=recover)
        self.ingest = IngestService(self)
        self.queries = QueryService(self)
        self.feedback = FeedbackService(self, self.queries)


__all__ = ["Container", "FeedbackService", "IngestService", "QueryService", "Services", "Settings"]
