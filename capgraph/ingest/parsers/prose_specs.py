"""Spec values stated in a sentence: context window, parameters (total and active), prices, license,
open weights and release date, each for the model that owns it.

Owner: a model named right after the value ("16K for Phi-4"), else the model named nearest before it
(skipped when a "versus"/"compared with" stands between them, or when it is the object of a
comparison), else the sentence's fallback (a bullet's heading model, the page's only model).
"Respectively" lists map in order onto as many models. A model that already has the attribute keeps
its table value: prose restating it is more often a different variant than a correction.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from capgraph.ingest.parsers import prose_terms as t
from capgraph.ingest.parsers.prose_owners import Span, ensure_model, owner_before
from capgraph.ingest.vocab import count, typed_value

if TYPE_CHECKING:
    from capgraph.ingest.parsers.builder import ExtractionBuilder

# A context window is at least this many tokens (smaller numbers near "context" are something else).
MIN_CONTEXT_TOKENS = 1000
MAX_CONTEXT_TOKENS = 100_000_000
# A parameter count is at least this (a "0.5B" model exists; a bare "7" does not count).
MIN_PARAMETERS = 1e8
# How far after a value a "for <model>" owner may be.
FOR_REACH = 80
# How far after a price its "per 1M tokens" may be ("$0.40 input / $1.60 output per 1M tokens").
PER_REACH = 45
# How far before a parameter count a range or list ("8B, 70B, and 405B parameter models") is seen.
RANGE_REACH = 14
# A "respectively" list holds at most this many values.
MAX_LIST = 8
_FOR_RE = re.compile(r"\bfor\s+(?:the\s)?$")
_STOP_RE = re.compile(r"\b(?:versus|vs\.?|compared|while|whereas|but)\b|[;]")
_LIST_RE = re.compile(
    r"\s?(?P<v>\d[\d,]{0,6}(?:\.\d{1,3})?)(?P<m>\s?B\b|[- ]?billion\b)(?:\s?(?:,\sand|,|and)\s)?",
    re.IGNORECASE,
)
_RANGE_BEFORE_RE = re.compile(
    r"\d\s?(?:[BKM]|billion|million)?\s?(?:,\s?and|,\s?or|to|-|–|and|,|or|/)\s?$", re.IGNORECASE
)
_SIDE_BEFORE_RE = re.compile(
    r"\b(input|output|prompt|completion)(?:\s(?:tokens?|price|pricing|cost))?\s?(?:is|of|at|:|costs?)?\s?$",
    re.IGNORECASE,
)
_SIDE_AFTER_RE = re.compile(r"^\s?(?:for\s)?(input|output|prompt|completion)\b", re.IGNORECASE)
_PER_NEARBY_RE = re.compile(r"(?:per|/)\s?(?:one\s|1\s?)?(M|million|1M|K|1K|thousand)\b", re.IGNORECASE)
_SIDES = {"input": "Input price", "prompt": "Input price", "output": "Output price", "completion": "Output price"}


def read_specs(
    sentence: str,
    mentions: list[Span],
    fallback: Span | None,
    builder: ExtractionBuilder,
    *,
    context_section: bool = False,
) -> None:
    """Add the spec claims of one sentence; in a section about context windows, a short line's
    "<model> 1M tokens" is that model's context window."""
    taken = [(m.start, m.end) for m in mentions]
    taken += _respectively_params(sentence, mentions, builder)
    context_res = (*t.CONTEXT_RES, t.TOKENS_RE) if context_section else t.CONTEXT_RES
    for patterns, label in ((context_res, "Context window"), (t.MAX_OUTPUT_RES, "Max output tokens")):
        for pattern in patterns:
            for match in pattern.finditer(sentence):
                if _tokens_ok(match.group("v")) and _free(match.span("v"), taken):
                    taken.append(match.span("v"))
                    _claim(sentence, match.span("v"), mentions, fallback, builder, label, match.group("v"))
                    _values_for(sentence, match.end(), mentions, builder, label)
    for match in t.PARAM_RE.finditer(sentence):
        before = sentence[max(0, match.start() - RANGE_REACH) : match.start()]
        if not _free(match.span("v"), taken) or _RANGE_BEFORE_RE.search(before):
            continue
        label = "Active parameters" if "activ" in match.group("rest").lower() else "Parameters"
        raw = match.group("v") + " " + match.group("m").strip(" -")
        if (count(raw) or 0) >= MIN_PARAMETERS:
            _claim(sentence, match.span("v"), mentions, fallback, builder, label, raw)
    _prices(sentence, mentions, fallback, builder)
    for match in t.LICENSE_RE.finditer(sentence):
        value = match.group("v") or match.group("w")
        span = match.span("v") if match.group("v") else match.span("w")
        _claim(sentence, span, mentions, fallback, builder, "License", value)
    if len({m.key for m in mentions}) == 1 or (fallback and not mentions):
        for match in t.OPEN_WEIGHTS_RE.finditer(sentence):
            if mentions or match.group(0).lower().startswith("weights"):
                _claim(sentence, match.span(), mentions, fallback, builder, "Open weights", "yes")
            break
    for match in t.RELEASE_RE.finditer(sentence):
        inside = [m for m in mentions if match.start("between") <= m.start < match.end("between")]
        date = t.ORDINAL_RE.sub(r"\1", match.group("d"))
        if len({m.key for m in inside}) == 1:
            _add(builder, inside[0], "Release date", date)
        elif not inside:
            _claim(sentence, (match.start(), match.end()), mentions, fallback, builder, "Release date", date)


def _tokens_ok(raw: str) -> bool:
    tokens = count(raw)
    return tokens is not None and MIN_CONTEXT_TOKENS <= tokens <= MAX_CONTEXT_TOKENS


def _values_for(sentence: str, pos: int, mentions: list[Span], builder: ExtractionBuilder, label: str) -> None:
    """After a stated value, "... compared with 16K for Phi-4": the same attribute for a later model."""
    for mention in mentions:
        if mention.start < pos:
            continue
        match = t.VALUE_FOR_RE.search(sentence[max(pos, mention.start - FOR_REACH) : mention.start])
        if match and _tokens_ok(match.group("v")):
            _add(builder, mention, label, match.group("v"))


def _free(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return all(span[1] <= s or span[0] >= e for s, e in taken)


def _prices(sentence: str, mentions: list[Span], fallback: Span | None, builder: ExtractionBuilder) -> None:
    """`$3 per million input tokens`, `$0.40 input / $1.60 output per 1M tokens`, `input: $2.50/1M`."""
    paired: list[tuple[int, int]] = []
    for match in t.PRICE_PAIR_RE.finditer(sentence):
        paired.append(match.span())
        _claim(sentence, match.span("a"), mentions, fallback, builder, "Input price", f"${match.group('a')} per 1M")
        _claim(sentence, match.span("a"), mentions, fallback, builder, "Output price", f"${match.group('b')} per 1M")
    for match in t.PRICE_RE.finditer(sentence):
        if not _free(match.span(), paired):
            continue
        side = match.group("side1") or match.group("side2")
        if side is None:
            found = _SIDE_AFTER_RE.match(sentence[match.end() : match.end() + 20])
            found = found or _SIDE_BEFORE_RE.search(sentence[max(0, match.start() - 30) : match.start()])
            side = found.group(1) if found else None
        per = match.group("per")
        if per is None:
            nearby = _PER_NEARBY_RE.search(sentence[match.end() : match.end() + PER_REACH])
            per = nearby.group(1) if nearby else None
        if per is None:
            continue
        scale = "1K" if per.lower() in ("k", "1k", "thousand", "1,000") else "1M"
        raw = f"${match.group('v')} per {scale} tokens"
        label = _SIDES.get(side.lower()) if side else None
        _claim(sentence, match.span("v"), mentions, fallback, builder, label or "Price", raw)


def _respectively_params(sentence: str, mentions: list[Span], builder: ExtractionBuilder) -> list[tuple[int, int]]:
    """ "activating 37B and 21B ... respectively, with total parameter counts reaching 671B and 236B"."""
    if "respectively" not in sentence.lower():
        return []
    taken: list[tuple[int, int]] = []
    for pattern, label in ((t.ACTIVATING_RE, "Active parameters"), (t.TOTAL_REACHING_RE, "Parameters")):
        match = pattern.search(sentence)
        if not match:
            continue
        pos = match.start("v") if "v" in pattern.groupindex else match.end()
        values: list[re.Match[str]] = []
        while (item := _LIST_RE.match(sentence, pos)) is not None and len(values) < MAX_LIST:
            values.append(item)
            pos = item.end()
        owners = _distinct_before(mentions, match.start())
        if len(values) >= 2 and len(owners) == len(values):
            for owner, item in zip(owners, values, strict=True):
                _add(builder, owner, label, item.group("v") + item.group("m"))
                taken.append(item.span("v"))
    return taken


def _distinct_before(mentions: list[Span], pos: int) -> list[Span]:
    seen: dict[str, Span] = {}
    for mention in mentions:
        if mention.end <= pos:
            seen.setdefault(mention.key, mention)
    return list(seen.values())


def _claim(
    sentence: str,
    span: tuple[int, int],
    mentions: list[Span],
    fallback: Span | None,
    builder: ExtractionBuilder,
    label: str,
    raw: str,
) -> None:

    start, end = span
    after = [m for m in mentions if m.start >= end]
    gap = sentence[end : after[0].start] if after else ""
    if after and len(gap) <= FOR_REACH and _FOR_RE.search(gap) and not _STOP_RE.search(gap):
        _add(builder, after[0], label, raw)
        return
    if not mentions:
        if fallback is not None:
            _add(builder, fallback, label, raw)
        return
    owner = owner_before(sentence, start, mentions)
    if owner is None or _STOP_RE.search(sentence[owner.end : start]):
        return
    _add(builder, owner, label, raw)


def _add(builder: ExtractionBuilder, owner: Span, label: str, raw: str) -> None:
    from capgraph.ingest.vocab import canonical_attribute

    attribute = canonical_attribute(label) or "price"
    if attribute != "price" and typed_value(attribute, raw) is None:
        return
    if builder.has_claim(owner.key, attribute) or not ensure_model(builder, owner):
        return
    builder.claim(owner.key, label, raw)
