"""Reading resolved state back: one customer, queue candidates, records and the identity map."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from c360tui.core.customer import HeldMerge, ResolvedCustomer
from c360tui.core.records import AttrValue, RecordKey, SourceRecord
from c360tui.store import codec


@dataclass(frozen=True, slots=True)
class CustomerSummary:
    """The few fields a list or queue row shows of a customer (raw text: render as plain)."""

    customer_id: str
    display_name: str
    company: str
    email: str
    phone: str
    record_count: int


@dataclass(frozen=True, slots=True)
class IdentityRow:
    """One line of the identity map: a source record and the customer it resolved to."""

    feed: str
    record_id: str
    customer_id: str
    rule: str


def load_customer(conn: sqlite3.Connection, customer_id: str) -> ResolvedCustomer | None:
    """The stored customer with attributes, collections, records, merges, held and flags."""
    row = conn.execute(
        "SELECT c.seq, p.attributes, p.collections, p.merges FROM customer c "
        "JOIN profile p ON p.customer_seq = c.seq WHERE c.customer_id = ?",
        (customer_id,),
    ).fetchone()
    if row is None:
        return None
    seq, attributes, collections, merges = row
    customer = ResolvedCustomer(
        customer_id=customer_id,
        attributes=codec.load_attributes(attributes),
        collections=codec.load_collections(collections),
        merges=codec.load_merges(merges),
    )
    customer.records = [
        RecordKey(feed, record_id)
        for feed, record_id in conn.execute(
            "SELECT feed, record_id FROM assignment WHERE customer_seq = ? ORDER BY id", (seq,)
        )
    ]
    customer.held = [
        HeldMerge(RecordKey(lf, li), RecordKey(rf, ri), rule, reason)
        for lf, li, rf, ri, rule, reason in conn.execute(
            "SELECT left_feed, left_id, right_feed, right_id, rule, reason FROM held_merge "
            "WHERE customer_seq = ? ORDER BY id",
            (seq,),
        )
    ]
    customer.flagged = {
        attribute
        for (attribute,) in conn.execute(
            "SELECT DISTINCT attribute FROM value_flag WHERE customer_id = ?", (customer_id,)
        )
    }
    return customer


def held_merges(conn: sqlite3.Connection) -> Iterator[tuple[str, HeldMerge]]:
    """(customer id, held merge) for every link held for review, by customer."""
    for customer_id, lf, li, rf, ri, rule, reason in conn.execute(
        "SELECT c.customer_id, h.left_feed, h.left_id, h.right_feed, h.right_id, h.rule, "
        "h.reason FROM held_merge h JOIN customer c ON c.seq = h.customer_seq "
        "ORDER BY h.customer_seq, h.id"
    ):
        yield customer_id, HeldMerge(RecordKey(lf, li), RecordKey(rf, ri), rule, reason)


def customer_summary(conn: sqlite3.Connection, customer_id: str) -> CustomerSummary | None:
    row = conn.execute(
        "SELECT customer_id, display_name, company, email, phone, record_count FROM customer "
        "WHERE customer_id = ?",
        (customer_id,),
    ).fetchone()
    return CustomerSummary(*row) if row else None


def customer_ids(conn: sqlite3.Connection) -> Iterator[str]:
    """Every customer id, in the order the last resolution wrote them."""
    for (customer_id,) in conn.execute("SELECT customer_id FROM customer ORDER BY seq"):
        yield customer_id


def queue_candidates(
    conn: sqlite3.Connection,
    attributes: Sequence[str],
    require: Mapping[str, Sequence[AttrValue]] | None = None,
) -> Iterator[tuple[str, dict[str, AttrValue]]]:
    """(customer id, {attribute: winning value}) for customers a queue may show, in seq order.

    Only winners are returned (a conflicted or missing attribute is absent). With `require`,
    only customers whose winner for each named attribute is one of the given values; that
    filter runs inside SQLite, so Python only decodes the customers that pass.
    """
    where: list[str] = []
    params: list[object] = []
    for name, allowed in (require or {}).items():
        if not allowed:
            return
        where.append(f"json_extract(p.winners, ?) IN ({','.join('?' * len(allowed))})")
        params.append(_json_path(name))
        params.extend(int(v) if isinstance(v, bool) else v for v in allowed)
    sql = (
        "SELECT c.customer_id, p.winners FROM profile p JOIN customer c ON c.seq = p.customer_seq"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY p.customer_seq"
    )
    accepted = {name: list(allowed) for name, allowed in (require or {}).items()}
    load_json = codec.load_json
    for customer_id, winners_text in conn.execute(sql, params):
        winners = load_json(winners_text)
        # json_extract turns true/false into 1/0; the decoded check keeps bools apart from ints.
        if all(winners.get(name) in allowed for name, allowed in accepted.items()):
            yield customer_id, {name: winners[name] for name in attributes if name in winners}


def _json_path(attribute: str) -> str:
    """The JSON path of one attribute in `winners` (names are spec identifiers)."""
    if not _NAME.fullmatch(attribute):
        raise ValueError(f"not an attribute name: {attribute!r}")
    return f"$.{attribute}"


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def source_records(conn: sqlite3.Connection) -> Iterator[SourceRecord]:
    """Every stored source record, in ingest order, for re-resolution."""
    load_json, load_time = codec.load_json, codec.load_time
    for system, feed, record_id, updated, attributes in conn.execute(
        "SELECT system, feed, record_id, updated_at, attributes FROM source_record ORDER BY id"
    ):
        yield SourceRecord(system, feed, record_id, load_time(updated), load_json(attributes))


def source_identities(
    conn: sqlite3.Connection,
) -> Iterator[tuple[int, str, str, dict[str, AttrValue]]]:
    """(row id, feed, record id, attributes) of every stored source record, in ingest order."""
    load_json = codec.load_json
    for rowid, feed, record_id, attributes in conn.execute(
        "SELECT id, feed, record_id, attributes FROM source_record ORDER BY id"
    ):
        yield rowid, feed, record_id, load_json(attributes)


def source_rows(
    conn: sqlite3.Connection, rowids: Sequence[int]
) -> list[tuple[int, str, str, str, str | None, str]]:
    """(id, system, feed, record id, updated at, attributes JSON) of the given source_record
    ids, in no particular order; ids that do not exist are left out."""
    if not rowids:
        return []
    return conn.execute(
        "SELECT id, system, feed, record_id, updated_at, attributes FROM source_record "
        "WHERE id IN (SELECT value FROM json_each(?))",
        (codec.dump_json(list(rowids)),),
    ).fetchall()


def rowids_match(
    conn: sqlite3.Connection, keys: Sequence[RecordKey], rowids: Sequence[int], probes: int = 64
) -> bool:
    """True when source_record holds exactly these records under these ids.

    Checks the row count and the highest id, then the keys of `probes` evenly spaced records
    (and the first and last): enough to catch ids numbered in another order.
    """
    count, highest = conn.execute("SELECT count(*), max(id) FROM source_record").fetchone()
    if count != len(keys) or (keys and highest != max(rowids)):
        return False
    step = max(len(keys) // probes, 1)
    positions = {*range(0, len(keys), step), len(keys) - 1} if keys else set()
    for position in positions:
        row = conn.execute(
            "SELECT feed, record_id FROM source_record WHERE id = ?", (rowids[position],)
        ).fetchone()
        key = keys[position]
        if row is None or (row[0], row[1]) != (key.feed, key.record_id):
            return False
    return True


def records_by_key(conn: sqlite3.Connection, keys: Sequence[RecordKey]) -> list[SourceRecord]:
    """The stored source records for the given keys (those that exist), in the given order."""
    found: list[SourceRecord] = []
    for key in keys:
        row = conn.execute(
            "SELECT system, feed, record_id, updated_at, attributes FROM source_record "
            "WHERE feed = ? AND record_id = ? ORDER BY id DESC LIMIT 1",
            (key.feed, key.record_id),
        ).fetchone()
        if row:
            system, feed, record_id, updated, attributes = row
            found.append(
                SourceRecord(
                    system, feed, record_id, codec.load_time(updated), codec.load_json(attributes)
                )
            )
    return found


def previous_assignment(conn: sqlite3.Connection) -> dict[RecordKey, str]:
    """The record → customer id map of the last resolution (keeps customer ids stable)."""
    return {
        RecordKey(feed, record_id): customer_id
        for feed, record_id, customer_id in conn.execute(
            "SELECT a.feed, a.record_id, c.customer_id FROM assignment a "
            "JOIN customer c ON c.seq = a.customer_seq"
        )
    }


def identity_map(conn: sqlite3.Connection) -> Iterator[IdentityRow]:
    """The identity map a team writes back to its CRM, ordered by customer then record."""
    for row in conn.execute(
        "SELECT a.feed, a.record_id, c.customer_id, a.rule FROM assignment a "
        "JOIN customer c ON c.seq = a.customer_seq ORDER BY c.seq, a.id"
    ):
        yield IdentityRow(*row)
