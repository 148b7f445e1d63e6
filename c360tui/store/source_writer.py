"""Bulk writes of what ingest reads: source records (once each) and quarantined rows.

Ingest stores millions of records, so they go in with `executemany` inside one transaction, in
chunks; an empty store fed by the readers takes them without a per-record check (see
`add_records`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Protocol, TypeVar

from c360tui.core.records import SourceRecord
from c360tui.store import codec

CHUNK = 20_000
T = TypeVar("T")


class QuarantineEntry(Protocol):
    """What the store needs from a refused row (ingest's QuarantinedRow has these fields)."""

    @property
    def feed(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def raw(self) -> str: ...
    @property
    def reason(self) -> str: ...


@dataclass(frozen=True, slots=True)
class RecordConflict:
    """A record whose id is already stored (or seen earlier) with different content."""

    record: SourceRecord
    file: str
    line: int
    reason: str


@dataclass(slots=True)
class AddResult:
    """What `add_records` did: new rows stored, exact repeats skipped, conflicts refused."""

    new: int = 0
    duplicates: int = 0
    conflicts: list[RecordConflict] = field(default_factory=list)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction (BEGIN IMMEDIATE ... COMMIT), rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def content_hash(system: str, updated_at: str | None, attributes_json: str) -> str:
    """A short digest of what a record says, so the same row ingested twice is recognised."""
    text = f"{system}\x1f{updated_at or ''}\x1f{attributes_json}"
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def add_records(
    conn: sqlite3.Connection,
    records: Iterable[SourceRecord | tuple[SourceRecord, str, int]],
    batch_id: int | None = None,
    *,
    ids_unique_per_file: bool = False,
) -> AddResult:
    """Store source records once: repeats are skipped, same id with new content is refused.

    Items are records or (record, file, line). Conflicts are not stored; the caller quarantines
    them. Everything happens in one transaction.

    `ids_unique_per_file` is the caller's promise that within one file an id repeats only with
    the same content (the ingest readers refuse any other repeat) and that each feed's records
    come from one file. Into an empty store such records are inserted directly, the unique
    index skipping exact repeats; should a feed's records name a second file, the checked path
    takes over from there.
    """
    result = AddResult()
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS incoming (seq INTEGER PRIMARY KEY, feed TEXT, "
        "record_id TEXT, system TEXT, updated_at TEXT, attributes TEXT, content_hash TEXT, "
        "file TEXT, line INTEGER)"
    )
    from c360tui.store.engine import bulk_journal

    with bulk_journal(conn), transaction(conn):
        chunks = _chunks(records, CHUNK)
        empty = conn.execute("SELECT 1 FROM source_record LIMIT 1").fetchone() is None
        if ids_unique_per_file and empty:
            chunks = _add_direct(conn, chunks, batch_id, result)
        for chunk in chunks:
            _add_chunk(conn, chunk, batch_id, result)
        conn.execute("DELETE FROM temp.incoming")
    return result


Item = SourceRecord | tuple[SourceRecord, str, int]
# The columns a stored row fills, in the order `stored_row` gives them.
ROW_COLUMNS = "feed, record_id, system, updated_at, attributes, content_hash, batch_id, file, line"
StoredRow = tuple[str, str, str, str | None, str, str, int | None, str, int]


def encode_record(record: SourceRecord) -> tuple[str | None, str, str]:
    """(updated at, attributes JSON, content hash): how source_record stores a record's content.

    The time is written uncached: four in five records' times are met only once.
    """
    attributes = codec.dump_sorted(record.attributes)
    moment = record.updated_at
    updated = None if moment is None else moment.isoformat()
    return updated, attributes, content_hash(record.system, updated, attributes)


def stored_row(record: SourceRecord, batch_id: int | None, file: str, line: int) -> StoredRow:
    """The source_record row of one record read from `file` at `line` (see ROW_COLUMNS)."""
    updated, attributes, digest = encode_record(record)
    return (record.feed, record.record_id, record.system, updated, attributes, digest, batch_id,
            file, line)  # fmt: skip


def _add_direct(
    conn: sqlite3.Connection, chunks: Iterator[list[Item]], batch_id: int | None, result: AddResult
) -> Iterator[list[Item]]:
    """Insert chunks straight into an empty source_record; returns the chunks left for the
    checked path (from the first record of a feed's second file on, if any)."""
    file_of: dict[str, str] = {}
    for chunk in chunks:
        rows: list[StoredRow] = []
        append = rows.append
        for position, item in enumerate(chunk):
            record, file, line = item if isinstance(item, tuple) else (item, "", 0)
            if file_of.setdefault(record.feed, file) != file:
                _insert_direct(conn, rows, result)
                return chain([chunk[position:]], chunks)
            append(stored_row(record, batch_id, file, line))
        _insert_direct(conn, rows, result)
    return iter(())


def _insert_direct(conn: sqlite3.Connection, rows: list[StoredRow], result: AddResult) -> None:
    before = conn.total_changes
    # an exact repeat (same feed, id and content) meets the unique index and is skipped
    conn.executemany(
        f"INSERT OR IGNORE INTO source_record ({ROW_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)", rows
    )
    new = conn.total_changes - before
    result.new += new
    result.duplicates += len(rows) - new


def _add_chunk(
    conn: sqlite3.Connection,
    chunk: list[SourceRecord | tuple[SourceRecord, str, int]],
    batch_id: int | None,
    result: AddResult,
) -> None:
    rows: list[tuple[int, str, str, str, str | None, str, str, str, int]] = []
    by_seq: dict[int, tuple[SourceRecord, str, int]] = {}
    first_seen: dict[tuple[str, str], tuple[str, str, int]] = {}
    for seq, item in enumerate(chunk):
        record, file, line = item if isinstance(item, tuple) else (item, "", 0)
        updated, attributes, digest = encode_record(record)
        key = (record.feed, record.record_id)
        earlier = first_seen.get(key)
        if earlier is not None:
            if earlier[0] == digest:
                result.duplicates += 1
            else:
                result.conflicts.append(
                    RecordConflict(record, file, line, _conflict_reason(record, earlier[1:]))
                )
            continue
        first_seen[key] = (digest, file, line)
        by_seq[seq] = (record, file, line)
        rows.append(
            (
                seq,
                record.feed,
                record.record_id,
                record.system,
                updated,
                attributes,
                digest,
                file,
                line,
            )
        )
    conn.execute("DELETE FROM temp.incoming")
    conn.executemany("INSERT INTO temp.incoming VALUES (?,?,?,?,?,?,?,?,?)", rows)
    conflicting = conn.execute(
        "SELECT i.seq, s.file, s.line FROM temp.incoming i JOIN source_record s "
        "ON s.feed = i.feed AND s.record_id = i.record_id AND s.content_hash <> i.content_hash "
        "GROUP BY i.seq"
    ).fetchall()
    for seq, file, line in conflicting:
        record, rfile, rline = by_seq[seq]
        reason = _conflict_reason(record, (file, line))
        result.conflicts.append(RecordConflict(record, rfile, rline, reason))
    before = conn.total_changes
    conn.execute(
        "INSERT INTO source_record (feed, record_id, system, updated_at, attributes, "
        "content_hash, batch_id, file, line) "
        "SELECT feed, record_id, system, updated_at, attributes, content_hash, ?, file, line "
        "FROM temp.incoming i WHERE NOT EXISTS (SELECT 1 FROM source_record s "
        "WHERE s.feed = i.feed AND s.record_id = i.record_id)",
        (batch_id,),
    )
    new = conn.total_changes - before
    result.new += new
    result.duplicates += len(rows) - new - len(conflicting)


def _conflict_reason(record: SourceRecord, first: tuple[str, int]) -> str:
    file, line = first
    where = f" (first seen at {file} line {line})" if file else ""
    return (
        f"Record id {record.record_id!r} of feed {record.feed} was already ingested with "
        f"different content{where}; fix the export or ingest into a new --db."
    )


def add_quarantine(
    conn: sqlite3.Connection, entries: Iterable[QuarantineEntry], batch_id: int | None = None
) -> int:
    """Store refused rows; a row already quarantined at the same place is not stored twice."""
    added = 0
    with transaction(conn):
        for chunk in _chunks(entries):
            before = conn.total_changes
            conn.executemany(
                "INSERT INTO quarantine (batch_id, feed, file, line, raw, reason) "
                "SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE NOT EXISTS (SELECT 1 FROM quarantine "
                "WHERE feed = ?2 AND file = ?3 AND line = ?4 AND raw = ?5)",
                [(batch_id, e.feed, e.file, e.line, e.raw, e.reason) for e in chunk],
            )
            added += conn.total_changes - before
    return added
