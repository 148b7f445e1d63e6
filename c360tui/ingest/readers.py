"""Stream one feed's file into SourceRecords and QuarantinedRows, with physical line numbers.

Bytes are decoded line by line so one undecodable line quarantines one row, not the file.
Every non-blank row comes out as exactly one record or one quarantined row.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from c360tui.core.records import AttrValue, SourceRecord
from c360tui.core.sources_spec import FeedSpec, SourcesSpec
from c360tui.errors import C360Error
from c360tui.ingest.coerce import (
    Coercers,
    TimestampParser,
    make_coercers,
    make_timestamp_parser,
    show,
)
from c360tui.ingest.csvrows import CsvLayout, build_csv_row
from c360tui.ingest.filecheck import (
    check_csv_header,
    check_exists,
    check_jsonl_start,
    required_columns,
)
from c360tui.ingest.quarantine import QuarantinedRow, RowRejected, clip_raw

# The longest field accepted; a longer one is a broken export (or an attack), not a value.
MAX_FIELD_CHARS = 100_000
# How far past `now` a timestamp may be before it counts as from the future (clock skew).
FUTURE_SKEW = timedelta(minutes=5)
# Rows between two progress callbacks.
PROGRESS_EVERY = 20_000

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
    )


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and (not value or value.isspace()))


def _build_json(
    plan: _Plan, get: Callable[[str], object], line: int, fingerprint: int
) -> SourceRecord:
    """Build one record from a JSON object (`get` is its .get), raising RowRejected if bad."""
    feed = plan.feed
    raw_id = get(feed.record_id)
    if _is_blank(raw_id):
        raise RowRejected(f"Field {feed.record_id!r} (the record id) is empty.")
    if not isinstance(raw_id, str | int) or isinstance(raw_id, bool):
        raise RowRejected(
            f"Field {feed.record_id!r} (the record id) is not text or a whole number."
        )
    record_id = str(raw_id).strip()
    for column in plan.required:
        if _is_blank(get(column)):
            raise RowRejected(f"Required field {column!r} is empty.")
    updated_at: datetime | None = None
    if feed.updated_at is not None and plan.parse_ts is not None:
        raw_ts = get(feed.updated_at.column)
        if not _is_blank(raw_ts):
            updated_at = _timestamp(plan, raw_ts)
    attributes: dict[str, AttrValue] = {}
    for column, attribute, coercers in plan.mapped:
        value = get(column)
        if value is None or (value.__class__ is str and (not value or value.isspace())):
            continue
        try:
            attributes[attribute] = coercers.value(value)
        except ValueError as error:
            raise RowRejected(f"Field {column!r} {error}.") from None
    _check_repeat(plan, record_id, fingerprint, line)
    return SourceRecord(feed.system, feed.name, record_id, updated_at, attributes)


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


def _check_repeat(plan: _Plan, record_id: str, fingerprint: int, line: int) -> None:
    """Refuse a second row with this id unless it is the same row again."""
    previous = plan.seen.get(record_id)
    if previous is None:
        plan.seen[record_id] = (fingerprint, line)
    elif previous[0] != fingerprint:
        raise RowRejected(
            f"Field {plan.feed.record_id!r}: record id {show(record_id)} appears again with "
            f"different content (first on line {previous[1]})."
        )


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
            yield from _read_jsonl(plan, path, handle, progress)
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
    types = {name: spec.type for name, spec in sources.attributes.items()}
    layout = CsvLayout.of(plan.feed, plan.mapped, positions, types)
    names = [cell.strip() for cell in header or ()]
    width = len(names)
    state.lines.clear()
    state.undecodable = False
    feed = plan.feed
    feed_name, file_name = feed.name, plan.file

    def stamp(raw: str) -> datetime:
        return _timestamp(plan, raw)

    last_line = reader.line_num
    count = 0
    rows = iter(reader)
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
        else:
            try:
                record = build_csv_row(feed, layout, row, stamp)
                _check_repeat(plan, record.record_id, hash(raw), start)
                yield start, record
                continue
            except RowRejected as rejected:
                reason = str(rejected)
        yield start, QuarantinedRow(feed_name, file_name, start, clip_raw(raw), reason)
    if progress is not None:
        progress(handle.tell())


def _read_jsonl(
    plan: _Plan, path: Path, handle: BinaryIO, progress: Progress | None
) -> Iterator[Numbered]:
    feed_name, file_name = plan.feed.name, plan.file
    checked = False
    count = 0
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
            yield number, _json_row(plan, text, number, undecodable)
        except RowRejected as rejected:
            reason = str(rejected)
            yield number, QuarantinedRow(feed_name, file_name, number, clip_raw(text), reason)
    if not checked:
        check_jsonl_start(plan.feed, path, None)
    if progress is not None:
        progress(handle.tell())


def _json_row(plan: _Plan, text: str, line: int, undecodable: bool) -> SourceRecord:
    if "\x00" in text:
        raise RowRejected("Line contains a NUL byte.")
    try:
        obj = json.loads(text)
    except ValueError as error:
        raise RowRejected(f"Line is not valid JSON ({error}).") from None
    if not isinstance(obj, dict):
        raise RowRejected(f"Line is a JSON {type(obj).__name__}, not an object.")
    if undecodable:
        bad = _first_key(obj, lambda value: "\ufffd" in value)
        raise RowRejected(f"Field {bad!r} holds bytes that are not valid UTF-8.")
    if "\\u0000" in text:
        bad = _first_key(obj, lambda value: "\x00" in value)
        raise RowRejected(f"Field {bad!r} contains a NUL byte.")
    if len(text) > MAX_FIELD_CHARS:
        bad = _first_key(obj, lambda value: len(value) > MAX_FIELD_CHARS)
        if bad != "(row)":
            raise RowRejected(
                f"Field {bad!r} is {len(obj[bad]):,} characters long, over the "
                f"{MAX_FIELD_CHARS:,}-character limit."
            )
    return _build_json(plan, obj.get, line, hash(text.strip()))


def _first_key(obj: dict[str, object], test: Callable[[str], bool]) -> str:
    for key, value in obj.items():
        if isinstance(value, str) and test(value):
            return key
        if isinstance(key, str) and test(key):
            return key
    return "(row)"
