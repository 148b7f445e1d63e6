"""Source records: one row from one source feed, kept as ingested."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import overload

# A validated attribute value; dates and datetimes travel as ISO 8601 strings so a record
# round-trips through JSON unchanged.
AttrValue = str | int | float | bool | list[float]


@dataclass(frozen=True, slots=True)
class RecordKey:
    """Identifies one source record: the feed it came from and its id there."""

    feed: str
    record_id: str

    def __str__(self) -> str:
        return f"{self.feed}:{self.record_id}"


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One accepted row: its system, feed, id, last-changed time and typed attributes.

    `updated_at` is timezone-aware UTC or None when the source carries no timestamp.
    `attributes` holds only attributes the row actually had (missing values are absent).
    """

    system: str
    feed: str
    record_id: str
    updated_at: datetime | None
    attributes: dict[str, AttrValue] = field(default_factory=dict)

    @property
    def key(self) -> RecordKey:
        return RecordKey(self.feed, self.record_id)


class KeyColumn(Sequence[RecordKey]):
    """Many records' keys as columns: a feed number and a record id per record, each RecordKey
    made when asked for. Three million RecordKey objects held for a whole ingest took 143 MB.
    """

    __slots__ = ("_codes", "_feeds", "_record_ids")

    def __init__(self, feeds: Iterable[str], record_ids: list[str]) -> None:
        names: dict[str, int] = {}
        self._codes = array("H", [names.setdefault(feed, len(names)) for feed in feeds])
        self._feeds = tuple(names)
        self._record_ids = record_ids
        if len(self._codes) != len(record_ids):
            raise ValueError("a feed and a record id per record")

    @classmethod
    def coded(cls, feeds: Sequence[str], codes: array[int], record_ids: list[str]) -> KeyColumn:
        """The column of records whose feed is `feeds[codes[i]]`: what `KeyColumn(...)` makes
        when `feeds` lists the feeds in the order they first occur."""
        made = cls([], [])
        made._codes, made._feeds, made._record_ids = codes, tuple(feeds), record_ids
        if len(codes) != len(record_ids):
            raise ValueError("a feed and a record id per record")
        return made

    def __len__(self) -> int:
        return len(self._record_ids)

    @overload
    def __getitem__(self, index: int) -> RecordKey: ...
    @overload
    def __getitem__(self, index: slice) -> list[RecordKey]: ...
    def __getitem__(self, index: int | slice) -> RecordKey | list[RecordKey]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return RecordKey(self._feeds[self._codes[index]], self._record_ids[index])

    def parts(self, index: int) -> tuple[str, str]:
        """The feed and record id of record `index`, without making its RecordKey."""
        return self._feeds[self._codes[index]], self._record_ids[index]

    def __iter__(self) -> Iterator[RecordKey]:
        feeds = self._feeds
        for code, record_id in zip(self._codes, self._record_ids, strict=True):
            yield RecordKey(feeds[code], record_id)
