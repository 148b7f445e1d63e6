"""Options several commands share, and the parsing behind them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from c360tui.errors import C360Error

DbOption = Annotated[
    Path | None, typer.Option("--db", help="The profile store (default: user data dir; C360_DB).")
]
SpecsOption = Annotated[
    Path | None,
    typer.Option("--specs", help="The specs directory (default: ./specs or C360_SPECS)."),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Judge freshness as of this time (ISO 8601 with a zone, e.g. 2026-11-30T15:00:00Z); "
        "default: now.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def parse_as_of(text: str | None) -> datetime:
    """The as-of time: now (UTC) when not given; a naive or unparseable time is refused."""
    if text is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise C360Error(
            f"--as-of {text!r} is not an ISO 8601 time; write e.g. 2026-11-30T15:00:00Z."
        ) from None
    if moment.tzinfo is None:
        raise C360Error(
            f"--as-of {text!r} has no time zone; add one, e.g. {text}Z or {text}+01:00."
        )
    return moment.astimezone(UTC)
