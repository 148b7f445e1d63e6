"""What every screen with a DecisionPanel shares: why, flag, identity and the spec's action keys.

The action keys come from the view spec at run time, so they are dispatched from `on_key` (and the
action bar's buttons) rather than declared as bindings; the help screen and the command palette
list them from the loaded DecisionView.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.events import Key
from textual.screen import Screen
from textual.widgets import Input

from c360tui.tui.messages import FlagRecorded
from c360tui.tui.safe_text import clean
from c360tui.tui.widgets.decision_view import DecisionPanel
from c360tui.tui.workers import DataWorkers

if TYPE_CHECKING:
    from c360tui.core.decision_model import ActionView, DecisionView
    from c360tui.telemetry.events import Via

PaletteCommand = tuple[str, str, Callable[[], object]]


class DecisionHostScreen(DataWorkers, Screen[object]):
    """A screen with one DecisionPanel whose focused signal `w`, `!` and `i` act on."""

    # The decision view's styles, loaded when the first such screen is pushed (not at start).
    CSS_PATH = "../decision.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "why", "Why", id="decision.why", tooltip="Where the focused value came from"),
        Binding(
            "exclamation_mark",
            "flag",
            "Wrong",
            key_display="!",
            id="decision.flag",
            tooltip="Flag the focused value as wrong",
        ),
        Binding(
            "i",
            "identity",
            "Identity",
            id="decision.identity",
            tooltip="Records and merges behind this customer",
        ),
    ]

    role = ""
    # Whether the footer was last told that w, ! and i apply (see refresh_decision_keys).
    _decision_keys = False

    @property
    def panel(self) -> DecisionPanel:
        return self.query_one(DecisionPanel)

    def current_decision(self) -> DecisionView | None:
        return self.panel.decision

    def show_decision(self, decision: DecisionView, via: Via) -> None:
        """Put a freshly loaded decision on screen and record that it was shown."""
        self.panel.decision = decision
        self.tracker.view_opened(decision, via)
        self.refresh_decision_keys()

    def refresh_decision_keys(self) -> None:
        """Refresh the footer when w, ! and i become available or not (check_action changed).

        Only on a change: a queue step that keeps a decision on screen costs the footer nothing.
        """
        available = self.current_decision() is not None
        if available != self._decision_keys:
            self._decision_keys = available
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"why", "flag", "identity"} and self.current_decision() is None:
            return None
        return True

    def on_key(self, event: Key) -> None:
        """Dispatch the view spec's action keys (never while typing in a search box)."""
        if isinstance(self.focused, Input):
            return
        action = self.panel.action_for_key(event.key) if self.is_mounted else None
        if action is not None:
            event.prevent_default()
            event.stop()
            self.take_action(action)

    @on(DecisionPanel.ActionChosen)
    def _action_chosen(self, event: DecisionPanel.ActionChosen) -> None:
        self.take_action(event.action)

    def take_action(self, action: ActionView) -> None:
        decision = self.current_decision()
        if decision is None:
            return
        self.tracker.action_taken(decision, action.id)
        self.after_action(decision, action)

    def after_action(self, decision: DecisionView, action: ActionView) -> None:
        """What the screen does once the rep acted (return to search, advance the queue)."""

    @on(DecisionPanel.SectionToggled)
    def _section_toggled(self, event: DecisionPanel.SectionToggled) -> None:
        decision = self.current_decision()
        if decision is not None:
            self.tracker.section_toggled(decision, event.section, event.expanded)

    def action_why(self) -> None:
        from c360tui.tui.screens.why import WhyScreen

        decision = self.current_decision()
        signal_id = self.panel.focused_signal_id()
        if decision is None or signal_id is None:
            return
        self.tracker.provenance_opened(decision, signal_id)
        self.app.push_screen(WhyScreen(decision.signal(signal_id), decision))

    def action_flag(self) -> None:
        decision = self.current_decision()
        signal_id = self.panel.focused_signal_id()
        if decision is None or signal_id is None:
            return
        signal = decision.signal(signal_id)
        self.tracker.value_flagged(decision, signal_id)
        self.panel.mark_flagged(signal_id)
        self.flag_signal(decision.view, decision.customer_id, signal_id, signal.attribute)

    @on(FlagRecorded)
    def _flag_recorded(self, event: FlagRecorded) -> None:
        decision = self.current_decision()
        if decision is None or decision.customer_id != event.customer_id:
            return
        label = clean(decision.signal(event.signal_id).label, 40)
        self.notify(f"{label} flagged as wrong; it shows as flagged from now on.", markup=False)

    def action_identity(self) -> None:
        from c360tui.tui.screens.identity import IdentityScreen

        decision = self.current_decision()
        if decision is None:
            return
        self.tracker.screen_opened("identity", decision.role, decision.view)
        self.app.push_screen(IdentityScreen(decision))

    def help_extra(self) -> list[tuple[str, str]]:
        """The spec's action keys for the help screen, the recommended one marked."""
        decision = self.current_decision()
        if decision is None:
            return []
        return [
            (action.key, clean(action.label, 40) + (" (recommended)" if action.recommended else ""))
            for action in decision.actions
        ]

    def palette_commands(self) -> list[PaletteCommand]:
        """Commands for the palette: the spec's actions, then why, flag and identity."""
        decision = self.current_decision()
        if decision is None:
            return []
        commands: list[PaletteCommand] = []
        for action in decision.actions:
            mark = " (recommended)" if action.recommended else ""
            commands.append(
                (
                    f"action: {clean(action.label, 40)}{mark}",
                    f"press {action.key}",
                    partial(self.take_action, action),
                )
            )
        commands += [
            ("why: focused signal", "provenance of the focused value (w)", self.action_why),
            ("flag: focused value is wrong", "record a flag (!)", self.action_flag),
            (
                "identity: records and merges",
                "source records and merge evidence (i)",
                self.action_identity,
            ),
        ]
        return commands
