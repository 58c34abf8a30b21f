"""Layout repair for tables drawn without pipes: box-drawing tables (│ ┃ ─ ┼) and space-aligned columns
(cells separated by two or more spaces, a header maybe wrapped over two lines). Both become markdown pipe
rows, so the one pipe-table reader (`tables.find_tables`) and every reader after it see them.

Rules (structure only):
- A border line made only of box or dash characters is dropped. In a line with inner box verticals
  the verticals are cell separators; a line with only its two outer verticals keeps its inner text,
  which is then read as space-aligned.
- A space-aligned block is a run of consecutive lines with N >= MIN_CELLS cells each ("full" rows,
  at least MIN_FULL_ROWS of them, one holding a digit). Column spans are the union of the full rows'
  cell spans. A line between them with fewer cells continues the row above it (a wrapped header or a
  wrapped cell) when its first cell is not in the first column, and is a row with empty cells when it is;
  each of its cells goes to the column its span overlaps most.
Every line is looked at a bounded number of times, so the pass is linear in the text's length.
"""

from __future__ import annotations

import re

# A space-aligned row has at least this many cells; a block at least this many full rows.
MIN_CELLS = 3
MIN_FULL_ROWS = 2
# Lines longer than this are prose, never a table row.
MAX_ALIGNED_CHARS = 240

_BOX_VERTICAL = "│┃║┆┇┊┋"
_BORDER_RE = re.compile(r"^[\s─━═┄┅┈┉┼╋╪╫╬├┤┠┨┝┥╞╡╟╢┌┐└┘┏┓┗┛╔╗╚╝┬┴┳┻╦╩╤╧╥╨+\-:|│┃║]+$")
_CELL_RE = re.compile(r"\S+(?: \S+)*")


def realign(lines: list[str]) -> list[str]:
    """Box-drawing and space-aligned tables rewritten as pipe rows; other lines unchanged."""
    boxed = _unbox(lines)
    out: list[str] = []
    i = 0
    while i < len(boxed):
        end, rows = _block(boxed, i)
        if rows:
            out.append(_pipe(rows[0]))
            out.append("|" + "---|" * len(rows[0]))
            out.extend(_pipe(row) for row in rows[1:])
        else:
            out.extend(boxed[i:end])
        i = end
    return out


def _unbox(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if not any(ch in line for ch in _BOX_VERTICAL) and not any(ch in line for ch in "─━═┼╋"):
            out.append(line)
            continue
        if _BORDER_RE.match(line) and line.strip():
            continue
        stripped = line.strip()
        inner = stripped.strip(_BOX_VERTICAL)
        if any(ch in inner for ch in _BOX_VERTICAL):
            out.append("| " + " | ".join(c.strip() for c in re.split(f"[{_BOX_VERTICAL}]", inner)) + " |")
        elif stripped[:1] in _BOX_VERTICAL:
            out.append(inner.rstrip())
        else:
            out.append(line)
    return out


def _cells(line: str) -> list[tuple[int, int, str]]:
    text = line.replace("\t", "    ")
    if "|" in text or len(text) > MAX_ALIGNED_CHARS:
        return []
    return [(m.start(), m.end(), m.group()) for m in _CELL_RE.finditer(text)]


def _block(lines: list[str], i: int) -> tuple[int, list[list[str]]]:
    """(end, rows) of the space-aligned block starting at line i; rows is [] when none starts there, and
    then `end` is past the run of lines looked at (no block starts inside it either)."""
    first = _cells(lines[i])
    width = len(first)
    if width < MIN_CELLS:
        return i + 1, []
    full: list[tuple[int, list[tuple[int, int, str]]]] = []
    parts: list[tuple[int, list[tuple[int, int, str]]]] = []
    k = i
    while k < len(lines):
        cells = _cells(lines[k])
        if len(cells) == width:
            full.append((k, cells))
        elif 0 < len(cells) < width and full:
            parts.append((k, cells))
        else:
            break
        k += 1
    while parts and parts[-1][0] > full[-1][0]:
        parts.pop()  # trailing short lines are text after the table
    if len(full) < MIN_FULL_ROWS or not any(ch.isdigit() for _, cells in full for c in cells for ch in c[2]):
        return max(k, i + 1), []
    spans = [(min(c[j][0] for _, c in full), max(c[j][1] for _, c in full)) for j in range(width)]
    rows: dict[int, list[str]] = {k: [c[2] for c in cells] for k, cells in full}
    for k, cells in parts:
        placed = [(_column(start, end, spans), text) for start, end, text in cells]
        if placed[0][0] == 0:
            rows[k] = [""] * width
            target = rows[k]
        else:
            target = rows[max(r for r in rows if r < k)]
        for j, text in placed:
            target[j] = f"{target[j]} {text}".strip()
    end = max(k for k, _ in full) + 1
    return end, [rows[k] for k in sorted(rows)]


def _column(start: int, end: int, spans: list[tuple[int, int]]) -> int:
    """The column whose span overlaps [start, end) most; the nearest start when none overlaps."""
    overlaps = [min(end, b) - max(start, a) for a, b in spans]
    best = max(range(len(spans)), key=lambda j: overlaps[j])
    if overlaps[best] > 0:
        return best
    return min(range(len(spans)), key=lambda j: abs(spans[j][0] - start))


def _pipe(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"
