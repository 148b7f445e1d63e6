"""Incremental tallies: a file that writers add to is recounted only for the sessions that moved.

A file's tally is the sum of its sessions' tallies (open counts are per session, every other
count per event), so a count can keep the tally of the sessions that have ended and, next time,
read only the events after the last id it counted: the sessions they belong to and the sessions
still live then are counted whole again, the ended ones are added to the kept part.

Exact, never guessed: a kept entry is used only when the file is the same one (device, inode and
the rows at the first and last counted ids unchanged) and no new event belongs to a session it
kept as ended or never saw live; otherwise the whole file is counted again. A session counts as
ended once its `session_end` is written; one that never writes it (a killed app) stays live and
is recounted each time, which costs time, never correctness.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from c360tui.metrics import cache
from c360tui.metrics.fast import guarded, last_event_id, tally_file
from c360tui.metrics.tally import Filter, Tally
from c360tui.telemetry.reader import TelemetryReader

_MARK_SQL = (
    "SELECT id, type, session_id, seq, mono_ns, wall_time FROM events "
    "WHERE id IN (:first, :upto) ORDER BY id"
)
_IN = "SELECT value FROM json_each(:sessions)"


def _rows(reader: TelemetryReader, sql: str, **params: object) -> list[tuple[Any, ...]]:
    """All rows of one statement, with SQLite errors as one C360Error sentence."""
    rows: list[tuple[Any, ...]] = []
    guarded(reader.path, lambda: rows.extend(reader.connection.execute(sql, params)))
    return rows


def marks(reader: TelemetryReader, upto: int) -> list[list[Any]]:
    """The rows at the first id and at `upto`: they tell this file from one put in its place."""
    ((first,),) = _rows(reader, "SELECT min(id) FROM events")
    return [list(row) for row in _rows(reader, _MARK_SQL, first=first or 0, upto=upto)]


def ended(reader: TelemetryReader, sessions: Sequence[str], upto: int) -> set[str]:
    """Which of `sessions` have written their session_end by `upto`."""
    sql = (
        "SELECT DISTINCT session_id FROM events INDEXED BY events_session "
        f"WHERE session_id IN ({_IN}) AND type = 'session_end' AND id <= :upto"
    )
    return {s for (s,) in _rows(reader, sql, sessions=json.dumps(list(sessions)), upto=upto)}


def live(reader: TelemetryReader, upto: int) -> list[str]:
    """Sessions started by `upto` without a session_end by then (from the type index)."""
    sql = (
        "SELECT session_id FROM events WHERE type = 'session_start' AND id <= :upto "
        "EXCEPT SELECT session_id FROM events WHERE type = 'session_end' AND id <= :upto"
    )
    return sorted(s for (s,) in _rows(reader, sql, upto=upto))


def moved(
    reader: TelemetryReader, after: int, live_ids: Sequence[str], upto: int
) -> list[str] | None:
    """Sessions with events after id `after`, or None if one was not live then (kept ended)."""
    sql = "SELECT DISTINCT session_id FROM events WHERE id > :after AND id <= :upto"
    found = sorted(s for (s,) in _rows(reader, sql, after=after, upto=upto))
    live_then = set(live_ids)
    strangers = [s for s in found if s not in live_then]
    if strangers:
        sql = (
            "SELECT 1 FROM events INDEXED BY events_session "
            f"WHERE session_id IN ({_IN}) AND id <= :after LIMIT 1"
        )
        if _rows(reader, sql, sessions=json.dumps(strangers), after=after):
            return None  # an event after the mark in a session the entry holds as ended
    return found


def _fresh(
    reader: TelemetryReader, since: date | datetime | None, only: Filter, upto: int
) -> cache.Entry:
    """Count the whole file; keep the live sessions' part apart for the next count."""
    total = tally_file(reader, since, only, upto=upto)
    live_ids = live(reader, upto)
    live_part = tally_file(reader, since, only, upto=upto, sessions=live_ids)
    return cache.Entry(upto, marks(reader, upto), total.remove(live_part), live_ids, live_part)


def _advance(
    reader: TelemetryReader,
    entry: cache.Entry,
    since: date | datetime | None,
    only: Filter,
    upto: int,
) -> cache.Entry | None:
    """The entry moved on to `upto`, reading only the sessions that moved (None: recount all)."""
    went = moved(reader, entry.upto, entry.live_ids, upto)
    if went is None:
        return None
    touched = sorted(set(went) | set(entry.live_ids))
    finished = ended(reader, touched, upto)
    now_ended = [s for s in touched if s in finished]
    live_ids = [s for s in touched if s not in finished]
    kept = entry.ended.merge(tally_file(reader, since, only, upto=upto, sessions=now_ended))
    live_part = tally_file(reader, since, only, upto=upto, sessions=live_ids)
    return cache.Entry(upto, marks(reader, upto), kept, live_ids, live_part)


def count(
    reader: TelemetryReader,
    since: date | datetime | None = None,
    only: Filter | None = None,
    *,
    use_cache: bool = True,
) -> Tally:
    """The tally of one open file, from its cache entry and what was written since, if it can."""
    only = only or Filter()
    upto = last_event_id(reader)
    key = cache.file_key(reader.path, since, only) if use_cache and cache.cache_dir() else None
    if key is None:
        return tally_file(reader, since, only, upto=upto)
    entry = cache.load(key)
    if entry is not None and (entry.upto > upto or entry.marks != marks(reader, entry.upto)):
        entry = None  # another file in this place, or rows gone: nothing kept applies
    if entry is None or entry.upto < upto:
        moved = _advance(reader, entry, since, only, upto) if entry is not None else None
        entry = moved or _fresh(reader, since, only, upto)
        cache.store(key, entry)
    return Tally().merge(entry.ended).merge(entry.live)
