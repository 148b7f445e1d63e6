"""The identity columns ingest collects while reading are the ones resolution would build.

Ingest no longer keeps the records it reads: it keeps each record's key, store row id and
normalised identity fields. These tests hold that collection to the plain path (FieldTable.of
over the sorted records) and check how records added twice and out of order are numbered.
"""

from __future__ import annotations

import pickle
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from c360tui.core.accounts import account_mates, scoped_attributes
from c360tui.core.field_table import FieldTable
from c360tui.core.identity_spec import IdentitySpec
from c360tui.core.records import RecordKey, SourceRecord
from c360tui.core.sources_spec import SourcesSpec
from c360tui.ingest.columns import ColumnCollector

SPECS = Path(__file__).resolve().parents[2] / "specs"
T0 = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def identity() -> IdentitySpec:
    return IdentitySpec.model_validate(tomllib.loads((SPECS / "identity.toml").read_text()))


@pytest.fixture(scope="module")
def sources() -> SourcesSpec:
    return SourcesSpec.model_validate(tomllib.loads((SPECS / "sources.toml").read_text()))


def _records() -> list[SourceRecord]:
    """Contacts of two companies, with the traps normalisation must see through."""
    rows = [
        ("crm", "crm_contacts", "c2", {"email": " Pat@Acme.com ", "first_name": "Bob",
         "last_name": "Smith", "phone": "(415) 555-0100", "company": "Acme, Inc."}),
        ("crm", "crm_leads", "l1", {"email": "Pat@ACME.com", "first_name": "Robert",
         "last_name": "Smyth", "phone": "+14155550100", "company": "ACME Inc"}),
        ("billing", "billing_accounts", "AC-1", {"email": "billing@acme.com", "plan": "growth",
         "billing_account_id": "AC-1", "company": "Acme"}),
        ("support", "support_tickets", "t9", {"email": "n/a", "phone": "0000000000",
         "first_name": "José", "last_name": "Núñez", "company": "Beta LLC"}),
        ("crm", "crm_contacts", "c1", {"email": "jose@beta.io", "first_name": "Jose",
         "last_name": "Nunez", "company_domain": "https://www.beta.io/"}),
    ]  # fmt: skip
    return [SourceRecord(system, feed, rid, T0, attrs) for system, feed, rid, attrs in rows]


def test_collected_columns_equal_the_table_of_the_sorted_records(
    identity: IdentitySpec, sources: SourcesSpec
) -> None:
    records = _records()
    collector = ColumnCollector(identity, "US", scoped_attributes(sources))
    for record in records:
        collector.add(record.feed, record.record_id, record.attributes)
    columns = collector.finish(first_rowid=1)

    ordered = sorted(records, key=lambda r: (r.feed, r.record_id))
    assert list(columns.keys) == [r.key for r in ordered]
    expected = FieldTable.of(ordered, identity, "US")
    assert columns.table.values == expected.values
    assert columns.table.person == expected.person
    # the junk email and phone of the ticket are gone, the formats agree
    ticket = columns.keys.index(RecordKey("support_tickets", "t9"))
    assert columns.table.values["email"][ticket] is None
    assert columns.table.values["phone"][ticket] is None
    assert len(set(columns.table.values["phone"]) - {None}) == 1


def test_row_ids_number_first_occurrences_in_the_order_read(
    identity: IdentitySpec, sources: SourcesSpec
) -> None:
    records = _records()
    collector = ColumnCollector(identity, "US", scoped_attributes(sources))
    # the second file row repeats the first exactly: the store skips it, so must the columns
    for record in [records[0], records[0], *records[1:]]:
        collector.add(record.feed, record.record_id, record.attributes)
    columns = collector.finish(first_rowid=1)

    assert len(columns.keys) == len(records)
    rowid_of = dict(zip(columns.keys, columns.rowids, strict=True))
    assert [rowid_of[r.key] for r in records] == [1, 2, 3, 4, 5]


def test_a_drained_chunk_extends_another_collector_to_the_same_columns(
    identity: IdentitySpec, sources: SourcesSpec
) -> None:
    """What a reading process hands over (pickled) gives what reading here would have."""
    records = _records()
    scoped = scoped_attributes(sources)
    here = ColumnCollector(identity, "US", scoped)
    worker = ColumnCollector(identity, "US", scoped)
    parent = ColumnCollector(identity, "US", scoped)
    for record in records:
        here.add(record.feed, record.record_id, record.attributes)
        worker.add(record.feed, record.record_id, record.attributes)
        if record.record_id == "AC-1":
            parent.extend(pickle.loads(pickle.dumps(worker.drain())))
    parent.extend(pickle.loads(pickle.dumps(worker.drain())))

    mine, theirs = here.finish(first_rowid=1), parent.finish(first_rowid=1)
    assert list(mine.keys) == list(theirs.keys)
    assert mine.table.values == theirs.table.values
    assert list(mine.rowids) == list(theirs.rowids)
    assert mine.votes.key(range(len(mine.keys))) == theirs.votes.key(range(len(theirs.keys)))


def test_account_votes_give_the_mates_of_the_record_path(sources: SourcesSpec) -> None:
    records = _records()
    pat = SourceRecord("crm", "crm_contacts", "c3", T0, {"email": "pat@acme.com"})
    clusters = {"P": [pat], "B": [records[2]], "J": records[3:]}
    mates = account_mates(clusters, sources)
    # Pat's customer sees the company's billing row; the billing customer has no other carrier
    assert [r.record_id for r in mates["P"]] == ["AC-1"]
    assert "B" not in mates and "J" not in mates


def test_no_records_give_empty_columns(identity: IdentitySpec, sources: SourcesSpec) -> None:
    columns = ColumnCollector(identity, "US", scoped_attributes(sources)).finish(first_rowid=1)
    assert len(columns.keys) == 0 and list(columns.rowids) == []
    assert columns.table.size == 0 and columns.votes.mates([]) == {}
