"""Merge protection: junk never links, switchboards stop linking, unique keys and split requests
hold merges for review instead of making them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from c360tui.core.identity_spec import IdentitySpec, parse_identity_spec
from c360tui.core.records import AttrValue, RecordKey, SourceRecord
from c360tui.core.resolution import Resolution, resolve

SPEC_PATH = Path(__file__).resolve().parents[2] / "specs" / "identity.toml"


@pytest.fixture(scope="module")
def spec() -> IdentitySpec:
    return parse_identity_spec(SPEC_PATH.read_text(encoding="utf-8"))


def rec(feed: str, record_id: str, **attributes: AttrValue) -> SourceRecord:
    return SourceRecord(feed.split("_")[0], feed, record_id, None, dict(attributes))


def key(text: str) -> RecordKey:
    feed, record_id = text.split(":")
    return RecordKey(feed, record_id)


def together(result: Resolution, *keys: str) -> bool:
    return len({result.assignment[key(k)] for k in keys}) == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "test@test.com"), ("email", "N/A"), ("email", "info@example.com"),
     ("phone", "0000000000"), ("phone", "123-456-7890"), ("crm_id", "null"),
     ("billing_account_id", "-"), ("national_id", "000000000"), ("crm_id", "unknown")],
)  # fmt: skip
def test_junk_identifiers_never_link(spec: IdentitySpec, field: str, value: str) -> None:
    records = [
        rec("crm_contacts", "1", first_name="Ann", last_name="Lee", **{field: value}),
        rec("crm_contacts", "2", first_name="Ann", last_name="Lee", **{field: value}),
    ]
    result = resolve(records, spec, region="US")
    assert not together(result, "crm_contacts:1", "crm_contacts:2")


def test_junk_names_do_not_make_a_phone_match(spec: IdentitySpec) -> None:
    result = resolve(
        [
            rec("support_tickets", "1", phone="4155550100", first_name="Unknown", last_name="Test"),
            rec("support_tickets", "2", phone="4155550100", first_name="unknown", last_name="test"),
        ],
        spec,
        region="US",
    )
    assert not together(result, "support_tickets:1", "support_tickets:2")


def test_switchboard_phone_shared_by_many_people_stops_linking(spec: IdentitySpec) -> None:
    people = [("Ann", "Lee"), ("Raj", "Patel"), ("Tom", "Berg"), ("Ann", "Lee")]
    records = [
        rec("crm_contacts", str(i), phone="+1 (212) 555-0199", first_name=f, last_name=n)
        for i, (f, n) in enumerate(people)
    ]
    result = resolve(records, spec, region="US")
    # the two Ann Lee records would match by phone + name, but the number is a switchboard
    assert not together(result, "crm_contacts:0", "crm_contacts:3")
    assert result.stats.shared_values == {"phone": ["+12125550199"]}


def test_one_person_with_many_tickets_still_links_by_phone(spec: IdentitySpec) -> None:
    # ten tickets of one person (with a nickname and a typo) are one person, not a switchboard
    names = [("Robert", "Smith"), ("Bob", "Smith"), ("Bob", "Smyth")] * 4
    records = [
        rec("support_tickets", f"t{i}", phone="(415) 555-0100", first_name=f, last_name=n)
        for i, (f, n) in enumerate(names)
    ]
    records.append(rec("crm_contacts", "c1", phone="415.555.0100", first_name="Robert",
                       last_name="Smith"))  # fmt: skip
    result = resolve(records, spec, region="US")
    assert len(result.clusters) == 1
    assert result.stats.shared_values == {}


def test_shared_inbox_of_many_people_stops_linking(spec: IdentitySpec) -> None:
    records = [
        rec(
            "marketing_contacts", str(i), email="frontdesk@gmail.com", first_name=f, last_name="Lee"
        )
        for i, f in enumerate(["Ann", "Ann", "Raj", "Tom", "Eve"])
    ]
    result = resolve(records, spec, region="US")
    assert not together(result, "marketing_contacts:0", "marketing_contacts:1")
    assert result.stats.shared_values["email"] == ["frontdesk@gmail.com"]


def test_two_billing_accounts_are_held_not_merged(spec: IdentitySpec) -> None:
    result = resolve(
        [
            rec("billing_accounts", "B1", billing_account_id="B1", email="ann@acme.io",
                first_name="Ann"),
            rec("billing_accounts", "B2", billing_account_id="B2", email="ann@acme.io",
                first_name="Ann"),
        ],
        spec,
        region="US",
    )  # fmt: skip
    assert not together(result, "billing_accounts:B1", "billing_accounts:B2")
    assert result.merges == {}
    held = result.held[result.assignment[key("billing_accounts:B1")]]
    assert len(held) == 1
    assert held[0].rule == "same_email"
    assert "billing_account_id" in held[0].reason
    assert held[0].reason.endswith(".")
    # the held merge is visible from both customers it would have joined
    assert result.held[result.assignment[key("billing_accounts:B2")]] == held


def test_unique_key_conflict_is_checked_for_whole_clusters(spec: IdentitySpec) -> None:
    # A links to B by email and B to C by phone; A and C hold different billing accounts, so
    # whichever link comes second is held and A and C never share a customer
    result = resolve(
        [
            rec("billing_accounts", "A", billing_account_id="B1", email="ann@acme.io",
                first_name="Ann", last_name="Lee"),
            rec("crm_contacts", "B", email="ann@acme.io", phone="4155550100", first_name="Ann",
                last_name="Lee"),
            rec("billing_accounts", "C", billing_account_id="B2", phone="(415) 555-0100",
                first_name="Ann", last_name="Lee"),
        ],
        spec,
        region="US",
    )  # fmt: skip
    assert together(result, "billing_accounts:A", "crm_contacts:B")  # email is the stronger rule
    assert not together(result, "billing_accounts:A", "billing_accounts:C")
    assert result.stats.held == 1


def test_dob_typo_is_tolerated_but_a_different_dob_is_held(spec: IdentitySpec) -> None:
    result = resolve(
        [
            rec("crm_contacts", "1", national_id="8817240", first_name="Ann", last_name="Ode",
                dob="1975-12-20"),
            rec("crm_leads", "2", national_id="8817240", first_name="Ann", last_name="Ode",
                dob="1975-12-02"),
            rec("crm_leads", "3", national_id="8817240", first_name="Ann", last_name="Ode",
                dob="1948-05-11"),
        ],
        spec,
        region="US",
    )  # fmt: skip
    assert together(result, "crm_contacts:1", "crm_leads:2")
    assert not together(result, "crm_contacts:1", "crm_leads:3")
    assert any("dob" in h.reason for items in result.held.values() for h in items)


def test_split_request_keeps_two_records_apart(spec: IdentitySpec) -> None:
    records = [
        rec("crm_contacts", "1", email="ann@acme.io", first_name="Ann"),
        rec("marketing_contacts", "m1", email="ann@acme.io", first_name="Ann"),
        rec("support_tickets", "t1", email="ann@acme.io", first_name="Ann"),
    ]
    before = resolve(records, spec, region="US")
    assert len(before.clusters) == 1
    after = resolve(
        records,
        spec,
        region="US",
        splits=[(key("crm_contacts:1"), key("marketing_contacts:m1"))],
        previous_ids=before.assignment,
    )
    assert not together(after, "crm_contacts:1", "marketing_contacts:m1")
    assert len(after.clusters) == 2
    reasons = [h.reason for items in after.held.values() for h in items]
    assert reasons and all("split request" in r for r in reasons)
    # the first customer keeps its id; the split-off record gets a new one
    assert before.assignment[key("crm_contacts:1")] in after.clusters


def test_team_inbox_links_nobody_but_the_phone_still_does(spec: IdentitySpec) -> None:
    result = resolve(
        [
            rec("crm_contacts", "1", email="ann.lee@acme.io", phone="(415) 555-0100",
                first_name="Ann", last_name="Lee"),
            rec("billing_accounts", "B1", email="billing@acme.io", phone="415.555.0100",
                first_name="Ann", last_name="Lee"),
            rec("billing_accounts", "B2", email="Billing@acme.io", first_name="Tom",
                last_name="Berg"),
        ],
        spec,
        region="US",
    )  # fmt: skip
    assert together(result, "crm_contacts:1", "billing_accounts:B1")
    assert not together(result, "billing_accounts:B1", "billing_accounts:B2")


def test_same_name_behind_one_number_with_other_mailboxes_stays_apart(spec: IdentitySpec) -> None:
    result = resolve(
        [
            rec("crm_leads", "1", email="fscott@delta.io", phone="313-555-3443",
                first_name="Frederick", last_name="Scott"),
            rec("crm_leads", "2", email="fscott2@delta.io", phone="(313) 555-3443",
                first_name="Frederick", last_name="Scott"),
        ],
        spec,
        region="US",
    )  # fmt: skip
    assert not together(result, "crm_leads:1", "crm_leads:2")
