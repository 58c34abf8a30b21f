"""Comparison pages ("X vs Y"): a feature table, then each model's decomposed capabilities.

Page structure relied on (not wording): an "X vs Y" title line; a pipe table whose header names the two
sides; capability blocks made of a description paragraph followed by a `Unique:` line and a
`vs alternatives:` line; optional "<name> Capabilities" headings; a "+N more capabilities" line closing a
model's list. The site chrome (a "Verdict" block, "Need something different?", "Search the match graph
→", a "© <year> ..." footer) may sit anywhere, even glued to other text, and belongs to no capability.

Which model a block belongs to, in order of evidence:
1. a "<name> Capabilities" heading sets the side explicitly;
2. "+N more capabilities" closes the first model's list (the next blocks are the second model's); when
   its N does not fit the first model's declared count but fits the second's, the run before it held
   both lists and is split so the second model shows (declared - N) blocks;
3. with neither, on a page cut off mid-line (crawlers truncate) whose run holds no more blocks than the
   first model declared, the whole run is the first model's: lists come in order, and the cut fell
   before the first list ended;
4. otherwise the run of blocks is split by declared counts: the first model gets
   min(declared_a, max(total - declared_b, ceil(total / 2))) blocks, i.e. an even split that never gives
   a model more blocks than it declared. A warning says the boundary was inferred.
The verdict's position is not used: on real pages it can fall inside the second list.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from capgraph.graph.values import leading_int, snake_case
from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document, read_feature_table, vs_title
from capgraph.ingest.parsers.naming import capability_name
from capgraph.ingest.parsers.tables import Table
from capgraph.ingest.parsers.titles import specific_side, title_side_name

_UNIQUE_RE = re.compile(r"^unique\s*:\s*", re.IGNORECASE)
_VS_ALT_RE = re.compile(r"^vs\.?\s+alternatives?\s*:\s*", re.IGNORECASE)
_HEADING_RE = re.compile(r"^(.{1,100}?)\s+capabilities\s*:?$", re.IGNORECASE)
_VERDICT_RE = re.compile(r"^verdict\s*(?::\s*(.*)|$)", re.IGNORECASE)
_MARKER_RE = re.compile(
    r"(?P<more>\+\s?(?P<count>\d{1,5})\s+more\s+capabilit(?:y|ies))"
    r"|(?P<chrome>Need something different\?|Search the match graph\s*→?"
    r"|©\s*\d{4}[^.\n]{0,80}\.(?:\s*[A-Z][^.\n]{0,60}\.)?)"
    r"|(?P<verdict>(?<=[.!?])\s*Verdict\s*$)",
    re.IGNORECASE,
)
# "X vs Y: which is better?" / "X vs Y | Site": the right-hand name ends before the subtitle.
_SUBTITLE_RE = re.compile(r":\s|\s[—–|-]\s|\?")
_TERMINAL = (".", "!", "?", ")", "]", '"', "'", "”", "’", "…", "→", "|", ":")
_MIN_DESCRIPTION_WORDS = 4
_WRAPPED_LINE_WORDS = 8


@dataclass
class _Item:
    kind: str  # text | unique | vs | heading | more | verdict | chrome | blank
    text: str
    number: int = 0


@dataclass
class _Block:
    side: int | None
    description: str | None
    unique: str | None = None
    vs: str | None = None


def _may_hold_marker(line: str) -> bool:
    lower = line.lower()
    return "+" in line or "©" in line or "→" in line or "?" in line or "match graph" in lower or "verdict" in lower


def _split_markers(line: str) -> list[_Item]:
    if not _may_hold_marker(line):
        return [_Item("text", line.strip())]
    items: list[_Item] = []
    pos = 0
    for match in _MARKER_RE.finditer(line):
        if match.start() > pos:
            items.append(_Item("text", line[pos : match.start()].strip()))
        if match.group("more"):
            items.append(_Item("more", match.group(0), int(match.group("count"))))
        elif match.group("verdict"):
            items.append(_Item("verdict", ""))
        else:
            items.append(_Item("chrome", match.group(0)))
        pos = match.end()
    if pos < len(line):
        items.append(_Item("text", line[pos:].strip()))
    return [item for item in items if item.kind != "text" or item.text]


def _classify(segment: _Item) -> _Item:
    text = segment.text
    if segment.kind != "text":
        return segment
    if _UNIQUE_RE.match(text):
        return _Item("unique", _UNIQUE_RE.sub("", text, count=1))
    if _VS_ALT_RE.match(text):
        return _Item("vs", _VS_ALT_RE.sub("", text, count=1))
    verdict = _VERDICT_RE.match(text)
    if verdict:
        return _Item("verdict", (verdict.group(1) or "").strip())
    heading = _HEADING_RE.match(text)
    if heading and len(text.split()) <= 12:
        return _Item("heading", heading.group(1).strip())
    return segment


def _items(lines: list[str], start: int, builder: ExtractionBuilder) -> tuple[list[_Item], bool]:
    """The page's items after the feature table, and whether the page was cut off mid-line."""
    items: list[_Item] = []
    for line in lines[start:]:
        if not line.strip():
            items.append(_Item("blank", ""))
            continue
        items.extend(_classify(segment) for segment in _split_markers(line))
    return items, _drop_truncated_tail(items, lines, builder)


def _drop_truncated_tail(items: list[_Item], lines: list[str], builder: ExtractionBuilder) -> bool:
    """A page cut off mid-line: the unfinished last line is dropped and a warning says so."""
    if not items or not lines:
        return False
    last = items[-1]
    if last.kind in ("text", "unique", "vs") and not lines[-1].rstrip().endswith(_TERMINAL):
        items.pop()
        builder.warn("the text appears truncated mid-line; the incomplete last line was dropped")
        return True
    return False


def _description(pending: list[str]) -> str | None:
    """The paragraph right above a `Unique:` line; earlier lines join it only when they look wrapped."""
    lines = [line for line in pending]
    while lines and not lines[-1]:
        lines.pop()
    if not lines or len(lines[-1].split()) < _MIN_DESCRIPTION_WORDS:
        return None
    parts = [lines.pop()]
    while (
        lines
        and lines[-1]
        and len(lines[-1].split()) >= _WRAPPED_LINE_WORDS
        and not lines[-1].rstrip().endswith((".", "!", "?", ":", ";"))
    ):
        parts.insert(0, lines.pop())
    return " ".join(parts)


class _Assigner:
    """Walks the items once, building blocks and deciding which side each belongs to."""

    def __init__(
        self, builder: ExtractionBuilder, headings: dict[str, int], declared: list[int | None], truncated: bool
    ) -> None:
        self.builder = builder
        self.truncated = truncated
        self.headings = headings
        self.declared = declared
        self.blocks: list[_Block] = []
        self.run: list[_Block] = []  # blocks whose side is not yet certain (first model, unless split)
        self.side: int | None = None
        self.closed: set[int] = set()
        self.more: dict[int, int] = {}
        self.current: _Block | None = None
        self.pending: list[str] = []
        self.dropped = 0

    def walk(self, items: list[_Item]) -> list[_Block]:
        skip_verdict_body = False
        for index, item in enumerate(items):
            if item.kind == "text":
                if skip_verdict_body:
                    skip_verdict_body = False
                    following = next((it for it in items[index + 1 :] if it.kind != "blank"), None)
                    if following is None or following.kind != "unique":
                        continue
                self._finish()
                self.pending.append(item.text)
            elif item.kind == "blank":
                self.pending.append("")
            elif item.kind == "unique":
                self._finish()
                self.current = _Block(self.side, _description(self.pending), unique=item.text)
                self.pending = []
            elif item.kind == "vs":
                if self.current is None or self.current.vs is not None:
                    self._finish()
                    self.current = _Block(self.side, _description(self.pending))
                    self.pending = []
                self.current.vs = item.text
                self._finish()
            else:
                self._finish()
                self.pending = []
                skip_verdict_body = item.kind == "verdict" and not item.text
                if item.kind == "heading":
                    self._heading(item.text)
                elif item.kind == "more":
                    self._more(item.number)
        self._finish()
        self._close_run(None)
        if self.dropped:
            self.builder.warn(f"{self.dropped} capability block(s) without a description were dropped")
        return self.blocks

    def _finish(self) -> None:
        block, self.current = self.current, None
        if block is None:
            return
        if not block.description:
            self.dropped += 1
            return
        if block.side is None or (block.side == 0 and 0 not in self.closed):
            block.side = None
            self.run.append(block)
        elif block.side in self.closed:
            self.builder.warn("capability blocks follow a closed '+N more' list; kept with the second model")
        self.blocks.append(block)

    def _heading(self, name: str) -> None:
        resolved = self.builder.resolver.try_canonical(name)
        side = self.headings.get(resolved.id) if resolved else None
        if side is None:
            return
        if side == 1:
            self._assign_run(len(self.run))
            self.closed.add(0)
        self.side = side

    def _more(self, count: int) -> None:
        if self.side == 1 or 0 in self.closed:
            self.more.setdefault(1, count)
            self.closed.add(1)
            self.side = 1
            return
        self._close_run(count)
        self.side = 1

    def _close_run(self, more: int | None) -> None:
        """Decide where the first model's list ends inside the uncertain run (see the module docstring)."""
        run = self.run
        if not run:
            if more is not None:
                self.more.setdefault(0, more)
                self.closed.add(0)
            return
        total = len(run)
        first, second = self.declared
        if more is not None:
            shown_second = second - more if second is not None else 0
            if (first is None or first - more == total) or not 0 < shown_second < total:
                self.more.setdefault(0, more)
                split = total
            else:
                self.more.setdefault(1, more)
                self.closed.add(1)
                split = total - shown_second
                self.builder.warn("the first model's '+N more' line is missing; its list end was inferred")
        elif len(self.headings) < 2 or (self.truncated and (first is None or total <= first)):
            split = total
        else:
            cap = first if first is not None else total
            split = min(cap, max(total - (second if second is not None else total), math.ceil(total / 2)))
            if 0 < split < total or (first is not None and split < first):
                self.builder.warn(
                    "no heading or '+N more' line separates the two capability lists; "
                    "the boundary was inferred from the declared counts"
                )
        self._assign_run(split)
        self.closed.add(0)

    def _assign_run(self, split: int) -> None:
        for k, block in enumerate(self.run):
            block.side = 0 if k < split else 1
        self.run = []


def parse_comparison(doc: Document, builder: ExtractionBuilder) -> None:
    """Fill the builder from a comparison page; anything missing becomes a warning, never an error."""
    names = vs_title(doc.first_line())
    if names:
        right = _SUBTITLE_RE.split(names[1], maxsplit=1)[0].strip() or names[1]
        names = (names[0], title_side_name(right, builder))
    table = _feature_table(doc)
    header_names = [c for c in table.header[1:3] if c] if table is not None else []
    side_names = list(names) if names else header_names
    if names and len(header_names) == 2:
        side_names = [specific_side(t, h, builder) for t, h in zip(side_names, header_names, strict=True)]
    if len(side_names) < 2:
        side_names = _names_from_headings(doc, builder) or side_names
    kinds = _kinds(table)
    side_ids: list[str] = []
    for k, name in enumerate(side_names[:2]):
        model_id = builder.model(name, kind=kinds.get(k))
        if model_id is not None and model_id not in side_ids:
            side_ids.append(model_id)
    if not side_ids:
        builder.warn("no model names found (no 'X vs Y' title, table header or capability heading)")
        return
    if len(side_ids) == 2:
        builder.compare(side_ids[0], side_ids[1])
    if table is not None:
        _read_table(table, builder, side_ids)
    else:
        builder.warn("no feature table found")
    start = table.end if table is not None else (1 if names else 0)
    declared: list[int | None] = [builder.declared.get(i) for i in side_ids] + [None, None]
    headings = {model_id: k for k, model_id in enumerate(side_ids)}
    items, truncated = _items(doc.lines, start, builder)
    blocks = _Assigner(builder, headings, declared[:2], truncated).walk(items)
    if not blocks:
        builder.warn("no capability blocks found")
    model_names = _side_names(builder, side_ids, side_names)
    for block in blocks:
        side = block.side if block.side is not None and block.side < len(side_ids) else len(side_ids) - 1
        _add_capability(builder, side_ids[side], block, model_names)


def _feature_table(doc: Document) -> Table | None:
    for table in doc.tables:
        if table.width >= 3:
            return table
    return None


def _kinds(table: Table | None) -> dict[int, str]:
    if table is None:
        return {}
    for row in table.rows:
        if snake_case(row[0]) == "type":
            return {k: row[k + 1].strip() for k in range(2) if k + 1 < len(row) and row[k + 1].strip()}
    return {}


def _names_from_headings(doc: Document, builder: ExtractionBuilder) -> list[str]:
    names: list[str] = []
    for line in doc.lines:
        match = _HEADING_RE.match(line.strip())
        if match and len(line.split()) <= 12 and match.group(1) not in names:
            names.append(match.group(1))
    return names[:2]


def _read_table(table: Table, builder: ExtractionBuilder, side_ids: list[str]) -> None:
    for warning in table.warnings:
        builder.warn(warning)
    if table.truncated:
        builder.warn("the text appears truncated inside the feature table; the incomplete row was dropped")
    header_ids = [builder.resolver.try_canonical(cell) for cell in table.header[1:]]
    columns: dict[int, str] = {}
    for j, resolved in enumerate(header_ids, start=1):
        if resolved is not None and resolved.id in side_ids and resolved.id not in columns.values():
            columns[j] = resolved.id
    header_is_data = not columns
    if len(columns) < len(side_ids):
        for k, model_id in enumerate(side_ids):
            if model_id not in columns.values() and k + 1 not in columns:
                columns[k + 1] = model_id
    if header_is_data:
        builder.warn("the feature table has no header row naming the models; columns follow the title order")
        body = Table(rows=[[""], *table.rows], start=table.start, end=table.end)
        read_feature_table(body, builder, columns, skip_header_rows=False)
    else:
        read_feature_table(table, builder, columns)
    for row in table.rows:
        if snake_case(row[0]) == "capabilities":
            for j, model_id in columns.items():
                count = leading_int(row[j]) if j < len(row) else None
                if count is not None:
                    builder.declare_count(model_id, count)


def _side_names(builder: ExtractionBuilder, side_ids: list[str], raw_names: list[str]) -> list[str]:
    names = list(raw_names)
    built = {model_id: builder.resolver.try_canonical(model_id) for model_id in side_ids}
    names.extend(r.name for r in built.values() if r is not None)
    return names


def _add_capability(builder: ExtractionBuilder, model_id: str, block: _Block, model_names: list[str]) -> None:
    description = block.description or ""
    cap_id = builder.capability(
        model_id,
        capability_name(description, model_names),
        description,
        block.unique,
        block.vs,
    )
    if cap_id is None or not block.vs:
        return
    for mention in builder.resolver.find_mentions(block.vs):
        if mention.resolved.id == model_id:
            continue
        other = builder.add_resolved(mention.resolved, raw=mention.text)
        builder.contrast(cap_id, other)
