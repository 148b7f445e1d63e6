"""The team-lead dashboard over a small telemetry file written through the real writer.

The file holds three days of two reps (SDR queue, support lookups) with known answers: open rate,
times to decision, overrides on stale signals, a flagged phone from billing, untouched fields.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import settle
from textual.widgets import DataTable, Static

from c360tui.metrics.script import START, SessionScript, layout, merged, signal, write_events
from c360tui.tui.lead_app import LeadApp
from c360tui.tui.screens.lead import LeadScreen, bar, column_chart, cycle, spark

SDR_SIGNALS = (
    signal("intent", "stale", freshness="stale"),
    signal("do_not_contact", rank=2),
    signal("last_touch", rank=3, above_fold=False),
    signal("phone", "conflicted", section="contact"),
    signal("title", section="contact"),
)


def sdr_day(day: int, session: str, rep: str, override: bool) -> SessionScript:
    """An SDR morning: a queue of three leads, a section, a flag, a why, two actions."""
    script = SessionScript(
        session,
        "sdr",
        "sdr_call_now",
        rep=rep,
        start=START + timedelta(days=day),
        signals=SDR_SIGNALS,
    )
    script.begin(0.0).screen(0.5, "sdr").queue(0.8, ["C-1", "C-2", "C-3"])
    script.view(1.0, "C-1").section(3.0, "C-1", "contact").flag(4.5, "C-1", "phone", "billing")
    script.why(6.0, "C-1", "intent").expand(7.0, "C-1", "last_touch")
    script.act(11.0 + day, "C-1", "email" if override else "call")
    script.view(12.0 + day, "C-2").act(16.0 + 4 * day, "C-2", "call")
    script.view(16.5 + 4 * day, "C-3")  # skipped within a second
    return script.end(16.9 + 4 * day)


def support_day(day: int) -> SessionScript:
    script = SessionScript(
        f"U{day}",
        "support",
        "support_close_case",
        rep="rep-b",
        start=START + timedelta(days=day, hours=2),
        signals=layout(["tier", "open_cases"]),
    )
    script.begin(0.0).search(1.0, ["C-7", "C-8"]).view(
        2.0, "C-7", via="search", recommended="resolve"
    )
    script.why(3.0, "C-7", "tier").act(8.0, "C-7", "escalate")
    return script.end(9.0)


def write_fixture(path: Path) -> Path:
    """Three days: rep-a's SDR sessions (one override a day on a stale intent), rep-b support."""
    scripts = [sdr_day(d, f"S{d}", "rep-a", override=d != 1) for d in range(3)]
    scripts += [support_day(d) for d in range(3)]
    write_events(path, merged(*scripts))
    return path


@pytest.fixture
def telemetry(tmp_path: Path) -> Path:
    return write_fixture(tmp_path / "telemetry.db")


def test_drawing_helpers_show_levels_gaps_and_shares() -> None:
    assert spark([1.0, None, 4.0]) == "▂·█"
    assert bar(0.5, 4) == "██░░" and bar(None, 3) == "   " and bar(1.0, 2) == "██"
    assert column_chart([2.0, 4.0], 2) == ["  █", "█ █"]
    assert cycle(["a", "b"], None, 1) == "a" and cycle(["a", "b"], "b", 1) is None
    assert cycle(["a", "b"], None, -1) == "b"


def cells(app: Any, table_id: str) -> list[list[str]]:
    table = app.screen.query_one(table_id, DataTable)
    return [
        [str(getattr(c, "plain", c)) for c in table.get_row_at(i)] for i in range(table.row_count)
    ]


def text_of(app: Any, widget_id: str) -> str:
    return str(app.screen.query_one(widget_id, Static).render())


@pytest.mark.asyncio
async def test_dashboard_shows_rates_times_and_leaks(telemetry: Path) -> None:
    app = LeadApp([telemetry])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = {r[0]: r for r in cells(app, "#lead-decisions")}
        # SDR: 3 leads presented a day, 2 opened (C-3 skipped within a second): 6 of 9.
        assert rows["sdr"][2].endswith("67%")
        assert rows["sdr"][3] == "6"
        assert rows["sdr"][7] == "33%"  # 2 overrides of 6 actions (days 0 and 2)
        assert rows["support"][7] == "100%"  # escalate over the recommended resolve
        flags = cells(app, "#lead-flags")
        assert flags[0][:4] == ["sdr_call_now", "phone", "billing", "3"]
        attention = {(r[0], r[1]): r for r in cells(app, "#lead-attention")}
        assert "never touched" in attention[("sdr_call_now", "do_not_contact")][7]
        assert attention[("sdr_call_now", "phone")][2] == "contact"
        assert "stale" in text_of(app, "#lead-trust")


@pytest.mark.asyncio
async def test_filter_keys_narrow_the_dashboard_and_x_clears(telemetry: Path) -> None:
    app = LeadApp([telemetry])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("r")  # first role: sdr
        await settle(pilot)
        assert "role sdr" in text_of(app, "#lead-filters")
        assert [r[0] for r in cells(app, "#lead-decisions")] == ["sdr"]
        await pilot.press("e", "e")  # rep-a, then rep-b: no sdr decisions by rep-b
        await settle(pilot)
        assert cells(app, "#lead-decisions") == []
        assert "No decisions match" in text_of(app, "#lead-status")
        await pilot.press("x", "d", "d", "d")  # last 14 and 7 days (all three), then the last
        await settle(pilot)
        assert "2026-11-04 → 2026-11-04" in text_of(app, "#lead-filters")
        assert cells(app, "#lead-decisions")[0][3] == "2"  # day 2's two SDR actions
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "2026-11-03 → 2026-11-04" in text_of(app, "#lead-filters")


@pytest.mark.asyncio
async def test_a_damaged_file_is_one_sentence_on_screen(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not sqlite at all")
    app = LeadApp([bad])
    async with app.run_test(size=(120, 40)) as pilot:
        # Not settle(): waiting on a worker that is failing re-raises its error in the test.
        for _ in range(200):
            if "is not a SQLite file" in text_of(app, "#lead-status"):
                break
            await pilot.pause(0.02)
        assert "is not a SQLite file" in text_of(app, "#lead-status")


@pytest.mark.asyncio
async def test_s_opens_the_sessions_list(telemetry: Path) -> None:
    app = LeadApp([telemetry])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert app.screen.id == "sessions"
        assert len(cells(app, "#sessions-table")) == 6
        await pilot.press("escape")
        assert isinstance(app.screen, LeadScreen)


def test_lead_command_refuses_a_file_that_is_not_telemetry(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from c360tui.cli import app as cli

    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    result = CliRunner().invoke(cli, ["lead", "--telemetry", str(bad)])
    assert result.exit_code != 0
    assert "not a SQLite file" in str(result.exception) + result.output


def test_the_span_lists_what_the_rows_hold_even_for_a_session_without_a_start(
    tmp_path: Path,
) -> None:
    import sqlite3
    from datetime import date

    from c360tui.tui.screens.lead import read_span

    path = write_fixture(tmp_path / "telemetry.db")
    headless = SessionScript("H1", "csm", "csm_at_risk", rep="rep-c", signals=layout(["churn"]))
    headless.view(1.0, "C-9")  # a session whose start was lost: its rep still counts
    quiet = SessionScript("Q1", "csm", "csm_at_risk", rep="rep-d").begin(0.0)
    write_events(path, [*headless.recorded, *quiet.recorded])
    span = read_span([path])
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT role, view, rep, type, wall_time FROM events").fetchall()
    assert span.roles == tuple(sorted({r[0] for r in rows if r[0]})) == ("csm", "sdr", "support")
    assert span.views == tuple(sorted({r[1] for r in rows if r[1]}))
    assert span.reps == tuple(
        sorted({r[2] for r in rows if r[3] in ("session_start", "view_opened")})
    )
    assert span.reps == ("rep-a", "rep-b", "rep-c", "rep-d")
    assert span.events == len(rows)
    assert (span.first_day, span.last_day) == (date(2026, 11, 2), date(2026, 11, 4))
