"""Extraction quality on the real-page corpus: recall and precision of scores, claims and pairs.

Runs `parse_text` on every page of `../shared/corpus` (and the seeds), matches the result against the
hand-written keys in `bench/keys/extraction/` and prints per-page and overall figures, plus the parse
time of the whole corpus against the encoder time of the same texts (`--encode`).

Matching: a key model is the extracted model its name resolves to (resolver normalization, then a
fuzzy match on the slug); benchmarks match by `benchmark_key`; numbers within 1% relative.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from capgraph.errors import IngestError  # noqa: E402
from capgraph.graph.schema import Claim, Extraction  # noqa: E402
from capgraph.ingest.benchmarks import benchmark_key  # noqa: E402
from capgraph.ingest.parse import parse_text  # noqa: E402
from capgraph.ingest.resolve import default_resolver, slugify  # noqa: E402
from capgraph.ingest.vocab import iso_date  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
SEEDS = ROOT.parent / "shared" / "seeds"
KEYS = ROOT / "bench" / "keys" / "extraction"
VOCABULARY = frozenset(
    {"context_window", "max_output_tokens", "input_price", "output_price", "parameters", "active_parameters",
     "open_weights", "license", "release_date", "knowledge_cutoff", "modalities", "self_hostable"}
)  # fmt: skip
# Relative tolerance on numbers; fuzzy-name threshold (rapidfuzz ratio, 0-100) for key model names.
REL_TOL = 0.01
FUZZY_MIN = 88
# Encoder input size for the timing comparison (about one capability paragraph).
CHUNK_CHARS = 500


def page_body(path: Path) -> str:
    """The page as a crawler stored it, `URL:` line included (`parse_text` reads it as the page's address)."""
    return path.read_text(encoding="utf-8")


@dataclass
class Tally:
    hit: int = 0
    key: int = 0
    found: int = 0
    correct: int = 0

    def add(self, other: Tally) -> None:
        self.hit += other.hit
        self.key += other.key
        self.found += other.found
        self.correct += other.correct

    def recall(self) -> float:
        return self.hit / self.key if self.key else 1.0

    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0


@dataclass
class PageResult:
    page: str
    scores: Tally = field(default_factory=Tally)
    claims: Tally = field(default_factory=Tally)
    pairs: Tally = field(default_factory=Tally)
    error: str | None = None


def close(a: float, b: float) -> bool:
    return abs(a - b) <= REL_TOL * max(abs(a), abs(b), 1e-12)


def model_matcher(extraction: Extraction) -> Any:
    resolver = default_resolver()
    names: list[tuple[str, str]] = []
    for m in extraction.models:
        for n in [m.name, m.id, *m.aliases]:
            names.append((slugify(n), m.id))
    ids = {m.id for m in extraction.models}

    def match(name: str) -> str | None:
        resolved = resolver.try_canonical(name)
        if resolved is not None and resolved.id in ids:
            return resolved.id
        slug = slugify(name)
        best, best_score = None, 0.0
        for cand, mid in names:
            score = fuzz.ratio(slug, cand)
            if score > best_score:
                best, best_score = mid, score
        if best_score >= FUZZY_MIN:
            return best
        # a page's short or long form of one name ("Mixtral 8x22B v0.1" for mixtral-8x22b)
        related = [i for i in ids if slug.startswith(i + "-") or i.startswith(slug + "-")]
        return max(related, key=len) if len(related) == 1 else None

    return match


def claim_matches(claim: Claim, value: Any) -> bool:
    if isinstance(value, bool):
        return claim.value.lower() in ("true", "yes") if value else claim.value.lower() in ("false", "no")
    if isinstance(value, (int, float)):
        return claim.number is not None and close(claim.number, float(value))
    if isinstance(value, list):
        return {v.strip().lower() for v in claim.value.split(",")} == {str(v).lower() for v in value}
    text = str(value).lower()
    if claim.attribute in ("release_date", "knowledge_cutoff"):
        return (iso_date(claim.value) or claim.value) == text
    return text in claim.value.lower() or claim.value.lower() in text


def score_page(extraction: Extraction, key: dict[str, Any]) -> PageResult:
    result = PageResult(key["page"])
    match = model_matcher(extraction)
    used: set[int] = set()
    for s in key["scores"]:
        result.scores.key += 1
        mid = match(s["model"])
        bkey = benchmark_key(s["benchmark"])
        for i, got in enumerate(extraction.scores):
            if got.model_id == mid and benchmark_key(got.benchmark) == bkey and close(got.value, float(s["value"])):
                result.scores.hit += 1
                used.add(i)
                break
    key_scores = {(match(s["model"]), benchmark_key(s["benchmark"])) for s in key["scores"]}
    for i, got in enumerate(extraction.scores):
        result.scores.found += 1
        if i in used or (got.model_id, benchmark_key(got.benchmark)) not in key_scores:
            # an unkeyed score is wrong; a keyed one with another value is wrong too
            result.scores.correct += int(i in used)
        else:
            result.scores.correct += 0
    vocab_claims = [c for c in extraction.claims if c.attribute in VOCABULARY]
    used_claims: set[int] = set()
    for c in key["claims"]:
        result.claims.key += 1
        mid = match(c["model"])
        for i, got in enumerate(vocab_claims):
            if got.model_id == mid and got.attribute == c["attribute"] and claim_matches(got, c["value"]):
                result.claims.hit += 1
                used_claims.add(i)
                break
    keyed_attr = {(match(c["model"]), c["attribute"]) for c in key["claims"]}
    for i, got in enumerate(vocab_claims):
        result.claims.found += 1
        result.claims.correct += int(
            i in used_claims
            or (
                (got.model_id, got.attribute) in keyed_attr
                and any(
                    got.model_id == match(c["model"])
                    and got.attribute == c["attribute"]
                    and claim_matches(got, c["value"])
                    for c in key["claims"]
                )
            )
        )
    got_pairs = {frozenset((c.a, c.b)) for c in extraction.comparisons}
    key_pairs = set()
    for a, b in key["pairs"]:
        ma, mb = match(a), match(b)
        key_pairs.add(frozenset((ma or f"?{a}", mb or f"?{b}")))
    result.pairs.key = len(key_pairs)
    result.pairs.hit = len(key_pairs & got_pairs)
    result.pairs.found = len(got_pairs)
    result.pairs.correct = len(key_pairs & got_pairs)
    return result


def parse_pages() -> tuple[dict[str, Extraction | None], list[str], float, int]:
    """Parse every corpus page and seed: extractions by file stem, texts, seconds, crashes."""
    pages = sorted(CORPUS.glob("[0-9]*.txt")) + sorted(SEEDS.glob("*.txt"))
    texts: list[str] = []
    parsed: dict[str, Extraction | None] = {}
    crashes = 0
    started = time.perf_counter()
    for path in pages:
        body = page_body(path)
        texts.append(body)
        try:
            parsed[path.stem] = parse_text(body)
        except IngestError:
            parsed[path.stem] = None
        except Exception as exc:  # a crash is a finding, reported by the caller
            crashes += 1
            parsed[path.stem] = None
            print(f"CRASH {path.name}: {exc!r}")
    return parsed, texts, time.perf_counter() - started, crashes


def selected(stem: str, pages: str) -> bool:
    """Whether a keyed page is in the chosen half: `even`/`odd` by its number (the dev and check halves
    of the corpus), `all`, or otherwise a glob on the file stem."""
    if pages == "all":
        return True
    if pages in ("even", "odd"):
        number = int(stem.split("_", 1)[0])
        return number % 2 == (0 if pages == "even" else 1)
    return fnmatch.fnmatch(stem, pages)


def pair_band(key: dict[str, Any]) -> str:
    """The pair convention a key follows, by how many models its pairs join: a head-to-head page (<= 3)
    or a small table / board (4-6; keys pair every two of them, and nothing from a table of > 6 rows)."""
    models = {name for pair in key["pairs"] for name in pair}
    return "head-to-head (<=3 models)" if len(models) <= 3 else "table (4-6 models)"


def evaluate(
    parsed: dict[str, Extraction | None], pages: str = "all", bands: dict[str, Tally] | None = None
) -> tuple[dict[str, Tally], list[PageResult]]:
    """Score the extractions against the chosen key files: overall tallies and one result per keyed page;
    `bands` (when given) collects the pair tallies by `pair_band`."""
    totals = {"scores": Tally(), "claims": Tally(), "pairs": Tally()}
    results: list[PageResult] = []
    for key_path in sorted(KEYS.glob("*.json")):
        if not selected(key_path.stem, pages):
            continue
        key = json.loads(key_path.read_text(encoding="utf-8"))
        extraction = parsed.get(Path(key["page"]).stem)
        if extraction is None:
            res = PageResult(key["page"], error="refused")
            res.scores.key, res.claims.key = len(key["scores"]), len(key["claims"])
            res.pairs.key = len(key["pairs"])
        else:
            res = score_page(extraction, key)
        for name in totals:
            totals[name].add(getattr(res, name))
        if bands is not None:
            bands.setdefault(pair_band(key), Tally()).add(res.pairs)
        results.append(res)
    return totals, results


def run(encode: bool, pages: str = "all") -> dict[str, Tally]:
    parsed, texts, parse_seconds, crashes = parse_pages()
    bands: dict[str, Tally] = {}
    totals, results = evaluate(parsed, pages, bands)
    print(f"{'page':44} {'scores R/P':>14} {'claims R/P':>14} {'pairs R/P':>14}")
    for res in results:
        cells = [f"{t.hit}/{t.key} {t.correct}/{t.found}" for t in (res.scores, res.claims, res.pairs)]
        print(f"{res.page[:44]:44} {cells[0]:>14} {cells[1]:>14} {cells[2]:>14}")
    print()
    for name, t in totals.items():
        print(
            f"{name:7} recall {t.recall():.3f} ({t.hit}/{t.key})  precision {t.precision():.3f} ({t.correct}/{t.found})"
        )
    for band, t in sorted(bands.items()):
        print(
            f"  pairs, {band}: recall {t.recall():.3f} ({t.hit}/{t.key})"
            f"  precision {t.precision():.3f} ({t.correct}/{t.found})"
        )
    print(
        f"crashes {crashes}; parse time {parse_seconds * 1000:.1f} ms for {len(texts)} pages "
        f"({sum(map(len, texts))} chars)"
    )
    if encode:
        encode_time(texts)
    return totals


def encode_time(texts: list[str]) -> None:
    """The encoder on the same texts, cut into chunks of the size a capability description has."""
    from capgraph.embeddings.encoder import Encoder, default_model_path

    encoder = Encoder(default_model_path())
    encoder.encode(["load the model before timing"])
    chunks = [t[i : i + CHUNK_CHARS] for t in texts for i in range(0, len(t), CHUNK_CHARS)]
    started = time.perf_counter()
    encoder.encode(chunks)
    print(
        f"encode time {(time.perf_counter() - started) * 1000:.1f} ms "
        f"for {len(chunks)} chunks of <= {CHUNK_CHARS} chars"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--encode", action="store_true", help="also time the encoder on the same texts")
    parser.add_argument(
        "--pages",
        default="all",
        help="keyed pages to score: all, even (dev half), odd (check half) or a glob on the stem",
    )
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"corpus not found at {CORPUS}")
    run(args.encode, args.pages)


if __name__ == "__main__":
    main()
