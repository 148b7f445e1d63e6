"""Preparing the normalised field columns for matching: switchboard detection and blocking keys.

The columns themselves are built in field_table.py (re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter

from rapidfuzz import fuzz

from c360tui.core.field_table import Column, FieldTable, FieldTableBuilder
from c360tui.core.identity_spec import IdentitySpec, split_block_part

__all__ = ["Column", "FieldTable", "FieldTableBuilder", "build_blocks", "drop_shared_values"]


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


def drop_shared_values(table: FieldTable, spec: IdentitySpec) -> dict[str, list[str]]:
    """Remove values that link more distinct people than allowed (a switchboard number).

    Returns, per field, the values removed, sorted.
    """
    removed: dict[str, list[str]] = {}
    for name, limit in spec.max_people_per_value.items():
        column = table.values[name]
        holders: dict[str, list[int]] = {}
        for index, value in enumerate(column):
            if value is not None:
                holders.setdefault(value, []).append(index)
        shared = sorted(
            value
            for value, indices in holders.items()
            if len(indices) > limit and _people_over(table.person, indices, limit)
        )
        for value in shared:
            for index in holders[value]:
                column[index] = None
        if shared:
            removed[name] = shared
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


def build_blocks(table: FieldTable, key: list[str], eligible: Sequence[int]) -> Iterable[list[int]]:
    """The eligible record indices grouped by a blocking key, one list per block value;
    records missing a part are left out."""
    parts = [(table.values[field], length) for field, length in block_key_parts(key)]
    if len(parts) == 1:
        # one field (the common case): a plain dictionary pass, no per-record tuple of parts
        # (nor one per block: at a million customers their keys alone took 100 MB)
        column, size = parts[0]
        single: dict[str, list[int]] = {}
        for index in eligible:
            value = column[index]
            if value is not None:
                single.setdefault(value if size is None else value[:size], []).append(index)
        return single.values()
    blocks: dict[tuple[str, ...], list[int]] = {}
    for index in eligible:
        values: list[str] = []
        for column, length in parts:
            value = column[index]
            if value is None:
                break
            values.append(value if length is None else value[:length])
        else:
            blocks.setdefault(tuple(values), []).append(index)
    return blocks.values()
