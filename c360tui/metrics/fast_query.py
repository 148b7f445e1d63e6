"""What the SQL counts of `fast.py` and `fast_views.py` share: which rows count, and SQL pieces.

A `Query` is the conditions on one alias of `events` (the time window, the filter, the snapshot
id and optionally a few sessions) with their named parameters, so every statement of one count
reads the same rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from c360tui.metrics.tally import ENGAGING, Filter
from c360tui.telemetry.writer import format_wall

try:  # orjson parses the small action payloads several times faster; json is the fallback
    import orjson

    loads: Callable[[str], Any] = orjson.loads
except ImportError:  # pragma: no cover - depends on the environment
    loads = json.loads

ENGAGING_SQL = ", ".join(f"'{t}'" for t in sorted(ENGAGING))
# The session's next event after `e`, by seq. One writer commits a session in seq order, so it
# is usually the very next row (a rowid lookup on a page already read); otherwise the
# (session_id, seq) index finds it. COALESCE evaluates the second only when the first is NULL.
# Rows past `:upto` (committed after the count began) are never read: one snapshot throughout.
NEXT = (
    "coalesce((SELECT n.{column} FROM events n WHERE n.id = e.id + 1 AND n.id <= :upto "
    "AND n.session_id = e.session_id AND n.seq = e.seq + 1), "
    "(SELECT n.{column} FROM events n WHERE n.session_id = e.session_id AND n.seq > e.seq "
    "AND n.id <= :upto ORDER BY n.seq LIMIT 1))"
)


def moment(value: date | datetime) -> str:
    """A date (midnight UTC) or datetime as the file's wall_time text, for comparisons."""
    if isinstance(value, datetime):
        return format_wall(value)
    return f"{value.isoformat()}T00:00:00.000000Z"


@dataclass(frozen=True, slots=True)
class Query:
    """Which rows of `events e` count: SQL conditions on `e`, their named parameters, and the
    source (`events e`, or with a hint to the session index when a few sessions are counted);
    `on("v")` is the same conditions on another alias, for a subquery over other rows."""

    where: str
    params: dict[str, object]
    source: str = "events e"
    clauses: tuple[str, ...] = ()

    def on(self, alias: str) -> str:
        """The conditions (each after ` AND `) on rows of `events` named `alias`."""
        return "".join(f" AND {c.format(a=alias)}" for c in self.clauses)

    @property
    def few_sessions(self) -> bool:
        """True when only some sessions are counted (through the session index)."""
        return "sessions" in self.params


def where(
    since: date | datetime | None,
    only: Filter,
    upto: int,
    sessions: Sequence[str] | None = None,
) -> Query:
    """The conditions for the time window, the filter, the snapshot and (optionally) sessions."""
    clauses = ["{a}.id <= :upto"]  # each on the alias `{a}`
    params: dict[str, object] = {"upto": upto}
    if since is not None:
        clauses.append("{a}.wall_time >= :since")
        params["since"] = moment(since)
    for column, value in (
        ("role", only.role),
        ("rep", only.rep),
        ("view", only.view),
        ("actor", only.actor),
    ):
        if value is not None:
            clauses.append(f"{{a}}.{column} = :{column}")
            params[column] = value
    source = "events e"
    if sessions is not None:
        # The planner would walk the type index over the whole file; the session index reads
        # only these sessions' rows.
        clauses.append("{a}.session_id IN (SELECT value FROM json_each(:sessions))")
        params["sessions"] = json.dumps(list(sessions))
        source = "events e INDEXED BY events_session"
    text = "".join(f" AND {c.format(a='e')}" for c in clauses)
    return Query(text, params, source, tuple(clauses))
