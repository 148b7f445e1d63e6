"""`c360 report` (adoption metrics from telemetry) and `c360 tune` (spec changes they suggest)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, get_args

import typer
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from c360tui.cli.app import app, err_console
from c360tui.cli.options import SpecsOption
from c360tui.core.durations import format_ms
from c360tui.errors import C360Error
from c360tui.text_safety import printable

if TYPE_CHECKING:
    from c360tui.metrics.export import Cell, Table

TelemetryPaths = Annotated[
    list[Path] | None,
    typer.Option(
        "--telemetry",
        help="A telemetry file; repeat to combine several (default: user data dir; "
        "C360_TELEMETRY).",
    ),
]
SinceOption = Annotated[
    str | None,
    typer.Option("--since", help="Only events on or after this UTC date (YYYY-MM-DD)."),
]
RoleOption = Annotated[
    str | None, typer.Option("--role", help="Only this role: support, sdr or csm.")
]


def telemetry_paths(paths: list[Path] | None) -> list[Path]:
    """The files to read: those given, else the configured telemetry file.

    Before the user has a telemetry file of their own, the demo's is read (and said so), so
    `c360 demo` then `c360 report` or `c360 tune` shows the sample team rather than an error.
    """
    if paths:
        return list(paths)
    from c360tui.settings import Settings, demo_dir

    settings = Settings()
    path = settings.telemetry_path()
    demo = demo_dir() / "telemetry.db"
    if settings.telemetry is None and not path.exists() and demo.is_file():
        err_console.print(
            f"Reading the demo's telemetry, {demo}: {path} does not exist yet.", markup=False
        )
        return [demo]
    return [path]


def parse_since(text: str | None) -> date | None:
    """The --since date, or a one-sentence error naming the expected form."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        message = f"--since {printable(text, 40)!r} is not a date; write e.g. 2026-11-02."
        raise C360Error(message) from None


def format_cell(column: str, value: Cell) -> str:
    """A cell as shown in a terminal table: times readable, rates with %, missing as —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return printable(value, 60)
    if column.endswith("_pct"):
        return f"{value:.1f}%"
    if column.endswith("_ms"):
        return format_ms(int(value))
    return f"{value:,}" if isinstance(value, int) else str(value)


def rich_table(table: Table) -> RichTable:
    """One report section as a Rich table; every cell is plain Text (never markup)."""
    out = RichTable(title=Text(table.title), title_justify="left", expand=False)
    for column in table.columns:
        numeric = table.rows and not isinstance(table.rows[0][table.columns.index(column)], str)
        label = column.removesuffix("_pct").removesuffix("_ms").replace("_", " ")
        out.add_column(Text(label), justify="right" if numeric else "left")
    for row in table.rows:
        cells = [Text(format_cell(c, v)) for c, v in zip(table.columns, row, strict=True)]
        out.add_row(*cells)
    return out


def per_view(table: Table) -> list[Table]:
    """Field attention as one narrower table per view (the view in the title, not a column)."""
    from c360tui.metrics.export import Table

    if table.key != "field_attention":
        return [table]
    views = sorted({str(row[0]) for row in table.rows})
    return [
        Table(
            table.key,
            f"{table.title}: {view}",
            table.columns[1:],
            tuple(row[1:] for row in table.rows if row[0] == view),
        )
        for view in views
    ]


def _about(paths: list[Path], since: date | None, role: str | None) -> dict[str, Any]:
    return {
        "telemetry": [str(p) for p in paths],
        "since": since.isoformat() if since else None,
        "role": role,
    }


@app.command("report")
def report_command(
    telemetry: TelemetryPaths = None,
    since: SinceOption = None,
    role: RoleOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print spreadsheet-safe CSV (UTF-8 with BOM).")
    ] = False,
) -> None:
    """Adoption metrics from telemetry: open rate, time to decision, overrides, field attention.

    Example: c360 report --telemetry rep-a.db --telemetry rep-b.db --since 2026-11-01 --role sdr

    Several files combine into one report. Definitions: docs/telemetry.md, "Metrics".
    Files are opened read-only; apps writing them are never blocked.
    """
    from c360tui.core.view_spec import Role
    from c360tui.metrics.compute import from_tally
    from c360tui.metrics.export import CSV_ENCODING, tables, to_csv, to_json
    from c360tui.metrics.loader import load_tally
    from c360tui.metrics.tally import Filter

    if as_json and as_csv:
        raise C360Error("Choose one of --json and --csv, not both.")
    roles = get_args(Role)
    if role is not None and role not in roles:
        shown = printable(role, 20)
        raise C360Error(f"--role {shown!r} is not a role; choose one of {', '.join(roles)}.")
    paths = telemetry_paths(telemetry)
    day = parse_since(since)
    metrics = from_tally(load_tally(paths, since=day, only=Filter(role=role)))
    sections = tables(metrics)
    if as_json:
        print(json.dumps(to_json(metrics, _about(paths, day, role)), indent=2, ensure_ascii=False))
        return
    if as_csv:
        sys.stdout.flush()
        sys.stdout.buffer.write(to_csv(sections).encode(CSV_ENCODING))
        sys.stdout.buffer.flush()
        return
    console = Console(highlight=False, soft_wrap=False)
    scope = ", ".join(printable(str(p), 80) for p in paths)
    filters = "".join(
        [f" since {day.isoformat()}" if day else "", f" role {printable(role, 20)}" if role else ""]
    )
    console.print(Text(f"Telemetry: {scope}{filters}"))
    if not any(table.rows for table in sections):
        console.print(Text("No events match: nothing to report yet."))
        return
    for table in sections:
        if table.rows:
            for part in per_view(table):
                console.print(rich_table(part))
        else:
            console.print(Text(f"{table.title}: none"))


@app.command("tune")
def tune_command(
    telemetry: TelemetryPaths = None,
    specs: SpecsOption = None,
    since: SinceOption = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Write the proposed changes into the spec files.")
    ] = False,
) -> None:
    """Spec changes the telemetry suggests, as a diff: demote, promote, name trust leaks.

    Example: c360 tune --telemetry team.db --specs specs/          (review the diff)
             c360 tune --telemetry team.db --specs specs/ --apply  (write it)

    Each proposal carries its evidence (counts). After --apply, `c360 specs check` still passes.
    """
    from c360tui.metrics.compute import from_tally
    from c360tui.metrics.loader import load_tally
    from c360tui.settings import Settings
    from c360tui.tune import apply_plan, plan_changes

    directory = Settings().specs_dir(specs)
    metrics = from_tally(load_tally(telemetry_paths(telemetry), since=parse_since(since)))
    plan = plan_changes(metrics, directory)
    console = Console(highlight=False, soft_wrap=True)
    if not plan.proposals:
        console.print(Text("No changes to propose: the telemetry gives no evidence yet."))
        return
    for proposal in plan.proposals:
        console.print(Text(f"- {proposal.summary}"))
    if plan.diff:
        sys.stdout.write("\n" + plan.diff)
    if apply:
        written = apply_plan(plan, directory)
        console.print(Text(f"Wrote {len(written)} spec file(s); specs check passes."))
