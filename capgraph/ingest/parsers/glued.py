"""Names run together in a header ("FeatureGPT-4oGPT-4o miniClaude 3.5 Sonnet"): split where a lower-case
letter or digit meets a capital, except inside brand names spelled in camel case ("DeepSeek", "ChatGPT")."""

from __future__ import annotations

import re

from capgraph.ingest.parsers.builder import ExtractionBuilder

# A lower-case letter meets a capital, or a digit (or a size after its number: "235B") meets a capitalised
# word or an acronym ("405BGPT-4"); a size unit stays on its number ("Qwen 7B", "8x7B" are not split into "7 B").
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[0-9])(?=[A-Z][a-z])|(?<=[0-9][BMK])(?=[A-Z][a-z]|[A-Z]{2})")
# A cell holding only a number: the line is a table row, not a header.
_NUMBER_CELL_RE = re.compile(r"\|\s*[~≈]?\d[\d.,]*\s*(?:\||$)")
# Brand and benchmark names written in camel case: a split inside them is undone.
CAMEL_WORDS = (
    "DeepSeek", "ChatGPT", "OpenAI", "GitHub", "HuggingFace", "HumanEval", "HellaSwag", "MiniMax", "ComfyUI",
    "LiveCodeBench", "CodeLlama", "StarCoder", "WizardLM", "InternLM", "TruthfulQA", "TinyLlama", "PaLM", "xAI",
    "IntelliCode", "LangChain", "LangGraph", "CrewAI", "AutoGen", "LlamaIndex", "MathVista", "SuperGPQA",
    "OpenBookQA", "SimpleQA", "BrowseComp", "GPTs", "WebUI", "LMArena", "MiMo", "QwQ", "GLaM", "MusR", "MuSR",
)  # fmt: skip
_REJOIN = [(re.compile(_CAMEL_RE.sub(" ", w).replace(" ", r" ?")), w) for w in CAMEL_WORDS if _CAMEL_RE.search(w)]
# A header line is at most this long; what is not a model name in it is at most this long.
MAX_HEADER_CHARS = 240
MAX_HEADER_RESIDUE = 40


def camel_split(text: str) -> str:
    spaced = _CAMEL_RE.sub(" ", text)
    for pattern, word in _REJOIN:
        if word[0] in spaced:
            spaced = pattern.sub(word, spaced)
    return spaced


def glued_header(line: str, builder: ExtractionBuilder) -> list[str]:
    """The models of a header whose cells ran together, in order; [] when the line is not one."""
    if len(line) > MAX_HEADER_CHARS or not _CAMEL_RE.search(line) or re.search(r"\d%|\$\d", line):
        return []
    if _NUMBER_CELL_RE.search(line):
        return []
    spaced = camel_split(line)
    mentions = builder.resolver.find_mentions(spaced)
    residue = len(spaced) - sum(m.end - m.start for m in mentions)
    if len(mentions) < 2 or residue > MAX_HEADER_RESIDUE:
        return []
    ids: list[str] = []
    for mention in mentions:
        model_id = builder.add_resolved(mention.resolved, raw=mention.text)
        if model_id in ids:
            return []
        ids.append(model_id)
    return ids
