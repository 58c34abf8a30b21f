"""A table row that lost one cell and slid left ("| Gemini | 85.9 | 91.7 | ... | |" under
"| Model | Vendor | MMLU | ... |"): it is put back by the kinds of the cells its columns hold.

A column's kind is what most of the other rows hold there: a number ("85.9", "91%", "$3") or text. A row
whose last cell is empty and whose cell at some column p has the wrong kind is shifted right by one from p
(an empty cell inserted at p) when, after the shift, every filled cell from p on has its column's kind.
Every column up to the slip needs a kind at least MIN_VOTES other rows agree on; rows that fit stay as they are.
"""

from __future__ import annotations

import re
from collections import Counter

MIN_VOTES = 2
_NUMBER_RE = re.compile(r"^[$€£]?\s?\d[\d,]*(?:\.\d+)?\s?(?:%|[KMB])?$")


def _kind(cell: str) -> str:
    text = cell.strip()
    if not text:
        return ""
    return "number" if _NUMBER_RE.match(text) else "text"


def realign_shifted(rows: list[list[str]]) -> list[list[str]]:
    """The rows (header first) with each left-shifted body row moved back under its columns."""
    if len(rows) < MIN_VOTES + 2:
        return rows
    body = rows[1:]
    width = len(rows[0])
    out = [rows[0]]
    for index, row in enumerate(body):
        out.append(_realigned(row, _column_kinds(body[:index] + body[index + 1 :], width)) or row)
    return out


def _column_kinds(others: list[list[str]], width: int) -> list[str]:
    kinds: list[str] = []
    for column in range(width):
        votes = Counter(_kind(row[column]) for row in others if column < len(row) and row[column].strip())
        kind, count = votes.most_common(1)[0] if votes else ("", 0)
        kinds.append(kind if count >= MIN_VOTES and count == sum(votes.values()) else "")
    return kinds


def _realigned(row: list[str], kinds: list[str]) -> list[str] | None:
    if len(row) != len(kinds) or row[-1].strip() or not kinds[-1]:
        return None  # only a row whose last cell is empty under a filled column can have slid left
    for p in range(1, len(row) - 1):
        if not kinds[p]:
            return None  # a column with no agreed kind before the slip: the row cannot be checked
        if _kind(row[p]) in ("", kinds[p]):
            continue
        shifted = [*row[:p], "", *row[p:-1]]
        if all(
            not cell.strip() or not kind or _kind(cell) == kind
            for cell, kind in zip(shifted[p:], kinds[p:], strict=True)
        ):
            return shifted
        return None
    return None
