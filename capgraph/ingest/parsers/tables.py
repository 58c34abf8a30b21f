"""Reading pipe tables, shared by every parser: with or without outer pipes, with or without `---|---`
separator rows, with rows broken over several lines or missing cells.

Repair rules, in order:
- The column count is the most common cell count among lines with two or more cells.
- A line with a single cell continues the row being assembled ("| Ecosystem |" / "| 0 |" / "| 1 |").
- A line with several cells but fewer than the column count starts a new row; if nothing completes it,
  it is padded with empty cells (a warning says so).
- Extra cells beyond the column count are dropped (a warning says so unless they are empty).
- A row that lost one cell and slid left is moved back under its columns (`shifted_rows`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from capgraph.ingest.parsers.shifted_rows import realign_shifted

_SEPARATOR_CELL_RE = re.compile(r"^:?-{1,}:?$")


@dataclass
class Table:
    """A table as read: `rows[0]` is the header row; `start`/`end` are line indexes (end exclusive)."""

    rows: list[list[str]]
    start: int
    end: int
    truncated: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        return self.rows[0] if self.rows else []

    @property
    def body(self) -> list[list[str]]:
        return self.rows[1:]

    @property
    def width(self) -> int:
        return len(self.header)


def is_table_line(line: str) -> bool:
    """A line that belongs to a pipe table (it has a pipe and is not prose that happens to hold one)."""
    stripped = line.strip()
    if "|" not in stripped:
        return False
    return stripped.startswith("|") or stripped.endswith("|") or stripped.count("|") >= 2


def split_cells(line: str) -> list[str]:
    """The cells of one table line, outer pipes removed and cells stripped."""
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|"):
        stripped = stripped[:-1]
    return [cell.strip() for cell in stripped.split("|")]


def _is_separator(cells: list[str]) -> bool:
    filled = [c.replace(" ", "") for c in cells if c]
    return bool(filled) and all(_SEPARATOR_CELL_RE.match(c) for c in filled)


def find_tables(lines: list[str]) -> list[Table]:
    """Every table in the text, in order; linear in the number of lines.

    Inside a table any line with a pipe continues it (ragged rows may lose their outer pipes); a
    separator row further down means the row above it is the header of a new table.
    """
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        if not is_table_line(lines[i]):
            i += 1
            continue
        start = i
        i += 1
        ruled = False  # a separator row was seen: a later one starts a new table, an earlier one ends a header
        while i < len(lines) and "|" in lines[i]:
            separator = _is_separator(split_cells(lines[i]))
            if ruled and i - start >= 2 and separator and not _is_separator(split_cells(lines[i - 1])):
                i -= 1
                break
            ruled = ruled or separator
            i += 1
        table = _assemble(lines, start, i)
        if table is not None:
            tables.append(table)
    return tables


def _assemble(lines: list[str], start: int, end: int) -> Table | None:
    raw = _merge_header([split_cells(lines[k]) for k in range(start, end)])
    rows = [cells for cells in raw if not _is_separator(cells)]
    if not rows:
        return None
    counts = Counter(len(cells) for cells in rows if len(cells) >= 2)
    if not counts:
        return None
    width = max(counts.items(), key=lambda item: (item[1], item[0]))[0]
    table = Table(rows=[], start=start, end=end)
    last = lines[end - 1].strip()
    # A last line without the closing pipe the others have was cut off mid-row.
    if end == len(lines) and not last.endswith("|") and lines[start].strip().endswith("|"):
        table.truncated = True
        rows = rows[:-1] if len(rows) > 1 else rows
    pending: list[str] = []

    def flush() -> None:
        if not pending:
            return
        if len(pending) < width:
            table.warnings.append(f"table row {pending[0]!r} has {len(pending)} of {width} cells")
            pending.extend([""] * (width - len(pending)))
        table.rows.append(list(pending))
        pending.clear()

    for cells in rows:
        if len(cells) >= width:
            flush()
            if len(cells) > width and any(cells[width:]):
                table.warnings.append(f"table row {cells[0]!r} has {len(cells)} cells; kept the first {width}")
            table.rows.append(cells[:width])
        elif len(cells) == 1 and pending:
            pending.extend(cells)
            if len(pending) >= width:
                table.rows.append(pending[:width])
                pending.clear()
        else:
            flush()
            pending.extend(cells)
    flush()
    table.rows = realign_shifted(table.rows)
    return table if len(table.rows) >= 1 else None


def _merge_header(raw: list[list[str]]) -> list[list[str]]:
    """A header wrapped over several lines above the separator (`| Benchmark | GPT-x |` / `| | (Vendor) |`)
    becomes one header row, each cell the lines' cells of that column joined."""
    first_separator = next((k for k, cells in enumerate(raw) if _is_separator(cells)), 0)
    head = raw[:first_separator]
    if len(head) < 2 or len({len(cells) for cells in head}) != 1:
        return raw
    merged = [" ".join(cell for cell in column if cell) for column in zip(*head, strict=True)]
    return [merged, *raw[first_separator:]]
