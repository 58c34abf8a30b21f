"""Facts from damaged layouts, read after the format parser: rows whose cells ran together, key/value
lines, label/value on alternating lines, leaderboards flattened to name/score lines, "Model: 88%" lines.

Everything is line-local (each line is looked at a bounded number of times), so the pass is linear in
the text's length. Columns are found from the model names a header line holds, never from wording.
"""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import MAX_PAIRED_MODELS, ExtractionBuilder
from capgraph.ingest.parsers.category_cards import category_cards
from capgraph.ingest.parsers.cell_lists import cell_lists
from capgraph.ingest.parsers.common import Document
from capgraph.ingest.parsers.glued import glued_header
from capgraph.ingest.parsers.glued_cells import glued_grouped_row, glued_licence_row
from capgraph.ingest.parsers.glued_model_rows import glued_model_rows
from capgraph.ingest.parsers.json_page import json_facts
from capgraph.ingest.parsers.linekit import (
    HEADING_JUNK as _HEADING_JUNK,
)
from capgraph.ingest.parsers.linekit import (
    MAX_LABEL_CHARS,
    MAX_ROW_CHARS,
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
from capgraph.ingest.parsers.score_tables import score_tables
from capgraph.ingest.parsers.tables import is_table_line, split_cells
from capgraph.ingest.parsers.tiles import LONE_VALUE_RE, MAX_TILE_LABEL_CHARS, foreign_label, named_tile, tile_value
from capgraph.ingest.parsers.titles import title_models
from capgraph.ingest.parsers.vertical import vertical_tables
from capgraph.ingest.parsers.wrapped_rows import wrapped_rows
from capgraph.ingest.vocab import canonical_attribute

# How many lines a header stays in force without a row that fits it.
HEADER_REACH = 8
# A one-model header (a model heading over its spec rows) has at most this much other text.
MAX_SINGLE_HEADER_RESIDUE = 6
# How many trailing cut points are tried for a row ending in a text cell: near its end, and further left
# where a long text cell starts.
MAX_TRAILER_CUTS = 3
MAX_FAR_CUTS = 3
# A trailing text cell (a "winner" column) is at most this long.
MAX_TRAILER_CHARS = 30
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
    doc.consumed |= cell_lists(lines, builder)
    score_tables(doc, builder)
    wrapped_rows(doc, builder)
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
    category_cards(lines, builder)
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
        builder.compare_group(ids)


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
    """A row with a trailing text cell ("Winner", "Key insight" column): the row cut after each of its last
    value ends. A cut within MAX_TRAILER_CHARS of the end may be followed by anything ("Tie", "—"); a cut
    further left only where a text cell starts right after it ("79.8%R1 leads on ...": a letter follows)."""
    cuts: list[str] = []
    near = max(-1, len(line) - 2 - MAX_TRAILER_CHARS)
    for i in range(len(line) - 1, near, -1):
        if len(cuts) >= MAX_TRAILER_CUTS:
            break
        if (line[i].isdigit() or line[i] in "%KMBT—–") and (i + 1 == len(line) or not line[i + 1].isdigit()):
            if line[i].isdigit() and i + 1 < len(line) and line[i + 1] == ".":
                continue
            cuts.append(line[: i + 1])
    far = [m.end() for m in _TEXT_AFTER_VALUE_RE.finditer(line) if m.end() <= near]
    return cuts + [line[:end] for end in reversed(far[-MAX_FAR_CUTS:])]


# A value's end with a text cell right after it: a letter after a number and a space ("88 Strong lead"), or
# right after a percent ("79.8%R1 leads"); a letter glued to a number is its unit ("405B"), not a new cell.
_TEXT_AFTER_VALUE_RE = re.compile(r"\d(?![\d.])(?=\s[A-Za-z])|%(?=\s?[A-Za-z])")


def _fewer_columns(line: str, header: list[str]) -> bool:
    """A pipe row with fewer value cells than the header has models."""
    cells = [c for c in line.strip().strip("|").split("|")]
    return len(cells) >= 2 and len(cells) - 1 < len(header)


def _continued(peeled: tuple[str, list[str]], trailer: str) -> tuple[str, list[str]]:
    """A trailer in lower case ("39B" + " active parameters out of 141B") goes on with the last value; a
    winner cell (a name) does not."""
    if not _LOWER_WORD_RE.match(trailer):
        return peeled
    return peeled[0], [*peeled[1][:-1], peeled[1][-1] + trailer]


_LOWER_WORD_RE = re.compile(r"\s?[a-z]{2,}\b")


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
    values = [_MISSING_MARK if _NOT_STATED_RE.match(v) else _bare(v) for v in values]
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


# A cell saying no score was given ("Not tested", "Not benchmarked", "Unknown").
_NOT_STATED_RE = re.compile(
    r"^(?:not\s[a-z]+(?:\s[a-z]+)?|untested|unknown|undisclosed|unreported|none)$", re.IGNORECASE
)
_MISSING_MARK = "—"
# A gloss after a score: its run settings or an error bar ("93.7% (0-shot)", "37.5% ±1.9"); a bound ("1900+") stays.
MAX_GLOSS_CHARS = 40


def _bare(cell: str) -> str:
    """A score cell without its approximation mark, error bar and parenthesised gloss."""
    text = cell.strip()
    if text.endswith(")") and 0 < len(text) - text.rfind("(") <= MAX_GLOSS_CHARS + 2:
        text = text[: text.rfind("(")].rstrip()
    text = text.split("±")[0].rstrip().lstrip("~≈ ")
    return text or cell


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
        ids = [_expand(m, default) for m in (_header_ids(_heading(line), columns) or glued_header(line, builder))]
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
        elif _fewer_columns(line, header):
            peeled = None  # "| OpenAI (GPT-4.1 / o3) |": a column holds several models; cells cannot be matched
        else:
            models = header
            if starts and starts[-1][1] >= len(row) - 1:
                row = row[: starts[-1][0]].rstrip()  # a trailing "winner" cell naming a model
            peeled = (
                _peel(row, len(header))
                or next(
                    (
                        _continued(p, row[len(cut) :]) if len(row) - len(cut) <= MAX_TRAILER_CHARS else p
                        for cut in (_trailer_cuts(row) if len(header) > 1 else [])
                        if (p := _peel(cut, len(header)))
                    ),
                    None,
                )
                or (_split_label(row) if len(header) == 1 else None)
                or glued_licence_row(row, len(header))
                or glued_grouped_row(row, len(header))
            )
        if peeled and _row_facts(builder, peeled[0], peeled[1], models, strict=len(models) == 1):
            idle = 0
            if not paired:
                paired = True
                builder.compare_group(header)
            continue
        idle += 1
        if idle > HEADER_REACH:
            header, heads = list(default), {}


# A header holds no value: no percent, price or token count ("900K tokens (GPT-4.1)" is a row's cell).
_VALUE_IN_HEADER_RE = re.compile(r"\d%|\$\d|\d\s?[KM]\s?tokens?\b", re.IGNORECASE)


def _heading(line: str) -> str:
    """ "GPT-4o (latest, multimodal):" heads the lines under it like a bare "GPT-4o" does."""
    return _GLOSS_RE.sub("", line.strip()) if line.rstrip().endswith(":") else line


def _header_ids(line: str, columns: _Columns) -> list[str]:
    """The model columns of a header line: model names and little else (no values in it)."""
    found = columns.in_line(line)
    if not found or _VALUE_IN_HEADER_RE.search(line) or _value_cell(line):
        return []
    residue = len(line) - sum(e - s for s, e, _ in found)
    ids = [m for _, _, m in found]
    if residue > MAX_LABEL_CHARS or len(set(ids)) != len(ids):
        return []
    return ids if len(ids) >= 2 or residue <= MAX_SINGLE_HEADER_RESIDUE else []


def _value_cell(line: str) -> bool:
    """A pipe line with a cell (after the first) that starts with a number ("8K tokens (GPT-4)"): a row
    whose values mention models, not a header naming them."""
    if not is_table_line(line):
        return False
    return any(cell[:1].isdigit() or cell[:1] in "$~≈" for cell in split_cells(line)[1:])


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
        heading = _heading(line)
        found = columns.in_line(heading)
        if found and previous and named_tile(builder, found, line, previous):
            previous = ""  # "400B" over "Llama 4 Maverick Params": that model's value, whoever the subject is
            continue
        if found and len(heading) - sum(e - s for s, e, _ in found) <= MAX_HEADING_RESIDUE:
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
            if label_like and tile_value(before, here):
                builder.claim(subject, before, here)
                line = ""  # this value is used up: it is not the value of the next label too
            elif (
                canonical_attribute(here)
                and len(here) <= MAX_TILE_LABEL_CHARS
                and LONE_VALUE_RE.match(before)
                and not foreign_label(here)
            ):
                builder.claim(subject, here, before)
                line = ""
        previous = line


# A benchmark bullet's value: a score with a unit or decimals, maybe a gloss ("88.6 (Expert Level)").
_KV_SCORE_RE = re.compile(r"^(?:~|≈|approximately\s)?(\d{1,4}(?:\.\d+)?)\s?(%|/100|/10)?(?:\s*\([^()]{0,40}\))?$")
# A heading's gloss and colon: " (latest, multimodal):".
_GLOSS_RE = re.compile(r"\s?\([^()]{0,40}\)\s?:$|:$")
# Citation markers chat tools leave behind (":contentReference[oaicite:3]{index=3}").
_CITATION_RE = re.compile(r":?contentReference\[[^\]]{0,40}\]\{[^}]{0,40}\}")
# A model heading line holds at most this much besides the model's name.
MAX_HEADING_RESIDUE = 8
