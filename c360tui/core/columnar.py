"""Columns of shared strings and record positions as numpy arrays, for grouping in bulk.

Resolution and account matching group millions of records by a value (a block, a customer,
an account). A dictionary pass costs a Python step per record; coded as integers, the same
grouping is a sort in C. Nothing here depends on strings being interned: equal strings get
one code however many objects hold them.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from itertools import chain
from typing import TypeVar

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
T = TypeVar("T")


def value_codes(column: Sequence[str | None], distinct: dict[str, int]) -> Ints:
    """A code per record: -1 for None, else the value's number in `distinct` (value -> code),
    which grows with the values not in it yet (pass one dict to code several columns alike).

    Records are grouped by the identity of their string objects first (a sort in C that never
    reads the strings), so only one string per distinct object is looked up in `distinct`:
    at a million customers, touching every record's string cost more than the rest.
    """
    if not column:
        return np.zeros(0, np.int64)
    objects = np.fromiter(map(id, column), np.int64, len(column))
    order = np.argsort(objects)
    objects = objects[order]  # sorted, and the unsorted copy let go of (25 MB at 3M records)
    first = np.empty(len(column), np.bool_)
    first[0] = True
    np.not_equal(objects[1:], objects[:-1], out=first[1:])
    del objects
    starts = np.flatnonzero(first)
    del first
    remap = np.fromiter(
        (
            -1 if value is None else distinct.setdefault(value, len(distinct))
            for value in map(column.__getitem__, order[starts])
        ),
        np.int64,
        len(starts),
    )
    codes = np.empty(len(column), np.int64)
    codes[order] = np.repeat(remap, np.diff(np.append(starts, len(column))))
    return codes


def reordered(column: Sequence[T], order: Ints) -> list[T]:
    """`[column[i] for i in order]`, the copying done in C."""
    values = np.fromiter(column, object, len(column))
    out: list[T] = values[order].tolist()
    return out


def machine_ints(values: Ints) -> array[int]:
    """A numpy array of integers as an array of machine integers (an int per element, no
    object each: what the ingest keeps per record and per link)."""
    out = array("q")
    out.frombytes(values.astype(np.int64).tobytes())
    return out


def sorted_ranks(distinct: dict[str, int]) -> Ints:
    """For each code of `distinct`, the rank of its value in string order."""
    values = list(distinct)
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = np.zeros(len(values), np.int64)
    ranks[np.asarray(order, dtype=np.int64)] = np.arange(len(values), dtype=np.int64)
    return ranks


def runs(keys: Ints) -> tuple[Ints, Ints, Ints]:
    """The positions of `keys` sorted by key (stable: equal keys keep their order), and the
    start and end, in that order, of each run of equal keys."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    change = np.flatnonzero(ordered[1:] != ordered[:-1]) + 1
    starts = np.concatenate((np.zeros(min(len(keys), 1), np.int64), change))
    ends = np.concatenate((change, np.full(min(len(keys), 1), len(keys), np.int64)))
    return order.astype(np.int64), starts, ends


def group_owners(groups: Sequence[Sequence[int]]) -> tuple[Ints, Ints]:
    """The members of all groups, group after group, and beside each the group's position."""
    sizes = np.fromiter(map(len, groups), np.int64, len(groups))
    total = int(sizes.sum())
    members = np.fromiter(chain.from_iterable(groups), np.int64, total)
    owners = np.repeat(np.arange(len(groups), dtype=np.int64), sizes)
    return members, owners


def split_runs(values: Ints, starts: Ints, ends: Ints) -> list[list[int]]:
    """`values[start:end]` as a list for each run, in the order the runs are given."""
    lengths = ends - starts
    if not len(lengths):
        return []
    # the runs' values side by side, then cut into lists: one conversion for them all
    offsets = np.concatenate((np.zeros(1, np.int64), np.cumsum(lengths)))
    picked = np.repeat(starts - offsets[:-1], lengths) + np.arange(int(offsets[-1]))
    flat: list[int] = values[picked].tolist()
    bounds: list[int] = offsets.tolist()
    return [flat[bounds[j] : bounds[j + 1]] for j in range(len(lengths))]
