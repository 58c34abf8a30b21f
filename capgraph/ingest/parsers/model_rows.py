"""Models as rows with the cells run together: a header of column names glued in camel case
("ModelLS cleanLS otherCommon VoiceNoisy real-world"), then per model a name line (maybe a vendor line)
and one line of glued values ("2.1%4.2%7.3%7.9%19"). Score columns become scores of that model."""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.linekit import MAX_LABEL_CHARS, MAX_ROW_CHARS, NOT_SCORE_LABEL_RE, add_score

_CAMEL_RE = re.compile(r"(?<=[a-z0-9)])(?=[A-Z])")
_VALUE_RE = re.compile(r"(?:100|[1-9]?\d)(?:\.\d+)?%|\d+(?:\.\d+)?|N/?A|—|–")
_ALL_VALUES_RE = re.compile(r"^(?:(?:100|[1-9]?\d)(?:\.\d+)?%|\d+(?:\.\d+)?|N/?A|—|–|\s)+$")
_SCORE_RE = re.compile(r"^(\d+(?:\.\d+)?)(%)?$")
# A header has this many columns at least (name + two values); name lines between rows at most this many.
MIN_HEADER_CELLS = 3
MAX_NAME_LINES = 3
# Rows after the header: the reader stops after this many lines that are neither names nor values.
MAX_GAP_LINES = 2


def model_rows(lines: list[str], builder: ExtractionBuilder) -> None:
    k = 0
    while k < len(lines):
        cells = _header_cells(lines[k])
        if cells:
            k = _read_rows(lines, k + 1, cells, builder)
        else:
            k += 1


def _header_cells(line: str) -> list[str]:
    text = line.strip()
    if len(text) > MAX_ROW_CHARS or re.search(r"\d%|\$\d", text):
        return []
    cells = [c.strip() for c in _CAMEL_RE.split(text)]
    if len(cells) < MIN_HEADER_CELLS or any(not c or len(c) > MAX_LABEL_CHARS // 2 for c in cells):
        return []
    return cells


def _split_values(line: str, count: int) -> list[str] | None:
    """The glued values of a row, read left to right; None unless there are exactly `count`."""
    text = line.strip()
    if not _ALL_VALUES_RE.match(text):
        return None
    values = _VALUE_RE.findall(text.replace(" ", ""))
    return values if len(values) == count else None


def score_cell(builder: ExtractionBuilder, model_id: str, label: str, value: str) -> None:
    """A value cell under a score column ("87.5%", "71.2"): a score of that model; a bare integer is a
    count or a rank, and a column named like a count or a price is no benchmark."""
    match = _SCORE_RE.match(value)
    if match and not NOT_SCORE_LABEL_RE.search(label) and (match.group(2) or "." in value):
        add_score(builder, model_id, label, float(match.group(1)), match.group(2))


def _read_rows(lines: list[str], k: int, cells: list[str], builder: ExtractionBuilder) -> int:
    names: list[str] = []
    gap = 0
    rows = 0
    while k < len(lines) and gap <= MAX_GAP_LINES:
        line = lines[k].strip()
        values = _split_values(line, len(cells) - 1)
        if values is not None and names:
            model_id = builder.model(names[0])
            if model_id:
                rows += 1
                for label, value in zip(cells[1:], values, strict=False):
                    score_cell(builder, model_id, label, value)
            names, gap = [], 0
        elif 0 < len(line) <= MAX_LABEL_CHARS and len(names) < MAX_NAME_LINES and not line.endswith("."):
            names.append(line)
        else:
            gap += 1
            names = []
        k += 1
    return k
