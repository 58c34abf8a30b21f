"""One conflict rule: the API's claim groups and compare's fact rows agree on what is a conflict."""

from __future__ import annotations

from capgraph.api.schemas import claim_groups
from capgraph.graph.claims import value_key
from capgraph.graph.compare import fact_rows
from capgraph.graph.schema import SourcedClaim


def claim(value: str, number: float | None, source: str) -> SourcedClaim:
    return SourcedClaim(model_id="m", attribute="context", value=value, number=number, source_id=source)


def test_case_and_spacing_are_one_value() -> None:
    assert value_key(claim("128K", 128000, "s1")) == value_key(claim("128k", 128000, "s2"))
    assert value_key(claim("Open  weights", None, "s1")) == value_key(claim("open weights", None, "s2"))
    assert value_key(claim("128K", 128000, "s1")) != value_key(claim("200K", 200000, "s2"))


def test_api_groups_and_compare_rows_use_the_same_rule() -> None:
    same = [claim("128K", 128000, "s1"), claim("128k", 128000, "s2")]
    differ = [claim("128K", 128000, "s1"), claim("200K", 200000, "s2")]
    assert [g.conflict for g in claim_groups(same)] == [False]
    assert [g.conflict for g in claim_groups(differ)] == [True]
    differences, _ = fact_rows(same, differ)
    row = differences[0]
    assert (row.conflict_a, row.conflict_b) == (False, True)
    assert row.a[0].sources == ["s1", "s2"]
