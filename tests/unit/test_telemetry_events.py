"""Telemetry events: only ids, states, counts and lengths get in; every type round-trips."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import get_args

import pytest

from c360tui.core import decision_model
from c360tui.core.records import RecordKey
from c360tui.telemetry.checks import MAX_IDS
from c360tui.telemetry.events import (
    EVENT_CLASSES,
    FRESHNESS_STATES,
    TRUST_STATES,
    ActionTaken,
    Context,
    Event,
    FieldCollapsed,
    FieldExpanded,
    ProvenanceOpened,
    QueuePresented,
    ScreenOpened,
    Search,
    SectionCollapsed,
    SectionExpanded,
    SessionEnd,
    SessionStart,
    ShownSignal,
    SignalTrust,
    SplitRequested,
    ValueFlagged,
    ViewOpened,
    customer_of,
    default_rep_id,
    query_kind,
)
from c360tui.telemetry.payload import from_payload, to_payload
from c360tui.telemetry.schema import EVENT_TYPES

CTX = Context("s1", "rep", "rep-a", role="sdr", view="sdr_morning", spec_version="2")


def one_of_each() -> list[Event]:
    """A sample of every event type with every optional part filled."""
    signal = ShownSignal(
        "intent_score", "stale", "stale", 1, True, None, 90_000.0, 86_400.0, budget="24h"
    )
    detail = ShownSignal("first_name", "trusted", "fresh", 1, False, section="contact")
    return [
        SessionStart(CTX, app_version="0.1.0", columns=80, rows=24),
        SessionEnd(CTX, reason="interrupted"),
        ScreenOpened(CTX, screen="sdr"),
        ViewOpened(CTX, "C-000042", "queue", (signal, detail), "call", agent_ready=True),
        SectionExpanded(CTX, customer_id="C-000042", section_id="contact"),
        SectionCollapsed(CTX, customer_id="C-000042", section_id="contact"),
        FieldExpanded(CTX, customer_id="C-000042", signal_id="intent_score"),
        FieldCollapsed(CTX, customer_id="C-000042", signal_id="intent_score"),
        ProvenanceOpened(CTX, customer_id="C-000042", signal_id="intent_score", trust="stale"),
        ValueFlagged(CTX, "C-000042", "email", "email", "conflicted", "crm"),
        ActionTaken(CTX, "C-000042", "snooze", "call", 5400, (SignalTrust("x", "stale", "stale"),)),
        Search(CTX, result_count=3, query_length=12, query_kind="phone", customer_ids=("C-1",)),
        QueuePresented(CTX, queue="sdr_morning", customer_ids=("C-1", "C-2")),
        SplitRequested(
            CTX, "C-000042", RecordKey("crm_contacts", "7"), RecordKey("billing", "B-9")
        ),
    ]


def test_every_event_type_round_trips_through_its_json_payload() -> None:
    events = one_of_each()
    assert {e.type for e in events} == set(EVENT_CLASSES) == set(EVENT_TYPES)
    for event in events:
        payload = json.loads(json.dumps(to_payload(event)))
        assert from_payload(event.type, CTX, payload) == event


def test_payload_carries_the_derived_columns_plain_sql_needs() -> None:
    action = ActionTaken(CTX, "C-1", "snooze", "call", 10)
    assert to_payload(action)["override"] is True
    assert ActionTaken(CTX, "C-1", "call", "call", 10).override is False
    shown = [
        ShownSignal("a", "trusted", "fresh", 1, True),
        ShownSignal("b", "trusted", "fresh", 2, False),
        ShownSignal("c", "trusted", "fresh", 3, True),
    ]
    assert to_payload(ViewOpened(CTX, "C-1", "search", tuple(shown), "call"))["above_fold"] == [
        "a",
        "c",
    ]


@pytest.mark.parametrize(
    "text",
    ["Zoë Quintero", "zoe@example.org", "+1 415 555 0137", "(415) 555-0137", "", " C-1", "a" * 200],
)
def test_text_that_is_not_an_id_is_refused_without_being_echoed(text: str) -> None:
    for build in (
        lambda: ScreenOpened(CTX, screen=text),
        lambda: FieldExpanded(CTX, customer_id=text, signal_id="email"),
        lambda: FieldExpanded(CTX, customer_id="C-1", signal_id=text),
        lambda: QueuePresented(CTX, queue="q", customer_ids=("C-1", text)),
        lambda: Context("s1", "rep", text),
        lambda: ShownSignal("email", "trusted", "fresh", 1, True, budget=text),
    ):
        with pytest.raises(ValueError) as refused:
            build()
        if text:
            assert text not in str(refused.value)


def test_states_and_counts_are_checked() -> None:
    with pytest.raises(ValueError):
        ProvenanceOpened(CTX, customer_id="C-1", signal_id="email", trust="pretty sure")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Search(CTX, result_count=-1, query_length=3, query_kind="name")
    with pytest.raises(ValueError):
        ActionTaken(CTX, "C-1", "call", "call", ms_since_view=True)
    with pytest.raises(ValueError):
        Context("s1", "robot", "rep-a")  # type: ignore[arg-type]


def test_search_keeps_length_and_kind_never_the_text() -> None:
    event = Search.of_query(CTX, " (415) 555-0137 ", ["C-1", "C-2"])
    payload = to_payload(event)
    assert payload == {
        "result_count": 2,
        "query_length": 14,
        "query_kind": "phone",
        "customer_ids": ["C-1", "C-2"],
    }
    assert "555" not in json.dumps(payload)


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("(415) 555-0100", "phone"),
        ("+14155550100", "phone"),
        ("415.555.0100", "phone"),
        ("Bob.Smith@Example.COM", "email"),
        ("bob@", "email"),
        ("ACC-10023", "account_id"),
        ("10023", "account_id"),
        ("Bob Smith", "name"),
        ("ACME [UK] Ltd", "name"),
        ("   ", "empty"),
    ],
)
def test_query_kind(query: str, kind: str) -> None:
    assert query_kind(query) == kind


def test_long_id_lists_are_capped_but_the_total_is_kept() -> None:
    ids = tuple(f"C-{i}" for i in range(MAX_IDS + 50))
    queue = QueuePresented(CTX, queue="sdr_morning", customer_ids=ids)
    assert queue.total == MAX_IDS + 50
    assert len(queue.customer_ids) == MAX_IDS
    search = Search.of_query(CTX, "smith", ids)
    assert search.result_count == MAX_IDS + 50
    assert len(search.customer_ids) == MAX_IDS


def test_customer_of_names_the_customer_for_customer_events_only() -> None:
    by_type = {e.type: customer_of(e) for e in one_of_each()}
    assert by_type["view_opened"] == "C-000042"
    assert by_type["split_requested"] == "C-000042"
    assert by_type["search"] is None
    assert by_type["session_start"] is None


def test_context_start_and_rep_id_are_pseudonymous() -> None:
    ctx = Context.start(rep=default_rep_id("alice.smith"))
    assert ctx.actor == "rep"
    assert ctx.rep == default_rep_id("alice.smith") != default_rep_id("bob")
    assert "alice" not in ctx.rep
    assert Context.start().session_id != ctx.session_id
    moved = ctx.with_view("support", "support_case", "1")
    assert (moved.session_id, moved.role, moved.view) == (ctx.session_id, "support", "support_case")


def test_states_match_the_decision_model_and_recording_stays_light() -> None:
    assert set(get_args(decision_model.TrustState)) == TRUST_STATES
    assert set(get_args(decision_model.FreshnessState)) == FRESHNESS_STATES
    code = (
        "import sys, c360tui.telemetry.writer, c360tui.telemetry.reader\n"
        "heavy = {'pydantic', 'sqlmodel', 'textual'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
