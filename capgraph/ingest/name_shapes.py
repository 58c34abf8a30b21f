"""Shapes of model names as real pages damage or decorate them, shared by the resolver's rules.

Each shape was seen on crawled comparison pages:
- a vendor glued to the end of a table cell's name ("GPT-4oOpenAI", "Llama 3.1 405BMeta"): the name is the
  part before the vendor, which is the model's maker;
- a vendor before the name, joined by a hyphen, a space or a slash ("Meta-Llama 3.1 405B",
  "meta-llama/Llama-3.1-8B", "Google Gemini 2.5 Pro"): the same model as the name alone;
- a size in parentheses after a name the tables know ("Phi-3-mini (3.8B)"): a description of that model;
- two names in one cell ("GPT-4.5 / GPT-4-turbo"): two models, so the cell as a whole is no name;
- a release tag after a size or qualifier ("Mixtral 8x22B v0.1", "Mistral 7B Instruct v0.3"): part of the name;
- a name glued to the next cell ("GPT-4o128K") or to a score ("Claude 73"): no name;
- Claude's tier after its version from version 4 on ("Claude 4 Sonnet" = "Claude Sonnet 4"), and OpenAI's
  o-series under a brand word ("GPT-o3" = "o3").
"""

from __future__ import annotations

import re

# Vendors as they are spelled when glued to the end of a name; case-sensitive, so a lower-case word ending
# ("metameta") is never cut.
GLUED_VENDORS = (
    "OpenAI", "Anthropic", "Meta", "Google", "Microsoft", "Mistral", "MistralAI", "DeepSeek", "Alibaba",
    "xAI", "Cohere", "NVIDIA", "Amazon", "IBM",
)  # fmt: skip
# A word that ends with a glued vendor: at least two characters before it, the last a letter or digit.
GLUED_VENDOR_RE = re.compile(rf"^(?P<head>\w*[A-Za-z0-9])(?P<vendor>{'|'.join(GLUED_VENDORS)})$")
# The same at the end of a whole name ("Claude 3.5 SonnetAnthropic").
GLUED_VENDOR_END_RE = re.compile(rf"(?<=[A-Za-z0-9])(?:{'|'.join(GLUED_VENDORS)})$")
# A size in parentheses that describes the model ("3.8B", "~7B params", "14B parameters").
PAREN_SIZE_RE = re.compile(r"^~?\s*\d+(?:\.\d+)?\s?[BbMm](?:\s*(?:params?|parameters))?$")
# A release tag token ("v0", "v1", "v2"): a name's own version after its size or qualifier.
RELEASE_TAG_RE = re.compile(r"^v\d{1,2}$")
# Separators that join two names in one cell.
NAME_SLASH_RE = re.compile(r"\s*/\s*")
# Joiners that list a sibling size after a model ("Gemma 2B and 7B", "Llama 2 7B, 13B and 70B").
SIBLING_JOINERS = frozenset({"/", ", ", " and ", " & ", " or ", ", and ", ", or "})


def split_glued_vendor(word: str) -> tuple[str, str] | None:
    """ "GPT-4oOpenAI" -> ("GPT-4o", "OpenAI"); None when the word ends with no glued vendor."""
    if not word.endswith(GLUED_VENDORS):  # the common case, decided at C speed
        return None
    match = GLUED_VENDOR_RE.match(word)
    if match is None or len(match.group("head")) < 2:
        return None
    return match.group("head"), match.group("vendor")


# A name ending in a bare number at least this large is a name glued to a score ("Claude 73").
MIN_GLUED_SCORE = 20
# Claude versions from which the tier comes first ("Claude Sonnet 4", but "Claude 3.5 Sonnet").
CLAUDE_TIER_FIRST_FROM = 4.0
TRAILING_NUMBER_RE = re.compile(r"^[A-Za-z][\w.-]*(?: [A-Za-z][\w.-]*)* (\d{2,}(?:\.\d+)?|\d+\.\d{2,})$")
CLAUDE_ORDER_RE = re.compile(r"^claude[ -](\d+(?:\.\d+)?)[ -](opus|sonnet|haiku)\b(.*)$", re.IGNORECASE)

# "GPT-o3", "ChatGPT o1", "OpenAI o4-mini": OpenAI's o-series under a brand word is the o-series model.
O_SERIES_RE = re.compile(r"^(?:chatgpt|gpt|openai)[-\s]+(o\d{1,2}\b.*)$", re.IGNORECASE)


# A name run together with the next table cell ("GPT-4o128K", "Gemini 2.5 Pro1M", "GPT-4.11.05M",
# "Pro3.8sYesNo"): a qualifier or version glued to a size-like value, two decimals groups, or a run of
# capitalised words straight after a number. Such a string is not a name; the page names the model cleanly
# elsewhere, or the cell readers split it.
GLUED_CELL_RE = re.compile(
    r"(?:^|[\s-])[A-Za-z]{2,}\d+(?:\.\d+)?[KkMm]$"  # "Pro1M", "Flash1M"
    r"|\d[a-wyz]\d{2,}[KkMmBb]?$"  # "4o128K" (not "8x22B")
    r"|\d\.\d+\.\d+[KkMmBb]?$"  # "4.11.05M"
    r"|\d\.\d{2,}[KkMm]$"  # "4.61M"
    r"|\d(?:\.\d+)?[a-z]{0,2}[A-Z][a-z]+[A-Z][a-z]"  # "3.8sYesNo"
)


def glued_score(cleaned: str) -> bool:
    """ "Claude 73" (from "Claude 73/100"), "Claude Opus 489.4": a name followed by a score is not a name."""
    match = TRAILING_NUMBER_RE.match(cleaned)
    return match is not None and float(match.group(1)) >= MIN_GLUED_SCORE


def tier_first(cleaned: str) -> str:
    """ "Claude 4 Sonnet" -> "Claude Sonnet 4": from version 4 on, Anthropic names the tier first."""
    match = CLAUDE_ORDER_RE.match(cleaned)
    if not match or float(match.group(1)) < CLAUDE_TIER_FIRST_FROM:
        return cleaned
    return f"Claude {match.group(2).capitalize()} {match.group(1)}{match.group(3)}"
