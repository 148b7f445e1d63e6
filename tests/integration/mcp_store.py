"""A small profile store for the agent and MCP tests: customers with known verdicts.

- C-READY (Ada Lovelace): every signal the support rules read is trusted and fresh, so an agent
  may act; the recommendation is "resolve".
- C-DOUBT (Grace Hopper): plan only from the CRM (unverified), payment status 30 days old
  against a 7-day budget (stale) and a phone that billing and CRM disagree on (conflicted).
- C-TWIN (Ada Byron): shares a first name with C-READY, so "Ada" is ambiguous.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from c360tui.core.customer import (
    Candidate,
    CollectionItem,
    Provenance,
    ReconciledAttribute,
    ResolvedCustomer,
)
from c360tui.core.records import AttrValue, RecordKey
from c360tui.store import open_store

AS_OF = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
AS_OF_TEXT = "2026-11-30T15:00:00Z"
SPECS = Path(__file__).resolve().parents[2] / "specs"

READY = "C-READY"
DOUBT = "C-DOUBT"
TWIN = "C-TWIN"


def _prov(system: str, feed: str, record_id: str, age: timedelta | None) -> Provenance:
    return Provenance(system, feed, record_id, AS_OF - age if age is not None else None)


def _won(
    name: str, value: AttrValue, prov: Provenance, *alternates: Candidate
) -> ReconciledAttribute:
    return ReconciledAttribute(
        name, "source_priority", "resolved", Candidate(value, prov), alternates=alternates
    )


def _ticket(record_id: str, status: str, severity: str, age: timedelta) -> CollectionItem:
    opened = (AS_OF - age).isoformat()
    due = (AS_OF - age + timedelta(days=3)).isoformat()
    values: dict[str, AttrValue] = {
        "ticket_id": record_id,
        "ticket_subject": "Export fails",
        "ticket_severity": severity,
        "ticket_status": status,
        "ticket_opened_at": opened,
        "ticket_sla_due_at": due,
        "ticket_csat": 4,
        "ticket_escalated": False,
    }
    return CollectionItem(values, _prov("support", "support_tickets", record_id, age))


def ready_customer() -> ResolvedCustomer:
    crm = _prov("crm", "crm_contacts", "003A", timedelta(days=2))
    bill = _prov("billing", "billing_accounts", "BA-1", timedelta(hours=5))
    mkt = _prov("marketing", "marketing_contacts", "m-1", timedelta(days=40))
    attrs = {
        "first_name": _won("first_name", "Ada", crm),
        "last_name": _won("last_name", "Lovelace", crm),
        "company": _won("company", "Analytical Engines", bill),
        "email": _won("email", "ada@engines.example", crm, Candidate("ADA@old.example", mkt)),
        "phone": _won("phone", "+14155550100", crm),
        "billing_account_id": _won("billing_account_id", "BA-1", bill),
        "crm_id": _won("crm_id", "003A", crm),
        "plan": _won("plan", "growth", bill),
        "arr": _won("arr", 48000.0, bill),
        "payment_status": _won("payment_status", "current", bill),
    }
    return ResolvedCustomer(
        customer_id=READY,
        attributes=attrs,
        collections={"tickets": [_ticket("T-1", "solved", "sev3", timedelta(hours=6))]},
        records=[
            RecordKey("crm_contacts", "003A"),
            RecordKey("billing_accounts", "BA-1"),
            RecordKey("marketing_contacts", "m-1"),
            RecordKey("support_tickets", "T-1"),
        ],
    )


def doubtful_customer() -> ResolvedCustomer:
    crm = _prov("crm", "crm_contacts", "003G", timedelta(days=1))
    bill_old = _prov("billing", "billing_accounts", "BA-7", timedelta(days=30))
    attrs = {
        "first_name": _won("first_name", "Grace", crm),
        "last_name": _won("last_name", "Hopper", crm),
        "company": _won("company", "Navy Compilers", crm),
        "email": _won("email", "grace@compilers.example", crm),
        "phone": ReconciledAttribute(
            "phone",
            "source_priority",
            "conflicted",
            None,
            contenders=(Candidate("+14155550177", crm), Candidate("+14155550188", bill_old)),
            reason="crm and billing disagree within 30d",
        ),
        "billing_account_id": _won("billing_account_id", "BA-7", bill_old),
        "plan": ReconciledAttribute(
            "plan",
            "source_priority",
            "unverified",
            Candidate("enterprise", crm),
            reason="only crm has it; billing is the system of record",
        ),
        "arr": _won("arr", 250000.0, bill_old),
        "payment_status": _won("payment_status", "current", bill_old),
    }
    return ResolvedCustomer(
        customer_id=DOUBT,
        attributes=attrs,
        collections={"tickets": [_ticket("T-9", "open", "sev2", timedelta(hours=3))]},
        records=[RecordKey("crm_contacts", "003G"), RecordKey("billing_accounts", "BA-7")],
    )


def twin_customer() -> ResolvedCustomer:
    crm = _prov("crm", "crm_contacts", "003B", timedelta(days=3))
    attrs = {
        "first_name": _won("first_name", "Ada", crm),
        "last_name": _won("last_name", "Byron", crm),
        "email": _won("email", "ada.byron@poetry.example", crm),
    }
    return ResolvedCustomer(
        customer_id=TWIN, attributes=attrs, records=[RecordKey("crm_contacts", "003B")]
    )


def customers() -> list[ResolvedCustomer]:
    return [ready_customer(), doubtful_customer(), twin_customer()]


def make_store(path: Path) -> Path:
    """Write the three customers into a new store at `path`; returns `path`."""
    with open_store(path) as store:
        store.write_resolved(customers())
    return path
