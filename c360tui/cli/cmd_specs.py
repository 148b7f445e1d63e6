"""Commands: `c360 specs check [DIR]` — every problem in the specs, with file, line and fix."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from c360tui.cli.app import app, err_console

specs_app = typer.Typer(
    help="Check the view, identity and source specs.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(specs_app, name="specs")

DirArg = Annotated[
    Path | None,
    typer.Argument(help="The specs directory (default: ./specs, C360_SPECS or the bundled one)."),
]


@specs_app.command("check")
def check(directory: DirArg = None) -> None:
    """Report every problem in sources.toml, identity.toml and each view spec; exit 1 if any.

    Example: c360 specs check specs
    """
    from c360tui.settings import Settings
    from c360tui.specs_io import check_specs, spec_files

    if directory is not None and not directory.is_dir():
        err_console.print(f"error: {directory} is not a directory; pass a directory.", markup=False)
        raise typer.Exit(1)
    folder = directory if directory is not None else Settings().specs_dir()
    problems = check_specs(folder)
    for problem in problems:
        print(problem)
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        err_console.print(f"{len(problems)} {noun} in {folder}", markup=False)
        raise typer.Exit(1)
    print(f"{len(spec_files(folder))} specs OK")
