"""`c360 lead` and `c360 replay`: the team-lead dashboard, the sessions list and one session's
replay, over one or more telemetry files (opened read-only)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from c360tui.cli.app import app, fail

TelemetryPaths = Annotated[
    list[Path] | None,
    typer.Option(
        "--telemetry",
        help="A telemetry file; repeat to combine several (default: user data dir; "
        "C360_TELEMETRY).",
    ),
]


@app.command("lead")
def lead_command(telemetry: TelemetryPaths = None) -> None:
    """Team-lead dashboard: open rate, time to decision, overrides, field attention, replay.

    Example: c360 lead --telemetry rep-a.db --telemetry rep-b.db

    Keys: r role, e rep, v view, d days, x clear, s sessions (enter replays one; left/right
    step, space plays, 1/4/6 speed). Files are opened read-only and never written.
    """
    from c360tui.tui.lead_app import LeadApp

    LeadApp(_readable(telemetry)).run()


@app.command("replay")
def replay_command(
    session: Annotated[
        str | None,
        typer.Argument(
            help="A session id, or the start of one (the Session column of the list); "
            "without it, the sessions list opens.",
            metavar="SESSION",
            show_default=False,
        ),
    ] = None,
    telemetry: TelemetryPaths = None,
) -> None:
    """Replay what a rep did: the sessions list, or one session straight away.

    Example: c360 replay 9b3f7e14 --telemetry rep-a.db

    Keys: enter replays the highlighted session; left/right step, space plays, 1/4/6 speed
    (1x, 4x, 16x), escape goes back to the list. Files are opened read-only and never written.
    """
    from c360tui.errors import C360Error
    from c360tui.tui.lead_app import LeadApp

    paths = _readable(telemetry)
    if session is None:
        LeadApp(paths, first="sessions").run()
        return
    from c360tui.metrics.sessions import find_session

    try:
        summary = find_session(paths, session)
    except C360Error as error:
        raise fail(str(error)) from None
    LeadApp(paths, first="sessions", session=summary).run()


def _readable(telemetry: list[Path] | None) -> list[Path]:
    """The files to read; a bad one is one sentence and exit 1 before any screen opens."""
    from c360tui.cli.cmd_report import telemetry_paths
    from c360tui.telemetry.reader import open_reader

    paths = telemetry_paths(telemetry)
    for path in paths:
        open_reader(path).close()
    return paths
