"""Bulk writes on the raw sqlite3 connection: source records, quarantine, resolved state.

Ingest writes millions of rows, so these functions use `executemany` inside one transaction,
in chunks, and rebuild secondary indexes after loading instead of updating them row by row.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Protocol, TypeVar

from c360tui.core.customer import ResolvedCustomer
from c360tui.core.records import SourceRecord
from c360tui.store import codec
from c360tui.store.search import index_rows

CHUNK = 20_000
# Customers per encoded chunk (and per task handed to an ingest worker).
ENCODE_CHUNK = 5_000
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


@dataclass(frozen=True, slots=True)
class ResolvedSummary:
    """Counts of what `write_resolved` stored."""

    customers: int
    records: int
    merges: int
    held: int
    conflicted_attributes: int


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
) -> AddResult:
    """Store source records once: repeats are skipped, same id with new content is refused.

    Items are records or (record, file, line). Conflicts are not stored; the caller quarantines
    them. Everything happens in one transaction.
    """
    result = AddResult()
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS incoming (seq INTEGER PRIMARY KEY, feed TEXT, "
        "record_id TEXT, system TEXT, updated_at TEXT, attributes TEXT, content_hash TEXT, "
        "file TEXT, line INTEGER)"
    )
    from c360tui.store.engine import bulk_journal

    with bulk_journal(conn), transaction(conn):
        for chunk in _chunks(records):
            _add_chunk(conn, chunk, batch_id, result)
        conn.execute("DELETE FROM temp.incoming")
    return result


def _add_chunk(
    conn: sqlite3.Connection,
    chunk: list[SourceRecord | tuple[SourceRecord, str, int]],
    batch_id: int | None,
    result: AddResult,
) -> None:
    rows: list[tuple[int, str, str, str, str | None, str, str, str, int]] = []
    by_seq: dict[int, tuple[SourceRecord, str, int]] = {}
    first_seen: dict[tuple[str, str], tuple[str, str, int]] = {}
    dumps, dump_time = codec.dump_sorted, codec.dump_time
    for seq, item in enumerate(chunk):
        record, file, line = item if isinstance(item, tuple) else (item, "", 0)
        attributes = dumps(record.attributes)
        updated = dump_time(record.updated_at)
        digest = content_hash(record.system, updated, attributes)
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


def write_resolved(
    conn: sqlite3.Connection, customers: Iterable[ResolvedCustomer], region: str
) -> ResolvedSummary:
    """Replace every resolved table and the search index with `customers`, in one transaction.

    Each record must belong to one customer and each customer id appear once (ValueError).
    """
    encoded: Iterator[EncodedCustomers] = (
        encode_customers(chunk, first, region)
        for first, chunk in _numbered_chunks(customers, ENCODE_CHUNK)
    )
    return write_encoded(conn, encoded)


def _numbered_chunks(
    customers: Iterable[ResolvedCustomer], size: int
) -> Iterator[tuple[int, list[ResolvedCustomer]]]:
    """Chunks of customers with the seq of each chunk's first customer (seqs count from 1)."""
    first = 1
    for chunk in _chunks(customers, size):
        yield first, chunk
        first += len(chunk)


def write_encoded(conn: sqlite3.Connection, chunks: Iterable[EncodedCustomers]) -> ResolvedSummary:
    """Replace every resolved table and the search index with already encoded rows.

    Chunks must come in seq order (as `encode_customers` numbered them). Secondary indexes are
    dropped before loading and rebuilt after: building an index from sorted data is several
    times faster than maintaining it through millions of inserts.
    """
    from c360tui.store.engine import bulk_journal, index_ddl
    from c360tui.store.tables import FTS_DDL, RESOLVED_TABLES

    drops, creates = index_ddl(RESOLVED_TABLES)
    counts = [0, 0, 0, 0, 0]
    with bulk_journal(conn), transaction(conn):
        for statement in drops:
            conn.execute(statement)
        for table in RESOLVED_TABLES:
            conn.execute(f"DELETE FROM {table}")
        conn.execute("DROP TABLE IF EXISTS search_fts")
        conn.execute(FTS_DDL)
        for chunk in chunks:
            _insert_encoded(conn, chunk)
            for position, count in enumerate(chunk.counts):
                counts[position] += count
        try:
            for statement in creates:
                conn.execute(statement)
        except sqlite3.IntegrityError as error:
            raise ValueError(f"resolved state is inconsistent: {error}") from None
        conn.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
    return ResolvedSummary(*counts)


@dataclass(slots=True)
class EncodedCustomers:
    """The rows of one chunk of customers for every resolved table, ready for executemany.

    Plain tuples of text and numbers, so a worker process can build them and hand them over.
    `counts` are customers, records, merges, held links and conflicted attributes.
    """

    customers: list[tuple[int, str, str, str, str, str, int]] = field(default_factory=list)
    profiles: list[tuple[int, str, str, str | None, str | None]] = field(default_factory=list)
    assignments: list[tuple[str, str, int, str]] = field(default_factory=list)
    held: list[tuple[int, str, str, str, str, str, str]] = field(default_factory=list)
    keys: list[tuple[str, str, int]] = field(default_factory=list)
    terms: list[tuple[str, str, int]] = field(default_factory=list)
    fts: list[tuple[int, str, str]] = field(default_factory=list)
    counts: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)


def encode_customers(
    chunk: Sequence[ResolvedCustomer], first_seq: int, region: str
) -> EncodedCustomers:
    """The rows of `chunk`, its customers numbered `first_seq`, `first_seq` + 1, ..."""
    from c360tui.core.normalize import fold_name

    out = EncodedCustomers()
    customer_rows, profiles, assignments, held = (
        out.customers,
        out.profiles,
        out.assignments,
        out.held,
    )
    keys, terms, fts = out.keys, out.terms, out.fts
    records = merges = held_count = conflicted_total = 0
    dump_json = codec.dump_json
    for seq, customer in enumerate(chunk, start=first_seq):
        row, k, t, f = index_rows(customer, seq, region, fold_name)
        customer_rows.append(row)
        keys.extend(k)
        terms.extend(t)
        fts.append(f)
        doc, winners, conflicted = codec.attributes_doc(customer.attributes.values())
        conflicted_total += conflicted
        profiles.append(
            (
                seq,
                dump_json(winners),
                dump_json(doc),
                dump_json(codec.collections_doc(customer.collections))
                if customer.collections
                else None,
                dump_json(codec.merges_doc(customer.merges)) if customer.merges else None,
            )
        )
        # The first rule that linked each record; tuples hash far faster than RecordKey.
        rule_of: dict[tuple[str, str], str] = {}
        for merge in customer.merges:
            left, right = merge.left, merge.right
            rule_of.setdefault((left.feed, left.record_id), merge.rule)
            rule_of.setdefault((right.feed, right.record_id), merge.rule)
        for key in customer.records:
            feed, record_id = key.feed, key.record_id
            assignments.append((feed, record_id, seq, rule_of.get((feed, record_id), "")))
        for h in customer.held:
            held.append(
                (seq, h.left.feed, h.left.record_id, h.right.feed, h.right.record_id, h.rule,
                 h.reason)
            )  # fmt: skip
        records += len(customer.records)
        merges += len(customer.merges)
        held_count += len(customer.held)
    out.counts = (len(chunk), records, merges, held_count, conflicted_total)
    return out


def _insert_encoded(conn: sqlite3.Connection, chunk: EncodedCustomers) -> None:
    for sql, rows in (
        (_INSERT_CUSTOMER, chunk.customers),
        (_INSERT_PROFILE, chunk.profiles),
        (_INSERT_ASSIGNMENT, chunk.assignments),
        (_INSERT_HELD, chunk.held),
        (_INSERT_KEY, chunk.keys),
        (_INSERT_TERM, chunk.terms),
        (_INSERT_FTS, chunk.fts),
    ):
        if rows:
            conn.executemany(sql, rows)


_INSERT_CUSTOMER = (
    "INSERT INTO customer (seq, customer_id, display_name, company, email, phone, "
    "record_count) VALUES (?,?,?,?,?,?,?)"
)
_INSERT_PROFILE = (
    "INSERT INTO profile (customer_seq, winners, attributes, collections, merges) "
    "VALUES (?,?,?,?,?)"
)
_INSERT_ASSIGNMENT = "INSERT INTO assignment (feed, record_id, customer_seq, rule) VALUES (?,?,?,?)"
_INSERT_HELD = (
    "INSERT INTO held_merge (customer_seq, left_feed, left_id, right_feed, right_id, rule, "
    "reason) VALUES (?,?,?,?,?,?,?)"
)
_INSERT_KEY = "INSERT INTO search_key (kind, value, customer_seq) VALUES (?,?,?)"
_INSERT_TERM = "INSERT INTO search_name (term, field, customer_seq) VALUES (?,?,?)"
_INSERT_FTS = "INSERT INTO search_fts (rowid, name, company) VALUES (?,?,?)"
