"""What resolution needs of every stored record, gathered while ingest reads or scans them.

An ingest of millions of rows cannot hold them all as Python objects (at a million customers
that alone was 3.5 GiB). Resolution reads only the identity fields and the account votes, so
those are kept as columns of normalised values, beside each record's key and its row id in the
store; reconcile later reads the records it needs back from the store, a chunk at a time.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from operator import ne
from sys import intern

import numpy as np

from c360tui.core.accounts import AccountVotes, DrainedVotes
from c360tui.core.columnar import Ints, machine_ints, reordered, runs, sorted_ranks, value_codes
from c360tui.core.field_table import Column, FieldTable, FieldTableBuilder
from c360tui.core.identity_spec import IdentitySpec
from c360tui.core.records import AttrValue, KeyColumn


@dataclass(slots=True)
class RecordColumns:
    """Every record once, sorted by key: the keys, identity columns, account votes, row ids."""

    keys: KeyColumn
    table: FieldTable
    votes: AccountVotes
    rowids: array[int]  # the source_record id of each record, in key order


@dataclass(slots=True)
class IdentityChunk:
    """Some records' keys, identity columns and account votes, as one collector drains them."""

    feeds: list[str]
    record_ids: list[str]
    columns: dict[str, Column]
    raw: dict[str, Column]
    votes: DrainedVotes


class ColumnCollector:
    """Collects records' keys and identity columns one record at a time, in any order.

    A key added twice (an exact repeat the store skipped) counts once: its first occurrence.
    """

    def __init__(self, spec: IdentitySpec, region: str, scoped: frozenset[str]) -> None:
        self._builder = FieldTableBuilder(spec, region)
        self._votes = AccountVotes(scoped)
        self._feeds: list[str] = []
        self._record_ids: list[str] = []
        self._rowids: array[int] = array("q")

    def add(
        self, feed: str, record_id: str, attributes: Mapping[str, AttrValue], rowid: int = 0
    ) -> None:
        """One record; `rowid` is its store id where known (else see `finish`'s `first_rowid`)."""
        self._builder.add(attributes)
        self._votes.add(attributes)
        self._feeds.append(feed)
        self._record_ids.append(record_id)
        self._rowids.append(rowid)

    def drain(self) -> IdentityChunk:
        """The records added since the last drain, handed over for another collector."""
        columns, raw = self._builder.drain()
        chunk = IdentityChunk(self._feeds, self._record_ids, columns, raw, self._votes.drain())
        self._feeds, self._record_ids = [], []
        self._rowids = array("q")
        return chunk

    def extend(self, chunk: IdentityChunk) -> None:
        """Append a drained chunk of another collector's records (row ids: see `finish`)."""
        self._builder.extend(chunk.columns, chunk.raw)
        self._votes.extend(chunk.votes)
        self._feeds.extend(map(intern, chunk.feeds))
        self._record_ids.extend(chunk.record_ids)
        self._rowids.extend([0] * len(chunk.feeds))

    def finish(self, first_rowid: int | None = None) -> RecordColumns:
        """The records sorted by (feed, record id), each key once.

        `first_rowid` numbers the records instead of the row ids given to `add`: the first
        occurrence of each key, in the order added, gets the next id from it (as an empty
        table's INTEGER PRIMARY KEY numbers the rows inserted into it).
        """
        feeds, record_ids = self._feeds, self._record_ids
        names, codes, kept = _first_of_each_key(feeds, record_ids)
        if first_rowid is not None:
            # the rank of each first occurrence among first occurrences, in the order added
            first = np.zeros(len(feeds), np.int64)
            first[kept] = 1
            ranks = np.cumsum(first)
            rowids = machine_ints(ranks[kept] + (first_rowid - 1))
            del first, ranks
        else:
            rowids = machine_ints(np.frombuffer(self._rowids, np.int64)[kept])
        keys = KeyColumn.coded(names, array("H", codes[kept].astype(np.uint16).tobytes()),
                               reordered(record_ids, kept))  # fmt: skip
        self._feeds, self._record_ids, self._rowids = [], [], array("q")
        table = self._builder.table(kept)
        self._votes.reorder(kept)
        return RecordColumns(keys, table, self._votes, rowids)


def _first_of_each_key(feeds: list[str], record_ids: list[str]) -> tuple[list[str], Ints, Ints]:
    """The feeds in name order, each record's feed (its number there) and the positions of the
    records sorted by (feed, record id), only the first added of each key.

    Sorted feed by feed on the record id alone (a stable sort, so of equal keys the first added
    comes first), which needs no (feed, record id) tuple per record.
    """
    numbers: dict[str, int] = {}
    codes = value_codes(feeds, numbers)
    names = sorted(numbers)
    codes = sorted_ranks(numbers)[codes] if len(codes) else codes
    # the records of each feed in the order added, feed after feed in name order
    by_feed, starts, ends = runs(codes)
    kept: list[Ints] = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        positions: list[int] = by_feed[start:end].tolist()
        positions.sort(key=record_ids.__getitem__)
        ids = list(map(record_ids.__getitem__, positions))
        # a key's first occurrence: a record id unlike the one sorted before it
        new = np.fromiter(map(ne, ids[1:], ids[:-1]), np.bool_, len(ids) - 1)
        kept.append(np.asarray(positions, np.int64)[np.concatenate(([True], new))])
    order = np.concatenate(kept) if kept else np.zeros(0, np.int64)
    return names, codes, order
