"""The typer app and the error boundary every command runs inside."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(
    name="c360",
    help="c360tui: a terminal Customer 360 built around the decision a rep makes right now.",
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

# Soft wrap: the terminal wraps a long sentence, so a path in it stays whole for copying.
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one plain sentence to stderr and return the Exit to raise."""
    err_console.print(f"error: {message}", markup=False)
    return typer.Exit(code)


@app.callback()
def _no_command(ctx: typer.Context) -> None:
    """With no command, open the launcher of every role (`c360 --help` lists the commands)."""
    if ctx.invoked_subcommand is None:
        from c360tui.cli.cmd_tui import launch

        launch("launcher", require_store=False)


def main() -> None:
    """Entry point: run the app; a C360Error is one sentence and exit 1, never a traceback."""
    from c360tui.entry import guarded

    guarded(app)


@app.command()
def version() -> None:
    """Print the installed version.

    Example: c360 version
    """
    from c360tui import __version__

    print(__version__)
