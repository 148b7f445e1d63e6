"""Preparing the normalised field columns for matching: switchboard detection and blocking keys
(found through integer codes of the fields, `TableCodes`).

The columns themselves are built in field_table.py (re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from c360tui.core.columnar import Ints, runs, split_runs, value_codes
from c360tui.core.field_table import Column, FieldTable, FieldTableBuilder
from c360tui.core.identity_spec import IdentitySpec, split_block_part

Codes = npt.NDArray[np.int32]

__all__ = ["Column", "FieldTable", "FieldTableBuilder", "TableCodes", "drop_shared_values"]


def count_people(names: Sequence[str | None], limit: int) -> int:
    """How many distinct people a list of full names holds, counting at most `limit` + 1.

    Names are grouped by similarity (token order ignored) so "Bob Smith" on ten tickets,
    "Robert Smith" and "Robert Smyth" count as one person.
    """
    people: list[str] = []
    for name in dict.fromkeys(n for n in names if n):
        if any(fuzz.token_sort_ratio(name, known) >= 85 for known in people):
            continue
        people.append(name)
        if len(people) > limit:
            break
    return len(people)


def drop_shared_values(
    table: FieldTable, spec: IdentitySpec, codes: TableCodes | None = None
) -> dict[str, list[str]]:
    """Remove values that link more distinct people than allowed (a switchboard number).

    Returns, per field, the values removed, sorted. `codes` (of this table), if given, learns
    of the removals.
    """
    codes = codes or TableCodes(table)
    removed: dict[str, list[str]] = {}
    for name, limit in spec.max_people_per_value.items():
        column = table.values[name]
        coded = codes.of(name)
        # the records holding each value more than `limit` records hold, ascending
        present = np.flatnonzero(coded >= 0)
        order, starts, ends = runs(coded[present].astype(np.int64))
        many = ends - starts > limit
        holders = split_runs(present[order], starts[many], ends[many])
        shared = sorted(
            (str(column[indices[0]]), indices)
            for indices in holders
            if _people_over(table.person, indices, limit)
        )
        for _, indices in shared:
            for index in indices:
                column[index] = None
            codes.forget(name, indices)
        if shared:
            removed[name] = [value for value, _ in shared]
    return removed


def _people_over(person: Column, indices: list[int], limit: int) -> bool:
    """Whether the records at `indices` name more than `limit` distinct people.

    Never more people than distinct names: most shared values (one person's email on each of
    their tickets) hold one name, and need no similarity grouping.
    """
    names = itemgetter(*indices)(person) if len(indices) > 1 else [person[indices[0]]]
    distinct = set(names)
    distinct.discard(None)
    distinct.discard("")
    if len(distinct) <= limit:
        return False
    return count_people(names, limit) > limit


def block_key_parts(key: list[str]) -> list[tuple[str, int | None]]:
    """A blocking key's fields with the prefix length each keeps (None: the whole value)."""
    lengths = {None: None, "initial": 1, "prefix3": 3, "year": 4}
    return [(field, lengths[transform]) for field, transform in map(split_block_part, key)]


class TableCodes:
    """Integer codes of a table's fields (and their prefixes), made once and shared by every
    rule that blocks on them: records with equal values have equal codes, -1 where missing."""

    def __init__(self, table: FieldTable) -> None:
        self._table = table
        # 32-bit codes: at a million customers each field's codes take 12 MB
        self._codes: dict[tuple[str, int | None], Codes] = {}
        self._values: dict[str, list[str]] = {}  # each field's distinct values, by code

    def of(self, field: str, length: int | None = None) -> Codes:
        """Each record's code for the value of `field`, or for its first `length` characters."""
        found = self._codes.get((field, length))
        if found is not None:
            return found
        if length is None:
            distinct: dict[str, int] = {}
            coded = value_codes(self._table.values[field], distinct).astype(np.int32)
            self._values[field] = list(distinct)
        else:
            # each distinct value cut once: the prefixes' codes through the values'
            whole = self.of(field)
            prefixes: dict[str, int] = {}
            values = self._values[field]
            remap = np.fromiter(
                (prefixes.setdefault(v[:length], len(prefixes)) for v in values),
                np.int32,
                len(values),
            )
            remap = np.append(remap, np.int32(-1))  # code -1 (missing) stays -1
            coded = remap[whole]
        self._codes[(field, length)] = coded
        return coded

    def forget(self, field: str, positions: list[int]) -> None:
        """The values of `field` at `positions` were removed from the table."""
        for (name, _), coded in self._codes.items():
            if name == field:
                coded[positions] = -1

    def retain(self, parts: Iterable[tuple[str, int | None]]) -> None:
        """Let go of the codes of every (field, prefix length) but `parts`, which later rules
        block on (a prefix's field codes are kept to make it from)."""
        kept = set(parts)
        kept |= {(field, None) for field, _ in kept}
        for part in [part for part in self._codes if part not in kept]:
            del self._codes[part]
        for field in [field for field in self._values if (field, None) not in kept]:
            del self._values[field]

    def blocks(self, key: list[str], eligible: Ints, roots: Ints | None = None) -> list[list[int]]:
        """The eligible records (ascending) grouped by a blocking key, only blocks of two or
        more, each ascending and in the order of their first record; records missing a part
        are left out, and so are blocks whose records all have one root in `roots`."""
        parts = [
            self.of(field, length)[eligible].astype(np.int64)
            for field, length in block_key_parts(key)
        ]
        present = np.logical_and.reduce([part >= 0 for part in parts])
        eligible = eligible[present]
        combined = parts[0][present]
        for part in parts[1:]:
            # (the parts so far, this part) as one number; renumbered first if it could overflow
            part = part[present]
            width = int(part.max()) + 1 if len(part) else 1
            if len(combined) and int(combined.max()) >= (1 << 62) // width:
                combined = np.unique(combined, return_inverse=True)[1].reshape(-1)
            combined = combined * width + part
        del parts, present
        order, starts, ends = runs(combined)
        members = eligible[order]
        many = ends - starts >= 2
        starts, ends = starts[many], ends[many]
        if roots is not None and len(starts):
            # a block already one set can add nothing: left out before any Python runs for it
            held = roots[members]
            mixed = np.minimum.reduceat(held, starts) != np.maximum.reduceat(held, starts)
            starts, ends = starts[mixed], ends[mixed]
        by_first = np.argsort(members[starts], kind="stable")
        return split_runs(members, starts[by_first], ends[by_first])
