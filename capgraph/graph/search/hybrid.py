"""Hybrid search over everything a model has: BM25 and dense vectors fused by reciprocal rank fusion.

Passages: each capability paragraph, one profile passage per model (name, aliases, kind, vendor,
family, claims and scores as words), the name and description of each capability class the model is in,
the sentences and table rows of the pages that name the model, and the opening of each page about at most
PAGE_MODELS models (a page about a few artifacts describes them in its intro; these three lexical side only);
the sentences of pages about a few models, in chunks, are a ranking of their own (`_paged`).
Lexical: BM25 over all passages. Dense: the store's capability vectors (through `nearest`) and the profile
passages encoded with the same sentence encoder. Each side ranks models by their best passage; a third
ranking orders the best fused candidates by their coverage of the query's words (all passages together),
the page chunks rank the models of their pages, and a query naming a benchmark adds its leaderboard. The
rankings are fused by RRF:

    score(m) = Σ_lists w_list / (RRF_K + rank_list(m))  (rank from 1; a list that misses m adds 0;
                                                        w = 1, but PAGE_WEIGHT for the page chunks)

Typed constraints parsed from the query filter the fused list (every check must pass), and a relevance
floor keeps models that match nothing of the need out: a model must reach DENSE_FLOOR cosine or
LEXICAL_FLOOR idf coverage, else it is at most a near miss.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from pydantic import BaseModel, Field

from capgraph.graph.schema import Model
from capgraph.graph.search.constraints import (
    FAMILY_DEFAULT,
    NAME_SOURCE,
    Check,
    Constraint,
    Order,
    check,
    order_value,
    parse_constraints,
    parse_order,
    stated_locally,
)
from capgraph.graph.search.intents import Intent, intent_checks, parse_intent
from capgraph.graph.search.kinds import Profile, profile
from capgraph.graph.search.leaderboard import benchmark_key, benchmarks, leaderboard
from capgraph.graph.search.lexical import LexicalIndex
from capgraph.graph.search.records import Catalog, human_number, profile_text, support
from capgraph.graph.search.text import expand_for_dense, token_units, tokens
from capgraph.graph.store import Matrix

Nearest = Callable[[Matrix, int], list[list[tuple[str, float]]]]


class TextEncoder(Protocol):
    def encode(self, texts: Sequence[str]) -> Matrix: ...


RRF_K = 60  # the constant of Cormack et al. (2009); rankings here are short, so it mostly flattens the tail
# Relevance floor, calibrated on bench/keys/quality/search.jsonl (`python bench/quality.py --sweep`): over
# dense floors 0.30-0.50 x lexical floors 0.3-0.7, nDCG@5 is flat within 0.04 and best at lexical 0.3; the
# five need-nothing queries ("bake a chocolate cake", "knit a wool scarf", ...) reach at most cosine 0.23 and
# coverage 0.21. Dense 0.35 keeps a 0.12 margin above those; lexical 0.30 asks for about a third of the
# query's idf mass (one rare word of three).
DENSE_FLOOR = 0.35
# Page chunks (`_paged`): the sentences of each page naming at most CHUNK_MODELS models, in pieces, rank those
# models in a list of their own fused with weight PAGE_WEIGHT. A chunk counts when it scores at least
# PAGE_CHUNK_SHARE of the best chunk's BM25 and covers LEXICAL_FLOOR of the query on its own. Chosen on
# bench/keys/quality/search.jsonl split by key parity (nDCG@5 even / odd; without chunks 0.663 / 0.733):
# weight 0.3, share 0.6, 8 models: 0.671 / 0.772; weight 1.0 lets a page's generic words ("custom", "training")
# lift all its models over the one a need is about (0.672 / 0.754, and a seed test fails); share 0.5 0.673 /
# 0.738; 12 models 0.667 / 0.756; at weight 1 without the coverage test 0.687 / 0.746, but seed tests fail.
PAGE_CHUNK_SHARE = 0.6
PAGE_WEIGHT = 0.3
CHUNK_MODELS = 8
LEXICAL_FLOOR = 0.3
DENSE_CANDIDATES = 100  # capabilities (and model profiles) taken from the dense side per query
NEAR_MISSES = 3
BENCHMARK_CANDIDATES = 50  # models taken from a leaderboard when the query names a benchmark
# Benchmark names that are also plain words: they count only when written as the sources write them ("MATH").
AMBIGUOUS_BENCHMARKS = frozenset({"math", "drop", "arc", "languages", "vendor", "clean", "noisy", "elo"})
MISS_POOL = 200  # candidates considered for the near-miss list when the query has constraints
MAX_EXAMINED = 200  # fused candidates examined for the floor; far beyond the top k nothing new passes it
LEXICAL_CANDIDATES = 1000  # passages kept from the BM25 scores per query
PAGE_MODELS = 6  # a page naming more models than this is a list or a board: its intro describes none of them


class Passage(BaseModel):
    model_id: str
    kind: str = Field(
        description="capability | profile | class (a capability class it is in) | mention (a sentence or table "
        "row) | page (the opening of a page about it) | score (a leaderboard row)"
    )
    text: str
    capability_id: str | None = None
    source: str | None = Field(None, description="for a mention: the page it comes from")


class Hit(BaseModel):
    """One model in a search answer, with why: its best passages, rank on each side and constraint checks."""

    model: Model
    kind: str
    job: str
    score: float = Field(
        description="RRF: Σ w/(60 + rank) over the lexical, dense, coverage, page-chunk (w 0.3), leaderboard rankings"
    )
    lexical_rank: int | None = None
    dense_rank: int | None = None
    cosine: float = 0.0
    coverage: float = Field(0.0, description="share of the query's idf mass found in the model's passages")
    evidence: list[Passage] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    near_miss: bool = False
    why: str = ""


class SearchAnswer(BaseModel):
    query: str
    need: str = Field(description="the query without its constraint phrases: what retrieval ranks on")
    constraints: list[str] = Field(default_factory=list)
    hits: list[Hit] = Field(default_factory=list)
    near_misses: list[Hit] = Field(default_factory=list, description="best candidates that miss the floor or a check")
    nothing_fits: bool = False


@dataclass
class _Side:
    rank: dict[str, int]
    best: dict[str, tuple[float, int]]  # model -> (score, passage index)


def _ranking(best: dict[str, tuple[float, int]]) -> _Side:
    order = sorted(best, key=lambda m: (-best[m][0], m))
    return _Side(rank={m: i + 1 for i, m in enumerate(order)}, best=best)


class SearchIndex:
    """Passages, the BM25 index and the profile vectors of one catalog. Build once per store state."""

    def __init__(
        self,
        catalog: Catalog,
        encoder: TextEncoder,
        nearest: Nearest | None = None,
        dense_floor: float = DENSE_FLOOR,
        lexical_floor: float = LEXICAL_FLOOR,
    ) -> None:
        self.catalog = catalog
        self.dense_floor, self.lexical_floor = dense_floor, lexical_floor
        self.encoder = encoder
        self.nearest = nearest
        bench_names = frozenset(s.benchmark.lower() for r in catalog.records.values() for s in r.scores)
        self.profiles: dict[str, Profile] = {m: profile(r, bench_names) for m, r in catalog.records.items()}
        self.passages: list[Passage] = []
        self.by_model: dict[str, list[int]] = {}
        self.by_capability: dict[str, int] = {}
        pages: dict[str, list[str]] = {}
        for sid, mids in catalog.source_models.items():
            if len(mids) <= PAGE_MODELS and catalog.intros.get(sid):
                for mid in mids:
                    pages.setdefault(mid, []).append(sid)
        for mid, rec in sorted(catalog.records.items()):
            p = self.profiles[mid]
            # kind, job and modalities in words, but not the defaults ("model", "llm", "text"): said of
            # nearly every model they only pull generic queries toward models known by name alone
            extra = [p.kind.replace("_", " ")] if p.kind != "model" else []
            extra += [p.job.replace("_", " ")] if p.job not in ("llm", "other") else []
            extra += [m for m in p.modalities if m != "text"]
            self._add(Passage(model_id=mid, kind="profile", text=profile_text(rec, extra)))
            for cap in rec.capabilities:
                text = " ".join(x for x in (cap.name, cap.description, cap.unique or "") if x)
                self.by_capability[cap.id] = self._add(
                    Passage(model_id=mid, kind="capability", text=text, capability_id=cap.id)
                )
            for k in sorted(catalog.classes.get(mid, ())):  # lexical only: the members' own vectors are indexed
                text = " ".join(x for x in (catalog.class_names.get(k), catalog.class_descriptions.get(k)) if x)
                if text:
                    self._add(Passage(model_id=mid, kind="class", text=text))
            for sid in sorted(pages.get(mid, ())):
                self._add(Passage(model_id=mid, kind="page", text=catalog.intros[sid], source=catalog.title(sid)))
            for sid, sentence in catalog.mentions.get(mid, []):  # lexical only: encoding them all is too slow
                self._add(Passage(model_id=mid, kind="mention", text=sentence, source=catalog.title(sid)))
        self.lexical = LexicalIndex([p.text for p in self.passages])
        # the sentences of each page about at most CHUNK_MODELS models, a fourth ranking (`_paged`) for them
        small = sorted(sid for sid, mids in catalog.source_models.items() if len(mids) <= CHUNK_MODELS)
        self._chunk_models = [catalog.source_models[sid] for sid in small for _ in catalog.chunks.get(sid, ())]
        self._chunk_index = LexicalIndex([c for sid in small for c in catalog.chunks.get(sid, ())])
        self.benchmark_names = {k: v for k, v in benchmarks(catalog).items() if len(k) >= 3}
        self._model_ids = sorted(self.by_model)
        # the candidates of a query that is all constraints, best documented first (`support`)
        self._by_support = sorted(catalog.records, key=lambda m: (-support(catalog.records[m]), m))
        model_row = {m: i for i, m in enumerate(self._model_ids)}
        self._passage_model = np.asarray([model_row[p.model_id] for p in self.passages], dtype=np.int64)
        self.model_tokens: dict[str, set[str]] = {
            mid: set().union(*(self.lexical.docs[i] for i in ids)) for mid, ids in self.by_model.items()
        }
        profile_ids = [i for i, p in enumerate(self.passages) if p.kind == "profile"]
        self._profile_ids = np.asarray(profile_ids, dtype=np.int64)
        self._profile_vectors = encoder.encode([self.passages[i].text for i in profile_ids]) if profile_ids else None
        self._cap_vectors: Matrix | None = None
        if nearest is None:  # no vector index given: encode the capability passages here (small stores, tests)
            cap_ids = [i for i, p in enumerate(self.passages) if p.kind == "capability"]
            self._cap_ids = np.asarray(cap_ids, dtype=np.int64)
            self._cap_vectors = encoder.encode([self.passages[i].text for i in cap_ids]) if cap_ids else None

    def _check(self, constraint: Constraint, mid: str, job: str) -> Check:
        """A constraint on one model; "runs locally" left unknown by the claims may be read off its sentences."""
        got = check(constraint, self.catalog.records[mid], job)
        if got.status == "unknown":
            said = [
                (p.text, p.source or "")
                for p in (self.passages[i] for i in self.by_model.get(mid, ()))
                if p.kind in ("mention", "capability")
            ]
            return stated_locally(constraint, said) or got
        return got

    def _add(self, passage: Passage) -> int:
        self.passages.append(passage)
        idx = len(self.passages) - 1
        self.by_model.setdefault(passage.model_id, []).append(idx)
        return idx

    def _lexical(self, query_tokens: list[str]) -> _Side:
        scores = self.lexical.scores(query_tokens)
        top = np.nonzero(scores > 0)[0]
        if len(top) > LEXICAL_CANDIDATES:  # only the best passages can be a model's best
            top = top[np.argpartition(-scores[top], LEXICAL_CANDIDATES)[:LEXICAL_CANDIDATES]]
        top = top[np.argsort(-scores[top], kind="stable")]
        owners = self._passage_model[top]
        _, first = np.unique(owners, return_index=True)  # first = best passage of each model
        best = {self._model_ids[owners[i]]: (float(scores[top[i]]), int(top[i])) for i in first}
        return _ranking(best)

    def _paged(
        self, query_tokens: list[str], weighted: list[tuple[float, str, tuple[str, ...], tuple[str, ...]]]
    ) -> _Side:
        """Models by the best BM25 chunk of the pages about a few models, them included: the words of a
        table row or paragraph that does not name them ("ControlNet: native nodes / via extension") but is
        about them. A ranking for the fusion only: these words are no evidence shown and count for neither
        the floor nor coverage, since a page about two models cannot say which of them a row is about."""
        scores = self._chunk_index.scores(query_tokens)
        best: dict[str, tuple[float, int]] = {}
        if not len(scores) or scores.max() <= 0:
            return _ranking(best)
        for i in np.nonzero(scores >= PAGE_CHUNK_SHARE * scores.max())[0]:
            if self._chunk_index.coverage(weighted, self._chunk_index.docs[int(i)]) < self.lexical_floor:
                continue
            for mid in self._chunk_models[int(i)]:
                if mid in self.catalog.records and (mid not in best or scores[i] > best[mid][0]):
                    best[mid] = (float(scores[i]), -1)
        return _ranking(best)

    def _dense(self, need: str) -> _Side:
        q = self.encoder.encode([expand_for_dense(need)])
        best: dict[str, tuple[float, int]] = {}

        def offer(idx: int, cos: float) -> None:
            mid = self.passages[idx].model_id
            if mid not in best or cos > best[mid][0]:
                best[mid] = (cos, idx)

        if self._profile_vectors is not None:
            sims = self._profile_vectors @ q[0]
            top = np.arange(len(sims))
            if len(sims) > DENSE_CANDIDATES:
                top = np.argpartition(-sims, DENSE_CANDIDATES)[:DENSE_CANDIDATES]
            for i in top:
                offer(int(self._profile_ids[i]), float(sims[i]))
        if self.nearest is not None:
            for cid, cos in self.nearest(q, DENSE_CANDIDATES)[0]:
                if cid in self.by_capability:
                    offer(self.by_capability[cid], float(cos))
        elif self._cap_vectors is not None:
            for idx, cos in zip(self._cap_ids, self._cap_vectors @ q[0], strict=True):
                offer(int(idx), float(cos))
        return _ranking(best)

    def _benchmark_side(self, need: str) -> tuple[_Side, dict[str, Passage]]:
        """A query naming a benchmark ("resolves GitHub issues (SWE-bench Verified)") ranks the models with a
        sourced score on it by that score: a third list for the fusion, and those models pass the floor."""
        key = f" {benchmark_key(need.replace('(', ' ').replace(')', ' '))} "
        named = [
            b
            for b, spellings in self.benchmark_names.items()
            if f" {b} " in key and (b not in AMBIGUOUS_BENCHMARKS or any(sp in need for sp in spellings))
        ]
        if not named:
            return _Side({}, {}), {}
        board = leaderboard(self.catalog, max(named, key=len), k=BENCHMARK_CANDIDATES)
        best: dict[str, tuple[float, int]] = {}
        shown: dict[str, Passage] = {}
        for row in board.rows:
            values = "; ".join(f"{v.value:g} from {', '.join(v.sources)}" for v in row.values)
            text = f"{' / '.join(board.names)}: {row.value:g} (rank {row.rank}; {values})"
            shown[row.model.id] = Passage(model_id=row.model.id, kind="score", text=text)
            best[row.model.id] = (-float(row.rank), -1)
        return _ranking(best), shown

    def search(self, query: str, k: int = 10) -> SearchAnswer:
        """Hits that pass every constraint and the floor, best first; else an empty answer with near misses."""
        constraints, need = parse_constraints(query)
        sort_by = parse_order(query)
        if sort_by is not None:
            need = " ".join(need.replace(sort_by.phrase, " ").split())
        intent, need = parse_intent(need)
        need_tokens = tokens(need)
        units = token_units(need)
        has_need = any(self.lexical.idf(t) > GENERIC_IDF for t in need_tokens)
        lex = self._lexical(need_tokens)
        dense = self._dense(need) if has_need else _Side({}, {})
        board, board_evidence = self._benchmark_side(need)
        weighted = self.lexical.weigh(units)
        paged = self._paged(need_tokens, weighted) if has_need else _Side({}, {})
        fused: dict[str, float] = {}
        for side, weight in ((lex, 1.0), (dense, 1.0), (board, 1.0), (paged, PAGE_WEIGHT)):
            for mid, r in side.rank.items():
                fused[mid] = fused.get(mid, 0.0) + weight / (RRF_K + r)
        if not has_need:  # the query is all constraints ("open weights under 10B"): every model is a candidate
            for mid in self.catalog.records:
                fused.setdefault(mid, 0.0)
        hits: list[Hit] = []
        misses: list[Hit] = []
        checked = bool(constraints or intent.job or intent.inputs)
        pool = MISS_POOL if checked else NEAR_MISSES
        fill: list[Hit] = []
        # a superlative, or a query of constraints only, sorts a pool of fitting models, then cuts to k
        wanted = MISS_POOL if sort_by is not None or not has_need else k
        covered: dict[str, float] = {}
        if has_need:
            order = heapq.nsmallest(MAX_EXAMINED, fused, key=lambda m: (-fused[m], m))
            # A third list for the fusion: the examined models by coverage of the query's words. A model whose
            # pages say every word of a jargon query ("SFT and RLHF") but that the encoder misses outranks
            # one that matches a word or two on both sides.
            covered = {m: self.lexical.coverage(weighted, self.model_tokens.get(m, set())) for m in order}
            by_cover = sorted((m for m in order if covered[m] > 0), key=lambda m: (-covered[m], -fused[m], m))
            for r, mid in enumerate(by_cover, 1):
                fused[mid] += 1.0 / (RRF_K + r)
            order.sort(key=lambda m: (-fused[m], m))
        else:
            order = self._by_support
        for examined, mid in enumerate(order):
            if (len(hits) >= wanted and len(misses) >= pool) or (has_need and examined >= MAX_EXAMINED):
                break
            cosine = dense.best[mid][0] if mid in dense.best else 0.0
            coverage = (
                covered[mid] if mid in covered else self.lexical.coverage(weighted, self.model_tokens.get(mid, set()))
            )
            relevant = not has_need or cosine >= self.dense_floor or coverage >= self.lexical_floor or mid in board.best
            usable = self.profiles[mid].is_artifact_to_use
            if not (relevant and usable) and len(misses) >= pool and (not checked or len(fill) >= wanted):
                continue
            hit = self._hit(mid, fused[mid], lex, dense, cosine, coverage, constraints, intent)
            if mid in board_evidence:
                hit.evidence.insert(0, board_evidence[mid])
            passes = usable and all(c.status == "pass" for c in hit.checks)
            if relevant and passes:
                if len(hits) < wanted:
                    hits.append(hit)
            elif passes and hit.checks and len(fill) < wanted:
                fill.append(hit)
            elif len(misses) < pool:
                hit.near_miss = True
                misses.append(hit)
        # Below the floor but passing every check the query states (its typed constraints, the kind it asks
        # for): the checks are evidence of their own, so these fill the answer after the relevant hits.
        if sort_by is not None:  # by the superlative's value, the relevant hits before the fill
            hits, fill = _ordered(hits, sort_by, self.catalog), _ordered(fill, sort_by, self.catalog)
        hits += fill[: max(0, wanted - len(hits))]
        # near misses: the most constraint checks passed first, then the fewest failed, then retrieval
        misses.sort(
            key=lambda h: (
                -sum(c.status == "pass" for c in h.checks),
                sum(c.status == "fail" for c in h.checks),
                -h.score,
                h.model.id,
            )
        )
        if not has_need and sort_by is None:  # no words to rank on: checks backed by a page first, then support
            hits.sort(key=lambda h: (-_sourced(h), -support(self.catalog.records[h.model.id]), h.model.name.lower()))
        hits = hits[:k]
        for h in hits:
            h.why = _why(h, constraints, sort_by, self.catalog)
        for h in misses[:NEAR_MISSES]:
            h.why = "near miss: " + _why(h, constraints)
        return SearchAnswer(
            query=query,
            need=need,
            constraints=[c.describe() for c in constraints] + ([sort_by.describe()] if sort_by else []),
            hits=hits[:k],
            near_misses=misses[:NEAR_MISSES],
            nothing_fits=not hits,
        )

    def _hit(
        self,
        mid: str,
        score: float,
        lex: _Side,
        dense: _Side,
        cosine: float,
        coverage: float,
        constraints: Sequence[Constraint],
        intent: Intent,
    ) -> Hit:
        rec = self.catalog.records[mid]
        prof = self.profiles[mid]
        evidence: list[Passage] = []
        for side in (lex, dense):
            if mid in side.best:
                p = self.passages[side.best[mid][1]]
                if p not in evidence:
                    evidence.append(p)
        return Hit(
            model=rec.model,
            kind=prof.kind,
            job=prof.job,
            score=round(score, 6),
            lexical_rank=lex.rank.get(mid),
            dense_rank=dense.rank.get(mid),
            cosine=round(cosine, 4),
            coverage=round(coverage, 4),
            evidence=evidence,
            checks=[self._check(c, mid, prof.job) for c in constraints] + intent_checks(intent, prof),
        )


# Tokens in more than ~half of all passages ("model", "token") carry idf below this and say nothing of a need.
GENERIC_IDF = 0.5


def _sourced(hit: Hit) -> int:
    """Checks passed on a page's word (not on the name or a family default)."""
    return sum(c.status == "pass" and bool(set(c.sources) - {FAMILY_DEFAULT, NAME_SOURCE}) for c in hit.checks)


def _ordered(hits: list[Hit], order: Order, catalog: Catalog) -> list[Hit]:
    """Hits with a stated value first, by that value in the order's direction; the rest keep their rank."""
    values = {h.model.id: order_value(order, catalog.records[h.model.id]) for h in hits}
    sign = 1.0 if order.ascending else -1.0

    def key(item: tuple[int, Hit]) -> tuple[bool, float, int]:
        value = values[item[1].model.id]
        return (value is None, sign * value if value is not None else 0.0, item[0])

    return [h for _, h in sorted(enumerate(hits), key=key)]


def _why(
    hit: Hit, constraints: Sequence[Constraint], order: Order | None = None, catalog: Catalog | None = None
) -> str:
    parts = []
    if order is not None and catalog is not None:
        value = order_value(order, catalog.records[hit.model.id])
        label = order.attribute.replace("_", " ")
        shown = (
            "unknown"
            if value is None
            else (f"${value:g}" if order.attribute.endswith("price") else human_number(value))
        )
        parts.append(f"{label} {shown} ({order.describe()})")
    if hit.evidence:
        text = hit.evidence[0].text
        parts.append(f"{hit.evidence[0].kind}: {text[:140]}{'…' if len(text) > 140 else ''}")
    parts += [f"{c.detail} ({c.status}{', from ' + ', '.join(c.sources) if c.sources else ''})" for c in hit.checks]
    return "; ".join(parts)
