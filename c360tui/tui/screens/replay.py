"""Replay: one recorded session stepped (left/right) or played (space) at 1x, 4x or 16x,
showing the decision view as the rep saw it then and what they did to it (the sessions list that
opens it is in sessions.py; its frames in replay_frames.py, its widgets in replay_lines.py).

The view comes from the recorded `view_opened` event (signals, trust, freshness, ages), never
from the store: a customer that changed since still replays as it was. Telemetry is read in
thread workers that post messages; every recorded string is shown as Text/Content, never markup.
The loading worker also draws every step ahead (`build_replay`), and the timeline and the view
are line-API widgets (`Lines`), so a step repaints only the lines that changed, with no layout.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Static
from textual.worker import Worker, WorkerState, get_current_worker

from c360tui.core.durations import format_ms
from c360tui.errors import C360Error
from c360tui.metrics.replay import SessionSummary, Step
from c360tui.tui.safe_text import join, safe_content
from c360tui.tui.screens.replay_frames import Frame, Replay, build_replay, clock
from c360tui.tui.screens.replay_lines import Lines

__all__ = [
    "MAX_WAIT_S",
    "SPEEDS",
    "Lines",
    "ReplayScreen",
    "build_replay",
    "delay_for",
    "timeline_width",
]

SPEEDS = (1, 4, 16)
MAX_WAIT_S = 3.0  # an idle gap plays as at most this long (its real length is still shown)


def delay_for(gap_ms: int, speed: int) -> float:
    """Seconds to wait before showing a step `gap_ms` after the previous one, at `speed`."""
    return min(max(gap_ms, 0) / 1000 / speed, MAX_WAIT_S)


# On a wide screen the timeline grows to show its rows whole, as far as the recorded view beside
# it keeps every column the rep saw (only the "◀ flag" marker of the step may be clipped); below
# the -wide breakpoint, and never under it, the stylesheet's width holds.
TIMELINE_LEAST = 44  # lead.tcss's #replay-timeline width
TIMELINE_CHROME = 2  # the timeline's scrollbar and border
PANE_CHROME = 3  # the recorded view's padding and scrollbar


def timeline_width(rows_width: int, view_keep: int, screen_width: int) -> int:
    """The timeline's width on a screen `screen_width` wide: rows whole, the view's columns kept."""
    room = screen_width - view_keep - PANE_CHROME
    return max(TIMELINE_LEAST, min(rows_width + TIMELINE_CHROME, room))


class StepsLoaded(Message):
    def __init__(self, replay: Replay) -> None:
        super().__init__()
        self.replay = replay


class ReadingScreen(Screen[None]):
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


class ReplayScreen(ReadingScreen):
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
        self._replay: Replay | None = None
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
        self._replay = replay
        self._fit_timeline()
        self.query_one("#replay-steps-head", Static).update(replay.header, layout=False)
        self.query_one("#replay-steps", Lines).set_lines(replay.rows)
        self.query_one("#replay-signals", Lines).set_lines((), replay.view_size)
        self.show(0)
        # The session stays loaded while the screen is up: keep it (and the app) out of full
        # collections, which rescan every object (100+ ms for a long session) mid-step.
        gc.freeze()

    def on_resize(self) -> None:
        # After Screen's own handler, which sets the breakpoint classes for the new size.
        self.call_later(self._fit_timeline)

    def _fit_timeline(self) -> None:
        """Size the timeline for the loaded session: stylesheet width when narrow, else fitted."""
        if self._replay is None:
            return
        width = None
        if not self.has_class("-narrow"):
            replay = self._replay
            width = timeline_width(replay.rows_width, replay.view_keep, self.size.width)
        self.query_one("#replay-timeline").styles.width = width

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
                    f" · {s.start:%Y-%m-%d %H:%M} UTC · {format_ms(round(s.seconds * 1000))}"
                    f" · {s.actions} action(s), {s.overrides} override(s)",
                    "dim",
                ),
            ),
            layout=False,
        )
