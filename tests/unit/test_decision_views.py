"""Decision views for hand-built customers under the three bundled view specs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from c360tui.core.decision import (
    build_decision_view,
    in_queue,
    order_queue,
    queue_sort_values,
)
from c360tui.core.decision_model import DecisionView
from c360tui.core.reconcile import reconcile
from c360tui.core.records import AttrValue, SourceRecord
from c360tui.core.sources_spec import SourcesSpec
from c360tui.core.view_spec import ViewSpec
from c360tui.specs_io import load_sources, load_views

SPECS = Path(__file__).resolve().parents[2] / "specs"
# A Saturday 15:00 UTC: 11:00 in New York, 08:00 in Los Angeles.
NOW = datetime(2024, 6, 1, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def sources() -> SourcesSpec:
    return load_sources(SPECS)


@pytest.fixture(scope="module")
def views() -> dict[str, ViewSpec]:
    return load_views(SPECS)


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def crm(days: float = 1, **attrs: AttrValue) -> SourceRecord:
    base: dict[str, AttrValue] = {"first_name": "Ada", "last_name": "Lovelace", "company": "Acme"}
    return SourceRecord("crm", "crm_contacts", "C1", ago(days), {**base, **attrs})


def billing(days: float = 1, **attrs: AttrValue) -> SourceRecord:
    base: dict[str, AttrValue] = {"billing_account_id": "B1", "payment_status": "current"}
    return SourceRecord("billing", "billing_accounts", "B1", ago(days), {**base, **attrs})


def ticket(rid: str, days: float = 0.1, **attrs: AttrValue) -> SourceRecord:
    return SourceRecord("support", "support_tickets", rid, ago(days), {"ticket_id": rid, **attrs})


def marketing(days: float = 0.2, **attrs: AttrValue) -> SourceRecord:
    return SourceRecord("marketing", "marketing_contacts", "M1", ago(days), dict(attrs))


def view(
    name: str, records: list[SourceRecord], sources: SourcesSpec, views: dict[str, ViewSpec]
) -> DecisionView:
    return build_decision_view(views[name], reconcile("cust-1", records, sources), NOW)


# ---------------------------------------------------------------- support


def test_enterprise_with_open_sev1_escalates(
    sources: SourcesSpec, views: dict[str, ViewSpec]
) -> None:
    records = [
        crm(),
        billing(plan="enterprise", arr=250000.0),
        ticket(
            "T1", ticket_severity="sev1", ticket_status="open", ticket_opened_at=ago(3).isoformat()
        ),
    ]
    dv = view("support_close_case", records, sources, views)
    assert dv.recommendation.action == "escalate"
    assert dv.recommendation.headline == "ESCALATE: enterprise tier, sev-1 open 3d"
    assert [a.id for a in dv.actions if a.recommended] == ["escalate"]
    assert dv.display_name == "Ada Lovelace"
    assert dv.subtitle == "Acme"
    assert dv.agent.ready, dv.agent.reasons


def test_quiet_account_resolves(sources: SourcesSpec, views: dict[str, ViewSpec]) -> None:
    records = [
        crm(),
        billing(plan="enterprise"),
        ticket(
            "T1",
            ticket_severity="sev1",
            ticket_status="closed",
            ticket_opened_at=ago(9).isoformat(),
        ),
    ]
    dv = view("support_close_case", records, sources, views)
    assert dv.recommendation.action == "resolve"
    sev1 = dv.signal("open_sev1")
    assert sev1.value == 0
    # A closed ticket cannot date "none open": its age is unknown, not stale.
    assert (sev1.freshness, sev1.trust) == ("unknown", "trusted")
    assert sev1.reason == "age unknown: no item of tickets dates it"
    assert dv.signal("sla_breached").display == "no"


def test_breached_sla_escalates_with_its_reason(
    sources: SourcesSpec, views: dict[str, ViewSpec]
) -> None:
    due = (NOW - timedelta(hours=5)).isoformat()
    records = [
        crm(),
        billing(plan="growth"),
        ticket("T7", ticket_status="open", ticket_sla_due_at=due),
    ]
    dv = view("support_close_case", records, sources, views)
    assert dv.recommendation.action == "escalate"
    assert dv.recommendation.reasons == ["SLA breached: yes, 5h over (T7)"]


def test_signals_ranked_with_fold_and_age_text(
    sources: SourcesSpec, views: dict[str, ViewSpec]
) -> None:
    dv = view("support_close_case", [crm(), billing(days=5, plan="growth")], sources, views)
    assert [s.rank for s in dv.signals] == list(range(1, len(dv.signals) + 1))
    assert [s.above_fold for s in dv.signals] == [s.rank <= dv.fold for s in dv.signals]
    tier = dv.signal("tier")
    assert (tier.trust, tier.freshness, tier.age_text) == ("trusted", "fresh", "5d / 90d")
    assert tier.provenance is not None and tier.provenance.system == "billing"


def test_stale_payment_status_reason_and_verdict(
    sources: SourcesSpec, views: dict[str, ViewSpec]
) -> None:
    dv = view("support_close_case", [crm(), billing(days=12, plan="growth")], sources, views)
    payment = dv.signal("payment_status")
    assert payment.trust == "stale"
    assert payment.reason == "stale: 12d > 7d"
    assert "payment_status stale: 12d > 7d" in dv.agent.reasons
    assert not dv.agent.ready


def test_conflicted_plan_is_shown_not_picked(
    sources: SourcesSpec, views: dict[str, ViewSpec]
) -> None:
    records = [
        billing(days=2, plan="enterprise"),
        SourceRecord("billing", "billing_accounts", "B2", ago(2), {"plan": "growth"}),
        crm(),
    ]
    dv = view("support_close_case", records, sources, views)
    tier = dv.signal("tier")
    assert tier.trust == "conflicted"
    assert tier.value is None
    assert {c.display for c in tier.contenders} == {"enterprise", "growth"}


def test_flagged_attribute_blocks_agent(sources: SourcesSpec, views: dict[str, ViewSpec]) -> None:
    customer = reconcile("cust-1", [crm(), billing(plan="growth")], sources)
    customer.flagged.add("payment_status")
    dv = build_decision_view(views["support_close_case"], customer, NOW)
    assert dv.signal("payment_status").flagged
    assert "payment_status flagged as wrong" in dv.agent.reasons


# ---------------------------------------------------------------- sdr


def lead(**overrides: AttrValue) -> list[SourceRecord]:
    attrs: dict[str, AttrValue] = {
        "lead_status": "new",
        "phone": "(415) 555-0100",
        "timezone": "America/New_York",
        "do_not_contact": False,
    }
    attrs.update(overrides)
    return [crm(**attrs), marketing(intent_score=88, do_not_contact=False)]


def test_hot_lead_in_hours_is_a_call(sources: SourcesSpec, views: dict[str, ViewSpec]) -> None:
    dv = view("sdr_call_now", lead(), sources, views)
    assert dv.recommendation.action == "call"
    assert dv.agent.ready, dv.agent.reasons
    assert dv.signal("phone").display == "+1 415-555-0100"


def test_do_not_contact_blocks_the_call(sources: SourcesSpec, views: dict[str, ViewSpec]) -> None:
    records = [
        crm(
            lead_status="new", phone="4155550100", timezone="America/New_York", do_not_contact=True
        ),
        marketing(days=0.2, intent_score=95, do_not_contact=True),
    ]
    dv = view("sdr_call_now", records, sources, views)
    assert dv.recommendation.action == "disqualify"
    assert dv.recommendation.headline == "DISQUALIFY: marked do-not-contact"


def test_disputed_do_not_contact_is_never_a_call(
    sources: SourcesSpec, views: dict[str, ViewSpec]
) -> None:
    records = [
        crm(
            lead_status="new", phone="4155550100", timezone="America/New_York", do_not_contact=False
        ),
        marketing(intent_score=95, do_not_contact=True),
    ]
    dv = view("sdr_call_now", records, sources, views)
    assert dv.signal("do_not_contact").trust == "conflicted"
    assert dv.recommendation.action == "snooze"
    assert "do_not_contact conflicted: crm vs marketing" in dv.agent.reasons


def test_missing_do_not_contact_blocks_agent(
    sources: SourcesSpec, views: dict[str, ViewSpec]
) -> None:
    records = [
        crm(lead_status="new", phone="4155550100", timezone="America/New_York"),
        marketing(intent_score=95),
    ]
    dv = view("sdr_call_now", records, sources, views)
    assert "do_not_contact missing" in dv.agent.reasons
    assert not dv.agent.ready


def test_conflicted_phone_blocks_agent_with_reason(
    sources: SourcesSpec, views: dict[str, ViewSpec]
) -> None:
    records = [*lead(), billing(days=3, phone="+1 415 555 0199")]
    dv = view("sdr_call_now", records, sources, views)
    phone = dv.signal("phone")
    assert phone.trust == "conflicted"
    assert phone.reason == "conflicted: billing says +1 415-555-0199, crm says +1 415-555-0100"
    assert dv.signal("phone_valid").trust == "conflicted"
    assert "phone_valid conflicted: billing vs crm" in dv.agent.reasons
    assert not dv.agent.ready


def test_lead_outside_hours_is_snoozed(sources: SourcesSpec, views: dict[str, ViewSpec]) -> None:
    dv = view("sdr_call_now", lead(timezone="America/Los_Angeles"), sources, views)
    assert dv.signal("lead_in_hours").display == "no, 08:00 local"
    assert dv.recommendation.action == "snooze"


def test_sdr_queue_filters_and_orders_by_intent(
    sources: SourcesSpec, views: dict[str, ViewSpec]
) -> None:
    spec = views["sdr_call_now"]
    customers = {
        "new-hot": [crm(lead_status="new"), marketing(intent_score=90)],
        "working-warm": [crm(lead_status="working"), marketing(intent_score=60)],
        "new-unscored": [crm(lead_status="new")],
        "disqualified": [crm(lead_status="disqualified"), marketing(intent_score=99)],
    }
    resolved = [reconcile(cid, recs, sources) for cid, recs in customers.items()]
    queued = [build_decision_view(spec, c, NOW) for c in resolved if in_queue(spec, c)]
    order = [v.customer_id for v in order_queue(spec, queued)]
    assert order == ["new-hot", "working-warm", "new-unscored"]


# ---------------------------------------------------------------- csm


def usage(series: list[float]) -> SourceRecord:
    return SourceRecord("product", "product_usage", "U1", None, {"weekly_usage": series})


def test_falling_usage_starts_a_save_play(sources: SourcesSpec, views: dict[str, ViewSpec]) -> None:
    records = [crm(), billing(plan="growth"), usage([100, 100, 100, 100, 60, 50, 40, 30])]
    dv = view("csm_at_risk", records, sources, views)
    trend = dv.signal("usage_trend")
    assert trend.value == -55.0
    assert trend.series == [100, 100, 100, 100, 60, 50, 40, 30]
    assert trend.freshness == "unknown"
    assert dv.recommendation.action == "save_play"
    assert dv.recommendation.reasons[0] == "usage -55% (4w vs prior 4w)"


def test_steady_account_marked_healthy(sources: SourcesSpec, views: dict[str, ViewSpec]) -> None:
    records = [crm(), billing(plan="growth", renewal_date="2025-01-01"), usage([50] * 8)]
    dv = view("csm_at_risk", records, sources, views)
    assert dv.recommendation.action == "mark_healthy"
    assert dv.signal("risk").value == 0
    assert dv.signal("renewal").value == 214


def test_short_usage_history_is_missing_with_reason(
    sources: SourcesSpec, views: dict[str, ViewSpec]
) -> None:
    dv = view("csm_at_risk", [crm(), billing(), usage([5, 6, 7])], sources, views)
    trend = dv.signal("usage_trend")
    assert trend.trust == "missing"
    assert trend.reason == "missing: needs 8 weeks of usage, has 3"


def test_derived_freshness_comes_from_oldest_input(
    sources: SourcesSpec, views: dict[str, ViewSpec]
) -> None:
    records = [crm(), billing(days=10, payment_status="current", renewal_date="2024-06-20")]
    dv = view("csm_at_risk", records, sources, views)
    assert dv.signal("churn_flag").trust == "stale"
    assert "churn_flag stale: 10d > 7d" in dv.agent.reasons


def test_csm_queue_needs_a_billing_account_and_sorts_by_risk(
    sources: SourcesSpec, views: dict[str, ViewSpec]
) -> None:
    spec = views["csm_at_risk"]
    customers = {
        "calm": [billing(payment_status="current")],
        "failing": [billing(payment_status="failed")],
        "no-account": [crm()],
    }
    resolved = [reconcile(cid, recs, sources) for cid, recs in customers.items()]
    queued = [build_decision_view(spec, c, NOW) for c in resolved if in_queue(spec, c)]
    assert [v.customer_id for v in order_queue(spec, queued)] == ["failing", "calm"]


def test_queue_sort_values_match_the_view(sources: SourcesSpec, views: dict[str, ViewSpec]) -> None:
    spec = views["csm_at_risk"]
    customer = reconcile("c", [billing(payment_status="failed")], sources)
    view_risk = build_decision_view(spec, customer, NOW).signal("risk").value
    assert queue_sort_values(spec, customer, NOW) == [float(view_risk or 0)]
    assert view_risk == 30


def test_the_recommendation_names_the_doubtful_values_it_rests_on(
    sources: SourcesSpec, views: dict[str, ViewSpec]
) -> None:
    fresh = view("sdr_call_now", lead(), sources, views)
    assert fresh.recommendation.action == "call" and fresh.recommendation.caveats == []
    assert fresh.recommendation.reasons == ["intent 88, Sat 11:00 (EDT) for them"]
    stale_intent = [crm(**lead()[0].attributes), marketing(days=3, intent_score=88)]
    stale = view("sdr_call_now", stale_intent, sources, views)
    assert stale.recommendation.action == "call"  # the rule still reads the value it has
    assert stale.recommendation.caveats == ["Intent score stale 3d / 24h"]


def test_a_default_recommendation_names_what_no_rule_could_read(
    sources: SourcesSpec, views: dict[str, ViewSpec]
) -> None:
    records = [crm(lead_status="new", phone="4155550100", timezone="America/New_York")]
    dv = view("sdr_call_now", records, sources, views)
    assert dv.recommendation.action == "email"
    assert dv.recommendation.caveats == ["Do not contact missing", "Intent score missing"]
