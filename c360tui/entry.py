"""The `c360` entry point and the error boundary every command runs inside.

A plain `c360 support|sdr|csm [options]` (or bare `c360`) opens its screen straight away
(c360tui.tui.launch); every other command line goes to the typer app in c360tui.cli. Neither path
imports the other's libraries, so a rep's morning start pays for Textual and not for typer.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def guarded(run: Callable[[], object]) -> None:
    """Run a command; a C360Error is one sentence and exit 1, a bug one sentence and exit 2."""
    from c360tui.errors import C360Error

    try:
        run()
    except C360Error as error:
        _say(f"error: {error}")
        sys.exit(1)
    except KeyboardInterrupt:
        _say("interrupted")
        sys.exit(130)
    except Exception as error:  # the last boundary: a bug still gets one sentence, not a traceback
        if os.environ.get("C360_DEBUG"):
            raise
        _say(
            f"internal error: {type(error).__name__}: {error} "
            "(re-run with C360_DEBUG=1 for details)"
        )
        sys.exit(2)


def _say(message: str) -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(message, markup=False)


def main() -> None:
    """`c360`: a quick screen launch when the command line is plain, else the typer app."""
    from c360tui.tui.launch import quick_request, run_request

    request = quick_request(sys.argv[1:])
    if request is None:
        from c360tui.cli import app

        guarded(app)
        return
    guarded(lambda: run_request(request))
