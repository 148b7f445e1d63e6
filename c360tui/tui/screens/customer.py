"""The support lookup's customer screen: one customer's decision view, opened from the search.

An action returns to the search, empty and ready for the next call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.widgets import Header

from c360tui.tui.messages import DataFailed, DecisionLoaded
from c360tui.tui.safe_text import clean
from c360tui.tui.screens.decision_host import DecisionHostScreen
from c360tui.tui.widgets.decision_view import DecisionPanel
from c360tui.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from c360tui.core.decision_model import ActionView, DecisionView


class CustomerScreen(DecisionHostScreen):
    """One customer's decision view, opened from the lookup; an action returns to the search."""

    BINDING_GROUP_TITLE = "Customer"

    def __init__(self, view: str, customer_id: str, role: str) -> None:
        super().__init__(classes="customer-screen")
        self.view = view
        self.customer_id = customer_id
        self.role = role

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield DecisionPanel()
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Support lookup"
        self.sub_title = "Loading…"
        self.load_decision(self.view, self.customer_id, self.clock())

    @on(DecisionLoaded)
    def _decision_loaded(self, event: DecisionLoaded) -> None:
        self.show_decision(event.view, "search")
        self.sub_title = clean(event.view.display_name, 48)
        self.call_after_refresh(self._focus_first_signal)

    def _focus_first_signal(self) -> None:
        self.panel.when_built(self._focus_first_row)

    def _focus_first_row(self) -> None:
        rows = self.panel.signal_rows()
        if rows and not isinstance(self.focused, type(rows[0])):
            rows[0].focus()

    @on(DataFailed)
    def _failed(self, event: DataFailed) -> None:
        if event.group == "decision":
            self.dismiss(None)

    def after_action(self, decision: DecisionView, action: ActionView) -> None:
        self.notify(f"{clean(action.label, 40)}: done. Ready for the next call.", markup=False)
        self.dismiss(action.id)
