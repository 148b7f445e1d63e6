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
from itertools import accumulate
from sys import intern

from c360tui.core.accounts import AccountVotes, DrainedVotes
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
        kept = _first_of_each_key(feeds, record_ids)
        if first_rowid is not None:
            first = bytearray(len(feeds))
            for position in kept:
                first[position] = 1
            # the rank of each first occurrence among first occurrences, in the order added
            # (an array of machine integers: a list would hold an int object per record)
            ranks = array("q", accumulate(first))
            rowids = array("q", (first_rowid + ranks[p] - 1 for p in kept))
            del first, ranks
        else:
            rowids = array("q", (self._rowids[p] for p in kept))
        keys = KeyColumn((feeds[p] for p in kept), [record_ids[p] for p in kept])
        self._feeds, self._record_ids, self._rowids = [], [], array("q")
        table = self._builder.table(kept)
        self._votes.reorder(kept)
        return RecordColumns(keys, table, self._votes, rowids)


def _first_of_each_key(feeds: list[str], record_ids: list[str]) -> list[int]:
    """Positions of the records sorted by (feed, record id), only the first added of each key.

    Sorted feed by feed on the record id alone (a stable sort, so of equal keys the first added
    comes first), which needs no (feed, record id) tuple per record.
    """
    by_feed: dict[str, list[int]] = {}
    for position, feed in enumerate(feeds):
        found = by_feed.get(feed)
        if found is None:
            by_feed[feed] = [position]
        else:
            found.append(position)
    kept: list[int] = []
    for feed in sorted(by_feed):
        positions = by_feed.pop(feed)
        positions.sort(key=record_ids.__getitem__)
        previous: str | None = None
        for position in positions:
            record_id = record_ids[position]
            if record_id != previous:
                kept.append(position)
                previous = record_id
    return kept
