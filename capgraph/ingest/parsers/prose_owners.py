"""Who a fact in a sentence belongs to: the spans the prose reader finds, and the owner rules both its
score and its spec readers use (nearest model before the value, unless it is the object of a comparison)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from capgraph.ingest.parsers.builder import ExtractionBuilder

# How far (characters) a score may be from the model that owns it.
MAX_OWNER_GAP = 160
# "GPT-4o's 87.2", "GPT-4o: 87.2", "GPT-4o (87.2%)": a score this close to a name is that model's.
POSSESSIVE_GAP = 5
_POSSESSIVE_RE = re.compile(r"^(?:'s|’s)?\s?[:(]?\s?(?:~|≈)?$")
# A stated value between two model names gives the first one its own fact ("A 88%, ahead of B's 80%");
# a date or a version between them ("A (June 2024) beats B with 88%") does not.
_VALUE_IN_GAP_RE = re.compile(
    r"\d\.\d|\d\s?(?:%|[KMB]\b|billion|million|tokens)|\$\s?\d|\b(?:at|scores?|scored)\s\d{2,3}\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Span:
    """A model, benchmark or number found in a sentence."""

    start: int
    end: int
    key: str
    value: float = 0.0
    unit: str | None = None
    text: str = ""


def ensure_model(builder: ExtractionBuilder, span: Span) -> bool:
    """Make sure the model a fact is about is in the extraction (it may be known but not yet added)."""
    if builder.has_model(span.key):
        return True
    return builder.model(span.text) == span.key


def owner_before(sentence: str, pos: int, mentions: list[Span]) -> Span | None:
    """The model named nearest before `pos`, unless it is the object of a comparison or too far away."""
    before = [m for m in mentions if m.end <= pos]
    if not before:
        return None
    owner = before[-1]
    if pos - owner.end > MAX_OWNER_GAP:
        return None
    others = [m for m in before[:-1] if m.key != owner.key]
    if others:
        prev = others[-1]
        gap = sentence[prev.end : owner.start]
        close_by = pos - owner.end <= POSSESSIVE_GAP and _POSSESSIVE_RE.match(sentence[owner.end : pos])
        if not _VALUE_IN_GAP_RE.search(gap) and not close_by:
            return None
    return owner
