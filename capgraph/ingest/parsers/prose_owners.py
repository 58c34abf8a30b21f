"""Who a fact in a sentence belongs to: the spans the prose reader finds, and the owner rules both its
score and its spec readers use (nearest model before the value, unless it is the object of a comparison).

A spec value's owner: a model named right after it ("16K for Phi-4"), else the nearest model before it
(none when "versus"/"compared"/"while" stands between them), else the sentence's fallback. A model
that starts its own clause ("A is proprietary, while B ships under MIT") owns the values in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.vocab import canonical_attribute, typed_value

# How far (characters) a score may be from the model that owns it.
MAX_OWNER_GAP = 160
# How far after a value a "for <model>" owner may be.
FOR_REACH = 80
# "GPT-4o's 87.2", "GPT-4o: 87.2", "GPT-4o (87.2%)": a score this close to a name is that model's.
POSSESSIVE_GAP = 5
_POSSESSIVE_RE = re.compile(r"^(?:'s|’s)?\s?[:(]?\s?(?:~|≈)?$")
# A stated value between two model names gives the first one its own fact ("A 88%, ahead of B's 80%");
# a date or a version between them ("A (June 2024) beats B with 88%") does not.
_VALUE_IN_GAP_RE = re.compile(
    r"\d\.\d|\d\s?(?:%|[KMB]\b|billion|million|tokens)|\$\s?\d|\b(?:at|scores?|scored)\s\d{2,3}\b", re.IGNORECASE
)

_OBJECT_BEFORE_RE = re.compile(r"\b(?:than|over|against|versus|vs\.?)\s(?:the\s)?$", re.IGNORECASE)


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
    close_by = pos - owner.end <= POSSESSIVE_GAP and _POSSESSIVE_RE.match(sentence[owner.end : pos])
    if others and not close_by and _OBJECT_BEFORE_RE.search(sentence, max(0, owner.start - 16), owner.start):
        return None  # "A was 12% faster than B and scored 86.1": B is the object of the comparison
    if others:
        prev = others[-1]
        gap = sentence[prev.end : owner.start]
        if not _VALUE_IN_GAP_RE.search(gap) and not close_by:
            return None
    return owner


_FOR_RE = re.compile(r"\bfor\s+(?:the\s)?$")
_STOP_RE = re.compile(r"\b(?:versus|vs\.?|compared|while|whereas|but)\b|[;]")
_CLAUSE_RE = re.compile(r"\b(?:while|whereas|but)\b|;")


def free(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    """The span overlaps none of `taken`."""
    return all(span[1] <= s or span[0] >= e for s, e in taken)


def claim_for(
    sentence: str,
    span: tuple[int, int],
    mentions: list[Span],
    fallback: Span | None,
    builder: ExtractionBuilder,
    label: str,
    raw: str,
) -> None:
    """Add the spec value at `span` for its owner (see the module docstring); nothing when unclear."""
    start, end = span
    after = [m for m in mentions if m.start >= end]
    gap = sentence[end : after[0].start] if after else ""
    if after and len(gap) <= FOR_REACH and _FOR_RE.search(gap) and not _STOP_RE.search(gap):
        add_claim(builder, after[0], label, raw)
        return
    if not mentions:
        if fallback is not None:
            add_claim(builder, fallback, label, raw)
        return
    owner = (
        owner_before(sentence, start, mentions)
        or _clause_subject(sentence, start, mentions)
        or lead_in_subject(sentence, start, mentions)
    )
    if owner is None or _STOP_RE.search(sentence[owner.end : start]):
        return
    add_claim(builder, owner, label, raw)


def _clause_subject(sentence: str, pos: int, mentions: list[Span]) -> Span | None:
    """The nearest model before `pos` when a clause break ("while", "but", ";") separates it from the
    models before it: it is that clause's subject, not the object of a comparison."""
    before = [m for m in mentions if m.end <= pos]
    if not before or pos - before[-1].end > MAX_OWNER_GAP:
        return None
    owner = before[-1]
    others = [m for m in before if m.key != owner.key and m.end <= owner.start]
    return owner if others and _CLAUSE_RE.search(sentence[others[-1].end : owner.start]) else None


def add_claim(builder: ExtractionBuilder, owner: Span, label: str, raw: str) -> None:
    """Add a vocabulary claim whose value types; a model that already has the attribute keeps it."""
    attribute = canonical_attribute(label) or "price"
    if attribute != "price" and typed_value(attribute, raw) is None:
        return
    if builder.has_claim(owner.key, attribute) or not ensure_model(builder, owner):
        return
    builder.claim(owner.key, label, raw)


# A lead-in phrase before the subject: "With 86.6% on HumanEval, A leads", "With a 200K context window, A ...".
_LEAD_IN_RE = re.compile(r"(?:With|At|Scoring|Posting|Reaching|Achieving|Hitting|Recording|Offering|Featuring)\b")
_LEAD_END_RE = re.compile(r",\s(?:the\s)?$")


def lead_in_subject(sentence: str, pos: int, mentions: list[Span]) -> Span | None:
    """The subject right after a lead-in phrase that holds the value at `pos` (no model named before it)."""
    if not mentions or mentions[0].start < pos or not _LEAD_IN_RE.match(sentence):
        return None
    first = mentions[0]
    comma = sentence.find(",", pos)
    if comma < 0 or comma > first.start or not _LEAD_END_RE.search(sentence, 0, first.start):
        return None
    return first
