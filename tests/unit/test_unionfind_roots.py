"""Every record's root found at once, and customers grouped from the roots, agree with `find`
one record at a time and with the order resolution promises (customers by first record)."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from c360tui.core.resolution import _customers
from c360tui.core.unionfind import GuardedUnionFind


def _union_find(size: int, joins: list[tuple[int, int]]) -> GuardedUnionFind:
    sets = GuardedUnionFind(size, {}, {}, {})
    for left, right in joins:
        sets.join(left % size, right % size)
    return sets


@given(st.integers(1, 60), st.lists(st.tuples(st.integers(0, 59), st.integers(0, 59))))
def test_roots_are_what_find_gives(size: int, joins: list[tuple[int, int]]) -> None:
    sets = _union_find(size, joins)
    assert sets.roots().tolist() == [sets.find(i) for i in range(size)]


def test_no_records_no_customers() -> None:
    groups, owner = _customers(_union_find(0, []).roots())
    assert groups == [] and owner.tolist() == []


def test_customers_come_in_the_order_of_their_first_record() -> None:
    rnd = random.Random(7)
    joins = [(rnd.randrange(500), rnd.randrange(500)) for _ in range(400)]
    sets = _union_find(500, joins)
    groups, owner = _customers(sets.roots())
    expected: dict[int, list[int]] = {}
    for index in range(500):
        expected.setdefault(sets.find(index), []).append(index)
    assert groups == sorted(expected.values(), key=lambda members: members[0])
    assert [owner[i] for group in groups for i in group] == [
        position for position, group in enumerate(groups) for _ in group
    ]
    # a long chain: the deepest tree union by size can make still resolves to one root
    chain = _union_find(64, [(i, i + 1) for i in range(63)])
    assert set(chain.roots().tolist()) == {chain.find(0)}
