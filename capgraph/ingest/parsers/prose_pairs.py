"""Models a sentence puts side by side: "A vs B", "A outperforms B and C", "A ... compared with 64K for B",
"A is 80% cheaper than B", "we compare A against B and C", "Compared to A, B ...".

Rule (one sentence at a time, both sides named in that sentence, never across sentences):
- a comparison cue (`_CUE_RE`: vs/versus, compared to/with/against, against, relative to, ahead of,
  outperform, beat, surpass, trail, lag behind, "<comparative> than") splits the sentence;
- the subject side is the model named nearest before the cue, with the models listed just before it
  ("A and B both beat C"), at most `SUBJECT_REACH` characters before the cue and in the same clause;
- the object side is the first model named at most `OBJECT_REACH` characters after the cue and in the same
  clause (a colon only after a plural noun naming the list: "against the standard models: B and C"), with
  the models listed right after it;
- a sentence that opens with the cue ("Compared to A, B is ...") sets A against the next model named;
- every subject model is compared with every object model (at most `MAX_SIDE` on each side);
- a list of models right after a comparison word ("comparing A, B, and C", "a comparison of the five models
  (A, B, C, D, E)") is compared within itself.
Names are the resolver's, or the page's own names for the models its tables found (`prose_names`); a name
that is no model (a vendor, a site) is dropped by the builder.
"""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document
from capgraph.ingest.parsers.prose_names import Names, known_names, model_spans
from capgraph.ingest.parsers.prose_owners import Span

MAX_LINE_CHARS = 5000
MAX_SENTENCE_CHARS = 600
# How far (characters) a side may be from the cue: the subject before it, the first object after it.
SUBJECT_REACH = 160
OBJECT_REACH = 60
MAX_SIDE = 6
# Only the opening of a text is read: a page states what it compares early; keeps a huge text linear.
SCAN_CHARS = 400_000

_COMPARATIVE = (
    r"better|worse|faster|slower|cheaper|pricier|stronger|weaker|smarter|larger|smaller|bigger|higher|lower|"
    r"more\s\w+|less\s\w+"
)
_CUE_RE = re.compile(
    r"(?<![\w-])(?:vs\.?|versus|compared\s(?:to|with|against)|in\scomparison\s(?:to|with)|relative\sto|against|"
    r"ahead\sof|lags?\sbehind|trail(?:s|ed|ing)?|outperform(?:s|ed|ing)?|beat(?:s|ing)?|surpass(?:es|ed|ing)?|"
    rf"edges?\sout|(?:{_COMPARATIVE})\sthan)(?![\w-])",
    re.IGNORECASE,
)
_OPENING_CUE_RE = re.compile(r"^\W*(?:compared\s(?:to|with)|in\scomparison\s(?:to|with)|relative\sto|unlike)\s", re.I)
_SENTENCE_SPLIT_RE = re.compile(r"(?<!\bvs\.)(?<=[.!?])\s+(?=[A-Z0-9\"“(\[$])")
# What may stand between two names of one side's list ("A, B and C", "A & B", "A or B"), and one short word the
# resolver did not take as a name ("DeepSeek V3 & V2.5, Qwen2.5").
_JOIN = r"(?:,\s*(?:and\s|or\s)?|&|/|\band\b|\bor\b)"
_LIST_GAP_RE = re.compile(rf"^\s*{_JOIN}\s*(?:[\w.-]{{1,12}}\s*{_JOIN}\s*)?(?:(?:the|both)\s+)?$", re.I)
# A comparison word before a list: "comparing A, B and C", "a comparison of five models (A, B, C, D, E)".
_LIST_CUE_RE = re.compile(
    r"(?<![\w-])(?:compar(?:e|es|ed|ing|ison|isons|ative)|head[- ]to[- ]head|side[- ]by[- ]side)(?![\w-])", re.I
)
# "the standard models: " introduces the object list (a plural noun naming what is listed, before the colon).
_LIST_INTRO_RE = re.compile(
    r"\b(models|LLMs|rivals|competitors|alternatives|peers|systems|tools|assistants|chatbots|options):\s"
)
# A clause boundary between a side and the cue ends that side's reach.
_CLAUSE_RE = re.compile(r"[;:]|\s(?:but|while|whereas|although|however)\s", re.IGNORECASE)


def read_prose_pairs(doc: Document, builder: ExtractionBuilder) -> None:
    """Compare the models each comparative sentence sets against each other (see the module docstring)."""
    table_ids = tuple(builder.model_ids())
    known = known_names(builder, table_ids)
    size = 0
    for line in doc.lines:
        size += len(line) + 1
        if size > SCAN_CHARS:
            break
        text = line.strip()
        if not text or len(text) > MAX_LINE_CHARS or not _has_cue(text):
            continue
        for sentence in _SENTENCE_SPLIT_RE.split(text):
            if len(sentence) <= MAX_SENTENCE_CHARS and _has_cue(sentence):
                _sentence_pairs(sentence, builder, table_ids, known)


def _has_cue(text: str) -> bool:
    return _CUE_RE.search(text) is not None or _LIST_CUE_RE.search(text) is not None


def _sentence_pairs(sentence: str, builder: ExtractionBuilder, table_ids: tuple[str, ...], known: Names) -> None:
    spans = model_spans(sentence, builder, table_ids, known)
    if len({s.key for s in spans}) < 2:
        return
    opening = _OPENING_CUE_RE.match(sentence)
    if opening is not None:
        head = spans[:1]
        rest = [s for s in spans if s.start > head[0].end and s.key != head[0].key]
        _compare(builder, head, rest[:1])
    for cue in _LIST_CUE_RE.finditer(sentence):
        after = [k for k, s in enumerate(spans) if s.start >= cue.end()]
        if after and spans[after[0]].start - cue.end() <= OBJECT_REACH:
            listed = _group(sentence, spans, after[0], forward=True, limit=len(spans))
            _compare_all(builder, listed)  # a list longer than MAX_PAIRED_MODELS is a roll call: no pairs
    for cue in _CUE_RE.finditer(sentence):
        if opening is not None and cue.start() < opening.end():
            continue
        before = [k for k, s in enumerate(spans) if s.end <= cue.start()]
        after = [k for k, s in enumerate(spans) if s.start >= cue.end()]
        if not before or not after:
            continue
        nearest, first = spans[before[-1]], spans[after[0]]
        gap = sentence[nearest.end : cue.start()]
        reach = sentence[cue.end() : first.start]
        if len(gap) > SUBJECT_REACH or _CLAUSE_RE.search(gap) or len(reach) > OBJECT_REACH:
            continue
        if _CLAUSE_RE.search(_LIST_INTRO_RE.sub(r"\1 ", reach)):
            continue  # "A vs b: B is ..." starts a new clause; "A against the rival models: B and C" lists
        subjects = _group(sentence, spans, before[-1], forward=False)
        objects = _group(sentence, spans, after[0], forward=True)
        _compare(builder, subjects, objects)


def _group(sentence: str, spans: list[Span], k: int, *, forward: bool, limit: int = MAX_SIDE) -> list[Span]:
    """The span at k and the names listed next to it ("A, B and C"), walking away from the cue; at most
    `limit` of them."""
    group = [spans[k]]
    step = 1 if forward else -1
    j = k + step
    while 0 <= j < len(spans) and len(group) < limit:
        left, right = (group[-1], spans[j]) if forward else (spans[j], group[-1])
        if not _LIST_GAP_RE.match(sentence[left.end : right.start]):
            break
        group.append(spans[j])
        j += step
    return group


def _compare(builder: ExtractionBuilder, subjects: list[Span], objects: list[Span]) -> None:
    if not _anchored(builder, subjects + objects):
        return
    for a in _ids(builder, subjects):
        for b in _ids(builder, objects):
            builder.compare(a, b)


def _compare_all(builder: ExtractionBuilder, listed: list[Span]) -> None:
    if not _anchored(builder, listed):
        return
    builder.compare_group(_ids(builder, listed))


def _anchored(builder: ExtractionBuilder, spans: list[Span]) -> bool:
    """A sentence's pairs count when one of its models is already a model of the page (or the page has none
    from elsewhere): "You may also like: Compare A and B" on a page about C and D is a link, not a pair."""
    return not builder.model_ids() or any(_known_id(builder, span) for span in spans)


def _known_id(builder: ExtractionBuilder, span: Span) -> str | None:
    own = builder.resolver.try_canonical(span.text) if span.text else None
    if own is not None and builder.has_model(own.id):
        return own.id  # "o1-mini" beside a table's "o1-mini-2024-09-12" is the base
    return span.key if builder.has_model(span.key) else None


def _ids(builder: ExtractionBuilder, spans: list[Span]) -> list[str]:
    """The builder's ids for the spans: a model the page already has, or the name added as a model."""
    out: list[str] = []
    for span in spans:
        model_id = _known_id(builder, span) or builder.model(span.text or span.key)
        if model_id is not None and model_id not in out:
            out.append(model_id)
    return out
