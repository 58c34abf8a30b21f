"""Models as rows with the whole row run together: a camel-glued header of column names
("ModelContextPrompt $/MCompletion $/MNotes"), then one line per model holding its name and every value
("GPT-4.11.05M$2.00$8.00Long context"). The name ends where the rest of the line splits into exactly one
value per column, read by shape (token counts, dollar amounts, percents, numbers; free text only in the
last column). Of the names that allow such a split, a known model name wins, else the shortest one that
holds a version ("Claude Sonnet 4.6" + "1M", not "Claude Sonnet 4.61" + "M").
"""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.linekit import MAX_LABEL_CHARS, MAX_ROW_CHARS
from capgraph.ingest.parsers.model_rows import score_cell
from capgraph.ingest.vocab import canonical_attribute

# Column names run together: a lower-case letter, digit or ")" meets a capital; a per-unit price header
# ("Prompt $/MCompletion") ends at its unit.
_HEADER_SPLIT_RE = re.compile(r"(?<=[a-z0-9)])(?<!\s1)(?=[A-Z])|(?<=\$/M)(?=[A-Z])|(?<=/1M)(?=[A-Z])")
# A column naming who makes the model: its text is glued to the model's name ("GPT-4.1OpenAI1M$2.00").
_VENDOR_COLUMN_RE = re.compile(r"^(?:provider|vendor|developer|company|creator|maker|lab|organi[sz]ation)$", re.I)
_CAMEL_AT_RE = re.compile(r"(?<=[a-z0-9)])(?=[A-Z])")
# One value cell, by shape: "$2.50", "1.05M", "128K", "87.5%", "42", "N/A", "—".
_VALUE_RE = re.compile(
    r"\$\d[\d,]*(?:\.\d+)?|\d[\d,]*(?:\.\d+)?(?:\s?tok(?:ens)?/s\b|\s?[KMB]\b\+?|[KMB]\+?(?=[$\dA-Z—–])|%)?|N/?A|—|–"
)
# A price glued to the next cell ("$25.0035 tok/s"): its cents end after two decimals.
_CENTS_RE = re.compile(r"\$\d[\d,]*\.\d\d(?=\d)")
_TEXT_CELL_RE = re.compile(r"[A-Za-z][^$]{0,80}$")
# A header has at least this many columns (the name and two values); a table at most this many.
MIN_COLUMNS = 3
MAX_COLUMNS = 12
# Rows after the header: the reader stops after this many lines that are not rows.
MAX_GAP_LINES = 2
# A model name holds at most this many lower-case words ("GPT-4o mini"); more make a sentence.
MAX_LOWER_WORDS = 2
_LOWER_WORD_RE = re.compile(r"(?<![\w-])[a-z]{2,}\b")
# A model name in a row is at most this long.
MAX_NAME_CHARS = 60


def glued_model_rows(lines: list[str], builder: ExtractionBuilder) -> None:
    """Read every glued-header table of the page."""
    k = 0
    while k < len(lines):
        columns = header_columns(lines[k])
        k = _read_rows(lines, k + 1, columns, builder) if columns else k + 1


def header_columns(line: str) -> list[str]:
    """The column names of a glued header, or [] when the line is not one."""
    text = line.strip()
    if len(text) > MAX_ROW_CHARS or (re.search(r"\d", text) and not re.search(r"/1M|\b1M\b", text)):
        return []
    cells = [c.strip() for c in _HEADER_SPLIT_RE.split(text)]
    if not MIN_COLUMNS <= len(cells) <= MAX_COLUMNS or any(not c or len(c) > MAX_LABEL_CHARS // 2 for c in cells):
        return []
    # at least one column must be a known attribute or carry a unit: otherwise this is just a camel word run
    if not any(canonical_attribute(c) or "$" in c or "%" in c for c in cells[1:]):
        return []
    return cells


def split_row(
    line: str, count: int, builder: ExtractionBuilder, *, vendor: bool = False
) -> tuple[str, list[str]] | None:
    """The model id and the `count` values of a glued row; None when no name allows such a split. With
    `vendor`, the name ends in its maker's ("GPT-4.1OpenAI"), which is peeled off."""
    text = line.strip()
    if len(text) > MAX_ROW_CHARS or not text[:1].isalpha():
        return None
    candidates: list[tuple[str, list[str], bool]] = []
    for cut in range(2, min(len(text), MAX_NAME_CHARS) + 1):
        name, rest = text[:cut].rstrip(), text[cut:].lstrip()
        if not name[-1].isalnum() or not re.search(r"\d", name) or not re.match(r"[\d$NA—–]", rest):
            continue
        values = _values(rest, count)
        if vendor and values is not None:
            name = _without_vendor(name, builder)
        if values is not None and len(_LOWER_WORD_RE.findall(name)) > MAX_LOWER_WORDS:
            continue  # "Prompt caching reduces input costs by up to 9" + "0% ...": a sentence, not a name
        resolved = builder.resolver.try_canonical(name) if values is not None and name else None
        if values is not None and resolved is not None:
            candidates.append((name, values, builder.resolver.is_known(name)))
    if not candidates:
        return None
    name, values, _ = next((c for c in candidates if c[2]), candidates[0])
    model_id = builder.model(name)
    return (model_id, values) if model_id else None


def _without_vendor(name: str, builder: ExtractionBuilder) -> str:
    """ "GPT-4.1OpenAI" -> "GPT-4.1"; "" when no known maker ends the name."""
    for match in _CAMEL_AT_RE.finditer(name):
        if builder.resolver.vendor_name(name[match.start() :]):
            return name[: match.start()].strip()
    return ""


def _values(rest: str, count: int) -> list[str] | None:
    """Exactly `count` value cells read left to right; free text may fill the last one only. A price
    glued to the next cell is tried both whole and cut after its cents; each (position, cells left)
    is tried once, so a row costs at most len(rest) x count steps."""
    failed: set[tuple[int, int]] = set()

    def read(pos: int, left: int) -> list[str] | None:
        while pos < len(rest) and rest[pos] == " ":
            pos += 1
        if left == 0:
            return [] if pos >= len(rest) else None
        if pos >= len(rest) or (pos, left) in failed:
            return None
        cells = [m for m in (_VALUE_RE.match(rest, pos), _CENTS_RE.match(rest, pos)) if m is not None]
        for match in cells:
            tail = read(match.end(), left - 1)
            if tail is not None:
                return [match.group(0).strip(), *tail]
        text = _TEXT_CELL_RE.match(rest, pos) if left == 1 else None
        if text is not None:
            return [text.group(0).strip()]
        failed.add((pos, left))
        return None

    return read(0, count)


def _read_rows(lines: list[str], k: int, columns: list[str], builder: ExtractionBuilder) -> int:
    """Rows until MAX_GAP_LINES lines in a row are not rows; the models of one small table are compared."""
    gap = 0
    models: list[str] = []
    while k < len(lines) and gap <= MAX_GAP_LINES:
        vendor = len(columns) > 2 and _VENDOR_COLUMN_RE.match(columns[1]) is not None
        row = split_row(lines[k], len(columns) - 1 - vendor, builder, vendor=vendor)
        if row is None:
            gap += 1
        else:
            gap = 0
            _row_facts(builder, row[0], columns[1 + vendor :], row[1])
            models.append(row[0])
        k += 1
    table = list(dict.fromkeys(models))
    builder.compare_group(table)
    return k


def _row_facts(builder: ExtractionBuilder, model_id: str, labels: list[str], values: list[str]) -> None:
    for label, value in zip(labels, values, strict=True):
        if canonical_attribute(label):
            builder.claim(model_id, label, value)
            continue
        score_cell(builder, model_id, label, value)
