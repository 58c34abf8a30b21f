"""Spec values in sentences whose shape is a list: counts given in order to a list of models, both
prices of one model, the modalities a model takes in, and a licence stated as an adjective.

- "A and B activate 37 billion and 21 billion parameters respectively, with totals of 671 billion and
  236 billion": k counts in a list go in order to k models named before them, when the sentence says
  "respectively" or the models are themselves one list ("A and B"). A word next to the list says which
  count it is ("activ..." = active parameters; "total", "parameters" = parameters); none, no claim.
- "Input price $2.00 / Output $8.00": both sides named; USD per 1M tokens unless the line says per 1K.
- "accepts text, audio, image and video": the input modalities (two or more, or one followed by "input").
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from capgraph.ingest.parsers import prose_terms as t
from capgraph.ingest.parsers.prose_owners import Span, add_claim, claim_for, free
from capgraph.ingest.vocab import count

if TYPE_CHECKING:
    from capgraph.ingest.parsers.builder import ExtractionBuilder

# A list of counts holds at most this many values.
MAX_LIST = 8
# How far (characters) around a list of counts its deciding word ("active", "total") may be.
WORD_REACH = 40
# A parameter count is at least this.
MIN_PARAMETERS = 1e8
_PER_THOUSAND_RE = re.compile(r"(?:per|/)\s?(?:1\s?)?(?:K|thousand|1,000)\b", re.IGNORECASE)


def param_lists(sentence: str, mentions: list[Span], builder: ExtractionBuilder) -> list[tuple[int, int]]:
    """Claims for lists of parameter counts given in order to as many models; returns the spans used."""
    taken = [(m.start, m.end) for m in mentions]
    values = [m for m in t.PARAM_VALUE_RE.finditer(sentence) if free(m.span(), taken)]
    runs: list[list[re.Match[str]]] = []
    for prev, cur in itertools.pairwise(values):
        if not t.LIST_JOINER_RE.match(sentence[prev.end() : cur.start()]):
            continue
        if runs and runs[-1][-1] is prev:
            runs[-1].append(cur)
        else:
            runs.append([prev, cur])
    used: list[tuple[int, int]] = []
    respectively = "respectively" in sentence.lower()
    for run in runs:
        if len(run) > MAX_LIST:
            continue
        label = _count_label(sentence, run[0].start(), run[-1].end())
        owners = _distinct_before(mentions, run[0].start())
        if label is None or len(owners) != len(run) or not (respectively or _listed(sentence, owners)):
            continue
        for owner, item in zip(owners, run, strict=True):
            raw = item.group("v") + " " + item.group("m").strip(" -")
            if (count(raw) or 0) >= MIN_PARAMETERS:
                add_claim(builder, owner, label, raw)
        used.extend((item.start("v"), item.end()) for item in run)
    return used


def _count_label(sentence: str, start: int, end: int) -> str | None:
    """Which count a list is, from the words right after it ("... active") or right before it ("totals of")."""
    after = re.split(r"\d|[,;]|\.\s", sentence[end : end + WORD_REACH], maxsplit=1)[0]
    before = re.split(r"\d|[,;]", sentence[max(0, start - WORD_REACH) : start])[-1]
    if t.ACTIVE_WORD_RE.search(after) or t.ACTIVE_WORD_RE.search(before):
        return "Active parameters"
    if t.TOTAL_WORD_RE.search(after) or t.TOTAL_WORD_RE.search(before):
        return "Parameters"
    return None


def _distinct_before(mentions: list[Span], pos: int) -> list[Span]:
    seen: dict[str, Span] = {}
    for mention in mentions:
        if mention.end <= pos:
            seen.setdefault(mention.key, mention)
    return list(seen.values())


def _listed(sentence: str, owners: list[Span]) -> bool:
    return all(t.LIST_JOINER_RE.match(sentence[a.end : b.start]) for a, b in itertools.pairwise(owners))


def side_pairs(
    sentence: str, mentions: list[Span], fallback: Span | None, builder: ExtractionBuilder
) -> list[tuple[int, int]]:
    """ "Input price $2.00 / Output $8.00": input and output price claims; returns the spans read."""
    used: list[tuple[int, int]] = []
    scale = "1K" if _PER_THOUSAND_RE.search(sentence) else "1M"
    pairs = list(t.SIDE_PAIR_RE.finditer(sentence))
    if t.TOKEN_UNIT_RE.search(sentence):
        pairs += t.IN_OUT_PAIR_RE.finditer(sentence)
    for match in pairs:
        if t.OTHER_PER_RE.match(sentence, match.end()) or t.OTHER_PER_RE.match(sentence, match.end("a")):
            continue
        used.append(match.span())
        for group, label in (("a", "Input price"), ("b", "Output price")):
            raw = f"${match.group(group)} per {scale} tokens"
            claim_for(sentence, match.span("a"), mentions, fallback, builder, label, raw)
    return used


def modalities(sentence: str, mentions: list[Span], fallback: Span | None, builder: ExtractionBuilder) -> None:
    """The input modalities a sentence gives a model ("accepts text, audio, image and video")."""
    for match in t.MODALITY_RE.finditer(sentence):
        words = re.findall(r"[a-z]+", match.group("l").lower())
        kinds = [w for w in words if w not in ("and", "or")]
        if match.group("end") is None and match.group("i") is None:
            continue  # "supports text and code generation": a list of something else
        if len(kinds) < 2 and match.group("i") is None:
            continue
        claim_for(sentence, match.span("l"), mentions, fallback, builder, "Modalities", match.group("l"))
        return
    for match in t.INPUT_MODALITIES_RE.finditer(sentence):
        claim_for(sentence, match.span("l"), mentions, fallback, builder, "Modalities", match.group("l"))
        return
    for match in t.TEXT_ONLY_RE.finditer(sentence):
        claim_for(sentence, match.span(), mentions, fallback, builder, "Modalities", "text")
        return


def proprietary(sentence: str, mentions: list[Span], fallback: Span | None, builder: ExtractionBuilder) -> None:
    """ "X is proprietary" gives X the licence "Proprietary"; "X is closed-source" says X has no open weights."""
    for match in t.PROPRIETARY_RE.finditer(sentence):
        word = match.group("p").lower()
        if word == "proprietary":
            claim_for(sentence, match.span("p"), mentions, fallback, builder, "License", "Proprietary")
        else:
            claim_for(sentence, match.span("p"), mentions, fallback, builder, "Open weights", "no")


def active_of_total(
    sentence: str, mentions: list[Span], fallback: Span | None, builder: ExtractionBuilder
) -> list[tuple[int, int]]:
    """ "39B active parameters out of 141B": the total parameter count; returns the spans read."""
    used: list[tuple[int, int]] = []
    for match in t.OF_TOTAL_RE.finditer(sentence):
        raw = match.group("v") + " " + match.group("m").strip(" -")
        if (count(raw) or 0) >= MIN_PARAMETERS:
            claim_for(sentence, match.span("v"), mentions, fallback, builder, "Parameters", raw)
            used.append(match.span("v"))
    return used


def self_hosting(sentence: str, mentions: list[Span], fallback: Span | None, builder: ExtractionBuilder) -> None:
    """ "X can be self-hosted" (yes), "X cannot be run locally" (no); "A and B both run locally" gives both."""
    match = t.SELF_HOST_RE.search(sentence)
    if match is None:
        return
    value = "no" if t.NEGATION_BEFORE_RE.search(sentence, max(0, match.start() - 24), match.start()) else "yes"
    owners = _distinct_before(mentions, match.start())
    both = _BOTH_RE.search(sentence, owners[-1].end if owners else 0, match.start())
    if len(owners) >= 2 and both and _listed(sentence, owners):
        for owner in owners:
            add_claim(builder, owner, "Self-hostable", value)
        return
    if len({m.key for m in mentions}) <= 1:
        claim_for(sentence, match.span(), mentions, fallback, builder, "Self-hostable", value)


_BOTH_RE = re.compile(r"\b(?:both|all|each)\b", re.IGNORECASE)


def value_lists(sentence: str, mentions: list[Span], builder: ExtractionBuilder) -> list[tuple[int, int]]:
    """ "A and B offer context windows of 8K and 128K tokens (respectively)", "cost $0.30 and $0.10 per
    million input tokens", "were released in June 2024 and April 2024": k values of one kind in a list go
    in order to k models named before them. Returns the spans read."""
    respectively = "respectively" in sentence.lower()
    used: list[tuple[int, int]] = []
    taken = [(m.start, m.end) for m in mentions]
    for pattern in (t.TOKEN_VALUE_RE, t.PRICE_VALUE_RE, t.DATE_VALUE_RE):
        values = [m for m in pattern.finditer(sentence) if free(m.span(), taken)]
        for run in _runs(sentence, values):
            owners = _distinct_before(mentions, run[0].start())
            if len(owners) != len(run) or not (respectively or _listed(sentence, owners)):
                continue
            label, unit = _value_label(pattern, sentence, run[0].start(), run[-1].end())
            if label is None:
                continue
            for owner, item in zip(owners, run, strict=True):
                add_claim(builder, owner, label, item.group(0) + unit)
            used.extend(item.span() for item in run)
    return used


def _runs(sentence: str, values: list[re.Match[str]]) -> list[list[re.Match[str]]]:
    runs: list[list[re.Match[str]]] = []
    for prev, cur in itertools.pairwise(values):
        if not t.LIST_JOINER_RE.match(sentence[prev.end() : cur.start()]):
            continue
        if runs and runs[-1][-1] is prev:
            runs[-1].append(cur)
        elif len(runs) < MAX_LIST:
            runs.append([prev, cur])
    return [run for run in runs if len(run) <= MAX_LIST]


def _value_label(pattern: re.Pattern[str], sentence: str, start: int, end: int) -> tuple[str | None, str]:
    """What a list of values is, from the words of its clause around it; the unit to add to each value."""
    before = re.split(r"[,;]", sentence[max(0, start - WORD_REACH) : start])[-1]
    after = re.split(r"[,;]|\.\s", sentence[end : end + WORD_REACH], maxsplit=1)[0]
    around = before + " " + after
    if pattern is t.TOKEN_VALUE_RE:
        if t.OUTPUT_WORD_RE.search(around):
            return "Max output tokens", ""
        return ("Context window", "") if t.CONTEXT_WORD_RE.search(around) else (None, "")
    if pattern is t.PRICE_VALUE_RE:
        per = _PER_THOUSAND_RE.search(after)
        if not t.TOKEN_UNIT_RE.search(after):
            return None, ""
        unit = " per 1K tokens" if per else " per 1M tokens"
        if t.INPUT_WORD_RE.search(around) and not t.OUTPUT_WORD_RE.search(around):
            return "Input price", unit
        if t.OUTPUT_WORD_RE.search(around) and not t.INPUT_WORD_RE.search(around):
            return "Output price", unit
        return None, ""
    if t.RELEASE_WORD_RE.search(before):
        return "Release date", ""
    return None, ""
