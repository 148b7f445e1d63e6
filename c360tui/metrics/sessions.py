"""Finding recorded sessions for the replay: one session by its id or the start of it.

Read-only over any number of telemetry files, from the session index (one seek per candidate, so
a 1,000,000-event file answers at once); a typed id that matches no session or several is one
C360Error sentence naming what to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from c360tui.errors import C360Error
from c360tui.metrics.fast import guarded
from c360tui.metrics.replay import SessionSummary, sessions
from c360tui.telemetry.reader import TelemetryReader, open_reader
from c360tui.text_safety import printable

SHOWN = 3  # ids an ambiguous prefix names before "…"

_NEXT_SESSION = (
    "SELECT min(session_id) FROM events INDEXED BY events_session WHERE session_id > :after"
)


def ids_starting(reader: TelemetryReader, prefix: str, limit: int) -> list[str]:
    """Up to `limit` session ids of one file that start with `prefix`, in id order."""
    found: list[str] = []

    def work() -> None:
        sql = reader.connection.execute
        (first,) = sql(
            "SELECT min(session_id) FROM events INDEXED BY events_session "
            "WHERE session_id >= :prefix",
            {"prefix": prefix},
        ).fetchone()
        current = first
        while current is not None and current.startswith(prefix) and len(found) < limit:
            found.append(current)
            (current,) = sql(_NEXT_SESSION, {"after": current}).fetchone()

    guarded(reader.path, work)
    return found


def find_session(paths: Sequence[Path], text: str) -> SessionSummary:
    """The one session whose id is `text`, or the one whose id starts with it, over `paths`."""
    wanted = text.strip()
    matches: set[str] = set()
    for path in paths:
        with open_reader(path) as reader:
            matches.update(ids_starting(reader, wanted, SHOWN + 1))
    if wanted in matches:
        matches = {wanted}  # a whole id wins over the longer ids it starts
    shown = printable(wanted, 40)
    if not matches:
        where = str(paths[0]) if len(paths) == 1 else f"{len(paths)} telemetry files"
        raise C360Error(
            f"No recorded session in {where} has an id starting {shown!r}; "
            "run `c360 replay` without an id to list them."
        )
    if len(matches) > 1:
        names = ", ".join(sorted(matches)[:SHOWN])
        more = ", …" if len(matches) > SHOWN else ""
        raise C360Error(
            f"{shown!r} starts the ids of several sessions ({names}{more}); type more of the id."
        )
    (session_id,) = matches
    from c360tui.metrics.loader import load_events

    (summary,) = sessions(load_events(paths, session_id=session_id))
    return summary
