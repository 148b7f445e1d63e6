"""Building records from CSV rows: the column layout is resolved once per file, and a batch of
rows is coerced a column at a time (see `columns`).

A row any column refuses is built again on its own by `build_csv_row`, whose checks name the
first bad field in the order a reader sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from c360tui.core.records import AttrValue, SourceRecord
from c360tui.core.sources_spec import AttributeSpec, FeedSpec
from c360tui.ingest.cellbatch import blank_positions
from c360tui.ingest.cellcolumns import Column
from c360tui.ingest.coerce import Coercers
from c360tui.ingest.quarantine import RowRejected
from c360tui.ingest.timestamps import Stamps


@dataclass(frozen=True, slots=True)
class CsvLayout:
    """Where a feed's columns sit in one file's header, and how each is coerced."""

    cells: tuple[tuple[int, str, str, Column], ...]
    id_index: int
    ts_index: int  # -1 when the feed has no timestamp column or the file lacks it
    required: tuple[tuple[int, str], ...]
    attributes: tuple[str, ...]  # the attribute of each of `cells`
    stamps: Stamps | None

    @classmethod
    def of(
        cls,
        feed: FeedSpec,
        mapped: list[tuple[str, str, Coercers]],
        positions: dict[str, int],
        specs: Mapping[str, AttributeSpec],
        stamps: Stamps | None,
    ) -> CsvLayout:
        ts_column = feed.updated_at.column if feed.updated_at else None
        required = [feed.record_id, *sorted(set(feed.required) - {feed.record_id})]
        present = [(c, a, coercers) for c, a, coercers in mapped if c in positions]
        return cls(
            cells=tuple(
                (positions[column], column, attribute, Column(specs[attribute], coercers))
                for column, attribute, coercers in present
            ),
            id_index=positions[feed.record_id],
            ts_index=positions.get(ts_column, -1) if ts_column else -1,
            required=tuple((positions[column], column) for column in required),
            attributes=tuple(attribute for _, attribute, _ in present),
            stamps=stamps,
        )


def build_csv_batch(
    feed: FeedSpec, layout: CsvLayout, rows: list[list[str]], stamp: Callable[[str], datetime]
) -> list[SourceRecord | str]:
    """The record for each row (all of the header's width), or the reason it is refused."""
    count = len(rows)
    columns = list(zip(*rows, strict=True))
    refused: set[int] = set()
    ids = list(map(str.strip, columns[layout.id_index]))
    for index, _column in layout.required:
        stripped = ids if index == layout.id_index else list(map(str.strip, columns[index]))
        refused.update(blank_positions(stripped))
    stamps: Sequence[object] = [None] * count
    if layout.ts_index >= 0 and layout.stamps is not None:
        stamps, late = layout.stamps.texts(columns[layout.ts_index])
        refused.update(late)
    values = []
    for index, _column, _attribute, column in layout.cells:
        converted, bad = column.texts(columns[index])
        values.append(converted)
        refused.update(bad)
    records: list[SourceRecord | str] = []
    system, feed_name, names = feed.system, feed.name, layout.attributes
    distinct = len(set(names)) == len(names)
    for record_id, updated_at, cells in zip(
        ids, stamps, zip(*values, strict=False) if values else [()] * count, strict=False
    ):
        if distinct and None not in cells:
            attributes = dict(zip(names, cells, strict=False))
        else:  # blanks are missing values; a later column of the same attribute overrides
            attributes = {
                name: value for name, value in zip(names, cells, strict=False) if value is not None
            }
        records.append(SourceRecord(system, feed_name, record_id, updated_at, attributes))  # type: ignore[arg-type]
    for position in sorted(refused):
        try:
            records[position] = build_csv_row(feed, layout, rows[position], stamp)
        except RowRejected as rejected:
            records[position] = str(rejected)
    return records


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
    for index, column, attribute, coercer in layout.cells:
        cell = row[index]
        if not cell or cell.isspace():
            continue
        try:
            attributes[attribute] = coercer.coercers.text(cell)
        except ValueError as error:
            raise RowRejected(f"Field {column!r} {error}.") from None
    return SourceRecord(
        feed.system, feed.name, row[layout.id_index].strip(), updated_at, attributes
    )
