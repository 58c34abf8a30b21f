"""The page's address as a second title. Crawled pages often lose their "X vs Y" headline, but the URL
keeps it ("/compare/langchain-vs-crewai-vs-autogen"). Each side of the slug is looked up in the page body,
ignoring case and separators, and the body's own spelling ("LangChain", "Llama 3.1 405B") names the model
or product; a side the body never spells out is dropped, so the URL alone never invents a name.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from capgraph.ingest.aliases import FAMILIES
from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document

_VS_SLUG_RE = re.compile(r"-(?:vs|versus)-")
_TOKEN_RE = re.compile(r"[a-z0-9]+")
# A name from the slug holds at most this many tokens; a slug compares at most this many sides.
MAX_NAME_TOKENS = 6
MAX_SIDES = 6
# Only this much of the body is searched for a side's spelling (the headline area and first sections).
SEARCH_CHARS = 20_000


def url_comparisons(url: str, doc: Document, builder: ExtractionBuilder) -> None:
    """Add and compare the models or products an "a-vs-b" URL slug names, as the body spells them; only
    for a page whose own text says nothing of what it compares (the text's names are better spelled)."""
    segment = _vs_segment(url)
    if segment is None or builder.has_comparisons():
        return
    sides = [_TOKEN_RE.findall(side) for side in _VS_SLUG_RE.split(segment)]
    if not 2 <= len(sides) <= MAX_SIDES:
        return
    body = doc.text[:SEARCH_CHARS]
    ids: list[str] = []
    for k, tokens in enumerate(sides):
        model_id = _side_model(tokens, first=k == 0, last=k == len(sides) - 1, body=body, builder=builder)
        if model_id and model_id not in ids:
            ids.append(model_id)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            builder.compare(a, b)


def _vs_segment(url: str) -> str | None:
    """The last path segment holding "-vs-", lower-cased, without a file extension."""
    try:
        path = unquote(urlsplit(url).path).lower()
    except ValueError:
        return None
    for segment in reversed([s for s in path.split("/") if s]):
        segment = re.sub(r"\.(?:html?|php|aspx?)$", "", segment)
        if _VS_SLUG_RE.search(segment):
            return segment
    return None


def _side_model(tokens: list[str], *, first: bool, last: bool, body: str, builder: ExtractionBuilder) -> str | None:
    """The body's spelling of one side. The first side may carry a lead-in ("choosing-the-right-...-langchain")
    and the last a tail ("...-autogen-2025"), so their names are tried as spans touching the "vs"."""
    if not tokens:
        return None
    spans: list[list[str]] = []
    for size in range(min(len(tokens), MAX_NAME_TOKENS), 0, -1):
        if first and not last:
            spans.append(tokens[-size:])
        elif last and not first:
            spans.append(tokens[:size])
        elif size == len(tokens):
            spans.append(tokens)
    for span in spans:
        spelled = _spelled(span, body)
        if spelled is None or _too_generic(spelled, builder):
            continue
        return builder.model(spelled)
    return None


def _spelled(tokens: list[str], body: str) -> str | None:
    """The first place the body writes these tokens as one name ("llama 3 1 405b" -> "Llama 3.1 405B")."""
    pattern = r"(?<![\w.-])" + r"[\s._-]?".join(re.escape(t) for t in tokens) + r"(?![\w-])"
    match = re.search(pattern, body, re.IGNORECASE)
    return match.group(0) if match else None


def _too_generic(name: str, builder: ExtractionBuilder) -> bool:
    """A bare family or vendor word ("Mistral", "Llama", "OpenAI") or a plain lower-case word is no name;
    a name with a version ("o3", "Llama 3.1 405B") always is one."""
    if any(ch.isdigit() for ch in name):
        return False
    if name.lower() in FAMILIES or builder.resolver.vendor_name(name) is not None:
        return True
    return len(name) < 3 or name.islower()
