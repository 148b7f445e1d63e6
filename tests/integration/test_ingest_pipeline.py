"""The whole ingest on a small hand-made export: counts, merges, idempotence, atomic refusal."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from c360tui.core.identity_spec import IdentitySpec
from c360tui.core.records import RecordKey
from c360tui.core.sources_spec import SourcesSpec
from c360tui.errors import C360Error
from c360tui.ingest.pipeline import ingest
from c360tui.ingest.summary import IngestSummary
from c360tui.store import open_store

SPECS = Path(__file__).resolve().parents[2] / "specs"
NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)

CONTACTS = """\
contact_id,first_name,last_name,email,phone,account_name,status,do_not_call,last_modified
C-1,Robert,Smith,Bob.Smith@Acme.com,(415) 555-0101,Acme Inc,working,no,2025-05-01T09:00:00Z
C-2,Ann,Lee,ann@globex.com,415-555-0199,Globex,new,yes,2025-05-02T09:00:00Z
C-3,Zed,Bad,zed@globex.com,,Globex,closed-won,no,2025-05-02T09:00:00Z
C-4,Ann,Lee,ann@globex.com,415-555-0199,Globex,new,yes,2025-05-02T09:00:00
"""
BILLING = """\
account_number,contact_first,contact_last,billing_email,company_name,plan,arr,payment_status,\
updated
B-100,Bob,Smith,bob.smith@acme.com,ACME,growth,120000,current,2025-05-03T00:00:00+00:00
B-200,Ann,Lee,ann@globex.com,Globex Corp,starter,NaN,current,2025-05-03T00:00:00+00:00
"""
MARKETING = [
    {"id": "m1", "email": "BOB.SMITH@ACME.COM", "intent_score": 80, "updated_at": 1746000000},
    {"id": "m2", "email": "x@y.com", "intent_score": 400, "updated_at": 1746000000},
]


@pytest.fixture
def specs() -> tuple[SourcesSpec, IdentitySpec]:
    sources = SourcesSpec.model_validate(tomllib.loads((SPECS / "sources.toml").read_text()))
    identity = IdentitySpec.model_validate(tomllib.loads((SPECS / "identity.toml").read_text()))
    return sources, identity


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "crm_contacts.csv").write_text(CONTACTS)
    (folder / "billing_accounts.csv").write_text(BILLING)
    lines = [json.dumps(row) for row in MARKETING]
    (folder / "marketing_contacts.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def run(paths: list[Path], db: Path, specs: tuple[SourcesSpec, IdentitySpec]) -> IngestSummary:
    sources, identity = specs
    with open_store(db) as store:
        return ingest(paths, store, now=NOW, sources=sources, identity=identity)


def test_ingest_counts_quarantines_and_merges(
    exports: Path, tmp_path: Path, specs: tuple[SourcesSpec, IdentitySpec]
) -> None:
    db = tmp_path / "c360.db"
    summary = run([exports], db, specs)
    assert (summary.read, summary.accepted, summary.quarantined) == (8, 4, 4)
    assert summary.new == 4 and summary.balanced
    assert set(summary.missing_feeds) == {"crm_leads", "support_tickets", "product_usage"}
    with open_store(db, create=False) as store:
        refused = {(row.file, row.line): row.reason for row in store.quarantine()}
        assert set(refused) == {
            ("crm_contacts.csv", 4),
            ("crm_contacts.csv", 5),
            ("billing_accounts.csv", 3),
            ("marketing_contacts.jsonl", 2),
        }
        assert "'last_modified'" in refused[("crm_contacts.csv", 5)]
        assert "'status'" in refused[("crm_contacts.csv", 4)]
        assert "'arr'" in refused[("billing_accounts.csv", 3)]
        assert "'intent_score'" in refused[("marketing_contacts.jsonl", 2)]
        # Bob in the CRM, in billing and in marketing is one customer.
        assignment = store.previous_assignment()
    bob = {
        assignment[RecordKey("crm_contacts", "C-1")],
        assignment[RecordKey("billing_accounts", "B-100")],
        assignment[RecordKey("marketing_contacts", "m1")],
    }
    assert len(bob) == 1
    assert summary.customers == len(set(assignment.values()))


def test_second_ingest_adds_nothing_and_keeps_ids(
    exports: Path, tmp_path: Path, specs: tuple[SourcesSpec, IdentitySpec]
) -> None:
    db = tmp_path / "c360.db"
    run([exports], db, specs)
    with open_store(db, create=False) as store:
        before = store.previous_assignment()
        quarantined_before = len(store.quarantine())
    again = run([exports], db, specs)
    assert again.new == 0 and again.read == 8 and again.balanced
    with open_store(db, create=False) as store:
        assert store.previous_assignment() == before
        assert len(store.quarantine()) == quarantined_before
        assert store.count("source_record") == 4


def test_files_are_matched_to_feeds_by_name(
    exports: Path, tmp_path: Path, specs: tuple[SourcesSpec, IdentitySpec]
) -> None:
    summary = run([exports / "billing_accounts.csv"], tmp_path / "c360.db", specs)
    assert [count.feed for count in summary.files] == ["billing_accounts"]
    assert summary.missing_feeds == []


def test_a_bad_file_stops_the_ingest_before_anything_is_written(
    exports: Path, tmp_path: Path, specs: tuple[SourcesSpec, IdentitySpec]
) -> None:
    (exports / "billing_accounts.csv").write_text(BILLING.replace(",", ";"))
    db = tmp_path / "c360.db"
    with pytest.raises(C360Error, match=r"billing_accounts\.csv"):
        run([exports], db, specs)
    with open_store(db, create=False) as store:
        assert store.count("source_record") == 0
        assert store.count("quarantine") == 0
        assert store.count("customer") == 0


def test_unknown_file_name_is_refused(
    tmp_path: Path, specs: tuple[SourcesSpec, IdentitySpec]
) -> None:
    stray = tmp_path / "contacts_final_v2.csv"
    stray.write_text("a,b\n")
    with pytest.raises(C360Error, match="matches no feed"):
        run([stray], tmp_path / "c360.db", specs)
