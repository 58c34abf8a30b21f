"""The claim vocabulary: canonical attribute names and typed values for the spec facts users query.

A row label or spec key ("Context Window", "Max context length", "Input price / 1M") maps to one
canonical attribute; its value becomes a typed number (tokens, USD per 1M tokens, a count), a bool,
an ISO date or a list of modalities. Labels outside the vocabulary keep their snake_case name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from capgraph.graph.values import parse_quantity

# (label pattern, canonical attribute); the first match wins, so specific patterns come first.
_LABELS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), a)
    for p, a in (
        (r"\b(?:input\s*)?modalit(?:y|ies)\b|\binput\s*types?\b", "modalities"),
        (
            r"\b(?:max(?:imum)?\.?\s*)?(?:output|completion|generation)\s*(?:tokens?|length|limit)|max(?:imum)?\s*output",
            "max_output_tokens",
        ),
        (
            # a bare "context" names the window only when no other word follows ("Long-Context Retrieval" is a task)
            r"\bcontext\s*(?:window|length|size|limit)\b|\bcontext\b(?![\s-]+(?!tokens?\b)[A-Za-z])"
            r"|\binput\s*(?:token\s*)?limit\b|\bmax(?:imum)?\s*(?:input|context)\b|\bcontext_window\b",
            "context_window",
        ),
        (
            r"\binput\s*(?:price|cost|pricing)|\bprice\s*\(?input|\bprompt\s*(?:price|cost)|(?<!cached\s)\b(?:input|prompt)\s*\$?\s*(?:\(|/|per)|^input$|\binput\s*tokens?\s*(?:price|cost|\$)",
            "input_price",
        ),
        (
            r"\boutput\s*(?:price|cost|pricing)|\bprice\s*\(?output|\bcompletion\s*(?:price|cost)|\b(?:output|completion)\s*\$?\s*(?:\(|/|per)|^output$|\boutput\s*tokens?\s*(?:price|cost|\$)",
            "output_price",
        ),
        (r"\bactive\s*param", "active_parameters"),
        (r"\b(?:total\s*)?param(?:eter)?s?(?:\s*(?:count|size))?\b|\bmodel\s*size\b|^size$", "parameters"),
        (r"\bopen[\s_-]*(?:weights?|source)\b", "open_weights"),
        (r"\blicen[cs]e\b", "license"),
        (r"\brelease(?:d|\s*date)?\b|\blaunch(?:ed|\s*date)?\b", "release_date"),
        (r"\b(?:knowledge|training(?:\s*data)?)\s*cut[\s-]*off\b|\bcutoff\b", "knowledge_cutoff"),
        (r"\bself[\s-]*host(?:able|ed|ing)?\b|\blocal\s*deployment\b|\brun\s*locally\b", "self_hostable"),
    )
)
# A label longer than this is a sentence, not a row label.
_MAX_LABEL_CHARS = 60
_MONTHS = {
    m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))
}
_ISO_RE = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")
_MONTH_YEAR_RE = re.compile(r"\b([A-Za-z]{3})[a-z]*\.?\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d{4})\b")
_DAY_MONTH_YEAR_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3})[a-z]*\.?,?\s+(\d{4})\b")
_YEAR_RE = re.compile(r"\b(19\d\d|20\d\d)\b")
_NUM_MAG_RE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(k|m|b|t|thousand|million|billion|trillion)?(?![a-z])", re.IGNORECASE)
_ALPHA_WORD_RE = re.compile(r"[A-Za-z]{2,}")
_COUNT_UNIT_RE = re.compile(r"\b(?:tokens?|params?|parameters|ctx|context)\b", re.IGNORECASE)
# "8x7B" (experts x size) and "12.9B x8" (size x experts) state no total.
_MIXTURE_RE = re.compile(r"\d\s?x\s?\d|\d\s?[BMK]\s?[x×]\s?\d", re.IGNORECASE)
# A range ("70-400 billion", "8-32,000 tokens") states no single value.
_RANGE_RE = re.compile(r"\d\s?[KMBT]?\s?(?:[-–—]|to\s)\s?~?\d", re.IGNORECASE)
_MAG = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9, "t": 1e12, "trillion": 1e12}
_PRICE_RE = re.compile(r"\$\s*(\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?)")
_PER_TOKEN_RE = re.compile(r"per\s+(?:prompt\s+|input\s+|output\s+|completion\s+)?token\b|/\s*token\b", re.IGNORECASE)
_ARITHMETIC_RE = re.compile(r"[=×]|\s[x*]\s")
_UNIT_PRICE_RE = re.compile(
    r"\$\s*\d[\d,]*(?:\.\d+)?\s?(?:/|per)\s?(?:1\s?)?(?:M|MTok|million|1M|K|1K|thousand|token)\b", re.IGNORECASE
)
_PER_THOUSAND_RE = re.compile(r"(?:per|/)\s*(?:1k|1,000|thousand)\b", re.IGNORECASE)
_YES_RE = re.compile(
    r"^(?:yes|true|✅|✓|✔|y|available|supported|open|open[- ]weights?|open[- ]source)\b|✅|✔", re.IGNORECASE
)
_NO_RE = re.compile(
    r"^(?:no|false|❌|✗|✘|n|closed|proprietary|not\s)\b|❌|✗|✘|\bproprietary\b|\bclosed\b", re.IGNORECASE
)
_MODALITY_WORDS = {
    "text": "text",
    "image": "image",
    "images": "image",
    "vision": "image",
    "audio": "audio",
    "speech": "audio",
    "voice": "audio",
    "video": "video",
    "code": "code",
    "multimodal": "",
}
_WORD_RE = re.compile(r"[a-z]+")


_PRICES = ("input_price", "output_price")
# Rates that are not the model's base token price.
_OTHER_RATE_RE = re.compile(
    r"\bcach|\bbatch|fine[\s-]?tun|\btraining\b|\baudio\b|\bimages?\b|\brealtime\b|\bwrites?\b|\bhits?\b", re.IGNORECASE
)
_INPUT_SIDE_RE = re.compile(r"\b(?:input|prompt)\b", re.IGNORECASE)
_OUTPUT_SIDE_RE = re.compile(r"\b(?:output|completion)\b", re.IGNORECASE)
_PAIR_RE = re.compile(r"^\s*(\$\s?\d[\d,]*(?:\.\d+)?)\s?/\s?(\$\s?\d[\d,]*(?:\.\d+)?)(?![\d.])")
_ACTIVE_RE = re.compile(r"\bactiv", re.IGNORECASE)
_PART_RE = re.compile(
    r"(?P<v>\d[\d,]*(?:\.\d+)?)\s?(?P<m>[BMT]\b|billion\b|million\b|trillion\b)(?P<after>[^\d;/]{0,24})", re.IGNORECASE
)

# The smallest plausible value of each count: below it the number is something else ("3 input/output
# ratio" is no output limit, "8K" is no parameter count).
MIN_COUNT = {"context_window": 256.0, "max_output_tokens": 64.0, "parameters": 1e6, "active_parameters": 1e6}


@dataclass(frozen=True, slots=True)
class Typed:
    """A claim's typed value: `number` for counts, tokens and prices; `text` for the rest."""

    text: str
    number: float | None = None
    unit: str | None = None


def canonical_attribute(label: str) -> str | None:
    """The vocabulary attribute a row label or key names; None when it names none."""
    text = " ".join(label.replace("_", " ").split())
    if not text or len(text) > _MAX_LABEL_CHARS:
        return None
    for pattern, attribute in _LABELS:
        if pattern.search(text):
            if attribute in _PRICES and _OTHER_RATE_RE.search(text):
                return None  # "Cached input", "Batch output": discounted rates, not the model's price
            return attribute
    return None


def price_attribute(label: str) -> str | None:
    """The price a column names by its side alone ("Base Input Tokens", "Output Tokens" over "$15 / MTok")."""
    text = " ".join(label.replace("_", " ").split())
    if len(text) > _MAX_LABEL_CHARS or _OTHER_RATE_RE.search(text):
        return None
    if _INPUT_SIDE_RE.search(text) and not _OUTPUT_SIDE_RE.search(text):
        return "input_price"
    if _OUTPUT_SIDE_RE.search(text) and not _INPUT_SIDE_RE.search(text):
        return "output_price"
    return None


def price_pair(label: str, value: str) -> tuple[str, str] | None:
    """ "Price (input/output)" over "$2 / $8": the input and the output price, in that order."""
    if not (_INPUT_SIDE_RE.search(label) and _OUTPUT_SIDE_RE.search(label)) or _OTHER_RATE_RE.search(label):
        return None
    match = _PAIR_RE.match(value)
    return (match.group(1), match.group(2)) if match else None


def parameter_parts(text: str) -> dict[str, str]:
    """The total and active counts one parameters value states: "17B active / 109B total" ->
    {"active_parameters": "17B", "parameters": "109B"}; "39B active parameters out of 141B" likewise.
    A count is active when "active" follows it, total when "total" follows it or "out of"/"of" precedes
    it; a value naming neither word gives {} (read as one plain count)."""
    parts: dict[str, str] = {}
    if not _ACTIVE_RE.search(text):
        return parts
    for match in _PART_RE.finditer(text):
        raw = match.group("v") + match.group("m")
        after, before = match.group("after").lower(), text[max(0, match.start() - 12) : match.start()].lower()
        if "activ" in after:
            parts.setdefault("active_parameters", raw)
        elif "total" in after or re.search(r"\b(?:out of|of|total of|from)\s$", before):
            parts.setdefault("parameters", raw)
    return parts


def typed_value(attribute: str, raw: str) -> Typed | None:
    """The typed value of a vocabulary claim; None when the raw text holds no such value."""
    text = " ".join(raw.split())
    if not text:
        return None
    if attribute in ("context_window", "max_output_tokens", "parameters", "active_parameters"):
        if "$" in text or _RANGE_RE.search(text.split("(")[0]):
            return None  # a price under a token column ("Output Tokens | $75 / MTok"), or a range
        number = count(text)
        if number is None or number < MIN_COUNT[attribute] or _bare_year_in_words(text):
            return None
        unit = "tokens" if attribute in ("context_window", "max_output_tokens") else "parameters"
        return Typed(text, number, unit)
    if attribute in ("input_price", "output_price"):
        price = usd_per_million(text)
        return None if price is None else Typed(text, price, "USD/1M tokens")
    if attribute in ("open_weights", "self_hostable"):
        flag = yes_no(text)
        return None if flag is None else Typed("true" if flag else "false")
    if attribute in ("release_date", "knowledge_cutoff"):
        iso = iso_date(text)
        return None if iso is None else Typed(iso)
    if attribute == "modalities":
        found = modalities(text)
        return Typed(",".join(found)) if found else None
    return Typed(text)


def count(text: str) -> float | None:
    """ "128K tokens" -> 128000, "131,072" -> 131072, "8 billion" -> 8e9, "1.05M" -> 1050000."""
    if _MIXTURE_RE.search(text):
        return None  # "8x7B" names experts x size, not a total
    match = _NUM_MAG_RE.search(text)
    if not match:
        return None
    try:
        number = float(match.group(1).replace(",", ""))
    except ValueError:
        return None
    if match.group(2):
        number *= _MAG[match.group(2).lower()]
    return number


def _bare_year_in_words(text: str) -> bool:
    """ "Why this matters in 2026" states no count: its only number is a year with no unit, among words.

    A bare "2048" (a context length cell) stays a count; so does "2048 tokens".
    """
    numbers = _NUM_MAG_RE.findall(text)
    if len(numbers) != 1 or numbers[0][1] or not _YEAR_RE.fullmatch(numbers[0][0]):
        return False
    return bool(_ALPHA_WORD_RE.search(text)) and not _COUNT_UNIT_RE.search(text)


def usd_per_million(text: str) -> float | None:
    """A price in USD per 1M tokens: "$0.55 / 1M tokens" -> 0.55, "$3.00e-6 per prompt token" -> 3.0.

    In a worked example ("8,000 tokens × $2.50/M = $0.020") only a price with its own per-token unit is
    the model's price; the totals are not.
    """
    if _ARITHMETIC_RE.search(text):
        unit_price = _UNIT_PRICE_RE.search(text)
        if unit_price is None:
            return None
        text = unit_price.group(0)
    match = _PRICE_RE.search(text)
    if not match:
        found = parse_quantity(text)
        if found is None or found.unit not in (None, "USD"):
            return None
        number = found.number
    else:
        number = float(match.group(1).replace(",", ""))
    if _PER_TOKEN_RE.search(text):
        number *= 1e6
    elif _PER_THOUSAND_RE.search(text):
        number *= 1e3
    return round(number, 6)


def yes_no(text: str) -> bool | None:
    if _NO_RE.search(text):
        return False
    if _YES_RE.search(text):
        return True
    return None


def iso_date(text: str) -> str | None:
    """ "2024-07-23" / "July 23, 2024" / "Dec 2023" / "2023" as ISO, as precise as the text."""
    match = _ISO_RE.search(text)
    if match:
        return "-".join(g for g in match.groups() if g)
    match = _MONTH_YEAR_RE.search(text)
    if match and match.group(1).lower() in _MONTHS:
        month = _MONTHS[match.group(1).lower()]
        day = f"-{int(match.group(2)):02d}" if match.group(2) else ""
        return f"{match.group(3)}-{month:02d}{day}"
    match = _DAY_MONTH_YEAR_RE.search(text)
    if match and match.group(2).lower() in _MONTHS:
        return f"{match.group(3)}-{_MONTHS[match.group(2).lower()]:02d}-{int(match.group(1)):02d}"
    match = _YEAR_RE.search(text)
    return match.group(1) if match else None


def modalities(text: str) -> list[str]:
    found: list[str] = []
    for word in _WORD_RE.findall(text.lower()):
        mapped = _MODALITY_WORDS.get(word)
        if mapped and mapped not in found:
            found.append(mapped)
    return found
