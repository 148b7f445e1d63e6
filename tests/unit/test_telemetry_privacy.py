"""No personal data in telemetry: a realistic session over a customer whose name, email, phone,
notes and search text are known is written, then every cell of every table and the raw bytes of
the file are searched for them. Also checks the DecisionView adapters keep what metrics need."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

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
from c360tui.core.records import RecordKey
from c360tui.telemetry.events import (
    Context,
    FieldExpanded,
    QueuePresented,
    ScreenOpened,
    Search,
    SectionExpanded,
    SessionEnd,
    SessionStart,
    SplitRequested,
)
from c360tui.telemetry.reader import open_reader
from c360tui.telemetry.view_events import (
    action_taken,
    provenance_opened,
    shown_signals,
    value_flagged,
    view_opened,
)
from c360tui.telemetry.writer import TelemetryWriter

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
NAME = "Zoë Quintero-Lindqvist"
EMAIL = "zoe.quintero@lindqvist-freight.example"
PHONE_E164 = "+14155550137"
PHONE_SHOWN = "(415) 555-0137"
COMPANY = "Lindqvist Freight AB"
NOTE = "Customer furious about double-charged invoice"
SEARCHES = (PHONE_SHOWN, EMAIL, "Zoë Quin", "lindqvist")
SECRETS = (
    NAME,
    "Zoë",
    "Quintero",
    "Lindqvist",
    EMAIL,
    "zoe.quintero",
    PHONE_E164,
    "4155550137",
    "555-0137",
    COMPANY,
    NOTE,
    "furious",
    "invoice",
)


def source(value: str, system: str, record: str) -> SourceValue:
    return SourceValue(
        value=value, display=value, system=system, feed=f"{system}_x", record_id=record,
        observed_at=NOW,
    )  # fmt: skip


def signal(sid: str, text: str, trust: str, rank: int, above: bool, **extra: object) -> SignalView:
    fields: dict[str, object] = {
        "id": sid,
        "label": sid.replace("_", " ").title(),
        "kind": "attribute",
        "attribute": sid,
        "rank": rank,
        "above_fold": above,
        "value": text,
        "display": text,
        "trust": trust,
        "freshness": "fresh" if trust != "stale" else "stale",
        "age_seconds": 3600.0,
        "budget_seconds": 7 * 86400.0,
        "age_text": "1h / 7d",
        "rule": "source_priority",
        "reason": f"crm says {text}",
        "effect": "escalate when missing",
        "flagged": False,
        "provenance": source(text, "crm", "0042"),
        "alternates": [source(text.upper(), "billing", "B-17")],
        "contenders": [],
        "inputs": [],
    }
    fields.update(extra)
    return SignalView.model_validate(fields)


def customer_view() -> DecisionView:
    """A support decision view whose every display string is personal data."""
    phone = signal(
        "phone", PHONE_SHOWN, "conflicted", 2, True,
        value=None, provenance=None,
        contenders=[source(PHONE_E164, "crm", "0042"), source("+14155550199", "billing", "B-17")],
    )  # fmt: skip
    return DecisionView(
        view="support_case",
        spec_version="1",
        role="support",
        decision="Can I close this case without escalating?",
        customer_id="C-000042",
        display_name=NAME,
        subtitle=f"{COMPANY} · {EMAIL}",
        as_of=NOW,
        signals=[
            signal("email", EMAIL, "trusted", 1, True),
            phone,
            signal("company", COMPANY, "unverified", 3, False),
        ],
        fold=2,
        sections=[
            DetailSection(
                id="contact",
                title="Contact",
                signals=[signal("first_name", "Zoë", "trusted", 1, False)],
                columns=[],
                rows=[],
            ),
            DetailSection(
                id="tickets",
                title="Tickets",
                signals=[],
                columns=["id", "note"],
                rows=[
                    CollectionRow(cells=["T-9", NOTE], provenance=source(NOTE, "support", "T-9"))
                ],
            ),
        ],
        recommendation=Recommendation(action="escalate", label="Escalate", reasons=[NOTE]),
        agent=AgentVerdict(ready=False, reasons=[f"phone of {NAME} is conflicted"]),
        actions=[
            ActionView(id="escalate", key="x", label="Escalate", primary=True, recommended=True),
            ActionView(id="resolve", key="r", label="Resolve", primary=False, recommended=False),
        ],
        identity_records=2,
        held_merges=0,
    )


def write_session(path: Path) -> None:
    view = customer_view()
    ctx = Context.start(rep="rep-7f3a").with_view("support", "support_case", "1")
    with TelemetryWriter(path, wall=lambda: NOW) as writer:
        writer.record(SessionStart(ctx, app_version="0.1.0", columns=80, rows=24))
        writer.record(ScreenOpened(ctx, screen="support"))
        for query in SEARCHES:
            writer.record(Search.of_query(ctx, query, ["C-000042", "C-000107"]))
        writer.record(view_opened(ctx, view, via="search"))
        writer.record(SectionExpanded(ctx, customer_id=view.customer_id, section_id="tickets"))
        writer.record(FieldExpanded(ctx, customer_id=view.customer_id, signal_id="phone"))
        writer.record(provenance_opened(ctx, view, "phone"))
        writer.record(value_flagged(ctx, view, "email"))
        left, right = RecordKey("crm_contacts", "0042"), RecordKey("billing_accounts", "B-17")
        writer.record(SplitRequested(ctx, view.customer_id, left, right))
        writer.record(action_taken(ctx, view, "resolve", 41_250))
        writer.record(QueuePresented(ctx, queue="sdr_morning", customer_ids=("C-000042",)))
        writer.record(SessionEnd(ctx))


def test_no_name_email_phone_note_or_search_text_reaches_the_file(tmp_path: Path) -> None:
    path = tmp_path / "telemetry.db"
    write_session(path)
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    cells = [
        str(cell).casefold()
        for table in tables
        for row in conn.execute(f'SELECT * FROM "{table}"')
        for cell in row
    ]
    conn.close()
    assert len(cells) > 100  # the session really was written
    for secret in (*SECRETS, *SEARCHES):
        assert not any(secret.casefold() in cell for cell in cells), secret
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    for secret in (*SECRETS, *SEARCHES):
        assert secret.encode() not in raw, secret


def test_the_session_keeps_what_the_metrics_need(tmp_path: Path) -> None:
    path = tmp_path / "telemetry.db"
    write_session(path)
    with open_reader(path) as reader:
        by_type = {r.type: r.event for r in reader.events()}
    opened = by_type["view_opened"]
    assert opened.customer_id == "C-000042"  # type: ignore[attr-defined]
    assert opened.recommended_action == "escalate"  # type: ignore[attr-defined]
    assert opened.above_fold == ("email", "phone")  # type: ignore[attr-defined]
    trust = {s.id: (s.trust, s.section) for s in opened.signals}  # type: ignore[attr-defined]
    assert trust == {
        "email": ("trusted", None),
        "phone": ("conflicted", None),
        "company": ("unverified", None),
        "first_name": ("trusted", "contact"),
    }
    action = by_type["action_taken"]
    assert action.override and action.ms_since_view == 41_250  # type: ignore[attr-defined]
    assert [(s.id, s.trust) for s in action.deciding] == [  # type: ignore[attr-defined]
        ("email", "trusted"),
        ("phone", "conflicted"),
    ]
    flagged = by_type["value_flagged"]
    assert (flagged.attribute, flagged.trust, flagged.source_system) == (  # type: ignore[attr-defined]
        "email",
        "trusted",
        "crm",
    )
    assert by_type["provenance_opened"].trust == "conflicted"  # type: ignore[attr-defined]
    assert by_type["search"].query_kind == "name"  # type: ignore[attr-defined]
    assert by_type["session_end"].ctx.rep == "rep-7f3a"


def test_shown_signals_marks_detail_signals_with_their_section() -> None:
    shown = shown_signals(customer_view())
    assert [(s.id, s.above_fold, s.section) for s in shown] == [
        ("email", True, None),
        ("phone", True, None),
        ("company", False, None),
        ("first_name", False, "contact"),
    ]
    assert shown[0].age_seconds == 3600.0 and shown[0].budget_seconds == 7 * 86400.0


def test_flagging_a_conflicted_value_names_no_source_and_keeps_its_trust() -> None:
    ctx = Context.start(rep="rep-7f3a")
    flagged = value_flagged(ctx, customer_view(), "phone")
    assert (flagged.attribute, flagged.trust) == ("phone", "conflicted")
    assert flagged.source_system is None
    assert (flagged.ctx.role, flagged.ctx.view, flagged.ctx.spec_version) == (
        "support",
        "support_case",
        "1",
    )
