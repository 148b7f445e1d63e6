"""Blocks made from integer codes (`TableCodes.blocks`) are the blocks of the plain definition:
records grouped by the values of a blocking key's fields (or their prefixes), in the order of
their first record, with missing values, equal strings held by different objects, and blocks
already one customer left out."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from c360tui.core.blocking import TableCodes, block_key_parts
from c360tui.core.field_table import FieldTable


def _table(rows: list[tuple[str | None, str | None]]) -> FieldTable:
    # each value a fresh object: coding must not rely on strings being shared
    def fresh(value: str | None) -> str | None:
        return None if value is None else "".join(list(value))

    values = {"a": [fresh(a) for a, _ in rows], "b": [fresh(b) for _, b in rows]}
    return FieldTable(len(rows), values, {}, [None] * len(rows))


def _plain_blocks(table: FieldTable, key: list[str], eligible: list[int]) -> list[list[int]]:
    blocks: dict[tuple[str, ...], list[int]] = {}
    for index in eligible:
        parts = []
        for field, length in block_key_parts(key):
            value = table.values[field][index]
            if value is None:
                break
            parts.append(value if length is None else value[:length])
        else:
            blocks.setdefault(tuple(parts), []).append(index)
    return [block for block in blocks.values() if len(block) > 1]


_value = st.one_of(st.none(), st.sampled_from(["ann", "anna", "bob", "bea", "al"]))
_keys = st.sampled_from([["a"], ["b"], ["a", "b"], ["a:initial"], ["b", "a:initial"]])


@given(st.lists(st.tuples(_value, _value), max_size=30), _keys, st.data())
def test_coded_blocks_are_the_plain_blocks(rows: list, key: list[str], data: st.DataObject) -> None:
    table = _table(rows)
    eligible = sorted(
        data.draw(st.sets(st.integers(0, max(len(rows) - 1, 0)))) & set(range(len(rows)))
    )
    codes = TableCodes(table)
    got = codes.blocks(key, np.asarray(eligible, np.int64))
    assert got == _plain_blocks(table, key, eligible)
    # with every record its own root nothing is left out; with one root for all, everything
    assert codes.blocks(key, np.asarray(eligible, np.int64), np.arange(len(rows))) == got
    assert codes.blocks(key, np.asarray(eligible, np.int64), np.zeros(len(rows), np.int64)) == []


def test_blocks_of_one_customer_are_left_out_and_others_kept() -> None:
    table = _table([("x", None), ("x", None), ("y", None), ("y", None), ("y", None)])
    roots = np.array([0, 0, 2, 2, 4], np.int64)
    assert TableCodes(table).blocks(["a"], np.arange(5), roots) == [[2, 3, 4]]


def test_forgotten_values_block_nothing() -> None:
    table = _table([("ann", "x"), ("ann", "x"), ("al", "x")])
    codes = TableCodes(table)
    assert codes.blocks(["a:initial"], np.arange(3)) == [[0, 1, 2]]
    codes.forget("a", [0, 1])
    assert codes.of("a").tolist()[:2] == [-1, -1]
    assert codes.blocks(["a:initial"], np.arange(3)) == []
    assert codes.blocks(["b"], np.arange(3)) == [[0, 1, 2]]


def test_codes_let_go_of_are_made_again_when_asked_for() -> None:
    table = _table([("ann", "x"), ("anna", "y"), (None, "x")])
    codes = TableCodes(table)
    first = codes.blocks(["a:initial"], np.arange(3))
    codes.retain([("b", None)])
    assert codes.blocks(["b"], np.arange(3)) == [[0, 2]]
    assert codes.blocks(["a:initial"], np.arange(3)) == first == [[0, 1]]
