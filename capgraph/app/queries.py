"""Reads: every question the interfaces ask of the graph, in one place.

To add a query: write the rule as a pure function in `graph/` (taking the store roles it needs), then add
one method here that resolves names and calls it; the CLI command and the HTTP route call that method.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, Field

from capgraph.app.container import Container
from capgraph.errors import ModelNotFound, NotFound, Unsupported
from capgraph.graph.paging import DEFAULT_PAGE, LISTED_MEMBERS, next_offset, page
from capgraph.graph.rank import Rank, RankBrief
from capgraph.graph.schema import (
    Capability,
    Evidence,
    Extraction,
    Model,
    Source,
    SourcedClaim,
    SourcedScore,
    StoreStats,
    Subgraph,
)
from capgraph.graph.store import ExportFormat, Matrix

if TYPE_CHECKING:  # the query rules load where a method first needs them: `capgraph models` needs none
    from capgraph.graph import compare as comparing
    from capgraph.graph import match
    from capgraph.graph.class_browser import ClassView
    from capgraph.graph.cypher import CypherParams, CypherResult
    from capgraph.graph.resolve import ResolveAnswer
    from capgraph.graph.search.alternatives import AlternativesAnswer
    from capgraph.graph.search.hybrid import SearchAnswer
    from capgraph.graph.search.leaderboard import Leaderboard


class ModelFacts(BaseModel):
    """Everything the store holds about one model, read in one consistent view; its capabilities (a page can
    state 10,000) one page at a time, ordered by id."""

    model: Model
    capabilities: list[Capability] = Field(description="one page of the capabilities, ordered by id")
    capabilities_total: int = Field(description="every capability of the model, before `offset`/`limit`")
    offset: int = 0
    limit: int = DEFAULT_PAGE
    next_offset: int | None = Field(None, description="`offset` of the next page of capabilities; None: no more")
    claims: list[SourcedClaim]
    scores: list[SourcedScore]
    evidence: list[Evidence]
    capgraph_rank: RankBrief | None = None  # capgraph's own rank; sites' claimed ranks stay in `claims`


KNOWN_NAMED = 20
"""Benchmarks an unknown benchmark's error names (the rest are counted): an error message stays short."""


class QueryService:
    """Every read the interfaces offer. Model names are resolved here, once per question."""

    def __init__(self, container: Container) -> None:
        self._c = container

    def model(self, name: str) -> Model:
        """A model by id, name or alias; falls back to the resolver's canonical form ("OpenAI: GPT-4o")."""
        store = self._c.store
        try:
            return store.get_model(name)
        except ModelNotFound as first:
            try:
                canonical = self._c.resolver.canonical(name)
            except Exception:
                raise first from None
            try:
                return store.get_model(canonical.id)
            except ModelNotFound:
                raise first from None

    def models(
        self, prefix: str | None = None, kind: str | None = None, offset: int = 0, limit: int = 100
    ) -> tuple[list[Model], int]:
        return self._c.store.list_models(prefix, kind, offset, limit)

    def model_facts(self, name: str, offset: int = 0, limit: int = DEFAULT_PAGE) -> ModelFacts:
        """A model's sourced facts, with one page of its capabilities (ordered by id).

        The rank is read after the store's read block: the ranker takes the answers' lock, and a search holds
        that lock while it reads the store, so taking it inside `reading()` deadlocked under load.
        """
        store = self._c.store
        with store.reading():
            model = self.model(name)
            capabilities = sorted(store.capabilities(model.id), key=lambda c: c.id)
            facts = ModelFacts(
                model=model,
                capabilities=page(capabilities, offset, limit),
                capabilities_total=len(capabilities),
                offset=offset,
                limit=limit,
                next_offset=next_offset(offset, limit, len(capabilities)),
                claims=store.claims(model.id),
                scores=store.scores(model.id),
                evidence=store.evidence(model.id),
            )
        facts.capgraph_rank = self.rank_brief(model.id)
        return facts

    def rank_brief(self, model_id: str) -> RankBrief | None:
        ranks = self._c.ranker.ranks()
        found = next((r for r in ranks if r.model.id == model_id), None)
        return RankBrief(score=found.score, position=found.position, of=len(ranks)) if found else None

    def alternatives(self, name: str, k: int = 10) -> AlternativesAnswer:
        """Other models for the same job, from every kind of evidence; the model's own variants apart."""
        answer = self._c.answers.alternatives(self.model(name).id, k)
        self._c.count_matches([a.model.id for a in answer.alternatives])
        return answer

    def overlap(self, a: str, b: str) -> match.Overlap:
        from capgraph.graph import match

        return match.overlap(self._c.store, self.model(a).id, self.model(b).id)

    def compare(self, a: str, b: str) -> comparing.Comparison:
        """What differs between two models, with sources; sites' numbers apart; capgraph's rank of each."""
        from capgraph.graph import compare as comparing

        ma, mb = self.model(a), self.model(b)
        ranks = {r.model.id: r for r in self._c.ranker.ranks()}
        titles = self._c.answers.catalog().source_titles
        return comparing.compare(self._c.store, ma.id, mb.id, ranks.get(ma.id), ranks.get(mb.id), titles)

    def ranks(self, kind: str | None = None, limit: int = 50) -> tuple[list[Rank], int]:
        """capgraph's own rank of every model (of `kind`), best first; and how many are ranked in all."""
        found = [r for r in self._c.ranker.ranks() if kind is None or r.model.kind.lower() == kind.lower()]
        return found[:limit], len(found)

    def rank(self, name: str) -> Rank:
        """One model's rank with every component, its inputs and their sources (`--explain`)."""
        return self._c.ranker.rank_of(self.model(name).id)

    def search(self, text: str, k: int = 10) -> SearchAnswer:
        """Hybrid search over everything models have, typed constraints checked, "nothing fits" below the floor."""
        answer = self._c.answers.search(text, k)
        self._c.count_matches([h.model.id for h in answer.hits])
        return answer

    def resolve(self, intent: str, k: int = 3, alternatives: int = 3) -> ResolveAnswer:
        """For an intent, the best artifacts with the capability that matched, why, the sourced facts bearing
        on the intent and their top alternatives: the search and alternatives answers joined in one."""
        from capgraph.graph.resolve import resolve

        answers, store = self._c.answers, self._c.store
        found = answers.search(intent, k)
        catalog = answers.catalog()

        def intent_vector() -> Matrix:
            return self._c.encoder.encode([found.need])

        def capability_vectors(ids: Sequence[str]) -> tuple[list[str], Matrix]:
            present = [c for c, has in zip(ids, store.has_vectors(ids), strict=True) if has]
            return present, store.vectors(present) if present else np.zeros((0, 0), dtype=np.float32)

        answer = resolve(found, catalog, answers.alternatives, intent_vector, capability_vectors, alternatives)
        self._c.count_matches([r.model.id for r in answer.results])
        return answer

    def leaderboard(self, benchmark: str, k: int = 50) -> Leaderboard:
        """Models ranked on one benchmark; a benchmark with no scores is a NotFound naming the known ones."""
        board = self._c.answers.leaderboard(benchmark, k)
        if not board.rows:
            known = list(self._c.answers.benchmarks())
            named = ", ".join(known[:KNOWN_NAMED]) or "none"
            more = f" and {len(known) - KNOWN_NAMED} more (GET /benchmarks)" if len(known) > KNOWN_NAMED else ""
            raise NotFound(f"No scores for benchmark {benchmark!r}. Known: {named}{more}.")
        return board

    def benchmarks(self, offset: int = 0, limit: int = DEFAULT_PAGE) -> tuple[list[tuple[str, list[str]]], int]:
        """One page of the benchmarks with scores (normalized name, the spellings sources use), by name; and
        how many there are in all."""
        found = list(self._c.answers.benchmarks().items())
        return page(found, offset, limit), len(found)

    def similar(self, capability_id: str, k: int = 10) -> tuple[Capability, list[tuple[match.CapabilityRef, float]]]:
        """A capability and the nearest capabilities of other models to it."""
        from capgraph.graph import match

        store = self._c.store
        with store.reading():
            capability = store.get_capabilities([capability_id])[0]
            return capability, match.similar_capabilities(store, capability.id, k)

    def classes(
        self, limit: int = DEFAULT_PAGE, min_size: int = 1, offset: int = 0, members: int = LISTED_MEMBERS
    ) -> tuple[list[ClassView], int]:
        """One page of the capability classes, largest first, each with its first `members` members; and how
        many classes there are in all."""
        from capgraph.graph.class_browser import class_views

        store = self._c.store
        with store.reading():
            found = [c for c in store.list_classes() if c.size >= min_size]
            return class_views(store, page(found, offset, limit), 0, members), len(found)

    def capability_class(self, name_or_id: str, offset: int = 0, limit: int = DEFAULT_PAGE) -> ClassView:
        """One class by id or name (see `graph.class_browser.find_class`), with one page of its members."""
        from capgraph.graph.class_browser import class_views, find_class

        store = self._c.store
        with store.reading():
            return class_views(store, [find_class(store, name_or_id)], offset, limit)[0]

    def sources(self) -> list[Source]:
        return self._c.store.list_sources()

    def source_page(self, offset: int, limit: int) -> tuple[list[Source], int]:
        """One page of the sources (ordered by title, then id) and how many there are in all.

        The store lists them all and the page is cut here: the answer is bounded, the read is not yet.
        """
        found = self._c.store.list_sources()
        return found[offset : offset + limit], len(found)

    def source(self, source_id: str) -> Extraction:
        return self._c.store.source_extraction(source_id)

    def stats(self) -> StoreStats:
        return self._c.store.stats()

    def neighborhood(self, node_id: str, depth: int = 1, limit: int = 300) -> Subgraph:
        return self._c.store.neighborhood(node_id, depth, limit)

    def export(self, fmt: ExportFormat) -> str:
        return self._c.store.export(fmt)

    def cypher(self, request: CypherParams) -> CypherResult:
        """A read-only Cypher query, on a store that can run one (Neo4j; the embedded store has no Cypher)."""
        from capgraph.graph.cypher import CypherReader

        store, settings = self._c.store, self._c.settings
        if not isinstance(store, CypherReader):
            raise Unsupported(
                f"Cypher needs a Neo4j store; {settings.store!r} is the embedded store. "
                "Use CAPGRAPH_STORE=neo4j://127.0.0.1:7687 (see `capgraph sync`)."
            )
        return store.read_cypher(
            request.query,
            request.params,
            timeout_s=request.timeout_s or settings.cypher_timeout_s,
            row_limit=request.row_limit or settings.cypher_row_limit,
        )
