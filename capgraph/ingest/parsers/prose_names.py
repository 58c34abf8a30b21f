"""Model names in a sentence: what the resolver finds, matched to the models the page's tables found,
plus the page's own names for those models, and "All <Family> models" sentences."""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.prose_owners import Span

# A page's own model name shorter than this is not looked for in its sentences.
MIN_KNOWN_NAME = 4
_SIZE_RE = re.compile(r"^(?:v?\d[\w-]*)$")
_EDITION_RE = re.compile(r"^(?:v?\d[\w-]*|instruct|chat|it|base|hf|latest)$")
# A page's own model names: one pattern for them all and the id each name stands for.
Names = tuple[re.Pattern[str], dict[str, str]] | None


def model_spans(
    sentence: str, builder: ExtractionBuilder, table_ids: tuple[str, ...], known: Names = None
) -> list[Span]:
    """Model names in a sentence (known names, or a model family plus a version).

    A name one size or version short of exactly one model the tables found ("Mixtral 8x22B" beside
    "Mixtral 8x22B v0.1", "Llama 3.1" beside "Llama 3.1 405B") is that model, and a tuning of a table
    model ("Llama 3.3 70B Instruct" beside "Llama 3.3 70B") is the table model: the page calls it both
    ways (and the shorter one is often only the base the builder added for the variant link).
    """
    spans: list[Span] = []
    found = builder.resolver.find_mentions(sentence)
    if known is not None:
        spans = [
            Span(m.start(), m.end(), known[1][m.group(0)], text=m.group(0))
            for m in known[0].finditer(sentence)
            if not any(f.start < m.end() and m.start() < f.end for f in found)
        ]
    for mention in found:
        model_id = mention.resolved.id
        tuned_ok = model_id not in table_ids
        longer = [
            m
            for m in table_ids
            if m.startswith(model_id + "-")
            and (_SIZE_RE.match(m[len(model_id) + 1 :]) or (tuned_ok and _edition(m[len(model_id) + 1 :])))
        ]
        shorter = [m for m in table_ids if model_id.startswith(m + "-") and _edition(model_id[len(m) + 1 :])]
        if len(longer) == 1:
            model_id = longer[0]
        elif model_id not in table_ids and not longer and shorter:
            model_id = max(shorter, key=len)
        spans.append(Span(mention.start, mention.end, model_id, text=mention.text))
    return sorted(spans, key=lambda span: span.start)


def known_names(builder: ExtractionBuilder, table_ids: tuple[str, ...]) -> Names:
    """The names the page's tables and title gave their models ("Claude" on a "Claude vs GPT-4o" page):
    prose calls the models the same way, though the resolver may not find a bare family name in a sentence.
    A name followed by a version number ("Gemini 2.5 ...") starts another model's name and is skipped."""
    names = {
        m.name: m.id
        for m in builder.models()
        if m.id in table_ids and len(m.name) >= MIN_KNOWN_NAME and m.name[:1].isupper()
    }
    if not names:
        return None
    pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w-])(?!\s\d)"), names


def family_members(sentence: str, mentions: list[Span], table_ids: tuple[str, ...]) -> list[Span]:
    """ "All current Claude models support text and image input": each of the page's models of that
    family gets the sentence's spec values (a family without a model on the page gets nothing)."""
    match = _FAMILY_ALL_RE.match(sentence)
    if match is None or any(m.start < match.end() for m in mentions):
        return []
    prefix = match.group("f").lower().replace(" ", "-") + "-"
    return [Span(0, 0, m) for m in table_ids if m.startswith(prefix)]


_FAMILY_ALL_RE = re.compile(
    r"(?:All|Every|Each)\s(?:(?:current|the|three|four|available)\s)?(?P<f>[A-Z][\w.]+)\smodels?\b"
)


def _edition(suffix: str) -> bool:
    """A suffix that names a size, version or tuning of the same model ("405b", "v0-1", "instruct"),
    not a sibling model ("mini", "sonnet", "pro")."""
    return _EDITION_RE.match(suffix) is not None
