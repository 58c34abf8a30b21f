"""Answer quality of search, alternatives and overlap against hand-written keys, with two baselines.

    python bench/quality.py [--store DIR] [--rebuild] [--keys bench/keys/quality] [--sweep]

Builds an embedded store from the seeds and ../shared/corpus/ with the real pipeline (kept in --store
and reused), then scores, in one run and side by side:
  capgraph   the hybrid search / evidence alternatives / overlap of capgraph.graph.search (+ match.overlap)
  before     the previous dense-only match.search and match.alternatives, for reference
  bm25       plain BM25 (bm25s, whitespace tokens) over capability texts, best paragraph per model
  rag        naive chunk RAG: the raw texts cut into CHUNK_CHARS chunks, dense retrieval with the same
             encoder, each of the top RAG_CHUNKS chunks votes cosine for every model it names
Metrics: nDCG@5 (gain 2^grade - 1, log2 discount) and recall@5; a key with no relevant model scores 1
when the answer is empty, else 0. Alternatives also report the rate of wrong answers (listed wrong or
own variants) in the top 5; overlap reports pair precision and recall against the key's capability pairs.
Key model names are matched through the resolver's normalization (and the store's names and aliases).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from capgraph.app import Services  # noqa: E402
from capgraph.app.settings import Settings  # noqa: E402
from capgraph.graph import match  # noqa: E402
from capgraph.graph.search.alternatives import alternatives  # noqa: E402
from capgraph.graph.search.constraints import parse_constraints  # noqa: E402
from capgraph.graph.search.hybrid import SearchIndex  # noqa: E402
from capgraph.graph.search.records import Catalog, read_catalog  # noqa: E402
from capgraph.graph.search.text import expand_for_dense  # noqa: E402
from capgraph.ingest.resolve import Resolver, slugify  # noqa: E402

SHARED = ROOT.parent / "shared"
K = 5
CHUNK_CHARS = 600  # about a paragraph or a small table: the usual naive-RAG chunk
CHUNK_OVERLAP = 100
RAG_CHUNKS = 20

Ranking = list[str]


def ndcg(ranked: Ranking, grades: dict[str, int], k: int = K) -> float:
    """Σ_i (2^g_i - 1) / log2(i + 1) over the top k, divided by the same for the ideal order."""
    if not grades:
        return 1.0 if not ranked else 0.0
    dcg = sum((2 ** grades.get(m, 0) - 1) / math.log2(i + 2) for i, m in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    return dcg / sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))


def recall(ranked: Ranking, grades: dict[str, int], k: int = K) -> float:
    if not grades:
        return 1.0 if not ranked else 0.0
    return len(set(ranked[:k]) & set(grades)) / min(len(grades), k)


class Names:
    """Key names -> model ids: the resolver's canonical id, else the slug, else a stored name or alias."""

    def __init__(self, catalog: Catalog, resolver: Resolver) -> None:
        self.catalog, self.resolver = catalog, resolver
        self.by_name: dict[str, str] = {}
        for mid, rec in catalog.records.items():
            for n in (rec.model.name, *rec.model.aliases, mid):
                self.by_name.setdefault(n.lower(), mid)
        self.missing: set[str] = set()

    def id(self, name: str) -> str:
        r = self.resolver.try_canonical(name)
        for cand in ((r.id if r else None), slugify(name), self.by_name.get(name.lower())):
            if cand and cand in self.catalog.records:
                return cand
        self.missing.add(name)
        return f"?{name}"

    def grades(self, relevant: dict[str, int]) -> dict[str, int]:
        """Keys list every spelling of one artifact with the same grade: spellings that resolve to one model
        count once, and an unresolved spelling close to a resolved one (rapidfuzz token-set ratio ≥ 90) is
        the same artifact, not a second relevant model."""
        from rapidfuzz import fuzz

        out: dict[str, int] = {}
        for name, grade in relevant.items():
            mid = self.id(name)
            out[mid] = max(out.get(mid, 0), grade)
        resolved = [self.catalog.name(m) for m in out if not m.startswith("?")]
        for mid in [m for m in out if m.startswith("?")]:
            if any(fuzz.token_set_ratio(mid[1:].lower(), r.lower()) >= 90 for r in resolved):
                del out[mid]
        return out


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def build_store(folder: Path, rebuild: bool) -> Services:
    services = Services(Settings(store=str(folder)))
    if rebuild or not folder.exists() or services.store.stats().sources == 0:
        services.store.clear()
        paths = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "corpus").glob("[0-9]*.txt"))
        if not paths:
            raise SystemExit(f"no texts under {SHARED}/seeds or {SHARED}/corpus")
        t = time.perf_counter()
        report = services.ingest.paths(paths)
        print(
            f"built store: {report.new} texts, {report.models} models, {report.capabilities} capabilities "
            f"in {time.perf_counter() - t:.1f} s; failed: {len(report.failed)}"
        )
    return services


class Bm25Baseline:
    """Plain BM25 over capability texts (name + description), whitespace tokens, best paragraph per model."""

    def __init__(self, catalog: Catalog) -> None:
        import bm25s

        self.owner = [(mid, c) for mid, r in sorted(catalog.records.items()) for c in r.capabilities]
        self.bm25 = bm25s.BM25()
        self.docs = [f"{c.name} {c.description}".lower().split() for _, c in self.owner]
        self.bm25.index(self.docs or [["\x00"]], show_progress=False)

    def rank(self, query: str, exclude: str | None = None) -> Ranking:
        if not self.owner:
            return []
        scores = self.bm25.get_scores(query.lower().split())
        best: dict[str, float] = {}
        for (mid, _), s in zip(self.owner, scores, strict=True):
            if s > 0 and mid != exclude:
                best[mid] = max(best.get(mid, 0.0), float(s))
        return sorted(best, key=lambda m: -best[m])


class ChunkRag:
    """Naive RAG: fixed-size chunks of the raw texts, dense top chunks, each votes for the models it names."""

    def __init__(self, services: Services, catalog: Catalog) -> None:
        self.chunks: list[str] = []
        for text, _, _ in services.store.stored_texts():
            step = CHUNK_CHARS - CHUNK_OVERLAP
            self.chunks += [text[i : i + CHUNK_CHARS] for i in range(0, max(len(text) - CHUNK_OVERLAP, 1), step)]
        self.encoder = services.encoder
        self.matrix = self.encoder.encode(self.chunks)
        patterns = {
            mid: re.compile(
                "|".join(rf"(?<![\w-]){re.escape(n)}(?![\w-])" for n in {r.model.name, *r.model.aliases}), re.I
            )
            for mid, r in catalog.records.items()
        }
        self.named = [{mid for mid, p in patterns.items() if p.search(c)} for c in self.chunks]

    def rank(self, query: str, exclude: str | None = None) -> Ranking:
        sims = self.matrix @ self.encoder.encode([query])[0]
        votes: dict[str, float] = {}
        for i in np.argsort(-sims)[:RAG_CHUNKS]:
            for mid in self.named[int(i)] - {exclude}:
                votes[mid] = votes.get(mid, 0.0) + float(sims[i])
        return sorted(votes, key=lambda m: -votes[m])


def table(title: str, rows: dict[str, dict[str, float]]) -> None:
    cols = list(next(iter(rows.values())).keys()) if rows else []
    print(f"\n{title}\n  {'system':10s}" + "".join(f"{c:>14s}" for c in cols))
    for system, vals in rows.items():
        print(f"  {system:10s}" + "".join(f"{vals[c]:14.3f}" for c in cols))


def score_search(
    keys: list[dict[str, Any]],
    names: Names,
    systems: dict[str, Callable[[str], Ranking]],
    verbose: bool,
    groups: dict[str, dict[str, dict[str, float]]] | None = None,
) -> dict[str, dict[str, float]]:
    """Mean nDCG@5 / recall@5 per system; with `groups`, also per key family, per key set (the original keys
    vs those added later, marked "added") and per half of the keys by line parity ("half even" / "half odd":
    a tuning change should help both), filled in as groups[group][system]."""
    out: dict[str, dict[str, float]] = {}
    for system, run in systems.items():
        n, r, lat = [], [], []
        by_group: dict[str, list[tuple[float, float]]] = {}
        for i, key in enumerate(keys):
            grades = names.grades(key["relevant"])
            t = time.perf_counter()
            ranked = run(key["query"])[:K]
            lat.append((time.perf_counter() - t) * 1000)
            n.append(ndcg(ranked, grades))
            r.append(recall(ranked, grades))
            half = f"half {('even', 'odd')[i % 2]}"
            for g in (f"family {key.get('family', '?')}", f"keys {key.get('added', 'original')}", half):
                by_group.setdefault(g, []).append((n[-1], r[-1]))
            if verbose and system == "capgraph" and n[-1] < 0.5:
                print(f"  [{n[-1]:.2f}] {key['query']!r}: got {ranked} want {sorted(grades)}")
        out[system] = {"nDCG@5": statistics.fmean(n), "recall@5": statistics.fmean(r), "p50 ms": statistics.median(lat)}
        if groups is not None:
            for g, vals in by_group.items():
                groups.setdefault(g, {})[system] = {
                    "n": float(len(vals)),
                    "nDCG@5": statistics.fmean(v[0] for v in vals),
                    "recall@5": statistics.fmean(v[1] for v in vals),
                }
    return out


def group_table(groups: dict[str, dict[str, dict[str, float]]]) -> None:
    """One line per key group: nDCG@5 and recall@5 of each system side by side."""
    systems = list(next(iter(groups.values())).keys()) if groups else []
    print(
        "\nsearch by key group (nDCG@5 / recall@5)\n  "
        + f"{'group':22s}{'n':>4s}"
        + "".join(f"{s:>16s}" for s in systems)
    )
    for g in sorted(groups):
        row = groups[g]
        cells = "".join(f"{row[s]['nDCG@5']:8.3f}/{row[s]['recall@5']:.3f}".rjust(16) for s in systems)
        print(f"  {g:22s}{int(next(iter(row.values()))['n']):4d}{cells}")


def score_alternatives(
    keys: list[dict[str, Any]], names: Names, systems: dict[str, Callable[[str], Ranking]], verbose: bool
) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for system, run in systems.items():
        n, r, wrong, lat = [], [], [], []
        for key in keys:
            mid = names.id(key["model"])
            grades = names.grades(key.get("relevant", {}))
            bad = {names.id(x) for x in [*key.get("wrong", []), *key.get("variants", [])]}
            t = time.perf_counter()
            ranked = run(mid)[:K] if mid in names.catalog.records else []
            lat.append((time.perf_counter() - t) * 1000)
            n.append(ndcg(ranked, grades))
            r.append(recall(ranked, grades))
            wrong.append(sum(m in bad for m in ranked) / K)
            if verbose and system == "capgraph" and n[-1] < 0.5:
                print(f"  [{n[-1]:.2f}] {key['model']!r}: got {ranked} want {sorted(grades)}")
        out[system] = {
            "nDCG@5": statistics.fmean(n),
            "recall@5": statistics.fmean(r),
            "wrong@5": statistics.fmean(wrong),
            "p50 ms": statistics.median(lat),
        }
    return out


Pair = tuple[str, str]


def score_overlap(
    keys: list[dict[str, Any]],
    names: Names,
    systems: dict[str, Callable[[str, str], list[Pair]]],
    verbose: bool = False,
) -> dict[str, dict[str, float]]:
    """A predicted pair (capability texts) is right when it contains a key pair's verbatim fragments.
    `verbose` prints capgraph's missed key pairs and wrong predicted pairs."""

    def hit(pair: Pair, want: dict[str, str]) -> bool:
        return want["a_cap"].lower() in pair[0].lower() and want["b_cap"].lower() in pair[1].lower()

    out: dict[str, dict[str, float]] = {}
    for system, run in systems.items():
        tp_pred = n_pred = tp_key = n_key = 0
        for key in keys:
            a, b = names.id(key["a"]), names.id(key["b"])
            pairs = run(a, b) if a in names.catalog.records and b in names.catalog.records else []
            shared = key.get("shared", [])
            n_pred += len(pairs)
            n_key += len(shared)
            tp_pred += sum(any(hit(p, w) for w in shared) for p in pairs)
            tp_key += sum(any(hit(p, w) for p in pairs) for w in shared)
            if verbose and system == "capgraph":
                for w in shared:
                    if not any(hit(p, w) for p in pairs):
                        print(f"  missed {key['a']} / {key['b']}: {w['a_cap'][:60]!r} ~ {w['b_cap'][:60]!r}")
                for p in pairs:
                    if not any(hit(p, w) for w in shared):
                        print(f"  wrong  {key['a']} / {key['b']}: {p[0][:60]!r} ~ {p[1][:60]!r}")
        out[system] = {
            "precision": tp_pred / n_pred if n_pred else 1.0,
            "recall": tp_key / n_key if n_key else 1.0,
            "pairs": float(n_pred),
        }
    return out


def score_pairs(store: Any, same: list[Pair]) -> dict[str, dict[str, float]]:
    """Pairwise precision/recall against a key of capability pairs marked the same.

    Overlap: for each model pair the key names, the predicted pairs are `match.overlap(...).shared`; a key
    pair is found when overlap pairs exactly those two capabilities; precision counts every predicted pair
    of those model pairs (a pair the key does not mark the same is wrong; `different` lines document).
    Classes: every pair of capabilities in one class is predicted "same", scored the same way over the
    keyed model pairs.
    Pairs whose capabilities are not in the store are left out (printed).
    """
    known = set(store.all_capability_ids())
    keyed = {tuple(sorted(p)) for p in same if p[0] in known and p[1] in known}
    left_out = len({tuple(sorted(p)) for p in same}) - len(keyed)
    model_pairs = sorted({tuple(sorted((a.split(":")[0], b.split(":")[0]))) for a, b in keyed})
    caps = {c.id: c for c in store.get_capabilities(sorted(known))}
    member_of = store.class_memberships(sorted(known))
    out: dict[str, dict[str, float]] = {}
    for system, by_class in (("capgraph (classes first)", True), ("before (cosine only)", False)):
        predicted = set()
        for a, b in model_pairs:
            for p in match.overlap(store, a, b, by_class=by_class).shared:
                predicted.add(tuple(sorted((p.a.id, p.b.id))))
        tp = len(predicted & keyed)
        out[system] = {
            "precision": tp / len(predicted) if predicted else 1.0,
            "recall": tp / len(keyed) if keyed else 1.0,
            "pairs": float(len(predicted)),
        }
    wanted = set(model_pairs)
    classed = {
        tuple(sorted((x, y)))
        for x in caps
        for y in caps
        if x < y
        and member_of.get(x) is not None
        and member_of.get(x) == member_of.get(y)
        and tuple(sorted((caps[x].model_id, caps[y].model_id))) in wanted
    }
    tp = len(classed & keyed)
    out["same class"] = {
        "precision": tp / len(classed) if classed else 1.0,
        "recall": tp / len(keyed) if keyed else 1.0,
        "pairs": float(len(classed)),
    }
    print(f"pair key: {len(keyed)} pairs over {len(model_pairs)} model pairs ({left_out} not in the store)")
    return out


def calibrate_classes(store: Any, labelled: list[tuple[str, str, bool]]) -> None:
    """How `classes.CLASS_THRESHOLD` is calibrated: each labelled pair (same or different) is scored with the
    class blend, W_DENSE * cos + (1 - W_DENSE) * dice(terms a, terms b), and `calibrate_threshold` gives the
    lowest score whose pairs at or above it are `same` with the required precision; printed with the
    pairwise P/R of the blend at the threshold in use."""
    from capgraph.graph import classes

    known = set(store.all_capability_ids())
    pairs = [(a, b, y) for a, b, y in labelled if a in known and b in known]
    if not pairs or not any(y for _, _, y in pairs):
        return
    caps = {c.id: c for c in store.get_capabilities(sorted({x for a, b, _ in pairs for x in (a, b)}))}
    scored = []
    for a, b, same in pairs:
        va, vb = store.vectors([a, b])
        terms_a, terms_b = classes.capability_terms(caps[a]), classes.capability_terms(caps[b])
        blend = classes.W_DENSE * float(va @ vb) + (1 - classes.W_DENSE) * classes.dice(terms_a, terms_b)
        scored.append((blend, same))
    t = classes.CLASS_THRESHOLD
    tp = sum(1 for s, y in scored if s >= t and y)
    kept = sum(1 for s, _ in scored if s >= t)
    positives = sum(1 for _, y in scored if y)
    print(
        f"class blend on {len(scored)} labelled pairs ({positives} same): at {t} P {tp / kept if kept else 1.0:.3f} "
        f"R {tp / positives:.3f}; calibrated threshold for P>=0.8 "
        f"{classes.calibrate_threshold(scored, 0.8):.3f}, P>=0.9 {classes.calibrate_threshold(scored, 0.9):.3f}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--store", type=Path, default=Path("/tmp/capgraph-quality-store"))
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--keys", type=Path, default=ROOT / "bench" / "keys" / "quality")
    ap.add_argument("--verbose", action="store_true", help="print capgraph's misses")
    ap.add_argument("--sweep", action="store_true", help="nDCG@5 of search over relevance floors")
    ap.add_argument(
        "--pairs",
        type=Path,
        help="a key of capability id pairs a person marks the same ('a b [same|different]' per line, "
        "'#' comments; e.g. bench/keys/quality/same_capability_pairs.txt): prints "
        "overlap pair precision/recall on the keyed model pairs, and same-class pairwise precision/recall",
    )
    args = ap.parse_args(argv)
    search_keys, alt_keys, ov_keys = (load(args.keys / f"{n}.jsonl") for n in ("search", "alternatives", "overlap"))
    print(f"keys: {len(search_keys)} search, {len(alt_keys)} alternatives, {len(ov_keys)} overlap ({args.keys})")
    services = build_store(args.store, args.rebuild)
    store = services.store
    catalog = read_catalog(store)
    t = time.perf_counter()
    index = SearchIndex(catalog, services.encoder, store.nearest)
    print(f"search index: {len(index.passages)} passages in {time.perf_counter() - t:.1f} s")
    names = Names(catalog, services.resolver)
    bm25, rag = Bm25Baseline(catalog), ChunkRag(services, catalog)

    def cap_text(cid: str) -> str:
        c = store.get_capabilities([cid])[0]
        return " ".join(x for x in (c.name, c.description, c.unique or "", c.vs_alternatives or "") if x)

    queries = [k["query"] for k in search_keys]  # encoded once up front so no system pays the model's first call
    needs = [expand_for_dense(parse_constraints(q)[1]) for q in queries]
    services.encoder.encode([*queries, *needs, *(f"alternatives to {catalog.name(m)}" for m in catalog.records)])
    if search_keys:
        groups: dict[str, dict[str, dict[str, float]]] = {}
        table(
            "search",
            score_search(
                search_keys,
                names,
                {
                    "capgraph": lambda q: [h.model.id for h in index.search(q, K).hits],
                    "before": lambda q: [h.model.id for h in match.search(store, services.encoder, q, K).hits],
                    "bm25": bm25.rank,
                    "rag": rag.rank,
                },
                args.verbose,
                groups,
            ),
        )
        group_table(groups)
    if search_keys and args.sweep:
        for dense in (0.30, 0.35, 0.40, 0.45, 0.50):
            for lex in (0.3, 0.4, 0.5, 0.6, 0.7):
                probe = SearchIndex.__new__(SearchIndex)
                probe.__dict__.update(index.__dict__, dense_floor=dense, lexical_floor=lex)
                res = score_search(
                    search_keys, names, {"x": lambda q, p=probe: [h.model.id for h in p.search(q, K).hits]}, False
                )["x"]
                print(
                    f"  floor dense {dense:.2f} lexical {lex:.1f}: "
                    f"nDCG@5 {res['nDCG@5']:.3f} recall@5 {res['recall@5']:.3f}"
                )
    if alt_keys:
        profiles = index.profiles
        table(
            "alternatives",
            score_alternatives(
                alt_keys,
                names,
                {
                    "capgraph": lambda m: [
                        a.model.id for a in alternatives(catalog, profiles, m, store, K).alternatives
                    ],
                    "before": lambda m: [a.model.id for a in match.alternatives(store, m, K).alternatives],
                    "bm25": lambda m: bm25.rank(catalog.name(m), exclude=m),
                    "rag": lambda m: rag.rank(f"alternatives to {catalog.name(m)}", exclude=m),
                },
                args.verbose,
            ),
        )
    if ov_keys:
        overlap_systems: dict[str, Callable[[str, str], list[Pair]]] = {
            "capgraph": lambda a, b: [(cap_text(p.a.id), cap_text(p.b.id)) for p in match.overlap(store, a, b).shared],
            "before": lambda a, b: [
                (cap_text(p.a.id), cap_text(p.b.id)) for p in match.overlap(store, a, b, by_class=False).shared
            ],
        }
        table("overlap", score_overlap(ov_keys, names, overlap_systems, args.verbose))
        # the key's two halves (odd and even lines) apart: a rule tuned on one half should hold on the other
        halves = {
            f"{system} {half}": (system, ov_keys[i::2]) for system in overlap_systems for i, half in enumerate("AB")
        }
        table(
            "overlap, key halves A (lines 1, 3, ...) and B (lines 2, 4, ...)",
            {
                label: score_overlap(keys, names, {system: overlap_systems[system]})[system]
                for label, (system, keys) in halves.items()
            },
        )
    if args.pairs:
        rows = [line.split("#")[0].split() for line in args.pairs.read_text().splitlines()]
        same_pairs = [(r[0], r[1]) for r in rows if len(r) >= 2 and (len(r) == 2 or r[2] == "same")]
        table("overlap on the pair key", score_pairs(store, same_pairs))
        calibrate_classes(store, [(r[0], r[1], r[2] == "same") for r in rows if len(r) >= 3])
    if names.missing:
        print(f"\nkey names not in the store ({len(names.missing)}): {sorted(names.missing)}")


if __name__ == "__main__":
    main()
