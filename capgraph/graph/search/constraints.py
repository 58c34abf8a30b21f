"""Typed constraints in a search query ("under 10B parameters", "open weights") checked against claims.

Rule-based: each pattern turns a phrase into (attribute, operator, value). A check reads the model's
sourced claims for that attribute and says pass, fail or unknown, with the value and its source. An
unknown value is never a match. Claim attributes are read through `canonical_attribute`, so both the
extraction's canonical names (context_window, input_price, parameters, open_weights, license,
self_hostable) and older table labels (context_length, total_parameters, input_price_1_m_tok) work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from capgraph.graph.search.records import Catalog, ModelRecord, claim_number, human_number

Op = Literal["<=", ">=", "=="]
Status = Literal["pass", "fail", "unknown"]

# Single-GPU and laptop limits. An 80 GB H100/A100 holds ~70B parameters at 8-bit (1 byte each, leaving
# ~10 GB for the KV cache); a 24 GB consumer GPU or a laptop holds ~14B at 8-bit or 4-bit with room to spare.
SINGLE_GPU_MAX_PARAMS = 70e9
CONSUMER_GPU_MAX_PARAMS = 14e9
# "cheap": input price at or below this many USD per 1M tokens (GPT-4o mini, Gemini Flash, Haiku class).
CHEAP_INPUT_PRICE = 1.0
PERMISSIVE_LICENSES = ("apache", "mit", "bsd", "permissive")
OPEN_LICENSE_WORDS = (*PERMISSIVE_LICENSES, "llama", "gemma", "open", "openrail", "creativeml", "qwen", "cc-by")
CLOSED_WORDS = ("proprietary", "closed", "commercial api", "api only", "api-only")

ATTRIBUTE_SYNONYMS: dict[str, str] = {
    "context_length": "context_window",
    "context": "context_window",
    "context_size": "context_window",
    "max_context": "context_window",
    "total_parameters": "parameters",
    "parameter_count": "parameters",
    "params": "parameters",
    "model_size": "parameters",
    "input_price_1_m_tok": "input_price",
    "input_price_per_1m_tokens": "input_price",
    "input": "input_price",
    "output_price_1_m_tok": "output_price",
    "output_price_per_1m_tokens": "output_price",
    "licence": "license",
    "open_source": "open_weights",
    "weights": "open_weights",
}


def canonical_attribute(attribute: str) -> str:
    return ATTRIBUTE_SYNONYMS.get(attribute, attribute)


@dataclass(frozen=True)
class Constraint:
    attribute: str  # parameters | context_window | input_price | output_price | open_weights | license | runs_on
    op: Op
    value: float | str | bool
    phrase: str  # the words of the query it came from

    def describe(self) -> str:
        if isinstance(self.value, (bool, str)):
            return f"{self.attribute.replace('_', ' ')} {self.value}"
        return f"{self.attribute.replace('_', ' ')} {self.op.replace('<=', '≤').replace('>=', '≥')} {_fmt(self)}"


class Check(BaseModel):
    """One constraint checked on one model: the verdict in words with the source that states the value."""

    constraint: str
    status: Status
    detail: str
    sources: list[str] = []


_NUM = r"(\d+(?:\.\d+)?)\s*(thousand|million|billion|trillion|k|m|b|t)?"
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9, "t": 1e12, "trillion": 1e12}
_LE = r"(?:under|below|less than|smaller than|at most|up to|no more than|max(?:imum)?|<=?|≤)"
_GE = r"(?:at least|over|above|more than|greater than|min(?:imum)?|>=?|≥|larger than)"
_CTX = r"(?:context(?:\s*(?:window|length|size))?|window)"
_PATTERNS: list[tuple[re.Pattern[str], str, Op]] = [
    (re.compile(rf"({_LE})\s*{_NUM}\s*(?:param(?:eter)?s?)\b", re.I), "parameters", "<="),
    (re.compile(rf"({_GE})\s*{_NUM}\s*(?:param(?:eter)?s?)\b", re.I), "parameters", ">="),
    (re.compile(rf"({_LE})\s*{_NUM}\s*(?:b|billion)\b(?!\s*token)", re.I), "parameters", "<="),
    (re.compile(rf"({_GE})\s*{_NUM}\s*(?:tokens?\s*(?:of\s*)?)?{_CTX}", re.I), "context_window", ">="),
    (re.compile(rf"{_CTX}\s*(?:of\s*)?({_GE})\s*{_NUM}\s*(?:tokens?)?", re.I), "context_window", ">="),
    (re.compile(rf"({_GE})\s*{_NUM}\s*tokens?\b", re.I), "context_window", ">="),
    (re.compile(rf"({_LE})\s*{_NUM}\s*(?:tokens?\s*(?:of\s*)?)?{_CTX}", re.I), "context_window", "<="),
    (re.compile(rf"(){_NUM}\s*(?:tokens?\s*)?{_CTX}", re.I), "context_window", ">="),
    (
        re.compile(rf"({_LE})\s*\$\s*{_NUM}\s*(?:(?:per|/)\s*(?:1\s*m|million|1m)[^,.;]*?output)", re.I),
        "output_price",
        "<=",
    ),
    (
        re.compile(rf"({_LE})\s*\$\s*{_NUM}(?:\s*(?:per|/)\s*(?:1\s*m|million|1m)(?:\s*input)?\s*(?:tokens?)?)?", re.I),
        "input_price",
        "<=",
    ),
]
_OPEN_RE = re.compile(r"\bopen[- ]?(?:weights?|source|model)\b|\bweights (?:are )?(?:available|released)\b", re.I)
_PERMISSIVE_RE = re.compile(
    r"\b(apache(?:[- ]?2(?:\.0)?)?(?: licen[cs](?:ed?|ing))?|mit[- ]licen[cs](?:ed?|ing)|"
    r"permissive(?:ly licensed| licen[cs]e)?|"
    r"commercial(?:ly)? us(?:e|able)|for a commercial product)\b",
    re.I,
)
# "local" before a word for data ("local files", "a local folder") says where the data is, not where it runs.
_LOCAL_RE = re.compile(
    r"\b(runs? locally|run (?:it )?locally|on[- ]prem(?:ise)?s?|self[- ]host(?:ed|able|ing)?|offline|locally|"
    r"local(?!\s+(?:files?|file ?system|folders?|director(?:y|ies)|disks?|storage|data|documents?|repos|"
    r"repositor(?:y|ies)|codebases?|network|variables?|paths?)\b))\b",
    re.I,
)
_SINGLE_GPU_RE = re.compile(
    r"\b(single|one|1)\s+(?:h100|a100|gpu|\w+\s+gpu)\b|\bfits? on an? (?:h100|a100|gpu)\b", re.I
)
_CONSUMER_RE = re.compile(r"\b(laptop|consumer gpu|macbook|rtx\s*\d{4}|gaming gpu|edge device|on[- ]device)\b", re.I)
_CHEAP_RE = re.compile(r"\b(cheap(?:est)?|inexpensive|low[- ]cost|budget|affordable)\b", re.I)


def _fmt(c: Constraint) -> str:
    if c.attribute.endswith("price"):
        return f"${c.value:g}/1M tokens" if isinstance(c.value, float) else str(c.value)
    return human_number(float(c.value)) if isinstance(c.value, float) else str(c.value)


def parse_constraints(query: str) -> tuple[list[Constraint], str]:
    """The constraints a query states, and the query with their phrases removed (for retrieval)."""
    found: list[Constraint] = []
    rest = query
    seen: set[str] = set()
    for pattern, attribute, op in _PATTERNS:
        for m in pattern.finditer(rest):
            if attribute in seen:
                continue
            number = float(m.group(2)) * _SCALE.get((m.group(3) or "").lower(), 1.0)
            if attribute == "context_window" and number < 1000 and not m.group(3):
                continue  # "at least 8 tokens of context" is not a context size anybody asks for
            if attribute == "parameters" and not m.group(3):
                number *= 1e9  # "under 10 parameters" means billions
            found.append(Constraint(attribute, op, number, m.group(0).strip()))
            seen.add(attribute)
            rest = rest.replace(m.group(0), " ")
    for regex, attribute, value in (
        (_OPEN_RE, "open_weights", True),
        (_PERMISSIVE_RE, "license", "permissive"),
        (_CHEAP_RE, "input_price", CHEAP_INPUT_PRICE),
    ):
        word = regex.search(rest)
        if word and attribute not in seen:
            found.append(Constraint(attribute, "<=" if attribute == "input_price" else "==", value, word.group(0)))
            seen.add(attribute)
            rest = rest.replace(word.group(0), " ")
    gpu = _SINGLE_GPU_RE.search(rest) or _CONSUMER_RE.search(rest)
    local = _LOCAL_RE.search(rest)
    where = gpu or local
    if where is not None:
        limit = CONSUMER_GPU_MAX_PARAMS if _CONSUMER_RE.search(rest) else SINGLE_GPU_MAX_PARAMS
        found.append(Constraint("runs_on", "<=", limit if gpu else 0.0, where.group(0)))
        for hit in (gpu, local):
            if hit is not None:
                rest = rest.replace(hit.group(0), " ")
    return found, " ".join(rest.split())


def _values(rec: ModelRecord, attribute: str) -> list[tuple[float | None, str, str]]:
    """(number, text, source title) of the model's claims for a canonical attribute."""
    return [
        (claim_number(c), c.value, (c.source_title or c.source_id[:12]).removeprefix("URL:").strip())
        for c in rec.claims
        if canonical_attribute(c.attribute) == attribute
    ]


_SIZE_IN_NAME = re.compile(r"(?<![\dx.])(\d+(?:\.\d+)?)\s*([bm])\b", re.I)


def parameters_of(rec: ModelRecord) -> list[tuple[float, str, str]]:
    """Parameter counts from claims, else from the name ("Llama 3.1 8B" -> 8e9, stated as from the name)."""
    got = [(n, t, s) for n, t, s in _values(rec, "parameters") if n is not None]
    if got:
        return got
    m = _SIZE_IN_NAME.search(rec.model.name)
    if m:
        n = float(m.group(1)) * (1e9 if m.group(2).lower() == "b" else 1e6)
        return [(n, m.group(0), NAME_SOURCE)]
    return []


# Fallback when no source states it: whether a family publishes its weights is general knowledge of the
# field, shown as such ("family default"), never as a source's claim.
OPEN_FAMILIES = (
    "llama",
    "mistral",
    "mixtral",
    "qwen",
    "gemma",
    "phi",
    "deepseek",
    "tinyllama",
    "whisper",
    "stable diffusion",
    "falcon",
    "olmo",
    "bespoke",
)
CLOSED_FAMILIES = ("gpt", "o-series", "claude", "gemini", "dall-e", "midjourney")
FAMILY_DEFAULT = "family default (general knowledge, no source)"
NAME_SOURCE = "the model's name"


def open_weights_of(rec: ModelRecord) -> list[tuple[bool, str, str]]:
    """Open-weights verdicts from an open_weights/self_hostable claim or a license claim, else the family."""
    out: list[tuple[bool, str, str]] = []
    for attribute in ("open_weights", "self_hostable"):
        for _, text, src in _values(rec, attribute):
            low = text.lower()
            out.append((low.startswith(("true", "yes", "open", "1")), f"{attribute.replace('_', ' ')} {text}", src))
    if out:
        return out
    for _, text, src in _values(rec, "license"):
        low = text.lower()
        if any(w in low for w in CLOSED_WORDS):
            out.append((False, f"license {text}", src))
        elif any(w in low for w in OPEN_LICENSE_WORDS):
            out.append((True, f"license {text}", src))
    if out:
        return out
    family = (rec.model.family or rec.model.name).lower()
    for words, verdict in ((OPEN_FAMILIES, True), (CLOSED_FAMILIES, False)):
        if any(family.startswith(w) for w in words):
            out.append(
                (
                    verdict,
                    f"{rec.model.family or rec.model.name} weights {'open' if verdict else 'closed'}",
                    FAMILY_DEFAULT,
                )
            )
            break
    return out


def _verdict(results: list[bool]) -> Status:
    if not results:
        return "unknown"
    return "pass" if all(results) else "fail"


def check(constraint: Constraint, rec: ModelRecord) -> Check:
    """Check one constraint on one model. Conflicting sources must all pass."""
    name = constraint.describe()
    a = constraint.attribute
    if a in ("parameters", "context_window", "input_price", "output_price"):
        rows = parameters_of(rec) if a == "parameters" else [(n, t, s) for n, t, s in _values(rec, a) if n is not None]
        if not rows:
            return Check(constraint=name, status="unknown", detail=f"{a.replace('_', ' ')} unknown")
        limit = float(constraint.value)
        oks = [(n <= limit) if constraint.op == "<=" else (n >= limit) for n, _, _ in rows if n is not None]
        sym = "≤" if constraint.op == "<=" else "≥"
        shown = "; ".join(
            f"{human_number(n) if not a.endswith('price') else f'${n:g}'} "
            f"{sym if ok else ('>' if sym == '≤' else '<')} {_fmt(constraint)}"
            for (n, _, _), ok in zip(rows, oks, strict=True)
        )
        return Check(
            constraint=name,
            status=_verdict(oks),
            detail=f"{a.replace('_', ' ')} {shown}",
            sources=sorted({s for _, _, s in rows}),
        )
    if a in ("open_weights", "license"):
        verdicts = open_weights_of(rec)
        if a == "license":
            rows2 = _values(rec, "license")
            if not rows2:
                return Check(constraint=name, status="unknown", detail="license unknown")
            oks = [any(w in t.lower() for w in PERMISSIVE_LICENSES) for _, t, _ in rows2]
            return Check(
                constraint=name,
                status=_verdict(oks),
                detail="license " + "; ".join(t for _, t, _ in rows2),
                sources=sorted({s for _, _, s in rows2}),
            )
        if not verdicts:
            return Check(constraint=name, status="unknown", detail="weights availability unknown")
        return Check(
            constraint=name,
            status=_verdict([v for v, _, _ in verdicts]),
            detail="; ".join(t for _, t, _ in verdicts),
            sources=sorted({s for _, _, s in verdicts}),
        )
    if a == "runs_on":
        weights = check(Constraint("open_weights", "==", True, constraint.phrase), rec)
        limit = float(constraint.value)
        if weights.status != "pass" or limit <= 0:
            return Check(
                constraint=f"runs locally ({constraint.phrase})",
                status=weights.status,
                detail=weights.detail,
                sources=weights.sources,
            )
        size = check(Constraint("parameters", "<=", limit, constraint.phrase), rec)
        return Check(
            constraint=f"runs on {constraint.phrase}",
            status=size.status,
            detail=f"{weights.detail}; {size.detail}",
            sources=sorted({*weights.sources, *size.sources}),
        )
    return Check(constraint=name, status="unknown", detail="not checkable")


def check_all(constraints: list[Constraint], catalog: Catalog) -> dict[str, list[Check]]:
    """Every constraint on every model: model id -> checks in the order of the constraints."""
    return {mid: [check(c, rec) for c in constraints] for mid, rec in catalog.records.items()}
