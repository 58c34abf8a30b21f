"""Facts stated outside tables: scores and spec values in sentences and in bullet lists.

Runs after the table readers and only adds what they did not find. Precision comes first: a number
becomes a score only when it looks like one (a percent, a decimal, a /100 rating, an Elo figure), is not
a bound, a change or a price, and has one clear owner, the model named nearest before it in the same
sentence, unless that model is itself the object of a comparison ("A beats B with 92%" is skipped),
or the model named right after it ("66.4% for B"), or the subject after a lead-in ("With 86.6% on
HumanEval, A ..."). Runs of scores map in order onto lists of names (`prose_groups`). Words of a share,
a speed or a price silence only their own clause. The benchmark is named in the sentence, or carried
from the previous sentence of the paragraph, or from the heading line above ("HumanEval (Coding)" or
"Benchmark: HumanEval" over `- Model: 92%` bullets). A sentence without a model name belongs to the
page's only model only when it is a bullet, a `Key: value` line, a pronoun sentence or a fragment.

Linear in the text: each line is split into sentences of bounded length, and each sentence is scanned
by a fixed set of patterns without nested quantifiers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from capgraph.ingest.aliases import FAMILIES
from capgraph.ingest.parsers import prose_terms as t
from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document
from capgraph.ingest.parsers.linekit import SENTENCE_END_RE
from capgraph.ingest.parsers.prose_groups import (
    LABEL_AFTER_RE,
    MAX_PERCENT,
    add_score,
    bench_for,
    grouped,
    groups,
)
from capgraph.ingest.parsers.prose_names import Names, family_members, known_names, model_spans
from capgraph.ingest.parsers.prose_owners import Span, lead_in_subject, owner_before
from capgraph.ingest.parsers.prose_specs import read_specs

# Lines longer than this are not read (a page glued onto one line is not prose).
MAX_LINE_CHARS = 20_000
# Sentences longer than this are skipped: attribution over a longer span is guesswork.
MAX_SENTENCE_CHARS = 600
# A heading or label line is at most this long.
MAX_HEADING_CHARS = 90
# A heading's benchmark reaches bullets and short lines under it, but prose only this many lines on.
HEADING_PROSE_REACH = 2
# A model heading holds at most this much text besides the name ("Llama 3 Highlights").
MAX_RESIDUE = 12
# The opening lines (title, headline) that say what a page is about.
TITLE_LINES = 5
# Elo figures lie in this range.
ELO_RANGE = (500.0, 3000.0)
# A bare integer below this is a count or a rank, never a score.
MIN_BARE_SCORE = 10

_SENTENCE_SPLIT_RE = re.compile(r"(?<!\bvs\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<=[.!?])\s+(?=[A-Z0-9\"“(\[$])")
_BULLET_RE = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+")
_COMPARATIVE_TITLE_RE = re.compile(r"\b(?:vs\.?|versus|compared?|comparison|or|and)\b|[&/]", re.IGNORECASE)
_FAMILY_WORD_RE = re.compile(
    r"\b(?:" + "|".join(re.escape(f) for f in sorted(FAMILIES, key=len, reverse=True) if "-" not in f) + "|"
    r"chatgpt|copilot|cursor|perplexity|whisper|midjourney|bard|nova|llava)\b",
    re.IGNORECASE,
)
_PAREN_RE = re.compile(r"\([^()]{0,60}\)")
_WORD_AFTER_RE = re.compile(r"^\s?([A-Za-z]+)")


@dataclass
class Context:
    """What earlier lines established: the heading's benchmark and model, the page's only model."""

    heading_bench: str | None = None
    heading_model: str | None = None
    sole_model: str | None = None
    since_heading: int = 0
    # The section is about context windows ("Context Window at a Glance"): `Model 128K tokens` lines are those.
    context_section: bool = False
    # The page's own names for the models its tables found (see `known_names`).
    known: Names = None


def read_prose(doc: Document, builder: ExtractionBuilder) -> None:
    """Add the scores and spec claims stated in sentences and bullets (see the module docstring)."""
    context = Context(sole_model=_page_subject(doc, builder))
    context_page = _context_page(doc)
    table_ids = tuple(builder.model_ids())
    context.known = known_names(builder, table_ids)
    seen: set[tuple[str, str | None, str | None, bool]] = set()
    for line in doc.lines:
        text = line.strip()
        if not text or len(text) > MAX_LINE_CHARS or text in builder.read_lines:
            continue
        # A line a table reader took whole has its scores read; its spec values (a price or context cell in
        # the same row) are still read here.
        scores_read = text in doc.consumed
        if _heading(text, builder, context, table_ids):
            context.since_heading = 0
            continue
        context.since_heading += 1
        listed = _BULLET_RE.match(text) is not None or len(text) <= MAX_HEADING_CHARS
        heading_bench = context.heading_bench if listed or context.since_heading <= HEADING_PROSE_REACH else None
        # The same line read in the same context adds nothing new (the builder keeps first values), so
        # repeated boilerplate and repeated pages cost one read.
        key = (text, heading_bench, context.heading_model, context.context_section)
        if key in seen:
            continue
        seen.add(key)
        previous_bench: str | None = None
        previous_owner: str | None = None
        for sentence in _SENTENCE_SPLIT_RE.split(text):
            if len(sentence) > MAX_SENTENCE_CHARS:
                previous_bench = previous_owner = None
                continue
            mentions = model_spans(sentence, builder, table_ids, context.known)
            benches = [Span(m.start(), m.end(), m.group(0)) for m in t.BENCH_RE.finditer(sentence)]
            fallback = _fallback_owner(sentence, mentions, context, previous_owner)
            bench_context = previous_bench or heading_bench
            if not scores_read:
                _sentence_scores(sentence, mentions, benches, bench_context, fallback, builder)
            read_specs(
                sentence,
                mentions,
                fallback,
                builder,
                context_section=context.context_section and listed,
                context_page=context_page,
            )
            for member in family_members(sentence, mentions, table_ids):
                read_specs(sentence, [], member, builder)
            if benches:
                previous_bench = benches[-1].key
            if mentions:
                previous_owner = mentions[0].key if len({m.key for m in mentions}) == 1 else None


def _context_page(doc: Document) -> bool:
    """The page is about context windows: its opening lines (title, headline) say "context"."""
    opening = [line for line in doc.lines[: TITLE_LINES * 4] if line.strip()][:TITLE_LINES]
    return any(len(line) <= MAX_HEADING_CHARS * 2 and _CONTEXT_WORD_RE.search(line) for line in opening)


def _page_subject(doc: Document, builder: ExtractionBuilder) -> str | None:
    """The model a single-model page is about: its only model that is not just another one's base.

    A title that compares ("A vs B") means the page has two subjects even when B is not a known model.
    """
    if _COMPARATIVE_TITLE_RE.search(doc.title()):
        return None
    ids = builder.model_ids()
    leaves = [m for m in ids if not any(o.startswith(m + "-") for o in ids)]
    return leaves[0] if len(leaves) == 1 else None


def _heading(line: str, builder: ExtractionBuilder, context: Context, table_ids: tuple[str, ...]) -> bool:
    """A short title-like line: it sets (or clears) the benchmark and model later bullets refer to.

    "HumanEval (Coding)" sets the benchmark; "GPT-4o (latest):" or "Llama 3 Highlights" sets the model;
    any other short line without a model name ends the section.
    """
    if _BULLET_RE.match(line) or len(line) > MAX_HEADING_CHARS or SENTENCE_END_RE.search(line):
        return False
    bare = _PAREN_RE.sub("", line).strip().removesuffix(":").strip()
    labelled = _BENCH_LABEL_RE.match(bare)
    if labelled and t.BENCH_RE.fullmatch(labelled.group(1).strip()):
        context.heading_bench, context.heading_model = labelled.group(1).strip(), None  # "Benchmark: HumanEval"
        return True
    if ":" in bare or _scores_in(line):
        return False
    bench = t.BENCH_RE.search(line)
    mentions = model_spans(bare, builder, table_ids, context.known)
    if bench and not mentions:
        context.heading_bench, context.heading_model = bench.group(0), None
        return True
    residue = bare[: mentions[0].start] + bare[mentions[0].end :] if mentions else bare
    if (
        len({m.key for m in mentions}) == 1
        and len(residue) <= MAX_RESIDUE
        and not re.search(r"\d", residue)  # "GPT-5.4 1M tokens" states a value; it heads nothing
    ):
        context.heading_model, context.heading_bench = mentions[0].key, None
        return True
    if not mentions:
        context.heading_bench = context.heading_model = None
        if len(bare.split()) >= 2:  # a one-word line ("Largest") is a label inside the section, not a new one
            context.context_section = _CONTEXT_WORD_RE.search(bare) is not None
    return False


_BENCH_LABEL_RE = re.compile(r"(?:Benchmark|Test|Task|Eval(?:uation)?|Dataset|Category)\s?:\s?(.+)$", re.IGNORECASE)
_CONTEXT_WORD_RE = re.compile(r"\bcontext\b", re.IGNORECASE)


def _scores_in(text: str) -> bool:
    return any(_unit(text, m.end()) is not None for m in t.NUMBER_RE.finditer(text))


def _bare_score(sentence: str, start: int, value: float) -> bool:
    """A bare integer is a score only right after a score verb, a hedge or a possessive ("at 86")."""
    if not MIN_BARE_SCORE <= value <= MAX_PERCENT:
        return False
    return t.BARE_SCORE_BEFORE_RE.search(sentence[max(0, start - 16) : start]) is not None


def _fallback_owner(sentence: str, mentions: list[Span], context: Context, previous: str | None) -> Span | None:
    """Who a sentence without a model name is about: a bullet's heading model, or the page's only model."""
    if mentions or _OTHER_REFERENT_RE.search(sentence):
        return None
    owner: str | None = None
    if context.heading_model and (_BULLET_RE.match(sentence) or len(sentence) <= MAX_HEADING_CHARS):
        owner = context.heading_model
    elif previous and (_PRONOUN_RE.match(sentence) or _SPEC_SUBJECT_RE.match(sentence)):
        owner = previous
    elif _about_the_page_model(sentence):
        owner = context.sole_model
    return Span(0, 0, owner) if owner and not _other_subject(sentence, owner) else None


def _about_the_page_model(sentence: str) -> bool:
    if _BULLET_RE.match(sentence) or _KEY_LINE_RE.match(sentence) or _PRONOUN_RE.match(sentence):
        return True
    return len(sentence) <= MAX_FRAGMENT_CHARS


# A sentence about the page's model starts with a pronoun for it, is a bullet or a `Key: value` line, or
# is a short fragment ("128K context window."); one that names another referent ("Its predecessor",
# "Most competitors", "The industry average") is about something else.
MAX_FRAGMENT_CHARS = 40
_PRONOUN_RE = re.compile(r"(?:It|Its|The model|This model)\b")
# A sentence opening with a spec noun ("Input costs run ...", "Pricing sits at ...") goes on about the
# model the sentence before it was about.
_SPEC_SUBJECT_RE = re.compile(
    r"(?:Input|Output|Prompt|Completion|Pricing|Price|API pricing|Its context|Context window|Context length)\b"
)
_KEY_LINE_RE = re.compile(r"\s*[A-Za-z][\w ()/&.-]{0,40}:\s")
_OTHER_REFERENT_RE = re.compile(
    r"\b(?:predecessors?|previous|prior|earlier|older|successors?|competitors?|rivals?|others?|average|"
    r"industry|most|many|team|company|developers?|users?)\b",
    re.IGNORECASE,
)


def _other_subject(sentence: str, model_id: str) -> bool:
    """A family or product word of another model ("Claude", "ChatGPT") names a subject we cannot resolve."""
    for match in _FAMILY_WORD_RE.finditer(sentence):
        word = match.group(0).lower()
        if not model_id.startswith(word):
            return True
    return False


def _unit(sentence: str, end: int) -> str | None:
    """The unit right after a number ('%', '/100', 'elo'); None when there is none."""
    match = t.UNIT_RE.match(sentence, end)
    if not match:
        return None
    if match.group(1) is None:
        return "elo"
    unit = match.group(1).replace(" ", "").lower()
    return "%" if unit in ("%", "percent") else unit


def _label_bound(sentence: str, start: int, taken: list[Span]) -> bool:
    """ "GPQA: 66.3% Supported": a number right after a name and a colon is that label's value, whatever follows."""
    return any(s.end <= start and LABEL_AFTER_RE.match(sentence, s.end, start + 1) for s in taken)


def score_numbers(sentence: str, taken: list[Span]) -> list[Span]:
    """Numbers in the sentence shaped like scores, outside model and benchmark names."""
    found: list[Span] = []
    for match in t.NUMBER_RE.finditer(sentence):
        start, end = match.span(1)
        if any(s.start <= start < s.end for s in taken):
            continue
        raw = match.group(1)
        unit = _unit(sentence, end) or ("elo" if t.ELO_BEFORE_RE.search(sentence[max(0, start - 20) : start]) else None)
        if unit is None and "." not in raw and t.ARENA_AFTER_RE.match(sentence, end):
            unit = "elo"
        if unit is None and "." not in raw and not _bare_score(sentence, start, float(raw.replace(",", ""))):
            continue
        if t.RANGE_AFTER_RE.match(sentence[end : end + 6]) and not t.PAIR_JOINER_RE.match(sentence[end : end + 5]):
            continue
        after = t.UNIT_RE.match(sentence, end)
        stop = after.end() if after else end
        if unit != "elo" and stop < len(sentence) and (sentence[stop].isalnum() or sentence[stop] in "+x×"):
            continue  # "128K", "2.5x", "81%+"
        if sentence[stop : stop + 1] == "+" or t.NOT_VALUE_BEFORE_RE.search(sentence[max(0, start - 24) : start]):
            continue
        word = _WORD_AFTER_RE.match(sentence[stop : stop + 30])
        if (
            word
            and not _label_bound(sentence, start, taken)
            and word.group(1).lower() not in t.FOLLOWERS
            and not t.BENCH_RE.match(sentence, stop + 1)
        ):
            continue
        value = float(raw.replace(",", ""))
        if unit == "elo" and not ELO_RANGE[0] <= value <= ELO_RANGE[1]:
            continue
        if unit != "elo" and value > MAX_PERCENT:
            continue
        found.append(Span(start, stop, raw, value, unit))
    return found


def _sentence_scores(
    sentence: str,
    mentions: list[Span],
    benches: list[Span],
    bench_context: str | None,
    fallback: Span | None,
    builder: ExtractionBuilder,
) -> None:
    numbers = [n for n in score_numbers(sentence, mentions + benches) if not _not_score_clause(sentence, n)]
    if not numbers:
        return
    used: set[int] = set()
    claimed = frozenset(
        b.start
        for b in benches
        for n in numbers
        if n.end <= b.start
        and t.ON_BENCH_RE.match(sentence[n.end : b.start])
        and not LABEL_AFTER_RE.match(sentence, b.end)
    )
    for group in groups(sentence, numbers):
        found = (mentions, benches, numbers)
        if len(group) > 1 and grouped(sentence, group, found, bench_context, fallback, builder):
            used.update(n.start for n in group)
    for number in numbers:
        if number.start in used:
            continue
        owner = _owner_after(sentence, number, mentions)
        if owner is None:
            owner = owner_before(sentence, number.start, mentions) if mentions else fallback
        bench = bench_for(sentence, number, benches, bench_context, claimed)
        if owner and bench:
            add_score(builder, owner, bench, number)


def _not_score_clause(sentence: str, number: Span) -> bool:
    """The clause holding the number says it is a share, a price change or a speed ("35% market share",
    "12% faster"); other clauses of the sentence may still state scores."""
    left = max((m.end() for m in _CLAUSE_BREAK_RE.finditer(sentence, 0, number.start)), default=0)
    right_match = _CLAUSE_BREAK_RE.search(sentence, number.end)
    right = right_match.start() if right_match else len(sentence)
    return t.NOT_SCORE_CLAUSE_RE.search(sentence, left, right) is not None


def _owner_after(sentence: str, number: Span, mentions: list[Span]) -> Span | None:
    """A model named right after its score ("versus 66.4% for B"), or the subject after a lead-in
    phrase that holds the scores ("With 86.6% on HumanEval, A leads ...")."""
    after = [m for m in mentions if m.start >= number.end]
    if not after:
        return None
    if t.FOR_OWNER_RE.match(sentence, number.end, after[0].start):
        return after[0]
    return lead_in_subject(sentence, number.start, mentions)


_CLAUSE_BREAK_RE = re.compile(r"[,;:]|\s(?:and|but|while|whereas)\s")
