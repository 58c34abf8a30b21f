"""Typed values: the number and unit inside a table cell or spec value ("3.8B", "128K tokens", "55/100").

Pure functions; every pattern is anchored and free of nested quantifiers so a hostile cell cannot make
parsing slow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?"
_NUM_RE = re.compile(_NUMBER)

_MAGNITUDES: dict[str, float] = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mio": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "billions": 1e9,
    "t": 1e12,
    "tn": 1e12,
    "trillion": 1e12,
    "trillions": 1e12,
}

# Hedges in front of a number change its precision, not its value.
_HEDGE_RE = re.compile(
    r"^(?:approximately|approx\.?|about|around|roughly|nearly|almost|over|under|up to|more than|"
    r"less than|at least|at most|circa|ca\.|~|≈|>|<|≥|≤)\s*",
    re.IGNORECASE,
)
_MONEY_RE = re.compile(r"^(?:US)?\$\s*(" + _NUMBER + r")\s*([kKmMbB])?\s*(?:(?:per|/)\s*(.{1,60}))?$")
_RATIO_RE = re.compile(r"^(" + _NUMBER + r")\s*/\s*(\d{1,6})$")
_PERCENT_RE = re.compile(r"^(" + _NUMBER + r")\s*%$")
_QUANTITY_RE = re.compile(
    r"^(" + _NUMBER + r")\s*"
    r"(k|m|mn|mio|b|bn|t|tn|thousand|millions?|billions?|trillions?)?"
    r"(?![A-Za-z0-9])\s*(.{0,80})$",
    re.IGNORECASE,
)
_UNIT_RE = re.compile(r"^[A-Za-z][A-Za-z /-]{0,39}$")
_MISSING_RE = re.compile(
    r"^(?:not\s+(?:disclosed|specified|detailed|available|applicable|public|known|stated|reported|listed|"
    r"published|released|provided)|n/?a|none|unknown|undisclosed|tbd|tba|—|–|-+|\?+|\.\.\.|…)$",
    re.IGNORECASE,
)
# Words that follow a count in a cell without being a unit of it ("12 decomposed").
_UNIT_FOR_ATTRIBUTE = {"capabilities": "capabilities"}


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parsed number with its unit (None when the value is a bare number)."""

    number: float
    unit: str | None = None


def is_missing(raw: str) -> bool:
    """True for cells that say "no value" ("Not disclosed", "—", "N/A", empty) rather than state one."""
    return not raw.strip() or bool(_MISSING_RE.match(raw.strip()))


def _to_float(text: str) -> float | None:
    cleaned = text.replace(",", "")
    if not cleaned or not any(ch.isdigit() for ch in cleaned):
        return None
    try:
        return float(cleaned)
    except ValueError:
        return None


def parse_quantity(raw: str, attribute: str | None = None) -> Quantity | None:
    """Parse the leading quantity of a value; None when the value is not numeric.

    >>> parse_quantity("3.8B", "parameters")
    Quantity(number=3800000000.0, unit='parameters')
    >>> parse_quantity("128K tokens")
    Quantity(number=128000.0, unit='tokens')
    >>> parse_quantity("55/100")
    Quantity(number=55.0, unit='/100')
    >>> parse_quantity("$2.50e-6 per prompt token")
    Quantity(number=2.5e-06, unit='USD/prompt token')
    """
    text = " ".join(raw.split())
    if not text or len(text) > 200 or is_missing(text):
        return None
    text = _HEDGE_RE.sub("", text, count=1)
    found = _money(text) or _ratio(text) or _percent(text) or _plain(text)
    if found is None:
        return None
    return _attribute_unit(found, attribute)


def _money(text: str) -> Quantity | None:
    match = _MONEY_RE.match(text)
    if not match:
        return None
    number = _to_float(match.group(1))
    if number is None:
        return None
    if match.group(2):
        number *= _MAGNITUDES[match.group(2).lower()]
    per = match.group(3)
    return Quantity(number, f"USD/{per.strip()}" if per else "USD")


def _ratio(text: str) -> Quantity | None:
    match = _RATIO_RE.match(text)
    if not match:
        return None
    number = _to_float(match.group(1))
    return None if number is None else Quantity(number, f"/{match.group(2)}")


def _percent(text: str) -> Quantity | None:
    match = _PERCENT_RE.match(text)
    if not match:
        return None
    number = _to_float(match.group(1))
    return None if number is None else Quantity(number, "%")


def _plain(text: str) -> Quantity | None:
    match = _QUANTITY_RE.match(text)
    if not match:
        return None
    number = _to_float(match.group(1))
    if number is None:
        return None
    if match.group(2):
        number *= _MAGNITUDES[match.group(2).lower()]
    rest = match.group(3).strip()
    if not rest:
        return Quantity(number)
    if rest.startswith("("):
        return Quantity(number)
    unit = rest.split("(")[0].strip().rstrip(".,;")
    if _UNIT_RE.match(unit) and len(unit.split()) <= 3:
        return Quantity(number, unit)
    return None


def _attribute_unit(found: Quantity, attribute: str | None) -> Quantity:
    if attribute is None:
        return found
    if attribute in _UNIT_FOR_ATTRIBUTE:
        return Quantity(found.number, _UNIT_FOR_ATTRIBUTE[attribute])
    if found.unit is None and "parameter" in attribute:
        return Quantity(found.number, "parameters")
    return found


def parse_number(raw: str) -> float | None:
    """A benchmark cell as a float ("63.6", "90.4%", "1,417"); None when it holds no number."""
    found = parse_quantity(raw)
    if found is None or found.unit not in (None, "%"):
        return None
    return found.number


def leading_int(raw: str) -> int | None:
    """The first integer in a value ("13 decomposed" -> 13); None when there is none."""
    match = re.search(r"\d{1,9}", raw)
    return int(match.group(0)) if match else None


_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD_RE = re.compile(r"[^0-9a-z]+")


def snake_case(label: str) -> str:
    """Attribute name of a row label: "UnfragileRank" -> "unfragile_rank", "Times Matched" -> "times_matched"."""
    spaced = _CAMEL_RE.sub(" ", label.strip())
    return _NON_WORD_RE.sub("_", spaced.lower()).strip("_")
