"""Database work for the screens: thread workers that call the Backend and only post messages.

A screen mixes in `DataWorkers`; each method runs in its own exclusive group so a newer request
replaces an older one, and a cancelled worker never posts its stale result. Failures are turned
into one `DataFailed` message in `on_worker_state_changed`, the only place they are handled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.dom import DOMNode
from textual.worker import Worker, WorkerState, get_current_worker

from c360tui.errors import C360Error
from c360tui.tui.messages import (
    ActionRecorded,
    DataFailed,
    DecisionLoaded,
    DecisionPrefetched,
    FlagRecorded,
    IdentityLoaded,
    QueueLoaded,
    SearchFinished,
    SplitRecorded,
)

if TYPE_CHECKING:
    from datetime import datetime

    from c360tui.core.records import RecordKey
    from c360tui.tui.app import C360App
    from c360tui.tui.backend import Backend, QueueState
    from c360tui.tui.tracking import Tracker

# A screenful of results: more would cost every keystroke and nobody reads row 40 mid-call.
SEARCH_LIMIT = 25


class DataWorkers(DOMNode):
    """Worker methods shared by every screen that reads or writes customer data."""

    @property
    def backend(self) -> Backend:
        return cast("C360App", self.app).backend

    @property
    def tracker(self) -> Tracker:
        return cast("C360App", self.app).tracker

    def clock(self) -> datetime:
        return cast("C360App", self.app).now()

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def search_customers(self, query: str) -> None:
        results = self.backend.search(query, SEARCH_LIMIT) if query.strip() else []
        if not get_current_worker().is_cancelled:
            self.post_message(SearchFinished(query, results))

    @work(thread=True, exclusive=True, exit_on_error=False, group="decision")
    def load_decision(self, view: str, customer_id: str, now: datetime) -> None:
        decision = self.backend.decision(view, customer_id, now)
        if not get_current_worker().is_cancelled:
            self.post_message(DecisionLoaded(decision))

    @work(thread=True, exclusive=True, exit_on_error=False, group="prefetch")
    def prefetch_decision(self, view: str, customer_id: str, now: datetime) -> None:
        decision = self.backend.decision(view, customer_id, now)
        if not get_current_worker().is_cancelled:
            self.post_message(DecisionPrefetched(decision))

    @work(thread=True, exclusive=True, exit_on_error=False, group="queue")
    def load_queue(self, view: str, now: datetime) -> None:
        snapshot = self.backend.queue(view, now)
        if not get_current_worker().is_cancelled:
            self.post_message(QueueLoaded(snapshot))

    @work(thread=True, exclusive=False, exit_on_error=False, group="settle")
    def settle_customer(
        self, view: str, customer_id: str, state: QueueState, action: str, now: datetime
    ) -> None:
        self.backend.settle(view, customer_id, state, action, now)
        self.post_message(ActionRecorded(customer_id, action))

    @work(thread=True, exclusive=False, exit_on_error=False, group="flag")
    def flag_signal(
        self, view: str, customer_id: str, signal_id: str, attribute: str | None
    ) -> None:
        self.backend.flag(view, customer_id, signal_id, attribute)
        self.post_message(FlagRecorded(customer_id, signal_id))

    @work(thread=True, exclusive=True, exit_on_error=False, group="identity")
    def load_identity(self, customer_id: str) -> None:
        detail = self.backend.identity(customer_id)
        if not get_current_worker().is_cancelled:
            self.post_message(IdentityLoaded(detail))

    @work(thread=True, exclusive=False, exit_on_error=False, group="split")
    def request_split(self, customer_id: str, left: RecordKey, right: RecordKey) -> None:
        self.backend.split(customer_id, left, right)
        self.post_message(SplitRecorded(customer_id, left, right))

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """Turn a failed worker into one plain-sentence notification and a DataFailed message."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, C360Error):
            message = str(error)
        else:
            message = f"Could not {event.worker.group} ({type(error).__name__}); try again."
        self.app.notify(message, title="c360", severity="error", markup=False)
        self.post_message(DataFailed(event.worker.group, message))
