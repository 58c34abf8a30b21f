"""capgraph's internal nodes (`CapgraphMeta`: metadata and write lock; `CapgraphMatches`/`CapgraphFeedback`:
the usage log) stay out of every view the guide and the README offer, on a real Neo4j holding the seeds and a
usage log. Neo4j Community has no hidden labels and no second database, so a plain `MATCH (n)` still sees
them (asserted too, so the test fails if that changes and the docs should say so); docs/architecture.md says why.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from capgraph.embeddings.encoder import Encoder
from capgraph.graph.networkx_store import NetworkxStore
from capgraph.graph.sync import sync
from capgraph.graph.usage import Feedback
from tests.neo4j.support import ROOT, fresh_neo4j_store

pytestmark = pytest.mark.neo4j

GUIDE = ROOT / "capgraph" / "api" / "static" / "browser" / "guide.html"
README = ROOT / "README.md"
INTERNAL_PREFIX = "Capgraph"
_BLOCK_RE = re.compile(r'<pre class="[^"]*\brunnable\b[^"]*">(.*?)</pre>', re.S)
_PARAM_RE = re.compile(r"^:param\s+(\w+)\s*=>\s*'([^']*)'\s*$")
_README_CYPHER_RE = re.compile(r'"((?:MATCH|OPTIONAL MATCH|CALL|WITH)\b[^"]*)"')


def guide_blocks() -> tuple[dict[str, str], list[str]]:
    """The guide's `:param` values and its Cypher blocks, in page order."""
    params: dict[str, str] = {}
    queries: list[str] = []
    for raw in _BLOCK_RE.findall(GUIDE.read_text()):
        text = html.unescape(raw).strip()
        if found := _PARAM_RE.match(text):
            params[found[1]] = found[2]
        elif not text.startswith(":"):
            queries.append(text)
    return params, queries


def _labels_and_strings(value: Any) -> tuple[set[str], set[str]]:
    """Every node label and every string in a result value (nodes, relationships' ends, paths, lists, maps)."""
    from neo4j.graph import Node, Path, Relationship

    labels: set[str] = set()
    strings: set[str] = set()
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, Node):
            labels |= set(v.labels)
        elif isinstance(v, Relationship):
            stack.extend(n for n in (v.start_node, v.end_node) if n is not None)
        elif isinstance(v, Path):
            stack.extend(v.nodes)
        elif isinstance(v, list | tuple):
            stack.extend(v)
        elif isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, str):
            strings.add(v)
    return labels, strings


@pytest.fixture
def seeded_with_usage(neo4j_server: str, seeded_copy: Path, encoder: Encoder) -> Any:
    """A Neo4j store holding the seeds, its metadata, a write lock taken once, match counts and feedback."""
    store = fresh_neo4j_store(neo4j_server)
    origin = NetworkxStore(seeded_copy)
    try:
        sync(origin, store)  # writes through `exclusive()`: the write-lock node exists afterwards
    finally:
        origin.close()
    models = [m.id for m in store.list_models(limit=2)[0]]
    store.count_matches({m: 3 for m in models})
    store.add_feedback(Feedback(id="f1", model_ids=models, query="function calling", useful=True, at=datetime.now(UTC)))
    try:
        yield store
    finally:
        store.close()


def test_guide_and_readme_views_leave_out_internal_nodes(seeded_with_usage: Any, neo4j_driver: Any) -> None:
    params, queries = guide_blocks()
    assert {"model", "class", "other"} <= set(params) and len(queries) >= 15
    readme = _README_CYPHER_RE.findall(README.read_text())
    assert any("NOT any(l IN labels(n)" in q for q in readme), "the README's default view must leave them out"
    everything, _, _ = neo4j_driver.execute_query("MATCH (n) RETURN n")
    seen, _ = _labels_and_strings([r["n"] for r in everything])
    assert {"CapgraphMeta", "CapgraphMatches", "CapgraphFeedback"} <= seen  # present: hidden only by the views
    drawn = 0
    for query in [*queries, *readme]:
        records, _, _ = neo4j_driver.execute_query(query, params)
        labels, strings = _labels_and_strings([list(r.values()) for r in records])
        assert not {x for x in labels | strings if x.startswith(INTERNAL_PREFIX)}, query
        drawn += len(records)
    assert drawn > 0  # the views ran on data, not on an empty graph
