"""Support lookup flows: search as you type, open, act, and back to an empty search."""

from __future__ import annotations

import pytest
from conftest import AppFactory, settle
from textual.widgets import DataTable, Input, Static
from tui_fakes import ListRecorder

from c360tui.tui.screens.support import CustomerScreen, SupportScreen
from c360tui.tui.widgets.decision_view import DecisionPanel, SignalRow

pytestmark = pytest.mark.asyncio


def cell_texts(table: DataTable[object]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_focus_starts_in_search_and_results_follow_every_keystroke(
    make_app: AppFactory, recorder: ListRecorder
) -> None:
    app = make_app("support")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press(*"nor")
        await settle(pilot)
        table = app.screen.query_one("#results", DataTable)
        assert cell_texts(table) == [["Dana Whitfield", "Northwind Traders", "phone +14155550100"]]
        status = app.screen.query_one("#search-status", Static)
        assert "1 result" in str(status.render())
        await pilot.press("backspace", "backspace", "backspace", *"(415) 555-0100")
        await settle(pilot)
        assert cell_texts(table)[0][0] == "Dana Whitfield"
    searches = recorder.of("search")
    assert searches, "every finished search is recorded"
    phone_search = searches[-1]
    assert phone_search.query_kind == "phone"
    assert phone_search.query_length == len("(415) 555-0100")
    assert phone_search.customer_ids == ("cus_001",)
    # The query text itself is never kept.
    assert all("415" not in repr(event) for event in recorder.events)


async def test_enter_opens_the_decision_and_an_action_returns_to_an_empty_search(
    make_app: AppFactory, recorder: ListRecorder
) -> None:
    app = make_app("support")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"dana")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        panel = app.screen.query_one(DecisionPanel)
        sentence = panel.query_one(".decision-sentence", Static)
        assert str(sentence.render()) == "Can I close this case without escalating?"
        recommendation = str(panel.query_one(".recommendation", Static).render())
        assert recommendation == "★ ESCALATE: enterprise tier; sev-1 open 3 days"
        assert isinstance(app.focused, SignalRow)
        await pilot.press("r")  # resolve: not what the view recommends
        await pilot.pause()
        assert isinstance(app.screen, SupportScreen)
        assert app.screen.query_one("#search", Input).value == ""
        assert app.screen.query_one("#results", DataTable).row_count == 0
        assert isinstance(app.focused, Input)
    opened = recorder.of("view_opened")
    assert [(e.customer_id, e.via) for e in opened] == [("cus_001", "search")]
    assert opened[0].recommended_action == "escalate"
    assert [s.trust for s in opened[0].signals][:6] == [
        "trusted",
        "trusted",
        "stale",
        "conflicted",
        "missing",
        "unverified",
    ]
    (action,) = recorder.of("action_taken")
    assert (action.action, action.recommended_action, action.override) == (
        "resolve",
        "escalate",
        True,
    )
    assert action.ms_since_view > 0
    assert {s.id: s.trust for s in action.deciding}["payment_status"] == "stale"


async def test_escape_on_a_customer_goes_back_with_the_query_kept(make_app: AppFactory) -> None:
    app = make_app("support")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"dana")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SupportScreen)
        assert app.screen.query_one("#search", Input).value == "dana"


async def test_clicking_a_result_opens_it(make_app: AppFactory) -> None:
    app = make_app("support")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"a")
        await settle(pilot)
        table = app.screen.query_one("#results", DataTable)
        assert table.row_count >= 2
        second = app.screen.results[1].customer_id
        # Row 0 is the header: the first click highlights the second result, the second opens it.
        await pilot.click("#results", offset=(4, 2))
        await pilot.click("#results", offset=(4, 2))
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.customer_id == second


async def test_the_launcher_opens_every_role_with_one_key(make_app: AppFactory) -> None:
    from c360tui.tui.screens.csm import CsmScreen
    from c360tui.tui.screens.launcher import LauncherScreen
    from c360tui.tui.screens.lead import LeadScreen
    from c360tui.tui.screens.sdr import SdrScreen

    app = make_app("launcher")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LauncherScreen)
        locations = str(app.screen.query_one("#locations", Static).render())
        assert "/data/c360/c360.db" in locations and "/data/c360/telemetry.db" in locations
        for key, screen in (("1", SupportScreen), ("2", SdrScreen), ("3", CsmScreen)):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, screen)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, LauncherScreen)
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(app.screen, LeadScreen)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("down", "enter")  # arrows and enter work too
        await settle(pilot)
        assert isinstance(app.screen, SdrScreen)


async def test_escape_empties_the_search_then_goes_back(make_app: AppFactory) -> None:
    from c360tui.tui.screens.launcher import LauncherScreen

    app = make_app("launcher")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("1")
        await settle(pilot)
        await pilot.press(*"dana")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SupportScreen)
        assert app.screen.query_one("#search", Input).value == ""
        assert app.screen.query_one("#results", DataTable).row_count == 0
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LauncherScreen)
