"""The sessions list: every recorded session in the dashboard's scope, newest first; enter
replays one. Summaries are read in a thread worker that posts them; cells are safe Text.

The list appears fast over large files: the worker posts the newest sessions first (read from
the newest events, `first_page`), then the whole list (cached per file, `every_session`), and
the table holds only the rows the lead has come near (PAGE at a time, every row on ctrl+end),
so ten thousand sessions cost neither a full read nor ten thousand rows measured before the
first row shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, get_current_worker

from c360tui.core.durations import format_ms
from c360tui.metrics.replay import SessionSummary
from c360tui.tui.safe_text import safe_content, safe_text
from c360tui.tui.screens.replay import ReadingScreen, ReplayScreen

# The Session column shows this much of each id: enough for `c360 replay ID` to find it.
ID_SHOWN = 8
# Rows added to the table at a time: the first page, then another as the cursor nears the end.
PAGE = 100

if TYPE_CHECKING:
    from c360tui.tui.screens.lead_model import Scope


class SessionsLoaded(Message):
    """Sessions newest first: the newest few (`complete` False), or all of them."""

    def __init__(self, sessions: list[SessionSummary], complete: bool) -> None:
        super().__init__()
        self.sessions = sessions
        self.complete = complete


class SessionsTable(DataTable[Any]):
    """The sessions table; scrolling near its end, or ctrl+end, asks for the rows not added."""

    def __init__(self, more: Callable[[bool], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.more = more  # more(True) adds every row left, more(False) another page

    def action_scroll_bottom(self) -> None:
        self.more(True)
        super().action_scroll_bottom()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value > old_value and new_value >= self.max_scroll_y - self.size.height:
            self.more(False)


def row_of(s: SessionSummary) -> tuple[Text, ...]:
    """One session's cells: rep, role, start, length, customers, actions, overrides, id."""
    return (
        safe_text(s.rep, 16),
        safe_text(s.role or "—", 16),
        Text(s.start.strftime("%Y-%m-%d %H:%M")),
        Text(format_ms(round(s.seconds * 1000)), justify="right"),
        Text(f"{s.customers:,}", justify="right"),
        Text(f"{s.actions:,}", justify="right"),
        Text(f"{s.overrides:,}", justify="right", style="bold" if s.overrides else ""),
        safe_text(s.session_id[:ID_SHOWN], style="dim"),
    )


def in_scope(found: list[SessionSummary], scope: Scope | None) -> list[SessionSummary]:
    """The sessions of the dashboard's role and rep (its view filter does not apply)."""
    if scope is None:
        return found
    return [
        s
        for s in found
        if (scope.role is None or scope.role in s.roles)
        and (scope.rep is None or s.rep == scope.rep)
    ]


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
        self.order: list[SessionSummary] = []  # newest first; the table shows a prefix
        self.complete = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static("Reading sessions…", id="sessions-status")
        yield SessionsTable(self._more, id="sessions-table", cursor_type="row", zebra_stripes=True)
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
        from c360tui.metrics.sessions import every_session, first_page

        since = scope.since if scope else None
        page = in_scope(first_page(paths, since, PAGE), scope)
        if get_current_worker().is_cancelled:
            return
        self.post_message(SessionsLoaded(page, complete=False))
        found = in_scope(every_session(paths, since), scope)
        if not get_current_worker().is_cancelled:
            self.post_message(SessionsLoaded(found, complete=True))

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        self.failed(event, "#sessions-status")

    @on(SessionsLoaded)
    def _loaded(self, message: SessionsLoaded) -> None:
        table = self.query_one("#sessions-table", DataTable)
        shown = self.order[: table.row_count]
        if message.sessions[: len(shown)] != shown:  # the file moved in between: start over
            table.clear()
        self.order, self.complete = message.sessions, message.complete
        self.sessions = {s.session_id: s for s in message.sessions}
        self._show_rows(max(PAGE, table.row_count))
        self._paint_status()

    def _paint_status(self) -> None:
        scope = ""
        filtered = self.scope is not None and bool(
            self.scope.role or self.scope.rep or self.scope.since
        )
        if filtered:
            scope = " in the dashboard's filters (view does not apply)"
        count = len(self.order)
        if not self.complete:
            status = f"The newest {count:,} session(s){scope}; reading the rest…"
            if not count:
                status = "Reading sessions…"
        elif count:
            status = f"{count:,} session(s){scope}, newest first; enter replays one."
        elif filtered:
            status = "No recorded sessions match; press escape and clear the filters (x)."
        else:
            status = "No recorded sessions in the telemetry yet."
        self.query_one("#sessions-status", Static).update(safe_content(status))

    def _show_rows(self, upto: int) -> None:
        """Add the rows after those shown, up to `upto` sessions (fewer if there are fewer)."""
        table = self.query_one("#sessions-table", DataTable)
        start = table.row_count
        for s in self.order[start:upto]:
            table.add_row(*row_of(s), key=s.session_id)

    def _more(self, everything: bool) -> None:
        table = self.query_one("#sessions-table", DataTable)
        self._show_rows(len(self.order) if everything else table.row_count + PAGE)

    @on(DataTable.RowHighlighted, "#sessions-table")
    def _near_the_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= event.data_table.row_count - max(1, PAGE // 4):
            self._more(False)

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
