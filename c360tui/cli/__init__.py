"""The `c360` command line: one module per command group, all on one typer app."""

from c360tui.cli.app import app, main

# Importing the command modules registers their commands on `app`.
from c360tui.cli import cmd_specs, cmd_sample, cmd_ingest, cmd_query  # noqa: E402, F401, I001

__all__ = ["app", "main"]
