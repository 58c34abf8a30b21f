"""Facts from damaged layouts, read after the format parser: rows whose cells ran together, key/value
lines, label/value on alternating lines, leaderboards flattened to name/score lines, "Model: 88%" lines.

Everything is line-local (each line is looked at a bounded number of times), so the pass is linear in
the text's length. Columns are found from the model names a header line holds, never from wording.
"""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document
from capgraph.ingest.parsers.glued import glued_header
from capgraph.ingest.parsers.glued_model_rows import glued_model_rows
from capgraph.ingest.parsers.json_page import json_facts
from capgraph.ingest.parsers.linekit import (
    HEADING_JUNK as _HEADING_JUNK,
)
from capgraph.ingest.parsers.linekit import (
    MAX_LABEL_CHARS,
    MAX_ROW_CHARS,
    SENTENCE_END_RE,
)
from capgraph.ingest.parsers.linekit import (
    NOT_SCORE_LABEL_RE as _NOT_SCORE_LABEL_RE,
)
from capgraph.ingest.parsers.linekit import (
    Columns as _Columns,
)
from capgraph.ingest.parsers.linekit import (
    add_score as _score,
)
from capgraph.ingest.parsers.linekit import (
    clean as _clean,
)
from capgraph.ingest.parsers.model_rows import model_rows
from capgraph.ingest.parsers.pipe_rows import fresh_header_line, pipe_header, pipe_row
from capgraph.ingest.parsers.row_tables import row_model_tables
from capgraph.ingest.parsers.score_lines import leaderboard, model_scores, stacked
from capgraph.ingest.parsers.titles import title_models
from capgraph.ingest.parsers.vertical import vertical_tables
from capgraph.ingest.vocab import canonical_attribute, typed_value

# How many lines a header stays in force without a row that fits it.
HEADER_REACH = 8
# A one-model header (a model heading over its spec rows) has at most this much other text.
MAX_SINGLE_HEADER_RESIDUE = 6
# A stat tile's label (`Context` over `128K tokens`) is at most this long.
MAX_TILE_LABEL_CHARS = 30
# How many trailing cut points are tried for a row ending in a text cell.
MAX_TRAILER_CUTS = 3
# A trailing text cell (a "winner" column) is at most this long.
MAX_TRAILER_CHARS = 30
# Models scored on one benchmark are paired when there are at most this many (larger boards are rankings).
MAX_PAIRED_MODELS = 6
# A bare integer below this (no unit, no decimals) is a counter, not a benchmark score.
MIN_BARE_SCORE = 10

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_CELL = (
    r"(?:\d{4}-\d{2}-\d{2}"
    r"|" + _MONTH + r"\s(?:\d{1,2}(?:st|nd|rd|th)?,?\s)?\d{4}"
    r"|(?<!\d)\d{1,2}(?:st|nd|rd|th)?\s" + _MONTH + r",?\s\d{4}"
    r"|\d{4}-\d{2}"
    r"|\$\s?\d[\d,]*(?:\.\d+)?(?:[eE]-?\d+)?(?:\s?(?:/|per)\s?(?:1M|1K|M|K|million)?\s?(?:tokens?)?)?"
    r"|(?:100|[1-9]?\d)(?:\.\d+)?\s?%"
    r"|\d+(?:\.\d+)?\s?/\s?(?:100|10)\b"
    r"|\d+x\d+(?:\.\d+)?\s?[BM]"
    r"|\d[\d,]*(?:\.\d+)?\s?(?:[KMBT]\b|[KMBT](?=\d|\$)|(?:thousand|million|billion|trillion)\b)(?:\s?tokens)?"
    r"|(?:100|[1-9]?\d)\.\d"
    r"|\d[\d,]*(?:\s?tokens)?"
    r"|N/?A\b|n/a\b|—|–|(?<![\w-])-)"
)
_TAIL_RE = re.compile(r"(" + _CELL + r")\s*$")
_MISSING = frozenset({"N/A", "NA", "n/a", "—", "–", "-"})
_SCORE_RE = re.compile(r"^(\d+(?:\.\d+)?)\s?(%|/\s?100|/\s?10)?$")
_KV_RE = re.compile(
    r"^\s*(?:[-*•]\s*)?(?:\*\*)?([A-Za-z][A-Za-z0-9 ()/._-]{1,58}?)(?:\*\*)?\s*[:：]\s*(?:\*\*)?(.{1,160}?)\s*$"
)
_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_BOUNDARY_RE = re.compile(r"(?<=[a-z)])(?=[A-Z0-9$])")


def recover(doc: Document, builder: ExtractionBuilder) -> None:
    """Run every damaged-layout reader over the document."""
    lines = vertical_tables([line for line in doc.lines if line.strip()], builder)
    json_facts(doc, builder)
    leaderboard(lines, builder)
    model_rows(lines, builder)
    glued_model_rows(lines, builder)
    titled = title_models(doc, builder)
    for k, a in enumerate(titled):
        for b in titled[k + 1 :]:
            builder.compare(a, b)
    names = _page_names(doc, builder)
    if not names:
        _glued_rows(lines, _Columns(builder, {}), builder, [])  # a glued header may name the first models
        names = _page_names(doc, builder)
    if names:
        columns = _Columns(builder, names)
        _glued_rows(lines, columns, builder, titled)
        _key_values(lines, columns, builder, _first_line_model(doc, builder))
        row_model_tables(doc, builder)
        model_scores(lines, columns, builder)
    if len(titled) == 2:
        stacked(lines, titled, builder)


def score_pairs(builder: ExtractionBuilder) -> None:
    """Models a page scores on the same benchmark are compared side by side (a small table, a board, or
    sentences); run after every reader, prose included.

    A page that scores more than MAX_PAIRED_MODELS models on one benchmark is a ranked board: it puts no two
    of its models side by side, and neither do its sparser columns (a benchmark only five of its twenty
    rows fill is still a column of the board), so such a page gets no pairs from its scores at all."""
    groups = list(builder.scored_together().values())
    if any(len(ids) > MAX_PAIRED_MODELS for ids in groups):
        return
    for ids in groups:
        if len(ids) >= 2:
            for k, a in enumerate(ids):
                for b in ids[k + 1 :]:
                    builder.compare(a, b)


def _first_line_model(doc: Document, builder: ExtractionBuilder) -> str | None:
    """The model the first line (a model card's title) names, when it names exactly one."""
    ids = {m.resolved.id for m in builder.resolver.find_mentions(doc.first_line()[:MAX_ROW_CHARS])}
    return next(iter(ids)) if len(ids) == 1 and builder.has_model(next(iter(ids))) else None


def _page_names(doc: Document, builder: ExtractionBuilder) -> dict[str, str]:
    """Lower-cased names (canonical name and aliases) of the models found so far, plus the title's."""
    for mention in builder.resolver.find_mentions(doc.first_line()[:MAX_ROW_CHARS]):
        builder.add_resolved(mention.resolved, raw=mention.text)
    names: dict[str, str] = {}
    for model in builder.models():
        for name in [model.name, *model.aliases]:
            if 2 <= len(name) <= MAX_LABEL_CHARS:
                names[name.lower()] = model.id
    return names


def _peel(rest: str, k: int) -> tuple[str, list[str]] | None:
    """Split the tail of a row into its label and `k` values, reading cells from the right."""
    values: list[str] = []
    for _ in range(k):
        match = _TAIL_RE.search(rest)
        if not match:
            return None
        values.append(match.group(1).strip())
        rest = rest[: match.start()]
    label = rest.strip().strip(_HEADING_JUNK + "|").strip()
    if not label or len(label) > MAX_LABEL_CHARS or not any(ch.isalpha() for ch in label):
        return None
    return label, values[::-1]


def _trailer_cuts(line: str) -> list[str]:
    """A row with a trailing text cell ("Winner" column): the row cut after each of its last value ends.
    Only the last MAX_TRAILER_CHARS + 1 characters are looked at: a longer trailer is never taken."""
    cuts: list[str] = []
    for i in range(len(line) - 1, max(-1, len(line) - 2 - MAX_TRAILER_CHARS), -1):
        if len(cuts) >= MAX_TRAILER_CUTS:
            break
        if (line[i].isdigit() or line[i] in "%KMBT—–") and (i + 1 == len(line) or not line[i + 1].isdigit()):
            if line[i].isdigit() and i + 1 < len(line) and line[i + 1] == ".":
                continue
            cuts.append(line[: i + 1])
    return cuts


def _row_facts(
    builder: ExtractionBuilder, label: str, values: list[str], models: list[str], *, strict: bool = False
) -> bool:
    attribute = canonical_attribute(label)
    if attribute is not None:
        for model_id, value in zip(models, values, strict=False):
            if value not in _MISSING:
                builder.claim(model_id, label, value)
        return True
    if _NOT_SCORE_LABEL_RE.search(label):
        return False
    parsed = [_SCORE_RE.match(v.replace(" ", "")) if v not in _MISSING else None for v in values]
    if not any(parsed) or not any(_score_like(v, m, strict) for v, m in zip(values, parsed, strict=False)):
        return False
    if any(m is None and v not in _MISSING for v, m in zip(values, parsed, strict=False)):
        return False  # a size or a date beside the numbers: not a row of scores
    for model_id, value, match in zip(models, values, parsed, strict=False):
        if match is not None and value not in _MISSING:
            unit = match.group(2).replace(" ", "") if match.group(2) else None
            _score(builder, model_id, label, float(match.group(1)), unit)
    return True


def _score_like(value: str, match: re.Match[str] | None, strict: bool) -> bool:
    """A bare small integer ("0", "1" counters) is not a score; a unit, a decimal or a large value is.

    `strict` (one column): a bare integer could be part of the label ("AIME 2023"), so it is not taken.
    """
    if match is None:
        return False
    if match.group(2) or "." in value:
        return True
    return not strict and float(match.group(1)) >= MIN_BARE_SCORE


def _glued_rows(lines: list[str], columns: _Columns, builder: ExtractionBuilder, default: list[str]) -> None:
    """A header line made of model names, then rows `label + one value per model` (glued or spaced).

    Rows before any header use the title's models as columns (a spec table whose header was lost). Under
    a pipe header, pipe rows are read cell by cell (`pipe_rows`). A header's models are compared only
    once a row fits under it: a line that merely lists names compares nothing.
    """
    header: list[str] = list(default)
    heads: dict[int, str] = {}
    paired = True
    idle = 0
    fresh = False
    for k, line in enumerate(lines):
        if len(line) > MAX_ROW_CHARS:
            header, heads, idle = list(default), {}, 0
            continue
        if _SEPARATOR_RE.match(line):
            # a separator not right under a model header: another table (models as rows) begins
            header = header if fresh else []
            heads = heads if fresh else {}
            fresh = False
            continue
        fresh = False
        ids = [_expand(m, default) for m in (_header_ids(line, columns) or glued_header(line, builder))]
        if ids:
            heads = {j: _expand(m, default) for j, m in pipe_header(lines, k, columns, builder).items()}
            header, idle, fresh, paired = list(heads.values()) or ids, 0, True, False
            continue
        if not header:
            continue
        if fresh_header_line(line, heads):
            fresh = True  # the header's second line ("| | (Vendor) | (Vendor) |"): the separator may follow
            continue
        row = line.replace("|", " ").strip()
        starts = columns.in_line(row)
        if starts and starts[0][0] <= MAX_SINGLE_HEADER_RESIDUE:
            continue  # a row labelled with a model: models are rows here, not columns
        cells = pipe_row(line, heads) if heads else None
        if cells is not None:
            label = cells[0].strip(_HEADING_JUNK)
            peeled: tuple[str, list[str]] | None = (label, cells[1]) if label else None
            models = cells[2]
        else:
            models = header
            if starts and starts[-1][1] >= len(row) - 1:
                row = row[: starts[-1][0]].rstrip()  # a trailing "winner" cell naming a model
            peeled = (
                _peel(row, len(header))
                or next(
                    (
                        p
                        for cut in (_trailer_cuts(row) if len(header) > 1 else [])
                        if len(row) - len(cut) <= MAX_TRAILER_CHARS and (p := _peel(cut, len(header)))
                    ),
                    None,
                )
                or (_split_label(row) if len(header) == 1 else None)
            )
        if peeled and _row_facts(builder, peeled[0], peeled[1], models, strict=len(models) == 1):
            idle = 0
            if not paired:
                paired = True
                for i, a in enumerate(header):
                    for b in header[i + 1 :]:
                        builder.compare(a, b)
            continue
        idle += 1
        if idle > HEADER_REACH:
            header, heads = list(default), {}


def _header_ids(line: str, columns: _Columns) -> list[str]:
    """The model columns of a header line: model names and little else (no values in it)."""
    found = columns.in_line(line)
    if not found or re.search(r"\d%|\$\d", line):
        return []
    residue = len(line) - sum(e - s for s, e, _ in found)
    ids = [m for _, _, m in found]
    if residue > MAX_LABEL_CHARS or len(set(ids)) != len(ids):
        return []
    return ids if len(ids) >= 2 or residue <= MAX_SINGLE_HEADER_RESIDUE else []


def _expand(model_id: str, titled: list[str]) -> str:
    """A header's short name ("Llama 3.1") for the one title model it abbreviates ("Llama 3.1 405B")."""
    longer = [t for t in titled if t.startswith(model_id + "-")]
    return longer[0] if len(longer) == 1 else model_id


def _split_label(row: str) -> tuple[str, list[str]] | None:
    """`LicenseMIT`, `ReleaseApril 2024`: a vocabulary label glued to a text value."""
    for match in _BOUNDARY_RE.finditer(row[: MAX_LABEL_CHARS + 1]):
        label, value = row[: match.start()], row[match.start() :].strip()
        if value and canonical_attribute(label):
            return label, [value]
    return None


def _key_values(lines: list[str], columns: _Columns, builder: ExtractionBuilder, subject: str | None) -> None:
    """`Context window: 128K` lines and label/value tiles, about the model the nearest heading names
    (before any heading: the title's model, or the page's only model)."""
    ids = builder.model_ids()
    if subject is None and len(ids) == 1:
        subject = ids[0]
    previous = ""
    for line in lines:
        if len(line) > MAX_ROW_CHARS:
            previous = ""
            continue
        found = columns.in_line(line)
        if found and len(line) - sum(e - s for s, e, _ in found) <= MAX_HEADING_RESIDUE:
            subject = found[0][2] if len({m for _, _, m in found}) == 1 else subject
            previous = ""
            continue
        match = _KV_RE.match(_CITATION_RE.sub("", line))
        if subject and match and canonical_attribute(match.group(1)):
            builder.claim(subject, match.group(1), match.group(2))
        elif subject and match and (score := _KV_SCORE_RE.match(match.group(2))):
            label = match.group(1).strip()
            if not _NOT_SCORE_LABEL_RE.search(label) and (score.group(2) or "." in score.group(1)):
                _score(builder, subject, label, float(score.group(1)), score.group(2))
        elif subject and previous:
            here, before = _clean(line), _clean(previous)
            label_like = len(before) <= MAX_TILE_LABEL_CHARS and not re.search(r"[\d:]", before)
            if label_like and _tile_value(before, here):
                builder.claim(subject, before, here)
                line = ""  # this value is used up: it is not the value of the next label too
            elif canonical_attribute(here) and len(here) <= MAX_TILE_LABEL_CHARS and _LONE_VALUE_RE.match(before):
                builder.claim(subject, here, before)
                line = ""
        previous = line


def _tile_value(label: str, value: str) -> bool:
    """A tile's value under a vocabulary label: a lone number, or a short value the vocabulary can type
    ("July 23, 2024", "$2.5/1M tok", "proprietary"); a sentence is never a tile's value."""
    attribute = canonical_attribute(label)
    if attribute is None:
        return False
    if _LONE_VALUE_RE.match(value.split(" (")[0]):
        return True
    if len(value) > MAX_TILE_VALUE_CHARS or SENTENCE_END_RE.search(value) or re.search(r"[|:]", value):
        return False
    return typed_value(attribute, value) is not None


# A benchmark bullet's value: a score with a unit or decimals, maybe a gloss ("88.6 (Expert Level)").
_KV_SCORE_RE = re.compile(r"^(?:~|≈|approximately\s)?(\d{1,4}(?:\.\d+)?)\s?(%|/100|/10)?(?:\s*\([^()]{0,40}\))?$")
# Citation markers chat tools leave behind (":contentReference[oaicite:3]{index=3}").
_CITATION_RE = re.compile(r":?contentReference\[[^\]]{0,40}\]\{[^}]{0,40}\}")
# A tile's value (a date, a price, a license word) is at most this long.
MAX_TILE_VALUE_CHARS = 40
# A model heading line holds at most this much besides the model's name.
MAX_HEADING_RESIDUE = 8


_LONE_VALUE_RE = re.compile(
    r"^(?:up to\s)?\$?\d[\d,.]*\s?(?:[KMBT]|thousand|million|billion)?(?:\s?tokens)?$|^\d{4}(?:-\d\d){0,2}$",
    re.IGNORECASE,
)
