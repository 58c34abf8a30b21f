"""Tables that lost their rows: one cell per line. A header run of K+1 short lines (a row label such as
"Benchmark", then K column heads naming models or providers) is followed by rows of one label line and
K value lines:

    Metric / Nimbus 3 / Corvid 2 Pro / Context window / 200K tokens / 128K tokens / ARC-AGI / 61.2% / 55.0%

K is read from the header (the longest run of name-shaped lines after a label line, 2 <= K <= MAX_COLUMNS)
and the table is accepted only when at least MIN_ROWS following groups of K+1 lines are a label and K
value-shaped cells (numbers, percents, prices, token counts, dates, yes/no marks, "N/A"). A value may end
in a parenthetical model hint ("$0.80/M (Haiku)"): under a provider column ("Anthropic") the hint names
the model the value belongs to. Rows with a vocabulary label become typed claims; rows of scores (a
percent or a decimal) become scores. The column models are compared pairwise: they share one table.

Each line is looked at a bounded number of times (a header try reads at most (MAX_COLUMNS + 1) *
(MIN_ROWS + 1) lines and a failed try moves on by one line), so the pass is linear in the text's length.
"""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.linekit import MAX_COLUMNS, MAX_LABEL_CHARS, SENTENCE_END_RE
from capgraph.ingest.parsers.model_rows import score_cell
from capgraph.ingest.parsers.non_models import not_a_model
from capgraph.ingest.resolve import Resolver
from capgraph.ingest.vocab import canonical_attribute, typed_value

# A table is taken only when this many rows after the header fit its column count.
MIN_ROWS = 2
# A column head is at most this many words and characters (a name, not a sentence).
MAX_HEAD_WORDS = 5
MAX_HEAD_CHARS = 40
# A value cell is at most this long once its parenthetical hint is removed.
MAX_VALUE_CHARS = 40

# A value by shape: an optional "~"/"up to", then a price, number, percent, count with unit, or a date.
_VALUE_RE = re.compile(
    r"^(?:~|≈|up to\s|<\s?|>\s?)?(?:\$\s?)?\d[\d,]*(?:\.\d+)?\s?(?:%|[KMBT]\b|k\b|x\b)?"
    r"(?:\s?(?:tokens?|/\s?1?[MK]\b|per\s(?:1M|million)|params?|parameters|pts|points|/100|/10)\S*)*"
    r"(?:\s?(?:input|output|in|out))?$",
    re.IGNORECASE,
)
_DATE_RE = re.compile(
    r"^(?:\d{4}-\d{2}(?:-\d{2})?|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s(?:\d{1,2},?\s)?\d{4})$",
    re.IGNORECASE,
)
_MARK_RE = re.compile(r"^(?:(?:yes|no|n/?a|none|not disclosed|unknown)\b|[—–✅❌✓✔✗✘-]\s*$)", re.IGNORECASE)
_HINT_RE = re.compile(r"\s*\(([^()]{1,40})\)\s*$")
_HEAD_RE = re.compile(r"^[A-Za-z0-9][\w .+/@()-]*$")


def vertical_tables(lines: list[str], builder: ExtractionBuilder) -> list[str]:
    """Read every one-cell-per-line table of the page (`lines` are its non-blank lines); the lines again,
    with those of the tables read blanked, so no later reader takes a cell for a tile or a heading."""
    cells = _Cells([line.strip() for line in lines])
    out = list(lines)
    i = 0
    while i < len(cells.text):
        width = _header_width(cells, i)
        rows = _rows(cells, i + 1 + width, width) if width else []
        if len(rows) < MIN_ROWS:
            i += 1
            continue
        _read(cells.text[i + 1 : i + 1 + width], rows, builder)
        end = i + 1 + width + len(rows) * (width + 1)
        out[i:end] = [""] * (end - i)
        i = end
    return out


class _Cells:
    """The lines with what each one is (label, column head, value, vocabulary attribute), each worked
    out once: the header tries look at a line several times."""

    def __init__(self, text: list[str]) -> None:
        self.text = text
        self._shaped = [_shaped_value(line) for line in text]
        self._attribute: dict[int, str | None] = {}
        # next_value[i]: the first value-shaped line at or after i (len(text) when none)
        self.next_value = [len(text)] * (len(text) + 1)
        for i in range(len(text) - 1, -1, -1):
            self.next_value[i] = i if self._shaped[i] else self.next_value[i + 1]

    def shaped(self, i: int) -> bool:
        return self._shaped[i]

    def label(self, i: int) -> bool:
        """A row label: short, holds a letter, is no value and no sentence."""
        text = self.text[i]
        return (
            0 < len(text) <= MAX_LABEL_CHARS
            and any(ch.isalpha() for ch in text)
            and not SENTENCE_END_RE.search(text)
            and not self.shaped(i)
        )

    def head(self, i: int) -> bool:
        text = self.text[i]
        return (
            len(text) <= MAX_HEAD_CHARS
            and len(text.split()) <= MAX_HEAD_WORDS
            and bool(_HEAD_RE.match(text))
            and not self.shaped(i)
        )

    def attribute(self, i: int) -> str | None:
        if i not in self._attribute:
            self._attribute[i] = canonical_attribute(self.text[i])
        return self._attribute[i]

    def value(self, label: int, i: int) -> bool:
        """A value cell: value-shaped, or a short value the row's vocabulary attribute can type ("Apache 2.0")."""
        if self.shaped(i):
            return True
        attribute = self.attribute(label)
        if attribute is None:
            return False
        value = split_hint(self.text[i])[0]
        return (
            len(value) <= MAX_VALUE_CHARS
            and not SENTENCE_END_RE.search(value)
            and typed_value(attribute, value) is not None
        )


def _header_width(cells: _Cells, i: int) -> int:
    """K when line i is a row label followed by K >= 2 name-shaped column heads, else 0."""
    if not cells.label(i):
        return 0
    k = 0
    while k < MAX_COLUMNS and i + 1 + k < len(cells.text) and cells.head(i + 1 + k):
        k += 1
    if k < 2 or cells.next_value[i + 1] > i + 2 * k + 2:
        return 0  # no value-shaped cell where the first row of any width would be
    # the heads may be followed by the first row label, itself name-shaped: try the longest width first
    for width in range(k, 1, -1):
        if len(_rows(cells, i + 1 + width, width, limit=MIN_ROWS)) >= MIN_ROWS:
            return width
    return 0


def _rows(cells: _Cells, start: int, width: int, limit: int | None = None) -> list[tuple[str, list[str]]]:
    """Consecutive groups of a label line and `width` value lines, from `start`."""
    rows: list[tuple[str, list[str]]] = []
    pos = start
    while pos + width < len(cells.text) and (limit is None or len(rows) < limit):
        if not cells.label(pos) or not all(cells.value(pos, pos + 1 + j) for j in range(width)):
            break
        rows.append((cells.text[pos], cells.text[pos + 1 : pos + 1 + width]))
        pos += width + 1
    return rows


def split_hint(text: str) -> tuple[str, str | None]:
    """ "$0.80/M (Haiku)" -> ("$0.80/M", "Haiku"); a value without a hint is returned as is."""
    match = _HINT_RE.search(text)
    if match is None or match.start() == 0:
        return text, None
    return text[: match.start()].strip(), match.group(1).strip()


def _shaped_value(text: str) -> bool:
    value = split_hint(text)[0]
    return len(value) <= MAX_VALUE_CHARS and bool(
        _VALUE_RE.match(value) or _DATE_RE.match(value) or _MARK_RE.match(value)
    )


def _read(heads: list[str], rows: list[tuple[str, list[str]]], builder: ExtractionBuilder) -> None:
    """Claims and scores per cell; the models side by side in one row are compared (the column models,
    or the models the hints of a row name: a provider table compares each row's models, not all of them)."""
    resolver = builder.resolver
    if _models_as_rows(heads, [label for label, _ in rows], resolver):
        heads, rows = [label for label, _ in rows], _transpose(heads, rows)
    columns = [None if not_a_model(head, resolver) else builder.model(head) for head in heads]
    groups: list[list[str]] = []
    for label, values in rows:
        in_row: list[str] = []
        for column, raw in zip(columns, values, strict=True):
            value, hint = split_hint(raw)
            model_id = builder.model(hint) if hint is not None and resolver.looks_like_model(hint) else column
            if model_id is None:
                continue
            if canonical_attribute(label):
                builder.claim(model_id, label, value)
            else:
                score_cell(builder, model_id, label, value.replace(" ", ""))
            in_row.append(model_id)
        groups.append(in_row)
    for group in groups:
        builder.compare_group(group)


def _models_as_rows(heads: list[str], labels: list[str], resolver: Resolver) -> bool:
    """The heads name attributes (`Model / Input / Output / Context`) and the row labels name models: the
    table lists one model per row. Decided by counting vocabulary heads and model-like names on each side."""
    attribute_heads = sum(1 for head in heads if canonical_attribute(head))
    model_heads = sum(1 for head in heads if resolver.is_known(head) or resolver.looks_like_model(head))
    model_labels = sum(1 for label in labels if resolver.is_known(label) or resolver.looks_like_model(label))
    return model_labels > model_heads or attribute_heads * 2 >= len(heads)


def _transpose(heads: list[str], rows: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Rows of one model each -> rows of one attribute each (the heads), one value per model."""
    return [(head, [values[j] for _, values in rows]) for j, head in enumerate(heads)]
