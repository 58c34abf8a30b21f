"""Benchmark names: one key per benchmark, so the same benchmark from two pages is one node.

"MATH (500)" = "MATH-500" = "math 500"; "SWE-bench Verified" = "SWE Bench verified"; but a subset
keeps its qualifier ("GPQA Diamond" is not "GPQA"). Shot counts and metric words ("5-shot", "pass@1",
"accuracy", "score") say how a benchmark was run, not which benchmark it is, so they are dropped.
"""

from __future__ import annotations

import re

# Full names pages spell out, mapped to the short name everyone uses (general knowledge, not one page's wording).
_EXPANSIONS = {
    "massive-multitask-language-understanding": "mmlu",
    "grade-school-math-8k": "gsm8k",
    "grade-school-math": "gsm8k",
    "gsm-8k": "gsm8k",
    "human-eval": "humaneval",
    "humaneval-python": "humaneval",
    "hella-swag": "hellaswag",
    "arc-c": "arc-challenge",
    "arc-challenge-set": "arc-challenge",
    "truthful-qa": "truthfulqa",
    "big-bench-hard": "bbh",
    "mt-bench": "mt-bench",
    "lmsys-chatbot-arena": "chatbot-arena",
    "lmsys-arena": "chatbot-arena",
    "lmarena": "chatbot-arena",
    "chatbot-arena-elo": "chatbot-arena",
    "arena-elo": "chatbot-arena",
    "swe-bench-verified": "swe-bench-verified",
    "swebench-verified": "swe-bench-verified",
    "swebench": "swe-bench",
    "math500": "math-500",
    "librispeech-clean": "librispeech-clean",
    "ls-clean": "librispeech-clean",
    "ls-other": "librispeech-other",
    "ifeval": "ifeval",
}
# How a run was configured or measured: not part of the benchmark's identity.
_RUN_WORDS_RE = re.compile(
    r"\b(?:\d+[- ]?shots?|zero[- ]shot|few[- ]shot|pass@\d+|maj@\d+|cot|chain[- ]of[- ]thought|accuracy|acc|"
    r"score|scores|benchmark|results?|em|exact[- ]match|overall accuracy|%)\b",
    re.IGNORECASE,
)
_NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")
_LETTER_DIGIT_RE = re.compile(r"^([a-z]+)-(\d+)$")
_PLUS_RE = re.compile(r"(?<=[a-z0-9])\+(?![\w+])")
_AVERAGE_RE = re.compile(r"\b(?:avg|mean)\b")
# Competitions named by a year that pages shorten to two digits.
_SHORT_YEAR_RE = re.compile(r"^(aime|hmmt)-?(\d{2})$")
_AGGREGATE_RE = re.compile(r"\b(?:average|avg|mean|overall|index|rank|composite)\b", re.IGNORECASE)
# Glued word-number forms that are one name ("gsm8k", "math-500") stay as written after the joins below.
_KEEP_DASHED = frozenset({"math-500", "aime-2024", "aime-2025", "aime-2023", "mt-bench"})


def benchmark_key(name: str) -> str:
    """The matching key of a benchmark name: lower case, dashes, run details and brackets dropped.

    Variants that are other benchmarks stay apart: a "+" glued to a name is the extended test set
    ("HumanEval+" -> `humaneval-plus`, not `humaneval`). Spellings of one benchmark meet: "avg"/"mean" are
    "average"; "base" after a known benchmark names its original tests ("MBPP Base" = "MBPP"); a two-digit
    AIME year is its full year ("AIME'24" = "AIME 2024")."""
    text = _PLUS_RE.sub(" plus ", name.lower().replace("\u2011", "-"))
    text = _RUN_WORDS_RE.sub(" ", text)
    text = _AVERAGE_RE.sub("average", text)
    key = _NON_ALNUM_RE.sub("-", text).strip("-")
    if not key:
        key = _NON_ALNUM_RE.sub("-", name.lower()).strip("-")
    key = _EXPANSIONS.get(key, key)
    if (year := _SHORT_YEAR_RE.match(key)) is not None:
        key = f"{year.group(1)}-20{year.group(2)}"
    match = _LETTER_DIGIT_RE.match(key)
    if match and key not in _KEEP_DASHED and len(match.group(2)) <= 2:
        key = match.group(1) + match.group(2)
    key = _EXPANSIONS.get(key, key)
    if key.endswith("-base") and key[: -len("-base")] in KNOWN_KEYS:
        key = key[: -len("-base")]
    return key


# Well-known benchmark keys: a descriptive label whose parentheses hold one of these is that benchmark
# ("Graduate level reasoning (GPQA)" is GPQA).
KNOWN_KEYS = frozenset(
    {"mmlu", "mmlu-pro", "gpqa", "gpqa-diamond", "humaneval", "mbpp", "gsm8k", "math", "math-500", "mgsm", "bbh",
     "hellaswag", "arc-challenge", "truthfulqa", "ifeval", "drop", "winogrande", "swe-bench", "swe-bench-verified",
     "livecodebench", "simpleqa", "mt-bench", "chatbot-arena", "hle", "mmmu", "aime-2023", "aime-2024", "aime-2025"}
)  # fmt: skip
_DESCRIPTION_RE = re.compile(r"^[A-Z]?[a-z]+(?:[ -][A-Za-z][a-z]+){0,4}$")
_ACRONYM_RE = re.compile(r"[A-Z]{2,}")
_PAREN_RE = re.compile(r"^(.{1,80}?)\s*\(([^()]{1,30})\)$")


def display_name(name: str) -> str:
    """The name a benchmark node gets: "MATH (500)" -> "MATH-500", "Code (Human Eval)" -> "Human Eval"."""
    text = " ".join(name.split()).strip(" :*_")
    match = _PAREN_RE.match(text)
    if not match:
        return text
    outer, inner = match.group(1).strip(), match.group(2).strip()
    if inner.isdigit():
        return f"{outer}-{inner}"
    if benchmark_key(inner) == benchmark_key(outer):
        return inner  # "Math (MATH)": a category word spelling the benchmark's own name
    if benchmark_key(inner) in KNOWN_KEYS and benchmark_key(outer) not in KNOWN_KEYS:
        return inner
    if _DESCRIPTION_RE.match(inner) and (benchmark_key(outer) in KNOWN_KEYS or _ACRONYM_RE.search(outer)):
        return outer  # "HumanEval (Coding)", "LMSYS Chatbot Arena (Human Preference)": a gloss
    return text


def is_aggregate(name: str) -> bool:
    """A page's own category average or overall index ("knowledge (average)", "Intelligence Index")."""
    return bool(_AGGREGATE_RE.search(name))
