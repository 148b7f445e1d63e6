"""Read one or many telemetry files read-only, for the metrics and the replay model.

Every file goes through `c360tui.telemetry.reader`, so a missing, non-SQLite, truncated or
other-version file is one C360Error sentence before anything is read, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from c360tui.metrics.incremental import count
from c360tui.metrics.tally import Filter, Tally
from c360tui.telemetry.reader import Recorded, open_reader


def load_events(
    paths: Sequence[Path],
    *,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    session_id: str | None = None,
) -> list[Recorded]:
    """Every event of the files (from `since`, before `until`), in wall-time order.

    Not filtered by role here: how long a view stayed up is measured on the whole session, so
    filter with `Filter` when counting.
    """
    events: list[Recorded] = []
    for path in paths:
        with open_reader(path) as reader:
            events.extend(reader.events(since=since, until=until, session_id=session_id))
    if len(paths) > 1:
        events.sort(key=lambda r: (r.wall_time, r.event.ctx.session_id, r.seq))
    return events


def load_tally(
    paths: Sequence[Path],
    *,
    since: date | datetime | None = None,
    only: Filter | None = None,
    use_cache: bool = True,
) -> Tally:
    """The tally of several files combined (SQL per file, counts added).

    A file counted before with the same `since` and `only` is recounted only for the sessions
    written to since (`c360tui.metrics.incremental`, entries in `c360tui.metrics.cache`); the
    telemetry files themselves are only read.
    """
    total = Tally()
    for path in paths:
        with open_reader(path) as reader:
            total.merge(count(reader, since, only, use_cache=use_cache))
    return total
