"""Commands: `c360 ingest` (read, validate, resolve, index) and `c360 quarantine` (refused rows)."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from c360tui.cli.app import app
from c360tui.errors import C360Error

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from c360tui.core.sources_spec import SourcesSpec
    from c360tui.ingest.summary import IngestSummary

# Raw rows are shown up to this many characters in the table (the JSON output has them whole).
RAW_SHOWN = 80
# Phases that together make the wall time (the others are parts of these).
_WALL_PHASES = (
    "validate",
    "read+store",
    "quarantine",
    "load",
    "resolve",
    "accounts",
    "reconcile+write",
)
_PHASES = {
    "read": "Reading and storing rows",
    "load": "Loading source records",
    "resolve": "Resolving identities",
    "reconcile": "Reconciling and indexing",
}


_SIDECARS = ("-wal", "-shm", "-journal")  # SQLite's files beside a database


def printable(text: str, limit: int | None = None) -> str:
    """Customer text made safe for a terminal: control, format and bidi characters escaped."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in text)


def _load_sources_file(path: Path) -> SourcesSpec:
    """A sources spec from an explicit file, refused in one sentence if it is unusable."""
    from pydantic import ValidationError

    from c360tui.core.sources_spec import SourcesSpec

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise C360Error(f"{path} does not exist; pass --sources a sources.toml file.") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise C360Error(f"{path} is not readable TOML ({error}).") from None
    try:
        return SourcesSpec.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        raise C360Error(f"{path}: {where}: {first['msg']}; run c360 specs check.") from None


class _Bar:
    """A Rich progress display fed by the pipeline's (phase, done, total) callbacks."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        task = self.tasks.get(phase)
        if task is None:
            for other in self.tasks.values():
                self.progress.update(other, completed=self.progress.tasks[other].total or 1)
            task = self.progress.add_task(_PHASES.get(phase, phase), total=total)
            self.tasks[phase] = task
        self.progress.update(task, completed=done, total=total)


def _summary_tables(summary: IngestSummary, db: Path) -> list[Table | Text]:
    files = Table(title="Files", title_justify="left")
    for column in ("feed", "file", "read", "accepted", "quarantined"):
        files.add_column(
            column, justify="right" if column in ("read", "accepted", "quarantined") else "left"
        )
    for count in summary.files:
        files.add_row(
            Text(count.feed),
            Text(printable(count.file)),
            f"{count.read:,}",
            f"{count.accepted:,}",
            f"{count.quarantined:,}",
        )
    totals = Table(title="Ingest summary", title_justify="left", show_header=False)
    totals.add_column("what")
    totals.add_column("count", justify="right")
    for label, value in summary.rows():
        totals.add_row(label, value)
    notes: list[Table | Text] = [files, totals]
    if summary.missing_feeds:
        notes.append(Text(f"Feeds with no file here: {', '.join(summary.missing_feeds)}."))
    if summary.quarantined:
        rows = "1 row was" if summary.quarantined == 1 else f"{summary.quarantined:,} rows were"
        notes.append(Text(f"{rows} quarantined; list them with `c360 quarantine --db {db}`."))
    seconds = sum(
        v for k, v in summary.timings.items() if "+" not in k and k not in ("read", "reconcile")
    )
    notes.append(Text(f"Stored in {db} ({seconds:.1f}s)."))
    return notes


DbOption = Annotated[
    Path | None, typer.Option("--db", help="The profile store (default: user data dir; C360_DB).")
]


@app.command("ingest")
def ingest_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Export files or directories holding them (default: the bundled sample data).",
            show_default=False,
        ),
    ] = None,
    sources: Annotated[
        Path | None,
        typer.Option(help="A sources.toml to use instead of the one in the specs directory."),
    ] = None,
    specs: Annotated[
        Path | None,
        typer.Option(help="The specs directory (sources.toml, identity.toml); C360_SPECS too."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Read source exports, quarantine bad rows, resolve customers and build the search index.

    Files are matched to feeds by name; a directory is searched for every feed's file. Ingesting
    the same files again adds nothing and keeps every customer id.

    Example: c360 ingest sample_data --db ./c360.db
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from c360tui import specs_io
    from c360tui.ingest.pipeline import ingest
    from c360tui.settings import Settings
    from c360tui.store import open_store

    settings = Settings()
    folder = settings.specs_dir(specs)
    source_spec = _load_sources_file(sources) if sources else specs_io.load_sources(folder)
    identity = specs_io.load_identity(folder)
    if identity is None:
        raise C360Error(f"No identity.toml in {folder}; point --specs at the specs directory.")
    db_path = settings.db_path(db)
    console = Console(stderr=True, highlight=False)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    created = not db_path.exists()
    try:
        with open_store(db_path, region=source_spec.default_region) as store, progress:
            summary = ingest(
                list(paths or []),
                store,
                now=datetime.now(UTC),
                sources=source_spec,
                identity=identity,
                progress=_Bar(progress),
            )
    except BaseException:
        if created:  # a refused or interrupted first ingest leaves no store behind
            for leftover in (db_path, *(db_path.with_name(db_path.name + s) for s in _SIDECARS)):
                leftover.unlink(missing_ok=True)
        raise
    out = Console(highlight=False)
    for part in _summary_tables(summary, db_path):
        out.print(part)


@app.command("quarantine")
def quarantine_command(
    db: DbOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the rows as a JSON array, raw rows whole.")
    ] = False,
    limit: Annotated[int | None, typer.Option(min=1, help="Show at most this many rows.")] = None,
) -> None:
    """List the rows ingest refused: feed, file, line, reason and the raw row.

    Example: c360 quarantine --db ./c360.db --limit 20
    """
    from c360tui.settings import Settings, demo_note
    from c360tui.store import open_store

    path, demo = Settings().store_to_read(db)
    if demo:
        Console(stderr=True, highlight=False).print(demo_note(None), markup=False)
    with open_store(path, create=False) as store:
        rows = store.quarantine(limit)
    if as_json:
        payload = [
            {"feed": r.feed, "file": r.file, "line": r.line, "reason": r.reason, "raw": r.raw}
            for r in rows
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    out = Console(highlight=False)
    if not rows:
        out.print("No quarantined rows.", markup=False)
        return
    table = Table(title=f"Quarantined rows ({len(rows):,})", title_justify="left")
    table.add_column("feed", no_wrap=True, max_width=20)
    table.add_column("file", no_wrap=True, max_width=24)
    table.add_column("line", justify="right", no_wrap=True)
    table.add_column("reason", ratio=3, overflow="fold")
    table.add_column("raw row", ratio=2, overflow="fold")
    for row in rows:
        table.add_row(
            Text(row.feed),
            Text(printable(row.file)),
            str(row.line),
            Text(printable(row.reason)),
            Text(printable(row.raw, RAW_SHOWN)),
        )
    out.print(table)
