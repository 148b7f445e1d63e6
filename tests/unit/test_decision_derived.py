"""Derived signals: calling-hours edges, ARR bands, ticket ages and how inputs set trust."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from c360tui.core.customer import (
    Candidate,
    CollectionItem,
    Provenance,
    ReconciledAttribute,
    ResolvedCustomer,
)
from c360tui.core.derived import DerivedContext, derive
from c360tui.core.records import AttrValue

NOW = datetime(2024, 6, 3, 13, 0, tzinfo=UTC)  # a Monday


def attr(
    name: str, value: AttrValue, days_ago: float = 1, system: str = "crm"
) -> ReconciledAttribute:
    prov = Provenance(system, f"{system}_feed", "r1", NOW - timedelta(days=days_ago))
    return ReconciledAttribute(name, "source_priority", "resolved", Candidate(value, prov))


def customer(
    *attrs: ReconciledAttribute, tickets: tuple[dict[str, AttrValue], ...] = ()
) -> ResolvedCustomer:
    items = [
        CollectionItem(
            t, Provenance("support", "support_tickets", f"T{i}", NOW - timedelta(hours=1))
        )
        for i, t in enumerate(tickets)
    ]
    return ResolvedCustomer("c", {a.name: a for a in attrs}, {"tickets": items})


def value(name: str, c: ResolvedCustomer, now: datetime = NOW) -> AttrValue | None:
    return derive(name, DerivedContext(c, now)).value


@pytest.mark.parametrize(
    ("utc_hour", "utc_minute", "inside"),
    [(12, 59, False), (13, 0, True), (20, 59, True), (21, 0, False)],  # New York is UTC-4 in June
)
def test_calling_hours_edges(utc_hour: int, utc_minute: int, inside: bool) -> None:
    now = NOW.replace(hour=utc_hour, minute=utc_minute)
    assert value("lead_in_hours", customer(attr("timezone", "America/New_York")), now) is inside


def test_unknown_time_zone_is_missing() -> None:
    result = derive(
        "lead_in_hours", DerivedContext(customer(attr("timezone", "Mars/Olympus")), NOW)
    )
    assert (result.value, result.trust) == (None, "missing")


@pytest.mark.parametrize(
    ("arr", "band"),
    [
        (9_999.0, "under_10k"),
        (10_000.0, "10k_100k"),
        (999_999.0, "100k_1m"),
        (1_000_000.0, "1m_plus"),
    ],
)
def test_arr_bands(arr: float, band: str) -> None:
    assert value("arr_band", customer(attr("arr", arr))) == band


def test_open_sev1_counts_open_and_pending_only() -> None:
    opened = (NOW - timedelta(days=3)).isoformat()
    c = customer(tickets=(
        {"ticket_severity": "sev1", "ticket_status": "open", "ticket_opened_at": opened},
        {"ticket_severity": "sev1", "ticket_status": "pending"},
        {"ticket_severity": "sev1", "ticket_status": "solved"},
        {"ticket_severity": "sev2", "ticket_status": "open"},
    ))  # fmt: skip
    assert value("open_sev1", c) == 2
    assert value("open_sev1_age", c) == 72


def test_escalations_count_only_the_last_30_days() -> None:
    c = customer(tickets=(
        {"ticket_escalated": True, "ticket_opened_at": (NOW - timedelta(days=29)).isoformat()},
        {"ticket_escalated": True, "ticket_opened_at": (NOW - timedelta(days=31)).isoformat()},
        {"ticket_escalated": False, "ticket_opened_at": (NOW - timedelta(days=1)).isoformat()},
    ))  # fmt: skip
    assert value("escalations_30d", c) == 1


def test_derived_is_as_old_as_its_oldest_input() -> None:
    c = customer(attr("payment_status", "current", days_ago=2, system="billing"),
                 attr("weekly_usage", [1.0] * 8, days_ago=9, system="product"))  # fmt: skip
    result = derive("churn_flag", DerivedContext(c, NOW))
    assert result.observed_at == NOW - timedelta(days=9)
    assert result.inputs == ("payment_status", "weekly_usage")


def test_unverified_input_makes_derived_unverified() -> None:
    arr = ReconciledAttribute(
        "arr", "source_priority", "unverified",
        Candidate(50_000.0, Provenance("crm", "crm_feed", "r", NOW)), reason="only crm has it",
    )  # fmt: skip
    result = derive("arr_band", DerivedContext(customer(arr), NOW))
    assert (result.value, result.trust) == ("10k_100k", "unverified")


def test_renewal_days_and_usage_trend() -> None:
    c = customer(attr("renewal_date", "2024-06-13"), attr("weekly_usage", [10.0] * 4 + [15.0] * 4))
    assert value("renewal_days", c) == 10
    assert value("usage_trend", c) == 50.0
