"""Accumulates what parsers find into one consistent `Extraction`.

Every parser writes through this one object, so the invariants hold whatever the input: each claim,
score, capability, comparison, contrast and variant points at a model that is in `models`; duplicates
(a row repeated, the same capability twice) are kept once; "no value" cells never become claims.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from capgraph.graph.schema import (
    Capability,
    Claim,
    Comparison,
    Contrast,
    Extraction,
    Model,
    Score,
    Source,
    Variant,
)
from capgraph.graph.values import is_missing, parse_quantity, snake_case
from capgraph.ingest.aliases import QUALIFIERS, TIERS_BEFORE_VERSION
from capgraph.ingest.benchmarks import benchmark_key, display_name
from capgraph.ingest.parsers.non_models import not_a_model
from capgraph.ingest.resolve import ResolvedName, Resolver, slugify
from capgraph.ingest.text import collapse_spaces
from capgraph.ingest.vocab import canonical_attribute, count, parameter_parts, price_attribute, price_pair, typed_value

_MAX_VALUE_CHARS = 2000
# Bounds per text, so a page of 10,000 rows cannot grow the store without limit.
MAX_CLAIMS = 5000
MAX_SCORES = 5000
MAX_CAPABILITIES = 2000
MAX_MODELS = 1000
# The pair convention: a table, list or board of at most this many models puts every two of them side by
# side; a longer one is a ranking and pairs none (its models are still compared where the title or a
# sentence sets them against each other).
MAX_PAIRED_MODELS = 6


class ExtractionBuilder:
    """Collects models, claims, scores, capabilities and links for one text."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._models: dict[str, Model] = {}
        self._explicit_kind: set[str] = set()
        self._capabilities: dict[str, Capability] = {}
        self._claims: dict[tuple[str, str, str], Claim] = {}
        self._scores: dict[tuple[str, str], Score] = {}
        self._comparisons: dict[frozenset[str], Comparison] = {}
        self._contrasts: dict[tuple[str, str], Contrast] = {}
        self._variants: dict[tuple[str, str], Variant] = {}
        self.declared: dict[str, int] = {}
        # Lines whose every value a structural reader already gave its owner: prose does not read them again.
        self.read_lines: set[str] = set()
        self.warnings: list[str] = []

    # models -------------------------------------------------------------------------------------
    def model(self, name: str, *, kind: str | None = None, vendor: str | None = None) -> str | None:
        """Add (or enrich) the model a name resolves to; its id, or None when the name is not a name."""
        resolved = self.resolver.try_canonical(name)
        if resolved is None or not_a_model(name, self.resolver):
            return None
        same = self.same_product(resolved.id)
        if same is not None:
            return self.add_resolved(replace(resolved, id=same, name=self._models[same].name), raw=name)
        return self.add_resolved(resolved, raw=name, kind=kind, vendor=vendor)

    def same_product(self, new_id: str) -> str | None:
        """A product named with and without its maker's word on one page ("Copilot" and "GitHub Copilot",
        "Cody" and "Sourcegraph Cody") is one artifact: the id already on the page that `new_id` is the short
        or long form of, when exactly one is. Versioned names (a digit in any word) and names that resolve to
        a model family ("Code Llama" is not "Llama") never merge."""
        words = new_id.split("-")
        if new_id in self._models or len(words) > 2 or any(ch.isdigit() for ch in new_id):
            return None
        if len(words) == 2:
            short = words[1]
            return short if short in self._models and self._plain_product(short) else None
        if not self._plain_product(new_id):
            return None
        longer = [
            i
            for i in self._models
            if i.endswith("-" + new_id) and i.count("-") == 1 and not any(ch.isdigit() for ch in i)
        ]
        return longer[0] if len(longer) == 1 else None

    def _plain_product(self, word_id: str) -> bool:
        """One digit-free word that is no known model or family name ("copilot", not "llama" or "claude")."""
        resolved = self.resolver.try_canonical(word_id)
        return resolved is not None and resolved.family is None and not self.resolver.is_known(word_id)

    def add_resolved(
        self, resolved: ResolvedName, *, raw: str | None = None, kind: str | None = None, vendor: str | None = None
    ) -> str:
        """Add a resolved name; a snapshot or edition also adds its base model and the VARIANT_OF link."""
        model = self._models.get(resolved.id)
        if model is None and len(self._models) >= MAX_MODELS:
            self.warn(f"more than {MAX_MODELS} models; the rest were ignored")
            return resolved.id
        if model is None:
            model = Model(id=resolved.id, name=resolved.name, vendor=resolved.vendor, family=resolved.family)
            self._models[resolved.id] = model
        if kind and (resolved.id not in self._explicit_kind):
            model.kind = kind
            self._explicit_kind.add(resolved.id)
        if vendor and not model.vendor:
            model.vendor = vendor
        elif resolved.vendor and not model.vendor:
            model.vendor = resolved.vendor
        alias = " ".join((raw or "").split())
        if alias and alias != model.name and alias not in model.aliases and len(alias) <= 120:
            model.aliases.append(alias)
        if resolved.base_id and resolved.base_name:
            base = self.resolver.try_canonical(resolved.base_name)
            if base is not None:
                self.add_resolved(base)
                self.variant(resolved.id, base.id)
        return resolved.id

    def has_comparisons(self) -> bool:
        return bool(self._comparisons)

    def has_model(self, model_id: str) -> bool:
        return model_id in self._models

    def set_vendor(self, model_id: str, vendor: str, *, override: bool = False) -> None:
        """Set a vendor; `override` lets a vendor the text states replace one guessed from the family."""
        model = self._models.get(model_id)
        if model is not None and (override or not model.vendor):
            model.vendor = vendor

    def scored_together(self) -> dict[str, list[str]]:
        """Benchmark key -> the models scored on it in this text, in the order first seen."""
        out: dict[str, list[str]] = {}
        for model_id, key in self._scores:
            out.setdefault(key, []).append(model_id)
        return out

    def models(self) -> list[Model]:
        return list(self._models.values())

    def model_ids(self) -> list[str]:
        return list(self._models)

    # facts --------------------------------------------------------------------------------------
    def claim(self, model_id: str, label: str, raw: str) -> None:
        """A stated value; skipped when the cell says there is none ("Not disclosed", "—").

        A label in the claim vocabulary ("Context Window", "Input price") also gives the canonical
        attribute with a typed number, beside the claim under the page's own label.
        """
        attribute = snake_case(label)
        value = " ".join(raw.split())[:_MAX_VALUE_CHARS]
        if not attribute or not any(ch.isalpha() for ch in attribute) or is_missing(value):
            return
        if model_id not in self._models:
            return
        if (pair := price_pair(label, value)) is not None:
            for side, price in zip(("input_price", "output_price"), pair, strict=True):
                typed = typed_value(side, price)
                if typed is not None:
                    self.typed_claim(model_id, side, value, typed.number, typed.unit)
            return
        canonical = canonical_attribute(label)
        if "$" in value and canonical not in ("input_price", "output_price"):
            canonical = price_attribute(label) or canonical  # "Output Tokens | $15 / MTok" is a price
        if canonical in ("parameters", "active_parameters") and (parts := parameter_parts(value)):
            for part, raw_part in parts.items():
                if (number := count(raw_part)) is not None:
                    self.typed_claim(model_id, part, value, number, "parameters")
            return
        typed = typed_value(canonical, value) if canonical else None
        if canonical and typed is not None:
            self.typed_claim(model_id, canonical, value, typed.number, typed.unit, typed.text)
            if canonical == attribute:
                return
        elif canonical == attribute:
            return  # no typed value ("8x7B", "70-400 billion"): nothing stands under the vocabulary name
        key = (model_id, attribute, value)
        if key in self._claims:
            return
        quantity = parse_quantity(value, attribute)
        self._claims[key] = Claim(
            model_id=model_id,
            attribute=attribute,
            value=value,
            number=quantity.number if quantity else None,
            unit=quantity.unit if quantity else None,
        )

    def typed_claim(
        self, model_id: str, attribute: str, raw: str, number: float | None, unit: str | None, text: str | None = None
    ) -> None:
        """A vocabulary claim whose value is already typed (a number, or `text` for bools, dates, lists)."""
        if model_id not in self._models:
            return
        value = " ".join(raw.split())[:_MAX_VALUE_CHARS]
        stored = value if number is not None else (text or value)
        key = (model_id, attribute, stored)
        if key in self._claims or len(self._claims) >= MAX_CLAIMS:
            return
        self._claims[key] = Claim(model_id=model_id, attribute=attribute, value=stored, number=number, unit=unit)

    def has_claim(self, model_id: str, attribute: str) -> bool:
        return any(k[0] == model_id and k[1] == attribute for k in self._claims)

    def has_score(self, model_id: str, benchmark: str) -> bool:
        return (model_id, benchmark_key(display_name(benchmark))) in self._scores

    def score(self, model_id: str, benchmark: str, value: float, unit: str | None = None) -> None:
        name = display_name(benchmark)
        if model_id not in self._models or not name or self.resolver.looks_like_model(name) or self._line_name(name):
            return  # a model's name in the benchmark's place is a misread row ("DeepSeek-7B: 65.2%")
        key = (model_id, benchmark_key(name))
        if key not in self._scores and len(self._scores) >= MAX_SCORES:
            self.warn(f"more than {MAX_SCORES} scores; the rest were ignored")
            return
        if key in self._scores:
            if self._scores[key].value != value:
                self.warn(f"two values for {model_id} on {name}; kept the first")
            return
        self._scores[key] = Score(model_id=model_id, benchmark=name, value=value, unit=unit)

    def capability(
        self, model_id: str, name: str, description: str, unique: str | None, vs_alternatives: str | None
    ) -> str | None:
        """A capability; its id hashes the normalized description so the same text is one node."""
        text = collapse_spaces(description)
        if model_id not in self._models or not text:
            return None
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        cap_id = f"{model_id}:{digest}"
        if cap_id in self._capabilities:
            self.warn(f"capability {cap_id} appears twice; kept once")
            return cap_id
        if len(self._capabilities) >= MAX_CAPABILITIES:
            self.warn(f"more than {MAX_CAPABILITIES} capabilities; the rest were ignored")
            return None
        self._capabilities[cap_id] = Capability(
            id=cap_id,
            model_id=model_id,
            name=name or text[:60],
            description=text,
            unique=collapse_spaces(unique) if unique and unique.strip() else None,
            vs_alternatives=collapse_spaces(vs_alternatives) if vs_alternatives and vs_alternatives.strip() else None,
        )
        return cap_id

    def _line_name(self, name: str) -> bool:
        """A family word with only tier or qualifier words ("Claude Opus", "Gemini Pro"): a model line's
        name with its version glued to the number after it ("Claude Opus 489.4"), never a benchmark."""
        resolved = self.resolver.try_canonical(name)
        if resolved is None or resolved.family is None:
            return False
        family = slugify(resolved.family).split("-")
        words = resolved.id.split("-")
        rest = words[len(family) :] if words[: len(family)] == family else None
        return rest is not None and all(w in QUALIFIERS or w in TIERS_BEFORE_VERSION for w in rest)

    def compare(self, a: str, b: str) -> None:
        if a == b or a not in self._models or b not in self._models:
            return
        self._comparisons.setdefault(frozenset((a, b)), Comparison(a=a, b=b))

    def compare_group(self, ids: list[str]) -> int:
        """Pair every two of the models a table, list or board sets side by side, when there are at most
        MAX_PAIRED_MODELS of them (n models give n(n-1)/2 pairs); a wider group pairs nothing. The number of
        distinct models seen, so callers can tell a skipped board from a small table."""
        group = [i for i in dict.fromkeys(ids) if i in self._models]
        if len(group) <= MAX_PAIRED_MODELS:
            for k, a in enumerate(group):
                for b in group[k + 1 :]:
                    self.compare(a, b)
        return len(group)

    def drop_bare_families(self) -> None:
        """A family word on its own ("GPT vs Gemini", "DeepSeek vs ChatGPT") on a page that names versioned
        models of that family stands for those models, not for a model of its own: its pairs are dropped,
        and so is its node when nothing else was said about it. A family alone on its page stays a model
        ("Claude vs GPT-4o"); products named after a family ("ChatGPT") are not the family word."""
        for model_id, model in list(self._models.items()):
            family = model.family
            if not family or model_id != slugify(family):
                continue
            if not any(other != model_id and m.family == family for other, m in self._models.items()):
                continue
            self._comparisons = {k: c for k, c in self._comparisons.items() if model_id not in k}
            if not self._has_facts(model_id):
                del self._models[model_id]

    def _has_facts(self, model_id: str) -> bool:
        return (
            any(c.model_id == model_id for c in self._claims.values())
            or any(s.model_id == model_id for s in self._scores.values())
            or any(c.model_id == model_id for c in self._capabilities.values())
            or any(k[1] == model_id for k in self._contrasts)
            or any(model_id in k for k in self._variants)
            or any(model_id in k for k in self._comparisons)
        )

    def contrast(self, capability_id: str, model_id: str) -> None:
        if capability_id in self._capabilities and model_id in self._models:
            self._contrasts.setdefault(
                (capability_id, model_id), Contrast(capability_id=capability_id, model_id=model_id)
            )

    def variant(self, variant_id: str, base_id: str) -> None:
        if variant_id != base_id and variant_id in self._models and base_id in self._models:
            self._variants.setdefault((variant_id, base_id), Variant(variant_id=variant_id, base_id=base_id))

    def declare_count(self, model_id: str, count: int) -> None:
        if model_id in self._models:
            self.declared.setdefault(model_id, count)

    def warn(self, message: str) -> None:
        if message not in self.warnings and len(self.warnings) < 200:
            self.warnings.append(message)

    def build(self, source: Source) -> Extraction:
        return Extraction(
            source=source,
            models=list(self._models.values()),
            capabilities=list(self._capabilities.values()),
            claims=list(self._claims.values()),
            scores=list(self._scores.values()),
            comparisons=list(self._comparisons.values()),
            contrasts=list(self._contrasts.values()),
            variants=list(self._variants.values()),
            declared_capability_counts=dict(self.declared),
            warnings=list(self.warnings),
        )
