"""What every interface shares: the settings, and the store, encoder and resolver they choose, opened once.

The encoder is created lazily: commands that only read the graph never import torch.
"""

from __future__ import annotations

import threading
from pathlib import Path

from capgraph.app.backends import open_store
from capgraph.app.settings import Settings
from capgraph.embeddings.encoder import Encoder
from capgraph.graph.store import GraphStore
from capgraph.ingest.resolve import Resolver


class Container:
    """Opens each dependency on first use and keeps it; `store`/`encoder` may be injected (tests, benches)."""

    def __init__(
        self,
        settings: Settings | None = None,
        store: GraphStore | None = None,
        encoder: Encoder | None = None,
        *,
        recover: bool = False,
    ) -> None:
        self.settings = settings or Settings()
        self._store = store
        self._encoder = encoder
        self._resolver: Resolver | None = None
        self._recover = recover
        self._lock = threading.Lock()

    @property
    def store(self) -> GraphStore:
        with self._lock:
            if self._store is None:
                self._store = open_store(self.settings, recover=self._recover)
            return self._store

    @property
    def encoder(self) -> Encoder:
        with self._lock:
            if self._encoder is None:
                self._encoder = Encoder(self.settings.model)
            return self._encoder

    @property
    def resolver(self) -> Resolver:
        with self._lock:
            if self._resolver is None:
                aliases = self.settings.aliases
                self._resolver = Resolver.from_file(Path(aliases)) if aliases else Resolver()
            return self._resolver

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
