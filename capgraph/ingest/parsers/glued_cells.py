"""Rows whose cells ran together and that the right-to-left cell reader cannot cut, split by value shape:

- licences ("LicenseGPL-3.0AGPL-3.0Apache 2.0"): licence names are a small closed vocabulary (like units),
  a family word (MIT, Apache, GPL, BSD, ...) with an optional version and suffix;
- comma-grouped integers ("Max output8,1928,192"): each cell is `d{1,3}(,ddd)+`, so a run of them has at
  most one split into k such numbers.

A glued value splits only when its parts cover all of it and their number equals the table's column
count (for numbers: exactly one such split exists); otherwise the row is left to other readers.
"""

from __future__ import annotations

import re

from capgraph.ingest.vocab import canonical_attribute

_FAMILY = (
    r"(?:AGPL|LGPL|GPL|MIT|Apache|BSD|MPL|EPL|ISC|Unlicense|Zlib|CC[- ]BY(?:[- ](?:SA|NC|ND))*|CC0|"
    r"OpenRAIL(?:-M|\+\+)?|Proprietary|Commercial|Closed[- ]source|Open[- ]source)"
)
# A version ("-3.0", " 2.0", "v2") and a suffix ("-only", "-or-later", "-Clause", "+") may follow.
_LICENCE_RE = re.compile(
    _FAMILY + r"(?:[- ]?v?\d+(?:\.\d+)*)?(?:-(?:only|or-later|Clause))?\+?(?:\s*(?:license|licence))?",
    re.IGNORECASE,
)
_GAP_RE = re.compile(r"[\s,;/]*")
_LABEL_RE = re.compile(r"^(.{2,40}?)(?=" + _FAMILY + r")", re.IGNORECASE)


def split_licences(value: str, columns: int) -> list[str] | None:
    """Exactly `columns` licence names that together make up `value`, or None."""
    names: list[str] = []
    pos = _GAP_RE.match(value, 0).end()  # type: ignore[union-attr]  # the pattern matches empty text
    while pos < len(value):
        match = _LICENCE_RE.match(value, pos)
        if match is None or len(names) >= columns:
            return None
        names.append(match.group(0).strip())
        pos = _GAP_RE.match(value, match.end()).end()  # type: ignore[union-attr]
    return names if len(names) == columns else None


def glued_licence_row(row: str, columns: int) -> tuple[str, list[str]] | None:
    """`License` glued to its cells: (label, one licence per column) when the label names the licence
    attribute and the rest splits into exactly `columns` licence names."""
    if columns < 2:
        return None
    label = _LABEL_RE.match(row)
    if label is None or canonical_attribute(label.group(1).strip(" :|")) != "license":
        return None
    values = split_licences(row[label.end() :], columns)
    return (label.group(1).strip(" :|"), values) if values else None


_GROUPED_RE = re.compile(r"\d{1,3}(?:,\d{3})+")
_GROUPED_TAIL_RE = re.compile(r"(?<![\d,])\d[\d,]*\d\s*$")
# A run of glued grouped numbers longer than this is not tried (the split search is quadratic in it).
MAX_GROUPED_CHARS = 80


def split_grouped(run: str, columns: int) -> list[str] | None:
    """The only split of `run` into `columns` comma-grouped integers, or None (no split, or several)."""
    if len(run) > MAX_GROUPED_CHARS:
        return None
    # ways[i][n]: the splits of run[i:] into n grouped numbers (stopping at two: only uniqueness matters)
    ways: list[dict[int, list[list[str]]]] = [{} for _ in range(len(run) + 1)]
    ways[len(run)][0] = [[]]
    for i in range(len(run) - 1, -1, -1):
        for j in range(i + 5, len(run) + 1):
            part = run[i:j]
            if not _GROUPED_RE.fullmatch(part):
                continue
            for n, rests in ways[j].items():
                if n + 1 <= columns:
                    found = ways[i].setdefault(n + 1, [])
                    found.extend([part, *rest] for rest in rests[: 2 - len(found)])
    splits = ways[0].get(columns, [])
    return splits[0] if len(splits) == 1 else None


def glued_grouped_row(row: str, columns: int) -> tuple[str, list[str]] | None:
    """A label followed by `columns` glued comma-grouped integers: (label, the integers)."""
    if columns < 2:
        return None
    tail = _GROUPED_TAIL_RE.search(row)
    if tail is None:
        return None
    label = row[: tail.start()].strip(" :|")
    values = split_grouped(tail.group(0).strip(), columns)
    if not values or not label or not label[-1].isalpha() or canonical_attribute(label) is None:
        return None
    return label, values
