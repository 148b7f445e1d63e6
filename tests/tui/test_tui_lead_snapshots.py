"""Snapshots of the team-lead screens at 80x24 and 120x40 over the fixed telemetry fixture.

Update with `pytest tests/tui/test_tui_lead_snapshots.py --snapshot-update` and look at every
changed SVG before committing it; each test says what the reviewer should see.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import settle
from test_tui_lead import write_fixture
from textual.pilot import Pilot

from c360tui.tui.lead_app import LeadApp

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Snap = Callable[..., bool]


@pytest.fixture
def app(tmp_path: Path) -> LeadApp:
    return LeadApp([write_fixture(tmp_path / "telemetry.db")])


def keys(*presses: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for press in presses:
            await pilot.press(press)
            await settle(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_lead_dashboard(snap_compare: Snap, app: LeadApp, size: tuple[int, int]) -> None:
    """Filter bar (all, 3 days); sdr 67% open, 6 acts, median 10.0 s with a rising ▃▆█, 33%
    overrides; charts of median time and override rate over three days; never-touched fields
    dimmed; the stale intent and the billing phone flagged 3 times under trust leaks."""
    assert snap_compare(app, terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES)
def test_lead_filtered(snap_compare: Snap, app: LeadApp, size: tuple[int, int]) -> None:
    """After r and d d d: role sdr, the last day only; one row, 2 acts, one override."""
    assert snap_compare(app, terminal_size=size, run_before=keys("r", "d", "d", "d"))


@pytest.mark.parametrize("size", SIZES)
def test_lead_sessions(snap_compare: Snap, app: LeadApp, size: tuple[int, int]) -> None:
    """Six sessions newest first: rep, role, start, length, customers, actions, overrides, and
    the start of each session id (U2, S2, ...) for `c360 replay ID`."""
    assert snap_compare(app, terminal_size=size, run_before=keys("s"))


@pytest.mark.parametrize("size", SIZES)
def test_replay_flag(snap_compare: Snap, app: LeadApp, size: tuple[int, int]) -> None:
    """Step 6/13 of rep-a's SDR session: the contact section open, the conflicted phone row
    reversed with ⚑ flagged ◀ flag; intent ⌛ stale as recorded; the event line below."""
    run = keys("s", "down", "enter", *["right"] * 5)
    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_replay_override(snap_compare: Snap, app: LeadApp, size: tuple[int, int]) -> None:
    """Step 10/13: ACTION email with OVERRODE call on a red band, 12.0 s after the view opened."""
    run = keys("s", "down", "enter", *["right"] * 8)
    assert snap_compare(app, terminal_size=size, run_before=run)
