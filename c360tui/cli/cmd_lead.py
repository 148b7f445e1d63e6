"""`c360 lead`: the team-lead dashboard and session replay over one or more telemetry files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from c360tui.cli.app import app

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
    from c360tui.cli.cmd_report import telemetry_paths
    from c360tui.telemetry.reader import open_reader

    paths = telemetry_paths(telemetry)
    for path in paths:  # a bad file is one sentence and exit 1 before the screen opens
        open_reader(path).close()
    from c360tui.tui.lead_app import LeadApp

    LeadApp(paths).run()
