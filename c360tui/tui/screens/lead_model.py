"""The dashboard's model: what the lead looks at (Scope), what the files hold (Span), and the
numbers per role and view over days (Dashboard), built from a tally. Pure but for `read_span`,
which reads the files' indexes read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from c360tui.metrics.compute import Metrics, from_tally, group_actions, percentile, rate
from c360tui.metrics.tally import Filter, Tally

# Start-day presets `d` cycles through: None is every day, else the last N days of the files.
DAY_PRESETS: tuple[int | None, ...] = (None, 14, 7, 1)


@dataclass(frozen=True, slots=True)
class Scope:
    """What the lead is looking at: one role, rep and view (None = all), from a start day."""

    role: str | None = None
    rep: str | None = None
    view: str | None = None
    since: date | None = None

    def only(self) -> Filter:
        return Filter(role=self.role, rep=self.rep, view=self.view)


@dataclass(frozen=True, slots=True)
class Span:
    """What the telemetry files hold: the choices each filter cycles through, and the days."""

    roles: tuple[str, ...] = ()
    views: tuple[str, ...] = ()
    reps: tuple[str, ...] = ()
    first_day: date | None = None
    last_day: date | None = None
    events: int = 0


@dataclass(frozen=True, slots=True)
class RoleViewRow:
    """Decisions of one role in one view: open rate of the role, times, overrides, per day."""

    role: str
    view: str
    presented: int
    opened: int
    actions: int
    median_ms: int | None
    p90_ms: int | None
    overrides: int
    daily_median: tuple[int | None, ...]
    daily_override: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything the dashboard draws for one scope."""

    scope: Scope
    metrics: Metrics
    days: tuple[str, ...]
    rows: tuple[RoleViewRow, ...]


def day_axis(days: Sequence[str]) -> tuple[str, ...]:
    """Every UTC day from the first to the last given (days without decisions included)."""
    if not days:
        return ()
    first, last = date.fromisoformat(min(days)), date.fromisoformat(max(days))
    return tuple((first + timedelta(n)).isoformat() for n in range((last - first).days + 1))


def build_dashboard(tally: Tally, scope: Scope) -> Dashboard:
    """The dashboard of a tally: the metrics, and per role and view a series per day."""
    groups = group_actions(tally)
    metrics = from_tally(tally, groups)
    days = day_axis([key[0] for key in groups.histograms])
    per_day = groups.by(lambda k: (k[1], k[2], k[0]))  # (role, view, day)
    open_rates = {o.role: o for o in metrics.open_rate}
    rows = []
    for ttd in metrics.time_to_decision:
        opened = open_rates.get(ttd.role)
        series = [per_day.get((ttd.role, ttd.view, day)) for day in days]
        rows.append(
            RoleViewRow(
                ttd.role,
                ttd.view,
                opened.presented if opened else 0,
                opened.opened if opened else 0,
                ttd.actions,
                ttd.median_ms,
                ttd.p90_ms,
                sum(point[1] for point in series if point),
                tuple(percentile(point[0], 50) if point else None for point in series),
                tuple(
                    rate(point[1], sum(point[0].values())) if point else None for point in series
                ),
            )
        )
    acted = {r.role for r in rows}
    for role, opened in sorted(open_rates.items()):  # roles that saw views but never acted
        if role not in acted:
            rows.append(
                RoleViewRow(role, "", opened.presented, opened.opened, 0, None, None, 0, (), ())
            )
    return Dashboard(scope, metrics, days, tuple(rows))


def _distinct(sql: Callable[..., Any], column: str) -> set[str]:
    """The distinct non-empty values of an indexed column, one index seek per value."""
    values: set[str] = set()
    (value,) = sql(f"SELECT min({column}) FROM events WHERE {column} IS NOT NULL").fetchone()
    while value is not None:
        if value:
            values.add(value)
        (value,) = sql(f"SELECT min({column}) FROM events WHERE {column} > ?", (value,)).fetchone()
    return values


# Reps of the sessions' starts, and of the views of any session without a start (found by
# stepping through the session index, one seek per session): the same reps as every start and
# view row, without reading the 200k view rows of a 1M-event file.
_REPS = """
WITH RECURSIVE s(id) AS (
    SELECT min(session_id) FROM events
    UNION ALL
    SELECT (SELECT min(session_id) FROM events WHERE session_id > s.id) FROM s
    WHERE s.id IS NOT NULL)
SELECT rep FROM events WHERE type = 'session_start'
UNION
SELECT e.rep FROM s, events e INDEXED BY events_session
WHERE s.id IS NOT NULL AND e.session_id = s.id AND e.type = 'view_opened'
  AND NOT EXISTS (SELECT 1 FROM events t INDEXED BY events_session
                  WHERE t.session_id = s.id AND t.type = 'session_start')
"""


def read_span(paths: Sequence[Path]) -> Span:
    """Roles, views, reps and first/last day of the files, from their indexes (read-only).

    Each of min, max and count is its own statement: SQLite answers each from an index or the
    b-tree's page counts, where one statement with all three would read every row.
    """
    from c360tui.telemetry.reader import open_reader

    roles: set[str] = set()
    views: set[str] = set()
    reps: set[str] = set()
    firsts, lasts, events = [], [], 0
    for path in paths:
        with open_reader(path) as reader:
            sql = reader.connection.execute
            roles |= _distinct(sql, "role")
            views |= _distinct(sql, "view")
            reps.update(r for (r,) in sql(_REPS))
            (first,) = sql("SELECT min(wall_time) FROM events").fetchone()
            (last,) = sql("SELECT max(wall_time) FROM events").fetchone()
            if first:
                firsts.append(date.fromisoformat(first[:10]))
                lasts.append(date.fromisoformat(last[:10]))
            events += sql("SELECT count(*) FROM events").fetchone()[0]
    return Span(
        tuple(sorted(roles)),
        tuple(sorted(views)),
        tuple(sorted(reps)),
        min(firsts, default=None),
        max(lasts, default=None),
        events,
    )


def cycle(choices: Sequence[str], current: str | None, step: int) -> str | None:
    """The next choice after `current` in [all, *choices] (step -1 goes back)."""
    ring: list[str | None] = [None, *choices]
    index = ring.index(current) if current in ring else 0
    return ring[(index + step) % len(ring)]
