"""The parts of the read-only Cypher policy that need no server: the caps on the request and the tokenizer
that reads a vector search's literal k from the query text."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from capgraph.app.settings import Settings
from capgraph.errors import QueryRefused
from capgraph.graph.cypher import MAX_TIMEOUT_S, CypherParams
from capgraph.graph.neo4j_store.cypher_policy import MAX_RANGE, check_plan, check_ranges, literal_ks

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


@pytest.mark.parametrize(
    "query",
    [
        "UNWIND range(1, 50) AS x RETURN x",
        f"RETURN range(1, {MAX_RANGE})",
        "RETURN range(10, 1, -1), range(1, $n)",
        "RETURN [x IN range(1, 1000) | [y IN range(1, 1000) | y]]",
        "RETURN 'range(1, 100000000)' // range(1, 100000000)",
        "MATCH (n) RETURN n.range",
    ],
)
def test_bounded_ranges_pass(query: str) -> None:
    check_ranges(query, {"n": 5})


@pytest.mark.parametrize(
    "query",
    [
        "RETURN range(1, 100000000)",
        f"RETURN range(0, {MAX_RANGE})",
        "RETURN [x IN range(1, 1001) | [y IN range(1, 1000) | y]]",
        "RETURN range(1, 10 * 10)",
        "RETURN range(1, $n)",
        "RETURN range(1, $missing)",
        "RETURN RANGE(1, size([1, 2]))",
        "RETURN range(1, 5, 0)",
    ],
)
def test_unbounded_or_computed_ranges_are_refused(query: str) -> None:
    with pytest.raises(QueryRefused, match="range"):
        check_ranges(query, {"n": 100_000_000})


def test_only_the_servers_own_parameter_names_are_reserved() -> None:
    check_plan({}, "RETURN $author, $automatic", {"author": 1, "automatic": 2})
    with pytest.raises(QueryRefused, match="reserved"):
        check_plan({}, "RETURN $autoint_1", {"autoint_1": 5})
