"""The Tally of one telemetry file computed mostly in SQL, for files too big to decode one by one.

Agrees with the reference `tally_events` (tests/unit/test_metrics_fast.py checks it on fixtures)
under one assumption the app guarantees: every `view_opened` of one view name and spec version
lists the same signals in the same places (the app builds them all from that spec), so the
signals of one such event stand for the group's and the large `view_opened` payloads are never
parsed row by row. `c360 tune --apply` bumps a spec's version for this reason.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from c360tui.errors import C360Error
from c360tui.metrics.replay import SessionSummary
from c360tui.metrics.tally import ENGAGING, OPEN_DWELL_NS, Filter, Tally
from c360tui.telemetry.reader import TelemetryReader, open_reader
from c360tui.telemetry.writer import format_wall

try:  # orjson parses the small action payloads several times faster; json is the fallback
    import orjson

    _loads: Callable[[str], Any] = orjson.loads
except ImportError:  # pragma: no cover - depends on the environment
    _loads = json.loads

_ENGAGING_SQL = ", ".join(f"'{t}'" for t in sorted(ENGAGING))
# The session's next event after `e`, by seq. One writer commits a session in seq order, so it
# is usually the very next row (a rowid lookup on a page already read); otherwise the
# (session_id, seq) index finds it. COALESCE evaluates the second only when the first is NULL.
# Rows past `:upto` (committed after the count began) are never read: one snapshot throughout.
_NEXT = (
    "coalesce((SELECT n.{column} FROM events n WHERE n.id = e.id + 1 AND n.id <= :upto "
    "AND n.session_id = e.session_id AND n.seq = e.seq + 1), "
    "(SELECT n.{column} FROM events n WHERE n.session_id = e.session_id AND n.seq > e.seq "
    "AND n.id <= :upto ORDER BY n.seq LIMIT 1))"
)
MMAP_BYTES = 1 << 31  # read pages through a memory map (no copy per page); reading only


def moment(value: date | datetime) -> str:
    """A date (midnight UTC) or datetime as the file's wall_time text, for comparisons."""
    if isinstance(value, datetime):
        return format_wall(value)
    return f"{value.isoformat()}T00:00:00.000000Z"


@dataclass(frozen=True, slots=True)
class Query:
    """Which rows of `events e` count: SQL conditions on `e`, their named parameters, and the
    source (`events e`, or with a hint to the session index when a few sessions are counted)."""

    where: str
    params: dict[str, object]
    source: str = "events e"


def _where(
    since: date | datetime | None,
    only: Filter,
    upto: int,
    sessions: Sequence[str] | None = None,
) -> Query:
    """The conditions for the time window, the filter, the snapshot and (optionally) sessions."""
    clauses = ["e.id <= :upto"]
    params: dict[str, object] = {"upto": upto}
    if since is not None:
        clauses.append("e.wall_time >= :since")
        params["since"] = moment(since)
    for column, value in (
        ("role", only.role),
        ("rep", only.rep),
        ("view", only.view),
        ("actor", only.actor),
    ):
        if value is not None:
            clauses.append(f"e.{column} = :{column}")
            params[column] = value
    source = "events e"
    if sessions is not None:
        # The planner would walk the type index over the whole file; the session index reads
        # only these sessions' rows.
        clauses.append("e.session_id IN (SELECT value FROM json_each(:sessions))")
        params["sessions"] = json.dumps(list(sessions))
        source = "events e INDEXED BY events_session"
    return Query("".join(f" AND {c}" for c in clauses), params, source)


def _views(conn: sqlite3.Connection, q: Query, tally: Tally) -> None:
    """Open rate and signals shown, in one statement so each large view row is read once."""
    where, source = q.where, q.source
    sql = f"""
    WITH views AS MATERIALIZED (
        SELECT e.id, e.role, e.actor, e.session_id, e.customer_id, e.view, e.spec_version,
               {_NEXT.format(column="mono_ns")} - e.mono_ns AS dwell
        FROM {source}
        WHERE e.type = 'view_opened'{where}),
    engaged AS (
        SELECT e.role, e.actor, e.session_id, e.customer_id FROM {source}
        WHERE e.type IN ({_ENGAGING_SQL}) AND e.role IS NOT NULL
          AND e.customer_id IS NOT NULL{where}),
    offered AS (
        SELECT e.role, e.actor, e.session_id, j.value AS customer_id
        FROM {source}, json_each(e.payload, '$.customer_ids') j
        WHERE e.type = 'search' AND e.role IS NOT NULL{where}
          AND coalesce({_NEXT.format(column="type")}, '') != 'search'),
    pairs AS (
        SELECT role, min(actor) AS actor, max(opened) AS opened FROM (
            SELECT role, actor, session_id, customer_id, dwell >= {OPEN_DWELL_NS} AS opened
            FROM views WHERE role IS NOT NULL
            UNION ALL SELECT role, actor, session_id, customer_id, 1 FROM engaged
            UNION ALL SELECT role, actor, session_id, customer_id, 0 FROM offered)
        GROUP BY session_id, customer_id, role)  -- a session has one actor
    SELECT 'open', role, actor, count(*), sum(opened) FROM pairs GROUP BY role, actor
    UNION ALL
    SELECT 'shown', coalesce(view, ''), spec_version, count(*), min(id) FROM views
    GROUP BY view, spec_version
    """
    shown: list[tuple[str, int, int]] = []
    for kind, first, second, n, extra in conn.execute(sql, q.params):
        if kind == "open":
            tally.presented[(first, second)] += n
            if extra:
                tally.opened[(first, second)] += extra
        else:
            shown.append((first, n, extra))
    for view, n, row_id in shown:  # one representative per view and spec version
        (payload,) = conn.execute("SELECT payload FROM events WHERE id = ?", (row_id,)).fetchone()
        for signal in _loads(payload).get("signals", ()):
            key = (view, signal["id"], signal.get("section") or "", bool(signal["above_fold"]))
            tally.shown[key] += n


_DECIDING = ',"deciding":'
_HEAD_KEYS = frozenset({"action", "recommended_action", "ms_since_view"})
Deciding = tuple[tuple[str, str], ...]


def _tail(tail: str) -> tuple[Deciding, bool]:
    """The (id, trust) pairs of a payload's text from its "deciding" key on, and whether the
    text before that key alone holds the action's other fields (it does, as the writer puts
    them first); a tail that is not a JSON object's end, or repeats those keys, is not trusted.
    """
    try:
        rest = _loads("{" + tail)
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
                data = _loads(payload[:cut] + "}")
            except ValueError:
                data = None
            if not isinstance(data, dict) or not data.keys() >= _HEAD_KEYS:
                data = None
        if data is None:  # parsed whole, as written by anything but this app's writer
            data = _loads(payload)
            deciding = tuple((d["id"], d["trust"]) for d in data.get("deciding", ()))
        override = data["action"] != data["recommended_action"]
        actions.append((day, role, view, actor, int(data["ms_since_view"]), override))
        decided.append((view, override, deciding))
    tally.actions.update(actions)  # Counter counts a list in C
    tally.deciding.update(decided)


def _touches(conn: sqlite3.Connection, q: Query, tally: Tally) -> None:
    where, source, params = q.where, q.source, q.params
    sql = (
        "SELECT coalesce(e.view, ''), e.type, e.payload ->> '$.signal_id', count(*) "
        f"FROM {source} WHERE e.type IN ('field_expanded', 'provenance_opened'){where} "
        "GROUP BY 1, 2, 3"
    )
    kinds = {"field_expanded": "expanded", "provenance_opened": "why"}
    for view, event_type, signal_id, n in conn.execute(sql, params):
        tally.touches[(view, signal_id, kinds[event_type])] += n
    sql = (
        "SELECT coalesce(e.view, ''), e.payload ->> '$.signal_id', "
        "coalesce(e.payload ->> '$.attribute', ''), coalesce(e.payload ->> '$.source_system', ''), "
        f"e.payload ->> '$.trust', count(*) FROM {source} WHERE e.type = 'value_flagged'{where} "
        "GROUP BY 1, 2, 3, 4, 5"
    )
    for view, signal_id, attribute, system, trust, n in conn.execute(sql, params):
        tally.flags[(view, signal_id, attribute, system, trust)] += n
        tally.touches[(view, signal_id, "flagged")] += n
    sql = (
        "SELECT coalesce(e.view, ''), e.payload ->> '$.section_id', count(*) "
        f"FROM {source} WHERE e.type = 'section_expanded'{where} GROUP BY 1, 2"
    )
    for view, section, n in conn.execute(sql, params):
        tally.sections[(view, section)] += n


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
    For the whole file, the view rows (open rate, signals shown) are read on a second read-only
    connection in a thread while this one parses the actions: SQLite releases the GIL as it steps.
    """
    if sessions is not None and not sessions:
        return Tally()
    q = _where(since, only or Filter(), last_event_id(reader) if upto is None else upto, sessions)
    tally, side = Tally(), Tally()
    reader.connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
    if sessions is not None:  # a few sessions: a thread would cost more than it saves
        guarded(reader.path, lambda: _views(reader.connection, q, side))
        guarded(reader.path, lambda: _actions(reader.connection, q, tally))
        guarded(reader.path, lambda: _touches(reader.connection, q, tally))
        return tally.merge(side)
    failure: list[BaseException] = []

    def views() -> None:
        try:
            with open_reader(reader.path) as other:
                other.connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
                guarded(reader.path, lambda: _views(other.connection, q, side))
        except BaseException as error:  # handed to the caller's thread below
            failure.append(error)

    thread = threading.Thread(target=views, name="c360-report-views")
    thread.start()
    try:
        guarded(reader.path, lambda: _actions(reader.connection, q, tally))
        guarded(reader.path, lambda: _touches(reader.connection, q, tally))
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
    q = _where(since, Filter(), last, sessions)
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
    q = _where(since, Filter(), last)
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
