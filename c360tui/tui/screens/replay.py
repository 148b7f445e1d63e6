"""Replay: the recorded sessions, and one session stepped (left/right) or played (space) at 1x,
4x or 16x, showing the decision view as the rep saw it then and what they did to it.

The view comes from the recorded `view_opened` event (signals, trust, freshness, ages), never
from the store: a customer that changed since still replays as it was. Telemetry is read in
thread workers that post messages; every recorded string is shown as Text/Content, never markup.
The loading worker also draws every step ahead (`build_replay`), and the timeline and the view
are line-API widgets (`Lines`), so a step repaints only the lines that changed, with no layout.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.styles import RulesMap
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.timer import Timer
from textual.visual import Visual
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from c360tui.core.durations import format_age
from c360tui.errors import C360Error
from c360tui.metrics.replay import SessionSummary, ShownView, Step, describe
from c360tui.telemetry.events import ShownSignal
from c360tui.tui.safe_text import join, safe_content, safe_text

if TYPE_CHECKING:
    from c360tui.tui.screens.lead import Scope

SPEEDS = (1, 4, 16)
MAX_WAIT_S = 3.0  # an idle gap plays as at most this long (its real length is still shown)
# Trust as glyph and word (the decision view's look), so NO_COLOR still tells them apart.
TRUST = {
    "trusted": ("✓", "$success"),
    "stale": ("⌛", "$warning"),
    "conflicted": ("⚠", "bold $error"),
    "missing": ("∅", "$text-muted"),
    "unverified": ("?", "italic $warning"),
}
# What the highlighted line says the rep just did.
DOING = {
    "field_expanded": "◀ expand",
    "field_collapsed": "◀ collapse",
    "provenance_opened": "◀ why",
    "value_flagged": "◀ flag",
    "section_expanded": "◀ open",
    "section_collapsed": "◀ close",
}


def delay_for(gap_ms: int, speed: int) -> float:
    """Seconds to wait before showing a step `gap_ms` after the previous one, at `speed`."""
    return min(max(gap_ms, 0) / 1000 / speed, MAX_WAIT_S)


def clock(ms: int) -> str:
    """Time since the session started: 0:03.5, 12:40.0, 1:02:03.0."""
    minutes, seconds = divmod(ms / 1000, 60)
    hours, minutes = divmod(int(minutes), 60)
    return f"{hours}:{minutes:02d}:{seconds:04.1f}" if hours else f"{minutes}:{seconds:04.1f}"


def gap(ms: int) -> str:
    """The time since the previous event: +850 ms, +3.2 s, +4m 05s."""
    if ms < 1000:
        return f"+{ms} ms"
    if ms < 60_000:
        return f"+{ms / 1000:.1f} s"
    minutes, seconds = divmod(round(ms / 1000), 60)
    return f"+{minutes}m {seconds:02d}s"


def short(step: Step) -> str:
    """A step in a few words for the timeline (the full sentence is shown below the view)."""
    who = f" {step.customer_id}" if step.customer_id else ""
    if step.type == "action_taken":
        verdict = f"✗ overrode {step.recommended_action}" if step.override else "✓ as recommended"
        return f"● {step.action}{who} {verdict}"
    if step.type == "view_opened" and step.view is not None:
        return f"▣ view{who} ★ {step.view.recommended_action}"
    if step.type in DOING and step.target is not None:
        verb = DOING[step.type].removeprefix("◀ ")
        return f"{'⚑ ' if verb == 'flag' else ''}{verb} {step.target}"
    if step.type == "screen_opened":
        return f"screen {step.screen}"
    return step.type.replace("_", " ") + who


def _age(signal: ShownSignal) -> str:
    age = "?" if signal.age_seconds is None else format_age(timedelta(seconds=signal.age_seconds))
    if signal.budget_seconds is None:
        return age
    return f"{age} / {format_age(timedelta(seconds=signal.budget_seconds))}"


def signal_line(signal: ShownSignal, view: ShownView, step: Step) -> Content:
    """One recorded signal: open mark, rank, id, trust glyph+word, freshness, age/budget, flag."""
    glyph, style = TRUST[signal.trust]
    open_mark = "▾" if signal.id in view.expanded else " "
    flagged = signal.id in view.flagged
    name = safe_content(signal.id, 20)
    line = join(
        Content(f"{open_mark}{signal.rank:>2}"),
        Content.styled("⚑", "bold $error") if flagged else " ",
        name.pad_right(max(0, 20 - name.cell_length)),
        " ",
        Content.styled(f"{glyph} {signal.trust:<10}", style),
        " ",
        Content(f"{signal.freshness:<7} {_age(signal):<9} "),
        Content.styled("flagged ", "bold $error") if flagged else Content(""),
    )
    if step.target == signal.id and step.type in DOING:
        return join(line, " ", Content.styled(DOING[step.type], "bold")).stylize("reverse")
    return line


def view_lines(view: ShownView, step: Step) -> list[Content]:
    """The recorded view: ranked signals, the fold, then each section open or closed."""
    lines: list[Content] = []
    ranked = [s for s in view.signals if s.section is None]
    below = False
    for signal in sorted(ranked, key=lambda s: s.rank):
        if not signal.above_fold and not below:
            below = True
            lines.append(Content.styled("   ── below the fold ──", "$text-muted"))
        lines.append(signal_line(signal, view, step))
    sections: dict[str, list[ShownSignal]] = {}
    for signal in view.signals:
        if signal.section is not None:
            sections.setdefault(signal.section, []).append(signal)
    for section, members in sections.items():
        is_open = section in view.open_sections
        head = join(
            Content("▾ " if is_open else "▸ "),
            safe_content(section, 30),
            Content.styled(f"  {len(members)} signal(s)", "$text-muted"),
        )
        if step.target == section and step.type in DOING:
            head = join(head, " ", Content.styled(DOING[step.type], "bold")).stylize("reverse")
        lines.append(head)
        if is_open:
            lines += [join("  ", signal_line(s, view, step)) for s in members]
    return lines


def event_line(step: Step) -> Content:
    """What happened at this step, the action and whether it overrode the recommendation."""
    if step.type == "action_taken":
        verdict = (
            Content.styled(f" OVERRODE {step.recommended_action} ", "bold reverse $error")
            if step.override
            else Content.styled(" as recommended ", "bold reverse $success")
        )
        return join(
            Content.styled("ACTION ", "bold"),
            safe_content(step.action or "", 24, style="bold"),
            " ",
            verdict,
            Content.styled(f"  {gap(step.ms_since_view or 0)[1:]} after the view opened", "dim"),
        )
    return join(Content.styled("EVENT ", "bold"), safe_content(describe(step), 100))


def customer_line(view: ShownView | None) -> Content:
    """Who the view was about, which view, how it was reached and what it recommended."""
    if view is None:
        return Content.styled("No decision view on screen at this moment.", "dim")
    return join(
        safe_content(view.customer_id, 24, style="bold"),
        Content.styled(" · ", "dim"),
        safe_content(view.view or "—", 28),
        Content.styled(f" · via {view.via} · recommends ", "dim"),
        safe_content(f"★ {view.recommended_action}", 24, style="bold"),
    )


@dataclass(frozen=True, slots=True)
class Frame:
    """One step drawn ahead of time, so showing it only swaps prebuilt Content."""

    customer: Content
    lines: tuple[Content, ...]
    event: Content


@dataclass(frozen=True, slots=True)
class Replay:
    """A loaded session: its steps, their timeline rows and frames, the view's largest size."""

    steps: list[Step]
    header: Content
    rows: list[Content]
    frames: list[Frame]
    view_size: Size


class _Interner:
    """Equal Content (same text and spans) as one object, so show() can compare by identity."""

    def __init__(self) -> None:
        self._seen: dict[object, object] = {}

    def content(self, content: Content) -> Content:
        key = (content.plain, tuple(content.spans))
        return self._seen.setdefault(key, content)  # type: ignore[return-value]

    def lines(self, lines: list[Content]) -> tuple[Content, ...]:
        kept = tuple(self.content(line) for line in lines)
        return self._seen.setdefault(tuple(map(id, kept)), kept)  # type: ignore[return-value]


def build_replay(steps: list[Step]) -> Replay:
    """Every step's timeline row and frame, built once (in the loading worker)."""
    same = _Interner()
    ats = [clock(step.offset_ms) for step in steps]
    gaps = [gap(step.gap_ms) if step.index else "" for step in steps]
    at_w = max(map(len, ats), default=2)
    gap_w = max(map(len, gaps), default=3)
    header = Content.styled(f" {'at':<{at_w}}  {'gap':<{gap_w}}  event", "bold")
    rows, frames = [], []
    for step, at, since in zip(steps, ats, gaps, strict=True):
        style = "bold" if step.type in ("action_taken", "view_opened") else ""
        if step.override:
            style = "bold reverse"
        rows.append(
            join(
                Content.styled(f" {at:<{at_w}}  {since:>{gap_w}}  ", "dim"),
                safe_content(short(step), 60, style=style),
            )
        )
        lines = same.lines(view_lines(step.view, step) if step.view is not None else [])
        customer = same.content(customer_line(step.view))
        frames.append(Frame(customer, lines, same.content(event_line(step))))
    width = max((line.cell_length for f in frames for line in f.lines), default=0)
    height = max((len(f.lines) for f in frames), default=0)
    return Replay(steps, header, rows, frames, Size(width, height))


class Lines(ScrollView, can_focus=False):
    """Prebuilt lines drawn one at a time (line API), with an optional cursor.

    Painting a step costs only the lines that changed: the caller fixes the scrollable size
    (so nothing runs a layout), a cursor move repaints two lines, scrolling goes by half a
    page in a frame of its own (so most moves repaint nothing else), and each line's strip is
    kept per style, the lines a scroll will need drawn ahead after each paint.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"lines--cursor"}

    class Picked(Message):
        """The user moved the cursor (keys or mouse) to `index`."""

        def __init__(self, lines: Lines, index: int) -> None:
            super().__init__()
            self.lines = lines
            self.index = index

        @property
        def control(self) -> Lines:
            return self.lines

    def __init__(self, *, id: str, cursor: bool = False) -> None:
        super().__init__(id=id)
        self.lines: Sequence[Content] = ()
        self.cursor = 0 if cursor else -1
        # Keyed by the line object's id (the value keeps the line, so the id stays its own).
        self._strips: LRUCache[tuple[int, object, int], tuple[object, Strip]] = LRUCache(4096)
        self._region = Region()
        self._styles = (VisualStyle(), VisualStyle())

    def set_lines(self, lines: Sequence[Content], size: Size | None = None) -> None:
        """Show `lines` in a scrollable area of `size` (default: just fits them)."""
        old, self.lines = self.lines, lines
        if size is None:
            size = Size(max((line.cell_length for line in lines), default=0), len(lines))
        if size != self.virtual_size:
            self.virtual_size = size
            self.refresh()
            return
        for index in range(max(len(old), len(lines))):
            if index >= len(old) or index >= len(lines) or old[index] is not lines[index]:
                self.refresh_line(index)

    def move_cursor(self, index: int) -> None:
        """Put the cursor on line `index`, repainting two lines.

        A cursor outside the view scrolls it to the middle at once; a cursor reaching the last
        (or first) visible line scrolls half a page after this paint, so the full repaint a
        scroll costs lands in a frame of its own rather than in the key's.
        """
        old, self.cursor = self.cursor, index
        if old == index:
            return
        top, height = round(self.scroll_offset.y), self.scrollable_content_region.height
        if height and not top <= index < top + height:
            self._center(index)
        else:
            self.refresh_line(old)
            self.refresh_line(index)
            at_edge = index == top + height - 1 if index > old else index == top
            if at_edge and 0 < index < len(self.lines) - 1:
                self.call_after_refresh(self._center, index)
        self.call_after_refresh(self._warm)

    def _center(self, index: int) -> None:
        if index == self.cursor:
            height = self.scrollable_content_region.height
            self.scroll_to(y=max(0, index - height // 2), animate=False)

    def _pick(self, index: int) -> None:
        if self.cursor >= 0 and self.lines:
            self.post_message(self.Picked(self, max(0, min(len(self.lines) - 1, index))))

    def key_up(self) -> None:
        self._pick(self.cursor - 1)

    def key_down(self) -> None:
        self._pick(self.cursor + 1)

    def key_pageup(self) -> None:
        self._pick(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def key_pagedown(self) -> None:
        self._pick(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self._pick(round(self.scroll_offset.y) + offset.y)

    def render_lines(self, crop: Region) -> list[Strip]:
        # Looked up once per paint, not once per line.
        self._region = self.scrollable_content_region
        self._styles = (self.get_visual_style(), self.get_visual_style("lines--cursor"))
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        scroll_x = round(self.scroll_offset.x)
        strip = self._strip(index, index == self.cursor)
        return strip.crop(scroll_x, scroll_x + self._region.width)

    def _strip(self, index: int, on_cursor: bool) -> Strip:
        """Line `index` drawn at the full scrollable width (cached per line object and style)."""
        width = max(self.virtual_size.width, self._region.width)
        style = self._styles[on_cursor]
        line = self.lines[index] if 0 <= index < len(self.lines) else None
        key = (id(line), style, width)
        cached = self._strips.get(key)
        if cached is not None and cached[0] is line:
            return cached[1]
        if line is None:
            strip = Strip.blank(width, style.rich_style)
        else:
            strip = Visual.to_strips(self, line, width, 1, style, pad=True)[0]
        self._strips[key] = (line, strip)
        return strip

    def _warm(self, budget: int = 4) -> None:
        """After a paint, draw a few lines the next move or half-page scroll will need."""
        if not self._region or self.cursor < 0:
            return
        top, height, cursor = round(self.scroll_offset.y), self._region.height, self.cursor
        wanted = [(cursor + 1, True), (cursor - 1, True)]
        wanted += [(i, False) for i in range(top + height, top + height + height // 2 + 1)]
        wanted += [(i, False) for i in range(top - 1, top - height // 2 - 2, -1)]
        for index, on_cursor in wanted:
            if budget == 0:
                return
            if 0 <= index < len(self.lines):
                style = self._styles[on_cursor]
                width = max(self.virtual_size.width, self._region.width)
                if self._strips.get((id(self.lines[index]), style, width)) is None:
                    self._strip(index, on_cursor)
                    budget -= 1


class StepsLoaded(Message):
    def __init__(self, replay: Replay) -> None:
        super().__init__()
        self.replay = replay


class SessionsLoaded(Message):
    def __init__(self, sessions: list[SessionSummary]) -> None:
        super().__init__()
        self.sessions = sessions


class _Reading(Screen[None]):
    """Shared: report a failed read in the status line and a notification."""

    def failed(self, event: Worker.StateChanged, status: str) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        message = (
            str(error)
            if isinstance(error, C360Error)
            else f"Could not read the telemetry ({type(error).__name__})."
        )
        self.query_one(status, Static).update(safe_content(message, style="bold $error"))
        self.app.notify(message, title="c360", severity="error", markup=False)


class SessionsScreen(_Reading):
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
        table.add_columns("Rep", "Role", "Start (UTC)", "Length", "Custs", "Acts", "Overr.")
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


class ReplayScreen(_Reading):
    """One session, step by step, as the rep saw it."""

    CSS_PATH = "../lead.tcss"
    BINDING_GROUP_TITLE = "Replay"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Back", priority=True, id="replay.back"),
        Binding("right", "step(1)", "Next", priority=True, id="replay.next"),
        Binding("space", "play", "Play/pause", priority=True, id="replay.play"),
        Binding("1", "speed(1)", "1x", id="replay.1x", tooltip="Real time"),
        Binding("4", "speed(4)", "4x", id="replay.4x", tooltip="Four times faster"),
        Binding("6", "speed(16)", "16x", id="replay.16x", tooltip="Sixteen times faster"),
        Binding("plus,equals_sign", "faster", "Faster", show=False),
        Binding("minus", "slower", "Slower", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]

    def __init__(self, paths: Sequence[Path], summary: SessionSummary) -> None:
        super().__init__(id="replay")
        self.paths = list(paths)
        self.summary = summary
        self.steps: list[Step] = []
        self.frames: list[Frame] = []
        self._shown: Frame | None = None
        self.index = 0
        self.speed = 1
        self.playing = False
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(id="replay-head")
        with Horizontal(id="replay-layout"):
            with Vertical(id="replay-timeline"):
                yield Static(id="replay-steps-head")
                yield Lines(id="replay-steps", cursor=True)
            with Vertical(id="replay-pane"):
                yield Static(id="replay-customer")
                yield Lines(id="replay-signals")
                yield Static(id="replay-event")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "c360 · team lead"
        self.sub_title = "replay"
        timeline = self.query_one("#replay-steps", Lines)
        timeline.can_focus = True
        timeline.focus()
        self._paint_head()
        self.load_steps(self.paths, self.summary.session_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="replay-steps")
    def load_steps(self, paths: list[Path], session_id: str) -> None:
        from c360tui.metrics.loader import load_events
        from c360tui.metrics.replay import steps

        replay = build_replay(steps(load_events(paths, session_id=session_id)))
        if not get_current_worker().is_cancelled:
            self.post_message(StepsLoaded(replay))

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        self.failed(event, "#replay-head")

    @on(StepsLoaded)
    def _loaded(self, message: StepsLoaded) -> None:
        replay = message.replay
        self.steps, self.frames, self._shown = replay.steps, replay.frames, None
        self.query_one("#replay-steps-head", Static).update(replay.header, layout=False)
        self.query_one("#replay-steps", Lines).set_lines(replay.rows)
        self.query_one("#replay-signals", Lines).set_lines((), replay.view_size)
        self.show(0)
        # The session stays loaded while the screen is up: keep it (and the app) out of full
        # collections, which rescan every object (100+ ms for a long session) mid-step.
        gc.freeze()

    def on_unmount(self) -> None:
        gc.unfreeze()  # the collector gets this screen's objects back once it is gone

    @on(Lines.Picked, "#replay-steps")
    def _picked(self, event: Lines.Picked) -> None:
        """Up/down, page keys or a click on the timeline show that step."""
        self._stop()
        self.show(event.index)

    # ------------------------------------------------------------------ actions

    def action_step(self, delta: int) -> None:
        self._stop()
        self.show(self.index + delta)

    def action_jump(self, index: int) -> None:
        self._stop()
        self.show(index % len(self.steps) if self.steps else 0)

    def action_play(self) -> None:
        if self.playing:
            self._stop()
        elif self.steps:
            if self.index >= len(self.steps) - 1:
                self.show(0)
            self.playing = True
            self._schedule()
        self._paint_head()

    def action_speed(self, speed: int) -> None:
        self.speed = speed
        if self.playing:
            self._schedule()
        self._paint_head()

    def action_faster(self) -> None:
        self.action_speed(SPEEDS[min(len(SPEEDS) - 1, SPEEDS.index(self.speed) + 1)])

    def action_slower(self) -> None:
        self.action_speed(SPEEDS[max(0, SPEEDS.index(self.speed) - 1)])

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        following = self.index + 1
        if following >= len(self.steps):
            self._stop()
            return
        delay = delay_for(self.steps[following].gap_ms, self.speed)
        self._timer = self.set_timer(delay, self._tick)

    def _tick(self) -> None:
        self._timer = None
        if self.playing:
            self.show(self.index + 1)
            self._schedule()

    def _stop(self) -> None:
        self.playing = False
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._paint_head()

    # ------------------------------------------------------------------ painting

    def show(self, index: int) -> None:
        """Show step `index` (clamped): its row, the view as recorded then, what happened.

        Only what differs from the step on screen is repainted, and nothing runs a layout
        unless the event line needs another height.
        """
        if not self.steps:
            return
        self.index = max(0, min(len(self.steps) - 1, index))
        frame, shown = self.frames[self.index], self._shown
        self._shown = frame
        self.query_one("#replay-steps", Lines).move_cursor(self.index)
        self._paint_head()
        if shown is None or frame.customer is not shown.customer:
            self.query_one("#replay-customer", Static).update(frame.customer, layout=False)
        if shown is None or frame.lines is not shown.lines:
            signals = self.query_one("#replay-signals", Lines)
            signals.set_lines(frame.lines, signals.virtual_size)
        if shown is None or frame.event is not shown.event:
            event = self.query_one("#replay-event", Static)
            rules, width = cast(RulesMap, event.styles), event.content_region.width
            height = min(3, frame.event.get_height(rules, width))
            event.update(frame.event, layout=height != event.content_region.height)
            event.set_class(bool(self.steps[self.index].override), "-override")

    def _paint_head(self) -> None:
        s = self.summary
        total = len(self.steps)
        where = ""
        if self.steps:
            step = self.steps[self.index]
            where = f"step {self.index + 1}/{total} at {clock(step.offset_ms)}"
        state = "▶ playing" if self.playing else "⏸ paused"
        head = self.query_one("#replay-head", Static)
        head.update(
            join(
                Content.styled(f"{state} {self.speed}x", "bold"),
                Content(f"  {where}  "),
                safe_content(s.rep, 20, style="bold"),
                Content.styled(" · ", "dim"),
                safe_content(s.role or "—", 20),
                Content.styled(
                    f" · {s.start:%Y-%m-%d %H:%M} UTC · {gap(round(s.seconds * 1000))[1:]}"
                    f" · {s.actions} action(s), {s.overrides} override(s)",
                    "dim",
                ),
            ),
            layout=False,
        )
