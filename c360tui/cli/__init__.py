"""The `c360` command line: one module per command group, all on one typer app."""

# Importing the command modules registers their commands on `app`.
from c360tui.cli import (  # noqa: F401
    cmd_agent,
    cmd_ingest,
    cmd_lead,
    cmd_query,
    cmd_report,
    cmd_sample,
    cmd_simulate,
    cmd_specs,
    cmd_tui,
)
from c360tui.cli.app import app, main

__all__ = ["app", "main"]
