"""The profile an agent reads: every value beside its trust, never a bare doubtful value."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from c360tui.agent.profile import CustomerProfile, build_profile
from c360tui.core.customer import (
    Candidate,
    CollectionItem,
    HeldMerge,
    Provenance,
    ReconciledAttribute,
    ResolvedCustomer,
)
from c360tui.core.records import RecordKey
from c360tui.core.sources_spec import SourcesSpec
from c360tui.core.view_spec import ViewSpec

SPECS = Path(__file__).resolve().parents[2] / "specs"
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def _spec(name: str) -> dict[str, object]:
    return tomllib.loads((SPECS / name).read_text(encoding="utf-8"))


SOURCES = SourcesSpec.model_validate(_spec("sources.toml"))
SUPPORT = ViewSpec.model_validate(_spec("support_close_case.toml"))


def prov(system: str, record_id: str, age: timedelta | None) -> Provenance:
    return Provenance(system, f"{system}_feed", record_id, NOW - age if age else None)


def won(name: str, value: object, p: Provenance, *alternates: Candidate) -> ReconciledAttribute:
    return ReconciledAttribute(
        name,
        "source_priority",
        "resolved",
        Candidate(value, p),
        alternates=alternates,  # type: ignore[arg-type]
    )


def customer(flagged: set[str] | None = None) -> ResolvedCustomer:
    crm, bill = prov("crm", "003A", timedelta(days=1)), prov("billing", "BA-1", timedelta(days=30))
    mkt, support = prov("mkt", "m", None), prov("support", "T-1", timedelta(hours=2))
    return ResolvedCustomer(
        customer_id="C-1",
        attributes={
            "email": won("email", "ada@engines.example", crm, Candidate("old@x.example", mkt)),
            "phone": ReconciledAttribute(
                "phone",
                "source_priority",
                "conflicted",
                None,
                contenders=(Candidate("+14155550100", crm), Candidate("+14155550199", bill)),
                reason="crm and billing disagree within 30d",
            ),
            "plan": ReconciledAttribute(
                "plan",
                "source_priority",
                "unverified",
                Candidate("enterprise", crm),
                reason="only crm",
            ),
            "payment_status": won("payment_status", "current", bill),
            "arr": won("arr", 48000.0, bill),
        },
        collections={"tickets": [CollectionItem({"ticket_id": "T-1", "ticket_csat": 2}, support)]},
        records=[RecordKey("crm_feed", "003A"), RecordKey("billing_feed", "BA-1")],
        held=[
            HeldMerge(
                RecordKey("billing_feed", "BA-1"),
                RecordKey("billing_feed", "BA-2"),
                "email_exact",
                "two billing account ids",
            )
        ],
        flagged=flagged or set(),
    )


def test_conflicted_attribute_has_no_value_only_contenders() -> None:
    phone = build_profile(customer(), NOW).attributes["phone"]
    assert phone.value is None
    assert phone.trust == "conflicted" and not phone.agent_usable
    assert [(c.value, c.system) for c in phone.contenders] == [
        ("+14155550100", "crm"),
        ("+14155550199", "billing"),
    ]
    assert phone.reason == "conflicted: crm and billing disagree within 30d"


def test_view_budget_makes_an_old_value_stale_and_unusable() -> None:
    payment = build_profile(customer(), NOW, view=SUPPORT).attributes["payment_status"]
    assert (payment.value, payment.trust, payment.freshness) == ("current", "stale", "stale")
    assert (payment.budget, payment.budget_seconds) == ("7d", 7 * 86400.0)
    assert payment.age_seconds == 30 * 86400.0
    assert payment.reason == "stale: 30d > 7d"
    assert not payment.agent_usable


def test_without_a_view_there_is_no_budget_and_freshness_is_not_judged() -> None:
    payment = build_profile(customer(), NOW).attributes["payment_status"]
    assert (payment.trust, payment.freshness, payment.budget) == ("trusted", "unknown", None)
    assert payment.age_seconds == 30 * 86400.0
    assert payment.age_text == "30d / no budget"
    assert payment.agent_usable


def test_value_keeps_its_provenance_and_losing_values() -> None:
    email = build_profile(customer(), NOW, view=SUPPORT).attributes["email"]
    assert (email.source, email.feed, email.record_id) == ("crm", "crm_feed", "003A")
    assert email.observed_at == NOW - timedelta(days=1)
    assert (email.freshness, email.budget) == ("fresh", "90d")
    assert [(a.value, a.system, a.age_seconds) for a in email.alternates] == [
        ("old@x.example", "mkt", None)
    ]


def test_unverified_and_flagged_attributes_are_not_usable() -> None:
    profile = build_profile(customer(flagged={"arr"}), NOW, sources=SOURCES)
    plan, arr = profile.attributes["plan"], profile.attributes["arr"]
    assert (plan.value, plan.trust, plan.agent_usable) == ("enterprise", "unverified", False)
    assert (arr.trust, arr.flagged, arr.agent_usable) == ("trusted", True, False)
    assert "flagged as wrong" in arr.reason
    assert {"phone", "plan", "arr"} <= set(profile.not_usable)
    assert "email" not in profile.not_usable


def test_an_attribute_the_view_reads_but_no_source_has_is_missing() -> None:
    held = customer()
    del held.attributes["arr"]
    profile = build_profile(held, NOW, view=SUPPORT, sources=SOURCES)
    arr = profile.attributes["arr"]
    assert (arr.value, arr.trust, arr.label, arr.budget) == (None, "missing", "ARR", "90d")
    assert "arr" in profile.not_usable
    # catalogue attributes nobody reads and no source has are only named
    assert "dob" in profile.missing and "dob" not in profile.attributes
    assert "arr" not in profile.missing


def test_every_attribute_carries_its_value_beside_trust_and_provenance() -> None:
    document = build_profile(customer(), NOW, view=SUPPORT, sources=SOURCES).model_dump(mode="json")
    assert document["schema_version"] == "2"
    for name, attribute in document["attributes"].items():
        for key in (
            "value",
            "trust",
            "source",
            "record_id",
            "observed_at",
            "age_seconds",
            "budget",
            "freshness",
            "alternates",
        ):
            assert key in attribute, (name, key)
        if attribute["trust"] != "trusted":
            assert attribute["agent_usable"] is False, name
        if attribute["trust"] in ("conflicted", "missing"):
            assert attribute["value"] is None, name
    assert set(document["not_usable"]) == {
        n for n, a in document["attributes"].items() if not a["agent_usable"]
    }


def test_catalogue_order_collections_and_identity() -> None:
    profile = build_profile(customer(), NOW, sources=SOURCES)
    names = list(profile.attributes)
    assert names.index("email") < names.index("phone") < names.index("plan")
    assert "ticket_id" not in profile.attributes  # collection items live under collections
    (ticket,) = profile.collections["tickets"]
    assert ticket.values == {"ticket_id": "T-1", "ticket_csat": 2}
    assert (ticket.source, ticket.age_seconds) == ("support", 7200.0)
    assert [r.record_id for r in profile.identity.records] == ["003A", "BA-1"]
    assert profile.identity.held[0].reason == "two billing account ids"


def test_round_trips_through_json() -> None:
    profile = build_profile(customer(), NOW, view=SUPPORT, sources=SOURCES)
    assert CustomerProfile.model_validate_json(profile.model_dump_json()) == profile


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        build_profile(customer(), datetime(2026, 11, 30, 15))
