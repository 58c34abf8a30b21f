"""Everything the store knows about each model, read once through the store's ordinary read methods.

The search, alternatives and leaderboard modules are pure functions over these records, so both
stores (embedded and Neo4j) give the same answers without any store-specific query.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from capgraph.graph.schema import Capability, Evidence, Model, SourcedClaim, SourcedScore
from capgraph.graph.store import GraphStore
from capgraph.graph.values import parse_quantity

# Claim attributes that are bookkeeping of one site (Unfragile's own counters), not facts about a model.
NOISE_ATTRIBUTES = frozenset(
    {"type", "times_matched", "match_graph", "ecosystem", "adoption", "quality", "capabilities", "description"}
)


@dataclass(frozen=True)
class ModelRecord:
    """One model with its capabilities, typed claims, benchmark scores and model-to-model evidence."""

    model: Model
    capabilities: tuple[Capability, ...] = ()
    claims: tuple[SourcedClaim, ...] = ()
    scores: tuple[SourcedScore, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Catalog:
    """All model records plus source titles, so answers can name a source instead of printing its hash."""

    records: dict[str, ModelRecord]
    source_titles: dict[str, str] = field(default_factory=dict)
    source_models: dict[str, tuple[str, ...]] = field(default_factory=dict)  # the models each page names
    mentions: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # model -> (source id, sentence)
    classes: dict[str, frozenset[str]] = field(default_factory=dict)  # model -> its capabilities' class ids
    class_names: dict[str, str] = field(default_factory=dict)
    class_descriptions: dict[str, str] = field(default_factory=dict)
    intros: dict[str, str] = field(default_factory=dict)  # source -> its title and opening paragraph
    chunks: dict[str, tuple[str, ...]] = field(default_factory=dict)  # source -> its sentences in pieces

    def title(self, source_id: str) -> str:
        return source_title(self.source_titles, source_id)

    def name(self, model_id: str) -> str:
        rec = self.records.get(model_id)
        return rec.model.name if rec else model_id


def source_title(titles: dict[str, str], source_id: str) -> str:
    """A source's title; pages whose first line is "URL: ..." are named by the address."""
    title = titles.get(source_id) or source_id[:12]
    return title.removeprefix("URL:").strip()


def read_catalog(store: GraphStore, page: int = 1000) -> Catalog:
    """Read every model and its facts in one consistent view (store.reading())."""
    records: dict[str, ModelRecord] = {}
    with store.reading():
        sources = store.list_sources()
        titles = {s.id: s.title for s in sources}
        named: dict[str, tuple[str, ...]] = {}
        mentions: dict[str, list[tuple[str, str]]] = {}
        intros: dict[str, str] = {}
        chunks: dict[str, tuple[str, ...]] = {}
        for src in sources:
            extraction = store.source_extraction(src.id)
            models = extraction.models
            named[src.id] = tuple(m.id for m in models)
            known = [x for c in extraction.capabilities for x in (c.description, c.unique, c.vs_alternatives) if x]
            text = store.source_text(src.id)
            intros[src.id] = intro(text)
            chunks[src.id] = page_chunks(text)
            named_in = mention_sentences(text, models, known)
            for mid, sentence in named_in:
                mentions.setdefault(mid, []).append((src.id, sentence))
            main = page_subject(text, models)
            if main is not None:
                said = {sentence for mid, sentence in named_in if mid == main}
                body = [x for x in page_sentences(text, known) if x not in said][:BODY_SENTENCES]
                for sentence in body:
                    mentions.setdefault(main, []).append((src.id, sentence))
        offset = 0
        while True:
            models, total = store.list_models(offset=offset, limit=page)
            for m in models:
                records[m.id] = ModelRecord(
                    model=m,
                    capabilities=tuple(store.capabilities(m.id)),
                    claims=tuple(store.claims(m.id)),
                    scores=tuple(store.scores(m.id)),
                    evidence=tuple(store.evidence(m.id)),
                )
            offset += len(models)
            if not models or offset >= total:
                break
        member_of = store.class_memberships([c.id for r in records.values() for c in r.capabilities])
        found = store.get_classes(sorted(set(member_of.values())))
    classes = {
        mid: frozenset(member_of[c.id] for c in r.capabilities if c.id in member_of) for mid, r in records.items()
    }
    return Catalog(
        records=records,
        source_titles=titles,
        source_models=named,
        mentions=mentions,
        intros=intros,
        chunks=chunks,
        classes={mid: ks for mid, ks in classes.items() if ks},
        class_names={k.id: k.name for k in found},
        class_descriptions={k.id: k.description for k in found if k.description},
    )


INTRO_CHARS = 600  # a page's opening: about a paragraph, the size of a naive-RAG chunk


def intro(text: str) -> str:
    """A page's opening lines up to INTRO_CHARS (a leading "URL: ..." line left out): what the page is about."""
    lines = [" ".join(x.split()) for x in text.splitlines()]
    body = " ".join(x for x in lines if x and not x.startswith("URL:"))
    return body[:INTRO_CHARS].rsplit(" ", 1)[0] if len(body) > INTRO_CHARS else body


def page_chunks(text: str, capability_texts: Sequence[str] = ()) -> tuple[str, ...]:
    """A page's sentences and table rows in pieces of about INTRO_CHARS: the words of a page about a few artifacts
    ("ControlNet: native node / via extension") that no sentence naming them carries. Its capability paragraphs
    (and their "Unique:" / "vs alternatives:" lines) are left out: they are their own model's passages already,
    and lent to every model of the page they would make one model's words the others'."""
    out: list[str] = []
    piece: list[str] = []
    size = 0
    for sentence in page_sentences(text, capability_texts):
        if sentence.lower().startswith(("unique:", "vs alternatives:")):
            continue
        piece.append(sentence)
        size += len(sentence) + 1
        if size >= INTRO_CHARS:
            out.append(" ".join(piece))
            piece, size = [], 0
    if piece:
        out.append(" ".join(piece))
    return tuple(out)


# A sentence longer than this is cut (flattened tables run to thousands of characters on one line).
SENTENCE_CHARS = 300
MENTIONS_PER_SOURCE = 6  # per model and page: enough for its table row and a few sentences
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])|\n+")


def mention_sentences(
    text: str, models: Sequence[Model], capability_texts: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """(model id, sentence) for every sentence or table row of a page that names one of its models.

    Sentences of capability paragraphs are skipped: they are indexed as their model's capability already,
    and their "Unique:"/"vs alternatives:" lines name other models only to compare with them.
    """
    if not models:
        return []
    blob = " ".join(" ".join(t.split()) for t in capability_texts)
    patterns = {
        m.id: re.compile(
            "|".join(rf"(?<![\w-]){re.escape(n)}(?![\w-])" for n in sorted({m.name, *m.aliases}, key=len) if n),
            re.IGNORECASE,
        )
        for m in models
    }
    out: list[tuple[str, str]] = []
    counts: dict[str, int] = {}
    for raw in _with_labels(_SENTENCE_SPLIT.split(text), {n.lower() for m in models for n in (m.name, *m.aliases)}):
        sentence = " ".join(raw.split())[:SENTENCE_CHARS]
        if len(sentence) < 12 or sentence.lower().startswith(("unique:", "vs alternatives:")):
            continue
        if blob and sentence in blob:
            continue
        for mid, pattern in patterns.items():
            if counts.get(mid, 0) < MENTIONS_PER_SOURCE and pattern.search(sentence):
                out.append((mid, sentence))
                counts[mid] = counts.get(mid, 0) + 1
    return out


OPENING_CHARS = 400  # a page's title and first lines: where it says what it is about
BODY_SENTENCES = 60  # sentences of a page about one model kept as its passages


def _name_pattern(model: Model) -> re.Pattern[str]:
    names = sorted({model.name, *model.aliases}, key=len)
    return re.compile("|".join(rf"(?<![\w-]){re.escape(n)}(?![\w-])" for n in names if n), re.IGNORECASE)


def page_subject(text: str, models: Sequence[Model]) -> str | None:
    """The one model a page is about (a model card, a spec page): the only model its opening names, on a page
    that does not set models side by side ("A vs B"). Its other sentences describe that model without naming it
    ("All versions use grouped-query attention"), so they are that model's passages too."""
    opening = " ".join(x for x in text.splitlines() if not x.startswith("URL:"))[:OPENING_CHARS]
    if re.search(r"\bvs\.?\b|\bversus\b|\bcompar", opening, re.IGNORECASE):
        return None
    named = [m.id for m in models if _name_pattern(m).search(opening)]
    return named[0] if len(named) == 1 else None


def page_sentences(text: str, capability_texts: Sequence[str] = ()) -> list[str]:
    """A page's sentences and table rows (capability paragraphs left out: they are indexed as capabilities)."""
    blob = " ".join(" ".join(t.split()) for t in capability_texts)
    out = []
    for raw in _SENTENCE_SPLIT.split(text):
        sentence = " ".join(raw.split())[:SENTENCE_CHARS]
        if len(sentence) >= 12 and not sentence.startswith("URL:") and not (blob and sentence in blob):
            out.append(sentence)
    return out


LABEL_CHARS = 80  # a line under a name this short is its label ("Desktop app"), not a paragraph


def _with_labels(segments: Sequence[str], names: set[str]) -> list[str]:
    """A name alone on its line (a card or a column head stacked one cell per line) joined with the short
    line under it, which describes it: "vLLM" + "Production serving" -> "vLLM Production serving"."""
    out: list[str] = []
    skip = False
    for i, seg in enumerate(segments):
        if skip:
            skip = False
            continue
        nxt = " ".join(segments[i + 1].split()) if i + 1 < len(segments) else ""
        if (
            " ".join(seg.split()).lower() in names
            and 0 < len(nxt) <= LABEL_CHARS
            and nxt.lower() not in names
            and not any(n in nxt.lower() for n in names)
        ):
            out.append(f"{seg.strip()} — {nxt}")
            skip = True
        else:
            out.append(seg)
    return out


def human_number(x: float) -> str:
    """128000 -> "128K", 8e9 -> "8B", 1.5e6 -> "1.5M": the way pages write sizes."""
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(x) >= scale:
            return f"{x / scale:.3g}{suffix}"
    return f"{x:g}"


def claim_number(claim: SourcedClaim) -> float | None:
    """The claim's number, parsed from its text when the extraction left it empty."""
    if claim.number is not None:
        return claim.number
    q = parse_quantity(claim.value.split("✓")[0].strip(), claim.attribute)
    return q.number if q is not None else None


def render_claim(claim: SourcedClaim) -> str:
    """A claim as words ("context window 128K tokens"), so the lexical and dense indexes can match it."""
    label = claim.attribute.replace("_", " ")
    return f"{label} {claim.value}".strip()


def render_score(score: SourcedScore) -> str:
    unit = score.unit or ""
    return f"{score.benchmark} score {score.value:g}{unit}".strip()


def profile_text(rec: ModelRecord, extra: Sequence[str] = ()) -> str:
    """The model's identity and facts as one passage: name, aliases, kind, vendor, claims, scores."""
    m = rec.model
    parts = [m.name, *m.aliases, m.kind, m.vendor or "", m.family or "", *extra]
    parts += [render_claim(c) for c in rec.claims if c.attribute not in NOISE_ATTRIBUTES]
    parts += [render_score(s) for s in rec.scores]
    return ". ".join(p for p in dict.fromkeys(parts) if p)


# Words a whole phrase does not end on ("Analyze screenshots of code, whiteboards, and").
_DANGLING = frozenset(
    [
        "a",
        "an",
        "and",
        "or",
        "the",
        "of",
        "to",
        "for",
        "with",
        "in",
        "on",
        "by",
        "via",
        "from",
        "as",
        "at",
        "into",
        "than",
        "that",
        "which",
        "its",
        "their",
    ]
)
DISPLAY_WORDS = 12


def display_name(capability: Capability, words: int = DISPLAY_WORDS) -> str:
    """A readable, whole phrase for a capability: its first clause, cut at a word, never on "and"/"of"."""
    source = capability.description.strip() or capability.name.strip()
    first = re.split(r"(?<=[a-z0-9)])[.;:](?:\s|$)", source, maxsplit=1)[0]
    tokens = first.split()
    cut = tokens[:words]
    while cut and (cut[-1].lower().strip(",") in _DANGLING or cut[-1].endswith(",")):
        cut = cut[:-1]
        if cut and cut[-1].endswith(","):
            cut[-1] = cut[-1].rstrip(",")
    text = " ".join(cut) or capability.name
    return text + ("…" if len(cut) < len(tokens) else "")


def support(rec: ModelRecord) -> int:
    """How many distinct sources state something about the model: a prominence signal for ties."""
    sources = {c.source_id for c in rec.claims}
    sources |= {s for sc in rec.scores for s in sc.sources}
    sources |= {s for e in rec.evidence for s in e.sources}
    return len(sources) + len(rec.capabilities)
