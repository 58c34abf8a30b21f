"""Short display labels: what the Neo4j Browser draws inside a node (its `label` caption).

The Browser fits a caption into the node's circle and cuts what does not fit with "…" ("Includes
built-i…"), so a node's full name is a poor caption. A label is the name cut at a word boundary to at
most `LABEL_LIMIT` characters, without a dangling connective ("Processes text and image inputs" ->
"Processes text and image"); the full name stays in `name` for tables and the node's inspector.
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


def short_label(text: str | None, limit: int = LABEL_LIMIT) -> str:
    """`text` on one line, cut at the last word boundary that keeps it within `limit` characters.

    A first word longer than `limit` is cut hard (`limit` characters, no ellipsis: the caption must fit).
    """
    words = re.sub(r"\s+", " ", text or "").strip()
    if len(words) <= limit:
        return words
    kept: list[str] = []
    for word in words.split(" "):
        if len(" ".join([*kept, word])) > limit:
            break
        kept.append(word)
    while len(kept) > 1 and kept[-1].lower().strip(_TRAILING) in _DANGLING:
        kept.pop()
    label = " ".join(kept).rstrip(_TRAILING)
    return label if label else words[:limit]
