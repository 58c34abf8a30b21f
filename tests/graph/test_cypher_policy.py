"""The parts of the read-only Cypher policy that need no server: the caps on the request and the tokenizer
that reads a vector search's literal k from the query text."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from capgraph.app.settings import Settings
from capgraph.graph.cypher import MAX_TIMEOUT_S, CypherParams
from capgraph.graph.neo4j_store.cypher_policy import literal_ks

VECTOR = "db.index.vector.queryNodes"


def test_no_request_or_setting_asks_for_more_than_30_seconds(tmp_path: object) -> None:
    assert MAX_TIMEOUT_S == 30
    assert CypherParams(query="RETURN 1", timeout_s=30).timeout_s == 30
    with pytest.raises(ValidationError):
        CypherParams(query="RETURN 1", timeout_s=31)
    with pytest.raises(ValidationError):
        CypherParams(query="RETURN 1", timeout_s=300)
    with pytest.raises(ValidationError):
        Settings(store=str(tmp_path), cypher_timeout_s=120)


@pytest.mark.parametrize(
    ("query", "ks"),
    [
        ("CALL db.index.vector.queryNodes('i', 10, $v)", [10]),
        ("CALL db.index.vector.queryNodes('i', 1_000, $v)", [1000]),
        ("CALL db.index.vector.queryNodes('i', 0x10, $v)", [16]),
        ("CALL `db`.`index`.vector.queryNodes('i', 7, $v)", [7]),
        ("CALL db . index . vector . queryNodes ( 'i' , 7 , $v )", [7]),
        ("CALL db.index.vector.queryNodes('i', /* 5, */ 100000000, $v)", [100000000]),
        ("CALL db.index.vector.queryNodes('a, 5', 9, $v)", [9]),
        ("CALL db.index.vector.queryNodes('i', 1.5, $v)", [None]),
        ("CALL db.index.vector.queryNodes('i', $k, $v)", []),
        ("CALL db.index.vector.queryNodes('i', 2 * 5, $v)", []),
        ("// CALL db.index.vector.queryNodes('i', 3, $v)\nRETURN 1", []),
        ("RETURN 'db.index.vector.queryNodes(1, 3, 4)'", []),
        ("CALL db.index.vector.queryNodes('i', 2, $v) YIELD node CALL db.index.vector.queryNodes('j', 4, $w)", [2, 4]),
    ],
)
def test_literal_k_is_read_past_comments_strings_and_backticks(query: str, ks: list[int | None]) -> None:
    assert literal_ks(query, VECTOR) == ks
