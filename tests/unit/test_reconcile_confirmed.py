"""A value is as fresh as its latest confirmation by an accepted source, whoever has priority.

The CRM (priority) last changed a lead's do-not-contact 41 days ago; marketing, also a system of
record for it, said the same two days ago: the value is trusted and two days old, not stale.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from c360tui.core.decision import build_decision_view
from c360tui.core.reconcile import reconcile
from c360tui.core.records import AttrValue, SourceRecord
from c360tui.core.sources_spec import SourcesSpec
from c360tui.core.view_spec import ViewSpec
from c360tui.specs_io import load_sources, load_views
from c360tui.store.codec import attributes_doc, dump_json, load_attributes

SPECS = Path(__file__).resolve().parents[2] / "specs"
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def sources() -> SourcesSpec:
    return load_sources(SPECS)


@pytest.fixture(scope="module")
def sdr() -> ViewSpec:
    return load_views(SPECS)["sdr_call_now"]


def crm(days: float, **attrs: AttrValue) -> SourceRecord:
    base: dict[str, AttrValue] = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "lead_status": "new",
    }
    return SourceRecord("crm", "crm_leads", "L1", NOW - timedelta(days=days), {**base, **attrs})


def marketing(days: float, **attrs: AttrValue) -> SourceRecord:
    return SourceRecord("marketing", "marketing_contacts", "M1", NOW - timedelta(days=days), attrs)


def product(days: float, **attrs: AttrValue) -> SourceRecord:
    return SourceRecord("product", "product_usage", "P1", NOW - timedelta(days=days), attrs)


def test_an_agreeing_newer_system_of_record_dates_the_value(
    sources: SourcesSpec, sdr: ViewSpec
) -> None:
    customer = reconcile(
        "c1", [crm(41, do_not_contact=False), marketing(2, do_not_contact=False)], sources
    )
    dnc = customer.attributes["do_not_contact"]
    assert dnc.winner is not None and dnc.winner.provenance.system == "crm"  # priority still wins
    assert dnc.confirmed is not None and dnc.confirmed.system == "marketing"
    assert dnc.observed_at == NOW - timedelta(days=2)
    signal = build_decision_view(sdr, customer, NOW).signal("do_not_contact")
    assert (signal.trust, signal.freshness, signal.age_text) == ("trusted", "fresh", "2d / 30d")
    assert signal.provenance is not None and signal.provenance.system == "crm"
    assert signal.confirmed_by is not None and signal.confirmed_by.record_id == "M1"


def test_only_the_same_value_from_an_accepted_source_confirms(
    sources: SourcesSpec, sdr: ViewSpec
) -> None:
    disagreeing = reconcile(
        "c1", [crm(3650 * 2, do_not_contact=False), marketing(2, do_not_contact=True)], sources
    )
    assert disagreeing.attributes["do_not_contact"].confirmed is None
    # Product usage is not a system of record for email: its word dates nothing.
    unaccepted = reconcile(
        "c1", [crm(400, email="ada@example.com"), product(1, email="ADA@example.com")], sources
    )
    email = unaccepted.attributes["email"]
    assert email.status == "resolved" and email.confirmed is None
    assert email.observed_at == NOW - timedelta(days=400)


def test_an_older_agreeing_record_leaves_the_winner_its_own_age(sources: SourcesSpec) -> None:
    customer = reconcile(
        "c1", [crm(2, do_not_contact=False), marketing(41, do_not_contact=False)], sources
    )
    dnc = customer.attributes["do_not_contact"]
    assert dnc.confirmed is None and dnc.observed_at == NOW - timedelta(days=2)


def test_the_store_keeps_the_confirmation_and_reads_documents_written_without_one(
    sources: SourcesSpec,
) -> None:
    customer = reconcile(
        "c1", [crm(41, do_not_contact=False), marketing(2, do_not_contact=False)], sources
    )
    doc, _, _ = attributes_doc(customer.attributes.values())
    loaded = load_attributes(dump_json(doc))
    assert loaded["do_not_contact"].confirmed == customer.attributes["do_not_contact"].confirmed
    for row in doc["a"]:
        del row[8:]  # as a store written before confirmations were kept
    older = load_attributes(dump_json(doc))
    assert older["do_not_contact"].confirmed is None
    assert older["do_not_contact"].value is False
