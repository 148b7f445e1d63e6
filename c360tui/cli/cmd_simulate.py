"""Command: `c360 simulate-telemetry` drives the real app headless to write sample telemetry."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from c360tui.cli.app import app, fail

_DEFAULT_OUT = Path("sample_data/telemetry/demo_telemetry.db")


@app.command("simulate-telemetry")
def simulate_telemetry(
    store: Annotated[
        Path | None,
        typer.Option(
            "--store", help="A store to copy for the reps (default: the sample data, ingested)."
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="The telemetry file to write (replaced).")
    ] = _DEFAULT_OUT,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed; the same seed gives the same reps.")
    ] = 7,
    reps: Annotated[
        int, typer.Option("--reps", help="Simulated reps: support, SDR and CSM in turn.")
    ] = 5,
    days: Annotated[
        int, typer.Option("--days", help="Days ending at the sample's as-of (weekdays worked).")
    ] = 14,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Reps simulated at once.")] = 2,
    specs: Annotated[
        Path | None, typer.Option("--specs", help="The specs directory (default: ./specs).")
    ] = None,
) -> None:
    """Write sample telemetry by driving the app headless as simulated reps (takes minutes).

    Every event is written by the app itself, under a simulated clock: reps search, open, ask
    why, flag and act on the sample customers, on weekdays, 9:00-17:00 UTC.

    Example: c360 simulate-telemetry --reps 5 --days 14 --seed 7
    """
    from c360tui.sample.telemetry_sim import SimOptions, simulate

    if reps < 1 or days < 1:
        raise fail("--reps and --days must be at least 1.")
    if store is not None and not store.is_file():
        raise fail(f"There is no store at {store}; run `c360 ingest` or leave --store out.")
    summary = simulate(
        SimOptions(
            out=out, store=store, seed=seed, reps=reps, days=days, specs_dir=specs, jobs=jobs
        )
    )
    console = Console(highlight=False)
    roles = ", ".join(f"{rep} {role}" for rep, role in summary.reps.items())
    console.print(f"Wrote {out}: {summary.sessions} sessions of {roles}.", markup=False)
    counts = ", ".join(f"{kind} {n}" for kind, n in summary.events.most_common())
    console.print(f"Events: {counts} ({summary.size_bytes // 1024} KiB).", markup=False)
