"""Spec lists ("Active parameters: 17 billion" under a "Llama 4 Scout" heading) and variant lists
("Llama 4 comes in three main variations:" then "Llama 4 Scout: ...").

A spec list is a run of two or more consecutive `Key: value` lines, at least half of whose values are
quantities: that separates specs from prose that happens to contain colons ("Use cases: ..."). It
belongs to the nearest model-name heading at most a few lines above it: a short line that is one model
name, optionally followed by up to two capitalized words ("Llama 4 Scout").

A variant list is a line ending with ":" that names a model X, followed by lines whose leading name
resolves to an id that extends X's id (`llama-4-scout` extends `llama-4`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from capgraph.graph.values import parse_quantity
from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document, title_comparisons, vendor_phrases
from capgraph.ingest.resolve import ResolvedName, Resolver

_BULLET_RE = re.compile(r"^(?:[-*•·▪►]+|\d{1,2}[.)])\s+")
_KV_RE = re.compile(r"^([A-Za-z][A-Za-z0-9 ()/&'-]{0,48}?)\s*:\s*(\S.{0,300})$")
_HEADING_LOOKBACK = 6
_MAX_KEY_WORDS = 6
_MAX_HEADING_WORDS = 8


@dataclass(frozen=True, slots=True)
class SpecRun:
    """Consecutive `Key: value` lines [start, end) and their pairs."""

    start: int
    end: int
    pairs: tuple[tuple[str, str], ...]


def _key_value(line: str) -> tuple[str, str] | None:
    text = _BULLET_RE.sub("", line.strip(), count=1)
    if len(text) > 360:
        return None
    match = _KV_RE.match(text)
    if not match or len(match.group(1).split()) > _MAX_KEY_WORDS:
        return None
    return match.group(1).strip(), match.group(2).strip()


def find_spec_runs(lines: list[str]) -> list[SpecRun]:
    """Runs of at least two `Key: value` lines whose values are mostly quantities."""
    runs: list[SpecRun] = []
    i = 0
    while i < len(lines):
        pair = _key_value(lines[i])
        if pair is None:
            i += 1
            continue
        start, pairs = i, [pair]
        i += 1
        while i < len(lines) and (pair := _key_value(lines[i])) is not None:
            pairs.append(pair)
            i += 1
        numeric = sum(1 for _, value in pairs if parse_quantity(value) is not None)
        if len(pairs) >= 2 and numeric * 2 >= len(pairs):
            runs.append(SpecRun(start, i, tuple(pairs)))
    return runs


def model_heading(line: str, resolver: Resolver) -> ResolvedName | None:
    """The model a short heading line names ("Llama 4 Scout"), or None for any other line."""
    text = _BULLET_RE.sub("", line.strip(), count=1).strip("#*_ ")
    words = text.split()
    if not words or len(words) > _MAX_HEADING_WORDS or ":" in text or text.endswith((".", "?", "!", ",")):
        return None
    if resolver.looks_like_model(text):
        return resolver.try_canonical(text)
    mentions = resolver.find_mentions(text)
    if not mentions or mentions[0].start != 0:
        return None
    rest = text[mentions[0].end :].split()
    if len(rest) <= 2 and all(word[:1].isupper() for word in rest):
        return resolver.try_canonical(text)
    return None


def read_spec_lists(doc: Document, builder: ExtractionBuilder) -> int:
    """A claim per spec line, for the model of the heading above the list; returns lists read."""
    used = 0
    previous_end = 0
    for run in find_spec_runs(doc.lines):
        heading: ResolvedName | None = None
        heading_line = ""
        lowest = max(previous_end, run.start - _HEADING_LOOKBACK)
        for k in range(run.start - 1, lowest - 1, -1):
            heading = model_heading(doc.lines[k], builder.resolver)
            if heading is not None:
                heading_line = doc.lines[k].strip()
                break
        previous_end = run.end
        if heading is None:
            builder.warn(f"a spec list at line {run.start + 1} has no model heading above it; skipped")
            continue
        model_id = builder.add_resolved(heading, raw=heading_line)
        for key, value in run.pairs:
            builder.claim(model_id, key, value)
        used += 1
    return used


def read_variant_lists(doc: Document, builder: ExtractionBuilder) -> int:
    """VARIANT_OF links from "X comes in ...:" followed by "X Something: ..." lines; returns links made."""
    made = 0
    lines = doc.lines
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.endswith(":") or len(stripped) > 200:
            continue
        mentions = builder.resolver.find_mentions(stripped)
        if not mentions:
            continue
        base = mentions[0]
        j = i + 1
        while j < len(lines) and lines[j].strip():
            item = _BULLET_RE.sub("", lines[j].strip(), count=1)
            name = item.split(":", 1)[0] if ":" in item else item
            resolved = builder.resolver.try_canonical(name) if len(name) <= 80 else None
            if resolved is None or not resolved.id.startswith(base.resolved.id + "-"):
                break
            base_id = builder.add_resolved(base.resolved, raw=base.text)
            variant_id = builder.add_resolved(resolved, raw=name)
            builder.variant(variant_id, base_id)
            made += 1
            j += 1
    return made


def parse_specs(doc: Document, builder: ExtractionBuilder) -> None:
    """Fill the builder from a spec-list article."""
    title_comparisons(doc, builder)
    if not read_spec_lists(doc, builder):
        builder.warn("no spec list could be attached to a model")
    read_variant_lists(doc, builder)
    vendor_phrases(doc, builder)
