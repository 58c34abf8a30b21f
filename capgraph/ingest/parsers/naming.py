"""Short capability labels derived from descriptions, deterministically (no model involved).

Heuristic, applied to the first sentence of the description:
1. Drop a leading reference to the model itself ("Llama 4 ...", "The model ...", "o4-mini is ...") and
   enabling filler ("allows users to", "is a"): the label should say what, not who.
2. Drop articles, "both" and -ly adverbs ("directly", "automatically").
3. Keep words up to the first clause boundary: a parenthesis, ";", ":", a dash, or a linking word
   ("through", "using", "with", "for", "to", "by", "based", "that", "which", "designed", ...), but
   never stop before three words; cap at six words; trim dangling linking words; capitalize.

"Integrates extended chain-of-thought reasoning directly into the function-calling path" ->
"Integrates extended chain-of-thought reasoning".
"""

from __future__ import annotations

import re

_MIN_WORDS = 3
_MAX_WORDS = 6

_STOP_WORDS = frozenset(
    {
        "through", "using", "via", "with", "for", "to", "by", "based", "that", "which", "where", "while",
        "allowing", "enabling", "making", "providing", "leveraging", "designed", "built", "trained",
        "into", "in", "on", "of", "from", "across", "without", "at", "as", "when", "so",
        "because", "than", "such", "including", "within", "over", "under", "beyond", "per", "like",
        "but",
    }
)  # fmt: skip
_DANGLING = _STOP_WORDS | {"a", "an", "the", "its", "their", "and", "or", "&"}
_FILLER = frozenset({"a", "an", "the", "both", "also", "very", "highly", "really"})
_LEAD_RE = re.compile(
    r"^(?:(?:the|this|that|our|its)\s+(?:model|system|tool|repository|repo|api|service|it)\b\s*|it\s+)",
    re.IGNORECASE,
)
_ENABLER_RE = re.compile(
    r"^(?:is|was|are|provides users with|allows (?:users|developers|you|teams) to|"
    r"enables (?:users|developers|you|teams) to|lets (?:users|developers|you|teams)|can)\s+",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_CLAUSE_PUNCT = (";", ":", ")", "—", "–")


def _strip_model_prefix(text: str, model_names: list[str]) -> str:
    lowered = text.lower()
    for name in sorted((n for n in model_names if n), key=len, reverse=True):
        if lowered.startswith(name.lower()):
            rest = text[len(name) :]
            if re.match(r"^[.\-]\w", rest):
                continue  # "Claude Sonnet 4" inside "Claude Sonnet 4.6": not the whole name
            if not rest or not rest[0].isalnum():
                rest = re.sub(r"^(?:'s|’s)\b", "", rest)
                return rest.lstrip(" ,:-").lstrip()
    return text


def capability_name(description: str, model_names: list[str]) -> str:
    """A 3-6 word label for a capability description (see the module docstring for the rules)."""
    first = _SENTENCE_END_RE.split(" ".join(description.split()), maxsplit=1)[0]
    text = _strip_model_prefix(first, model_names)
    for _ in range(3):
        stripped = _ENABLER_RE.sub("", _LEAD_RE.sub("", text, count=1), count=1)
        if stripped == text:
            break
        text = stripped
    words: list[str] = []
    for raw in text.split():
        bare = raw.strip("\"'“”‘’()[]").rstrip(".;:!?")
        low = bare.lower().rstrip(",")
        if not bare or low in _FILLER or (low.endswith("ly") and len(low) > 4 and low not in {"only", "early"}):
            continue
        if len(words) >= _MIN_WORDS and (low in _STOP_WORDS or raw.startswith("(")):
            break
        words.append(bare)
        if len(words) >= _MAX_WORDS or (raw.endswith(_CLAUSE_PUNCT) and len(words) >= _MIN_WORDS):
            break
    # never cut a list mid-way ("of code, whiteboards, and"): stop at its first item
    comma = next((k for k, w in enumerate(words) if w.endswith(",")), None)
    if comma is not None and comma + 1 >= _MIN_WORDS:
        words = words[: comma + 1]
    while words and words[-1].lower().rstrip(",") in _DANGLING:
        words.pop()
    if words:
        words[-1] = words[-1].rstrip(",")
    if not words:
        words = description.split()[:_MAX_WORDS]
    label = " ".join(words)
    return label[:1].upper() + label[1:]
