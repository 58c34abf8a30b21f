"""Capability class names and the terms they are made from: class-based TF-IDF over the members' own words.

Term weight w(t, k) = tf(t, k) * log(1 + A / f(t)), with tf the number of members of class k with t, f(t) its
count over all classes and A the mean number of terms per class (BERTopic's c-TF-IDF). A class is named by the
member label (or a 1-3 word phrase of one that ends where a phrase ends) found as whole words in the most labels,
then with the highest mean weight (`_best_phrase`), so names are the members' own words, whole: never a modifier
cut from its noun, never a list cut short (`phrases.whole_name`).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence

from capgraph.graph.phrases import whole_name
from capgraph.graph.schema import Capability, CapabilityClass
from capgraph.graph.search.text import tokens

_MAX_PHRASE_WORDS = 3
_WORD_RE = re.compile(r"[a-z0-9]+(?:[.,'][a-z0-9]+)*")
_FUNCTION_WORDS = frozenset(
    """a an the and or of to in on for with by from as at into via using use uses used its their it this that
    these those is are be can may also both each other than more most such any all per up out over across
    within without which who what when where while""".split()  # noqa: SIM905
)
_GENERIC_VERBS = frozenset(
    """allows enables lets supports provides including implements implement offers offer includes include
    delivers deliver maintains maintain processes process handles handle performs perform features feature
    built native""".split()  # noqa: SIM905
)
_STOP_WORDS = _FUNCTION_WORDS | _GENERIC_VERBS | {"model", "models", "capability", "capabilities"}
_STOP = _STOP_WORDS | {w[:-1] for w in _STOP_WORDS if w.endswith("s")}  # as `tokens` folds them


def terms(text: str) -> list[str]:
    """Content terms: the search tokenizer's tokens (`graph.search.text.tokens`: compounds and parts,
    plural fold, acronym concepts) without the generic verbs every capability sentence starts with."""
    return list(_terms(text))


@functools.lru_cache(maxsize=1 << 15)
def _terms(text: str) -> tuple[str, ...]:
    # cached: an ingest scores each candidate class's members and names phrases many times over
    return tuple(t for t in tokens(text) if t not in _STOP and len(t) > 1)


def capability_terms(capability: Capability) -> list[str]:
    return terms(f"{capability.name} {capability.description}")


def _phrases(label: str) -> list[str]:
    """The label and its 1-3 word phrases that neither start nor end with a function word or generic verb and
    end where a phrase of the label ends (its last word, a comma, or before a function word), so a name is
    never a modifier cut from its noun ("Function" of "function calling", "Context" of "context window")."""
    words = label.split()
    edge = _FUNCTION_WORDS | _GENERIC_VERBS
    out = [label] if words and words[0].lower() not in edge else []
    for n in range(1, min(_MAX_PHRASE_WORDS, len(words)) + 1):
        for i in range(len(words) - n + 1):
            chunk = words[i : i + n]
            after = words[i + n].lower() if i + n < len(words) else None
            ends = after is None or chunk[-1].endswith((",", ";", ":")) or after in _FUNCTION_WORDS
            if ends and chunk[0].lower() not in edge and chunk[-1].lower().strip(",.;:") not in edge:
                out.append(" ".join(chunk).strip(",.;:"))
    return out


def _words(text: str) -> str:
    """Lower-case words with hyphens split and plurals folded, space-padded: a phrase is in a text when its
    `_words` is a substring of the text's, so "text" is not found in "context" nor "window" in "windows"
    missed."""
    return " " + " ".join(_fold_word(w) for w in _WORD_RE.findall(text.lower().replace("-", " "))) + " "


def _fold_word(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) else word


def _best_phrase(members: Sequence[Capability], weight: Callable[[str], float]) -> str:
    """The class name among the members' label phrases (`_phrases`), by, in order: the share of labels that
    hold it as whole words, no digits (one member's "128,000-token"), the share of full texts that hold it,
    the mean class-based TF-IDF weight of its terms / sqrt(terms), its length. A longer general phrase with
    the same label share that contains the winner replaces it ("Model Context Protocol", not "Protocol")."""
    labels = [_words(m.name) for m in members]
    full = [_words(f"{m.name}. {m.description}") for m in members]
    keyed: dict[str, tuple[float, bool, float, float, int]] = {}
    for member in members:
        for phrase in _phrases(whole_name(member.name, member.description)):
            distinct = set(terms(phrase))
            if not distinct or phrase in keyed:
                continue
            wanted = _words(phrase)
            keyed[phrase] = (
                round(sum(wanted in text for text in labels) / len(labels), 3),
                not any(ch.isdigit() for ch in phrase),
                round(sum(wanted in text for text in full) / len(full), 3),
                round(sum(weight(t) for t in distinct) / math.sqrt(len(distinct)), 6),
                len(phrase.split()),
            )
    if not keyed:
        return members[0].name
    best = max(keyed, key=lambda p: keyed[p])
    wider = [
        p
        for p, k in keyed.items()
        if k[:2] == keyed[best][:2] and len(_words(p)) > len(_words(best)) and _words(best) in _words(p)
    ]
    return max(wider, key=lambda p: keyed[p]) if wider else best


def name_classes(
    classes: Sequence[CapabilityClass],
    capabilities: dict[str, Capability],
    only: set[str] | None = None,
    counts: Sequence[Counter[str]] | None = None,
) -> list[CapabilityClass]:
    """Name each class by class-based TF-IDF over its members' terms (formula in the module docstring).

    A singleton keeps its capability's own label; a larger class takes the best phrase of its members' labels
    (`_best_phrase`); the description lists how many models share it. With `only`, just those classes are named
    (the others still count in the weights) and returned. `counts` are the classes' term counts when the
    caller has them (`assign_classes` keeps them as members join).
    """
    class_terms: list[Counter[str]] = list(counts) if counts is not None else []
    for cls in classes if counts is None else ():
        tally: Counter[str] = Counter()
        for member in cls.members:
            cap = capabilities.get(member)
            if cap is not None:
                tally.update(set(capability_terms(cap)))
        class_terms.append(tally)
    total: Counter[str] = Counter()
    for class_counts in class_terms:
        total.update(class_counts)
    mean_terms = (sum(total.values()) / len(class_terms)) if class_terms else 1.0

    def weight(term: str, in_class: Counter[str]) -> float:
        return in_class[term] * math.log(1 + mean_terms / total[term]) if total[term] else 0.0

    named: list[CapabilityClass] = []
    for cls, tally in zip(classes, class_terms, strict=True):
        if only is not None and cls.id not in only:
            continue
        members = [capabilities[m] for m in cls.members if m in capabilities]
        if not members:
            named.append(cls)
            continue
        if len(members) == 1:
            only_one = members[0]
            whole = whole_name(only_one.name, only_one.description)
            named.append(CapabilityClass(id=cls.id, name=whole, description=only_one.description, members=cls.members))
            continue
        best_name = _best_phrase(members, functools.partial(weight, in_class=tally))
        models = sorted({m.model_id for m in members})
        description = (
            f"{best_name}: shared by {len(models)} models" if len(models) > 1 else f"{best_name} ({models[0]})"
        )
        named.append(
            CapabilityClass(
                id=cls.id, name=best_name[:1].upper() + best_name[1:], description=description, members=cls.members
            )
        )
    return named
