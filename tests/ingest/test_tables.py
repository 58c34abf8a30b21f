from __future__ import annotations

from capgraph.ingest.parsers.tables import find_tables, split_cells


def test_split_cells_with_and_without_outer_pipes() -> None:
    assert split_cells("| a | b |") == ["a", "b"]
    assert split_cells("a | b |") == ["a", "b"]
    assert split_cells("a | b") == ["a", "b"]


def test_separator_rows_are_skipped() -> None:
    [table] = find_tables(["| F | A | B |", "|:---|---:|:-:|", "| x | 1 | 2 |"])
    assert table.rows == [["F", "A", "B"], ["x", "1", "2"]]
    assert not table.warnings


def test_row_split_over_three_lines() -> None:
    lines = ["| F | A | B |", "|---|---|---|", "| Ecosystem |", "| 0 |", "| 1 |", "| Next | 2 | 3 |"]
    [table] = find_tables(lines)
    assert table.body == [["Ecosystem", "0", "1"], ["Next", "2", "3"]]


def test_row_split_over_two_lines() -> None:
    [table] = find_tables(["| F | A | B |", "| Quality | 1 |", "| 0 |"])
    assert table.body == [["Quality", "1", "0"]]


def test_ragged_rows_are_padded_or_cut_with_warnings() -> None:
    [table] = find_tables(["F | A | B", "short | 1", "long | 1 | 2 | 3", "ok | 1 | 2"])
    assert table.body == [["short", "1", ""], ["long", "1", "2"], ["ok", "1", "2"]]
    assert len(table.warnings) == 2


def test_a_later_separator_starts_a_new_table() -> None:
    tables = find_tables(["F | A | B", "---|---|---", "x | 1 | 2", "Model | M1 | M2", "---|---|---", "a | 3 | 4"])
    assert [t.header for t in tables] == [["F", "A", "B"], ["Model", "M1", "M2"]]


def test_truncated_last_row_is_dropped() -> None:
    [table] = find_tables(["| F | A | B |", "| x | 1 | 2 |", "| y | 3"])
    assert table.truncated
    assert table.body == [["x", "1", "2"]]


def test_prose_is_not_a_table() -> None:
    assert find_tables(["Fish | Chips", "just prose"]) == []
