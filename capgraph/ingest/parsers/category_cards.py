"""Category cards whose cells became lines: a heading, then model / value lines in turn
("Reasoning" / "Model A" / "71.5" / "Model B" / "64.0"), with at most one "winner" line naming a model
between the heading and the pairs. Each pair is that model's score on the heading (often a category
average the page computed).

Read by shape only: the heading is a short label that names no model and holds no number of its own;
a pair is a line that is exactly one model name followed by a line that is exactly one number. At least
MIN_PAIRS pairs of distinct models are needed; each line is looked at a bounded number of times.
"""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.linekit import MAX_LABEL_CHARS, add_score
from capgraph.ingest.vocab import canonical_attribute

MIN_PAIRS = 2
# A heading has at most this many words (more make a sentence).
MAX_HEADING_WORDS = 5
_VALUE_RE = re.compile(r"^\s*(\d{1,4}(?:\.\d+)?)\s?(%|/\s?100|/\s?10)?\s*$")
_SENTENCE_END_RE = re.compile(r"[.!?:,;]$")


def category_cards(lines: list[str], builder: ExtractionBuilder) -> None:
    """Scores from every heading followed by model/value line pairs."""
    i = 0
    while i < len(lines):
        heading = lines[i].strip()
        if not _value_ahead(lines, i) or not _heading(heading, builder):
            i += 1
            continue
        j = i + 1
        if j + 1 < len(lines) and _model(lines[j], builder) and _model(lines[j + 1], builder):
            j += 1  # the card's "winner" line
        pairs: list[tuple[str, re.Match[str]]] = []
        while j + 1 < len(lines) and (model_id := _model(lines[j], builder)):
            value = _VALUE_RE.match(lines[j + 1])
            if value is None:
                break
            pairs.append((model_id, value))
            j += 2
        if len(pairs) >= MIN_PAIRS and len({m for m, _ in pairs}) == len(pairs):
            for model_id, value in pairs:
                unit = value.group(2).replace(" ", "") if value.group(2) else None
                add_score(builder, model_id, heading, float(value.group(1)), unit)
            i = j
            continue
        i += 1


def _value_ahead(lines: list[str], i: int) -> bool:
    """A cheap first test: a card's first value is two lines below its heading (three after a winner line)."""
    return any(_VALUE_RE.match(lines[k]) for k in (i + 2, i + 3) if k < len(lines))


def _heading(line: str, builder: ExtractionBuilder) -> bool:
    return (
        0 < len(line) <= MAX_LABEL_CHARS
        and any(ch.isalpha() for ch in line)
        and not any(ch.isdigit() for ch in line)
        and len(line.split()) <= MAX_HEADING_WORDS
        and not _SENTENCE_END_RE.search(line)
        and canonical_attribute(line) is None
        and not builder.resolver.find_mentions(line)
        and not builder.resolver.looks_like_model(line)
    )


def _model(line: str, builder: ExtractionBuilder) -> str | None:
    """The model id when the whole line is one model name."""
    text = line.strip()
    if not text or len(text) > MAX_LABEL_CHARS or not builder.resolver.looks_like_model(text):
        return None
    return builder.model(text)
