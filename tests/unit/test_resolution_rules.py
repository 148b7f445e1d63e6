"""Each match rule of specs/identity.toml links what it should and nothing it should not."""

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
    return SourceRecord(system=feed.split("_")[0], feed=feed, record_id=record_id,
                        updated_at=None, attributes=dict(attributes))  # fmt: skip


def together(result: Resolution, *keys: str) -> bool:
    ids = {result.assignment[RecordKey(*key.split(":"))] for key in keys}
    return len(ids) == 1


def rules_used(result: Resolution) -> set[str]:
    return {m.rule for items in result.merges.values() for m in items}


def test_same_email_in_any_case_links(spec: IdentitySpec) -> None:
    result = resolve(
        [
            rec("crm_contacts", "1", email="Bob.Smith@Acme.io", first_name="Robert"),
            rec("marketing_contacts", "m1", email=" bob.smith@acme.io", first_name="Bob"),
            rec("product_usage", "u1", email="BOB.SMITH@ACME.IO"),
        ],
        spec,
        region="US",
    )
    assert together(result, "crm_contacts:1", "marketing_contacts:m1", "product_usage:u1")
    assert rules_used(result) == {"same_email"}


def test_same_email_with_contradicting_first_names_does_not_link(spec: IdentitySpec) -> None:
    # a shared family inbox: the email alone is not enough when the first names disagree
    result = resolve(
        [
            rec("crm_contacts", "1", email="smiths@gmail.com", first_name="Robert"),
            rec("crm_contacts", "2", email="smiths@gmail.com", first_name="Alice"),
        ],
        spec,
        region="US",
    )
    assert not together(result, "crm_contacts:1", "crm_contacts:2")


def test_crm_id_and_billing_account_link(spec: IdentitySpec) -> None:
    result = resolve(
        [
            rec("crm_contacts", "1", crm_id="CRM-001", first_name="Ann"),
            rec("crm_leads", "L1", crm_id="crm001"),
            rec("billing_accounts", "B1", billing_account_id="B-77"),
            rec("billing_export", "x", billing_account_id="b77"),
        ],
        spec,
        region="US",
    )
    assert together(result, "crm_contacts:1", "crm_leads:L1")
    assert together(result, "billing_accounts:B1", "billing_export:x")
    assert not together(result, "crm_contacts:1", "billing_accounts:B1")
    assert rules_used(result) == {"same_crm_id", "same_billing_account"}


def test_phone_in_another_format_with_nickname_and_typo_links(spec: IdentitySpec) -> None:
    result = resolve(
        [
            rec("crm_contacts", "1", phone="(415) 555-0100", first_name="Robert",
                last_name="Smith"),
            rec("support_tickets", "t1", phone="+1 415 555 0100", first_name="Bob",
                last_name="Smyth"),
        ],
        spec,
        region="US",
    )  # fmt: skip
    assert together(result, "crm_contacts:1", "support_tickets:t1")
    (evidence,) = next(iter(result.merges.values()))
    assert evidence.rule == "phone_and_name"
    scores = {f.field: f.score for f in evidence.fields}
    assert scores["phone"] == 1.0 and scores["first_name"] == 1.0
    assert 0.88 <= scores["last_name"] < 1.0


def test_phone_alone_with_a_different_person_does_not_link(spec: IdentitySpec) -> None:
    result = resolve(
        [
            rec(
                "crm_contacts", "1", phone="(415) 555-0100", first_name="Robert", last_name="Smith"
            ),
            rec("crm_contacts", "2", phone="415-555-0100", first_name="Robert", last_name="Jones"),
        ],
        spec,
        region="US",
    )
    assert not together(result, "crm_contacts:1", "crm_contacts:2")


def test_company_domain_and_full_name_link(spec: IdentitySpec) -> None:
    result = resolve(
        [
            rec("crm_contacts", "1", company_domain="https://www.acme.io", first_name="Katherine",
                last_name="Lee"),
            rec("marketing_contacts", "m1", email="kate.lee@acme.io", first_name="Kate",
                last_name="Lee"),
            rec("marketing_contacts", "m2", email="kate.lee@gmail.com", first_name="Kate",
                last_name="Lee"),
            rec("marketing_contacts", "m3", email="tom.lee@acme.io", first_name="Tom",
                last_name="Lee"),
        ],
        spec,
        region="US",
    )  # fmt: skip
    assert together(result, "crm_contacts:1", "marketing_contacts:m1")
    # a freemail domain says nothing about the company; a colleague with another name stays apart
    assert not together(result, "crm_contacts:1", "marketing_contacts:m2")
    assert not together(result, "crm_contacts:1", "marketing_contacts:m3")
    assert "domain_and_full_name" in rules_used(result)


def test_person_name_and_dob_links(spec: IdentitySpec) -> None:
    result = resolve(
        [
            rec("crm_contacts", "1", first_name="Margaret", last_name="Hannagan", dob="1977-05-01"),
            rec("crm_leads", "2", first_name="Peggy", last_name="Hanagan", dob="19770501"),
            rec("crm_leads", "3", first_name="Margaret", last_name="Hannagan", dob="1980-05-01"),
        ],
        spec,
        region="US",
    )
    assert together(result, "crm_contacts:1", "crm_leads:2")
    assert not together(result, "crm_contacts:1", "crm_leads:3")
    assert rules_used(result) == {"name_and_dob"}


def test_national_id_links_with_a_similar_name(spec: IdentitySpec) -> None:
    result = resolve(
        [
            rec("crm_contacts", "1", national_id="987-65-4320", first_name="Ann", last_name="Ode"),
            rec("crm_leads", "2", national_id="987654320", first_name="Anne", last_name="Ode"),
            rec("crm_leads", "3", national_id="987654320", first_name="Zed", last_name="Quirk"),
        ],
        spec,
        region="US",
    )
    assert together(result, "crm_contacts:1", "crm_leads:2")
    assert not together(result, "crm_contacts:1", "crm_leads:3")
    assert rules_used(result) == {"same_national_id"}


def test_last_name_dob_and_address_link(spec: IdentitySpec) -> None:
    result = resolve(
        [
            rec("crm_contacts", "1", last_name="Paterson", dob="1916-10-17",
                address="15 Lubuma Place, Greensborough 3138"),
            rec("billing_accounts", "2", first_name="Domenique", last_name="Paterson",
                dob="1916-10-17", address="15 lubuma pl greensborough 3138"),
            rec("billing_accounts", "3", first_name="Domenique", last_name="Paterson",
                dob="1916-10-17", address="99 Other Road, Kotara 4740"),
        ],
        spec,
        region="US",
    )  # fmt: skip
    assert together(result, "crm_contacts:1", "billing_accounts:2")
    assert "last_name_dob_address" in rules_used(result)
    # record 3 shares name and dob with record 2, so the name_and_dob rule links it too
    assert together(result, "billing_accounts:2", "billing_accounts:3")


def test_records_with_nothing_in_common_stay_apart(spec: IdentitySpec) -> None:
    result = resolve(
        [
            rec("crm_contacts", "1", first_name="Ann", last_name="Lee", email="ann@a.io"),
            rec("crm_contacts", "2", first_name="Ann", last_name="Lee", email="ann@b.io"),
        ],
        spec,
        region="US",
    )
    assert len(result.clusters) == 2
    assert result.merges == {}


def test_colleagues_with_one_name_and_different_mailboxes_stay_apart(spec: IdentitySpec) -> None:
    result = resolve(
        [
            rec("crm_contacts", "1", email="john.smith@acme.io", company_domain="acme.io",
                first_name="John", last_name="Smith"),
            rec("crm_contacts", "2", email="jsmith@acme.io", company_domain="acme.io",
                first_name="John", last_name="Smith"),
            rec("support_tickets", "t1", company="Acme", first_name="John", last_name="Smith"),
        ],
        spec,
        region="US",
    )  # fmt: skip
    assert not together(result, "crm_contacts:1", "crm_contacts:2")


def test_weighted_person_evidence_links_through_typos_and_swapped_names(
    spec: IdentitySpec,
) -> None:
    result = resolve(
        [
            rec("crm_contacts", "1", first_name="Mikhayla", last_name="Hannagan", dob="1977-05-01",
                national_id="1030769", address="20 Rupp Place, Brentwood Village 2257"),
            # names swapped, a transposed national id, a typo in the address
            rec("crm_leads", "2", first_name="Hannagan", last_name="Mikhayla", dob="1977-05-01",
                national_id="1037069", address="20 rupp plce brentwood village 2257"),
        ],
        spec,
        region="US",
    )  # fmt: skip
    assert together(result, "crm_contacts:1", "crm_leads:2")
    (evidence,) = next(iter(result.merges.values()))
    assert evidence.rule == "person_evidence"
    assert {f.field for f in evidence.fields} == {
        "first_name", "last_name", "dob", "national_id", "address",
    }  # fmt: skip


def test_weighted_person_evidence_keeps_twins_apart(spec: IdentitySpec) -> None:
    # same surname, birthday and home, different first names and no id: two people
    result = resolve(
        [
            rec("crm_contacts", "1", first_name="Olivia", last_name="Wheatley", dob="1942-10-07",
                address="5 Crisp Circuit, Lake Clarendon 4575"),
            rec("crm_contacts", "2", first_name="Amelia", last_name="Wheatley", dob="1942-10-07",
                address="5 Crisp Circuit, Lake Clarendon 4575"),
        ],
        spec,
        region="US",
    )  # fmt: skip
    assert not together(result, "crm_contacts:1", "crm_contacts:2")


def test_exact_method_compares_the_source_text(spec: IdentitySpec) -> None:
    rule = spec.rule("same_crm_id")
    exact = rule.model_copy(
        update={"compare": [rule.compare[0].model_copy(update={"method": "exact"})]}
    )
    exact_spec = spec.model_copy(update={"rules": [exact]})
    records = [
        rec("crm_contacts", "1", crm_id="CRM-001"),
        rec("crm_leads", "2", crm_id="crm001"),
        rec("crm_leads", "3", crm_id=" CRM-001 "),
    ]
    result = resolve(records, exact_spec, region="US")
    assert together(result, "crm_contacts:1", "crm_leads:3")
    assert not together(result, "crm_contacts:1", "crm_leads:2")
    assert together(resolve(records, spec, region="US"), "crm_contacts:1", "crm_leads:2")
