"""Interaction telemetry from the screens: one method per event DESIGN.md lists.

The Tracker is the only place the screens touch telemetry. It builds the typed events of
`c360tui.telemetry` (ids, trust states, counts and lengths: never names, emails, phone numbers or
search text) and hands them to the recorder, whose `record` never blocks. An event the telemetry
layer refuses is counted in `rejected`, never raised: a telemetry bug must not end a rep's call.
The event modules (and the pydantic models they use) load with the first event, after the first
paint, so they cost nothing at start-up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from c360tui.core.decision_model import DecisionView
    from c360tui.core.records import RecordKey
    from c360tui.telemetry.events import Context, EndReason, Event, Via
    from c360tui.telemetry.writer import Recorder


class Tracker:
    """Builds interaction events for one app session and hands them to the recorder."""

    def __init__(self, recorder: Recorder | None = None, ctx: Context | None = None) -> None:
        self._recorder = recorder
        self._ctx = ctx
        self.rejected = 0
        self._opened_ns: dict[tuple[str, str], int] = {}

    @property
    def recorder(self) -> Recorder:
        if self._recorder is None:
            from c360tui.telemetry.writer import NullWriter

            self._recorder = NullWriter()
        return self._recorder

    @property
    def ctx(self) -> Context:
        """The session context, started with the first event."""
        if self._ctx is None:
            from c360tui.telemetry.events import Context

            self._ctx = Context.start()
        return self._ctx

    def _now_ns(self) -> int:
        return self.recorder.now_ns() if self._recorder is not None else time.monotonic_ns()

    def _record(self, build: Callable[[], Event]) -> None:
        try:
            event = build()
        except ValueError:
            self.rejected += 1
            return
        self.recorder.record(event)

    def _on(self, role: str | None, view: str | None) -> Context:
        return self.ctx.with_view(role or None, view or None)

    def session_started(self, columns: int | None = None, rows: int | None = None) -> None:
        from c360tui import __version__
        from c360tui.telemetry.events import SessionStart

        self._record(lambda: SessionStart(self.ctx, __version__, columns, rows))

    def session_ended(self, reason: EndReason = "quit") -> None:
        from c360tui.telemetry.events import SessionEnd

        self._record(lambda: SessionEnd(self.ctx, reason))

    def screen_opened(self, screen: str, role: str | None = None, view: str | None = None) -> None:
        """A screen or modal came up (launcher, support, sdr, csm, why, identity, help)."""
        from c360tui.telemetry.events import ScreenOpened

        self._record(lambda: ScreenOpened(self._on(role, view), screen))

    def view_opened(self, decision: DecisionView, via: Via) -> None:
        """A decision view is on screen: its signals, their trust states and the recommendation."""
        from c360tui.telemetry import view_events

        self._opened_ns[(decision.view, decision.customer_id)] = self._now_ns()
        self._record(lambda: view_events.view_opened(self.ctx, decision, via))

    def section_toggled(self, decision: DecisionView, section: str, expanded: bool) -> None:
        from c360tui.telemetry import view_events
        from c360tui.telemetry.events import SectionCollapsed, SectionExpanded

        event = SectionExpanded if expanded else SectionCollapsed
        ctx = view_events.context_for(self.ctx, decision)
        self._record(lambda: event(ctx, customer_id=decision.customer_id, section_id=section))

    def provenance_opened(self, decision: DecisionView, signal_id: str) -> None:
        from c360tui.telemetry import view_events

        self._record(lambda: view_events.provenance_opened(self.ctx, decision, signal_id))

    def value_flagged(self, decision: DecisionView, signal_id: str) -> None:
        from c360tui.telemetry import view_events

        self._record(lambda: view_events.value_flagged(self.ctx, decision, signal_id))

    def split_requested(self, decision: DecisionView, left: RecordKey, right: RecordKey) -> None:
        from c360tui.telemetry import view_events
        from c360tui.telemetry.events import SplitRequested

        ctx = view_events.context_for(self.ctx, decision)
        self._record(
            lambda: SplitRequested(ctx, customer_id=decision.customer_id, left=left, right=right)
        )

    def action_taken(self, decision: DecisionView, action: str) -> None:
        """The rep acted: the action, the recommendation (override is derived), ms since shown."""
        from c360tui.telemetry import view_events

        opened = self._opened_ns.pop((decision.view, decision.customer_id), None)
        elapsed = (self._now_ns() - opened) // 1_000_000 if opened is not None else 0
        self._record(lambda: view_events.action_taken(self.ctx, decision, action, elapsed))

    def search(self, role: str, view: str, query: str, customer_ids: list[str]) -> None:
        """A search ran: the ids offered, the query's length and kind; never the query itself."""
        from c360tui.telemetry.events import Search

        self._record(lambda: Search.of_query(self._on(role, view), query, customer_ids))

    def queue_presented(self, role: str, view: str, customer_ids: list[str], total: int) -> None:
        """A queue was shown: its open customers in order and the queue's full size."""
        from c360tui.telemetry.events import QueuePresented

        self._record(lambda: QueuePresented(self._on(role, view), view, tuple(customer_ids), total))
