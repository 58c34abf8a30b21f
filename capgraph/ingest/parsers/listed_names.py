"""Products, tools, frameworks and MCP servers that a page names only by its structure, not in a table.

Real comparison pages often list what they compare in prose and layout rather than in a table:
"Five AI coding assistants analyzed: GitHub Copilot, Cursor, Windsurf, Sourcegraph Cody, Pieces.",
"### 1. CrewAI", a heading line "Windsurf" over its bullets, "- **LangGraph**: ...", or a heading
"LangGraph vs CrewAI vs AutoGen". Names are found by shape and structure, with precision guarded:

- **shape** (`name_shape`): one to five words, each capitalized, a digit, or a name-like token ("vLLM",
  "llama.cpp", "@scope/pkg", "code2prompt"); no heading vocabulary ("Pricing", "Conclusion", "Setup"),
  no leading article or question word, not a benchmark, vendor or bare family word. A shape is *strong*
  when it holds a digit, an inner capital ("LangGraph"), a separator inside a token, or several words;
  a single plain capitalized word ("Cursor", "Pieces") is *weak*: it is also an English word.
- **structure**, strongest first:
  1. the sides of an "A vs B [vs C]" title or heading (then compared with each other);
  2. an enumeration introduced by a category noun ("N tools analyzed: A, B and C", "frameworks — A, B,
     and C", "servers such as A, B"): at least two items must have the shape; with a count word ("five",
     "3"), a comparison word before the list ("a comparison of the leading models: A, B, and C") or
     one after it ("Models in 2026: A, B, C Compared") the page compares them, so they are compared with
     each other. A dot inside a version ("Gemini 2.5 Flash") does not end the list;
  3. heading lines (markdown "#", numbered "1. Name", or a short standalone line): the name must also be
     repeated in the text (twice in all for a strong shape or a numbered heading, else three times);
  4. bullet leads ("- Name: ...", "• @scope/pkg has ..."), and the pick of a verdict bullet ("- Best inline
     completions: GitHub Copilot (...)"): strong shapes only, repeated in the text.
Runs after the other readers: a name they found already resolves to the same model and is only enriched.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from capgraph.ingest.aliases import FAMILIES
from capgraph.ingest.parsers.builder import ExtractionBuilder
from capgraph.ingest.parsers.common import Document
from capgraph.ingest.parsers.prose_terms import BENCH_RE

MAX_WORDS = 5
MAX_NAME_CHARS = 60
MAX_LINE_CHARS = 2000
MAX_HEADING_CHARS = 60
# Occurrences in the whole text a heading name needs (the heading itself included).
STRONG_REPEATS = 2
WEAK_REPEATS = 3
MAX_LISTED = 40  # names taken from one text by these rules: a page is not a directory
# Only the opening of a text is read (a page lists what it compares near the top); keeps a 50 MB text linear.
SCAN_CHARS = 200_000

Add = Callable[[str, str | None], str | None]


_CATEGORY = (
    r"(?:assistants?|tools?|frameworks?|servers?|packages?|libraries|library|runtimes?|products?|platforms?|"
    r"editors?|IDEs?|apps?|applications?|options?|alternatives?|agents?|engines?|services?|models?|"
    r"extensions?|plugins?|clients?|projects?|solutions?|providers?|SDKs?|CLIs?|APIs?|UIs?|interfaces?)"
)
_COUNT = r"(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
# "<count>? ... <category> [verb]? : | — | such as | like | including  <list>": the category word is found
# first, then the list is matched from there (anchored), so a line costs one scan, not one try per position.
_CATEGORY_RE = re.compile(rf"\b{_CATEGORY}\b", re.IGNORECASE)
_LIST_RE = re.compile(
    r"[^:;.—–]{0,40}?(?:\s*[:—–]\s*|\s+(?:such as|like|including|namely|are|were)\s+)"
    r"(?P<items>(?:[^.;:—–]|(?<=\d)\.(?=\d)){3,400})",  # a dot inside a version ("2.5") is no end
    re.IGNORECASE,
)
_INTRO_CHARS = 80
_COUNT_RE = re.compile(rf"(?<![\w.-]){_COUNT}(?![\w.%-])", re.IGNORECASE)  # not the "4" of "Phi-4"
# An intro that says the page compares what it lists ("a comparison of A, B and C", "A, B and C compared").
_COMPARE_RE = re.compile(r"\b(?:compar\w*|vs\.?|versus|head[- ]to[- ]head|side[- ]by[- ]side)(?!\w)", re.IGNORECASE)
_COMPARED_TAIL_RE = re.compile(
    r"\s+(?:compared|tested|reviewed|benchmarked|ranked|head[- ]to[- ]head)\s*$", re.IGNORECASE
)
# "Microsoft's Playwright MCP": an owner's capitalized name carrying the protocol's name as its product suffix.
_MCP_NAME_RE = re.compile(r"(?:'s|’s)\s((?:[A-Z][\w.-]*\s){1,2}MCP)(?![\w-])")
# "Qwen 2.5 Max developed by Alibaba Cloud": the maker after an item is not part of its name.
_MAKER_TAIL_RE = re.compile(r"\s+(?:(?:developed|made|built|created|released)\s+by|by|from)\s+[A-Z][\w.&' -]{0,40}$")
_SPLIT_ITEMS_RE = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
_PAREN_RE = re.compile(r"\s*\([^()]{0,80}\)")
_LEAD_WORDS_RE = re.compile(r"^(?:(?:the|a|an|its|their|our|both|either|official|unscoped|open-source|new)\s+)+")
_MD_HEADING_RE = re.compile(r"^#{1,6}\s+(.+?)\s*#*$")
_NUMBERED_RE = re.compile(r"^(?:#{1,6}\s*)?\d{1,2}[.)]\s+(.+)$")
_BULLET_RE = re.compile(r"^(?:[-*•·▪◦]|\d{1,2}[.)])\s+(.+)$")
_BULLET_LEAD_RE = re.compile(
    r"^\*\*(.+?)\*\*|^(.+?)(?:\s*:\s|\s+[—–-]\s)|^(\S+)\s"
)  # "**Name**", "Name: ...", "Name — ...", or a first word ("@scope/pkg has ...", strong shapes only)
_BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
# A verdict bullet: "Best inline completions: GitHub Copilot (98% ...)", "Top pick → Claude Code".
_VERDICT_RE = re.compile(
    r"^\**(?:best|top|winner|our pick|pick|runner[- ]up)\b[^:→]{0,50}(?::|→)\**\s*\**(?P<name>[^(*,;.:—–]{2,60})",
    re.IGNORECASE,
)
_VS_SPLIT_RE = re.compile(r"\s+(?:vs\.?|versus)\s+", re.IGNORECASE)
_TRAIL_RE = re.compile(r"\s*[:—–-]\s.*$|\s*[:]$")
_NAME_TOKEN_RE = re.compile(
    r"^(?:[A-Z0-9][\w.+'’-]*|@[\w.-]+/[\w.-]+|[a-z][\w-]*[A-Z0-9.\-/_][\w./-]*)$"  # Word | @scope/pkg | vLLM, llama.cpp
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# What a category word says the listed things are (the stored kind a page's "Type" row would give);
# a word missing here ("models", "options", "alternatives") says nothing of the kind.
_CATEGORY_KIND = {
    **dict.fromkeys(_words("assistant editor ide app application product platform service solution client"), "Product"),
    **dict.fromkeys(
        _words("tool framework library librarie package runtime engine extension plugin sdk cli project"), "Tool"
    ),
}


_STRONG_TOKEN_RE = re.compile(r"\d|[a-z][A-Z]|[A-Z]{2,}[a-z]|\w[./_@-]\w|^@")
_STARTERS = _words(
    """the a an this that these those our your my their its how why what when where which who best top key final
    new next more most all each every some other using use with for about from into vs versus step part
    chapter section table figure appendix option tier plan get try sign start learn read see click download
    subscribe join buy view explore compare choose build run install check visit"""
)
_HEADING_WORDS = _words(
    """pricing price prices cost costs conclusion conclusions overview introduction summary features feature
    performance setup installation install requirements requirement benchmarks benchmark results result verdict
    faq faqs contents takeaways takeaway pros cons limitations limitation cases started thoughts recommendation
    recommendations comparison comparisons architecture security community support documentation ecosystem
    integration integrations speed quality privacy methodology references appendix background notes details
    example examples line tl dr alternatives migration configuration deployment licensing license licence
    findings research report modes mode settings matrix decision executive analysis review reviews verdicts
    winner winners considerations strengths weaknesses use usage guide tutorial tips questions answers
    resources links sources related updates update changelog history version versions about contact home
    blog news login key keys menu search share comments reply next previous privacy terms cookies policy
    risk risks score scores breakdown dimension dimensions overall freshness adoption trust criteria
    capabilities capability workflow workflows memory persistence tools tooling model models core highlights
    specs specifications spec hardware latency throughput accuracy cost-effectiveness ratings rating ranking
    rankings leaderboard table chart charts data dataset datasets testing tests test evaluation evaluations"""
)


def name_shape(text: str, builder: ExtractionBuilder) -> bool | None:
    """None when `text` cannot be a product name, else True for a strong shape and False for a weak one."""
    name = text.strip(" \t*_`\"'“”‘’.,;!?")
    words = name.split()
    if not words or len(words) > MAX_WORDS or len(name) > MAX_NAME_CHARS:
        return None
    if words[0].lower() in _STARTERS or any(w.lower().strip("&:") in _HEADING_WORDS for w in words):
        return None
    if any(w.endswith(("'s", "’s")) for w in words):
        return None  # a possessive phrase ("Automatic1111's Web UI") is about a name, not one
    if not all(_NAME_TOKEN_RE.match(w) for w in words) or not any(ch.isalpha() for ch in name):
        return None
    if BENCH_RE.fullmatch(name) or name.lower() in FAMILIES or builder.resolver.vendor_name(name):
        return None
    if len(words) > 1 and builder.resolver.vendor_name(words[0]) and words[1][:1].islower():
        return None
    return len(words) > 1 or bool(_STRONG_TOKEN_RE.search(name))


def read_listed_names(doc: Document, builder: ExtractionBuilder) -> None:
    """Add the products the text names by structure (see the module docstring)."""
    taken: list[str] = []

    def add(name: str, kind: str | None = None) -> str | None:
        if len(taken) >= MAX_LISTED:
            return None
        model_id = _vendor_named(name, builder, kind) or builder.model(name, kind=kind)
        if model_id is not None and model_id not in taken:
            taken.append(model_id)
        return model_id

    head = doc.text[:SCAN_CHARS]
    counts: dict[str, int] = {}

    def repeats(name: str) -> int:
        if name not in counts:
            counts[name] = _repeats(name, head)
        return counts[name]

    lines: list[str] = []
    size = 0
    for line in doc.lines:
        if size > SCAN_CHARS:
            break
        lines.append(line.strip())
        size += len(line) + 1
    for k, line in enumerate(lines):
        if not line or len(line) > MAX_LINE_CHARS:
            continue
        heading = _heading_text(line, lines, k)
        if heading is not None and _VS_SPLIT_RE.search(heading):
            _vs_names(heading, builder, add)
            continue
        for category in _CATEGORY_RE.finditer(line):
            listed = _LIST_RE.match(line, category.end())
            if listed is not None:
                intro = re.split(r"[:;.—–]", line[max(0, category.start() - _INTRO_CHARS) : category.start()])[-1]
                kind = _kind(category.group(0), intro)
                _enumeration(listed.group("items"), intro, kind, builder, add)
        for match in _MCP_NAME_RE.finditer(line):
            if name_shape(match.group(1), builder):
                add(match.group(1), "MCP Server")
        if heading is not None:
            name = _TRAIL_RE.sub("", _PAREN_RE.sub("", heading)).strip()
            shape = name_shape(name, builder)
            strong = shape or _NUMBERED_RE.match(line) is not None  # "1. Name": a numbered list of things
            if shape is not None and repeats(name) >= (STRONG_REPEATS if strong else WEAK_REPEATS):
                add(name, None)
            continue
        bullet = _BULLET_RE.match(line)
        if bullet is not None:
            lead = _bullet_lead(bullet.group(1))
            if lead and name_shape(lead, builder) and repeats(lead) >= STRONG_REPEATS:
                add(lead, None)
            verdict = _VERDICT_RE.match(bullet.group(1))
            pick = _PAREN_RE.sub("", verdict.group("name")).strip(" *") if verdict else ""
            if pick and name_shape(pick, builder) and repeats(pick) >= STRONG_REPEATS:
                add(pick, None)


def _vendor_named(name: str, builder: ExtractionBuilder, kind: str | None) -> str | None:
    """ "Microsoft AutoGen" is AutoGen by Microsoft: the vendor word is the maker, not part of the name."""
    first, _, rest = name.partition(" ")
    vendor = builder.resolver.vendor_name(first)
    if vendor is None or name_shape(rest, builder) is None:
        return None
    whole = builder.resolver.try_canonical(name)
    if whole is not None and whole.family is not None:
        return None  # "Qwen 2.5 Max", "DeepSeek R1": the vendor's word is the model family, part of the name
    resolved = builder.resolver.try_canonical(rest)
    return builder.add_resolved(resolved, raw=name, vendor=vendor, kind=kind) if resolved else None


def _heading_text(line: str, lines: list[str], k: int) -> str | None:
    """The text of a heading line: markdown, numbered, or a short standalone line before a blank or a bullet."""
    if len(line) > MAX_HEADING_CHARS + 8:
        return None
    for pattern in (_NUMBERED_RE, _MD_HEADING_RE):
        match = pattern.match(line)
        if match:
            return match.group(1).strip()
    if _BULLET_RE.match(line) or line.endswith((".", ",", ";", "!", "?")) or len(line) > MAX_HEADING_CHARS:
        return None
    before = lines[k - 1] if k > 0 else ""
    after = next((x for x in lines[k + 1 : k + 3] if x), "")
    if before == "" and (lines[k + 1 : k + 2] == [""] or _BULLET_RE.match(after) is not None):
        return line
    return None


def _vs_names(heading: str, builder: ExtractionBuilder, add: Add) -> None:
    sides = [_TRAIL_RE.sub("", _PAREN_RE.sub("", s)).strip() for s in _VS_SPLIT_RE.split(heading)]
    sides[-1] = re.split(r"\s*[:|,?(]\s*|\s+(?:in|for|on|—|–)\s+", sides[-1], maxsplit=1)[0]
    sides[0] = re.split(r"\s*[:|,]\s*", sides[0])[-1]
    if len(sides) < 2 or any(name_shape(s, builder) is None for s in sides):
        return
    _add_all(sides, builder, add, compare=True)


def _kind(category: str, intro: str) -> str | None:
    word = category.lower().removesuffix("s")
    if word == "server":
        return "MCP Server" if re.search(r"\bMCP\b", intro) else "Tool"
    return _CATEGORY_KIND.get(word)


def _enumeration(items_text: str, intro: str, kind: str | None, builder: ExtractionBuilder, add: Add) -> None:
    raw = _BOLD_RE.sub(r"\1", items_text)
    tail = _COMPARED_TAIL_RE.search(raw)  # "A, B and C Compared": the list is what the page compares
    raw = raw[: tail.start()] if tail else raw
    parts = [x.strip(" *") for x in _SPLIT_ITEMS_RE.split(raw) if x.strip(" *")]
    items = [_MAKER_TAIL_RE.sub("", _LEAD_WORDS_RE.sub("", _PAREN_RE.sub("", x))).strip(" *") for x in parts]
    named = [x for x in items if name_shape(x, builder) is not None]
    # every item must be a name, except a tail the list runs into ("A, B and C in three months")
    if len(named) < 2 or named != items[: len(named)] or len(items) - len(named) > 1:
        return
    compared = tail is not None or _COUNT_RE.search(intro) is not None or _COMPARE_RE.search(intro) is not None
    _add_all(named, builder, add, kind=kind, compare=compared)
    for name, part in zip(named, parts, strict=False):
        # "Microsoft AutoGen (AG2)": a short name in parentheses is the same product's other name
        inner = re.search(r"\(([^()]{2,30})\)", part)
        model_id = add(name, kind) if inner else None  # already added: this only returns its id
        resolved = builder.resolver.try_canonical(model_id) if model_id else None
        if inner and resolved and resolved.id == model_id and name_shape(inner.group(1), builder):
            builder.add_resolved(resolved, raw=inner.group(1))


def _add_all(names: list[str], builder: ExtractionBuilder, add: Add, *, compare: bool, kind: str | None = None) -> None:
    ids = [i for i in (add(n, kind) for n in names) if i is not None]
    if compare:
        builder.compare_group(ids)


def _bullet_lead(item: str) -> str | None:
    match = _BULLET_LEAD_RE.match(item)
    if match is None:
        return None
    lead = next(g for g in match.groups() if g is not None)
    return _PAREN_RE.sub("", lead).strip()


def _repeats(name: str, text: str) -> int:
    """How often the text spells the name as a whole word (case-sensitive: "Cursor", not "cursor"), not
    followed by another name word ("GPT-4" in "GPT-4 Turbo" is the longer name)."""
    return len(re.findall(rf"(?<![\w@/-]){re.escape(name)}(?![\w/-])(?!\s[A-Z0-9])", text))
