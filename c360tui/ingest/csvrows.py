"""Building a record from one CSV row: the hot path of ingest, so the column layout is resolved
once per file and each row is checked with plain indexing.

Each column remembers the values its distinct cells coerced to (up to MEMO_LIMIT of them): a
repeated cell (a plan, a status, a common first name) costs one dictionary look-up, and every
record holding it shares one value object instead of its own copy. A column whose first
MEMO_PROBE cells were mostly distinct (ids, emails, timestamps) stops remembering.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from c360tui.core.records import AttrValue, SourceRecord
from c360tui.core.sources_spec import FeedSpec
from c360tui.ingest.coerce import Coercers, TextCoercer
from c360tui.ingest.quarantine import RowRejected

# Distinct cells remembered per column; past it new cells are coerced without being kept.
MEMO_LIMIT = 50_000
# When a column's memo reaches this many cells within twice as many rows, it is dropped.
MEMO_PROBE = 2_048


def memo_for(attribute_type: str) -> dict[str, AttrValue] | None:
    """A memo for a column of this type, or None where values are mutable (lists of floats)."""
    return None if attribute_type == "floats" else {}


@dataclass(frozen=True, slots=True)
class CsvLayout:
    """Where a feed's columns sit in one file's header."""

    cells: tuple[tuple[int, str, str, TextCoercer, int], ...]  # the int: the column's memo
    id_index: int
    ts_index: int  # -1 when the feed has no timestamp column or the file lacks it
    required: tuple[tuple[int, str], ...]
    memos: list[dict[str, AttrValue] | None]
    built: list[int]  # [rows built so far], to judge whether a memo pays

    @classmethod
    def of(
        cls,
        feed: FeedSpec,
        mapped: list[tuple[str, str, Coercers]],
        positions: dict[str, int],
        types: Mapping[str, str],
    ) -> CsvLayout:
        ts_column = feed.updated_at.column if feed.updated_at else None
        required = [feed.record_id, *sorted(set(feed.required) - {feed.record_id})]
        present = [(c, a, coercers) for c, a, coercers in mapped if c in positions]
        return cls(
            cells=tuple(
                (positions[column], column, attribute, coercers.text, slot)
                for slot, (column, attribute, coercers) in enumerate(present)
            ),
            id_index=positions[feed.record_id],
            ts_index=positions.get(ts_column, -1) if ts_column else -1,
            required=tuple((positions[column], column) for column in required),
            memos=[memo_for(types[attribute]) for _, attribute, _ in present],
            built=[0],
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
    memos = layout.memos
    layout.built[0] += 1
    for index, column, attribute, coerce, slot in layout.cells:
        cell = row[index]
        if not cell or cell.isspace():
            continue
        memo = memos[slot]
        if memo is not None:
            known = memo.get(cell)  # coercers never give None: it means unseen
            if known is not None:
                attributes[attribute] = known
                continue
        try:
            value = coerce(cell)
        except ValueError as error:
            raise RowRejected(f"Field {column!r} {error}.") from None
        attributes[attribute] = value
        if memo is not None and len(memo) < MEMO_LIMIT:
            memo[cell] = value
            if len(memo) == MEMO_PROBE and layout.built[0] < 2 * MEMO_PROBE:
                memos[slot] = None  # mostly distinct cells: remembering them does not pay
    return SourceRecord(
        feed.system, feed.name, row[layout.id_index].strip(), updated_at, attributes
    )
