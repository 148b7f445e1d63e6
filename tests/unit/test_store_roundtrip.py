"""The store keeps what it is given: records once, resolved customers whole, people's statements."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from c360tui.core.customer import (
    Candidate,
    CollectionItem,
    FieldEvidence,
    HeldMerge,
    MergeEvidence,
    Provenance,
    ReconciledAttribute,
    ResolvedCustomer,
)
from c360tui.core.records import RecordKey, SourceRecord
from c360tui.errors import C360Error
from c360tui.store import SCHEMA_VERSION, Store, open_store

T1 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
T2 = datetime(2025, 4, 2, 8, 30, tzinfo=UTC)
CRM = RecordKey("crm_contacts", "003A")
BILL = RecordKey("billing_accounts", "BA-1")
MKT = RecordKey("marketing_contacts", "m-9")
TICKET = RecordKey("support_tickets", "T-77")


def prov(key: RecordKey, system: str, at: datetime | None) -> Provenance:
    return Provenance(system, key.feed, key.record_id, at)


def resolved(name: str = "Ada", customer_id: str = "C-1") -> ResolvedCustomer:
    """A customer with every kind of thing the store has to keep."""
    crm, bill, mkt = prov(CRM, "crm", T1), prov(BILL, "billing", T2), prov(MKT, "marketing", None)
    attrs = {
        "first_name": ReconciledAttribute(
            "first_name", "source_priority", "resolved", Candidate(name, crm)
        ),
        "last_name": ReconciledAttribute(
            "last_name", "source_priority", "resolved", Candidate("Lovelace", crm)
        ),
        "company": ReconciledAttribute(
            "company", "source_priority", "resolved", Candidate("Analytical Engines Ltd", bill)
        ),
        "email": ReconciledAttribute(
            "email",
            "source_priority",
            "resolved",
            Candidate("ada@engines.example", crm),
            alternates=(Candidate("ADA@old.example", mkt),),
        ),
        "phone": ReconciledAttribute(
            "phone",
            "source_priority",
            "conflicted",
            None,
            contenders=(Candidate("+14155550100", crm), Candidate("+14155550199", bill)),
            reason="crm and billing disagree within 30 days",
        ),
        "billing_account_id": ReconciledAttribute(
            "billing_account_id", "source_priority", "resolved", Candidate("BA-1", bill)
        ),
        "arr": ReconciledAttribute("arr", "source_priority", "resolved", Candidate(12000.0, bill)),
        "intent_score": ReconciledAttribute(
            "intent_score", "most_recent", "unverified", Candidate(87, mkt)
        ),
        "do_not_contact": ReconciledAttribute(
            "do_not_contact", "source_priority", "resolved", Candidate(False, crm)
        ),
        "weekly_usage": ReconciledAttribute(
            "weekly_usage", "source_priority", "resolved", Candidate([1.0, 2.5, 0.0], mkt)
        ),
        "lead_status": ReconciledAttribute(
            "lead_status", "source_priority", "resolved", Candidate("007", crm)
        ),
    }
    return ResolvedCustomer(
        customer_id=customer_id,
        attributes=attrs,
        collections={
            "tickets": [
                CollectionItem(
                    {"ticket_id": "T-77", "ticket_severity": "sev1", "ticket_escalated": True},
                    prov(TICKET, "support", T2),
                )
            ]
        },
        records=[CRM, BILL, MKT, TICKET],
        merges=[
            MergeEvidence(CRM, BILL, "email_exact", (FieldEvidence("email", "normalized", 1.0),)),
            MergeEvidence(CRM, MKT, "name_phone", (FieldEvidence("first_name", "jaro", 0.93),
                                                  FieldEvidence("phone", "e164", 1.0))),
            MergeEvidence(CRM, TICKET, "email_exact", (FieldEvidence("email", "normalized", 1.0),)),
        ],
        held=[HeldMerge(BILL, RecordKey("billing_accounts", "BA-2"), "email_exact",
                        "two different billing account ids")],
    )  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "nested" / "dir" / "c360.db")
    yield opened
    opened.close()


def test_created_with_parent_directories_and_reopened(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "c360.db"
    open_store(path).close()
    assert path.is_file()
    open_store(path, create=False).close()


def test_missing_database_without_create_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(C360Error, match=r"no c360 database at .*run `c360 ingest`"):
        open_store(tmp_path / "absent.db", create=False)


def test_other_schema_version_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    with pytest.raises(C360Error) as caught:
        open_store(path)
    message = str(caught.value)
    assert f"was made by schema version 0; this c360 needs {SCHEMA_VERSION}" in message
    assert "re-run `c360 ingest` into a new --db" in message


def test_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("name,email\nAda,ada@example.com\n" * 200)
    with pytest.raises(C360Error, match="is not a SQLite database"):
        open_store(path)
    assert path.read_text().startswith("name,email")


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(C360Error, match="not a c360 store"):
        open_store(path)


def test_a_telemetry_file_is_named_for_what_it_is(tmp_path: Path) -> None:
    from c360tui.telemetry.schema import FILE_KIND

    path = tmp_path / "telemetry.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)", [("kind", FILE_KIND), ("schema_version", "1")]
        )
    with pytest.raises(C360Error, match="is a c360 telemetry file, not a store; pass --db"):
        open_store(path)


def record(rid: str, email: str, at: datetime | None = T1) -> SourceRecord:
    return SourceRecord("crm", "crm_contacts", rid, at, {"email": email, "arr": 10.5, "dnc": True})


def test_same_records_twice_add_nothing(store: Store) -> None:
    batch = [(record("1", "a@x.example"), "crm.csv", 2), (record("2", "b@x.example"), "crm.csv", 3)]
    first = store.add_records(batch)
    second = store.add_records(batch)
    assert (first.new, first.duplicates, first.conflicts) == (2, 0, [])
    assert (second.new, second.duplicates, second.conflicts) == (0, 2, [])
    assert store.count("source_record") == 2
    assert sorted(r.record_id for r in store.source_records()) == ["1", "2"]


def test_same_id_with_other_content_is_reported_not_stored(store: Store) -> None:
    store.add_records([(record("1", "a@x.example"), "crm.csv", 2)])
    result = store.add_records(
        [
            (record("1", "changed@x.example"), "crm2.csv", 7),
            (record("3", "c@x.example"), "crm2.csv", 8),
        ]
    )
    assert result.new == 1
    [conflict] = result.conflicts
    assert (conflict.record.record_id, conflict.file, conflict.line) == ("1", "crm2.csv", 7)
    assert "already ingested with different content" in conflict.reason
    assert "crm.csv line 2" in conflict.reason
    assert store.count("source_record") == 2


def test_conflict_within_one_call_is_reported(store: Store) -> None:
    result = store.add_records([record("1", "a@x.example"), record("1", "b@x.example")])
    assert result.new == 1
    assert len(result.conflicts) == 1


def test_source_records_round_trip_values_and_times(store: Store) -> None:
    original = SourceRecord(
        "product",
        "product_usage",
        "u1",
        None,
        {"weekly_usage": [1.0, 2.0], "seats_used": 3, "x": "007"},
    )
    store.add_records([original, record("2", "b@x.example", T2)])
    loaded = {r.record_id: r for r in store.source_records()}
    assert loaded["u1"] == original
    assert loaded["2"].updated_at == T2


def test_resolved_customer_round_trips(store: Store) -> None:
    customer = resolved()
    summary = store.write_resolved([customer])
    assert (summary.customers, summary.records, summary.merges, summary.held) == (1, 4, 3, 1)
    assert summary.conflicted_attributes == 1
    loaded = store.load_customer("C-1")
    assert loaded is not None
    assert loaded.attributes == customer.attributes
    for name, attr in loaded.attributes.items():
        assert type(attr.value) is type(customer.attributes[name].value), name
    assert loaded.collections == customer.collections
    assert loaded.records == customer.records
    assert loaded.merges == customer.merges
    assert loaded.held == customer.held
    assert loaded.flagged == set()


def test_held_merges_are_listed_for_review(store: Store) -> None:
    store.write_resolved([resolved()])
    [(customer_id, held)] = list(store.held_merges())
    assert customer_id == "C-1"
    assert held.reason == "two different billing account ids"


def test_rewrite_replaces_previous_resolution(store: Store) -> None:
    store.write_resolved([resolved(customer_id="C-1")])
    store.write_resolved([resolved(name="Grace", customer_id="C-2")])
    assert store.load_customer("C-1") is None
    loaded = store.load_customer("C-2")
    assert loaded is not None and loaded.attributes["first_name"].value == "Grace"
    # The old name's index rows are gone (C-2 keeps the ada@ email, so "Ada" alone finds it).
    assert [h.customer_id for h in store.search("Ada Lovelace")] == []
    assert [(h.customer_id, h.field) for h in store.search("Ada")] == [("C-2", "email")]


def test_identity_map_and_previous_assignment(store: Store) -> None:
    store.write_resolved([resolved()])
    rows = {(r.feed, r.record_id): (r.customer_id, r.rule) for r in store.identity_map()}
    assert rows[("crm_contacts", "003A")] == ("C-1", "email_exact")
    assert rows[("marketing_contacts", "m-9")] == ("C-1", "name_phone")
    assert store.previous_assignment() == {k: "C-1" for k in (CRM, BILL, MKT, TICKET)}


def test_flags_are_kept_and_loaded(store: Store) -> None:
    store.write_resolved([resolved()])
    store.record_flag("C-1", "phone", "support_close_case", at=T2)
    loaded = store.load_customer("C-1")
    assert loaded is not None and loaded.flagged == {"phone"}


def test_split_requests_are_kept(store: Store, tmp_path: Path) -> None:
    store.record_split(CRM, MKT, "different people, same office", by="agent-7", at=T2)
    [split] = store.split_requests()
    assert (split.note, split.requested_by) == ("different people, same office", "agent-7")
    assert store.split_pairs() == [(CRM, MKT)]


def test_flags_and_splits_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "c360.db"
    with open_store(path) as first:
        first.write_resolved([resolved()])
        first.record_flag("C-1", "company", "csm_at_risk")
        first.record_split(CRM, BILL)
    with open_store(path, create=False) as second:
        loaded = second.load_customer("C-1")
        assert loaded is not None and loaded.flagged == {"company"}
        assert second.split_pairs() == [(CRM, BILL)]


def test_quarantine_is_listed_once_per_row(store: Store) -> None:
    class Row:
        feed, file, line, raw, reason = (
            "crm_contacts",
            "crm.csv",
            9,
            "a,\x00b",
            "The row holds a NUL byte.",
        )

    assert store.add_quarantine([Row()]) == 1
    assert store.add_quarantine([Row()]) == 0
    [row] = store.quarantine()
    assert (row.feed, row.file, row.line, row.raw, row.reason) == (
        "crm_contacts", "crm.csv", 9, "a,\x00b", "The row holds a NUL byte.",
    )  # fmt: skip


def test_queue_candidates_filter_and_return_winners(store: Store) -> None:
    other = resolved(name="Grace", customer_id="C-2")
    other.records, other.merges, other.held = [RecordKey("crm_contacts", "003B")], [], []
    other.attributes["lead_status"] = ReconciledAttribute(
        "lead_status", "source_priority", "resolved", Candidate("new", prov(CRM, "crm", T1))
    )
    store.write_resolved([resolved(), other])
    everyone = dict(store.queue_candidates(["lead_status", "phone", "do_not_contact"]))
    assert everyone == {
        "C-1": {"lead_status": "007", "do_not_contact": False},
        "C-2": {"lead_status": "new", "do_not_contact": False},
    }
    fresh = list(
        store.queue_candidates(["intent_score"], require={"lead_status": ["new", "working"]})
    )
    assert fresh == [("C-2", {"intent_score": 87})]
    none = list(store.queue_candidates(["intent_score"], require={"do_not_contact": [True]}))
    assert none == []


def test_queue_state_is_kept_per_view(store: Store) -> None:
    store.set_queue_state("sdr_call_now", "C-1", "snoozed", until=T2, at=T1)
    store.set_queue_state("sdr_call_now", "C-1", "worked", at=T2)
    assert store.queue_states("sdr_call_now") == {"C-1": ("worked", None)}
    assert store.queue_states("csm_at_risk") == {}


def test_bulk_writes_leave_the_store_in_wal_mode_even_with_a_reader_open(tmp_path: Path) -> None:
    path = tmp_path / "c360.db"
    with open_store(path) as writer_store:
        writer_store.write_resolved([resolved()])
        assert writer_store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        with open_store(path, create=False) as reader:
            writer_store.add_records([record("9", "z@x.example")])
            writer_store.write_resolved([resolved(name="Grace")])
            loaded = reader.load_customer("C-1")
            assert loaded is not None and loaded.attributes["first_name"].value == "Grace"
        assert writer_store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
