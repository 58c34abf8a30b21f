"""Readers shared by several formats: the parsed document, title comparisons, vendor phrases and
feature-table claims."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from capgraph.ingest.parsers.aligned import realign
from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.layout import unflatten
from capgraph.ingest.parsers.tables import Table, find_tables

_MAX_TITLE_CHARS = 200
_VS_TITLE_RE = re.compile(r"^(.{1,100}?)\s+(?:vs\.?|versus|v\.)\s+(.{1,100}?)\s*$", re.IGNORECASE)
_COMPARATIVE_RE = re.compile(
    r"\b(?:vs\.?|versus|than|compared?|comparison|comparing|against|beats?|outperforms?)(?:\s|$)",
    re.IGNORECASE,
)
_BY_RE = re.compile(
    r"\b(?:(developed|created|made|built|released|trained|published|launched|designed|introduced|"
    r"produced|owned)\s+)?by\s+([A-Z][\w&-]{1,30}(?: (?:AI|[A-Z][\w&-]{1,30})){0,2})"
)
_NOT_ORGS = frozenset(
    {"The", "This", "That", "These", "A", "An", "Its", "Our", "We", "Default", "Design", "Far", "Then", "Using"}
)


@dataclass
class Document:
    """A normalized text split into lines, with its tables read once for all parsers."""

    text: str
    lines: list[str]
    tables: list[Table] = field(default_factory=list)
    # Stripped lines a table reader took whole: the sentence reader leaves them alone.
    consumed: set[str] = field(default_factory=set)

    @classmethod
    def from_text(cls, normalized: str) -> Document:
        lines = realign(unflatten(normalized.split("\n")))
        return cls(text=normalized, lines=lines, tables=find_tables(lines))

    def first_line(self) -> str:
        for line in self.lines:
            if line.strip():
                return line.strip()
        return ""

    def title(self) -> str:
        """The first line, shortened at a word boundary when it is a paragraph rather than a title."""
        first = self.first_line()
        if len(first) <= _MAX_TITLE_CHARS:
            return first
        return first[:_MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"


def vs_title(line: str) -> tuple[str, str] | None:
    """The two names of an "X vs Y" title line, or None."""
    match = _VS_TITLE_RE.match(line.strip())
    if not match:
        return None
    right = _MORE_SIDES_RE.split(match.group(2).strip(), maxsplit=1)[0]  # "A vs B vs C": B is the second side
    left, right = match.group(1).strip(), strip_purpose(right.strip())
    return (left, right) if left and right else None


_MORE_SIDES_RE = re.compile(r"\s+(?:vs\.?|versus|v\.)\s+", re.IGNORECASE)
# A title side's purpose after the name: a lower-case preposition and what follows ("Windsurf for large
# codebases", "Perplexity in 2025"); names hold no such word in lower case.
_PURPOSE_RE = re.compile(r"\s+(?:for|in|on|with|to|at|as|from|when|which|under|over|during|across|via)\s.*$")


def strip_purpose(side: str) -> str:
    """The name a title side starts with, without a trailing purpose phrase."""
    return _PURPOSE_RE.sub("", side) or side


def title_comparisons(doc: Document, builder: ExtractionBuilder) -> list[str]:
    """Models a comparative title names ("Why X is better than Y and Z"): X is compared with each other."""
    title = doc.first_line()
    if len(title) > _MAX_TITLE_CHARS or not _COMPARATIVE_RE.search(title):
        return []
    ids: list[str] = []
    for mention in builder.resolver.find_mentions(title):
        model_id = builder.add_resolved(mention.resolved, raw=mention.text)
        if model_id not in ids:
            ids.append(model_id)
    for other in ids[1:]:
        builder.compare(ids[0], other)
    return ids


def vendor_phrases(doc: Document, builder: ExtractionBuilder) -> None:
    """ "Phi-4-mini by Microsoft", "o1-mini, created by OpenAI": the vendor of a model already extracted.

    A bare "by" must follow the name directly; a verb ("developed by") may be up to a clause away
    within the same sentence. The text overrides the vendor guessed from the model family.
    """
    for line in doc.lines:
        if " by " not in line or len(line) > 5000:
            continue
        matches = list(_BY_RE.finditer(line))
        if not matches:
            continue
        mentions = builder.resolver.find_mentions(line)
        for match in matches:
            org = match.group(2).removesuffix("'s").rstrip(".,")
            if org.split()[0] in _NOT_ORGS or any(m.start == match.start(2) for m in mentions):
                continue
            before = [m for m in mentions if m.end <= match.start()]
            if not before:
                continue
            nearest = before[-1]
            gap = line[nearest.end : match.start()]
            if match.group(1):
                if len(gap) > 90 or re.search(r"[.!?;]\s", gap):
                    continue
            elif gap.strip(" ,") or len(gap) > 3:
                continue
            if builder.has_model(nearest.resolved.id):
                vendor = builder.resolver.vendor_name(org) or org
                builder.set_vendor(nearest.resolved.id, vendor, override=True)


def read_feature_table(
    table: Table, builder: ExtractionBuilder, column_models: dict[int, str], *, skip_header_rows: bool = True
) -> None:
    """A claim per (row, model column); the row label is the attribute."""
    header_norm = [c.lower() for c in table.header]
    for row in table.body:
        if skip_header_rows and [c.lower() for c in row] == header_norm:
            continue
        label = row[0]
        for j, model_id in column_models.items():
            if j < len(row):
                builder.claim(model_id, label, row[j])
