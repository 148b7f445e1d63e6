"""Snapshots of every screen at 80x24 and 120x40, on fixed data and a frozen clock.

Update with `pytest tests/tui/test_tui_snapshots.py --snapshot-update` (on Python 3.11 only) and
look at every changed SVG before committing it; each test says what the reviewer should see.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from conftest import AppFactory, settle
from textual.pilot import Pilot

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Snap = Callable[..., bool]


def keys(*presses: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """A run_before that presses keys, letting the workers finish after each one."""

    async def run(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for press in presses:
            await pilot.press(press)
            await settle(pilot)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_launcher(snap_compare: Snap, make_app: AppFactory, size: tuple[int, int]) -> None:
    """Four roles with keys 1-4 and their decision sentences; where data, telemetry, specs live."""
    assert snap_compare(make_app("launcher"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_support_results(snap_compare: Snap, make_app: AppFactory, size: tuple[int, int]) -> None:
    """Five results with why each matched; hostile names literal, control characters as markers."""
    assert snap_compare(make_app("support"), terminal_size=size, run_before=keys("*"))


@pytest.mark.parametrize("size", SIZES)
def test_support_decision(snap_compare: Snap, make_app: AppFactory, size: tuple[int, int]) -> None:
    """Decision sentence, ★ ESCALATE with reasons, six signals with trust glyph+word and age/budget;
    at 80x24 the same six fit; collapsed sections; the action bar with x marked ★."""
    run = keys(*"dana", "enter")
    assert snap_compare(make_app("support"), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_why_modal(snap_compare: Snap, make_app: AppFactory, size: tuple[int, int]) -> None:
    """Why on the conflicted email: the reason, the rule, no single source, both contenders."""
    run = keys(*"dana", "enter", "down", "down", "down", "w")
    assert snap_compare(make_app("support"), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_identity_modal(snap_compare: Snap, make_app: AppFactory, size: tuple[int, int]) -> None:
    """Three source records, two merges with field evidence, one held merge; n splits."""
    run = keys(*"dana", "enter", "i")
    assert snap_compare(make_app("support"), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: Snap, make_app: AppFactory, size: tuple[int, int]) -> None:
    """The customer screen's keys: the spec's x/r first (x recommended), then w, !, i, q, esc, ?."""
    run = keys(*"dana", "enter", "question_mark")
    assert snap_compare(make_app("support"), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_sdr_queue(snap_compare: Snap, make_app: AppFactory, size: tuple[int, int]) -> None:
    """After one call: "1 of 5 worked · 4 to go", the list beside the next lead's decision."""

    async def call_then_quiet(pilot: Pilot[Any]) -> None:
        await keys("c")(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app("sdr"), terminal_size=size, run_before=call_then_quiet)


@pytest.mark.parametrize("size", SIZES)
def test_csm_at_risk(snap_compare: Snap, make_app: AppFactory, size: tuple[int, int]) -> None:
    """Accounts ranked by risk; the usage trend drawn as a sparkline in its signal row."""
    assert snap_compare(make_app("csm"), terminal_size=size, run_before=keys())
