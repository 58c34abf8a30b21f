"""Capability classes: the capabilities of different models that do the same thing, under one readable name.

Pairwise SIMILAR_TO links say "these two are alike"; a class says "this is function calling, and these
models have it". Classes are built incrementally and deterministically so a new source joins existing
classes without renaming the world, and a rebuild in the same order gives the same ids.

Similarity of a capability to a class (average linkage through the class centroid):
    s = W_DENSE * cos(v, centroid) + (1 - W_DENSE) * dice(terms(c), terms(class))
where `dice` is the Dice coefficient of the capability's content terms and the class's majority terms
(terms shared by at least half of its members). The lexical half lets "LoRA fine-tuning" meet "LoRA
adapters" even where all-MiniLM places them apart; the dense half lets paraphrases meet.
A capability joins the most similar class that has no capability of the same model, when s ≥ threshold;
otherwise it founds a class of its own.

Names: class-based TF-IDF over the members' own words, whole phrases (`graph/class_names.py`).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from capgraph.graph.class_names import capability_terms, name_classes, terms
from capgraph.graph.schema import Capability, CapabilityClass
from capgraph.graph.store import ClassIndex

__all__ = [
    "CapabilityClass",
    "assign_classes",
    "calibrate_threshold",
    "capability_terms",
    "classify",
    "name_classes",
    "terms",
]

Matrix = npt.NDArray[np.float32]

W_DENSE = 0.7
"""Weight of the dense cosine in the blend; the lexical Dice coefficient gets the rest."""

CLASS_THRESHOLD = 0.46
"""Blend score at or above which a capability joins a class. Calibrated with `calibrate_threshold` on the
cross-model capability pairs of the seeds, scored pair by pair with this blend against a held-out key of
pairs a person marked the same (every other pair of the keyed models counted as different): the lowest
threshold with precision ≥ 0.8 is 0.465 (0.54 for ≥ 0.9, at half the recall). Same-capability pairs the
blend still misses score 0.23-0.37 ("Supports batch processing" / "Processes multiple similar problems"),
below unrelated pairs of generic wording, so no threshold separates them. Re-checked on the 109 labelled pairs
of bench/keys/quality/same_capability_pairs.txt (`bench/quality.py --pairs`): P≥0.8 gives 0.465 again (pairwise
P 0.79 R 0.63 at 0.46), P≥0.9 gives 0.49."""

CANDIDATE_COSINE = (CLASS_THRESHOLD - (1 - W_DENSE)) / W_DENSE
"""Stored neighbours below this cosine cannot reach the threshold even with a perfect Dice, so their
classes are not read: cos ≥ (threshold - (1 - W_DENSE)) / W_DENSE."""

CANDIDATES_PER_CAPABILITY = 4
"""Stored neighbours, nearest first, whose classes a new capability is scored against: a class it can join
holds a capability close to it, and a few keep the reads per document small (see `classify`)."""


class _Building(BaseModel):
    """A class while members are assigned: running centroid and term counts for cheap updates."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    id: str
    members: list[str]
    models: set[str]
    centroid_sum: Matrix
    terms: Counter[str]


def dice(a: Iterable[str], b: Iterable[str]) -> float:
    """Dice coefficient 2|A∩B| / (|A|+|B|) of two term sets; 0 when both are empty."""
    sa, sb = set(a), set(b)
    return 2 * len(sa & sb) / (len(sa) + len(sb)) if sa or sb else 0.0


def class_id(founder: Capability) -> str:
    """Stable id from the founding capability: re-ingest and rebuild in the same order keep it."""
    return "class:" + hashlib.sha256(founder.id.encode()).hexdigest()[:16]


def _majority_terms(building: _Building) -> set[str]:
    need = max(1, math.ceil(len(building.members) / 2))
    return {t for t, n in building.terms.items() if n >= need}


def _unit(v: Matrix) -> Matrix:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


class _CentroidTable:
    """Unit centroids of the classes being built, one row each, so a capability's cosine to every class is
    one matrix-vector product and only classes that can reach the threshold are scored in Python.

    A class can reach it only if W_DENSE * cos + (1 - W_DENSE) * 1 ≥ threshold (Dice is at most 1), so
    `candidates` returns the classes with cos ≥ (threshold - (1 - W_DENSE)) / W_DENSE, in class order,
    leaving out the classes that already hold a capability of the model. Rows live in a buffer that
    grows by doubling, so adding a class costs O(dim) amortized.
    """

    def __init__(self, dim: int, capacity: int) -> None:
        self._rows = np.zeros((max(capacity, 1), dim), dtype=np.float32)
        self._classes: list[_Building] = []
        self._row_of: dict[str, int] = {}
        self._by_model: dict[str, set[int]] = {}

    def add(self, building: _Building, centroid: Matrix) -> None:
        row = len(self._classes)
        if row == len(self._rows):
            self._rows = np.concatenate([self._rows, np.zeros_like(self._rows)])
        self._classes.append(building)
        self._row_of[building.id] = row
        if centroid.size:
            self._rows[row] = centroid
        for model in building.models:
            self._by_model.setdefault(model, set()).add(row)

    def update(self, building: _Building, centroid: Matrix, model: str) -> None:
        row = self._row_of[building.id]
        if centroid.size:
            self._rows[row] = centroid
        self._by_model.setdefault(model, set()).add(row)

    def centroid(self, building: _Building) -> Matrix:
        row: Matrix = self._rows[self._row_of[building.id]]
        return row

    def by_id(self, class_id: str) -> _Building | None:
        row = self._row_of.get(class_id)
        return None if row is None else self._classes[row]

    def candidates(self, v: Matrix, model: str, floor: float) -> list[_Building]:
        n = len(self._classes)
        taken = self._by_model.get(model, set())
        if not n or len(taken) >= n:
            return []
        cosine = self._rows[:n] @ v if v.size else np.zeros(n, dtype=np.float32)
        if taken:
            cosine[list(taken)] = -np.inf
        return [self._classes[i] for i in np.flatnonzero(cosine >= floor)]


def assign_classes(
    capabilities: Sequence[Capability],
    vectors: Matrix,
    existing: Sequence[CapabilityClass] = (),
    known_vectors: dict[str, Matrix] | None = None,
    known_capabilities: dict[str, Capability] | None = None,
    threshold: float = CLASS_THRESHOLD,
    previous: Mapping[str, str] | None = None,
) -> list[CapabilityClass]:
    """Assign `capabilities` (rows of `vectors`, unit-normalized) to `existing` classes or to new ones.

    `known_vectors` and `known_capabilities` describe the members of `existing` (needed to rebuild their
    centroids and terms). `previous` (capability id -> class id, what a store held before `rebuild`)
    wins over scoring: such a capability rejoins or refounds its old class, so ids and members survive a
    rebuild whatever order the texts come back in. Returns every class, existing ones first, in a
    deterministic order; the classes this call creates or grows are (re)named with `name_classes`, the
    others keep their names.

    >>> caps = [Capability(id="a:1", model_id="a", name="Function calling", description="Calls tools"),
    ...         Capability(id="b:1", model_id="b", name="Function calling", description="Calls tools")]
    >>> v = np.ones((2, 4), dtype=np.float32) / 2
    >>> [c.size for c in assign_classes(caps, v)]
    [2]
    """
    by_id = dict(known_capabilities or {})
    vecs = dict(known_vectors or {})
    building: list[_Building] = []
    dim = vectors.shape[1] if vectors.ndim == 2 else 0
    for cls in existing:
        present = [m for m in cls.members if m in by_id and m in vecs]
        if not present:
            continue
        building.append(
            _Building(
                id=cls.id,
                members=present,
                models={by_id[m].model_id for m in present},
                centroid_sum=np.sum([vecs[m] for m in present], axis=0).astype(np.float32),
                terms=Counter(t for m in present for t in set(capability_terms(by_id[m]))),
            )
        )
    seen = {m for b in building for m in b.members}
    names = {cls.id: cls for cls in existing}
    table = _CentroidTable(dim, len(building) + len(capabilities))
    for b in building:
        table.add(b, _unit(b.centroid_sum))
    floor = (threshold - (1 - W_DENSE)) / W_DENSE - 1e-6  # below it no class can reach the threshold
    changed: set[str] = set()
    # per class: majority terms, recomputed only when the class gains a member (centroids live in `table`)
    majorities: dict[str, set[str]] = {}
    hints = previous or {}
    for row, cap in enumerate(capabilities):
        if cap.id in seen:
            continue
        seen.add(cap.id)
        v = vectors[row]
        cap_terms = set(capability_terms(cap))
        best, best_score = None, threshold
        hint = hints.get(cap.id)
        hinted = table.by_id(hint) if hint is not None else None
        if hint is not None and (hinted is None or cap.model_id in hinted.models):
            best_score = math.inf  # found (or refound) the old class rather than join another
        elif hinted is not None:
            best, best_score = hinted, math.inf
        for b in table.candidates(v, cap.model_id, floor) if best_score < math.inf else []:
            if b.id not in majorities:
                majorities[b.id] = _majority_terms(b)
            centroid, majority = table.centroid(b), majorities[b.id]
            score = W_DENSE * float(v @ centroid) + (1 - W_DENSE) * dice(cap_terms, majority)
            if score >= best_score:
                best, best_score = b, score
        if best is None:
            taken = hinted is not None
            building.append(
                _Building(
                    id=hint if hint is not None and not taken else class_id(cap),
                    members=[cap.id],
                    models={cap.model_id},
                    centroid_sum=v.astype(np.float32).copy() if dim else np.zeros(0, np.float32),
                    terms=Counter(cap_terms),
                )
            )
            changed.add(building[-1].id)
            table.add(building[-1], _unit(building[-1].centroid_sum))
        else:
            best.members.append(cap.id)
            best.models.add(cap.model_id)
            best.centroid_sum = best.centroid_sum + v
            best.terms.update(cap_terms)
            majorities.pop(best.id, None)
            changed.add(best.id)
            table.update(best, _unit(best.centroid_sum), cap.model_id)
        by_id[cap.id] = cap
    classes = [CapabilityClass(id=b.id, name="", members=list(b.members)) for b in building]
    named = {c.id: c for c in name_classes(classes, by_id, only=changed, counts=[b.terms for b in building])}
    return [
        named[c.id] if c.id in changed or c.id not in names else names[c.id].model_copy(update={"members": c.members})
        for c in classes
    ]


def calibrate_threshold(scored: Sequence[tuple[float, bool]], min_precision: float = 0.9) -> float:
    """The lowest threshold whose pairs at or above it are `same` with precision ≥ `min_precision`.

    `scored` holds (blend score, whether a person marked the pair as the same capability). Lowest such
    threshold = highest recall at the required precision; when no threshold reaches it, the one with the
    best F1. `bench/quality.py --pairs` runs it on the pair key's labelled pairs.

    >>> calibrate_threshold([(0.9, True), (0.7, True), (0.6, False), (0.4, False)])
    0.7
    """
    ranked = sorted(scored, key=lambda p: -p[0])
    positives = sum(1 for _, same in ranked if same)
    if not ranked or positives == 0:
        return CLASS_THRESHOLD
    best_f1, best_f1_threshold = -1.0, ranked[0][0]
    chosen: float | None = None
    hits = 0
    for i, (score, same) in enumerate(ranked):
        hits += same
        if i + 1 < len(ranked) and ranked[i + 1][0] == score:
            continue
        precision, recall = hits / (i + 1), hits / positives
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        if f1 > best_f1:
            best_f1, best_f1_threshold = f1, score
        if precision >= min_precision:
            chosen = score
    return chosen if chosen is not None else best_f1_threshold


def classify(
    store: ClassIndex,
    capabilities: Sequence[Capability],
    vectors: Matrix,
    neighbours: Sequence[Sequence[tuple[str, float]]],
    previous: Mapping[str, str] | None = None,
    threshold: float = CLASS_THRESHOLD,
) -> list[CapabilityClass]:
    """The classes a document's new `capabilities` create or grow, whole, for `IngestBatch.classes`.

    Only the classes of stored capabilities near the new ones are read: `neighbours` is the vector search
    the similarity linking already ran (`store.nearest`), its best `CANDIDATES_PER_CAPABILITY` above
    `CANDIDATE_COSINE`; so assignment costs a few reads of small classes on top of linking, not a pass over
    the store. Names are computed with
    class-based TF-IDF over those candidate classes; classes the document does not touch keep theirs.
    """
    if not len(capabilities):
        return []
    new_ids = {c.id for c in capabilities}
    near = sorted(
        {
            cid
            for hits in neighbours
            for cid, s in sorted(
                ((c, s) for c, s in hits if s >= CANDIDATE_COSINE and c not in new_ids), key=lambda h: -h[1]
            )[:CANDIDATES_PER_CAPABILITY]
        }
    )
    class_ids = set(store.class_memberships(near).values()) if near else set()
    class_ids |= {h for c in capabilities if (h := (previous or {}).get(c.id)) is not None}
    existing = store.get_classes(sorted(class_ids)) if class_ids else []
    member_ids = sorted({m for cls in existing for m in cls.members} - new_ids)
    known_caps = {c.id: c for c in store.get_capabilities(member_ids)} if member_ids else {}
    with_vectors = [m for m, has in zip(member_ids, store.has_vectors(member_ids), strict=True) if has]
    known_vectors = dict(zip(with_vectors, store.vectors(with_vectors), strict=True)) if with_vectors else {}
    before = {cls.id: set(cls.members) for cls in existing}
    assigned = assign_classes(capabilities, vectors, existing, known_vectors, known_caps, threshold, previous)
    return [cls for cls in assigned if set(cls.members) != before.get(cls.id)]
