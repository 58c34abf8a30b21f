"""Two processes ingesting into one Neo4j at once: `exclusive()` serialises them through a lock node, so the
second links its capabilities to the first's (with a process-local lock each would miss the other's)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from tests.conftest import ROOT
from tests.graph.test_store_contract import DIM, batch, page
from tests.neo4j.support import fresh_neo4j_store, neo4j_auth

pytestmark = pytest.mark.neo4j

# One child: writes one document through the real pipeline (`write_prepared`), with a pause between
# computing its links and writing them, so that without a cross-process lock the two children overlap.
CHILD = """
    import json, sys, time
    import numpy as np
    import capgraph.app.ingest as ingest
    from capgraph.graph.neo4j_store import Neo4jStore
    from capgraph.graph.similarity import embedding_text
    from tests.graph.test_store_contract import page

    uri, password, source, model, cap, vector, start = sys.argv[1:8]
    real = ingest.similarity_links

    def slow_links(*args, **kwargs):
        links = real(*args, **kwargs)
        time.sleep(1.5)
        return links

    class Known:
        name, dim, encoded_by_last_call = "test-model", len(json.loads(vector)), 0

        def encode(self, texts):
            raise AssertionError("every vector is given")

    ingest.similarity_links = slow_links
    store = Neo4jStore(uri, password=password or None)
    extraction = page(source, "50", caps_a=[], caps_b=[cap], b=model)
    given = {embedding_text(c): np.asarray(json.loads(vector), dtype=np.float32) for c in extraction.capabilities}
    time.sleep(max(0.0, float(start) - time.time()))
    ingest.write_prepared(store, Known(), ingest.Prepared("text of " + source, extraction), given)
    store.close()
"""


def _vector(*parts: tuple[int, float]) -> list[float]:
    v = np.zeros(DIM, dtype=np.float32)
    for axis, weight in parts:
        v[axis] = weight
    return (v / np.linalg.norm(v)).tolist()


def test_two_processes_ingesting_at_once_link_to_each_other(neo4j_server: str) -> None:
    store = fresh_neo4j_store(neo4j_server)
    seed = batch(page("p0", "55", caps_a=["zzz"], caps_b=[]))  # creates the vector index first
    seed.vectors = {"alpha-1:zzz": _vector((7, 1.0))}
    store.upsert(seed)
    auth = neo4j_auth()
    start = time.time() + 4.0  # both children are past their imports by then
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                textwrap.dedent(CHILD),
                neo4j_server,
                auth[1] if auth else "",
                source,
                model,
                cap,
                json.dumps(vector),
                str(start),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for source, model, cap, vector in (
            ("pa", "delta", "chat", _vector((0, 1.0))),
            ("pb", "omega", "talk", _vector((0, 1.0), (1, 0.3))),
        )
    ]
    for child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err.decode()
    links = store.similar_links("delta:chat")
    assert [(s.a, s.b) for s in links] == [("delta:chat", "omega:talk")]
    assert links[0].score == pytest.approx(1 / np.sqrt(1.09), abs=1e-4)
    store.close()
