"""Pipe rows under a pipe header that names models (`| Benchmark | A | B (base) | C |`): cells are taken by
index, so a row's label never swallows a value when the header has more columns than the page's known
models, and a column headed by a name the resolver does not know is read too when it holds values.

A head the resolver does not know is a model column only when it is name-shaped (see `column_name`) and
at least one of the next LOOKAHEAD_ROWS rows holds a value-shaped cell under it.
"""

from __future__ import annotations

import re
import unicodedata

from capgraph.graph.values import parse_number
from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.linekit import Columns
from capgraph.ingest.parsers.non_models import not_a_model
from capgraph.ingest.parsers.tables import is_table_line, split_cells
from capgraph.ingest.resolve import Resolver
from capgraph.ingest.vocab import canonical_attribute

# Rows looked at to decide whether an unknown head's column holds values.
LOOKAHEAD_ROWS = 3
# A column head is at most this many words and characters.
MAX_HEAD_WORDS = 5
MAX_HEAD_CHARS = 40
_NAME_RE = re.compile(r"^[A-Za-z][\w .+/@()-]*$")
# A name-shaped head holds a digit ("Lumen 7B") or an inner capital ("ChatGPT"): a bare word
# ("Score", "Notes", "Winner") is a column of the table, not a model.
_MARKED_RE = re.compile(r"\d|[a-z][A-Z]")
# A cell holding a value starts with a number (maybe after "$" or "~").
_NUMBER_CELL_RE = re.compile(r"^[$~≈<>]?\s?\d")


def column_name(cell: str, resolver: Resolver) -> bool:
    """A header cell that can name a model or product."""
    text = " ".join(cell.split())
    if not text or len(text) > MAX_HEAD_CHARS or len(text.split()) > MAX_HEAD_WORDS:
        return False
    if not_a_model(text, resolver) or canonical_attribute(text):
        return False
    if resolver.is_known(text) or resolver.looks_like_model(text):
        return True
    return bool(_NAME_RE.match(text) and _MARKED_RE.search(text))


def pipe_header(lines: list[str], k: int, columns: Columns, builder: ExtractionBuilder) -> dict[int, str]:
    """Cell index -> model id for the pipe header at lines[k], or {} when it is not one: at least one
    known page model among its heads, every other model head verified by the rows below it."""
    line = lines[k]
    if not is_table_line(line):
        return {}
    cells = split_cells(line)
    known: dict[int, str] = {}
    unknown: list[int] = []
    for j, cell in enumerate(cells[1:], start=1):
        found = columns.in_line(cell)
        if len({m for _, _, m in found}) == 1 and found[0][0] <= 1:
            known[j] = found[0][2]
        elif column_name(cell, builder.resolver):
            unknown.append(j)
    if not known:
        return {}
    below = [split_cells(row) for row in lines[k + 1 : k + 1 + LOOKAHEAD_ROWS] if is_table_line(row)]
    for j in unknown:
        if any(j < len(row) and parse_number(row[j]) is not None for row in below):
            model_id = builder.model(cells[j])
            if model_id is not None and model_id not in known.values():
                known[j] = model_id
    return dict(sorted(known.items()))


def fresh_header_line(line: str, heads: dict[int, str]) -> bool:
    """A pipe line under a pipe header with an empty first cell and no value: the header's wrapped part."""
    if not heads or not is_table_line(line):
        return False
    cells = split_cells(line)
    return not cells[0] and any(cells[1:]) and not any(_NUMBER_CELL_RE.match(cell) for cell in cells)


def pipe_row(line: str, heads: dict[int, str]) -> tuple[str, list[str], list[str]] | None:
    """(label, values, models) of a pipe row under `heads`; None when the line is no pipe row."""
    if not is_table_line(line):
        return None
    cells = split_cells(line)
    if len(cells) < 2 or not cells[0]:
        return None
    taken = [(_unmarked(cells[j]), model_id) for j, model_id in heads.items() if j < len(cells) and cells[j]]
    if not taken:
        return None
    return cells[0], [value for value, _ in taken], [model_id for _, model_id in taken]


def _unmarked(cell: str) -> str:
    """A cell without the winner marks pages put after a value ("44.4 ✓", "80.0% 🏆", "12.1*")."""
    end = len(cell)
    while end > 0 and (cell[end - 1] in " *" or unicodedata.category(cell[end - 1]) in ("So", "Sk")):
        end -= 1
    return cell[:end] if end else cell
