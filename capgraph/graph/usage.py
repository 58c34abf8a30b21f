"""What use teaches the graph: how often each model was matched, and what people said was useful.

Both are kept by each store (the `UsageLog` role) apart from the sourced graph: they are never evidence
about a model, only signals the rank (`graph.rank`) weighs within stated bounds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from pydantic import Field

from capgraph.graph.schema import Domain

MAX_FEEDBACK_MODELS = 50  # one answer's worth of models; a longer list is refused
MAX_QUERY_CHARS = 500


class Feedback(Domain):
    """One judgement: the answer that named `model_ids` (for `query`, when given) was useful, or not."""

    id: str = Field(description="unique id (uuid4 hex), so the same judgement is stored once")
    model_ids: list[str] = Field(min_length=1, max_length=MAX_FEEDBACK_MODELS)
    query: str | None = Field(None, max_length=MAX_QUERY_CHARS)
    useful: bool
    at: datetime = Field(description="when it was given (UTC); older feedback weighs less")


class UsageLog(Protocol):
    """Times matched and feedback, durable in the store; safe for concurrent writers (counts add up)."""

    def count_matches(self, counts: Mapping[str, int]) -> None:
        """Add `counts[model_id]` to each model's times-matched counter, in one write."""
        ...

    def match_counts(self) -> dict[str, int]:
        """model id -> times matched, for every model counted at least once."""
        ...

    def add_feedback(self, feedback: Feedback) -> None: ...

    def list_feedback(self, model_id: str | None = None) -> list[Feedback]:
        """Feedback about `model_id` (all of it when None), oldest first."""
        ...

    def reset_feedback(self, model_id: str | None = None) -> int:
        """Forget the feedback about `model_id` (all of it when None); how many records went."""
        ...
