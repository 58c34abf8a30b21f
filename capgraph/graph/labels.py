"""Short display labels: what the Neo4j Browser draws inside a node (its `label` caption).

The Browser fits a caption into the node's circle and cuts what does not fit with "…" ("Includes
built-i…"), so a node's full name is a poor caption. A label is the name cut at a word boundary to at
most `LABEL_LIMIT` characters, without a dangling connective ("Meta's flagship mixture-of-experts" ->
"Meta's flagship"), and without a leading generic verb when that makes it fit ("Includes built-in function
calling" -> "Function calling", not "Includes built-in" like its safety sibling); the full name stays in
`name` for tables and the node's inspector.
"""

from __future__ import annotations

import re
from typing import Final

# The longest caption that fits, on three lines, inside the smallest captioned node of capgraph.grass
# (a 64 px Capability at 10 px font); the Browser test asserts that no drawn caption is cut.
LABEL_LIMIT: Final = 22

# Words a cut label should not end on: they promise a continuation the label no longer has.
_DANGLING: Final = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "via", "with"}
)
_TRAILING: Final = " ,;:-–—/&(+'\""

# Verbs capability names open with ("Includes built-in safety mechanisms"): they say nothing of which
# capability it is, and cutting after them makes labels that read alike ("Includes built-in" twice).
_LEAD_VERBS: Final = frozenset(
    """allows delivers enables features handles implements includes maintains offers processes provides
    supports uses""".split()  # noqa: SIM905
)


def _without_lead_verb(words: list[str], limit: int) -> str | None:
    """The words after a leading generic verb, whole when they fit, else their longest tail of at least two
    words that fits and does not open on a connective (the head noun of a noun phrase comes last:
    "built-in function calling" -> "function calling"); None when neither exists."""
    if len(words) < 3 or words[0].lower() not in _LEAD_VERBS:
        return None
    rest = words[1:]
    for start in range(len(rest) - 1):
        tail = " ".join(rest[start:]).rstrip(_TRAILING)
        if len(tail) <= limit and rest[start].lower() not in _DANGLING:
            return tail[:1].upper() + tail[1:]
    return None


def short_label(text: str | None, limit: int = LABEL_LIMIT) -> str:
    """`text` on one line; when too long, without a leading generic verb ("Includes", "Provides") and cut
    to the noun phrase's end (`_without_lead_verb`), else cut at the last word boundary within `limit`.

    A first word longer than `limit` is cut hard (`limit` characters, no ellipsis: the caption must fit).
    """
    words = re.sub(r"\s+", " ", text or "").strip()
    if len(words) <= limit:
        return words
    lead = _without_lead_verb(words.split(" "), limit)
    if lead:
        return lead
    kept: list[str] = []
    for word in words.split(" "):
        if len(" ".join([*kept, word])) > limit:
            break
        kept.append(word)
    while len(kept) > 1 and kept[-1].lower().strip(_TRAILING) in _DANGLING:
        kept.pop()
    label = " ".join(kept).rstrip(_TRAILING)
    return label if label else words[:limit]
