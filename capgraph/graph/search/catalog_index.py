"""Per-catalog lookups built once, so one alternatives query costs work near its own candidates, not all models.

Holds: capability owners, each model's comparable facts (context class, open weights, size, price),
inverted buckets of those facts (who shares a class with whom), benchmark -> models, and the name keys
that find snapshots and siblings by prefix instead of comparing every pair of names.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from capgraph.graph.schema import Capability
from capgraph.graph.search.constraints import canonical_attribute, open_weights_of, parameters_of
from capgraph.graph.search.kinds import (
    Profile,
    abbreviation_key,
    is_abbreviation,
    is_snapshot_name,
    is_tier_sibling,
    name_key,
    tier_prefix,
)
from capgraph.graph.search.records import Catalog, ModelRecord, claim_number, human_number

# Facts agree when: same context class (<32K, <128K, <1M, ≥1M); same weights availability; sizes within
# 10^0.5 ≈ 3.2x of each other; input prices within 3x. Buckets use the same widths, so two models in one
# bucket usually agree; the exact test runs on the candidates the buckets find.
SIZE_RATIO_LOG10 = 0.5
PRICE_RATIO = 3.0


def context_class(n: float) -> int:
    return 0 if n < 32e3 else 1 if n < 128e3 else 2 if n < 1e6 else 3


@dataclass(frozen=True)
class Facts:
    context: float | None = None
    open_weights: bool | None = None
    parameters: float | None = None
    input_price: float | None = None


def _first(rec: ModelRecord, attribute: str) -> float | None:
    for c in rec.claims:
        if canonical_attribute(c.attribute) == attribute and (n := claim_number(c)) is not None:
            return n
    return None


def facts_of(rec: ModelRecord) -> Facts:
    ow = open_weights_of(rec)
    params = parameters_of(rec)
    return Facts(
        context=_first(rec, "context_window"),
        open_weights=ow[0][0] if ow else None,
        parameters=params[0][0] if params else None,
        input_price=_first(rec, "input_price"),
    )


def agreeing_facts(a: Facts, b: Facts) -> tuple[float, list[str]]:
    """Share of comparable facts that agree × min(1, comparable / 2), and the agreeing facts in words."""
    agree: list[str] = []
    comparable = 0
    if a.context is not None and b.context is not None:
        comparable += 1
        if context_class(a.context) == context_class(b.context):
            agree.append(f"context {human_number(a.context)} vs {human_number(b.context)}")
    if a.open_weights is not None and b.open_weights is not None:
        comparable += 1
        if a.open_weights == b.open_weights:
            agree.append("both open weights" if a.open_weights else "both closed weights")
    if a.parameters and b.parameters:
        comparable += 1
        if abs(math.log10(a.parameters / b.parameters)) <= SIZE_RATIO_LOG10:
            agree.append(f"size {human_number(a.parameters)} vs {human_number(b.parameters)}")
    if a.input_price and b.input_price:
        comparable += 1
        if max(a.input_price, b.input_price) / min(a.input_price, b.input_price) <= PRICE_RATIO:
            agree.append(f"input price ${a.input_price:g} vs ${b.input_price:g}")
    if not comparable:
        return 0.0, []
    return len(agree) / comparable * min(1.0, comparable / 2), agree


def _buckets(f: Facts) -> list[tuple[str, int]]:
    out = []
    if f.context is not None:
        out.append(("context", context_class(f.context)))
    if f.open_weights is not None:
        out.append(("open", int(f.open_weights)))
    if f.parameters:
        out.append(("size", round(math.log10(f.parameters) / SIZE_RATIO_LOG10)))
    if f.input_price:
        out.append(("price", round(math.log(f.input_price) / math.log(PRICE_RATIO))))
    return out


class CatalogIndex:
    def __init__(self, catalog: Catalog, profiles: dict[str, Profile]) -> None:
        self.catalog = catalog
        self.profiles = profiles
        self.owner: dict[str, tuple[str, Capability]] = {
            c.id: (mid, c) for mid, r in catalog.records.items() for c in r.capabilities
        }
        self.facts = {mid: facts_of(r) for mid, r in catalog.records.items()}
        self.buckets: dict[tuple[str, str, int], list[str]] = defaultdict(list)
        for mid, f in self.facts.items():
            for name, value in _buckets(f):
                self.buckets[(profiles[mid].job, name, value)].append(mid)
        self.by_benchmark: dict[str, set[str]] = defaultdict(set)
        for mid, r in catalog.records.items():
            for s in r.scores:
                self.by_benchmark[s.benchmark.lower()].add(mid)
        self.pages_of: dict[str, set[str]] = defaultdict(set)
        for sid, mids in catalog.source_models.items():
            for mid in mids:
                self.pages_of[mid].add(sid)
        self.by_job: dict[str, set[str]] = defaultdict(set)
        for mid, prof in profiles.items():
            self.by_job[prof.job].add(mid)
        self.class_models: dict[str, set[str]] = defaultdict(set)
        for mid, ks in catalog.classes.items():
            for k in ks:
                self.class_models[k].add(mid)
        self.keys: dict[str, list[str]] = defaultdict(list)
        for mid, r in catalog.records.items():
            self.keys[name_key(r.model.name)].append(mid)
        self.sorted_keys = sorted(self.keys)
        self.abbreviations: dict[str, list[str]] = defaultdict(list)
        for mid, r in catalog.records.items():
            if (key := abbreviation_key(r.model.name)) is not None:
                self.abbreviations[key].append(mid)

    def class_idf(self, class_id: str) -> float:
        """idf(c) = ln(N / n_c): N models with classes, n_c of them in class c ("generates text" ≈ 0)."""
        n = len(self.class_models.get(class_id, ()))
        return math.log(max(len(self.catalog.classes), 1) / n) if n else 0.0

    def shared_classes(self, model_id: str, other: str) -> tuple[float, list[str]]:
        """Σ idf of the classes both have / Σ idf of the model's classes, and the shared ids rarest first.

        Sharing a rare class ("LoRA fine-tuning") says much more than sharing a common one (issue 11)."""
        own = self.catalog.classes.get(model_id, frozenset())
        total = sum(self.class_idf(k) for k in own)
        shared = sorted(own & self.catalog.classes.get(other, frozenset()), key=lambda k: (-self.class_idf(k), k))
        if not shared or total <= 0:
            return 0.0, shared
        return sum(self.class_idf(k) for k in shared) / total, shared

    def class_peers(self, model_id: str) -> set[str]:
        """Models sharing at least one class with the model."""
        return {m for k in self.catalog.classes.get(model_id, ()) for m in self.class_models[k]} - {model_id}

    def shared_fact_candidates(self, model_id: str, min_shared: int) -> set[str]:
        """Models of the same job sharing at least `min_shared` fact buckets with the model."""
        job = self.profiles[model_id].job
        counts: Counter[str] = Counter()
        for name, value in _buckets(self.facts[model_id]):
            counts.update(self.buckets.get((job, name, value), ()))
        return {m for m, n in counts.items() if n >= min_shared and m != model_id}

    def co_mentioned(self, model_id: str) -> dict[str, float]:
        """Models named on the same pages, each page weighing 1 / (models it names - 1):
        a two-model page is a head-on comparison in all but table form, a 20-model leaderboard says little."""
        out: dict[str, float] = defaultdict(float)
        for sid in self.pages_of.get(model_id, ()):
            mids = set(self.catalog.source_models[sid]) - {model_id}
            for mid in mids:
                out[mid] += 1.0 / len(mids)
        return dict(out)

    def same_job(self, model_id: str) -> set[str]:
        return self.by_job.get(self.profiles[model_id].job, set()) - {model_id}

    def benchmark_peers(self, model_id: str) -> set[str]:
        out: set[str] = set()
        for s in self.catalog.records[model_id].scores:
            out |= self.by_benchmark.get(s.benchmark.lower(), set())
        out.discard(model_id)
        return out

    def name_of(self, model_id: str) -> str:
        return self.catalog.records[model_id].model.name

    def _extensions(self, key: str) -> list[str]:
        """Models whose name key starts with `key` + " " (sorted-key range scan)."""
        out: list[str] = []
        i = bisect.bisect_left(self.sorted_keys, key + " ")
        while i < len(self.sorted_keys) and self.sorted_keys[i].startswith(key + " "):
            out.extend(self.keys[self.sorted_keys[i]])
            i += 1
        return out

    def variants(self, model_id: str) -> set[str]:
        """VARIANT_OF either way, siblings under the same base, snapshot names ("GPT-4o (2024-08-06)"), other
        tiers of the same release ("Gemini 2.5 Flash" of "Gemini 2.5 Pro") and abbreviations ("A1111")."""
        rec = self.catalog.records[model_id]
        direct = {e.other_id for e in rec.evidence if e.kind == "VARIANT_OF"}
        out = set(direct)
        for base in direct:
            if base in self.catalog.records:
                out |= {e.other_id for e in self.catalog.records[base].evidence if e.kind == "VARIANT_OF"}
        name = rec.model.name
        words = name_key(name).split()
        bases = [m for i in range(1, len(words)) for m in self.keys.get(" ".join(words[:i]), [])]
        bases = [b for b in bases if is_snapshot_name(self.catalog.records[b].model.name, name)]
        out |= set(bases)
        for mid in self._extensions(name_key(name)):
            if is_snapshot_name(name, self.catalog.records[mid].model.name):
                out.add(mid)
        for b in bases:  # siblings: other sizes or snapshots of the same base
            base_name = self.catalog.records[b].model.name
            for mid in self._extensions(name_key(base_name)):
                if is_snapshot_name(base_name, self.catalog.records[mid].model.name):
                    out.add(mid)
        if (prefix := tier_prefix(name)) is not None:  # other tiers of one release ("Gemini 2.5 Flash")
            out |= {m for m in self._extensions(prefix) if is_tier_sibling(name, self.name_of(m))}
        for mid in self.abbreviations.get(abbreviation_key(name) or "", ()):  # "A1111" of "AUTOMATIC1111"
            other = self.catalog.records[mid].model.name
            if is_abbreviation(name, other) or is_abbreviation(other, name):
                out.add(mid)
        out.discard(model_id)
        return out
