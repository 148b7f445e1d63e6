"""Building records from JSON Lines objects: a batch of objects is coerced a column (key) at
a time (see `columns`); an object any column refuses is built again on its own by
`build_json_row`, whose checks name the first bad field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat

from c360tui.core.records import AttrValue, SourceRecord
from c360tui.core.sources_spec import AttributeSpec, FeedSpec
from c360tui.ingest.cellbatch import blank_positions, with_blanks
from c360tui.ingest.cellcolumns import Column
from c360tui.ingest.coerce import Coercers
from c360tui.ingest.quarantine import RowRejected
from c360tui.ingest.timestamps import Stamps

Getter = Callable[[str], object]


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and (not value or value.isspace()))


@dataclass(frozen=True, slots=True)
class JsonLayout:
    """A JSON feed's keys and how each is coerced, for one file."""

    feed: FeedSpec
    keys: tuple[tuple[str, str, Column], ...]
    required: frozenset[str]
    stamps: Stamps | None

    @classmethod
    def of(
        cls,
        feed: FeedSpec,
        mapped: list[tuple[str, str, Coercers]],
        required: frozenset[str],
        specs: Mapping[str, AttributeSpec],
        stamps: Stamps | None,
    ) -> JsonLayout:
        keys = tuple((key, name, Column(specs[name], coercers)) for key, name, coercers in mapped)
        return cls(feed, keys, required, stamps)


def build_json_batch(
    layout: JsonLayout, objects: list[dict[str, object]], stamp: Callable[[object], datetime]
) -> list[SourceRecord | str]:
    """The record for each object, or the reason it is refused."""
    feed = layout.feed

    def key(name: str) -> list[object]:
        return list(map(dict.get, objects, repeat(name)))

    refused: set[int] = set()
    raw_ids = key(feed.record_id)
    texts = with_blanks(raw_ids)
    if texts is not None:
        ids = list(map(str.strip, texts))
        refused.update(blank_positions(ids))
    else:
        ids = []
        for position, raw in enumerate(raw_ids):
            if is_blank(raw) or not isinstance(raw, str | int) or isinstance(raw, bool):
                refused.add(position)
            ids.append(str(raw).strip())
    for name in layout.required:
        refused.update(position for position, value in enumerate(key(name)) if is_blank(value))
    stamps: Sequence[object] = [None] * len(objects)
    if feed.updated_at is not None and layout.stamps is not None:
        stamps, late = layout.stamps.values(key(feed.updated_at.column))
        refused.update(late)
    values = []
    for name, _attribute, column in layout.keys:
        converted, bad = column.values(key(name))
        values.append(converted)
        refused.update(bad)
    names = tuple(attribute for _, attribute, _ in layout.keys)
    distinct = len(set(names)) == len(names)
    records: list[SourceRecord | str] = []
    cells_of = zip(*values, strict=False) if values else [()] * len(objects)
    for record_id, updated_at, cells in zip(ids, stamps, cells_of, strict=False):
        if distinct and None not in cells:
            attributes = dict(zip(names, cells, strict=False))
        else:  # missing values are absent; a later key of the same attribute overrides
            attributes = {
                name: value for name, value in zip(names, cells, strict=False) if value is not None
            }
        records.append(SourceRecord(feed.system, feed.name, record_id, updated_at, attributes))  # type: ignore[arg-type]
    for position in sorted(refused):
        try:
            records[position] = build_json_row(layout, objects[position].get, stamp)
        except RowRejected as rejected:
            records[position] = str(rejected)
    return records


def build_json_row(
    layout: JsonLayout, get: Getter, stamp: Callable[[object], datetime]
) -> SourceRecord:
    """Build one record from a JSON object (`get` is its .get), raising RowRejected if bad."""
    feed = layout.feed
    raw_id = get(feed.record_id)
    if is_blank(raw_id):
        raise RowRejected(f"Field {feed.record_id!r} (the record id) is empty.")
    if not isinstance(raw_id, str | int) or isinstance(raw_id, bool):
        raise RowRejected(
            f"Field {feed.record_id!r} (the record id) is not text or a whole number."
        )
    record_id = str(raw_id).strip()
    for column in layout.required:
        if is_blank(get(column)):
            raise RowRejected(f"Required field {column!r} is empty.")
    updated_at: datetime | None = None
    if feed.updated_at is not None and layout.stamps is not None:
        raw_ts = get(feed.updated_at.column)
        if not is_blank(raw_ts):
            updated_at = stamp(raw_ts)
    attributes: dict[str, AttrValue] = {}
    for column, attribute, coercer in layout.keys:
        value = get(column)
        if value is None or (value.__class__ is str and (not value or value.isspace())):
            continue
        try:
            attributes[attribute] = coercer.coercers.value(value)
        except ValueError as error:
            raise RowRejected(f"Field {column!r} {error}.") from None
    return SourceRecord(feed.system, feed.name, record_id, updated_at, attributes)


def parse_line(text: str, undecodable: bool, limit: int) -> dict[str, object]:
    """The line's object, or RowRejected for a line that is not one clean JSON object."""
    if "\x00" in text:
        raise RowRejected("Line contains a NUL byte.")
    try:
        obj = _loads(text)
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
    if len(text) > limit:
        bad = _first_key(obj, lambda value: len(value) > limit)
        if bad != "(row)":
            raise RowRejected(
                f"Field {bad!r} is {len(obj[bad]):,} characters long, over the "
                f"{limit:,}-character limit."
            )
    return obj


_DECODER = json.JSONDecoder()


def _loads(text: str) -> object:
    """json.loads(text), skipping its wrapper for a line that starts with its value (most do)."""
    try:
        value, end = _DECODER.raw_decode(text)
    except ValueError:
        return json.loads(text)  # the exact error, or a value after leading whitespace
    if end != len(text) and text[end:].strip(" \t\n\r"):
        return json.loads(text)  # extra data after the value: json.loads words the error
    return value


def _first_key(obj: dict[str, object], test: Callable[[str], bool]) -> str:
    for key, value in obj.items():
        if isinstance(value, str) and test(value):
            return key
        if isinstance(key, str) and test(key):
            return key
    return "(row)"
