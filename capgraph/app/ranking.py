"""capgraph's rank over the store (`graph.rank`), and the feedback that nudges it.

The catalog is the answers' cached read; page dates are read once per source (sources are
content-addressed, so a date never changes); counters and feedback are read fresh at every call.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from capgraph.app.settings import Settings
from capgraph.errors import ModelNotFound
from capgraph.graph.rank import DEFAULT_WEIGHTS, ComponentWeights, Rank, RankConfig, rank_all
from capgraph.graph.rank_evidence import page_date, rank_inputs
from capgraph.graph.search.answers import Answers
from capgraph.graph.store import GraphStore
from capgraph.graph.usage import Feedback

RANK_TTL_S = 1.0  # ranks are reused this long (model answers ask often); feedback given here resets them


def rank_config(settings: Settings) -> RankConfig:
    """The defaults of `graph.rank` with the operator's per-kind weight overrides (CAPGRAPH_RANK_WEIGHTS)."""
    weights = dict(DEFAULT_WEIGHTS)
    for kind, override in settings.rank_weights.items():
        base = weights.get(kind) or weights["*"]
        weights[kind] = ComponentWeights.model_validate({**base.model_dump(), **override})
    return RankConfig(
        weights=weights,
        feedback_bound=settings.rank_feedback_bound,
        feedback_half_life_days=settings.rank_feedback_half_life_days,
        freshness_half_life_days=settings.rank_freshness_half_life_days,
    )


class Ranker:
    """Ranks every model of the store; thread-safe (the date cache is the only state)."""

    def __init__(self, store: GraphStore, answers: Answers, config: RankConfig) -> None:
        self._store, self._answers, self.config = store, answers, config
        self._dates: dict[str, datetime | None] = {}
        self._lock = threading.Lock()
        self._cached: tuple[float, list[Rank]] | None = None

    def invalidate(self) -> None:
        self._cached = None

    def ranks(self, now: datetime | None = None) -> list[Rank]:
        """Every ranked model, best first; `now` (tests) bypasses the short cache."""
        cached = self._cached
        if now is None and cached is not None and time.monotonic() - cached[0] < RANK_TTL_S:
            return cached[1]
        started = time.monotonic()
        out = self._compute(now or datetime.now(UTC))
        if now is None:
            self._cached = (started, out)
        return out

    def _compute(self, now: datetime) -> list[Rank]:
        store = self._store
        catalog = self._answers.catalog()
        with store.reading():
            sources = store.list_sources()
            with self._lock:
                missing = [s.id for s in sources if s.id not in self._dates]
            found = {sid: page_date(store.source_text(sid)) for sid in missing}
            counts = store.match_counts()
            feedback = store.list_feedback()
        with self._lock:
            self._dates.update(found)
            dates = dict(self._dates)
        inputs = rank_inputs(catalog, sources, dates, counts, feedback)
        return rank_all(inputs, self.config, now)

    def find(self, model_id: str) -> Rank | None:
        return next((r for r in self.ranks() if r.model.id == model_id), None)

    def rank_of(self, model_id: str) -> Rank:
        """One model's rank with its position; a model no source supports any more has none."""
        found = self.find(model_id)
        if found is not None:
            return found
        raise ModelNotFound(f"No rank for {model_id!r}: no source in the store supports it.")


def new_feedback(model_ids: Sequence[str], useful: bool, query: str | None) -> Feedback:
    return Feedback(
        id=uuid.uuid4().hex,
        model_ids=list(dict.fromkeys(model_ids)),
        query=query,
        useful=useful,
        at=datetime.now(UTC).replace(microsecond=0),
    )
