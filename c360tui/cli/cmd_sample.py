"""Command: `c360 sample` writes deterministic source exports with known traps and ground truth."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from c360tui.cli.app import app, fail
from c360tui.errors import C360Error

# Below this many people a run takes well under a second: no progress bar.
_PROGRESS_FROM = 20_000
_DEFAULT_OUT = Path("sample_data")


@app.command()
def sample(
    customers: Annotated[
        int, typer.Option("--customers", "-n", help="How many people (true customers).")
    ] = 500,
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed; the same seed writes the same bytes.")
    ] = 7,
    out: Annotated[Path, typer.Option("--out", help="Directory to write into.")] = _DEFAULT_OUT,
    as_of: Annotated[
        str, typer.Option("--as-of", help="ISO time every timestamp is anchored to.")
    ] = "2026-11-30T15:00:00Z",
    ground_truth: Annotated[
        bool,
        typer.Option("--ground-truth/--no-ground-truth", help="Also write ground_truth/."),
    ] = True,
    bad_rows: Annotated[
        bool,
        typer.Option("--bad-rows/--no-bad-rows", help="Insert the few deliberately bad rows."),
    ] = True,
    jobs: Annotated[
        int,
        typer.Option("--jobs", "-j", help="Worker processes; 0 = one per CPU (same output)."),
    ] = 0,
) -> None:
    """Generate sample source exports (CRM, billing, support, marketing, product usage).

    Writes the six feeds of specs/sources.toml, with duplicates, conflicts, stale and missing
    values, junk identifiers and a few bad rows, plus ground truth, manifest.json and README.md.

    Example: c360 sample --customers 500 --seed 7 --out sample_data
    """
    from c360tui.sample import SampleOptions, generate, parse_as_of

    try:
        anchor = parse_as_of(as_of)
    except C360Error as error:
        raise fail(str(error)) from None
    if customers < 1:
        raise fail("--customers must be at least 1.")
    options = SampleOptions(
        customers=customers,
        seed=seed,
        out=out,
        as_of=anchor,
        bad_rows=bad_rows,
        truth=ground_truth,
        jobs=jobs if jobs > 0 else (os.cpu_count() or 1),
    )
    console = Console(stderr=True, highlight=False)
    if customers >= _PROGRESS_FROM:
        columns = (
            TextColumn("generating"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task("sample", total=customers)
            summary = generate(options, lambda done: progress.advance(task, done))
    else:
        summary = generate(options)
    rows = sum(n for name, n in summary.files.items() if not name.startswith("ground_truth/"))
    console.print(
        f"wrote {rows:,} rows for {customers:,} people at {summary.companies:,} companies "
        f"into {out} ({len(summary.quarantine)} deliberately bad rows)",
        markup=False,
        soft_wrap=True,
    )
