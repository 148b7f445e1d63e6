"""Account-scoped attributes: every contact at a paying company sees its plan and payment status."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from c360tui.core.accounts import account_key, account_mates
from c360tui.core.reconcile import reconcile
from c360tui.core.records import SourceRecord
from c360tui.core.sources_spec import SourcesSpec

SPECS = Path(__file__).resolve().parents[2] / "specs"
T0 = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def sources() -> SourcesSpec:
    return SourcesSpec.model_validate(tomllib.loads((SPECS / "sources.toml").read_text()))


def crm(record_id: str, email: str, company: str = "Acme Inc") -> SourceRecord:
    attrs = {"email": email, "company": company, "first_name": record_id, "last_name": "X"}
    return SourceRecord("crm", "crm_contacts", record_id, T0, dict(attrs))


def billing(record_id: str, email: str, plan: str, status: str) -> SourceRecord:
    attrs = {"email": email, "plan": plan, "payment_status": status, "company": "Acme Inc"}
    return SourceRecord("billing", "billing_accounts", record_id, T0, dict(attrs))


def test_a_contact_without_a_billing_row_sees_the_company_plan_with_its_provenance(
    sources: SourcesSpec,
) -> None:
    payer = [crm("c1", "pat@acme.com"), billing("AC-1", "pat@acme.com", "enterprise", "failed")]
    colleague = [crm("c2", "sam@acme.com")]
    mates = account_mates({"P": payer, "S": colleague}, sources)

    resolved = reconcile("S", colleague, sources, mates.get("S", ()))

    plan = resolved.attributes["plan"]
    assert plan.value == "enterprise" and plan.status == "resolved"
    assert plan.winner is not None and plan.winner.provenance.record_id == "AC-1"
    assert resolved.attributes["payment_status"].value == "failed"
    # Personal attributes never travel between colleagues.
    assert resolved.attributes["email"].value == "sam@acme.com"
    assert resolved.records == [colleague[0].key]


def test_people_at_different_companies_share_nothing(sources: SourcesSpec) -> None:
    payer = [billing("AC-1", "pat@acme.com", "enterprise", "current")]
    stranger = [crm("c9", "lee@globex.com", company="Globex GmbH")]
    assert "S" not in account_mates({"P": payer, "S": stranger}, sources)


def test_freemail_addresses_do_not_make_an_account() -> None:
    records = [crm("c1", "pat@gmail.com", company="")]
    assert account_key(records) is None


def test_an_email_typed_in_capitals_votes_for_the_same_account() -> None:
    """Exports shout emails now and then; "PAT@ACME.COM" still works at acme.com."""
    shouted = [crm("c1", " PAT@ACME.COM ", company="")]
    assert account_key(shouted) == account_key([crm("c2", "sam@acme.com", company="")])
    assert account_key(shouted) == "domain:acme.com"


def test_a_placeholder_email_names_no_account() -> None:
    """ "n/a" is no address: it must not gather everyone who left the field blank into one
    account (they would see each other's plan and payment status)."""
    assert account_key([crm("c1", "n/a", company="")]) is None
    assert account_key([crm("c2", "n/a", company="Acme")]) == account_key(
        [crm("c3", "", company="Acme Inc")]
    )


def test_the_company_name_is_the_fallback_key() -> None:
    records = [crm("c1", "pat@gmail.com", company="ACME, Inc.")]
    assert account_key(records) == account_key([crm("c2", "sam@gmail.com", company="Acme")])


def test_two_billing_accounts_at_one_company_that_disagree_are_shown_as_a_conflict(
    sources: SourcesSpec,
) -> None:
    first = [billing("AC-1", "pat@acme.com", "enterprise", "current")]
    second = [billing("AC-2", "kim@acme.com", "starter", "current")]
    colleague = [crm("c2", "sam@acme.com")]
    clusters = {"P": first, "K": second, "S": colleague}
    mates = account_mates(clusters, sources)

    plan = reconcile("S", colleague, sources, mates["S"]).attributes["plan"]

    assert plan.status == "conflicted"
    assert {c.value for c in plan.contenders} == {"enterprise", "starter"}
