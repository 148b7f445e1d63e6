"""Whole-file checks: problems that make a file unreadable as its feed, raised as one sentence.

These run for every file before anything is written, so a bad file stops the ingest cleanly.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from c360tui.core.sources_spec import FeedSpec
from c360tui.errors import C360Error

# Delimiters a CSV export is commonly written with; one of them inside a single header cell
# means the file was split with the wrong delimiter.
_OTHER_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# How many leading bytes are enough to see a header or a first JSON line.
_HEAD_BYTES = 1 << 20


def required_columns(feed: FeedSpec) -> list[str]:
    """The columns a feed's file must carry: the record id first, then the spec's `required`."""
    columns = [feed.record_id]
    columns += [column for column in feed.required if column != feed.record_id]
    return columns


def check_exists(feed: FeedSpec, path: Path) -> None:
    """Refuse a missing or unreadable file, naming the feed and the id column it should hold."""
    if not path.is_file():
        raise C360Error(
            f"{path} does not exist; feed {feed.name} expects it with column {feed.record_id!r}."
        )


def check_csv_header(feed: FeedSpec, path: Path, header: list[str] | None) -> dict[str, int]:
    """Check a CSV header against the feed and return each column's position.

    Refuses an empty file, a JSON Lines file, a wrong delimiter, duplicate columns and missing
    required columns, each with one sentence naming the file and the column.
    """
    if not header or all(not cell.strip() for cell in header):
        raise C360Error(
            f"{path} is empty; feed {feed.name} needs a header row with column {feed.record_id!r}."
        )
    first = header[0].lstrip()
    if first.startswith(("{", "[")):
        raise C360Error(
            f"{path} looks like JSON Lines, but feed {feed.name} is CSV with column "
            f"{feed.record_id!r}; fix the file or the feed's format."
        )
    names = [cell.strip() for cell in header]
    if len(names) == 1 and feed.record_id not in names:
        for delimiter in _OTHER_DELIMITERS:
            if delimiter != feed.delimiter and delimiter in names[0]:
                kind = _DELIMITER_NAMES[delimiter]
                raise C360Error(
                    f"{path} has one header column full of {kind}s: it looks {kind}-delimited, "
                    f"but feed {feed.name} expects {feed.delimiter!r} and column "
                    f"{feed.record_id!r}."
                )
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in positions and (name in feed.columns or name in required_columns(feed)):
            raise C360Error(f"{path} has column {name!r} twice; keep one.")
        positions.setdefault(name, index)
    for column in required_columns(feed):
        if column not in positions:
            raise C360Error(
                f"{path} is missing required column {column!r} (feed {feed.name}); "
                f"its header has {_clip(', '.join(names), 120)}."
            )
    return positions


def check_jsonl_start(feed: FeedSpec, path: Path, first_line: str | None) -> None:
    """Refuse an empty JSON Lines file or one that is really CSV (first line not an object)."""
    if first_line is None:
        raise C360Error(
            f"{path} is empty; feed {feed.name} needs JSON objects with key {feed.record_id!r}."
        )
    if not first_line.lstrip().startswith("{"):
        raise C360Error(
            f"{path} does not start with a JSON object (it looks like CSV), but feed {feed.name} "
            f"is JSON Lines with key {feed.record_id!r}; fix the file or the feed's format."
        )


def validate_file(feed: FeedSpec, path: Path) -> None:
    """Run every whole-file check for one feed's file without reading past its first rows."""
    check_exists(feed, path)
    with path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    lines = _head_lines(head)
    if feed.format == "jsonl":
        first = next((line for line in lines if line.strip()), None)
        check_jsonl_start(feed, path, first)
        return
    reader = csv.reader(lines, delimiter=feed.delimiter)
    header = next((row for row in reader if row), None)
    check_csv_header(feed, path, header)


def _head_lines(head: bytes) -> Iterator[str]:
    text = head.decode("utf-8", "replace").removeprefix("\ufeff")
    yield from text.splitlines(keepends=True)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
