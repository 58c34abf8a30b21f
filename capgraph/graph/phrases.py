"""Shared phrases: the two-word content phrases two capability texts both use.

A capability paragraph often covers several abilities ("keeps multi-turn conversations coherent through a
200K token context window"), and one embedding per paragraph blurs them: such a paragraph is close to
another model's "128,000-token context window" (cosine 0.6-0.7) yet can be paired only once one-to-one.
A phrase both texts use word for word ("context window", "function calling", "text image" in "text and
image inputs" / "text, images, and audio") names the ability they share, so `match.overlap` lets it pair
a paragraph a second time when the cosine also says so.

A phrase is two content words adjacent within one sentence once function words and generic verbs are
dropped ("processes text and image inputs" -> text·image, image·input); hyphens split ("function-calling"
= "function calling"), plurals and -ing fold ("images" = "image", "calling" = "call"), numbers and the models'
own names never count.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable

Phrase = tuple[str, str]

_SENTENCE_RE = re.compile(r"(?<=[a-z0-9)])[.;:!?](?:\s|$)")
_WORD_RE = re.compile(r"[a-z][a-z0-9]*(?:'s)?|[0-9][a-z0-9,.]*")
_FUNCTION_WORDS = frozenset(
    """a an the and or nor of to in on for with by from as at into via using use uses used its their it this
    that these those is are be been being can could may might will would should also both each other than
    more most such any all per up out over across within without which who whom what when where while not
    no only very so then there here through about between among after before during under above our your
    they them he she we you his her has have had do does did done""".split()  # noqa: SIM905
)
_GENERIC_WORDS = frozenset(
    """allow allows enable enables let lets support supports supporting provide provides providing include
    includes including implement implements implementing offer offers delivers deliver maintain maintains
    process processes processing handle handles handling perform performs feature features built native
    model models capability capabilities user users based new enabling allowing""".split()  # noqa: SIM905
)
_DROP = _FUNCTION_WORDS | _GENERIC_WORDS


def _fold(word: str) -> str:
    """Plural and -ing fold: "images" -> "image", "calling" -> "call" (a stem of at least 4 letters, so
    "tuning" stays), so "function calls" and "function calling" are one phrase, already covered once paired."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    if len(word) >= 7 and word.endswith("ing"):
        return word[:-3]
    return word


def words_of(text: str) -> set[str]:
    """The folded words of a name, for leaving the models' own names out of shared phrases."""
    return {_fold(w.removesuffix("'s")) for w in _WORD_RE.findall(text.lower().replace("-", " "))}


@functools.lru_cache(maxsize=1 << 14)
def phrases(text: str) -> frozenset[Phrase]:
    """Adjacent content-word pairs of each sentence of `text` (see the module docstring)."""
    out: set[Phrase] = set()
    for sentence in _SENTENCE_RE.split(text.lower()):
        content: list[str] = []
        for raw in _WORD_RE.findall(sentence.replace("-", " ").replace("/", " ")):
            bare = raw.removesuffix("'s")
            word = _fold(bare)
            if bare in _DROP or word in _DROP or len(word) < 2:
                continue
            content.append("#" if word[0].isdigit() else word)  # a number breaks a phrase, never makes one
        out.update((x, y) for x, y in itertools.pairwise(content) if "#" not in (x, y))
    return frozenset(out)


def shared_phrases(a: str, b: str, names: Iterable[str] = ()) -> list[str]:
    """The phrases `a` and `b` both use, without any word of `names` (the models' names), sorted."""
    own = set().union(*(words_of(n) for n in names)) if names else set()
    both = phrases(a) & phrases(b)
    return sorted(f"{x} {y}" for x, y in both if x not in own and y not in own)


_ITEM_END = r"(?!(?:to|for|with|by|in|on|from|into|through|using|via|that|which|while|as|at|of|and|or)\b)"
_LIST_REST = re.compile(
    r"^((?:,\s+[^,;.()]+?)+,?\s+(?:and|or)\s+[A-Za-z0-9][\w\-+/']*(?:\s+" + _ITEM_END + r"[\w\-+/']+){0,2})"
)
"""The rest of a comma list: ", b, and c d" (the last item up to three words, ending before a connective)."""


def whole_name(name: str, description: str) -> str:
    """`name` whole: when the description goes on with the list the name was cut from, the list's end is added
    ("Analyze screenshots of code" + ", whiteboards, and diagrams"). The name's words are found in order in
    the description's first sentence; any other name comes back as it is."""
    words = name.split()
    if not words:
        return name
    first = _SENTENCE_RE.split(description, maxsplit=1)[0]
    pattern = r"\b" + r"\s+(?:\w+\s+){0,2}?".join(re.escape(w) for w in words) + r"\b"
    found = re.search(pattern, first, re.I)
    if found is None:
        return name
    rest = _LIST_REST.match(first[found.end() :])
    return name + rest.group(1) if rest else name
