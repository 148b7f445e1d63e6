"""The sessions list: every recorded session in the dashboard's scope, newest first; enter
replays one. Summaries are read in a thread worker that posts them; cells are safe Text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, get_current_worker

from c360tui.metrics.replay import SessionSummary
from c360tui.tui.safe_text import safe_content, safe_text
from c360tui.tui.screens.replay import ReadingScreen, ReplayScreen
from c360tui.tui.screens.replay_frames import gap

# The Session column shows this much of each id: enough for `c360 replay ID` to find it.
ID_SHOWN = 8

if TYPE_CHECKING:
    from c360tui.tui.screens.lead_model import Scope


class SessionsLoaded(Message):
    def __init__(self, sessions: list[SessionSummary]) -> None:
        super().__init__()
        self.sessions = sessions


class SessionsScreen(ReadingScreen):
    """Every recorded session in the scope, newest first; enter replays one."""

    CSS_PATH = "../lead.tcss"
    BINDING_GROUP_TITLE = "Sessions"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Replay", id="sessions.open", tooltip="Replay this session"),
    ]

    def __init__(self, paths: Sequence[Path], scope: Scope | None = None) -> None:
        super().__init__(id="sessions")
        self.paths = list(paths)
        self.scope = scope
        self.sessions: dict[str, SessionSummary] = {}

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static("Reading sessions…", id="sessions-status")
        yield DataTable(id="sessions-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "c360 · team lead"
        self.sub_title = "sessions"
        table = self.query_one("#sessions-table", DataTable)
        table.add_columns(
            "Rep", "Role", "Start (UTC)", "Length", "Custs", "Acts", "Overr.", "Session"
        )
        table.focus()
        self.load_sessions(self.paths, self.scope)

    @work(thread=True, exclusive=True, exit_on_error=False, group="replay-sessions")
    def load_sessions(self, paths: list[Path], scope: Scope | None) -> None:
        from c360tui.metrics.fast import session_summaries
        from c360tui.telemetry.reader import open_reader

        found: list[SessionSummary] = []
        for path in paths:
            with open_reader(path) as reader:
                found += session_summaries(reader, scope.since if scope else None)
        if scope is not None:
            found = [
                s
                for s in found
                if (scope.role is None or scope.role in s.roles)
                and (scope.rep is None or s.rep == scope.rep)
            ]
        found.sort(key=lambda s: (s.start, s.session_id), reverse=True)
        if not get_current_worker().is_cancelled:
            self.post_message(SessionsLoaded(found))

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        self.failed(event, "#sessions-status")

    @on(SessionsLoaded)
    def _loaded(self, message: SessionsLoaded) -> None:
        table = self.query_one("#sessions-table", DataTable)
        table.clear()
        self.sessions = {s.session_id: s for s in message.sessions}
        for s in message.sessions:
            table.add_row(
                safe_text(s.rep, 16),
                safe_text(s.role or "—", 16),
                Text(s.start.strftime("%Y-%m-%d %H:%M")),
                Text(gap(round(s.seconds * 1000))[1:], justify="right"),
                Text(f"{s.customers:,}", justify="right"),
                Text(f"{s.actions:,}", justify="right"),
                Text(f"{s.overrides:,}", justify="right", style="bold" if s.overrides else ""),
                safe_text(s.session_id[:ID_SHOWN], style="dim"),
                key=s.session_id,
            )
        scope = ""
        if self.scope is not None and (self.scope.role or self.scope.rep or self.scope.since):
            scope = " in the dashboard's filters (view does not apply)"
        status = f"{len(message.sessions):,} session(s){scope}, newest first; enter replays one."
        if not message.sessions:
            status = "No recorded sessions match; press escape and clear the filters (x)."
        self.query_one("#sessions-status", Static).update(safe_content(status))

    @on(DataTable.RowSelected, "#sessions-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.row_key.value)

    def action_open(self) -> None:
        table = self.query_one("#sessions-table", DataTable)
        if table.row_count:
            self._open(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _open(self, session_id: str | None) -> None:
        summary = self.sessions.get(session_id or "")
        if summary is not None:
            self.app.push_screen(ReplayScreen(self.paths, summary))
