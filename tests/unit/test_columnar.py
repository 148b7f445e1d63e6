"""Grouping in bulk (`core/columnar.py`) and the account mates built on it agree with the plain
one-record-at-a-time definitions, including the edge cases: nothing, missing values, equal
strings held by different objects, ties."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from c360tui.core.accounts import AccountVotes
from c360tui.core.columnar import (
    group_owners,
    reordered,
    runs,
    sorted_ranks,
    split_runs,
    value_codes,
)


def _copy(text: str) -> str:
    """An equal string that is a different object (as values read by two processes are)."""
    return "".join(list(text))


def test_equal_strings_get_one_code_whatever_object_holds_them() -> None:
    column = ["b", _copy("b"), None, "a", "b", None]
    assert column[0] is not column[1]
    distinct: dict[str, int] = {}
    codes = value_codes(column, distinct).tolist()
    value_of = {code: value for value, code in distinct.items()}
    assert [value_of.get(code) for code in codes] == column
    assert sorted(distinct) == ["a", "b"]
    assert codes[0] == codes[1] == codes[4] != codes[3]
    # a second column coded with the same dict shares the codes
    assert value_codes(["a", "c", None], distinct).tolist() == [distinct["a"], distinct["c"], -1]


def test_empty_and_all_missing_columns() -> None:
    assert value_codes([], {}).tolist() == []
    assert value_codes([None, None], {}).tolist() == [-1, -1]
    order, starts, ends = runs(np.zeros(0, np.int64))
    assert (order.tolist(), starts.tolist(), ends.tolist()) == ([], [], [])
    assert split_runs(np.zeros(0, np.int64), starts, ends) == []
    members, owners = group_owners([])
    assert members.tolist() == owners.tolist() == []


def test_runs_keep_equal_keys_in_their_order() -> None:
    keys = np.array([5, 3, 5, 5, 3, 9], np.int64)
    order, starts, ends = runs(keys)
    assert order.tolist() == [1, 4, 0, 2, 3, 5]
    assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == [(0, 2), (2, 5), (5, 6)]
    assert split_runs(order, starts[::-1], ends[::-1]) == [[5], [0, 2, 3], [1, 4]]


def test_group_owners_and_ranks() -> None:
    members, owners = group_owners([[4, 1], [], range(2, 4)])
    assert members.tolist() == [4, 1, 2, 3]
    assert owners.tolist() == [0, 0, 2, 2]
    assert sorted_ranks({"pear": 0, "apple": 1, "fig": 2}).tolist() == [2, 0, 1]


def _plain_mates(votes: AccountVotes, groups: list[list[int]]) -> dict[int, list[int]]:
    """The mates by the definition: each customer's `key`, then the carriers of the others."""
    members: dict[str, list[int]] = {}
    for position, group in enumerate(groups):
        key = votes.key(group)
        if key is not None:
            members.setdefault(key, []).append(position)
    mates: dict[int, list[int]] = {}
    for customers in members.values():
        carriers = {c: [i for i in groups[c] if votes.carries[i]] for c in customers}
        for customer in customers:
            others = [i for o, found in carriers.items() if o != customer for i in found]
            if len(customers) > 1 and others:
                mates[customer] = others
    return mates


_domain = st.sampled_from([None, "acme.com", "beta.io", "zeta.org"])
_record = st.tuples(_domain, _domain, st.sampled_from([None, "acme", "beta"]), st.booleans())


@given(st.lists(_record, max_size=40), st.data())
def test_mates_agree_with_one_customer_at_a_time(records: list, data: st.DataObject) -> None:
    votes = AccountVotes({"plan"})
    for site, mail, company, carries in records:
        # each value a fresh object, as values read by different processes are
        votes.site_domains.append(None if site is None else _copy(site))
        votes.mail_domains.append(None if mail is None else _copy(mail))
        votes.companies.append(None if company is None else _copy(company))
        votes.carries.append(int(carries))
    positions = data.draw(st.permutations(range(len(records))))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(records)), max_size=len(records))))
    groups = [positions[a:b] for a, b in zip([0, *cuts], [*cuts, len(records)], strict=True)]
    groups = [group for group in groups if group]
    mates = votes.mates(groups)
    expected = _plain_mates(votes, groups)
    assert mates == expected
    assert list(mates) == list(expected)


def test_a_tie_between_two_domains_goes_to_the_smaller_one() -> None:
    votes = AccountVotes({"plan"})
    rows = [("zeta.org", "acme.com", None, 0), (None, None, None, 1), ("acme.com", None, None, 0)]
    for site, mail, company, carries in rows:
        votes.site_domains.append(site)
        votes.mail_domains.append(mail)
        votes.companies.append(company)
        votes.carries.append(carries)
    votes.site_domains[1] = "acme.com"
    # customer 0 votes zeta.org and acme.com once each: acme.com, like customer 1
    assert votes.mates([[0], [1]]) == {0: [1]}
    assert votes.mates([[0], [2], [1]]) == {0: [1], 1: [1]}


def test_reordered_copies_in_the_order_given() -> None:
    column = ["a", None, "c"]
    assert reordered(column, np.array([2, 0, 1, 2], np.int64)) == ["c", "a", None, "c"]
    assert reordered(column, np.zeros(0, np.int64)) == []
