"""A worked queue: a compact list of customers beside the decision view of the highlighted one.

j/k or the arrows move; an action key acts on the highlighted customer and moves to the next;
worked and snoozed customers leave the queue, and the store keeps that across restarts.
The SDR morning queue (sdr.py) and the CSM at-risk book (csm.py) are this screen with other specs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from c360tui.tui.backend import QueueItem, QueueState
from c360tui.tui.heap import settle
from c360tui.tui.messages import DecisionLoaded, DecisionPrefetched, FlagRecorded, QueueLoaded
from c360tui.tui.safe_text import clean, join, safe_content
from c360tui.tui.screens.decision_host import DecisionHostScreen
from c360tui.tui.widgets.decision_view import DecisionPanel
from c360tui.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from c360tui.core.decision_model import ActionView, DecisionView


def settle_state(action: ActionView) -> QueueState:
    """Snooze actions put the customer back later; every other action counts as worked."""
    return "snoozed" if "snooze" in action.id else "worked"


class QueueScreen(DecisionHostScreen):
    """The queue list, the progress line and the highlighted customer's decision view."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "move(1)", "Next", id="queue.next", tooltip="Next customer in the queue"),
        Binding(
            "k",
            "move(-1)",
            "Previous",
            id="queue.previous",
            tooltip="Previous customer in the queue",
        ),
        Binding(
            "l",
            "focus_queue",
            "Queue",
            show=False,
            id="queue.focus",
            tooltip="Back to the queue list",
        ),
    ]

    title_text = "Queue"
    empty_text = "The queue is empty."

    def __init__(self, view: str, role: str) -> None:
        super().__init__(classes="queue-screen")
        self.view = view
        self.role = role
        self.items: list[QueueItem] = []
        self.worked = 0
        self.total = 0
        self._requested: str | None = None
        # Decision views of the customers next to the highlighted one, loaded ahead so a step
        # through the queue repaints once, without waiting for the store.
        self._ahead: dict[str, DecisionView] = {}
        self._heap_settled = False  # whether the heap was frozen after the first decision

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield Static(Content("Loading the queue…"), id="progress")
        with Horizontal(id="queue-layout"):
            yield OptionList(id="queue")
            yield DecisionPanel()
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = self.title_text
        self.query_one("#queue", OptionList).focus()
        self.tracker.screen_opened(self.role, self.role, self.view)
        self.load_queue(self.view, self.clock())

    # ------------------------------------------------------------------ queue
    @on(QueueLoaded)
    def _queue_loaded(self, event: QueueLoaded) -> None:
        snapshot = event.snapshot
        self._requested = None
        self.items = list(snapshot.items)
        self.worked, self.total = snapshot.worked, snapshot.total
        queue = self.query_one("#queue", OptionList)
        queue.clear_options()
        queue.add_options(_option(item) for item in self.items)
        self._update_progress()
        ids = [item.customer_id for item in self.items]
        self.tracker.queue_presented(self.role, self.view, ids, self.total)
        if self.items:
            queue.highlighted = 0
            self._load_highlighted()
        else:
            self.panel.decision = None
            self.refresh_decision_keys()

    def _update_progress(self) -> None:
        left = len(self.items)
        text = f"{self.worked} of {self.total} worked · {left} to go"
        if not left and self.total:
            text = f"{self.worked} of {self.total} worked · {self.empty_text}"
        self.query_one("#progress", Static).update(Content(text))

    def highlighted_item(self) -> QueueItem | None:
        index = self.query_one("#queue", OptionList).highlighted
        if index is None or not 0 <= index < len(self.items):
            return None
        return self.items[index]

    @on(OptionList.OptionHighlighted, "#queue")
    def _highlighted(self) -> None:
        self._load_highlighted()

    def _load_highlighted(self) -> None:
        """Show the highlighted customer: from the read-ahead if there, else from the store."""
        item = self.highlighted_item()
        if item is None or item.customer_id == self._requested:
            return
        self._requested = item.customer_id
        ready = self._ahead.pop(item.customer_id, None)
        if ready is not None:
            self.show_decision(ready, "queue")
            # Once this step is painted: the worker's store read would share the GIL with it.
            self.call_after_refresh(self._read_ahead)
        else:
            self.load_decision(self.view, item.customer_id, self.clock())

    def _read_ahead(self) -> None:
        """Load the next customer's decision view in the background (and forget far ones)."""
        index = self.query_one("#queue", OptionList).highlighted or 0
        near = {item.customer_id for item in self.items[max(0, index - 1) : index + 2]}
        self._ahead = {cid: view for cid, view in self._ahead.items() if cid in near}
        if index + 1 < len(self.items):
            following = self.items[index + 1].customer_id
            if following not in self._ahead:
                self.prefetch_decision(self.view, following, self.clock())

    @on(DecisionPrefetched)
    def _prefetched(self, event: DecisionPrefetched) -> None:
        self._ahead[event.view.customer_id] = event.view

    @on(FlagRecorded)
    def _forget_flagged(self, event: FlagRecorded) -> None:
        self._ahead.pop(event.customer_id, None)

    @on(OptionList.OptionSelected, "#queue")
    def _selected(self) -> None:
        rows = self.panel.signal_rows()
        if rows:
            rows[0].focus()

    @on(DecisionLoaded)
    def _decision_loaded(self, event: DecisionLoaded) -> None:
        item = self.highlighted_item()
        if item is None or item.customer_id != event.view.customer_id:
            return
        self.show_decision(event.view, "queue")
        self._read_ahead()
        if not self._heap_settled:
            # The queue, the store and the panel's widgets stay: freeze them, once painted, out
            # of later full collections.
            self._heap_settled = True
            self.panel.when_built(lambda: self.call_after_refresh(settle))

    def current_decision(self) -> DecisionView | None:
        """The shown decision, only while it belongs to the highlighted customer."""
        decision = self.panel.decision
        item = self.highlighted_item()
        if decision is None or item is None or decision.customer_id != item.customer_id:
            return None
        return decision

    def action_move(self, step: int) -> None:
        queue = self.query_one("#queue", OptionList)
        if not self.items:
            return
        current = queue.highlighted if queue.highlighted is not None else 0
        queue.highlighted = max(0, min(len(self.items) - 1, current + step))
        # Show the customer now, not when OptionHighlighted arrives: the list's highlight would
        # be painted in a frame of its own first, and the decision a frame later.
        self._load_highlighted()

    def action_focus_queue(self) -> None:
        self.query_one("#queue", OptionList).focus()

    # ------------------------------------------------------------------ acting
    def after_action(self, decision: DecisionView, action: ActionView) -> None:
        """Store the outcome, drop the customer from the list and show the next one."""
        queue = self.query_one("#queue", OptionList)
        index = queue.highlighted or 0
        item = self.items.pop(index)
        self.settle_customer(
            self.view, item.customer_id, settle_state(action), action.id, self.clock()
        )
        self.worked += 1
        queue.remove_option_at_index(index)
        self._update_progress()
        self.notify(f"{clean(action.label, 30)}: {clean(item.name, 40)}", markup=False, timeout=2)
        if self.items:
            queue.highlighted = min(index, len(self.items) - 1)
            queue.focus()
            self._load_highlighted()
        else:
            self.panel.decision = None
            self.refresh_decision_keys()


def _option(item: QueueItem) -> Option:
    prompt = safe_content(item.name, 60, style="bold")
    if item.detail:
        prompt = join(prompt, "\n", safe_content(item.detail, 60, style="dim"))
    return Option(prompt, id=None)
