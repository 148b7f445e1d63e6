"""Reconciliation: each survivorship rule, conflict-window edges, unverified values, determinism."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from c360tui.core.reconcile import reconcile
from c360tui.core.records import AttrValue, SourceRecord
from c360tui.core.sources_spec import SourcesSpec

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def spec(**attributes: dict[str, object]) -> SourcesSpec:
    return SourcesSpec.model_validate(
        {
            "systems": {
                "billing": {"priority": 40},
                "crm": {"priority": 30},
                "support": {"priority": 20},
                "marketing": {"priority": 10},
                "erp": {"priority": 30},
            },
            "attributes": {
                "ticket_id": {"collection": "tickets"},
                "ticket_status": {"collection": "tickets"},
                **attributes,
            },
            "feeds": [],
        }
    )


def rec(system: str, rid: str, days_ago: float | None, **attributes: AttrValue) -> SourceRecord:
    updated = NOW - timedelta(days=days_ago) if days_ago is not None else None
    return SourceRecord(system, f"{system}_feed", rid, updated, dict(attributes))


# ---------------------------------------------------------------- source_priority


def test_source_priority_highest_system_of_record_wins_outside_the_window() -> None:
    sources = spec(plan={"system_of_record": ["billing", "crm"], "conflict_window": "30d"})
    customer = reconcile(
        "c1",
        [rec("crm", "1", 1, plan="growth"), rec("billing", "2", 60, plan="enterprise")],
        sources,
    )
    plan = customer.attributes["plan"]
    assert plan.status == "resolved"
    assert plan.value == "enterprise"
    assert plan.winner is not None and plan.winner.provenance.system == "billing"
    assert [a.value for a in plan.alternates] == ["growth"]


def test_source_priority_disagreement_within_window_is_conflicted() -> None:
    sources = spec(plan={"system_of_record": ["billing", "crm"], "conflict_window": "30d"})
    customer = reconcile(
        "c1",
        [rec("crm", "1", 1, plan="growth"), rec("billing", "2", 20, plan="enterprise")],
        sources,
    )
    plan = customer.attributes["plan"]
    assert plan.status == "conflicted"
    assert plan.winner is None
    assert {(c.provenance.system, c.value) for c in plan.contenders} == {
        ("billing", "enterprise"),
        ("crm", "growth"),
    }
    assert plan.reason == "billing says enterprise, crm says growth"


@pytest.mark.parametrize(
    ("gap", "status"),
    [(timedelta(days=30), "conflicted"), (timedelta(days=30, seconds=1), "resolved")],
)
def test_conflict_window_edge_is_inclusive(gap: timedelta, status: str) -> None:
    sources = spec(plan={"system_of_record": ["billing", "crm"], "conflict_window": "30d"})
    billing = SourceRecord("billing", "b", "1", NOW - gap, {"plan": "enterprise"})
    crm = SourceRecord("crm", "c", "1", NOW, {"plan": "growth"})
    assert reconcile("c1", [billing, crm], sources).attributes["plan"].status == status


def test_formatting_differences_are_not_conflicts() -> None:
    sources = spec(
        phone={"type": "phone", "system_of_record": ["billing", "crm"], "conflict_window": "30d"},
        email={"type": "email", "system_of_record": ["billing", "crm"], "conflict_window": "30d"},
    )
    customer = reconcile(
        "c1",
        [
            rec("crm", "1", 1, phone="(415) 555-0100", email="Ada@Example.com "),
            rec("billing", "2", 2, phone="+14155550100", email="ada@example.com"),
        ],
        sources,
    )
    assert customer.attributes["phone"].status == "resolved"
    assert customer.attributes["email"].status == "resolved"
    # Agreeing values from other systems stay visible as alternates.
    assert [a.provenance.system for a in customer.attributes["phone"].alternates] == ["crm"]


def test_company_and_name_spellings_are_not_conflicts() -> None:
    sources = spec(
        company={"system_of_record": ["billing", "crm"], "conflict_window": "30d"},
        first_name={"system_of_record": ["billing", "crm"], "conflict_window": "30d"},
    )
    customer = reconcile(
        "c1",
        [
            rec("crm", "1", 1, company="Acme, Inc.", first_name="José"),
            rec("billing", "2", 2, company="ACME Inc", first_name="jose"),
        ],
        sources,
    )
    assert customer.attributes["company"].status == "resolved"
    assert customer.attributes["company"].value == "ACME Inc"  # billing outranks crm
    assert customer.attributes["first_name"].status == "resolved"


def test_shared_inbox_does_not_compete_with_a_personal_email() -> None:
    sources = spec(
        email={"type": "email", "system_of_record": ["billing", "crm"], "conflict_window": "30d"}
    )
    customer = reconcile(
        "c1",
        [rec("crm", "1", 1, email="ada@acme.com"), rec("billing", "2", 2, email="AP@acme.com")],
        sources,
    )
    email = customer.attributes["email"]
    assert (email.status, email.value) == ("resolved", "ada@acme.com")
    assert [a.value for a in email.alternates] == ["AP@acme.com"]


def test_same_system_newest_record_is_its_claim() -> None:
    sources = spec(plan={"system_of_record": ["billing"]})
    customer = reconcile(
        "c1",
        [rec("billing", "old", 10, plan="starter"), rec("billing", "new", 1, plan="growth")],
        sources,
    )
    plan = customer.attributes["plan"]
    assert (plan.status, plan.value) == ("resolved", "growth")
    assert [a.value for a in plan.alternates] == ["starter"]


def test_same_system_same_moment_disagreement_is_conflicted() -> None:
    sources = spec(plan={"system_of_record": ["billing"]})
    customer = reconcile(
        "c1",
        [rec("billing", "a", 1, plan="starter"), rec("billing", "b", 1, plan="growth")],
        sources,
    )
    assert customer.attributes["plan"].status == "conflicted"


def test_missing_timestamp_cannot_prove_it_is_outside_the_window() -> None:
    sources = spec(plan={"system_of_record": ["billing", "crm"], "conflict_window": "1d"})
    customer = reconcile(
        "c1",
        [rec("crm", "1", None, plan="growth"), rec("billing", "2", 90, plan="enterprise")],
        sources,
    )
    assert customer.attributes["plan"].status == "conflicted"


# ---------------------------------------------------------------- most_recent


def test_most_recent_newest_wins_regardless_of_priority() -> None:
    sources = spec(
        intent={
            "rule": "most_recent",
            "system_of_record": ["marketing", "crm"],
            "conflict_window": "1h",
        }
    )
    customer = reconcile(
        "c1", [rec("crm", "1", 2, intent=40), rec("marketing", "2", 1, intent=90)], sources
    )
    attr = customer.attributes["intent"]
    assert (attr.status, attr.value) == ("resolved", 90)


def test_most_recent_tie_within_window_is_conflicted() -> None:
    sources = spec(
        intent={
            "rule": "most_recent",
            "system_of_record": ["marketing", "crm"],
            "conflict_window": "2d",
        }
    )
    customer = reconcile(
        "c1", [rec("crm", "1", 2, intent=40), rec("marketing", "2", 1, intent=90)], sources
    )
    attr = customer.attributes["intent"]
    assert attr.status == "conflicted"
    assert {c.value for c in attr.contenders} == {40, 90}


# ---------------------------------------------------------------- most_frequent


def test_most_frequent_majority_wins() -> None:
    sources = spec(company={"rule": "most_frequent", "system_of_record": ["crm", "billing", "erp"]})
    customer = reconcile(
        "c1",
        [
            rec("crm", "1", 5, company="Acme"),
            rec("billing", "2", 1, company="ACME "),
            rec("erp", "3", 1, company="Acme Corp"),
        ],
        sources,
    )
    attr = customer.attributes["company"]
    assert attr.status == "resolved"
    assert str(attr.value).strip().casefold() == "acme"


def test_most_frequent_tie_is_conflicted() -> None:
    sources = spec(company={"rule": "most_frequent", "system_of_record": ["crm", "billing"]})
    customer = reconcile(
        "c1",
        [rec("crm", "1", 5, company="Acme"), rec("billing", "2", 1, company="Globex")],
        sources,
    )
    assert customer.attributes["company"].status == "conflicted"


# ---------------------------------------------------------------- unverified, collections, order


def test_values_only_from_non_system_of_record_are_unverified() -> None:
    sources = spec(plan={"system_of_record": ["billing"]})
    customer = reconcile(
        "c1", [rec("crm", "1", 1, plan="growth"), rec("support", "2", 1, plan="starter")], sources
    )
    attr = customer.attributes["plan"]
    assert attr.status == "unverified"
    assert attr.value == "growth"  # the best-ranked of the unaccepted systems
    assert "billing" in attr.reason


def test_non_system_of_record_values_lose_to_a_system_of_record() -> None:
    sources = spec(plan={"system_of_record": ["billing"]})
    customer = reconcile(
        "c1", [rec("crm", "1", 0, plan="growth"), rec("billing", "2", 300, plan="starter")], sources
    )
    attr = customer.attributes["plan"]
    assert (attr.status, attr.value) == ("resolved", "starter")
    assert [a.provenance.system for a in attr.alternates] == ["crm"]


def test_collection_attributes_become_items_per_record() -> None:
    sources = spec(plan={"system_of_record": ["billing"]})
    customer = reconcile(
        "c1",
        [
            rec("support", "t2", 1, ticket_id="T2", ticket_status="open"),
            rec("support", "t1", 2, ticket_id="T1", ticket_status="closed"),
            rec("billing", "b", 1, plan="growth"),
        ],
        sources,
    )
    tickets = customer.collections["tickets"]
    assert [t.values for t in tickets] == [
        {"ticket_id": "T1", "ticket_status": "closed"},
        {"ticket_id": "T2", "ticket_status": "open"},
    ]
    assert "ticket_id" not in customer.attributes


def test_result_does_not_depend_on_record_order() -> None:
    sources = spec(
        plan={"system_of_record": ["billing", "crm"], "conflict_window": "30d"},
        phone={"type": "phone", "system_of_record": ["billing", "crm"], "conflict_window": "30d"},
        company={"rule": "most_frequent", "system_of_record": ["crm", "billing"]},
    )
    records = [
        rec("crm", "1", 1, plan="growth", phone="415 555 0100", company="Acme"),
        rec("billing", "2", 40, plan="enterprise", phone="+1 415 555 0100", company="Globex"),
        rec("crm", "3", 3, plan="growth", company="Acme"),
        rec("support", "4", 0, plan="free", ticket_id="T9"),
    ]
    results = {
        repr(reconcile("c1", list(order), sources)) for order in itertools.permutations(records)
    }
    assert len(results) == 1
