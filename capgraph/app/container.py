"""What every interface shares: the settings, and the store, encoder and resolver they choose, opened once.

The encoder is created lazily: commands that only read the graph never import torch.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from capgraph.app.backends import open_store
from capgraph.app.counter import MatchCounter
from capgraph.app.settings import Settings
from capgraph.graph.store import GraphStore

if TYPE_CHECKING:  # each imported where first used: read-only commands load none of them
    from capgraph.app.ranking import Ranker
    from capgraph.embeddings.encoder import Encoder
    from capgraph.graph.search.answers import Answers
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
        self._answers: Answers | None = None
        self._ranker: Ranker | None = None
        self.counter = MatchCounter(lambda: self.store)
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
                from capgraph.embeddings.encoder import Encoder

                s = self.settings
                self._encoder = Encoder(s.model, backend=s.encoder_backend, cache_dir=s.model_cache)
            return self._encoder

    @property
    def resolver(self) -> Resolver:
        with self._lock:
            if self._resolver is None:
                from capgraph.ingest.resolve import Resolver  # the parsers: only commands that parse pay for them

                aliases = self.settings.aliases
                self._resolver = Resolver.from_file(Path(aliases)) if aliases else Resolver()
            return self._resolver

    @property
    def answers(self) -> Answers:
        """Search, alternatives and leaderboards over the store, cached until the store changes."""
        store = self.store
        with self._lock:
            if self._answers is None:
                from capgraph.graph.search.answers import Answers

                self._answers = Answers(store, lambda: self.encoder)
            return self._answers

    @property
    def ranker(self) -> Ranker:
        """capgraph's rank over the cached answers' catalog (`app.ranking`)."""
        store, answers = self.store, self.answers
        with self._lock:
            if self._ranker is None:
                from capgraph.app.ranking import Ranker, rank_config

                self._ranker = Ranker(store, answers, rank_config(self.settings))
            return self._ranker

    def count_matches(self, model_ids: list[str]) -> None:
        """Times matched: queued for the background writer, unless the operator turned counting off."""
        if self.settings.count_matches:
            self.counter.add(model_ids)

    def changed(self, *, rewritten: bool = False) -> None:
        """Called after every write through this process: answers see it at once. `rewritten` (rebuild,
        reembed) drops the cache outright, since the set of sources is the same but its content is not."""
        if self._answers is not None:
            if rewritten:
                self._answers.reset()
            else:
                self._answers.invalidate()

    def close(self) -> None:
        if self._store is not None:
            self.counter.flush()
            self._store.close()
