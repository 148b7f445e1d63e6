"""`c360 replay [SESSION]`: the sessions list, or one session's replay opened by its id or a
unique start of it; an id that matches no session or several is one sentence and exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import settle
from test_tui_lead import write_fixture
from test_tui_replay import on_screen
from typer.testing import CliRunner

from c360tui.cli import app as cli
from c360tui.metrics.script import SessionScript, layout, write_events
from c360tui.metrics.sessions import find_session
from c360tui.tui.lead_app import LeadApp
from c360tui.tui.screens.replay import ReplayScreen
from c360tui.tui.screens.sessions import SessionsScreen


@pytest.fixture
def telemetry(tmp_path: Path) -> Path:
    """The lead fixture (sessions S0-S2, U0-U2) and two sessions sharing the start "Sx-"."""
    path = write_fixture(tmp_path / "telemetry.db")
    twins = [
        SessionScript(sid, "csm", "csm_at_risk", rep="rep-c", signals=layout(["churn"]))
        for sid in ("Sx-1", "Sx-2")
    ]
    for twin in twins:
        twin.begin(0.0).view(1.0, "C-9").end(2.0)
    write_events(path, [event for twin in twins for event in twin.recorded])
    return path


def replay(*args: str) -> tuple[int, str]:
    """Exit code and output, lines joined (the console wraps long paths)."""
    result = CliRunner().invoke(cli, ["replay", *args])
    return result.exit_code, " ".join(result.output.split())


def test_an_unknown_or_ambiguous_session_is_one_sentence_and_exit_1(telemetry: Path) -> None:
    code, output = replay("Q9", "--telemetry", str(telemetry))
    assert code == 1
    assert output.startswith("error: No recorded session in ") and "'Q9'" in output
    assert output.endswith("; run `c360 replay` without an id to list them.")
    assert ". " not in output  # one sentence
    code, output = replay("Sx", "--telemetry", str(telemetry))
    assert code == 1
    assert (
        output
        == "error: 'Sx' starts the ids of several sessions (Sx-1, Sx-2); type more of the id."
    )


def test_help_shows_an_example() -> None:
    code, output = replay("--help")
    assert code == 0 and "Example: c360 replay" in output and "SESSION" in output


def test_a_whole_id_or_a_unique_start_finds_the_session(telemetry: Path) -> None:
    assert find_session([telemetry], "U1").session_id == "U1"
    assert find_session([telemetry], "Sx-2").session_id == "Sx-2"
    found = find_session([telemetry], "S2")  # a whole id, though no other id starts with it
    assert (found.session_id, found.rep, found.role, found.actions) == ("S2", "rep-a", "sdr", 2)


@pytest.mark.asyncio
async def test_the_replay_opens_on_the_session_asked_for_and_escape_lists_them(
    telemetry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[LeadApp] = []
    monkeypatch.setattr(LeadApp, "run", lambda self, *a, **k: made.append(self))
    assert replay("Sx-", "--telemetry", str(telemetry))[0] == 1  # two ids start so
    assert replay("Sx-2", "--telemetry", str(telemetry))[0] == 0
    (app,) = made  # the app the command would run, now run under Pilot
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReplayScreen) and screen.summary.session_id == "Sx-2"
        assert len(screen.steps) == 3 and "rep-c" in str(screen.query_one("#replay-head").render())
        assert "view C-9" in on_screen(app, "#replay-steps")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SessionsScreen)
        assert app.screen.sessions.keys() >= {"Sx-1", "Sx-2", "S0", "U2"}


@pytest.mark.asyncio
async def test_without_a_session_the_list_opens_first(telemetry: Path) -> None:
    app = LeadApp([telemetry], first="sessions")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SessionsScreen) and len(app.screen.sessions) == 8
