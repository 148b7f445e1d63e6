"""Fixed data for the screen tests: hand-made DecisionViews, a fake Backend, a list recorder.

The views are built directly from the pydantic models so the screens are tested against exactly
what core promises, independently of how core computes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from c360tui.core.customer import FieldEvidence, HeldMerge, MergeEvidence
from c360tui.core.decision_model import (
    ActionView,
    AgentVerdict,
    CollectionRow,
    DecisionView,
    DetailSection,
    Recommendation,
    SignalView,
    SourceValue,
)
from c360tui.core.records import AttrValue, RecordKey
from c360tui.errors import C360Error
from c360tui.telemetry.events import Event
from c360tui.tui.backend import (
    IdentityDetail,
    QueueItem,
    QueueSnapshot,
    QueueState,
    SearchResult,
    SourceRecordRow,
)

NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)

HOSTILE_NAMES = {
    "click": "[@click=app.quit]Call[/]",
    "close_tag": "Smith [/] Jones",
    "brackets": "ACME [UK] Ltd",
    "escape": "Eve \x1b[31mRed\x1b[0m \x9b2J",
    "bidi": "Mallory \u202egnp.exe",
    "zero_width": "Zoë\u200b\u200dZero\ufeff",
}

DAY = 86400.0


def source(display: str, record: str, system: str = "crm", days_ago: float = 5) -> SourceValue:
    return SourceValue(
        value=display,
        display=display,
        system=system,
        feed=f"{system}_contacts",
        record_id=record,
        observed_at=NOW - timedelta(days=days_ago),
    )


def signal(
    signal_id: str,
    label: str,
    display: str,
    trust: str = "trusted",
    *,
    rank: int = 1,
    above_fold: bool = True,
    value: AttrValue | None = None,
    age: str = "5d / 7d",
    flagged: bool = False,
    kind: str = "attribute",
    alternates: list[SourceValue] | None = None,
    contenders: list[SourceValue] | None = None,
    reason: str = "",
    series: list[float] | None = None,
) -> SignalView:
    freshness = {"stale": "stale", "missing": "unknown"}.get(trust, "fresh")
    return SignalView(
        id=signal_id,
        label=label,
        kind=kind,  # type: ignore[arg-type]
        attribute=signal_id if kind == "attribute" else None,
        rank=rank,
        above_fold=above_fold,
        value=display if value is None and trust not in {"missing", "conflicted"} else value,
        display=display,
        trust=trust,  # type: ignore[arg-type]
        freshness=freshness,  # type: ignore[arg-type]
        age_seconds=5 * DAY,
        budget_seconds=7 * DAY,
        age_text=age,
        rule="source_priority",
        reason=reason,
        effect="raises the case for escalation",
        flagged=flagged,
        provenance=None if trust in {"missing", "conflicted"} else source(display, f"C-{rank:03d}"),
        alternates=alternates or [],
        contenders=contenders or [],
        inputs=["ticket_severity", "ticket_status"] if kind == "derived" else [],
        series=series,
    )


def support_view(
    customer_id: str = "cus_001", name: str = "Dana Whitfield", company: str = "Northwind Traders"
) -> DecisionView:
    signals = [
        signal(
            "open_sev1",
            "Open sev-1 tickets",
            "1 open for 3d",
            kind="derived",
            rank=1,
            age="2h / 1d",
        ),
        signal("plan", "Plan", "enterprise", rank=2, age="12d / 90d"),
        signal(
            "payment_status",
            "Payment status",
            "past_due",
            "stale",
            rank=3,
            age="40d / 30d",
            reason="billing last changed this 40 days ago; the budget is 30 days",
        ),
        signal(
            "email",
            "Email",
            "dana@northwind.example vs d.whitfield@northwind.example",
            "conflicted",
            rank=4,
            age="3d / 30d",
            contenders=[
                source("dana@northwind.example", "C-100"),
                source("d.whitfield@northwind.example", "B-200", system="billing", days_ago=3),
            ],
            reason="crm and billing disagree within 30 days of each other",
        ),
        signal("phone", "Phone", "no value", "missing", rank=5, age="— / 30d"),
        signal("csat", "Last CSAT", "2 of 5", "unverified", rank=6, age="9d / 30d"),
        signal("arr", "ARR", "$180,000", rank=7, above_fold=False, age="12d / 90d"),
        signal("owner", "Account owner", "Priya Raman", rank=8, above_fold=False, age="30d / 90d"),
    ]
    sections = [
        DetailSection(
            id="contact",
            title="Contact",
            signals=[signal("title", "Job title", "Head of Operations", rank=9, above_fold=False)],
            columns=[],
            rows=[],
        ),
        DetailSection(
            id="tickets",
            title="Tickets",
            signals=[],
            columns=["Ticket", "Subject", "Severity", "Status"],
            rows=[
                CollectionRow(
                    cells=["T-1001", "Checkout down [URGENT]", "sev1", "open"],
                    provenance=source("T-1001", "T-1001", system="support", days_ago=3),
                ),
                CollectionRow(
                    cells=["T-0950", "Invoice question", "sev3", "solved"],
                    provenance=source("T-0950", "T-0950", system="support", days_ago=20),
                ),
            ],
        ),
        DetailSection(id="activity", title="Activity", signals=[], columns=[], rows=[]),
    ]
    return DecisionView(
        view="support_close_case",
        spec_version="1",
        role="support",
        decision="Can I close this case without escalating?",
        customer_id=customer_id,
        display_name=name,
        subtitle=company,
        as_of=NOW,
        signals=signals,
        fold=6,
        sections=sections,
        recommendation=Recommendation(
            action="escalate", label="Escalate", reasons=["enterprise tier", "sev-1 open 3 days"]
        ),
        agent=AgentVerdict(ready=False, reasons=["email is conflicted", "payment status is stale"]),
        actions=[
            ActionView(id="escalate", key="x", label="Escalate", primary=False, recommended=True),
            ActionView(id="resolve", key="r", label="Resolve", primary=True, recommended=False),
        ],
        identity_records=3,
        held_merges=0,
    )


def sdr_view(customer_id: str, name: str, company: str, intent: int) -> DecisionView:
    signals = [
        signal("intent_score", "Intent score", str(intent), rank=1, age="3h / 1d"),
        signal("last_touch", "Days since touch", "2d", kind="derived", rank=2, age="2d / 7d"),
        signal("do_not_contact", "Do not contact", "no", rank=3, age="20d / 365d"),
        signal("timezone", "Local time", "09:30 America/New_York", rank=4, age="20d / 90d"),
        signal("lead_status", "Lead status", "new", rank=5, age="1d / 7d"),
    ]
    call = intent >= 50
    return DecisionView(
        view="sdr_call_now",
        spec_version="1",
        role="sdr",
        decision="Should I call this lead in the next hour?",
        customer_id=customer_id,
        display_name=name,
        subtitle=company,
        as_of=NOW,
        signals=signals,
        fold=4,
        sections=[DetailSection(id="contact", title="Contact", signals=[], columns=[], rows=[])],
        recommendation=Recommendation(
            action="call" if call else "email",
            label="Call" if call else "Email",
            reasons=[f"intent {intent}", "touched 2 days ago"],
        ),
        agent=AgentVerdict(ready=True, reasons=[]),
        actions=[
            ActionView(id="call", key="c", label="Call", primary=True, recommended=call),
            ActionView(id="email", key="e", label="Email", primary=False, recommended=not call),
            ActionView(id="snooze", key="s", label="Snooze", primary=False, recommended=False),
            ActionView(
                id="disqualify", key="d", label="Disqualify", primary=False, recommended=False
            ),
        ],
        identity_records=2,
        held_merges=0,
    )


def csm_view(customer_id: str, name: str, usage: list[float]) -> DecisionView:
    signals = [
        signal(
            "usage_trend",
            "Usage trend",
            f"{(usage[-1] - usage[0]) / usage[0] * 100:+.0f}% (8w)",
            value=round((usage[-1] - usage[0]) / usage[0] * 100, 1),
            series=usage,
            kind="derived",
            rank=1,
            age="4d / 7d",
        ),
        signal("payment_status", "Payment status", "current", rank=2, age="3d / 30d"),
        signal("renewal", "Renewal", "in 45 days", rank=3, age="10d / 90d"),
        signal(
            "open_tickets", "Open tickets", "2 (1 sev-2)", kind="derived", rank=4, age="1d / 1d"
        ),
    ]
    return DecisionView(
        view="csm_at_risk",
        spec_version="1",
        role="csm",
        decision="Is this account at risk?",
        customer_id=customer_id,
        display_name=name,
        subtitle="growth plan",
        as_of=NOW,
        signals=signals,
        fold=4,
        sections=[],
        recommendation=Recommendation(
            action="save_play", label="Start save play", reasons=["usage down 60% in 8 weeks"]
        ),
        agent=AgentVerdict(ready=False, reasons=["usage has no timestamp"]),
        actions=[
            ActionView(
                id="save_play", key="p", label="Start save play", primary=True, recommended=True
            ),
            ActionView(
                id="healthy", key="h", label="Mark healthy", primary=False, recommended=False
            ),
        ],
        identity_records=1,
        held_merges=0,
    )


SUPPORT_CUSTOMERS = [
    SearchResult("cus_001", "Dana Whitfield", "Northwind Traders", "phone +14155550100"),
    SearchResult("cus_002", HOSTILE_NAMES["click"], HOSTILE_NAMES["brackets"], "name"),
    SearchResult("cus_003", HOSTILE_NAMES["close_tag"], "Smith & Jones", "name"),
    SearchResult("cus_004", HOSTILE_NAMES["escape"], HOSTILE_NAMES["bidi"], "email"),
    SearchResult("cus_005", HOSTILE_NAMES["zero_width"], "Zero Width GmbH", "company"),
]

LEADS = [
    ("lead_01", "Alex Moreno", "Brightline Labs", 88),
    ("lead_02", HOSTILE_NAMES["click"], HOSTILE_NAMES["brackets"], 74),
    ("lead_03", "Sam Okafor", "Okafor Freight", 61),
    ("lead_04", "Jo Lindqvist", "Nordic Pine AB", 42),
    ("lead_05", "Priya Shah", "Shah Analytics", 35),
]

ACCOUNTS = [
    ("acct_01", "Fernhill Logistics", [420.0, 400, 380, 300, 260, 210, 190, 160]),
    ("acct_02", "Quayside Media", [300.0, 310, 290, 280, 240, 250, 230, 220]),
    ("acct_03", "Smith [/] Jones", [100.0, 120, 110, 130, 125, 140, 150, 160]),
]


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


@dataclass
class FakeBackend:
    """An in-memory Backend with fixed customers that records every write."""

    settled: dict[tuple[str, str], tuple[QueueState, str]] = field(default_factory=dict)
    flags: set[tuple[str, str]] = field(default_factory=set)
    splits: list[tuple[str, RecordKey, RecordKey]] = field(default_factory=list)
    fail_decisions: bool = False

    def describe(self) -> dict[str, str]:
        return {"store": "/tmp/c360-test/c360.db"}

    def search(self, query: str, limit: int) -> list[SearchResult]:
        needle = query.strip().casefold()
        if needle == "*":
            return SUPPORT_CUSTOMERS[:limit]
        digits = _digits(query)
        hits = [
            result
            for result in SUPPORT_CUSTOMERS
            if needle in result.name.casefold()
            or needle in result.company.casefold()
            or (len(digits) >= 7 and digits[-10:] in _digits(result.matched))
        ]
        return hits[:limit]

    def decision(self, view: str, customer_id: str, now: datetime) -> DecisionView:
        if self.fail_decisions:
            raise C360Error("The store is locked by another process; try again in a moment.")
        if view == "support_close_case":
            result = next(r for r in SUPPORT_CUSTOMERS if r.customer_id == customer_id)
            decision = support_view(customer_id, result.name, result.company)
        elif view == "sdr_call_now":
            lead = next(lead for lead in LEADS if lead[0] == customer_id)
            decision = sdr_view(*lead)
        else:
            account = next(a for a in ACCOUNTS if a[0] == customer_id)
            decision = csm_view(*account)
        return self._with_flags(decision)

    def _with_flags(self, decision: DecisionView) -> DecisionView:
        flagged = {
            signal_id for customer, signal_id in self.flags if customer == decision.customer_id
        }
        if not flagged:
            return decision
        signals = [s.model_copy(update={"flagged": s.id in flagged}) for s in decision.signals]
        return decision.model_copy(update={"signals": signals})

    def queue(self, view: str, now: datetime) -> QueueSnapshot:
        if view == "sdr_call_now":
            everyone = [QueueItem(c, n, f"{co} · intent {i}") for c, n, co, i in LEADS]
        else:
            everyone = [QueueItem(c, n, "usage falling") for c, n, _ in ACCOUNTS]
        open_items = [item for item in everyone if (view, item.customer_id) not in self.settled]
        return QueueSnapshot(view, open_items, len(everyone) - len(open_items), len(everyone))

    def settle(
        self, view: str, customer_id: str, state: QueueState, action: str, now: datetime
    ) -> None:
        self.settled[(view, customer_id)] = (state, action)

    def flag(self, view: str, customer_id: str, signal_id: str, attribute: str | None) -> None:
        self.flags.add((customer_id, signal_id))

    def identity(self, customer_id: str) -> IdentityDetail:
        crm = RecordKey("crm_contacts", "C-100")
        billing = RecordKey("billing_accounts", "B-200")
        support = RecordKey("support_tickets", "T-1001")
        return IdentityDetail(
            customer_id=customer_id,
            records=[
                SourceRecordRow(
                    crm, "crm", NOW - timedelta(days=5), "Dana Whitfield · dana@northwind.example"
                ),
                SourceRecordRow(
                    billing, "billing", NOW - timedelta(days=3), HOSTILE_NAMES["click"]
                ),
                SourceRecordRow(support, "support", None, "Checkout down"),
            ],
            merges=[
                MergeEvidence(
                    crm, billing, "email_exact", (FieldEvidence("email", "normalized", 1.0),)
                ),
                MergeEvidence(
                    crm,
                    support,
                    "phone_and_name",
                    (
                        FieldEvidence("phone", "e164", 1.0),
                        FieldEvidence("last_name", "jaro_winkler", 0.93),
                    ),
                ),
            ],
            held=[
                HeldMerge(
                    billing,
                    RecordKey("billing_accounts", "B-999"),
                    "email_exact",
                    "two billing account ids",
                )
            ],
        )

    def split(self, customer_id: str, left: RecordKey, right: RecordKey) -> None:
        self.splits.append((customer_id, left, right))


@dataclass
class ListRecorder:
    """A telemetry Recorder that keeps the typed events in a list; its clock moves 250 ms a read."""

    events: list[Event] = field(default_factory=list)
    ticks: int = 0

    def record(self, event: Event) -> None:
        self.events.append(event)

    def flush(self, timeout: float | None = None) -> bool:
        return True

    def close(self, timeout: float | None = None) -> None:
        return None

    def now_ns(self) -> int:
        self.ticks += 1
        return self.ticks * 250_000_000

    def types(self) -> list[str]:
        return [event.type for event in self.events]

    def of(self, event_type: str) -> list[Any]:
        return [event for event in self.events if event.type == event_type]
