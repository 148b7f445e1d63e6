"""Source records: one row from one source feed, kept as ingested."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

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
