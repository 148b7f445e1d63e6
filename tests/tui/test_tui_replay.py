"""Replay: the sessions list and one session stepped and played, as the rep saw it then."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from conftest import settle
from test_tui_lead import cells, text_of, write_fixture
from textual.widgets import Static

from c360tui.tui.lead_app import LeadApp
from c360tui.tui.screens.replay import MAX_WAIT_S, Lines, ReplayScreen, delay_for, timeline_width
from c360tui.tui.screens.replay_frames import age_text, clock


@pytest.fixture
def telemetry(tmp_path: Path) -> Path:
    return write_fixture(tmp_path / "telemetry.db")


def test_playback_waits_the_gap_divided_by_the_speed_and_caps_idle_time() -> None:
    assert delay_for(1500, 1) == 1.5
    assert delay_for(1600, 16) == 0.1
    assert delay_for(600_000, 4) == MAX_WAIT_S


def test_the_clock_rounds_before_it_carries_into_minutes_and_hours() -> None:
    assert [clock(ms) for ms in (3500, 59_960, 28 * 60_000 + 59_960, 3_723_000, 3_599_960)] == [
        "0:03.5",
        "1:00.0",
        "29:00.0",
        "1:02:03.0",
        "1:00:00.0",
    ]


def on_screen(app: Any, widget_id: str) -> str:
    """The lines a line-API widget (timeline, recorded view) shows now, as plain text."""
    lines = app.screen.query_one(widget_id, Lines)
    height = lines.scrollable_content_region.height
    return "\n".join(lines.render_line(y).text.rstrip() for y in range(height)).rstrip()


async def open_sdr_replay(pilot: Any) -> None:
    """Dashboard → sessions → the newest SDR session (second row, newest first)."""
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)


@pytest.mark.asyncio
async def test_sessions_list_rep_role_start_length_customers_actions_overrides(
    telemetry: Path,
) -> None:
    app = LeadApp([telemetry])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        rows = cells(app, "#sessions-table")
        assert rows[0] == ["rep-b", "support", "2026-11-04 11:00", "9.0 s", "1", "1", "1", "U2"]
        assert rows[1] == ["rep-a", "sdr", "2026-11-04 09:00", "24.9 s", "3", "2", "1", "S2"]


@pytest.mark.asyncio
async def test_the_sessions_table_adds_rows_as_the_cursor_nears_its_end(
    telemetry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import DataTable

    from c360tui.tui.screens import sessions

    monkeypatch.setattr(sessions, "PAGE", 2)
    app = LeadApp([telemetry])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        table = app.screen.query_one("#sessions-table", DataTable)
        assert table.row_count == 2 and "6 session(s), newest first" in text_of(
            app, "#sessions-status"
        )
        await pilot.press("down")  # the last row added: another page
        await settle(pilot)
        assert [row[-1] for row in cells(app, "#sessions-table")] == ["U2", "S2", "U1", "S1"]
        await pilot.press("ctrl+end")  # every row, the cursor on the oldest
        await settle(pilot)
        assert table.row_count == 6 and table.cursor_row == 5
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen) and app.screen.summary.session_id == "S0"


@pytest.mark.asyncio
async def test_stepping_shows_the_recorded_view_and_highlights_each_touch(telemetry: Path) -> None:
    app = LeadApp([telemetry])
    async with app.run_test(size=(120, 40)) as pilot:
        await open_sdr_replay(pilot)
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press(*["right"] * 5)  # the flag on the conflicted phone
        await settle(pilot)
        assert "step 6/13" in text_of(app, "#replay-head")
        signals = on_screen(app, "#replay-signals")
        phone = next(line for line in signals.splitlines() if "phone" in line)
        assert "⚠ conflicted" in phone and "⚑phone" in phone and "flagged  ◀ flag" in phone
        assert "▾ contact" in signals  # the section the rep opened just before
        assert "⌛ stale" in signals  # intent was stale when the rep saw it
        await pilot.press("right", "right", "right")  # why, expand, then the action
        await settle(pilot)
        event = text_of(app, "#replay-event")
        assert "ACTION email" in event and "OVERRODE call" in event
        assert app.screen.query_one("#replay-event", Static).has_class("-override")
        await pilot.press("left")
        await settle(pilot)
        assert "▾ 3 last_touch" in on_screen(app, "#replay-signals")
        assert "◀ expand" in on_screen(app, "#replay-signals")


@pytest.mark.asyncio
async def test_space_plays_to_the_end_at_16x_and_pauses(telemetry: Path) -> None:
    app = LeadApp([telemetry])
    async with app.run_test(size=(120, 40)) as pilot:
        await open_sdr_replay(pilot)
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        await pilot.press("6", "space")
        assert screen.playing and "▶ playing 16x" in text_of(app, "#replay-head")
        for _ in range(400):  # bounded: the session lasts 25 s, about 1.6 s at 16x
            if not screen.playing:
                break
            await pilot.pause(0.02)
        assert screen.index == len(screen.steps) - 1
        assert "⏸ paused" in text_of(app, "#replay-head")
        await pilot.press("home", "space", "space")  # from the start: play, then pause
        paused_at = screen.index
        await pilot.pause(0.3)
        assert not screen.playing and screen.index == paused_at < len(screen.steps) - 1


@pytest.mark.asyncio
async def test_the_timeline_marks_the_step_shown_and_up_down_or_a_click_pick_another(
    telemetry: Path,
) -> None:
    app = LeadApp([telemetry])
    async with app.run_test(size=(120, 40)) as pilot:
        await open_sdr_replay(pilot)
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        timeline = screen.query_one("#replay-steps", Lines)
        assert on_screen(app, "#replay-steps").splitlines()[5].endswith("⚑ flag phone")
        await pilot.press(*["right"] * 5, "down")
        await settle(pilot)
        assert screen.index == timeline.cursor == 6
        assert "step 7/13" in text_of(app, "#replay-head")
        assert on_screen(app, "#replay-steps").splitlines()[6].endswith("why intent")
        assert "provenance opened: intent" in text_of(app, "#replay-event")
        await pilot.press("up", "up")
        await settle(pilot)
        assert "step 5/13" in text_of(app, "#replay-head")
        await pilot.click(timeline, offset=(10, 8))  # the row of the email override
        await settle(pilot)
        assert "step 9/13" in text_of(app, "#replay-head")
        assert "OVERRODE call" in text_of(app, "#replay-event")


@pytest.mark.asyncio
async def test_leaving_the_replay_hands_its_session_back_to_the_garbage_collector(
    telemetry: Path,
) -> None:
    app = LeadApp([telemetry])
    async with app.run_test(size=(120, 40)) as pilot:
        await open_sdr_replay(pilot)
        assert gc.get_freeze_count() > 0  # kept out of full collections while on screen
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ReplayScreen)
        assert gc.get_freeze_count() == 0


def test_the_replay_says_each_budget_in_the_live_views_words() -> None:
    """A support view: a sev-1 opened 2 days ago (budget "24h"), a plan 41 days old ("90d")."""
    from dataclasses import replace
    from datetime import UTC, datetime, timedelta

    from c360tui.core.decision import build_decision_view
    from c360tui.core.reconcile import reconcile
    from c360tui.core.records import AttrValue, SourceRecord
    from c360tui.specs_io import load_sources, load_views
    from c360tui.telemetry.view_events import shown_signals
    from c360tui.tui.widgets.decision_view import age_cell

    now = datetime(2024, 6, 1, 15, 0, tzinfo=UTC)
    specs = Path(__file__).resolve().parents[2] / "specs"
    ago = [now - timedelta(days=d) for d in (3, 41, 2)]
    crm: dict[str, AttrValue] = {"first_name": "Ada", "last_name": "Lovelace", "company": "Acme"}
    plan: dict[str, AttrValue] = {
        "billing_account_id": "B1",
        "payment_status": "current",
        "plan": "enterprise",
    }
    sev1: dict[str, AttrValue] = {
        "ticket_id": "T1",
        "ticket_severity": "sev1",
        "ticket_status": "open",
    }
    records = [
        SourceRecord("crm", "crm_contacts", "C1", ago[0], crm),
        SourceRecord("billing", "billing_accounts", "B1", ago[1], plan),
        SourceRecord("support", "support_tickets", "T1", ago[2], sev1),
    ]
    customer = reconcile("cust-1", records, load_sources(specs))
    live = build_decision_view(load_views(specs)["support_close_case"], customer, now)
    recorded = {s.id: s for s in shown_signals(live)}
    assert age_text(recorded["open_sev1"]) == "2d / 24h" and recorded["open_sev1"].budget == "24h"
    assert age_text(recorded["tier"]) == "41d / 90d"
    for signal in live.signals:  # every ranked row says what the rep saw, unknown ages too
        assert age_text(recorded[signal.id]) == age_cell(signal)
    # A file written before the words were recorded: the seconds, said as format_age says them.
    assert age_text(replace(recorded["open_sev1"], budget=None)) == "2d / 1d"
    assert age_text(replace(recorded["tier"], budget=None)) == "41d / 12w"


def test_a_wide_timeline_grows_to_its_rows_as_far_as_the_view_keeps_its_columns() -> None:
    assert timeline_width(rows_width=45, view_keep=67, screen_width=120) == 47  # rows whole
    assert timeline_width(rows_width=66, view_keep=61, screen_width=120) == 56  # view kept
    assert timeline_width(rows_width=30, view_keep=61, screen_width=120) == 44  # never narrower
    assert timeline_width(rows_width=66, view_keep=90, screen_width=120) == 44


@pytest.mark.asyncio
async def test_at_120_columns_the_timeline_rows_are_whole_and_at_80_it_stays_narrow(
    telemetry: Path,
) -> None:
    for size, width in (((120, 40), 47), ((80, 24), 34)):
        app = LeadApp([telemetry])
        async with app.run_test(size=size) as pilot:
            await open_sdr_replay(pilot)
            assert app.screen.query_one("#replay-timeline").outer_size.width == width
            if width > 44:
                rows = on_screen(app, "#replay-steps").splitlines()
                assert rows[8].endswith("● email C-1 ✗ overrode call")
                assert rows[10].endswith("● call C-2 ✓ as recommended")
                await pilot.resize_terminal(80, 24)  # narrowed, then widened again
                await settle(pilot)
                assert app.screen.query_one("#replay-timeline").outer_size.width == 34
                await pilot.resize_terminal(120, 40)
                await settle(pilot)
                assert app.screen.query_one("#replay-timeline").outer_size.width == 47
