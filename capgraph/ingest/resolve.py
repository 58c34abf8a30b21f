"""Model names -> canonical ids, and model names found inside free text.

Rules (DESIGN.md, "Name resolution"):
- The id is a slug of the name's alphanumeric tokens, so case, spacing, hyphens and dots do not split a
  model ("LLaMA 3-2 3B", "llama-3.2-3b" and "Llama 3.2 3B" are all `llama-3-2-3b`), while sizes and
  versions stay distinct tokens (`llama-3-2-1b` != `llama-3-2-3b`).
- A letter run of three or more glued to a digit is split ("gpt4o" -> `gpt-4o`), short prefixes are not
  ("o1", "r1", "h100").
- "Vendor: Name" sets the vendor; "Name (2024-08-06)" or "Name-2024-08-06" is a dated snapshot and
  "Name (qualifier)" an edition: both are variants of Name (`base_id`), with the qualifier in the id.
- An alias table maps other spellings to a canonical name: the defaults in `ingest.aliases`, extended by
  a JSON file (`Resolver.from_file`, or the path in `CAPGRAPH_ALIASES`).

`find_mentions` scans text token by token (linear in the text) for known names and for names shaped like
a model: a known family word followed by a version ("Llama 2 7B", "Gemini 2.0"). Words that are only
product names ("Copilot", "RunPod") are never matched unless a user alias makes them known.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from capgraph.errors import IngestError
from capgraph.ingest.aliases import DEFAULT_ALIASES, FAMILIES, KNOWN_MODELS, QUALIFIERS, TIERS_BEFORE_VERSION, VENDORS

ALIASES_ENV = "CAPGRAPH_ALIASES"

_WORD_RE = re.compile(r"[^\W_]+")
_GLUED_DIGIT_RE = re.compile(r"(?<=[^\W\d_]{3})(?=\d)")
_HAS_DIGIT_RE = re.compile(r"\d")
_SIZE_RE = re.compile(r"^\d+(?:x\d+)?[bm]$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_SUFFIX_RE = re.compile(r"^(.+?)[\s_-]+\(?(\d{4}-\d{2}-\d{2})\)?$")
_PAREN_RE = re.compile(r"^(.+?)\s*\(([^()]{1,60})\)$")
_PREFIX_RE = re.compile(r"^([A-Za-z][\w.&' -]{0,30}?)\s*:\s+(\S.*)$")
_WRAP_CHARS = " \t*_`\"'“”‘’[]<>•·-–—:;,.!?"
_JOINERS = frozenset({"", " ", "-", ".", "_", "\u00a0", "\u2011", "\u2010"})
_MAX_NAME_CHARS = 120
# A name ending in a bare number at least this large is a name glued to a score ("Claude 73").
MIN_GLUED_SCORE = 20
# Claude versions from which the tier comes first ("Claude Sonnet 4", but "Claude 3.5 Sonnet").
CLAUDE_TIER_FIRST_FROM = 4.0
_TRAILING_NUMBER_RE = re.compile(r"^[A-Za-z][\w.-]*(?: [A-Za-z][\w.-]*)* (\d{2,}(?:\.\d+)?|\d+\.\d{2,})$")
_CLAUDE_ORDER_RE = re.compile(r"^claude[ -](\d+(?:\.\d+)?)[ -](opus|sonnet|haiku)\b(.*)$", re.IGNORECASE)
_WINDOW_CHARS = 160
_WINDOW_TOKENS = 16
_CACHE_SIZE = 4096
MAX_ABBREVIATED = 2  # tokens a longer name may add to a short form that abbreviates it on one page
# Suffixes that name a tuned or packaged release of a base model, which is an artifact of its own.
FINE_TUNE_SUFFIXES = frozenset(
    {"instruct", "chat", "base", "it", "hf", "gguf", "awq", "gptq", "distill", "sft", "rlhf"}
)


@dataclass(frozen=True, slots=True)
class ResolvedName:
    """A canonical model name: `id` is the node id, `base_id` is set for snapshots and editions."""

    id: str
    name: str
    vendor: str | None = None
    base_id: str | None = None
    base_name: str | None = None
    family: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """A model name found in text, with its character span."""

    resolved: ResolvedName
    start: int
    end: int
    text: str


class _Token(NamedTuple):
    word: str
    start: int
    end: int


def _split_word(word: str, start: int) -> Iterator[_Token]:
    lower = word.lower()
    if not _HAS_DIGIT_RE.search(lower):
        yield _Token(lower, start, start + len(word))
        return
    pos = 0
    for cut in [m.start() for m in _GLUED_DIGIT_RE.finditer(lower)] + [len(lower)]:
        yield _Token(lower[pos:cut], start + pos, start + cut)
        pos = cut


def _tokens(text: str, offset: int = 0, limit: int | None = None) -> list[_Token]:
    out: list[_Token] = []
    for match in _WORD_RE.finditer(text):
        word = match.group(0)
        start = match.start() + offset
        if word.isalpha() or word.isdigit():
            out.append(_Token(word.lower(), start, start + len(word)))
        else:
            out.extend(_split_word(word, start))
        if limit is not None and len(out) >= limit:
            break
    return out


def slugify(name: str) -> str:
    """The id form of a name: lowercase alphanumeric tokens joined by '-' ("GPT-4o" -> "gpt-4o")."""
    text = unicodedata.normalize("NFKC", name)
    return "-".join(token.word for token in _tokens(text))


def _clean(name: str) -> str:
    text = " ".join(unicodedata.normalize("NFKC", name).split())
    text = re.sub(r"^(?:\d{1,2}[.)]\s+)", "", text)
    text = text.strip(_WRAP_CHARS)
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    if text.count("(") != text.count(")"):
        text = text.replace("(", " ").replace(")", " ")
        text = " ".join(text.split())
    return text.strip(_WRAP_CHARS)


class Resolver:
    """Canonical names for models; the default tables plus user aliases.

    >>> r = Resolver()
    >>> r.canonical("OpenAI: GPT-4o (2024-08-06)").base_id
    'gpt-4o'
    >>> r.canonical("LLaMA 3-2 3B").name
    'Llama 3.2 3B'
    """

    def __init__(self, aliases: Mapping[str, str] | None = None) -> None:
        self._names: dict[str, str] = {}
        for name in KNOWN_MODELS:
            self._names[slugify(name)] = name
        self._user_aliases = dict(aliases or {})
        for alias, target in {**DEFAULT_ALIASES, **self._user_aliases}.items():
            key = slugify(alias)
            if key:
                self._names[key] = target
        self._known: dict[tuple[str, ...], str] = {tuple(key.split("-")): key for key in self._names}
        self._families: dict[tuple[str, ...], tuple[str, str | None]] = {
            tuple(key.split("-")): value for key, value in FAMILIES.items()
        }
        self._starts = {key[0] for key in self._known} | {key[0] for key in self._families}
        self._max_known = max((len(key) for key in self._known), default=1)
        self._cache: dict[str, ResolvedName | None] = {}

    # construction -------------------------------------------------------------------------------
    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Resolver:
        """The defaults extended by a JSON object mapping alias -> canonical name."""
        return cls(load_aliases(path))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Resolver:
        """The defaults, extended by the file named in `CAPGRAPH_ALIASES` when it is set."""
        env = os.environ if environ is None else environ
        path = env.get(ALIASES_ENV, "").strip()
        return cls.from_file(path) if path else cls()

    @property
    def aliases(self) -> dict[str, str]:
        """The user aliases this resolver was built with (the defaults are in `ingest.aliases`)."""
        return dict(self._user_aliases)

    # names --------------------------------------------------------------------------------------
    def canonical(self, name: str) -> ResolvedName:
        """Resolve one model name; `ValueError` when it holds no letters or digits at all."""
        resolved = self.try_canonical(name)
        if resolved is None:
            raise ValueError(f"not a model name: {name!r}")
        return resolved

    def try_canonical(self, name: str) -> ResolvedName | None:
        """Like `canonical`, but None instead of an error (what the parsers use)."""
        if name in self._cache:
            return self._cache[name]
        resolved = self._resolve(name)
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        self._cache[name] = resolved
        return resolved

    def _resolve(self, name: str) -> ResolvedName | None:
        cleaned = _clean(name[: _MAX_NAME_CHARS * 2])[:_MAX_NAME_CHARS]
        if not any(ch.isalpha() for ch in cleaned) or _glued_score(cleaned) or _GLUED_CELL_RE.search(cleaned):
            return None
        cleaned = _O_SERIES_RE.sub(r"\1", _tier_first(cleaned))
        vendor: str | None = None
        prefix = _PREFIX_RE.match(cleaned)
        if prefix and (found := self.vendor_name(prefix.group(1))):
            vendor, cleaned = found, prefix.group(2).strip()
        resolved = self._qualified(cleaned) or self._plain(cleaned)
        if resolved is None:
            return None
        return replace(resolved, vendor=vendor) if vendor else resolved

    def _qualified(self, cleaned: str) -> ResolvedName | None:
        dated = _DATE_SUFFIX_RE.match(cleaned)
        paren = None if dated else _PAREN_RE.match(cleaned)
        match = dated or paren
        if match is None:
            return None
        base = self._plain(match.group(1))
        qualifier = match.group(2).strip()
        if base is None:
            return None
        if vendor := self.vendor_name(qualifier):
            return replace(base, vendor=vendor)
        suffix = slugify(qualifier)
        if not suffix:
            return base
        return ResolvedName(
            id=f"{base.id}-{suffix}",
            name=f"{base.name} ({qualifier})",
            vendor=base.vendor,
            base_id=base.id,
            base_name=base.name,
            family=base.family,
        )

    def _plain(self, cleaned: str) -> ResolvedName | None:
        key = slugify(cleaned)
        if not key:
            return None
        name = self._names.get(key)
        if name is not None:
            key = slugify(name) or key
        family = self._family(key)
        return ResolvedName(
            id=key,
            name=name or cleaned,
            vendor=family[1] if family else None,
            family=family[0] if family else None,
        )

    def _family(self, key: str) -> tuple[str, str | None] | None:
        parts = tuple(key.split("-"))
        return self._families.get(parts[:2]) or self._families.get(parts[:1])

    def with_aliases(self, extra: Mapping[str, str]) -> Resolver:
        """This resolver plus `extra` aliases (the user's own aliases win over them)."""
        return Resolver({**extra, **self._user_aliases}) if extra else self

    def page_aliases(self, text: str) -> dict[str, str]:
        """Short forms that only abbreviate one longer name on the same page: "Gemini 3.1" beside "Gemini 3.1
        Pro" (and no other "Gemini 3.1 ...") is that model. The short form must not be a model of its own in
        the alias tables ("GPT-4o" beside "GPT-4o mini" stays GPT-4o), and the longer name adds at most
        MAX_ABBREVIATED tokens, none a bare number ("Gemini 3" is not "Gemini 3.1 Pro") and none a fine-tune
        suffix ("Zeta-7B-Instruct" is a tuned release of "Zeta-7B", not its long name)."""
        found = {m.resolved.id: m.resolved.name for m in self.find_mentions(text) if m.resolved.base_id is None}
        out: dict[str, str] = {}
        for short, name in found.items():
            if short in self._names:
                continue
            longer = [
                long_name
                for long_id, long_name in found.items()
                if long_id.startswith(short + "-")
                and len(extra := long_id[len(short) + 1 :].split("-")) <= MAX_ABBREVIATED
                and not any(t.isdigit() or t in FINE_TUNE_SUFFIXES for t in extra)
            ]
            if len(longer) == 1:
                out[name] = longer[0]
        return out

    def vendor_name(self, text: str) -> str | None:
        """The canonical vendor for a vendor spelling ("openai" -> "OpenAI"); None if it is not one."""
        key = " ".join(text.strip().lower().split())
        if key in VENDORS:
            return VENDORS[key]
        return None

    def is_known(self, name: str) -> bool:
        """True when the name (after slugging) is in the default or user alias tables."""
        return slugify(name) in self._names

    def looks_like_model(self, text: str) -> bool:
        """True when all of `text` is one model name (known, or family + version)."""
        cleaned = _clean(text)
        if not cleaned:
            return False
        if self.is_known(cleaned):
            return True
        mentions = self.find_mentions(cleaned)
        if len(mentions) != 1:
            return False
        rest = cleaned[: mentions[0].start] + cleaned[mentions[0].end :]
        return not _WORD_RE.search(rest)

    # mentions in text ---------------------------------------------------------------------------
    def find_mentions(self, text: str) -> list[Mention]:
        """Every model name in `text`, left to right, longest match first ("o1/o3" gives two).

        Candidate positions come from `str.find` of the words a name can start with, so the cost is
        a few C-speed scans of the text plus work proportional to the candidates, not to every word.
        """
        mentions: list[Mention] = []
        covered = 0
        for pos in self._candidates(text):
            if pos < covered:
                continue
            tokens = _tokens(text[pos : pos + _WINDOW_CHARS], pos, _WINDOW_TOKENS)
            if not tokens or tokens[0].start != pos or tokens[0].word not in self._starts:
                continue
            if pos > 0 and _glued_before(text, pos):
                continue
            end = max(self._match_known(text, tokens, 0), self._match_family(text, tokens, 0))
            if end == 0:
                continue
            span = text[pos : tokens[end - 1].end]
            resolved = self.try_canonical(span)
            if resolved is None:
                continue
            mentions.append(Mention(resolved, pos, tokens[end - 1].end, span))
            end = self._siblings(text, tokens, 0, end, mentions)
            covered = tokens[end - 1].end
        return mentions

    def _candidates(self, text: str) -> list[int]:
        lower = text.lower()
        if len(lower) != len(text):  # a few characters change length when lowered; stay exact
            return sorted({t.start for t in _tokens(text) if t.word in self._starts})
        positions: set[int] = set()
        for word in self._starts:
            pos = lower.find(word)
            while pos != -1:
                if pos == 0 or not lower[pos - 1].isalnum():
                    positions.add(pos)
                pos = lower.find(word, pos + 1)
        return sorted(positions)

    def _run(self, text: str, tokens: list[_Token], i: int, limit: int) -> int:
        """How many tokens from i on are joined by name-internal separators (at most `limit`)."""
        j = i + 1
        while j < len(tokens) and j - i < limit and _sep(text, tokens[j - 1], tokens[j]) in _JOINERS:
            j += 1
        return j - i

    def _match_known(self, text: str, tokens: list[_Token], i: int) -> int:
        run = self._run(text, tokens, i, self._max_known)
        for length in range(run, 0, -1):
            if tuple(t.word for t in tokens[i : i + length]) in self._known:
                return i + length
        return i

    def _match_family(self, text: str, tokens: list[_Token], i: int) -> int:
        run = self._run(text, tokens, i, 10)
        words = [t.word for t in tokens[i : i + run]]
        if tuple(words[:2]) in self._families and len(words) >= 2:
            j = 2
        elif tuple(words[:1]) in self._families:
            j = 1
        else:
            return i
        has_version = any(_HAS_DIGIT_RE.search(w) for w in words[:j])
        while j < run:
            word = words[j]
            sep = _sep(text, tokens[i + j - 1], tokens[i + j])
            if _HAS_DIGIT_RE.search(word):
                if has_version and sep == " " and not _SIZE_RE.match(word):
                    break
                if has_version and sep == " " and word.endswith("m") and _tokens_follow(text, tokens[i + j].end):
                    break  # "GPT-5.4 1M tokens": a context window, not a size
                has_version = True
            elif word not in QUALIFIERS and (has_version or word not in TIERS_BEFORE_VERSION):
                break
            j += 1
        return i + j if has_version else i

    def _siblings(self, text: str, tokens: list[_Token], i: int, end: int, out: list[Mention]) -> int:
        """ "Llama 3.2 11B/90B": a size after a slash names a sibling of the model just matched."""
        if end - 1 <= i or not _SIZE_RE.match(tokens[end - 1].word):
            return end
        stem = text[tokens[i].start : tokens[end - 2].end]
        while (
            end < len(tokens) and _sep(text, tokens[end - 1], tokens[end]) == "/" and _SIZE_RE.match(tokens[end].word)
        ):
            span = f"{stem} {tokens[end].word.upper()}"
            resolved = self.try_canonical(span)
            if resolved is not None:
                out.append(Mention(resolved, tokens[end].start, tokens[end].end, span))
            end += 1
        return end


# "GPT-o3", "ChatGPT o1", "OpenAI o4-mini": OpenAI's o-series under a brand word is the o-series model.
_O_SERIES_RE = re.compile(r"^(?:chatgpt|gpt|openai)[-\s]+(o\d{1,2}\b.*)$", re.IGNORECASE)


def _tokens_follow(text: str, end: int) -> bool:
    return _TOKENS_AFTER_RE.match(text, end) is not None


_TOKENS_AFTER_RE = re.compile(r"\s?(?:tokens?|context|ctx)\b", re.IGNORECASE)


# A name run together with the next table cell ("GPT-4o128K", "Gemini 2.5 Pro1M", "GPT-4.11.05M",
# "Pro3.8sYesNo"): a qualifier or version glued to a size-like value, two decimals groups, or a run of
# capitalised words straight after a number. Such a string is not a name; the page names the model cleanly
# elsewhere, or the cell readers split it.
_GLUED_CELL_RE = re.compile(
    r"(?:^|[\s-])[A-Za-z]{2,}\d+(?:\.\d+)?[KkMm]$"  # "Pro1M", "Flash1M"
    r"|\d[a-wyz]\d{2,}[KkMmBb]?$"  # "4o128K" (not "8x22B")
    r"|\d\.\d+\.\d+[KkMmBb]?$"  # "4.11.05M"
    r"|\d\.\d{2,}[KkMm]$"  # "4.61M"
    r"|\d(?:\.\d+)?[a-z]{0,2}[A-Z][a-z]+[A-Z][a-z]"  # "3.8sYesNo"
)


def _glued_score(cleaned: str) -> bool:
    """ "Claude 73" (from "Claude 73/100"), "Claude Opus 489.4": a name followed by a score is not a name."""
    match = _TRAILING_NUMBER_RE.match(cleaned)
    return match is not None and float(match.group(1)) >= MIN_GLUED_SCORE


def _tier_first(cleaned: str) -> str:
    """ "Claude 4 Sonnet" -> "Claude Sonnet 4": from version 4 on, Anthropic names the tier first."""
    match = _CLAUDE_ORDER_RE.match(cleaned)
    if not match or float(match.group(1)) < CLAUDE_TIER_FIRST_FROM:
        return cleaned
    return f"Claude {match.group(2).capitalize()} {match.group(1)}{match.group(3)}"


def _sep(text: str, left: _Token, right: _Token) -> str:
    return text[left.end : right.start]


def _glued_before(text: str, pos: int) -> bool:
    """A name glued to the word before it by a hyphen or dot ("text-o1") is part of another name."""
    return text[pos - 1] in "-._" and pos > 1 and text[pos - 2].isalpha()


def load_aliases(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read a user alias file (a JSON object of alias -> canonical name); `IngestError` if unusable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IngestError(f"cannot read the alias file {str(path)!r}: {exc}") from exc
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip() for k, v in data.items()
    ):
        raise IngestError(f"the alias file {str(path)!r} must be a JSON object of alias -> canonical name")
    return {k.strip(): v.strip() for k, v in data.items()}


def default_resolver() -> Resolver:
    """The resolver `parse_text` uses when given none: defaults plus `CAPGRAPH_ALIASES`, read per call."""
    path = os.environ.get(ALIASES_ENV, "").strip()
    if not path:
        return _cached_resolver("", 0.0)
    try:
        mtime = os.stat(path).st_mtime
    except OSError as exc:
        raise IngestError(f"{ALIASES_ENV} points to {path!r}, which cannot be read: {exc}") from exc
    return _cached_resolver(path, mtime)


@lru_cache(maxsize=8)
def _cached_resolver(path: str, mtime: float) -> Resolver:
    return Resolver.from_file(path) if path else Resolver()
