"""Stat tiles: a value line over its label line ("128K" / "Context") or a label over its value, as card
pages leave them once their boxes are gone; which values a tile may hold, and whose the tile is."""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.linekit import SENTENCE_END_RE, clean
from capgraph.ingest.vocab import canonical_attribute, typed_value

# A stat tile's label (`Context` over `128K tokens`) is at most this long.
MAX_TILE_LABEL_CHARS = 30
# A tile's value (a date, a price, a license word) is at most this long.
MAX_TILE_VALUE_CHARS = 40
# A lone value: a number with a magnitude or "tokens", a price, a year or a date.
LONE_VALUE_RE = re.compile(
    r"^(?:up to\s)?\$?\d[\d,.]*\s?(?:[KMBT]|thousand|million|billion)?(?:\s?tokens)?$|^\d{4}(?:-\d\d){0,2}$",
    re.IGNORECASE,
)


def named_tile(builder: ExtractionBuilder, found: list[tuple[int, int, str]], line: str, previous: str) -> bool:
    """A value tile whose label names its model ("671B" over "DeepSeek V3 Parameters"): claimed; True if so."""
    value = clean(previous)
    if len({m for _, _, m in found}) != 1 or found[0][0] > 1 or not LONE_VALUE_RE.match(value):
        return False
    label = line[found[-1][1] :].strip()
    if not label or len(label) > MAX_TILE_LABEL_CHARS or not canonical_attribute(label):
        return False
    builder.claim(found[0][2], label, value)
    return True


def foreign_label(label: str) -> bool:
    """ "DeepSeek Context Window": a label led by a name that is not the subject's (a vendor, a family)."""
    first, _, rest = label.partition(" ")
    return bool(rest) and first[:1].isupper() and first.lower() not in _LABEL_WORDS and bool(canonical_attribute(rest))


# Words that begin vocabulary labels themselves ("Max Output", "Total Parameters").
_LABEL_WORDS = frozenset(
    {"max", "maximum", "total", "active", "input", "output", "release", "released", "context", "knowledge",
     "training", "model", "base", "open", "license", "licence", "launch", "api", "price", "pricing"}
)  # fmt: skip


def tile_value(label: str, value: str) -> bool:
    """A tile's value under a vocabulary label: a lone number, or a short value the vocabulary can type
    ("July 23, 2024", "$2.5/1M tok", "proprietary"); a sentence is never a tile's value."""
    attribute = canonical_attribute(label)
    if attribute is None:
        return False
    if LONE_VALUE_RE.match(value.split(" (")[0]):
        return True
    if len(value) > MAX_TILE_VALUE_CHARS or SENTENCE_END_RE.search(value) or re.search(r"[|:]", value):
        return False
    return typed_value(attribute, value) is not None
