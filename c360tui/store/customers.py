"""Reading resolved state back: one customer, queue candidates, records and the identity map."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from c360tui.core.customer import (
    Candidate,
    CollectionItem,
    HeldMerge,
    MergeEvidence,
    Provenance,
    ReconciledAttribute,
    ResolvedCustomer,
)
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
    found = conn.execute(
        "SELECT seq FROM customer WHERE customer_id = ?", (customer_id,)
    ).fetchone()
    if found is None:
        return None
    seq = found[0]
    customer = ResolvedCustomer(customer_id=customer_id)
    load_time, load_candidates = codec.load_time, codec.load_candidates
    for row in conn.execute(
        "SELECT attribute, status, rule, value, vtype, system, feed, record_id, observed_at, "
        "alternates, contenders, reason FROM attribute WHERE customer_seq = ?",
        (seq,),
    ):
        name, status, rule, value, vtype, system, feed, record_id, observed, alts, cons, why = row
        winner = None
        if system is not None:
            provenance = Provenance(system, feed, record_id, load_time(observed))
            winner = Candidate(codec.restore_value(value, vtype), provenance)
        customer.attributes[name] = ReconciledAttribute(
            name=name,
            rule=rule,
            status=status,
            winner=winner,
            alternates=load_candidates(alts),
            contenders=load_candidates(cons),
            reason=why,
        )
    for collection, values, system, feed, record_id, observed in conn.execute(
        "SELECT collection, item_values, system, feed, record_id, observed_at FROM collection_item "
        "WHERE customer_seq = ? ORDER BY id",
        (seq,),
    ):
        item = CollectionItem(
            codec.load_json(values), Provenance(system, feed, record_id, load_time(observed))
        )
        customer.collections.setdefault(collection, []).append(item)
    customer.records = [
        RecordKey(feed, record_id)
        for feed, record_id in conn.execute(
            "SELECT feed, record_id FROM assignment WHERE customer_seq = ? ORDER BY id", (seq,)
        )
    ]
    customer.merges = [
        MergeEvidence(RecordKey(lf, li), RecordKey(rf, ri), rule, codec.load_fields(fields))
        for lf, li, rf, ri, rule, fields in conn.execute(
            "SELECT left_feed, left_id, right_feed, right_id, rule, fields FROM match_evidence "
            "WHERE customer_seq = ? ORDER BY id",
            (seq,),
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
    """(customer id, {attribute: winning value}) for customers a queue may show.

    Only winners are returned (a conflicted attribute is absent). With `require`, only customers
    whose winner for each named attribute is one of the given values are returned; the first
    requirement is answered from the (attribute, value) index, so a queue of fresh leads does
    not read every customer.
    """
    wanted = list(dict.fromkeys([*attributes, *(require or {})]))
    marks = ",".join("?" * len(wanted))
    select = (
        "SELECT a.customer_seq, c.customer_id, a.attribute, a.value, a.vtype FROM attribute a "
        "JOIN customer c ON c.seq = a.customer_seq "
    )
    rows: Iterable[tuple[int, str, str, object, str | None]]
    if require:
        first, allowed = next(iter(require.items()))
        stored = [codec.store_value(v)[0] for v in allowed]
        seqs = conn.execute(
            f"SELECT customer_seq FROM attribute WHERE attribute = ? "
            f"AND value IN ({','.join('?' * len(stored))}) ORDER BY customer_seq",
            (first, *stored),
        ).fetchall()
        rows = (
            row
            for (seq,) in seqs
            for row in conn.execute(
                select + f"WHERE a.customer_seq = ? AND a.attribute IN ({marks}) "
                "AND a.system IS NOT NULL",
                (seq, *wanted),
            )
        )
    else:
        rows = conn.execute(
            select + f"WHERE a.attribute IN ({marks}) AND a.system IS NOT NULL "
            "ORDER BY a.customer_seq",
            wanted,
        )
    accepted = {name: list(allowed) for name, allowed in (require or {}).items()}
    current: str | None = None
    values: dict[str, AttrValue] = {}
    for _, customer_id, name, value, vtype in rows:
        if customer_id != current:
            if current is not None and _meets(values, accepted):
                yield current, _only(values, attributes)
            current, values = customer_id, {}
        values[name] = codec.restore_value(value, vtype)  # type: ignore[arg-type]
    if current is not None and _meets(values, accepted):
        yield current, _only(values, attributes)


def _meets(values: dict[str, AttrValue], accepted: dict[str, list[AttrValue]]) -> bool:
    return all(name in values and values[name] in allowed for name, allowed in accepted.items())


def _only(values: dict[str, AttrValue], attributes: Sequence[str]) -> dict[str, AttrValue]:
    return {name: values[name] for name in attributes if name in values}


def source_records(conn: sqlite3.Connection) -> Iterator[SourceRecord]:
    """Every stored source record, in ingest order, for re-resolution."""
    load_json, load_time = codec.load_json, codec.load_time
    for system, feed, record_id, updated, attributes in conn.execute(
        "SELECT system, feed, record_id, updated_at, attributes FROM source_record ORDER BY id"
    ):
        yield SourceRecord(system, feed, record_id, load_time(updated), load_json(attributes))


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
