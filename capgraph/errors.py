"""One root error class; the CLI and the HTTP layer map these to messages and status codes in one place each."""

from __future__ import annotations


class CapgraphError(Exception):
    """Base of every error capgraph raises on purpose; anything else is a bug."""


class IngestError(CapgraphError):
    """The text cannot be read at all (empty, binary, too large); nothing was written."""


class ModelNotFound(CapgraphError):
    """No model has that id or alias; `suggestions` holds the closest known names."""

    def __init__(self, name: str, suggestions: list[str] | None = None) -> None:
        self.name = name
        self.suggestions = suggestions or []
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"Unknown model {name!r}.{hint}")


class NotFound(CapgraphError):
    """A source, capability or node id that the store does not hold."""


class StoreUnavailable(CapgraphError):
    """The store cannot be reached (Neo4j down) or read (corrupt snapshot)."""


class EmbeddingMismatch(CapgraphError):
    """The stored vectors were made by another model or dimension than the configured encoder."""


class EncoderUnavailable(CapgraphError):
    """The sentence-transformers model cannot be loaded from the local folder."""


class QueryRefused(CapgraphError):
    """A Cypher query that would write, or otherwise is not allowed on the read-only endpoint."""


class QueryTimedOut(CapgraphError):
    """A read-only Cypher query ran longer than its time limit and was stopped."""


class Unsupported(CapgraphError):
    """The configured store cannot do this (Cypher on the embedded store)."""
