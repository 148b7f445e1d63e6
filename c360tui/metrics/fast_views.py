"""Open rate and signals shown in SQL, the costly half of a file's count.

A file a writer created with the read indexes (`schema.READ_INDEXES`) is counted through them:
the (session, customer, role, actor) pairs of views and engaging events come from `events_open`
already in pair order, so they are grouped without a sort and without reading the 2 KB view
rows; customers offered by settled searches are added when no such pair has them; views are
counted per spec from `events_shown`. A file without them (written before) is counted in one
statement over the events. Both give the reference's counts (tests/unit/test_metrics_fast.py,
test_metrics_read_indexes.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from c360tui.metrics.fast_query import ENGAGING_SQL, NEXT, Query, loads
from c360tui.metrics.tally import OPEN_DWELL_NS, Tally
from c360tui.telemetry.schema import READ_INDEXES

Part = Callable[[sqlite3.Connection, Query, Tally], None]
_PAIR_TYPES = f"'view_opened', {ENGAGING_SQL}"


def has_read_indexes(conn: sqlite3.Connection) -> bool:
    """True when the file holds the read indexes exactly as this version creates them."""
    found = dict(
        conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'"
        ).fetchall()
    )
    return all(found.get(name) == sql for name, sql in READ_INDEXES.items())


def counter(conn: sqlite3.Connection, q: Query) -> Part:
    """What counts open rate and signals shown for this file and query; it may run on another
    read-only connection of the same file (it shares nothing but the snapshot id in `q`)."""
    if q.few_sessions or not has_read_indexes(conn):
        return views_in_one  # a few sessions: the session index reads only their rows
    return through_indexes


def through_indexes(conn: sqlite3.Connection, q: Query, tally: Tally) -> None:
    """Open rate and signals shown through the read indexes (one thread: a third, measured,
    costs 0.3 s more CPU over 1M events on two cores for no less wall time)."""
    offered(conn, q, tally)
    pairs_and_shown(conn, q, tally)


def _add_shown(conn: sqlite3.Connection, groups: list[tuple[str, int, int]], tally: Tally) -> None:
    """Signals shown: each (view, count, a row id) group's signals read from that one row."""
    for view, n, row_id in groups:  # one representative per view and spec version
        (payload,) = conn.execute("SELECT payload FROM events WHERE id = ?", (row_id,)).fetchone()
        for signal in loads(payload).get("signals", ()):
            key = (view, signal["id"], signal.get("section") or "", bool(signal["above_fold"]))
            tally.shown[key] += n


def views_in_one(conn: sqlite3.Connection, q: Query, tally: Tally) -> None:
    """Open rate and signals shown in one statement, so each large view row is read once."""
    where, source = q.where, q.source
    sql = f"""
    WITH views AS MATERIALIZED (
        SELECT e.id, e.role, e.actor, e.session_id, e.customer_id, e.view, e.spec_version,
               {NEXT.format(column="mono_ns")} - e.mono_ns AS dwell
        FROM {source}
        WHERE e.type = 'view_opened'{where}),
    engaged AS (
        SELECT e.role, e.actor, e.session_id, e.customer_id FROM {source}
        WHERE e.type IN ({ENGAGING_SQL}) AND e.role IS NOT NULL
          AND e.customer_id IS NOT NULL{where}),
    offered AS (
        SELECT e.role, e.actor, e.session_id, j.value AS customer_id
        FROM {source}, json_each(e.payload, '$.customer_ids') j
        WHERE e.type = 'search' AND e.role IS NOT NULL{where}
          AND coalesce({NEXT.format(column="type")}, '') != 'search'),
    pairs AS (
        SELECT role, actor, max(opened) AS opened FROM (
            SELECT role, actor, session_id, customer_id, dwell >= {OPEN_DWELL_NS} AS opened
            FROM views WHERE role IS NOT NULL
            UNION ALL SELECT role, actor, session_id, customer_id, 1 FROM engaged
            UNION ALL SELECT role, actor, session_id, customer_id, 0 FROM offered)
        GROUP BY session_id, customer_id, role, actor)
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
    _add_shown(conn, shown, tally)


def pairs_and_shown(conn: sqlite3.Connection, q: Query, tally: Tally) -> None:
    """The pairs of views and engaging events, from `events_open` in pair order (no sort): a
    pair is presented, and opened when engaged or a view of it stayed up OPEN_DWELL_NS or more;
    then the views per spec from `events_shown`."""
    sql = f"""
    SELECT role, actor, count(*), sum(opened) FROM (
        SELECT e.role, e.actor, max(CASE WHEN e.type = 'view_opened'
            THEN coalesce({NEXT.format(column="mono_ns")} - e.mono_ns >= {OPEN_DWELL_NS}, 0)
            ELSE 1 END) AS opened
        FROM events e INDEXED BY events_open
        WHERE e.customer_id IS NOT NULL AND e.role IS NOT NULL
          AND e.type IN ({_PAIR_TYPES}){q.where}
        GROUP BY e.session_id, e.customer_id, e.role, e.actor)
    GROUP BY role, actor
    """
    for role, actor, n, opened in conn.execute(sql, q.params):
        tally.presented[(role, actor)] += n
        if opened:
            tally.opened[(role, actor)] += opened
    sql = (
        "SELECT coalesce(e.view, ''), count(*), min(e.id) FROM events e INDEXED BY events_shown "
        f"WHERE e.type = 'view_opened'{q.where} GROUP BY e.view, e.spec_version"
    )
    _add_shown(conn, conn.execute(sql, q.params).fetchall(), tally)


def offered(conn: sqlite3.Connection, q: Query, tally: Tally) -> None:
    """Customers offered by settled searches (the next event is not a search) that no view or
    engaging event of the same session, role and actor names: presented, never opened.

    The unary `+` keeps SQLite from seeking `events_open` once per listed type (nine seeks a
    customer); one seek on the pair and a filter on the type is 0.1 s less over 1M events."""
    sql = f"""
    SELECT role, actor, count(*) FROM (
        SELECT DISTINCT e.session_id, e.role, e.actor, j.value
        FROM {q.source}, json_each(e.payload, '$.customer_ids') j
        WHERE e.type = 'search' AND e.role IS NOT NULL{q.where}
          AND coalesce({NEXT.format(column="type")}, '') != 'search'
          AND NOT EXISTS (
            SELECT 1 FROM events v INDEXED BY events_open
            WHERE v.session_id = e.session_id AND v.customer_id = j.value AND v.role = e.role
              AND v.actor = e.actor AND +v.type IN ({_PAIR_TYPES}){q.on("v")}))
    GROUP BY role, actor
    """
    for role, actor, n in conn.execute(sql, q.params):
        tally.presented[(role, actor)] += n
