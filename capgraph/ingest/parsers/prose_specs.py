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
from capgraph.ingest.parsers.prose_owners import FOR_REACH, Span, add_claim, claim_for, free
from capgraph.ingest.parsers.prose_spec_lists import (
    active_of_total,
    modalities,
    param_lists,
    proprietary,
    self_hosting,
    side_pairs,
    value_lists,
)
from capgraph.ingest.vocab import count

if TYPE_CHECKING:
    from capgraph.ingest.parsers.builder import ExtractionBuilder

# A context window is at least this many tokens (smaller numbers near "context" are something else).
MIN_CONTEXT_TOKENS = 1000
MAX_CONTEXT_TOKENS = 100_000_000
# A parameter count is at least this (a "0.5B" model exists; a bare "7" does not count).
MIN_PARAMETERS = 1e8
# How far after a price its "per 1M tokens" may be ("$0.40 input / $1.60 output per 1M tokens").
PER_REACH = 45
# How far before a parameter count a range or list ("8B, 70B, and 405B parameter models") is seen.
RANGE_REACH = 14
_RANGE_BEFORE_RE = re.compile(
    r"\d\s?(?:[BKM]|billion|million)?\s?(?:,\s?and|,\s?or|to|-|–|and|,|or|/)\s?$", re.IGNORECASE
)
# "input: $3", "Input costs run approximately $0.80": the side named before a price, a few linking words between.
_SIDE_BEFORE_RE = re.compile(
    r"\b(input|output|prompt|completion)(?:\s(?:tokens?|price|pricing|cost))?:?"
    r"(?:\s(?:is|are|of|at|costs?|runs?|sits?|comes?\sin\sat|approximately|about|around|roughly|just|only)){0,3}"
    r"\s?:?\s?$",
    re.IGNORECASE,
)
# "activates 37 billion parameters per token": the count a verb of activation governs is the active one.
_ACTIVATES_BEFORE_RE = re.compile(r"\bactivat(?:es|ing|ed)\s(?:only\s|just\s|about\s|roughly\s)?$", re.IGNORECASE)
_SIDE_AFTER_RE = re.compile(r"^\s?(?:for\s)?(input|output|prompt|completion)\b", re.IGNORECASE)
_PER_NEARBY_RE = re.compile(r"(?:per|/)\s?(?:one\s|1\s?)?(M|million|1M|K|1K|thousand)\b", re.IGNORECASE)
_TOKEN_PRICE_RE = re.compile(r"\b(?:price[sd]?|pricing|tokens?|api)\b", re.IGNORECASE)
_SIDES = {"input": "Input price", "prompt": "Input price", "output": "Output price", "completion": "Output price"}


def read_specs(
    sentence: str,
    mentions: list[Span],
    fallback: Span | None,
    builder: ExtractionBuilder,
    *,
    context_section: bool = False,
    context_page: bool = False,
) -> None:
    """Add the spec claims of one sentence; in a section about context windows, a short line's
    "<model> 1M tokens" is that model's context window; on a page about them, so is "<model>: 1M tokens"."""
    if not mentions and fallback is None:
        return  # nobody to own a value
    if _DIGIT_RE.search(sentence):
        if context_page:
            _name_values(sentence, mentions, builder)
        _counts(sentence, mentions, fallback, builder, context_section=context_section)
    modalities(sentence, mentions, fallback, builder)
    proprietary(sentence, mentions, fallback, builder)
    self_hosting(sentence, mentions, fallback, builder)
    for match in t.LICENSE_RE.finditer(sentence):
        value = match.group("v") or match.group("w")
        span = match.span("v") if match.group("v") else match.span("w")
        claim_for(sentence, span, mentions, fallback, builder, "License", value)
    if len({m.key for m in mentions}) == 1 or (fallback and not mentions):
        for match in t.OPEN_WEIGHTS_RE.finditer(sentence):
            if mentions or match.group(0).lower().startswith("weights"):
                claim_for(sentence, match.span(), mentions, fallback, builder, "Open weights", "yes")
            break


_DIGIT_RE = re.compile(r"\d")


def _counts(
    sentence: str, mentions: list[Span], fallback: Span | None, builder: ExtractionBuilder, *, context_section: bool
) -> None:
    """The values written with digits: token counts, parameters, prices, dates."""
    taken = [(m.start, m.end) for m in mentions]
    taken += param_lists(sentence, mentions, builder)
    taken += active_of_total(sentence, mentions, fallback, builder)
    taken += value_lists(sentence, mentions, builder)
    context_res = (*t.CONTEXT_RES, t.TOKENS_RE) if context_section else t.CONTEXT_RES
    for patterns, label in ((context_res, "Context window"), (t.MAX_OUTPUT_RES, "Max output tokens")):
        for pattern in patterns:
            for match in pattern.finditer(sentence):
                unit_of_price = t.UNIT_BEFORE_RE.search(sentence, max(0, match.start("v") - 5), match.start("v"))
                if unit_of_price or _year(match) or not _tokens_ok(match.group("v")):
                    continue
                if free(match.span("v"), taken):
                    taken.append(match.span("v"))
                    claim_for(sentence, match.span("v"), mentions, fallback, builder, label, match.group("v"))
                    _values_for(sentence, match.end(), mentions, builder, label)
    for match in t.PARAM_RE.finditer(sentence):
        before = sentence[max(0, match.start() - RANGE_REACH) : match.start()]
        if not free(match.span("v"), taken) or _RANGE_BEFORE_RE.search(before):
            continue
        active = "activ" in match.group("rest").lower() or _ACTIVATES_BEFORE_RE.search(before)
        label = "Active parameters" if active else "Parameters"
        raw = match.group("v") + " " + match.group("m").strip(" -")
        if (count(raw) or 0) >= MIN_PARAMETERS:
            claim_for(sentence, match.span("v"), mentions, fallback, builder, label, raw)
    for match in t.ACTIVATING_RE.finditer(sentence):
        raw = match.group("v") + " " + match.group("m").strip(" -")
        if free(match.span("v"), taken) and (count(raw) or 0) >= MIN_PARAMETERS:
            claim_for(sentence, match.span("v"), mentions, fallback, builder, "Active parameters", raw)
    _prices(sentence, mentions, fallback, builder)
    for match in t.CUTOFF_RE.finditer(sentence):
        claim_for(sentence, match.span("d"), mentions, fallback, builder, "Knowledge cutoff", match.group("d"))
        break
    for match in t.RELEASE_RE.finditer(sentence):
        inside = [m for m in mentions if match.start("between") <= m.start < match.end("between")]
        date = t.ORDINAL_RE.sub(r"\1", match.group("d"))
        if len({m.key for m in inside}) == 1:
            add_claim(builder, inside[0], "Release date", date)
        elif not inside:
            claim_for(sentence, (match.start(), match.end()), mentions, fallback, builder, "Release date", date)


def _name_values(sentence: str, mentions: list[Span], builder: ExtractionBuilder) -> None:
    """ "GPT-4o family: 128,000 tokens", "GPT-4.1 = 1M": the count right after a model's name; a bare
    count needs a magnitude (K, M) to be tokens."""
    for mention in mentions:
        match = t.NAME_VALUE_RE.match(sentence, mention.end)
        if match is None or not _tokens_ok(match.group("v")):
            continue
        if match.group("t") or re.search(r"[KkM]\b|thousand|million", match.group("v")):
            add_claim(builder, mention, "Context window", match.group("v"))


def _year(match: re.Match[str]) -> bool:
    """ "in the context of 2024": a bare year is no token count unless "tokens" says so."""
    return _YEAR_RE.fullmatch(match.group("v")) is not None and "token" not in match.group(0).lower()


_YEAR_RE = re.compile(r"(?:19|20)\d\d")


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
            add_claim(builder, mention, label, match.group("v"))


def _prices(sentence: str, mentions: list[Span], fallback: Span | None, builder: ExtractionBuilder) -> None:
    """`$3 per million input tokens`, `$0.40 input / $1.60 output per 1M tokens`, `input: $2.50/1M`."""
    paired = side_pairs(sentence, mentions, fallback, builder)
    last_scale: str | None = None
    for match in t.PRICE_PAIR_RE.finditer(sentence):
        paired.append(match.span())
        claim_for(sentence, match.span("a"), mentions, fallback, builder, "Input price", f"${match.group('a')} per 1M")
        claim_for(sentence, match.span("a"), mentions, fallback, builder, "Output price", f"${match.group('b')} per 1M")
    for match in t.PRICE_RE.finditer(sentence):
        if not free(match.span(), paired):
            continue
        side = match.group("side1") or match.group("side2") or (match.group("side3") or "").strip() or None
        if side is None:
            found = _SIDE_AFTER_RE.match(sentence[match.end() : match.end() + 20])
            found = found or _SIDE_BEFORE_RE.search(sentence[max(0, match.start() - 30) : match.start()])
            side = found.group(1) if found else None
        per = match.group("per")
        if per is None:
            nearby = _PER_NEARBY_RE.search(sentence[match.end() : match.end() + PER_REACH])
            per = nearby.group(1) if nearby else None
        if per is None and t.OTHER_PER_RE.match(sentence, match.end()):
            continue
        if per is None:
            # "$0.80/M input and $4 output", "Output price: $8": a named side takes the line's token unit
            scale = last_scale or ("1M" if side and _TOKEN_PRICE_RE.search(sentence) else None)
            if scale is None or side is None:
                continue
        else:
            scale = "1K" if per.lower() in ("k", "1k", "thousand", "1,000") else "1M"
        last_scale = scale
        raw = f"${match.group('v')} per {scale} tokens"
        label = _SIDES.get(side.lower()) if side else None
        claim_for(sentence, match.span("v"), mentions, fallback, builder, label or "Price", raw)
