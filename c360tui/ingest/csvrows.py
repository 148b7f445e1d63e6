"""Building a record from one CSV row: the hot path of ingest, so the column layout is resolved
once per file and each row is checked with plain indexing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from c360tui.core.records import AttrValue, SourceRecord
from c360tui.core.sources_spec import FeedSpec
from c360tui.ingest.coerce import Coercers, TextCoercer
from c360tui.ingest.quarantine import RowRejected


@dataclass(frozen=True, slots=True)
class CsvLayout:
    """Where a feed's columns sit in one file's header."""

    cells: tuple[tuple[int, str, str, TextCoercer], ...]
    id_index: int
    ts_index: int  # -1 when the feed has no timestamp column or the file lacks it
    required: tuple[tuple[int, str], ...]

    @classmethod
    def of(
        cls, feed: FeedSpec, mapped: list[tuple[str, str, Coercers]], positions: dict[str, int]
    ) -> CsvLayout:
        ts_column = feed.updated_at.column if feed.updated_at else None
        required = [feed.record_id, *sorted(set(feed.required) - {feed.record_id})]
        return cls(
            cells=tuple(
                (positions[column], column, attribute, coercers.text)
                for column, attribute, coercers in mapped
                if column in positions
            ),
            id_index=positions[feed.record_id],
            ts_index=positions.get(ts_column, -1) if ts_column else -1,
            required=tuple((positions[column], column) for column in required),
        )


def build_csv_row(
    feed: FeedSpec, layout: CsvLayout, row: list[str], stamp: Callable[[str], datetime]
) -> SourceRecord:
    """The record for a row of the header's width; RowRejected names the first bad field.

    Checks run in the order required fields, timestamp (`stamp`, which raises RowRejected),
    then mapped columns; blank cells are missing values.
    """
    for index, column in layout.required:
        cell = row[index]
        if not cell or cell.isspace():
            if index == layout.id_index:
                raise RowRejected(f"Field {column!r} (the record id) is empty.")
            raise RowRejected(f"Required field {column!r} is empty.")
    updated_at: datetime | None = None
    if layout.ts_index >= 0:
        raw_ts = row[layout.ts_index]
        if raw_ts and not raw_ts.isspace():
            updated_at = stamp(raw_ts)
    attributes: dict[str, AttrValue] = {}
    for index, column, attribute, coerce in layout.cells:
        cell = row[index]
        if not cell or cell.isspace():
            continue
        try:
            attributes[attribute] = coerce(cell)
        except ValueError as error:
            raise RowRejected(f"Field {column!r} {error}.") from None
    return SourceRecord(
        feed.system, feed.name, row[layout.id_index].strip(), updated_at, attributes
    )
