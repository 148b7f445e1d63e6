"""Decision view flows: why, flag, identity and split, sections, help, the fold, the palette."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import AppFactory, settle
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Collapsible, DataTable
from tui_fakes import FakeBackend, ListRecorder

from c360tui.core.records import RecordKey
from c360tui.tui.screens.help import HelpScreen
from c360tui.tui.screens.identity import IdentityScreen
from c360tui.tui.screens.support import CustomerScreen
from c360tui.tui.screens.why import WhyScreen
from c360tui.tui.widgets.decision_view import DecisionPanel, SignalRow

pytestmark = pytest.mark.asyncio


async def open_customer(app: App[None], pilot: Pilot[Any], query: str = "dana") -> None:
    """From the support lookup, search and open the first result."""
    await pilot.press(*query)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, CustomerScreen)


def texts(screen: object, selector: str) -> list[str]:
    return [str(widget.render()) for widget in screen.query(selector)]


async def test_why_explains_the_focused_signal(
    make_app: AppFactory, recorder: ListRecorder
) -> None:
    app = make_app("support")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_customer(app, pilot)
        await pilot.press("down", "down", "down")  # open_sev1 → plan → payment → email
        assert isinstance(app.focused, SignalRow)
        assert app.focused.signal.id == "email"
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WhyScreen)
        fields = texts(app.screen, ".why-field")
        assert "Why this state: crm and billing disagree within 30 days of each other" in fields
        assert "Rule: source_priority" in fields
        contenders = app.screen.query_one(".contenders", DataTable)
        values = [str(contenders.get_row_at(i)[0]) for i in range(contenders.row_count)]
        assert values == ["dana@northwind.example", "d.whitfield@northwind.example"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CustomerScreen)
    (event,) = recorder.of("provenance_opened")
    assert (event.signal_id, event.trust) == ("email", "conflicted")


async def test_why_shows_the_whole_value_the_row_cuts(
    make_app: AppFactory, backend: FakeBackend
) -> None:
    long_value = "x" * 400 + "END"
    original = backend.decision

    def decision(view: str, customer_id: str, now: object) -> object:
        view_model = original(view, customer_id, now)
        signals = list(view_model.signals)
        signals[1] = signals[1].model_copy(update={"display": long_value})
        return view_model.model_copy(update={"signals": signals})

    backend.decision = decision  # type: ignore[method-assign]
    app = make_app("support")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_customer(app, pilot)
        row = app.screen.query(SignalRow)[1]
        shown = str(row.query_one(".signal-value").render())
        assert shown.endswith("…") and "END" not in shown
        await pilot.press("down", "w")
        await pilot.pause()
        assert f"Value: {long_value}" in texts(app.screen, ".why-field")


async def test_flag_marks_the_value_wrong_and_records_it(
    make_app: AppFactory, backend: FakeBackend, recorder: ListRecorder
) -> None:
    app = make_app("support")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_customer(app, pilot)
        await pilot.press("down", "down")  # payment_status (stale)
        await pilot.press("exclamation_mark")
        await settle(pilot)
        row = app.focused
        assert isinstance(row, SignalRow) and row.signal.id == "payment_status"
        badge = str(row.query_one(".trust").render())
        assert badge == "⚑ flagged"
        assert row.query_one(".trust").has_class("trust-flagged")
    assert backend.flags == {("cus_001", "payment_status")}
    (event,) = recorder.of("value_flagged")
    assert (event.signal_id, event.attribute, event.trust, event.source_system) == (
        "payment_status",
        "payment_status",
        "stale",
        "crm",
    )


async def test_a_flag_is_shown_the_next_time_the_customer_opens(
    make_app: AppFactory, backend: FakeBackend
) -> None:
    backend.flags.add(("cus_001", "plan"))
    app = make_app("support")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_customer(app, pilot)
        plan = next(r for r in app.screen.query(SignalRow) if r.signal.id == "plan")
        assert str(plan.query_one(".trust").render()) == "⚑ flagged"


async def test_identity_lists_records_and_merges_and_records_a_split(
    make_app: AppFactory, backend: FakeBackend, recorder: ListRecorder
) -> None:
    app = make_app("support")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_customer(app, pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, IdentityScreen)
        status = str(app.screen.query_one("#identity-status").render())
        assert status == "3 source records · 2 merges · 1 held"
        merges = app.screen.query_one("#identity-merges", DataTable)
        assert str(merges.get_row_at(1)[3]) == "phone e164 1.00; last_name jaro_winkler 0.93"
        await pilot.press("down", "n")
        await settle(pilot)
        assert str(merges.get_row_at(1)[4]) == "✂ split requested"
    crm, support = RecordKey("crm_contacts", "C-100"), RecordKey("support_tickets", "T-1001")
    assert backend.splits == [("cus_001", crm, support)]
    (event,) = recorder.of("split_requested")
    assert (event.left, event.right) == (crm, support)


async def test_sections_open_with_the_keyboard_and_are_recorded(
    make_app: AppFactory, recorder: ListRecorder
) -> None:
    app = make_app("support")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_customer(app, pilot)
        tickets = app.screen.query_one("#section-tickets", Collapsible)
        assert tickets.collapsed
        tickets.query_one("CollapsibleTitle").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert not tickets.collapsed
        table = tickets.query_one(DataTable)
        assert str(table.get_row_at(0)[1]) == "Checkout down [URGENT]"
        await pilot.press("enter")
        await pilot.pause()
        assert tickets.collapsed
    assert [(e.type, e.section_id) for e in recorder.events if "section" in e.type] == [
        ("section_expanded", "tickets"),
        ("section_collapsed", "tickets"),
    ]


async def test_sections_open_with_the_mouse(make_app: AppFactory) -> None:
    app = make_app("support")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_customer(app, pilot)
        await pilot.click("#section-contact CollapsibleTitle")
        await pilot.pause()
        assert not app.screen.query_one("#section-contact", Collapsible).collapsed


async def test_clicking_an_action_button_acts(make_app: AppFactory, recorder: ListRecorder) -> None:
    app = make_app("support")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_customer(app, pilot)
        await pilot.click(".action.recommended")
        await pilot.pause()
        assert not isinstance(app.screen, CustomerScreen)
    (event,) = recorder.of("action_taken")
    assert (event.action, event.override) == ("escalate", False)


async def test_help_lists_this_screens_keys_and_the_specs_actions(make_app: AppFactory) -> None:
    app = make_app("support")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_customer(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-keys", DataTable)
        rows = {
            str(table.get_row_at(i)[0]): str(table.get_row_at(i)[1]) for i in range(table.row_count)
        }
        assert rows["x"] == "Escalate (recommended)"
        assert rows["r"] == "Resolve"
        assert rows["w"] == "Why"
        assert rows["!"] == "Wrong"
        assert rows["i"] == "Identity"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CustomerScreen)


async def test_the_fold_adapts_to_a_small_terminal(make_app: AppFactory) -> None:
    app = make_app("support")
    async with app.run_test(size=(80, 16)) as pilot:
        await open_customer(app, pilot)
        panel = app.screen.query_one(DecisionPanel)
        fold = panel.query(".fold-signals SignalRow")
        assert 1 <= len(fold) < 6, "fewer signals stand above the fold on a short screen"
        more = panel.query_one("#section-more-signals", Collapsible)
        assert str(more.query_one("CollapsibleTitle").render()).endswith(
            f"More signals ({8 - len(fold)})"
        )
        actions = panel.query_one(".action-bar")
        assert actions.region.bottom <= app.screen.query_one("Footer").region.y
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert len(panel.query(".fold-signals SignalRow")) == 6


async def test_the_palette_offers_screens_and_actions(make_app: AppFactory) -> None:
    app = make_app("support")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_customer(app, pilot)
        screen = app.screen
        assert isinstance(screen, CustomerScreen)
        titles = [title for title, _, _ in screen.palette_commands()]
        assert "action: Escalate (recommended)" in titles
        assert "why: focused signal" in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"escalate")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, CustomerScreen), "the palette ran the action"


async def test_a_failed_load_is_one_sentence_and_no_crash(
    make_app: AppFactory, backend: FakeBackend
) -> None:
    backend.fail_decisions = True
    app = make_app("support")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press(*"dana")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, CustomerScreen)
        toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
        assert toasts == ["c360\nThe store is locked by another process; try again in a moment."]
        assert app.is_running
