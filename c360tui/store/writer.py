"""Bulk writes on the raw sqlite3 connection: the resolved state and the search index.

Ingest writes millions of rows, so these functions use `executemany` inside one transaction,
in chunks, and rebuild secondary indexes after loading instead of updating them row by row.
Source records and quarantined rows are written by `source_writer` (re-exported here).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from c360tui.core.customer import ResolvedCustomer
from c360tui.store import codec
from c360tui.store.search import index_rows
from c360tui.store.source_writer import (
    CHUNK,
    AddResult,
    QuarantineEntry,
    RecordConflict,
    _chunks,
    add_quarantine,
    add_records,
    content_hash,
    transaction,
)

__all__ = [
    "CHUNK",
    "ENCODE_CHUNK",
    "AddResult",
    "EncodedCustomers",
    "QuarantineEntry",
    "RecordConflict",
    "ResolvedSummary",
    "add_quarantine",
    "add_records",
    "content_hash",
    "encode_customers",
    "transaction",
    "write_encoded",
    "write_resolved",
]

# Customers per encoded chunk.
ENCODE_CHUNK = 5_000


@dataclass(frozen=True, slots=True)
class ResolvedSummary:
    """Counts of what `write_resolved` stored."""

    customers: int
    records: int
    merges: int
    held: int
    conflicted_attributes: int


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
        conn.execute(_FTS_HASHSIZE, (FTS_LOAD_HASH,))
        conn.execute(_FTS_NO_AUTOMERGE)
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
        # the settings are only for this load: the store keeps FTS5's defaults, as before
        conn.execute("DELETE FROM search_fts_config WHERE k IN ('hashsize', 'automerge')")
    return ResolvedSummary(*counts)


# Bytes of new index entries FTS5 holds in memory before writing them out as a segment. With
# its 1 MB default a load writes many small segments and merges them again and again; 16 MB
# (held by the writer only) builds the same index after 'optimize' with a third less CPU.
FTS_LOAD_HASH = 16 << 20
_FTS_HASHSIZE = "INSERT INTO search_fts (search_fts, rank) VALUES ('hashsize', ?)"
# No merging of segments while loading: 'optimize' merges them all once at the end anyway
# (a million customers: 6.5 -> 5.4 CPU s for the trigram index).
_FTS_NO_AUTOMERGE = "INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 0)"


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
