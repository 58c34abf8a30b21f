"""The domain errors, re-exported where the graph layer's callers have always found them.

They live in `capgraph.errors`, below every package, so that `embeddings` (which `graph` uses) can raise
them without an import that runs back up.
"""

from __future__ import annotations

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
    Unsupported,
)

__all__ = [
    "CapgraphError",
    "EmbeddingMismatch",
    "EncoderUnavailable",
    "IngestError",
    "ModelNotFound",
    "NotFound",
    "QueryRefused",
    "QueryTimedOut",
    "StoreUnavailable",
    "Unsupported",
]
