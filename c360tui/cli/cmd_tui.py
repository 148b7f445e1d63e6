"""Commands that open the screens: `c360 demo`, `c360 support`, `c360 sdr`, `c360 csm`, and `c360`.

Each builds the one C360App (store path, specs directory, telemetry writer, clock) and runs it
through `c360tui.tui.launch`, which the `c360` entry point also calls without typer for a plain
`c360 support|sdr|csm` (keep the options of those three in step with `launch.quick_request`).
Textual and the store are imported inside the commands, so `c360 --help` stays quick.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from c360tui.cli.app import app, err_console
from c360tui.tui.launch import launch, parse_clock

__all__ = ["launch", "parse_clock"]

DbOption = Annotated[
    Path | None, typer.Option("--db", help="The profile store (default: user data dir; C360_DB).")
]
TelemetryOption = Annotated[
    Path | None,
    typer.Option(
        "--telemetry", help="The telemetry file (default: user data dir; C360_TELEMETRY)."
    ),
]
NoTelemetryOption = Annotated[
    bool, typer.Option("--no-telemetry", help="Record no interaction telemetry this session.")
]
SpecsOption = Annotated[
    Path | None, typer.Option("--specs", help="The specs directory (default: ./specs; C360_SPECS).")
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Judge freshness as of this ISO time instead of now."),
]


def demo_store(db: Path | None, specs: Path | None) -> Path:
    """The demo's own store, with the bundled sample data ingested on first use."""
    from c360tui.ingest.pipeline import ingest
    from c360tui.settings import Settings, demo_dir, sample_data_dir
    from c360tui.store import open_store

    path = db or demo_dir() / "c360.db"
    with open_store(path) as store:
        if store.count("customer") > 0:
            return path
        err_console.print(f"Loading the sample data into {path} (first run only)…", markup=False)
        summary = ingest(
            [sample_data_dir()],
            store,
            now=datetime.now(UTC),
            specs_dir=Settings().specs_dir(specs),
        )
    err_console.print(f"Loaded {summary.customers} customers.", markup=False)
    return path


def demo_telemetry() -> Path | None:
    """The demo's telemetry file, seeded on first use with the sample team's two weeks.

    It lives in the demo's data directory, so simulated reps never mix into the user's own
    telemetry; None (the usual file) when C360_TELEMETRY names one.
    """
    import shutil

    from c360tui.settings import Settings, demo_dir, sample_data_dir

    if Settings().telemetry is not None:
        return None
    path = demo_dir() / "telemetry.db"
    sample = sample_data_dir() / "telemetry" / "demo_telemetry.db"
    if not path.exists() and sample.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(sample, path)
    return path


@app.command("demo")
def demo_command(
    db: DbOption = None,
    telemetry: TelemetryOption = None,
    no_telemetry: NoTelemetryOption = False,
    specs: SpecsOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Load the bundled sample data (once) and open the launcher of all four roles.

    Freshness is judged as of the sample data's own date unless --as-of says otherwise.

    Example: c360 demo
    """
    from c360tui.sample import DEFAULT_AS_OF

    path = demo_store(db, specs)
    if telemetry is None and not no_telemetry:
        telemetry = demo_telemetry()
    launch(
        "launcher",
        db=path,
        telemetry=telemetry,
        no_telemetry=no_telemetry,
        specs=specs,
        as_of=as_of or DEFAULT_AS_OF,
    )


@app.command("support")
def support_command(
    db: DbOption = None,
    telemetry: TelemetryOption = None,
    no_telemetry: NoTelemetryOption = False,
    specs: SpecsOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Support lookup: search by phone, email, name, company or account id; decide on the case.

    Example: c360 support --db ~/c360.db
    """
    launch(
        "support",
        db=db,
        telemetry=telemetry,
        no_telemetry=no_telemetry,
        specs=specs,
        as_of=as_of,
    )


@app.command("sdr")
def sdr_command(
    db: DbOption = None,
    telemetry: TelemetryOption = None,
    no_telemetry: NoTelemetryOption = False,
    specs: SpecsOption = None,
    as_of: AsOfOption = None,
) -> None:
    """SDR morning queue: work the fresh leads with j/k and the action keys.

    Example: c360 sdr
    """
    launch(
        "sdr",
        db=db,
        telemetry=telemetry,
        no_telemetry=no_telemetry,
        specs=specs,
        as_of=as_of,
    )


@app.command("csm")
def csm_command(
    db: DbOption = None,
    telemetry: TelemetryOption = None,
    no_telemetry: NoTelemetryOption = False,
    specs: SpecsOption = None,
    as_of: AsOfOption = None,
) -> None:
    """CSM at-risk accounts: the book ranked by risk, usage trends as sparklines.

    Example: c360 csm --as-of 2026-11-30T15:00:00Z
    """
    launch(
        "csm",
        db=db,
        telemetry=telemetry,
        no_telemetry=no_telemetry,
        specs=specs,
        as_of=as_of,
    )
