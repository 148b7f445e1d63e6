"""The team-lead dashboard: open rate, time to decision and overrides per role and view, over
days as sparklines and charts; field attention as bars; trust leaks. Filters by role, rep, view
and start day with single keys; `s` opens the recorded sessions for replay.

Telemetry is read read-only in thread workers that post messages; handlers fill the widgets.
Every string from a telemetry file reaches the screen as Text/Content, never as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from c360tui.errors import C360Error
from c360tui.metrics.compute import Metrics, from_tally, group_actions, percentile, rate
from c360tui.metrics.tally import Filter, Tally
from c360tui.tui.safe_text import join, safe_content, safe_text

SPARKS = " ▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉█"
NO_DATA = "·"
# Start-day presets `d` cycles through: None is every day, else the last N days of the files.
DAY_PRESETS: tuple[int | None, ...] = (None, 14, 7, 1)
CHART_HEIGHT = 5


# ---------------------------------------------------------------------------- drawing (pure)


def spark(values: Sequence[float | None], top: float | None = None) -> str:
    """One character per value, ▁ to █ against `top` (default the largest); · for no data."""
    known = [v for v in values if v is not None]
    peak = top if top is not None else max(known, default=0.0)
    out = []
    for value in values:
        if value is None:
            out.append(NO_DATA)
        elif peak <= 0:
            out.append(SPARKS[1])
        else:
            out.append(SPARKS[max(1, min(8, round(value / peak * 8)))])
    return "".join(out)


def bar(share: float | None, width: int) -> str:
    """A horizontal bar of `width` cells filled to `share` (0..1) in eighths; blank for None."""
    if share is None:
        return " " * width
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[part] if part else "")
    return text.ljust(width, "░") if full < width else text[:width]


def column_chart(values: Sequence[float | None], height: int, step: int = 2) -> list[str]:
    """Columns `step` cells apart, `height` rows tall (top row first), scaled to the largest."""
    peak = max((v for v in values if v is not None), default=0.0)
    rows = []
    for row in range(height, 0, -1):
        line = []
        for value in values:
            if value is None or peak <= 0:
                cell = NO_DATA if value is None and row == 1 else " "
            else:
                level = value / peak * height * 8 - (row - 1) * 8
                cell = "█" if level >= 8 else SPARKS[max(0, round(level))] if level > 0 else " "
                if row == 1 and cell == " ":
                    cell = SPARKS[1]  # a day with decisions always shows
            line.append(cell.ljust(step))
        rows.append("".join(line).rstrip())
    return rows


def format_ms(ms: int | None) -> str:
    """Milliseconds for people: 850 ms, 3.2 s, 4m 05s; — when unknown."""
    if ms is None:
        return "—"
    if ms < 1000:
        return f"{ms} ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f} s"
    minutes, seconds = divmod(round(ms / 1000), 60)
    return f"{minutes}m {seconds:02d}s"


def pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


# ---------------------------------------------------------------------------- the model (pure)


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


# ---------------------------------------------------------------------------- messages


class SpanLoaded(Message):
    def __init__(self, span: Span) -> None:
        super().__init__()
        self.span = span


class DashboardLoaded(Message):
    def __init__(self, dashboard: Dashboard) -> None:
        super().__init__()
        self.dashboard = dashboard


# ---------------------------------------------------------------------------- the screen


def _title(text: str) -> Static:
    return Static(Content.styled(text, "bold $accent"), classes="lead-title")


class LeadScreen(Screen[None]):
    """The team lead's dashboard over one or more telemetry files."""

    CSS_PATH = "../lead.tcss"
    BINDING_GROUP_TITLE = "Team lead"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "cycle('role', 1)", "Role", id="lead.role", tooltip="Next role (R: back)"),
        Binding("R", "cycle('role', -1)", "Role back", show=False, id="lead.role_back"),
        Binding("e", "cycle('rep', 1)", "Rep", id="lead.rep", tooltip="Next rep (E: back)"),
        Binding("E", "cycle('rep', -1)", "Rep back", show=False, id="lead.rep_back"),
        Binding("v", "cycle('view', 1)", "View", id="lead.view", tooltip="Next view (V: back)"),
        Binding("V", "cycle('view', -1)", "View back", show=False, id="lead.view_back"),
        Binding("d", "days", "Days", id="lead.days", tooltip="All days, last 14, 7, 1"),
        Binding("left_square_bracket", "shift_day(-1)", "Start day earlier", show=False),
        Binding("right_square_bracket", "shift_day(1)", "Start day later", show=False),
        Binding("x", "clear", "Clear filters", id="lead.clear", tooltip="Show everything"),
        Binding("s", "sessions", "Sessions", id="lead.sessions", tooltip="Replay a session"),
        Binding("f5,ctrl+r", "reload", "Reload", show=False, id="lead.reload"),
    ]

    def __init__(self, paths: Sequence[Path] | None = None) -> None:
        super().__init__(id="lead")
        self._given = list(paths) if paths else None
        self.scope = Scope()
        self.span = Span()
        self._preset = 0
        self._cache: dict[Scope, Dashboard] = {}

    @property
    def paths(self) -> list[Path]:
        """The files to read: those given, else the app's own telemetry file."""
        if self._given:
            return self._given
        own = getattr(self.app, "telemetry_path", None)
        return [own] if own is not None else []

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(id="lead-filters")
        yield Static(id="lead-status")
        with VerticalScroll(id="lead-body"):
            yield _title("Decisions by role and view")
            yield DataTable(id="lead-decisions", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="lead-charts"):
                yield Static(id="lead-ttd-chart", classes="lead-chart")
                yield Static(id="lead-override-chart", classes="lead-chart")
            yield _title("Field attention: shown, expanded, asked why, flagged")
            yield DataTable(id="lead-attention", cursor_type="row", zebra_stripes=True)
            yield _title("Trust leaks")
            yield Static(id="lead-trust")
            yield DataTable(id="lead-flags", cursor_type="row")
            yield DataTable(id="lead-override-leaks", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "c360 · team lead"
        self.sub_title = "adoption and trust"
        tracker = getattr(self.app, "tracker", None)
        if tracker is not None:
            tracker.screen_opened("lead")
        self._setup_tables()
        self._paint_filters()
        if not self.paths:
            self._status("Telemetry is off in this session; run `c360 lead --telemetry FILE`.")
            return
        self._status(f"Reading {len(self.paths)} telemetry file(s)…")
        self.load_span(self.paths)
        self._request()
        self.query_one("#lead-decisions", DataTable).focus()

    def _setup_tables(self) -> None:
        for table_id, columns in (
            (
                "#lead-decisions",
                (
                    "Role",
                    "View",
                    "Open rate",
                    "Acts",
                    "Median",
                    "p90",
                    "by day",
                    "Overr.",
                    "by day",
                ),
            ),
            (
                "#lead-attention",
                ("View", "Field", "Where", "Shown", "Exp.", "Why", "Flag", "Touched per view"),
            ),
            ("#lead-flags", ("Flagged wrong: view", "Field", "Source", "Flags", "Trust then")),
            (
                "#lead-override-leaks",
                ("Overrides on: view", "Field", "Trust", "Acts", "Overr.", "Rate"),
            ),
        ):
            self.query_one(table_id, DataTable).add_columns(*columns)

    # ------------------------------------------------------------------ workers

    @work(thread=True, exclusive=True, exit_on_error=False, group="lead-span")
    def load_span(self, paths: list[Path]) -> None:
        span = read_span(paths)
        if not get_current_worker().is_cancelled:
            self.post_message(SpanLoaded(span))

    @work(thread=True, exclusive=True, exit_on_error=False, group="lead-metrics")
    def load_dashboard(self, paths: list[Path], scope: Scope) -> None:
        from c360tui.metrics.loader import load_tally

        tally = load_tally(paths, since=scope.since, only=scope.only())
        if not get_current_worker().is_cancelled:
            self.post_message(DashboardLoaded(build_dashboard(tally, scope)))

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, C360Error):
            message = str(error)
        else:
            message = f"Could not read the telemetry ({type(error).__name__}); press f5 to retry."
        self._status(message, error=True)
        self.app.notify(message, title="c360", severity="error", markup=False)

    @on(SpanLoaded)
    def _span_loaded(self, message: SpanLoaded) -> None:
        self.span = message.span
        self._paint_filters()

    @on(DashboardLoaded)
    def _dashboard_loaded(self, message: DashboardLoaded) -> None:
        self._cache[message.dashboard.scope] = message.dashboard
        if message.dashboard.scope == self.scope:
            self._paint(message.dashboard)

    def _request(self) -> None:
        """Show the current scope: from the cache, else load it (older numbers stay, dimmed)."""
        self._paint_filters()
        cached = self._cache.get(self.scope)
        if cached is not None:
            self._paint(cached)
            return
        self.query_one("#lead-body").add_class("-loading")
        self._status("Counting…")
        self.load_dashboard(self.paths, self.scope)

    # ------------------------------------------------------------------ actions

    def action_cycle(self, what: str, step: int) -> None:
        choices = {"role": self.span.roles, "rep": self.span.reps, "view": self.span.views}[what]
        chosen = cycle(choices, getattr(self.scope, what), step)
        if what == "role":
            self.scope = replace(self.scope, role=chosen)
        elif what == "rep":
            self.scope = replace(self.scope, rep=chosen)
        else:
            self.scope = replace(self.scope, view=chosen)
        self._request()

    def action_days(self) -> None:
        self._preset = (self._preset + 1) % len(DAY_PRESETS)
        days = DAY_PRESETS[self._preset]
        first, last = self.span.first_day, self.span.last_day
        since = None if days is None or last is None else last - timedelta(days - 1)
        if since is not None and first is not None and since <= first:
            since = None  # the files hold fewer days than the preset: that is every day
        self.scope = replace(self.scope, since=since)
        self._request()

    def action_shift_day(self, step: int) -> None:
        first, last = self.span.first_day, self.span.last_day
        if first is None or last is None:
            return
        since = (self.scope.since or first) + timedelta(step)
        since = max(first, min(last, since))
        self.scope = replace(self.scope, since=None if since == first else since)
        self._request()

    def action_clear(self) -> None:
        self.scope, self._preset = Scope(), 0
        self._request()

    def action_reload(self) -> None:
        self._cache.clear()
        if self.paths:
            self.load_span(self.paths)
            self._request()

    def action_sessions(self) -> None:
        from c360tui.tui.screens.replay import SessionsScreen

        if self.paths:
            self.app.push_screen(SessionsScreen(self.paths, self.scope))

    # ------------------------------------------------------------------ painting

    def _status(self, text: str, error: bool = False) -> None:
        style = "bold $error" if error else "$text-muted"
        self.query_one("#lead-status", Static).update(safe_content(text, style=style))

    def _paint_filters(self) -> None:
        span, scope = self.span, self.scope
        days = "all days"
        if span.first_day and span.last_day:
            start = scope.since or span.first_day
            days = f"{start.isoformat()} → {span.last_day.isoformat()}"
        parts: list[Content | str] = []
        for key, name, value in (
            ("r", "role", scope.role),
            ("e", "rep", scope.rep),
            ("v", "view", scope.view),
            ("d", "days", days),
        ):
            parts += [
                Content.styled(f" {key} ", "reverse bold"),
                Content.styled(f" {name} ", "$text-muted"),
                safe_content(value or "all", 28, style="bold" if value else ""),
                "  ",
            ]
        parts.append(Content.styled(f"{span.events:,} events", "$text-muted"))
        self.query_one("#lead-filters", Static).update(join(*parts))

    def _paint(self, board: Dashboard) -> None:
        self.query_one("#lead-body").remove_class("-loading")
        metrics = board.metrics
        actions = sum(r.actions for r in board.rows)
        if board.days:
            self._status(
                f"{actions:,} decisions over {len(board.days)} day(s): "
                f"{board.days[0]} → {board.days[-1]}"
            )
        else:
            self._status("No decisions match these filters; press x to clear them.")
        self._paint_decisions(board)
        self._paint_charts(board)
        self._paint_attention(metrics)
        self._paint_leaks(metrics)

    def _paint_decisions(self, board: Dashboard) -> None:
        table = self.query_one("#lead-decisions", DataTable)
        table.clear()
        for row in board.rows:
            share = rate(row.opened, row.presented)
            table.add_row(
                safe_text(row.role, 12),
                safe_text(row.view or "—", 22),
                Text(f"{bar(share, 6)} {pct(share):>4}"),
                Text(f"{row.actions:,}", justify="right"),
                Text(format_ms(row.median_ms), justify="right"),
                Text(format_ms(row.p90_ms), justify="right"),
                Text(spark(row.daily_median)),
                Text(pct(rate(row.overrides, row.actions)), justify="right"),
                Text(spark(row.daily_override, top=1.0)),
            )

    def _paint_charts(self, board: Dashboard) -> None:
        daily = {d.day: d for d in board.metrics.daily}
        points = [daily.get(day) for day in board.days]
        medians = [float(p.median_ms) if p and p.median_ms is not None else None for p in points]
        overrides = [p.override_rate if p else None for p in points]
        peak_ms = max((m for m in medians if m is not None), default=None)
        peak_rate = max((o for o in overrides if o is not None), default=None)
        self.query_one("#lead-ttd-chart", Static).update(
            _chart(
                "Median time to decision by day",
                medians,
                board.days,
                format_ms(int(peak_ms)) if peak_ms is not None else "",
            )
        )
        self.query_one("#lead-override-chart", Static).update(
            _chart("Override rate by day", overrides, board.days, pct(peak_rate))
        )

    def _paint_attention(self, metrics: Metrics) -> None:
        table = self.query_one("#lead-attention", DataTable)
        table.clear()
        rows = sorted(
            metrics.field_attention, key=lambda a: (a.view, -(a.touched / (a.shown or 1)), a.field)
        )
        peak = max((a.touched / a.shown for a in rows if a.shown), default=0.0) or 1.0
        for a in rows:
            per_view = a.touched / a.shown if a.shown else None
            where = a.section or ("fold" if a.above_fold else "below")
            never = a.shown and not a.touched
            style = "dim" if never else ""
            label = "never touched" if never else f"{per_view:.2f}" if per_view is not None else ""
            table.add_row(
                safe_text(a.view, 22, style=style),
                safe_text(a.field, 24, style=style),
                safe_text(where, 12, style="dim"),
                Text(f"{a.shown:,}", justify="right"),
                Text(f"{a.expanded:,}", justify="right"),
                Text(f"{a.why:,}", justify="right"),
                Text(f"{a.flagged:,}", justify="right", style="bold" if a.flagged else ""),
                Text(f"{bar((per_view or 0) / peak, 12)} {label}", style=style),
            )

    def _paint_leaks(self, metrics: Metrics) -> None:
        lines = [Content.styled("Override rate by trust state of the deciding signals", "bold")]
        for row in metrics.override_by_trust:
            lines.append(
                join(
                    safe_content(f"{row.group:<11}"),
                    Content(f" {bar(row.rate, 20)} {pct(row.rate):>4} "),
                    Content.styled(f"{row.overrides:,} of {row.actions:,} actions", "$text-muted"),
                )
            )
        if len(lines) == 1:
            lines.append(Content.styled("no actions yet", "$text-muted"))
        self.query_one("#lead-trust", Static).update(Content("\n").join(lines))
        flags = self.query_one("#lead-flags", DataTable)
        flags.clear()
        for leak in metrics.flag_leaks:
            trusts = ", ".join(f"{state} {n}" for state, n in leak.trust)
            flags.add_row(
                safe_text(leak.view, 22),
                safe_text(leak.field, 24),
                safe_text(leak.source or "—", 16),
                Text(f"{leak.flags:,}", justify="right", style="bold"),
                safe_text(trusts, 40),
            )
        overrides = self.query_one("#lead-override-leaks", DataTable)
        overrides.clear()
        for over in metrics.override_leaks:
            overrides.add_row(
                safe_text(over.view, 22),
                safe_text(over.field, 24),
                safe_text(over.trust, 12),
                Text(f"{over.actions:,}", justify="right"),
                Text(f"{over.overrides:,}", justify="right", style="bold"),
                Text(f"{bar(over.rate, 8)} {pct(over.rate):>4}"),
            )


def _chart(title: str, values: list[float | None], days: Sequence[str], peak: str) -> Content:
    """A titled column chart, its peak on the first row and the first and last day below."""
    lines = [Content.styled(title, "bold")]
    if not days:
        return join(lines[0], "\n", Content.styled("no decisions", "$text-muted"))
    rows = column_chart(values, CHART_HEIGHT)
    width = max(len(days) * 2, 12)
    for index, row in enumerate(rows):
        label = peak if index == 0 else ""
        lines.append(join(Content(f"{label:>7} │"), Content.styled(row, "$accent")))
    lines.append(Content(f"{'':>7} └" + "─" * width))
    first, last = days[0][5:], days[-1][5:]
    axis = first if len(days) == 1 else first + last.rjust(width - len(first))
    lines.append(Content.styled(f"{'':>9}{axis}", "$text-muted"))
    return Content("\n").join(lines)
