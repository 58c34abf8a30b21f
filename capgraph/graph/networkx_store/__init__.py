"""The embedded backend: `persistence` (data folder, manifest, segments, lock, garbage collection),
`reads` (the graph queries) and `store` (writes, and the `NetworkxStore` that joins them)."""

from __future__ import annotations

from capgraph.graph.networkx_store.files import atomic_write
from capgraph.graph.networkx_store.store import NetworkxStore

__all__ = ["NetworkxStore", "atomic_write"]
