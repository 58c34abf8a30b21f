"""Several facts in one cell, read as `name: value` items:

- several models in one cell of a benchmark's row (`| MMLU | ... | Model A: ~91%; Model B: 89% |`): each item is
  that model's score on the row's benchmark (the first cell);
- several benchmarks in one cell of a model's row (`Model X ... | MT-Bench: 8.6 / MMLU: ~81% |`, or the same row
  with its cells run together): each item is the row's model's score on the item's benchmark. The row's model
  is the name the line starts with; in a glued row it ends where a vendor's name starts ("Command R+Cohere"),
  else it is the longest known name the line starts with.

An item's value is a number with an optional approximation mark ("~", "≈") before it and an optional unit
("%", "/10", "/100"), "+" or short parenthetical after it; a range ("87-92%") or a size ("70B") is no value.
Lines read here are handed back so that the sentence reader does not read them again (a cell's neighbouring
text names other benchmarks, which would misattribute its numbers). Each line is scanned a bounded number of
times (name prefixes are tried up to MAX_NAME_CHARS), so the pass is linear in the text's length.
"""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.glued import camel_split
from capgraph.ingest.parsers.linekit import MAX_LABEL_CHARS, MAX_ROW_CHARS, NOT_SCORE_LABEL_RE, add_score
from capgraph.ingest.parsers.prose_terms import BENCH_RE
from capgraph.ingest.parsers.tables import is_table_line, split_cells
from capgraph.ingest.vocab import canonical_attribute

# A row's model name is at most this long; a cell holds at most this many items.
MAX_NAME_CHARS = 60
MAX_ITEMS = 12
# `name: value`, the value maybe approximate, maybe followed by "+" or a short gloss.
_VALUE_RE = re.compile(
    r"\s*(?:~|≈|approx\.?\s?|about\s)?(?P<n>\d{1,4}(?:\.\d{1,3})?)\s?(?P<u>%|/\s?100\b|/\s?10\b)?\+?"
    r"(?P<end>\s*\([^()]{0,40}\))?(?=$|[\s/;,|)]|[A-Z])"
)
_ITEM_SPLIT_RE = re.compile(r"\s*(?:;|,\s|\s/\s|\|)\s*")
_LEAD_WORD_RE = re.compile(r"[A-Za-z][A-Za-z]*")
_COLON_VALUE_RE = re.compile(r":\s*(?:~|≈)?\d")


def cell_lists(lines: list[str], builder: ExtractionBuilder) -> set[str]:
    """Read every line holding `name: value` items; the stripped lines that gave scores."""
    used: set[str] = set()
    for line in lines:
        if len(line) > MAX_ROW_CHARS or not _COLON_VALUE_RE.search(line):
            continue
        if _models_in_cell(line, builder) or _benchmarks_in_row(line, builder):
            used.add(line.strip())
    return used


def _value(text: str) -> tuple[float, str | None] | None:
    """The score an item's text starts with, or None ("87-92%", "70B", "2024" with a dash are not)."""
    match = _VALUE_RE.match(text)
    if match is None or text[match.end("n") : match.end("n") + 1] in ("-", "–", "x"):
        return None
    unit = match.group("u").replace(" ", "") if match.group("u") else None
    number = float(match.group("n"))
    if unit is None and "." not in match.group("n") and number < 10:
        return None  # a bare small integer is a count or a rank
    return number, unit


def _models_in_cell(line: str, builder: ExtractionBuilder) -> bool:
    """A pipe row whose first cell names a benchmark and one of whose cells lists models with values."""
    if not is_table_line(line):
        return False
    cells = split_cells(line)
    label = cells[0].strip("*_ ")
    if not label or len(label) > MAX_LABEL_CHARS or canonical_attribute(label) or NOT_SCORE_LABEL_RE.search(label):
        return False
    if builder.resolver.looks_like_model(label):
        return False
    found = False
    for cell in cells[1:]:
        items: list[tuple[str, float, str | None]] = []
        for part in _ITEM_SPLIT_RE.split(cell)[:MAX_ITEMS]:
            name, sep, rest = part.partition(":")
            value = _value(rest) if sep else None
            name = name.strip()
            if value is None or not (builder.resolver.is_known(name) or builder.resolver.looks_like_model(name)):
                continue
            items.append((name, *value))
        if len(items) < 2:
            continue
        for name, number, unit in items:
            model_id = builder.model(name)
            if model_id is not None:
                add_score(builder, model_id, label, number, unit)
                found = True
    return found


def _benchmarks_in_row(line: str, builder: ExtractionBuilder) -> bool:
    """A row that starts with a model's name and holds `BENCHMARK: value` items."""
    text = camel_split(line.replace("|", " | ")) if not is_table_line(line) else line
    items: list[tuple[int, str, float, str | None]] = []
    for match in BENCH_RE.finditer(text):
        after = text[match.end() :]
        if not after.startswith(":"):
            continue
        value = _value(after[1:])
        if value is not None:
            items.append((match.start(), match.group(0), *value))
        if len(items) >= MAX_ITEMS:
            break
    if not items:
        return False
    first = line.find(items[0][1])
    head = split_cells(line)[0] if is_table_line(line) else line[: first if first >= 0 else 0]
    if _two_models(head, builder):
        return len(items) >= 2  # "A / B" heads a row that is no one model's: no sentence reading places it
    model_id = _row_model(head, builder)
    if model_id is None:
        return False
    for _, bench, number, unit in items:
        if not NOT_SCORE_LABEL_RE.search(bench):
            add_score(builder, model_id, bench, number, unit)
    return True


_ALTERNATIVES_RE = re.compile(r"^\s*(?:/|or|&)\s*$")


def _two_models(head: str, builder: ExtractionBuilder) -> bool:
    """The row starts with two names given as alternatives ("GPT-4.5 / GPT-4-turbo")."""
    mentions = builder.resolver.find_mentions(head[:MAX_NAME_CHARS])
    return len(mentions) >= 2 and bool(_ALTERNATIVES_RE.match(head[mentions[0].end : mentions[1].start]))


def _row_model(head: str, builder: ExtractionBuilder) -> str | None:
    """The model a row starts with: the name before a glued vendor's name, else the longest known prefix."""
    text = head.strip().strip("*_|# ")
    resolver = builder.resolver
    if not text or text[0].isdigit():
        return None
    known: str | None = None
    for cut in range(2, min(len(text), MAX_NAME_CHARS) + 1):
        name = text[:cut].rstrip()
        if cut < len(text) and (text[cut - 1].isspace() or (not name[-1:].isalnum() and name[-1:] not in "+)")):
            continue
        rest = text[cut:].lstrip()
        word = _LEAD_WORD_RE.match(rest)
        vendor_next = bool(word and resolver.vendor_name(word.group(0)))
        if vendor_next and not resolver.looks_like_model(rest[:MAX_NAME_CHARS]) and _named(name, builder):
            return builder.model(name)
        if resolver.is_known(name):
            known = name
    if known is not None:
        return builder.model(known)
    if len(text) <= MAX_NAME_CHARS and resolver.looks_like_model(text):
        return builder.model(text)
    return None


_NAME_WORD_RE = re.compile(r"^[A-Za-z0-9][\w.+-]*$")


def _named(name: str, builder: ExtractionBuilder) -> bool:
    resolver = builder.resolver
    return resolver.is_known(name) or resolver.looks_like_model(name) or _name_like(name)


def _name_like(name: str) -> bool:
    """A product name of a few words starting with a capital ("Command R+", "Mistral Large")."""
    words = name.split()
    return (
        1 <= len(words) <= 4
        and name[:1].isupper()
        and all(_NAME_WORD_RE.match(w) and w.lower() not in ("the", "and", "or") for w in words)
    )
