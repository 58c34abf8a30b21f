"""Names that resolve but name no model: a vendor, a family by its maker, a site. Kept apart so the builder
and the table readers share one rule."""

from __future__ import annotations

import re

from capgraph.ingest.resolve import Resolver

# A name ending in one of these words names a site or a team, not a model ("Qwen-3 blog", "Mistral docs").
_SITE_WORD_RE = re.compile(
    r"\s(?:blog|docs|documentation|website|site|homepage|news|newsletter|forum|wiki|team|community|"
    r"press|podcast|channel)$",
    re.IGNORECASE,
)
_PAREN_TAIL_RE = re.compile(r"\s*\([^()]*\)\s*$")


def not_a_model(name: str, resolver: Resolver) -> bool:
    """A cell that names a vendor or a family by its maker ("Anthropic", "OpenAI (GPT)") or a site
    ("Qwen-3 blog"): not a model, whatever it resolves to. A vendor's name that is also a model family
    ("Mistral") stays a possible model."""
    text = " ".join(name.split())
    if _SITE_WORD_RE.search(text):
        return True
    base = _PAREN_TAIL_RE.sub("", text)
    if not (resolver.vendor_name(text) or resolver.vendor_name(base)):
        return False
    # a vendor's name that is also a model family ("Mistral", "DeepSeek", "Qwen") may name the model
    resolved = resolver.try_canonical(base)
    return resolved is None or resolved.family is None
