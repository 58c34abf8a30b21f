"""Layout repair before any table is read: markdown tables flattened onto one line become rows again."""

from __future__ import annotations

import re

_SEPARATOR_CELL_RE = re.compile(r"^:?-{2,}:?$")
# A flattened table line is long and holds a separator run; shorter lines are left alone.
MIN_FLAT_TABLE_CHARS = 40
# At most this many rows come out of one flattened line (bounds the work on a hostile line).
MAX_FLAT_ROWS = 2000


def unflatten(lines: list[str]) -> list[str]:
    """`| A | B | |---|---| | x | 1 | | y | 2 |` on one line -> one markdown row per line."""
    out: list[str] = []
    for line in lines:
        if len(line) < MIN_FLAT_TABLE_CHARS or "|-" not in line.replace(" ", "") or line.count("|") < 8:
            out.append(line)
            continue
        rows = _rows(line)
        out.extend(rows if rows else [line])
    return out


def _rows(line: str) -> list[str] | None:
    start = line.find("|")
    prefix = line[:start].strip()
    cells = [c.strip() for c in line[start:].split("|")][1:]
    if cells and not cells[-1]:
        cells.pop()
    first_sep = next((i for i, c in enumerate(cells) if _SEPARATOR_CELL_RE.match(c)), None)
    if first_sep is None or first_sep < 2:
        return None
    header = cells[:first_sep]
    if not header[-1]:
        header.pop()
    width = len(header)
    i = first_sep
    while i < len(cells) and (_SEPARATOR_CELL_RE.match(cells[i]) or not cells[i]):
        i += 1
    rows = [prefix] if prefix else []
    rows += ["| " + " | ".join(header) + " |", "|" + "---|" * width]
    while i < len(cells) and len(rows) < MAX_FLAT_ROWS:
        row = cells[i : i + width]
        i += width
        if i < len(cells) and not cells[i]:
            i += 1
        rows.append("| " + " | ".join(row) + " |")
    return rows
