"""Typed constraints in a search query ("under 10B parameters", "open weights") checked against claims.

Rule-based: each pattern turns a phrase into (attribute, operator, value). A check reads the model's
sourced claims for that attribute and says pass, fail or unknown, with the value and its source. An
unknown value is never a match. Claim attributes are read through `canonical_attribute`, so both the
extraction's canonical names (context_window, input_price, parameters, open_weights, license,
self_hostable) and older table labels (context_length, total_parameters, input_price_1_m_tok) work.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from capgraph.graph.search.kinds import profile
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
_LE = (
    r"(?:under|below|less than|smaller than|cheaper than|lower than|at most|up to|no more than|not above|"
    r"max(?:imum)?|<=?|≤)"
)
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
        re.compile(
            rf"\boutput(?:\s+tokens?)?\s+(?:price|cost|pricing)s?\s*(?:is\s*|of\s*)?({_LE})\s*\$\s*{_NUM}"
            rf"(?:\s*(?:per|/)\s*(?:1\s*m|million|1m)\s*(?:tokens?)?)?",
            re.I,
        ),
        "output_price",
        "<=",
    ),
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
# Named licences (the general vocabulary of licences, not of one page): a query naming one asks for that one.
# "permissive" stands for any of PERMISSIVE_LICENSES; "proprietary" for a closed licence or closed weights.
LICENSE_NAMES: dict[str, re.Pattern[str]] = {
    "apache": re.compile(r"\bapache\b", re.I),
    "mit": re.compile(r"\bmit\b", re.I),
    "bsd": re.compile(r"\bbsd\b", re.I),
    "gpl": re.compile(r"\b[al]?gpl\b", re.I),
    "gemma": re.compile(r"\bgemma\b", re.I),
    "llama": re.compile(r"\bllama\b", re.I),
    "qwen": re.compile(r"\bqwen\b", re.I),
    "openrail": re.compile(r"\b(?:creativeml )?open ?rail", re.I),
    "cc-by": re.compile(r"\bcc[- ]by", re.I),
    "proprietary": re.compile(r"\b(?:proprietary|closed|restrictive|commercial api|api[- ]only)\b", re.I),
}
_LICENSE_RE = re.compile(
    r"\b(?:(apache)(?:[- ]?2(?:\.0)?)?|(mit)|(bsd)|([al]?gpl)(?:[- ]?v?\d(?:\.0)?)?|(gemma)|(llama)|(qwen))"
    r"(?:[- ](?:community|terms(?: of use)?))*[- ]?(?:licen[cs](?:ed?|ing)|terms(?: of use)?)\b"
    r"|\b(apache)[- ]?2(?:\.0)?\b|\b((?:a|l)?gpl)(?:[- ]?v?\d(?:\.0)?)?\b"
    r"|\b(proprietary|closed[- ]source|closed|restrictive)(?:[- ](?:licen[cs](?:ed?|e)|model|weights?))+\b",
    re.I,
)
_LICENSE_GROUPS = ("apache", "mit", "bsd", "gpl", "gemma", "llama", "qwen", "apache", "gpl", "proprietary")
_OPEN_RE = re.compile(r"\bopen[- ]?(?:weights?|source|model)\b|\bweights (?:are )?(?:available|released)\b", re.I)
_PERMISSIVE_RE = re.compile(
    r"\b(apache(?:[- ]?2(?:\.0)?)?(?: licen[cs](?:ed?|ing))?|mit[- ]licen[cs](?:ed?|ing)|"
    r"permissive(?:ly licensed| licen[cs]e)?|"
    r"commercial(?:ly)? us(?:e|able)|(?:for|in) (?:an? )?commercial (?:products?|projects?|apps?|settings?))\b",
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


# Prices per something other than tokens: a token-price constraint or order would answer another question.
_OTHER_PRICE_UNIT = re.compile(r"\b(?:per|a|/)\s*(?:min(?:ute)?|hour|hr|image|month|seat|user|request)s?\b", re.I)


_PRICE_UNIT = re.compile(
    r"(?:\b(?:per|a)\s+|/\s*)(?:1\s*m\b|1m\b|one million\b|million\b|m\b)"
    r"\s*(?:(?:input|output|prompt)\s*)?(?:tokens?\b)?",
    re.I,
)


@dataclass(frozen=True)
class Order:
    """A superlative of the query ("cheapest", "largest context"): hits with a known value go first, by it."""

    attribute: str  # parameters | context_window | input_price
    ascending: bool
    phrase: str

    def describe(self) -> str:
        return f"sorted by {self.attribute.replace('_', ' ')}, {'lowest' if self.ascending else 'highest'} first"


_ORDERS: list[tuple[re.Pattern[str], str, bool]] = [
    (
        re.compile(r"\b(cheapest|least expensive|lowest[- ](?:price|cost)|lowest[- ]priced|most affordable)\b", re.I),
        "input_price",
        True,
    ),
    (
        re.compile(
            r"\b(?:largest|longest|biggest|most|maximum|max)\s+(?:context(?:\s+(?:window|length|size))?|token window)",
            re.I,
        ),
        "context_window",
        False,
    ),
    (re.compile(r"\b(smallest|tiniest|most compact)\b(?!\s+context)", re.I), "parameters", True),
    (re.compile(r"\b(largest|biggest)\s+(?:open[- ]weights?\s+)?(?:model|llm)s?\b", re.I), "parameters", False),
]


def parse_order(query: str) -> Order | None:
    """The first superlative over a typed attribute the query states, if any (token prices only)."""
    for pattern, attribute, ascending in _ORDERS:
        m = pattern.search(query)
        if m and not (attribute == "input_price" and _OTHER_PRICE_UNIT.search(query)):
            return Order(attribute, ascending, m.group(0))
    return None


def order_value(order: Order, rec: ModelRecord) -> float | None:
    """The value an Order sorts by: the median of the model's sourced values (None when no source states it)."""
    if order.attribute == "parameters":
        nums = [n for n, _, s in parameters_of(rec) if s != NAME_SOURCE] or [n for n, _, _ in parameters_of(rec)]
    else:
        nums = [n for n, _, _ in _values(rec, order.attribute) if n is not None]
    return float(sorted(nums)[len(nums) // 2]) if nums else None


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
    named = _LICENSE_RE.search(rest)
    if named:
        group = next(i for i, g in enumerate(named.groups()) if g)
        found.append(Constraint("license", "==", _LICENSE_GROUPS[group], named.group(0).strip()))
        seen.add("license")
        rest = rest.replace(named.group(0), " ")
    for regex, attribute, value in (
        (_OPEN_RE, "open_weights", True),
        (_PERMISSIVE_RE, "license", "permissive"),
        (_CHEAP_RE, "input_price", CHEAP_INPUT_PRICE),
    ):
        if attribute == "input_price" and _OTHER_PRICE_UNIT.search(rest):
            continue  # "cheapest per minute of audio" is no token price: left to the words
        word = regex.search(rest)
        if word and attribute not in seen:
            found.append(Constraint(attribute, "<=" if attribute == "input_price" else "==", value, word.group(0)))
            seen.add(attribute)
            rest = regex.sub(" ", rest)  # every phrase of it ("permissively licensed ... for commercial use")
    if any(c.attribute.endswith("price") for c in found):  # "per 1M input tokens" is the price's unit, not a need
        rest = _PRICE_UNIT.sub(" ", rest)
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


# Jobs (kinds.Job) that run on the user's own machine by what they are: inference runtimes and local UIs.
LOCAL_JOBS = frozenset({"runtime", "image_tool"})
JOB_SOURCE = "its kind (general knowledge, no source)"
HARDWARE_ATTRIBUTES = ("hardware", "gpu", "vram", "runs_on", "deployment", "device")
_HARDWARE_WORDS = re.compile(
    r"\b(single|one|1|h100|a100|gpu|laptop|phone|mobile|edge|cpu|mac(?:book)?|consumer)\b", re.I
)


def _hardware_words(text: str) -> set[str]:
    """ "One NVIDIA H100 GPU" -> {"single", "h100", "gpu"}: "one" and "1" say "single"."""
    words = {w.lower() for w in _HARDWARE_WORDS.findall(text)}
    return {"single" if w in ("one", "1") else w for w in words}


def _hardware_stated(constraint: Constraint, rec: ModelRecord) -> Check | None:
    """A page stating the hardware itself ("Single NVIDIA H100 GPU (with Int4 quantization)") answers a
    hardware phrase of the query directly: pass when the claim names every hardware word of the phrase."""
    wanted = _hardware_words(constraint.phrase)
    if not wanted:
        return None
    for claim in rec.claims:
        attribute = canonical_attribute(claim.attribute)
        if any(h in attribute for h in HARDWARE_ATTRIBUTES) and wanted <= _hardware_words(claim.value):
            source = (claim.source_title or claim.source_id[:12]).removeprefix("URL:").strip()
            return Check(
                constraint=f"runs on {constraint.phrase}",
                status="pass",
                detail=f"{attribute.replace('_', ' ')} {claim.value}",
                sources=[source],
            )
    return None


def stated_locally(constraint: Constraint, passages: Sequence[tuple[str, str]]) -> Check | None:
    """ "Runs locally" read off the model's own sentences when no claim says it ("None (local processing)"):
    `passages` are (text, source) of the sentences and rows that name the model. The words are shown."""
    if constraint.attribute != "runs_on" or float(constraint.value) > 0:
        return None
    for text, source in passages:
        m = _LOCAL_RE.search(text)
        if m:
            start = max(0, m.start() - 60)
            return Check(
                constraint=f"runs locally ({constraint.phrase})",
                status="pass",
                detail=f"a page says: …{text[start : m.end() + 40].strip()}…",
                sources=[source],
            )
    return None


def check(constraint: Constraint, rec: ModelRecord, job: str | None = None) -> Check:
    """Check one constraint on one model. Conflicting sources must all pass. `job` (kinds.Job) lets
    "runs locally" pass a runtime or local UI on what it is; without it, it is derived from the record."""
    if job is None and constraint.attribute == "runs_on":
        job = profile(rec).job
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
            if not rows2 and constraint.value == "proprietary" and verdicts:  # closed weights say it too
                return Check(
                    constraint=name,
                    status=_verdict([not v for v, _, _ in verdicts]),
                    detail="; ".join(t for _, t, _ in verdicts),
                    sources=sorted({s for _, _, s in verdicts}),
                )
            if not rows2:
                return Check(constraint=name, status="unknown", detail="license unknown")
            wanted = str(constraint.value)
            if wanted == "permissive":
                oks = [any(w in t.lower() for w in PERMISSIVE_LICENSES) for _, t, _ in rows2]
            else:
                oks = [bool(LICENSE_NAMES[wanted].search(t)) for _, t, _ in rows2]
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
        stated = _hardware_stated(constraint, rec)
        if stated is not None:
            return stated
        if job in LOCAL_JOBS:  # a runtime or a local UI runs on your machine whatever its weights
            where = _values(rec, "runs_locally") or _values(rec, "self_hostable")
            return Check(
                constraint=f"runs locally ({constraint.phrase})",
                status="pass",
                detail=f"a local {job.replace('_', ' ')}" + (f"; runs locally: {where[0][1]}" if where else ""),
                sources=sorted({s for _, _, s in where}) or [JOB_SOURCE],
            )
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
