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

Tokens and slugs live in `ingest.name_tokens`; `find_mentions` (names inside free text, linear in the
text) in `ingest.mentions`. Words that are only product names ("Copilot", "RunPod") are never matched
unless a user alias makes them known.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from capgraph.errors import IngestError
from capgraph.ingest.aliases import (
    DEFAULT_ALIASES,
    FAMILIES,
    KNOWN_MODELS,
    QUALIFIERS,
    TIERS_BEFORE_VERSION,
    VENDORS,
)
from capgraph.ingest.mentions import Mention, MentionScanner, ResolvedName
from capgraph.ingest.name_shapes import (
    GLUED_CELL_RE,
    GLUED_VENDOR_END_RE,
    NAME_SLASH_RE,
    O_SERIES_RE,
    PAREN_SIZE_RE,
    RELEASE_TAG_RE,
    glued_score,
    tier_first,
)
from capgraph.ingest.name_tokens import (
    HAS_DIGIT_RE,
    MAX_VENDOR_LEAD,
    SIZE_RE,
    WORD_RE,
    clean,
    slugify,
    tokenize,
)

__all__ = ["ALIASES_ENV", "Mention", "ResolvedName", "Resolver", "default_resolver", "load_aliases", "slugify"]

ALIASES_ENV = "CAPGRAPH_ALIASES"

_DATE_SUFFIX_RE = re.compile(r"^(.+?)[\s_-]+\(?(\d{4}-\d{2}-\d{2})\)?$")
_PAREN_RE = re.compile(r"^(.+?)\s*\(([^()]{1,60})\)$")
_PREFIX_RE = re.compile(r"^([A-Za-z][\w.&' -]{0,30}?)\s*:\s+(\S.*)$")
_LEAD_SEP_RE = re.compile(r"\s*/\s*|-|\s+")
_MAX_NAME_CHARS = 120
_CACHE_SIZE = 4096
MAX_ABBREVIATED = 2  # tokens a longer name may add to a short form that abbreviates it on one page
# Suffixes that name a tuned or packaged release of a base model, which is an artifact of its own.
FINE_TUNE_SUFFIXES = frozenset(
    {"instruct", "chat", "base", "it", "hf", "gguf", "awq", "gptq", "distill", "sft", "rlhf"}
)


class Resolver(MentionScanner):
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
        cleaned = clean(name[: _MAX_NAME_CHARS * 2])[:_MAX_NAME_CHARS]
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
            tokens = tokenize(part, limit=2)
            named += bool(tokens and tokens[0].word in self._starts and HAS_DIGIT_RE.search(part))
        return named >= 2

    def _vendor_lead(self, cleaned: str) -> tuple[str, str] | None:
        """ "Meta-Llama 3.1 405B", "meta-llama/Llama-3.1-8B", "Google Gemini 2.5 Pro": (vendor, the name after
        it) when a vendor spelling is followed by a name that starts like a model family; the longest vendor
        spelling wins ("Meta AI Llama 3")."""
        best: tuple[str, str] | None = None
        for sep in _LEAD_SEP_RE.finditer(cleaned[:MAX_VENDOR_LEAD]):
            vendor = self.vendor_name(cleaned[: sep.start()])
            rest = cleaned[sep.end() :].strip()
            tokens = tokenize(rest, limit=1)
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
        if any(SIZE_RE.match(w) for w in words) or words[-1] in QUALIFIERS or words[-1] in TIERS_BEFORE_VERSION:
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
        MAX_ABBREVIATED tokens, none a version ("Gemini 3" is not "Gemini 3.1 Pro", "Opus 4.6" is not the release
        "opus-4-6-v1" of a cloud ID; a size may be left out: "Llama 3.1" beside "Llama 3.1 405B") and none a fine-tune
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
                and not any(_version_word(t) or t in FINE_TUNE_SUFFIXES for t in extra)
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
        cleaned = clean(text)
        if not cleaned:
            return False
        if self.is_known(cleaned):
            return True
        mentions = self.find_mentions(cleaned)
        if len(mentions) != 1:
            return False
        rest = cleaned[: mentions[0].start] + cleaned[mentions[0].end :]
        return not WORD_RE.search(rest)


def _version_word(token: str) -> bool:
    """A bare number or a release tag ("3", "v1"): a version, which a short form cannot leave out."""
    return token.isdigit() or RELEASE_TAG_RE.match(token) is not None


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
