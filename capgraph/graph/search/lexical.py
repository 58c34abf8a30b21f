"""BM25 over passages (bm25s), plus the idf-weighted query coverage used by the relevance floor."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from capgraph.graph.search.text import tokens

Scores = npt.NDArray[np.float64]


class LexicalIndex:
    """BM25 (Lucene variant, k1=1.5, b=0.75: bm25s defaults) over tokenized passages."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.docs: list[set[str]] = []
        tokenized = [tokens(t) for t in texts]
        self.docs = [set(t) for t in tokenized]
        self.df: Counter[str] = Counter(tok for doc in self.docs for tok in doc)
        self.n = len(tokenized)
        import bm25s  # with scipy ~0.4 s to import: paid by the first search, not by every command

        self._bm25 = bm25s.BM25()
        if tokenized:
            # bm25s needs one non-empty document; an empty passage gets a placeholder token nobody queries
            self._bm25.index([t or ["\x00"] for t in tokenized], show_progress=False)

    def idf(self, token: str) -> float:
        """BM25's idf, log(1 + (N - df + 0.5) / (df + 0.5)); tokens in no passage get the largest value."""
        df = self.df.get(token, 0)
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def scores(self, query_tokens: Sequence[str]) -> Scores:
        """BM25 score of every passage, in passage order (0 where no query token occurs)."""
        if not self.n or not query_tokens:
            return np.zeros(self.n)
        return np.asarray(self._bm25.get_scores(list(query_tokens)), dtype=np.float64)

    def weigh(self, units: Sequence[Sequence[str]]) -> list[tuple[float, str, tuple[str, ...], tuple[str, ...]]]:
        """Per query unit: (idf weight, word, concept tokens, parts), computed once per query for `coverage`."""
        out = []
        for unit in units:
            if unit:
                concept = tuple(t for t in unit if t.startswith("concept:"))
                parts = tuple(t for t in unit[1:] if not t.startswith("concept:"))
                out.append((max(self.idf(t) for t in unit), unit[0], concept, parts))
        return out

    @staticmethod
    def coverage(weighted: Sequence[tuple[float, str, tuple[str, ...], tuple[str, ...]]], present: set[str]) -> float:
        """Share of the query's idf mass found in a model's tokens (`present`), by word unit (text.token_units):

            coverage = Σ_u w(u)·m(u) / Σ_u w(u),  w(u) = max idf of the unit's tokens,
            m(u) = 1 if its first token (the word or compound) or a concept token is present,
                   else the share of its parts present.
        Unlike a BM25 score this is comparable across queries, so it can carry a fixed floor.
        """
        total = matched = 0.0
        for w, word, concept, parts in weighted:
            total += w
            if word in present or any(t in present for t in concept):
                matched += w
            elif parts:
                matched += w * sum(t in present for t in parts) / len(parts)
        return matched / total if total > 0 else 0.0
