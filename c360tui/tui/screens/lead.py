"""The team-lead dashboard: open rate, time to decision and overrides per role and view, over
days as sparklines and charts; field attention as bars; trust leaks. Filters by role, rep, view
and start day with single keys; `s` opens the recorded sessions for replay.

Telemetry is read read-only in thread workers that post messages; handlers fill the widgets.
Every string from a telemetry file reaches the screen as Text/Content, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

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
from c360tui.metrics.compute import Metrics
from c360tui.tui.safe_text import join, safe_content
from c360tui.tui.screens.lead_charts import bar, chart, column_chart, format_ms, pct, spark
from c360tui.tui.screens.lead_model import (
    DAY_PRESETS,
    Dashboard,
    Scope,
    Span,
    build_dashboard,
    cycle,
    read_span,
)
from c360tui.tui.screens.lead_tables import (
    COLUMNS,
    Row,
    attention_rows,
    decision_rows,
    flag_rows,
    override_leak_rows,
    trust_lines,
)

# The drawings and the model, importable from here as before the split.
__all__ = [
    "Dashboard",
    "LeadScreen",
    "Scope",
    "Span",
    "bar",
    "build_dashboard",
    "column_chart",
    "cycle",
    "format_ms",
    "pct",
    "read_span",
    "spark",
]


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
        for table_id, columns in COLUMNS.items():
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
        from c360tui.tui.screens.sessions import SessionsScreen

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
        self._fill("#lead-decisions", decision_rows(board))

    def _fill(self, table_id: str, rows: list[Row]) -> None:
        table = self.query_one(table_id, DataTable)
        table.clear()
        for row in rows:
            table.add_row(*row)

    def _paint_charts(self, board: Dashboard) -> None:
        daily = {d.day: d for d in board.metrics.daily}
        points = [daily.get(day) for day in board.days]
        medians = [float(p.median_ms) if p and p.median_ms is not None else None for p in points]
        overrides = [p.override_rate if p else None for p in points]
        peak_ms = max((m for m in medians if m is not None), default=None)
        peak_rate = max((o for o in overrides if o is not None), default=None)
        self.query_one("#lead-ttd-chart", Static).update(
            chart(
                "Median time to decision by day",
                medians,
                board.days,
                format_ms(int(peak_ms)) if peak_ms is not None else "",
            )
        )
        self.query_one("#lead-override-chart", Static).update(
            chart("Override rate by day", overrides, board.days, pct(peak_rate))
        )

    def _paint_attention(self, metrics: Metrics) -> None:
        self._fill("#lead-attention", attention_rows(metrics))

    def _paint_leaks(self, metrics: Metrics) -> None:
        self.query_one("#lead-trust", Static).update(trust_lines(metrics))
        self._fill("#lead-flags", flag_rows(metrics))
        self._fill("#lead-override-leaks", override_leak_rows(metrics))
