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
from capgraph.ingest.aliases import (
    CAPITAL_QUALIFIERS,
    DEFAULT_ALIASES,
    FAMILIES,
    KNOWN_MODELS,
    QUALIFIERS,
    TIERS_BEFORE_VERSION,
    VENDORS,
)
from capgraph.ingest.name_shapes import (
    GLUED_CELL_RE,
    GLUED_VENDOR_END_RE,
    GLUED_VENDORS,
    NAME_SLASH_RE,
    O_SERIES_RE,
    PAREN_SIZE_RE,
    RELEASE_TAG_RE,
    SIBLING_JOINERS,
    glued_score,
    split_glued_vendor,
    tier_first,
)

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


def _split_glued(parts: tuple[str, str], start: int) -> list[_Token]:
    head, vendor = parts
    cut = start + len(head)
    tokens = [_Token(head.lower(), start, cut)] if head.isalpha() or head.isdigit() else list(_split_word(head, start))
    return [*tokens, _Token(vendor.lower(), cut, cut + len(vendor))]


def _tokens(text: str, offset: int = 0, limit: int | None = None) -> list[_Token]:
    out: list[_Token] = []
    for match in _WORD_RE.finditer(text):
        word = match.group(0)
        start = match.start() + offset
        if word.isalpha() or word.isdigit():
            if word.endswith(GLUED_VENDORS) and (glued := split_glued_vendor(word)):
                out.extend(_split_glued(glued, start))  # "ProGoogle": the vendor is a word of its own
            else:
                out.append(_Token(word.lower(), start, start + len(word)))
        elif word.endswith(GLUED_VENDORS) and (glued := split_glued_vendor(word)):
            out.extend(_split_glued(glued, start))  # "GPT-4oOpenAI"
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
        self._family_starts = {key[0] for key in self._families}
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
        vendor: str | None = None
        glued = GLUED_VENDOR_END_RE.search(cleaned)
        if glued is not None and glued.start() >= 2:  # "GPT-4oOpenAI": a name glued to its maker's cell
            vendor, cleaned = self.vendor_name(glued.group(0)), cleaned[: glued.start()]
        if not any(ch.isalpha() for ch in cleaned) or glued_score(cleaned) or GLUED_CELL_RE.search(cleaned):
            return None
        if self._two_names(cleaned):
            return None  # "GPT-4.5 / GPT-4-turbo" names two models, not one
        cleaned = O_SERIES_RE.sub(r"\1", tier_first(cleaned))
        prefix = _PREFIX_RE.match(cleaned)
        if prefix and (found := self.vendor_name(prefix.group(1))):
            vendor, cleaned = found, prefix.group(2).strip()
        elif lead := self._vendor_lead(cleaned):
            vendor, cleaned = lead
            cleaned = tier_first(cleaned)
        resolved = self._qualified(cleaned) or self._plain(cleaned)
        if resolved is None:
            return None
        return replace(resolved, vendor=vendor) if vendor else resolved

    def _two_names(self, cleaned: str) -> bool:
        """ "GPT-4.5 / GPT-4-turbo": two or more slash-separated parts that each start like a model and hold
        a version ("Llama 3.2 11B/90B" is one name with a sibling size, handled by `find_mentions`)."""
        parts = NAME_SLASH_RE.split(cleaned)
        if len(parts) < 2:
            return False
        named = 0
        for part in parts:
            tokens = _tokens(part, limit=2)
            named += bool(tokens and tokens[0].word in self._starts and _HAS_DIGIT_RE.search(part))
        return named >= 2

    def _vendor_lead(self, cleaned: str) -> tuple[str, str] | None:
        """ "Meta-Llama 3.1 405B", "meta-llama/Llama-3.1-8B", "Google Gemini 2.5 Pro": (vendor, the name after
        it) when a vendor spelling is followed by a name that starts like a model family; the longest vendor
        spelling wins ("Meta AI Llama 3")."""
        best: tuple[str, str] | None = None
        for sep in _LEAD_SEP_RE.finditer(cleaned[:_MAX_VENDOR_LEAD]):
            vendor = self.vendor_name(cleaned[: sep.start()])
            rest = cleaned[sep.end() :].strip()
            tokens = _tokens(rest, limit=1)
            if vendor and tokens and tokens[0].start == 0 and tokens[0].word in self._family_starts:
                best = (vendor, rest)
        return best

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
        if PAREN_SIZE_RE.match(qualifier):
            return self._sized(base, match.group(1), qualifier)
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

    def _sized(self, base: ResolvedName, stem: str, size: str) -> ResolvedName | None:
        """ "Phi-3-mini (3.8B)": a size after a name that already holds one, or after a tier ("mini"), only
        describes that model; after a bare version ("Gemma 2 (9B)") it is part of the name ("Gemma 2 9B")."""
        words = base.id.split("-")
        if any(_SIZE_RE.match(w) for w in words) or words[-1] in QUALIFIERS or words[-1] in TIERS_BEFORE_VERSION:
            return base
        return self._plain(f"{stem} {size.split()[0]}")

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
                if has_version and sep == " " and not _SIZE_RE.match(word) and not RELEASE_TAG_RE.match(word):
                    break
                if has_version and sep == " " and word.endswith("m") and _tokens_follow(text, tokens[i + j].end):
                    break  # "GPT-5.4 1M tokens": a context window, not a size
                has_version = True
            elif word in CAPITAL_QUALIFIERS and has_version:
                if sep not in "-_" and not text[tokens[i + j].start].isupper():
                    break  # "Qwen2.5-Max", "Qwen 2.5 Max" name a model; "GPT-4o max output" is prose
            elif word not in QUALIFIERS and (has_version or word not in TIERS_BEFORE_VERSION):
                break
            j += 1
        return i + j if has_version else i

    def _siblings(self, text: str, tokens: list[_Token], i: int, end: int, out: list[Mention]) -> int:
        """ "Llama 3.2 11B/90B", "Gemma 2B and 7B", "Llama 2 7B, 13B and 70B", "DeepSeek V3 & V2.5": a size (or a
        version tag) listed right after the model just matched names a sibling of it."""
        shape = _SIZE_RE if _SIZE_RE.match(tokens[end - 1].word) else RELEASE_TAG_RE
        if end - 1 <= i or not shape.match(tokens[end - 1].word):
            return end
        stem = text[tokens[i].start : tokens[end - 2].end]
        while end < len(tokens):
            nxt = end
            if tokens[end].word in ("and", "or") and end + 1 < len(tokens):
                joined = _sep(text, tokens[end - 1], tokens[end]) + tokens[end].word
                joined += _sep(text, tokens[end], tokens[end + 1])
                nxt = end + 1 if joined.replace(",", "").strip() in ("and", "or") else end
                sep = " and " if nxt > end else ""
            else:
                sep = _sep(text, tokens[end - 1], tokens[end])
            if sep not in SIBLING_JOINERS or not shape.match(tokens[nxt].word):
                break
            last = nxt + 1  # a version tag keeps its dotted parts ("V2.5")
            while shape is RELEASE_TAG_RE and last < len(tokens) and tokens[last].word.isdigit():
                if _sep(text, tokens[last - 1], tokens[last]) != ".":
                    break
                last += 1
            span = f"{stem} {text[tokens[nxt].start : tokens[last - 1].end].upper()}"
            resolved = self.try_canonical(span)
            if resolved is not None:
                out.append(Mention(resolved, tokens[nxt].start, tokens[last - 1].end, span))
            end = last
        return end


def _tokens_follow(text: str, end: int) -> bool:
    return _TOKENS_AFTER_RE.match(text, end) is not None


_TOKENS_AFTER_RE = re.compile(r"\s?(?:tokens?|context|ctx)\b", re.IGNORECASE)


def _sep(text: str, left: _Token, right: _Token) -> str:
    return text[left.end : right.start]


def _glued_before(text: str, pos: int) -> bool:
    """A name glued to the word before it by a hyphen or dot ("text-o1") is part of another name, unless
    that word is its maker ("Meta-Llama 3.1 405B")."""
    if not (text[pos - 1] in "-._" and pos > 1 and text[pos - 2].isalpha()):
        return False
    word = _WORD_BEFORE_RE.search(text, max(0, pos - _MAX_VENDOR_LEAD), pos)
    return word is None or word.group(1).lower() not in VENDORS


_WORD_BEFORE_RE = re.compile(r"(?:^|[^\w-])([A-Za-z][\w-]*?)[-._]$")
_LEAD_SEP_RE = re.compile(r"\s*/\s*|-|\s+")
_MAX_VENDOR_LEAD = 30  # characters a vendor spelling before a name may take


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
