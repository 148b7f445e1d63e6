"""Stream one feed's file into SourceRecords and QuarantinedRows, with physical line numbers.

Bytes are decoded line by line so one undecodable line quarantines one row, not the file.
Every non-blank row comes out as exactly one record or one quarantined row.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from c360tui.core.records import SourceRecord
from c360tui.core.sources_spec import FeedSpec, SourcesSpec
from c360tui.errors import C360Error
from c360tui.ingest.coerce import (
    Coercers,
    TimestampParser,
    make_coercers,
    make_timestamp_parser,
    show,
)
from c360tui.ingest.csvrows import CsvLayout, build_csv_batch
from c360tui.ingest.filecheck import (
    check_csv_header,
    check_exists,
    check_jsonl_start,
    required_columns,
)
from c360tui.ingest.jsonrows import JsonLayout, build_json_batch, parse_line
from c360tui.ingest.quarantine import QuarantinedRow, RowRejected, clip_raw
from c360tui.ingest.timestamps import Stamps

# The longest field accepted; a longer one is a broken export (or an attack), not a value.
MAX_FIELD_CHARS = 100_000
# How far past `now` a timestamp may be before it counts as from the future (clock skew).
FUTURE_SKEW = timedelta(minutes=5)
# Rows between two progress callbacks.
PROGRESS_EVERY = 20_000
# Rows read before their records are built together, a column at a time.
BATCH_ROWS = 1_024

# The csv module refuses fields over 128 KiB with an exception that would lose our place in the
# file; lift it so over-long fields reach our own check and become one quarantined row.
csv.field_size_limit(sys.maxsize)

Item = SourceRecord | QuarantinedRow
Numbered = tuple[int, Item]
Progress = Callable[[int], None]


@dataclass(slots=True)
class _Plan:
    """What a feed needs per row, resolved once per file: coercers, id and timestamp handling."""

    feed: FeedSpec
    file: str
    mapped: list[tuple[str, str, Coercers]]
    required: frozenset[str]
    parse_ts: TimestampParser | None
    latest: datetime
    stamps: Stamps | None
    seen: dict[str, tuple[int, int]] = field(default_factory=dict)


def _plan(feed: FeedSpec, path: Path, sources: SourcesSpec, now: datetime) -> _Plan:
    updated = feed.updated_at
    fmt, zone = (updated.format, updated.timezone) if updated else ("iso", None)
    mapped = [
        (
            column,
            attribute,
            make_coercers(
                sources.attributes[attribute], region=sources.default_region, fmt=fmt, timezone=zone
            ),
        )
        for column, attribute in feed.columns.items()
    ]
    return _Plan(
        feed=feed,
        file=path.name,
        mapped=mapped,
        required=frozenset(required_columns(feed)),
        parse_ts=make_timestamp_parser(fmt, zone) if updated else None,
        latest=now + FUTURE_SKEW,
        stamps=Stamps(fmt, zone, now + FUTURE_SKEW) if updated else None,
    )


def _timestamp(plan: _Plan, raw: object) -> datetime:
    """The row's updated-at time, refused when unreadable, naive without a zone, or future."""
    assert plan.parse_ts is not None and plan.feed.updated_at is not None
    column = plan.feed.updated_at.column
    try:
        moment = plan.parse_ts(raw)
    except ValueError as error:
        raise RowRejected(f"Field {column!r} {error}.") from None
    if moment > plan.latest:
        raise RowRejected(
            f"Field {column!r} is {moment.isoformat(timespec='seconds')}, in the future "
            f"(later than {plan.latest.isoformat(timespec='seconds')})."
        )
    return moment


def _repeat_reason(plan: _Plan, record_id: str, first_line: int) -> str:
    """Why a second row with this id and other content is refused."""
    return (
        f"Field {plan.feed.record_id!r}: record id {show(record_id)} appears again with "
        f"different content (first on line {first_line})."
    )


def _emit(
    plan: _Plan,
    built: list[SourceRecord | str],
    starts: list[int],
    raws: list[str],
    refused: list[tuple[int, int, str, str]],
    json_lines: bool,
) -> Iterator[Numbered]:
    """Yield a batch in line order: each built row's record or reason, and the rows refused
    before building, each (rows built before it, line, raw, reason).

    A second row with a record's id is refused unless it is the same row again.
    """
    feed_name, file_name = plan.feed.name, plan.file
    seen = plan.seen
    ahead = iter(refused)
    waiting = next(ahead, None)
    for index, (item, start, text) in enumerate(zip(built, starts, raws, strict=True)):
        while waiting is not None and waiting[0] == index:
            _, line, raw, reason = waiting
            yield line, QuarantinedRow(feed_name, file_name, line, clip_raw(raw), reason)
            waiting = next(ahead, None)
        if isinstance(item, SourceRecord):
            fingerprint = hash(text.strip() if json_lines else text)
            first = seen.setdefault(item.record_id, (fingerprint, start))
            if first[0] == fingerprint:
                yield start, item
                continue
            item = _repeat_reason(plan, item.record_id, first[1])
        yield start, QuarantinedRow(feed_name, file_name, start, clip_raw(text), item)
    while waiting is not None:
        _, line, raw, reason = waiting
        yield line, QuarantinedRow(feed_name, file_name, line, clip_raw(raw), reason)
        waiting = next(ahead, None)


def _scan_field(names: list[str], cells: list[str], test: Callable[[str], bool]) -> str:
    """The name of the first field whose text passes `test` (for naming it in a reason)."""
    for index, cell in enumerate(cells):
        if test(cell):
            return names[index] if index < len(names) else f"column {index + 1}"
    return "(row)"


def read_feed(
    feed: FeedSpec,
    path: Path,
    sources: SourcesSpec,
    now: datetime,
    *,
    progress: Progress | None = None,
) -> Iterator[Item]:
    """Yield one SourceRecord or QuarantinedRow per non-blank row of `path` read as `feed`.

    Whole-file problems (missing file, empty, wrong format or delimiter, missing required column)
    raise C360Error before the first row; `progress` gets the byte offset every few thousand rows.
    """
    for _line, item in read_feed_lines(feed, path, sources, now, progress=progress):
        yield item


def read_feed_lines(
    feed: FeedSpec,
    path: Path,
    sources: SourcesSpec,
    now: datetime,
    *,
    progress: Progress | None = None,
) -> Iterator[tuple[int, Item]]:
    """Like `read_feed`, with the physical line each row starts on."""
    check_exists(feed, path)
    plan = _plan(feed, path, sources, now)
    with path.open("rb") as handle:
        if feed.format == "jsonl":
            yield from _read_jsonl(plan, path, handle, progress, sources)
        else:
            yield from _read_csv(plan, path, handle, progress, sources)


@dataclass(slots=True)
class _LineState:
    """Lines the csv reader consumed for the current row, and whether any failed to decode."""

    lines: list[str] = field(default_factory=list)
    undecodable: bool = False


def _decoded(handle: BinaryIO, state: _LineState) -> Iterator[str]:
    lines = state.lines
    first = True
    for raw in handle:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("utf-8", "replace")
            state.undecodable = True
        if first:
            text = text.removeprefix("\ufeff")
            first = False
        lines.append(text)
        yield text


def _read_csv(
    plan: _Plan, path: Path, handle: BinaryIO, progress: Progress | None, sources: SourcesSpec
) -> Iterator[Numbered]:
    state = _LineState()
    reader = csv.reader(_decoded(handle, state), delimiter=plan.feed.delimiter)
    header: list[str] | None = None
    try:
        for row in reader:
            if row:
                header = row
                break
            state.lines.clear()
    except csv.Error as error:
        raise C360Error(f"{path} has a header that is not valid CSV ({error}).") from None
    positions = check_csv_header(plan.feed, path, header)
    layout = CsvLayout.of(plan.feed, plan.mapped, positions, sources.attributes, plan.stamps)
    names = [cell.strip() for cell in header or ()]
    width = len(names)
    state.lines.clear()
    state.undecodable = False
    feed = plan.feed

    def stamp(raw: str) -> datetime:
        return _timestamp(plan, raw)

    last_line = reader.line_num
    count = 0
    rows = iter(reader)
    good: list[list[str]] = []
    starts: list[int] = []
    raws: list[str] = []
    refused: list[tuple[int, int, str, str]] = []
    while True:
        reason: str | None = None
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            row, reason = [], f"Row is not valid CSV ({error})."
        start, last_line = last_line + 1, reader.line_num
        lines = state.lines
        raw = lines[0] if len(lines) == 1 else "".join(lines)
        lines.clear()
        if reason is None and (not row or (len(row) == 1 and not row[0].strip())):
            state.undecodable = False
            continue
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(handle.tell())
        if reason is not None:
            state.undecodable = False
        elif state.undecodable:
            state.undecodable = False
            bad = _scan_field(names, row, lambda cell: "\ufffd" in cell)
            reason = f"Field {bad!r} holds bytes that are not valid UTF-8."
        elif "\x00" in raw:
            bad = _scan_field(names, row, lambda cell: "\x00" in cell)
            reason = f"Field {bad!r} contains a NUL byte."
        elif len(raw) > MAX_FIELD_CHARS and any(len(cell) > MAX_FIELD_CHARS for cell in row):
            bad = _scan_field(names, row, lambda cell: len(cell) > MAX_FIELD_CHARS)
            longest = max(len(cell) for cell in row)
            reason = (
                f"Field {bad!r} is {longest:,} characters long, over the "
                f"{MAX_FIELD_CHARS:,}-character limit."
            )
        elif len(row) != width:
            reason = f"Row has {len(row)} fields but the header has {width} columns."
        if reason is None:
            good.append(row)
            starts.append(start)
            raws.append(raw)
        else:
            refused.append((len(good), start, raw, reason))
        if len(good) + len(refused) >= BATCH_ROWS:
            built = build_csv_batch(feed, layout, good, stamp) if good else []
            yield from _emit(plan, built, starts, raws, refused, json_lines=False)
            good, starts, raws, refused = [], [], [], []
    built = build_csv_batch(feed, layout, good, stamp) if good else []
    yield from _emit(plan, built, starts, raws, refused, json_lines=False)
    if progress is not None:
        progress(handle.tell())


def _read_jsonl(
    plan: _Plan, path: Path, handle: BinaryIO, progress: Progress | None, sources: SourcesSpec
) -> Iterator[Numbered]:
    layout = JsonLayout.of(plan.feed, plan.mapped, plan.required, sources.attributes, plan.stamps)

    def stamp(raw: object) -> datetime:
        return _timestamp(plan, raw)

    checked = False
    count = 0
    good: list[dict[str, object]] = []
    starts: list[int] = []
    raws: list[str] = []
    refused: list[tuple[int, int, str, str]] = []
    for number, raw_bytes in enumerate(handle, start=1):
        undecodable = False
        try:
            text = raw_bytes.decode("utf-8")
        except UnicodeDecodeError:
            text = raw_bytes.decode("utf-8", "replace")
            undecodable = True
        if number == 1:
            text = text.removeprefix("\ufeff")
        if not text.strip():
            continue
        if not checked:
            check_jsonl_start(plan.feed, path, text)
            checked = True
        count += 1
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(handle.tell())
        try:
            good.append(parse_line(text, undecodable, MAX_FIELD_CHARS))
            starts.append(number)
            raws.append(text)
        except RowRejected as rejected:
            refused.append((len(good), number, text, str(rejected)))
        if len(good) + len(refused) >= BATCH_ROWS:
            built = build_json_batch(layout, good, stamp) if good else []
            yield from _emit(plan, built, starts, raws, refused, json_lines=True)
            good, starts, raws, refused = [], [], [], []
    built = build_json_batch(layout, good, stamp) if good else []
    yield from _emit(plan, built, starts, raws, refused, json_lines=True)
    if not checked:
        check_jsonl_start(plan.feed, path, None)
    if progress is not None:
        progress(handle.tell())
