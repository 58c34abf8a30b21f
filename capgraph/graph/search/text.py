"""Tokens for model jargon, and the field's acronyms tied to their long forms.

`tokens("GPT-4o has a 128,000-token window")` keeps the compound ("gpt-4o") and its parts ("gpt",
"4o"), writes numbers the way pages abbreviate them ("128,000" -> "128000" and "128k"), drops a
small stop list and folds plural "-s". The same function runs on documents and queries, so both sides
agree.

The acronym table is general vocabulary of the field (not of any one page): when either the acronym or
the long form appears, one shared concept token (e.g. "lora") is added, so "LoRA" finds "low-rank
adaptation" and back. The dense side gets the long form appended to the query instead, because
all-MiniLM-L6-v2 does not know most of these acronyms.
"""

from __future__ import annotations

import re

# acronym -> long forms (lower case, hyphens as written in running text; matching ignores hyphens)
ACRONYMS: dict[str, tuple[str, ...]] = {
    "lora": ("low-rank adaptation", "low rank adaptation", "low-rank adapter"),
    "qlora": ("quantized low-rank adaptation",),
    "rag": ("retrieval-augmented generation", "retrieval augmented generation"),
    "moe": ("mixture of experts", "mixture-of-experts"),
    "gqa": ("grouped-query attention", "grouped query attention"),
    "mqa": ("multi-query attention",),
    "grpo": ("group relative policy optimization",),
    "ppo": ("proximal policy optimization",),
    "dpo": ("direct preference optimization",),
    "rlhf": ("reinforcement learning from human feedback",),
    "sft": ("supervised fine-tuning", "supervised finetuning"),
    "cot": ("chain-of-thought", "chain of thought"),
    "rope": ("rotary position embedding", "rotary positional embedding"),
    "swa": ("sliding window attention", "sliding-window attention"),
    "asr": ("automatic speech recognition", "speech recognition", "speech-to-text", "transcription"),
    "tts": ("text-to-speech", "speech synthesis"),
    "ocr": ("optical character recognition",),
    "mcp": ("model context protocol",),
    "llm": ("large language model",),
    "vlm": ("vision language model", "vision-language model"),
    "wer": ("word error rate",),
    "cli": ("command-line interface", "command line interface", "command-line tool"),
    "ide": ("integrated development environment",),
    "sdk": ("software development kit",),
    "t2i": ("text-to-image", "text to image"),
    "ner": ("named entity recognition",),
    "kv": ("key-value cache", "kv cache"),
    "nlp": ("natural language processing",),
}

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "so",
        "such",
        "that",
        "the",
        "their",
        "them",
        "there",
        "these",
        "this",
        "those",
        "to",
        "was",
        "we",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
        "than",
        "then",
        "also",
        "any",
        "some",
        "very",
        "just",
        "about",
        "want",
        "need",
        "needs",
        "looking",
        "find",
        "good",
        "best",
        "fit",
        "fits",
        "run",
        "runs",
        "use",
        "using",
    ]
)

_WORD_RE = re.compile(r"[a-z0-9]+(?:[.\-+/'][a-z0-9]+)*")
_SPLIT_RE = re.compile(r"[.\-+/']")
_NUMBER_RE = re.compile(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?")
_MAGNITUDE = ((1_000_000_000, "b"), (1_000_000, "m"), (1_000, "k"))


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


_LONG_FORMS: list[tuple[str, str]] = sorted(
    ((_norm(long), acro) for acro, longs in ACRONYMS.items() for long in longs), key=lambda t: -len(t[0])
)


def _abbreviate(match: re.Match[str]) -> str:
    """ "128,000" -> "128000 128k": pages write the same size both ways."""
    raw = match.group(0)
    digits = raw.replace(",", "")
    if "." in digits:
        return raw
    value = int(digits)
    for scale, suffix in _MAGNITUDE:
        if value >= scale and value % scale == 0:
            return f"{digits} {value // scale}{suffix}"
    return digits


def _fold(word: str) -> str:
    """A plural fold, nothing more: "models" -> "model", "tokens" -> "token" (not "ss", "us", "is")."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) and word.isalpha():
        return word[:-1]
    return word


def concepts(text: str) -> list[str]:
    """The acronym concepts a text mentions, by acronym or by long form."""
    low = text.lower()
    normed = _norm(low)
    words = set(_WORD_RE.findall(low))
    found = [acro for acro in ACRONYMS if acro in words or acro + "s" in words]
    found += [acro for long, acro in _LONG_FORMS if f" {long} " in f" {normed} "]
    return list(dict.fromkeys(found))


def tokens(text: str) -> list[str]:
    """Lexical tokens of a text: compounds and their parts, abbreviated numbers, concept tokens."""
    low = _NUMBER_RE.sub(_abbreviate, text.lower())
    out: list[str] = []
    for word in _WORD_RE.findall(low):
        word = word.strip("'")
        parts = [p for p in _SPLIT_RE.split(word) if p]
        if len(parts) > 1:
            out.append(word)
            out.extend(parts)
        else:
            out.append(word)
    out = [_fold(w) for w in out if w not in STOPWORDS]
    out.extend(f"concept:{c}" for c in concepts(text))
    return out


def token_units(text: str) -> list[list[str]]:
    """The query's words as units for coverage: a compound with its parts, an acronym with its concept.

    Counting units instead of tokens keeps "fine-tuning" (3 tokens) from outweighing "LoRA" (1 word).
    """
    units: list[list[str]] = []
    index: dict[str, int] = {}
    for word in _WORD_RE.findall(_NUMBER_RE.sub(_abbreviate, text.lower())):
        word = word.strip("'")
        parts = [_fold(p) for p in _SPLIT_RE.split(word) if p and p not in STOPWORDS]
        unit = list(dict.fromkeys([_fold(word), *parts])) if len(parts) > 1 else parts
        if unit and unit[0] not in index:
            index[unit[0]] = len(units)
            units.append(unit)
    for c in concepts(text):
        if c in index:
            units[index[c]].append(f"concept:{c}")
        else:
            units.append([f"concept:{c}"])
    return units


def expand_for_dense(text: str) -> str:
    """The query with the long form of each acronym it uses appended, for the sentence encoder."""
    low = text.lower()
    words = set(_WORD_RE.findall(low))
    extra = [ACRONYMS[a][0] for a in ACRONYMS if (a in words or a + "s" in words) and ACRONYMS[a][0] not in low]
    return f"{text} ({'; '.join(extra)})" if extra else text
