"""Feedback: whether an answer (for a query, or about a model) was useful. Writes; guarded like ingest."""

from __future__ import annotations

from capgraph.app.container import Container
from capgraph.app.queries import QueryService
from capgraph.app.ranking import new_feedback
from capgraph.graph.usage import Feedback


class FeedbackService:
    """Records, lists and resets feedback; model names are resolved like every query's."""

    def __init__(self, container: Container, queries: QueryService) -> None:
        self._c, self._q = container, queries

    def give(self, models: list[str], useful: bool, query: str | None = None) -> Feedback:
        """One judgement about the answer that returned `models` (names, ids or aliases)."""
        ids = [self._q.model(m).id for m in models]
        record = new_feedback(ids, useful, query)
        self._c.store.add_feedback(record)
        self._c.ranker.invalidate()
        return record

    def list(self, model: str | None = None) -> list[Feedback]:
        return self._c.store.list_feedback(self._q.model(model).id if model else None)

    def reset(self, model: str | None = None) -> int:
        """Forget feedback about one model, or all of it; how many records it touched."""
        gone = self._c.store.reset_feedback(self._q.model(model).id if model else None)
        self._c.ranker.invalidate()
        return gone
