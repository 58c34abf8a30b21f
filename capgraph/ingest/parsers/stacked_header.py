"""Tables whose column heads are stacked over two lines, as forum posts and flattened pages keep them:

    Talon Talon Talon Whisper wav2vec 2.0
    28M 300M 1B Large 960h
    librispeech clean 3.21 2.52 2.40 2.7 2.7
    common voice 13.88 11.65 8.86 9.5 29.9

Cells are split by single spaces, so no column survives as such. The structure still shows: a run of rows
that each end in the same number K ≥ 2 of numbers after a worded label, under a line of exactly K tokens
(the lower head) and a line whose tokens group into K heads (the upper head; a token that starts with a
digit, such as a version "2.0", stays with the word before it). Column c is "upper[c] lower[c]"; a column
is read only when that name is a model's, and a table only when two or more columns are.
"""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document
from capgraph.ingest.parsers.non_models import not_a_model

_NUMBER = r"[-+]?\d+(?:\.\d+)?%?"
_ROW_RE = re.compile(rf"^(?P<label>[A-Za-z][^\d%]*?)\s+(?P<values>{_NUMBER}(?:\s+{_NUMBER})+)\s*$")
_MIN_ROWS = 2
_MAX_COLUMNS = 12
_MAX_LINE_CHARS = 200


def _row(line: str) -> tuple[str, list[str]] | None:
    """(label, value cells) of a 'worded label then numbers' line."""
    if len(line) > _MAX_LINE_CHARS:
        return None
    match = _ROW_RE.match(line.strip())
    if not match:
        return None
    values = match.group("values").split()
    return (match.group("label").strip(), values) if 2 <= len(values) <= _MAX_COLUMNS else None


def _upper_heads(line: str, k: int) -> list[str] | None:
    """The upper head line grouped into k heads: a digit-led token joins the token before it."""
    groups: list[str] = []
    for token in line.split():
        if groups and token[0].isdigit():
            groups[-1] += " " + token
        else:
            groups.append(token)
    return groups if len(groups) == k else None


def _column_names(upper: str, lower: str, k: int) -> list[str] | None:
    lows = lower.split()
    highs = _upper_heads(upper, k)
    if len(lows) != k or highs is None or _row(lower) is not None or _row(upper) is not None:
        return None
    return [f"{high} {low}" for high, low in zip(highs, lows, strict=True)]


def read_stacked_headers(doc: Document, builder: ExtractionBuilder) -> None:
    """Scores from every two-line-headed table of the text (see the module docstring)."""
    lines = [line.strip() for line in doc.lines]
    i = 2
    while i < len(lines):
        first = _row(lines[i])
        if first is None:
            i += 1
            continue
        k = len(first[1])
        rows = [first]
        j = i + 1
        while j < len(lines) and (nxt := _row(lines[j])) is not None and len(nxt[1]) == k:
            rows.append(nxt)
            j += 1
        names = _column_names(lines[i - 2], lines[i - 1], k) if len(rows) >= _MIN_ROWS else None
        if names is not None:
            _read(builder, names, rows)
        i = j


def _read(builder: ExtractionBuilder, names: list[str], rows: list[tuple[str, list[str]]]) -> None:
    resolver = builder.resolver
    named = [resolver.try_canonical(name) is not None and not not_a_model(name, resolver) for name in names]
    if sum(named) < 2:
        return
    ids = [builder.model(name) if ok else None for name, ok in zip(names, named, strict=True)]
    for label, values in rows:
        for mid, cell in zip(ids, values, strict=True):
            if mid:
                unit = "%" if cell.endswith("%") else None
                builder.score(mid, label, float(cell.rstrip("%")), unit)
    builder.compare_group([mid for mid in ids if mid])
