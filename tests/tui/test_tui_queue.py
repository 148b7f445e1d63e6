"""Queue flows: SDR morning queue (move, act, advance, progress, persistence) and CSM at-risk."""

from __future__ import annotations

import pytest
from conftest import AppFactory, settle
from textual.app import App
from textual.widgets import OptionList, Sparkline, Static
from tui_fakes import FakeBackend, ListRecorder

from c360tui.tui.screens.csm import CsmScreen
from c360tui.tui.screens.sdr import SdrScreen
from c360tui.tui.widgets.decision_view import DecisionPanel, SignalRow

pytestmark = pytest.mark.asyncio


def progress(app: App[None]) -> str:
    return str(app.screen.query_one("#progress", Static).render())


def shown_customer(app: App[None]) -> str | None:
    decision = app.screen.query_one(DecisionPanel).decision
    return decision.customer_id if decision else None


async def test_sdr_queue_moves_acts_and_advances(
    make_app: AppFactory, backend: FakeBackend, recorder: ListRecorder
) -> None:
    app = make_app("sdr")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SdrScreen)
        assert progress(app) == "0 of 5 worked · 5 to go"
        assert shown_customer(app) == "lead_01"
        await pilot.press("j")
        await settle(pilot)
        assert shown_customer(app) == "lead_02"
        await pilot.press("k", "down")
        await settle(pilot)
        assert shown_customer(app) == "lead_02"
        await pilot.press("c")  # call lead_02, the recommended action
        await settle(pilot)
        assert progress(app) == "1 of 5 worked · 4 to go"
        assert shown_customer(app) == "lead_03", "the next lead is shown after an action"
        queue = app.screen.query_one("#queue", OptionList)
        assert queue.option_count == 4
        await pilot.press("s")  # snooze lead_03
        await settle(pilot)
        assert progress(app) == "2 of 5 worked · 3 to go"
        assert shown_customer(app) == "lead_04"
    assert backend.settled == {
        ("sdr_call_now", "lead_02"): ("worked", "call"),
        ("sdr_call_now", "lead_03"): ("snoozed", "snooze"),
    }
    (presented,) = recorder.of("queue_presented")
    assert presented.customer_ids == ("lead_01", "lead_02", "lead_03", "lead_04", "lead_05")
    opened = [(e.customer_id, e.via) for e in recorder.of("view_opened")]
    assert opened[:2] == [("lead_01", "queue"), ("lead_02", "queue")]
    actions = [(e.customer_id, e.action, e.override) for e in recorder.of("action_taken")]
    assert actions == [("lead_02", "call", False), ("lead_03", "snooze", True)]


async def test_worked_and_snoozed_leads_stay_out_after_a_restart(
    make_app: AppFactory, backend: FakeBackend
) -> None:
    backend.settled[("sdr_call_now", "lead_01")] = ("worked", "call")
    backend.settled[("sdr_call_now", "lead_02")] = ("snoozed", "snooze")
    app = make_app("sdr")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert progress(app) == "2 of 5 worked · 3 to go"
        assert shown_customer(app) == "lead_03"


async def test_the_last_lead_empties_the_queue(make_app: AppFactory, backend: FakeBackend) -> None:
    for lead in ("lead_01", "lead_02", "lead_03", "lead_04"):
        backend.settled[("sdr_call_now", lead)] = ("worked", "email")
    app = make_app("sdr")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert progress(app) == "5 of 5 worked · Queue done: every lead is worked or snoozed."
        assert shown_customer(app) is None
        await pilot.press("e", "w", "j")  # nothing to act on: nothing happens, nothing breaks
        await settle(pilot)
        assert app.is_running


async def test_clicking_a_lead_shows_it(make_app: AppFactory) -> None:
    app = make_app("sdr")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.click("#queue", offset=(3, 4))  # two lines per lead: the third lead
        await settle(pilot)
        assert shown_customer(app) == "lead_03"


async def test_csm_ranks_by_risk_and_draws_usage_as_a_sparkline(make_app: AppFactory) -> None:
    app = make_app("csm")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CsmScreen)
        assert shown_customer(app) == "acct_01"
        sentence = app.screen.query_one(".decision-sentence", Static)
        assert str(sentence.render()) == "Is this account at risk?"
        usage = next(r for r in app.screen.query(SignalRow) if r.signal.id == "usage_trend")
        spark = usage.query_one(Sparkline)
        assert list(spark.data or []) == [420.0, 400, 380, 300, 260, 210, 190, 160]
        await pilot.press("p")
        await settle(pilot)
        assert progress(app) == "1 of 3 worked · 2 to go"
        assert shown_customer(app) == "acct_02"
