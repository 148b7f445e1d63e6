"""The Tally of one telemetry file computed mostly in SQL, for files too big to decode one by one.

Agrees with the reference `tally_events` (tests/unit/test_metrics_fast.py checks it on fixtures)
under one assumption the app guarantees: every `view_opened` of one view name and spec version
lists the same signals in the same places (the app builds them all from that spec), so the
signals of one such event stand for the group's and the large `view_opened` payloads are never
parsed row by row. `c360 tune --apply` bumps a spec's version for this reason.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from c360tui.errors import C360Error
from c360tui.metrics import fast_query, fast_views
from c360tui.metrics.fast_query import Query, loads
from c360tui.metrics.replay import SessionSummary
from c360tui.metrics.tally import Filter, Tally
from c360tui.telemetry.reader import TelemetryReader, open_reader

MMAP_BYTES = 1 << 31  # read pages through a memory map (no copy per page); reading only


_DECIDING = ',"deciding":'
_HEAD_KEYS = frozenset({"action", "recommended_action", "ms_since_view"})
Deciding = tuple[tuple[str, str], ...]


def _tail(tail: str) -> tuple[Deciding, bool]:
    """The (id, trust) pairs of a payload's text from its "deciding" key on, and whether the
    text before that key alone holds the action's other fields (it does, as the writer puts
    them first); a tail that is not a JSON object's end, or repeats those keys, is not trusted.
    """
    try:
        rest = loads("{" + tail)
        pairs = tuple((d["id"], d["trust"]) for d in rest["deciding"])
    except (ValueError, TypeError, KeyError):
        return (), False
    return pairs, isinstance(rest, dict) and not _HEAD_KEYS & rest.keys()


def _actions(conn: sqlite3.Connection, q: Query, tally: Tally) -> None:
    """One pass over the actions, parsed in Python (faster than ->> thrice).

    The deciding list repeats across actions, so the payload's text from the "deciding" key on
    keys a memo of its parsed pairs, and only the short text before it (action, recommendation,
    ms since the view) is parsed per row; any payload that does not split so is parsed whole.
    """
    sql = (
        "SELECT substr(e.wall_time, 1, 10), coalesce(e.role, ''), coalesce(e.view, ''), e.actor, "
        f"e.payload FROM {q.source} WHERE e.type = 'action_taken'{q.where}"
    )
    actions: list[tuple[str, str, str, str, int, bool]] = []
    decided: list[tuple[str, bool, Deciding]] = []
    memo: dict[str, tuple[Deciding, bool]] = {}
    for day, role, view, actor, payload in conn.execute(sql, q.params):
        cut = payload.find(_DECIDING)
        tail = payload[cut + 1 :] if cut >= 0 else ""
        known = memo.get(tail)
        if known is None:
            known = memo[tail] = _tail(tail) if tail else ((), False)
        deciding, split = known
        data = None
        if split:
            try:
                data = loads(payload[:cut] + "}")
            except ValueError:
                data = None
            if not isinstance(data, dict) or not data.keys() >= _HEAD_KEYS:
                data = None
        if data is None:  # parsed whole, as written by anything but this app's writer
            data = loads(payload)
            deciding = tuple((d["id"], d["trust"]) for d in data.get("deciding", ()))
        override = data["action"] != data["recommended_action"]
        actions.append((day, role, view, actor, int(data["ms_since_view"]), override))
        decided.append((view, override, deciding))
    tally.actions.update(actions)  # Counter counts a list in C
    tally.deciding.update(decided)


_TOUCH_KINDS = {"field_expanded": "expanded", "provenance_opened": "why"}


def _text(data: dict[str, Any], key: str) -> Any:
    """`data[key]`, '' when absent or null: what `coalesce(payload ->> key, '')` gives."""
    value = data.get(key)
    return "" if value is None else value


def _touches(conn: sqlite3.Connection, q: Query, tally: Tally) -> None:
    """Expands, whys, flags and section opens: one pass, the small payloads parsed in Python.

    Parsing them with `->>` in SQL costs as much alone, but while the views are counted on the
    other connection SQLite's allocator is shared and contended: 0.15-0.3 s more wall time.
    """
    sql = (
        f"SELECT coalesce(e.view, ''), e.type, e.payload FROM {q.source} WHERE e.type IN "
        f"('field_expanded', 'provenance_opened', 'value_flagged', 'section_expanded'){q.where}"
    )
    touches: list[tuple[str, Any, str]] = []
    flags: list[tuple[str, Any, Any, Any, Any]] = []
    sections: list[tuple[str, Any]] = []
    for view, event_type, payload in conn.execute(sql, q.params):
        data = loads(payload)
        if not isinstance(data, dict):
            data = {}  # as `->>` reads any other JSON value: every field null
        if event_type == "section_expanded":
            sections.append((view, data.get("section_id")))
        elif event_type == "value_flagged":
            signal = data.get("signal_id")
            flags.append(
                (
                    view,
                    signal,
                    _text(data, "attribute"),
                    _text(data, "source_system"),
                    data.get("trust"),
                )
            )
            touches.append((view, signal, "flagged"))
        else:
            touches.append((view, data.get("signal_id"), _TOUCH_KINDS[event_type]))
    tally.touches.update(touches)  # Counter counts a list in C
    tally.flags.update(flags)
    tally.sections.update(sections)


def guarded(path: Path, work: Callable[[], None]) -> None:
    """Run one query group, turning SQLite and payload errors into one C360Error sentence."""
    try:
        work()
    except sqlite3.DatabaseError:
        raise C360Error(
            f"{path} is damaged (truncated or corrupt); restore it from a copy."
        ) from None
    except (KeyError, TypeError, ValueError) as error:
        raise C360Error(
            f"{path} holds a malformed event ({error}); the file was edited or damaged."
        ) from None


def last_event_id(reader: TelemetryReader) -> int:
    """The file's last committed event id (0 when empty): the snapshot a count reads up to."""
    row: tuple[int | None] | None = None

    def work() -> None:
        nonlocal row
        row = reader.connection.execute("SELECT max(id) FROM events").fetchone()

    guarded(reader.path, work)
    return (row[0] if row else None) or 0


def tally_file(
    reader: TelemetryReader,
    since: date | datetime | None = None,
    only: Filter | None = None,
    *,
    upto: int | None = None,
    sessions: Sequence[str] | None = None,
) -> Tally:
    """The tally of one open telemetry file (see the module docstring for the one assumption).

    Counts events with ids up to `upto` (default: the last committed now), so every statement
    sees the same events while writers go on; `sessions` counts only those sessions (whole).
    For the whole file, open rate and signals shown (`fast_views.counter`) are counted on a
    second read-only connection in a thread while this one parses the actions: SQLite releases
    the GIL as it steps.
    """
    if sessions is not None and not sessions:
        return Tally()
    last = last_event_id(reader) if upto is None else upto
    q = fast_query.where(since, only or Filter(), last, sessions)
    tally, side = Tally(), Tally()
    reader.connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    found: list[fast_views.Part] = []
    guarded(reader.path, lambda: found.append(fast_views.counter(reader.connection, q)))
    views = found[0]
    if sessions is not None:  # a few sessions: a thread would cost more than it saves
        for part in (views, _actions, _touches):
            guarded(reader.path, partial(part, reader.connection, q, tally))
        return tally
    failure: list[BaseException] = []

    def counted_aside() -> None:
        try:
            with open_reader(reader.path) as other:
                other.connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
                guarded(reader.path, partial(views, other.connection, q, side))
        except BaseException as error:  # handed to the caller's thread below
            failure.append(error)

    thread = threading.Thread(target=counted_aside, name="c360-report-views")
    thread.start()
    try:
        guarded(reader.path, partial(_actions, reader.connection, q, tally))
        guarded(reader.path, partial(_touches, reader.connection, q, tally))
    finally:
        thread.join()
    if failure:
        raise failure[0]
    return tally.merge(side)


def session_summaries(
    reader: TelemetryReader,
    since: date | datetime | None = None,
    *,
    upto: int | None = None,
    sessions: Sequence[str] | None = None,
) -> list[SessionSummary]:
    """The replay sessions list of one file in SQL (equal to `replay.sessions` of its events):
    up to event id `upto` (default: the last), of every session or only of `sessions`."""
    last = last_event_id(reader) if upto is None else upto
    q = fast_query.where(since, Filter(), last, sessions)
    sql = (
        "SELECT e.session_id, min(e.rep), min(e.actor), group_concat(DISTINCT e.role), "
        "min(e.wall_time), max(e.mono_ns) - min(e.mono_ns), count(DISTINCT e.customer_id), "
        "sum(e.type = 'action_taken'), "
        "sum(e.type = 'action_taken' AND e.payload ->> '$.override'), count(*) "
        f"FROM {q.source} WHERE 1{q.where} GROUP BY e.session_id"
    )
    rows = []

    def work() -> None:
        for (
            sid,
            rep,
            actor,
            roles,
            start,
            span,
            customers,
            actions,
            overrides,
            n,
        ) in reader.connection.execute(sql, q.params):
            rows.append(
                SessionSummary(
                    sid,
                    rep,
                    actor,
                    tuple(sorted(roles.split(","))) if roles else (),
                    datetime.fromisoformat(start),
                    span / 1e9,
                    customers,
                    actions,
                    overrides or 0,
                    n,
                )
            )

    guarded(reader.path, work)
    return sorted(rows, key=lambda s: (s.start, s.session_id))


def newest_sessions(
    reader: TelemetryReader,
    since: date | datetime | None = None,
    want: int = 100,
    *,
    upto: int | None = None,
) -> tuple[list[SessionSummary], datetime | None]:
    """The newest sessions of one file without reading it all: (summaries, floor).

    Events are read newest first (wall-time index) until 2 x `want` sessions are seen; every
    session not seen then started at or before the wall time reached, the floor, so the seen
    sessions that started after it are exactly the newest of `session_summaries` (often fewer
    than `want` when sessions overlap). The floor is None when every event was read.
    """
    last = last_event_id(reader) if upto is None else upto
    q = fast_query.where(since, Filter(), last)
    sql = (
        "SELECT e.session_id, e.wall_time FROM events e INDEXED BY events_wall_time "
        f"WHERE 1{q.where} ORDER BY e.wall_time DESC"
    )
    seen: dict[str, None] = {}
    floor: list[str] = []

    def work() -> None:
        for session_id, wall in reader.connection.execute(sql, q.params):
            if session_id not in seen:
                if len(seen) == 2 * want:
                    floor.append(wall)
                    return
                seen[session_id] = None

    guarded(reader.path, work)
    found = session_summaries(reader, since, upto=last, sessions=list(seen)) if seen else []
    bound = datetime.fromisoformat(floor[0]) if floor else None
    kept = [s for s in found if bound is None or s.start > bound]
    return sorted(kept, key=lambda s: (s.start, s.session_id), reverse=True), bound
