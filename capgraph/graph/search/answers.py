"""One entry point for the answer queries over a store: search, alternatives, leaderboard.

The catalog (every model's facts) and the search index are built from the store's ordinary read
methods, so the embedded and the Neo4j store give the same answers, and kept until the store changes
(the set of sources or the embedding model). Building costs one read of the graph plus encoding one
profile passage per model; queries after that cost milliseconds.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable

from capgraph.errors import EmbeddingMismatch, ModelNotFound
from capgraph.graph.search.alternatives import AlternativesAnswer, alternatives
from capgraph.graph.search.catalog_index import CatalogIndex
from capgraph.graph.search.hybrid import SearchAnswer, SearchIndex, TextEncoder
from capgraph.graph.search.kinds import Profile, profile
from capgraph.graph.search.leaderboard import (
    Leaderboard,
    benchmarks,
    leaderboard,
    store_benchmarks,
    store_leaderboard,
)
from capgraph.graph.search.records import Catalog, read_catalog
from capgraph.graph.store import BenchmarkScores, GraphStore

# How long a checked store state is trusted: listing 10k sources costs milliseconds, more than a query may.
# Writes through this process invalidate at once; writes by other processes show within this time.
STATE_TTL_S = 1.0


def store_state(store: GraphStore) -> str:
    """A fingerprint of what the answers depend on: the stored sources and the embedding model."""
    ids = sorted(s.id for s in store.list_sources())
    return hashlib.sha256(repr((ids, store.embedding_info())).encode()).hexdigest()


class Answers:
    """Cached catalog + index for one store; `encoder` is a factory so reads that need none load none."""

    def __init__(self, store: GraphStore, encoder: Callable[[], TextEncoder]) -> None:
        self.store = store
        self._encoder = encoder
        self._lock = threading.Lock()
        self._state: str | None = None
        self._catalog: Catalog | None = None
        self._profiles: dict[str, Profile] = {}
        self._index: SearchIndex | None = None
        self._catalog_index: CatalogIndex | None = None
        self._checked_at = 0.0

    def invalidate(self) -> None:
        """Re-read the store's state at the next query (called after writes made through this process)."""
        self._checked_at = 0.0

    def reset(self) -> None:
        """Drop the cache (after `rebuild` or `reembed`: same sources, but new extractions or vectors)."""
        with self._lock:
            self._state = None
            self._checked_at = 0.0

    def _fresh(self) -> tuple[Catalog, dict[str, Profile]]:
        now = time.monotonic()
        if self._catalog is not None and now - self._checked_at < STATE_TTL_S:
            return self._catalog, self._profiles
        state = store_state(self.store)
        self._checked_at = now
        with self._lock:
            if state != self._state or self._catalog is None:
                self._catalog = read_catalog(self.store)
                names = frozenset(s.benchmark.lower() for r in self._catalog.records.values() for s in r.scores)
                self._profiles = {m: profile(r, names) for m, r in self._catalog.records.items()}
                self._index = None
                self._catalog_index = CatalogIndex(self._catalog, self._profiles)
                self._state = state
            return self._catalog, self._profiles

    def index(self) -> SearchIndex:
        catalog, _ = self._fresh()
        with self._lock:
            if self._index is None or self._index.catalog is not catalog:
                info = self.store.embedding_info()
                encoder = self._encoder()
                name = getattr(encoder, "name", None)
                if info is not None and name is not None and info[0] != name:
                    raise EmbeddingMismatch(
                        f"The store's vectors come from {info[0]}, the configured model is {name}; "
                        "run `capgraph reembed`."
                    )
                self._index = SearchIndex(catalog, encoder, self.store.nearest if info is not None else None)
            return self._index

    def catalog(self) -> Catalog:
        """Every model's facts as of the store's current state (the cached read the answers share)."""
        return self._fresh()[0]

    def search(self, query: str, k: int = 10) -> SearchAnswer:
        return self.index().search(query, k)

    def alternatives(self, model_id: str, k: int = 10) -> AlternativesAnswer:
        catalog, profiles = self._fresh()
        if model_id not in catalog.records:
            raise ModelNotFound(f"No model {model_id!r}.")
        return alternatives(catalog, profiles, model_id, self.store, k, self._catalog_index)

    def leaderboard(self, benchmark: str, k: int = 50) -> Leaderboard:
        """From the store's benchmark index when it has one (no catalog built), else from the catalog."""
        if isinstance(self.store, BenchmarkScores):
            return store_leaderboard(self.store, benchmark, k)
        catalog, _ = self._fresh()
        return leaderboard(catalog, benchmark, k)

    def benchmarks(self) -> dict[str, list[str]]:
        if isinstance(self.store, BenchmarkScores):
            return store_benchmarks(self.store)
        catalog, _ = self._fresh()
        return benchmarks(catalog)
