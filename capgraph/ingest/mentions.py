"""Model names found inside free text: the scanner half of the resolver.

`find_mentions` scans text token by token (linear in the text) for known names and for names shaped like
a model: a known family word followed by a version ("Llama 2 7B", "Gemini 2.0"), plus the sibling sizes or
versions listed right after one ("Llama 3.2 11B/90B").
"""

from __future__ import annotations

from dataclasses import dataclass

from capgraph.ingest.aliases import CAPITAL_QUALIFIERS, QUALIFIERS, TIERS_BEFORE_VERSION
from capgraph.ingest.name_shapes import RELEASE_TAG_RE, SIBLING_JOINERS
from capgraph.ingest.name_tokens import (
    HAS_DIGIT_RE,
    JOINERS,
    SIZE_RE,
    Token,
    gap,
    glued_before,
    tokenize,
    tokens_follow,
)

WINDOW_CHARS = 160  # text read after a candidate position
WINDOW_TOKENS = 16  # tokens of it a name may span


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


class MentionScanner:
    """The name tables a scan needs (filled by `Resolver.__init__`) and the scan itself."""

    _known: dict[tuple[str, ...], str]
    _families: dict[tuple[str, ...], tuple[str, str | None]]
    _starts: set[str]
    _max_known: int

    def try_canonical(self, name: str) -> ResolvedName | None:
        raise NotImplementedError

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
            tokens = tokenize(text[pos : pos + WINDOW_CHARS], pos, WINDOW_TOKENS)
            if not tokens or tokens[0].start != pos or tokens[0].word not in self._starts:
                continue
            if pos > 0 and glued_before(text, pos):
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
            return sorted({t.start for t in tokenize(text) if t.word in self._starts})
        positions: set[int] = set()
        for word in self._starts:
            pos = lower.find(word)
            while pos != -1:
                if pos == 0 or not lower[pos - 1].isalnum():
                    positions.add(pos)
                pos = lower.find(word, pos + 1)
        return sorted(positions)

    def _run(self, text: str, tokens: list[Token], i: int, limit: int) -> int:
        """How many tokens from i on are joined by name-internal separators (at most `limit`)."""
        j = i + 1
        while j < len(tokens) and j - i < limit and gap(text, tokens[j - 1], tokens[j]) in JOINERS:
            j += 1
        return j - i

    def _match_known(self, text: str, tokens: list[Token], i: int) -> int:
        run = self._run(text, tokens, i, self._max_known)
        for length in range(run, 0, -1):
            if tuple(t.word for t in tokens[i : i + length]) in self._known:
                return i + length
        return i

    def _match_family(self, text: str, tokens: list[Token], i: int) -> int:
        run = self._run(text, tokens, i, 10)
        words = [t.word for t in tokens[i : i + run]]
        if tuple(words[:2]) in self._families and len(words) >= 2:
            j = 2
        elif tuple(words[:1]) in self._families:
            j = 1
        else:
            return i
        has_version = any(HAS_DIGIT_RE.search(w) for w in words[:j])
        while j < run:
            word = words[j]
            sep = gap(text, tokens[i + j - 1], tokens[i + j])
            if HAS_DIGIT_RE.search(word):
                if has_version and sep == " " and not SIZE_RE.match(word) and not RELEASE_TAG_RE.match(word):
                    break
                if has_version and sep == " " and word.endswith("m") and tokens_follow(text, tokens[i + j].end):
                    break  # "GPT-5.4 1M tokens": a context window, not a size
                has_version = True
            elif word in CAPITAL_QUALIFIERS and has_version:
                if sep not in "-_" and not text[tokens[i + j].start].isupper():
                    break  # "Qwen2.5-Max", "Qwen 2.5 Max" name a model; "GPT-4o max output" is prose
            elif word not in QUALIFIERS and (has_version or word not in TIERS_BEFORE_VERSION):
                break
            j += 1
        return i + j if has_version else i

    def _siblings(self, text: str, tokens: list[Token], i: int, end: int, out: list[Mention]) -> int:
        """ "Llama 3.2 11B/90B", "Gemma 2B and 7B", "Llama 2 7B, 13B and 70B", "DeepSeek V3 & V2.5": a size (or a
        version tag) listed right after the model just matched names a sibling of it."""
        shape = SIZE_RE if SIZE_RE.match(tokens[end - 1].word) else RELEASE_TAG_RE
        if end - 1 <= i or not shape.match(tokens[end - 1].word):
            return end
        stem = text[tokens[i].start : tokens[end - 2].end]
        while end < len(tokens):
            nxt = end
            if tokens[end].word in ("and", "or") and end + 1 < len(tokens):
                joined = gap(text, tokens[end - 1], tokens[end]) + tokens[end].word
                joined += gap(text, tokens[end], tokens[end + 1])
                nxt = end + 1 if joined.replace(",", "").strip() in ("and", "or") else end
                sep = " and " if nxt > end else ""
            else:
                sep = gap(text, tokens[end - 1], tokens[end])
            if sep not in SIBLING_JOINERS or not shape.match(tokens[nxt].word):
                break
            last = nxt + 1  # a version tag keeps its dotted parts ("V2.5")
            while shape is RELEASE_TAG_RE and last < len(tokens) and tokens[last].word.isdigit():
                if gap(text, tokens[last - 1], tokens[last]) != ".":
                    break
                last += 1
            span = f"{stem} {text[tokens[nxt].start : tokens[last - 1].end].upper()}"
            resolved = self.try_canonical(span)
            if resolved is not None:
                out.append(Mention(resolved, tokens[nxt].start, tokens[last - 1].end, span))
            end = last
        return end
