"""The word tokens of a model name and its slug: the shared ground of the resolver and the mention scanner.

A name is cut into lowercase alphanumeric tokens; a letter run of three or more glued to a digit is split
("gpt4o" -> gpt, 4o) and a vendor glued to the end of a cell is a token of its own ("GPT-4oOpenAI").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import NamedTuple

from capgraph.ingest.aliases import VENDORS
from capgraph.ingest.name_shapes import GLUED_VENDORS, split_glued_vendor

WORD_RE = re.compile(r"[^\W_]+")
_GLUED_DIGIT_RE = re.compile(r"(?<=[^\W\d_]{3})(?=\d)")
HAS_DIGIT_RE = re.compile(r"\d")
SIZE_RE = re.compile(r"^\d+(?:x\d+)?[bm]$")
_WRAP_CHARS = " \t*_`\"'“”‘’[]<>•·-–—:;,.!?"
JOINERS = frozenset({"", " ", "-", ".", "_", "\u00a0", "\u2011", "\u2010"})
MAX_VENDOR_LEAD = 30  # characters a vendor spelling before a name may take


class Token(NamedTuple):
    """One lowercase word of a name and its span in the text."""

    word: str
    start: int
    end: int


def _split_word(word: str, start: int) -> Iterator[Token]:
    lower = word.lower()
    if not HAS_DIGIT_RE.search(lower):
        yield Token(lower, start, start + len(word))
        return
    pos = 0
    for cut in [m.start() for m in _GLUED_DIGIT_RE.finditer(lower)] + [len(lower)]:
        yield Token(lower[pos:cut], start + pos, start + cut)
        pos = cut


def _split_glued(parts: tuple[str, str], start: int) -> list[Token]:
    head, vendor = parts
    cut = start + len(head)
    tokens = [Token(head.lower(), start, cut)] if head.isalpha() or head.isdigit() else list(_split_word(head, start))
    return [*tokens, Token(vendor.lower(), cut, cut + len(vendor))]


def tokenize(text: str, offset: int = 0, limit: int | None = None) -> list[Token]:
    """The name tokens of `text` (offsets shifted by `offset`), stopping after `limit` of them."""
    out: list[Token] = []
    for match in WORD_RE.finditer(text):
        word = match.group(0)
        start = match.start() + offset
        if word.isalpha() or word.isdigit():
            if word.endswith(GLUED_VENDORS) and (glued := split_glued_vendor(word)):
                out.extend(_split_glued(glued, start))  # "ProGoogle": the vendor is a word of its own
            else:
                out.append(Token(word.lower(), start, start + len(word)))
        elif word.endswith(GLUED_VENDORS) and (glued := split_glued_vendor(word)):
            out.extend(_split_glued(glued, start))  # "GPT-4oOpenAI"
        else:
            out.extend(_split_word(word, start))
        if limit is not None and len(out) >= limit:
            break
    return out


def slugify(name: str) -> str:
    """The id form of a name: lowercase alphanumeric tokens joined by '-' ("GPT-4o" -> "gpt-4o")."""
    text = unicodedata.normalize("NFKC", name)
    return "-".join(token.word for token in tokenize(text))


def clean(name: str) -> str:
    """A name without list numbers, wrapping punctuation, a possessive or unbalanced brackets."""
    text = " ".join(unicodedata.normalize("NFKC", name).split())
    text = re.sub(r"^(?:\d{1,2}[.)]\s+)", "", text)
    text = text.strip(_WRAP_CHARS)
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    if text.count("(") != text.count(")"):
        text = text.replace("(", " ").replace(")", " ")
        text = " ".join(text.split())
    return text.strip(_WRAP_CHARS)


def tokens_follow(text: str, end: int) -> bool:
    """Whether "tokens"/"context" follows `end` ("1M tokens" is a context window, not a size)."""
    return _TOKENS_AFTER_RE.match(text, end) is not None


_TOKENS_AFTER_RE = re.compile(r"\s?(?:tokens?|context|ctx)\b", re.IGNORECASE)


def gap(text: str, left: Token, right: Token) -> str:
    """The characters between two tokens (what joins or separates them)."""
    return text[left.end : right.start]


def glued_before(text: str, pos: int) -> bool:
    """A name glued to the word before it by a hyphen or dot ("text-o1") is part of another name, unless
    that word is its maker ("Meta-Llama 3.1 405B")."""
    if not (text[pos - 1] in "-._" and pos > 1 and text[pos - 2].isalpha()):
        return False
    word = _WORD_BEFORE_RE.search(text, max(0, pos - MAX_VENDOR_LEAD), pos)
    return word is None or word.group(1).lower() not in VENDORS


_WORD_BEFORE_RE = re.compile(r"(?:^|[^\w-])([A-Za-z][\w-]*?)[-._]$")
