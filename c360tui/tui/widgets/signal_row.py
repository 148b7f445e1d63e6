"""One signal on one line (SignalRow) and one action of the action bar (ActionButton).

A row shows the trust state as glyph and word (colour from the CSS class), the label, the value
(or a sparkline of its series) and the age against its budget; `show()` swaps in another
customer's value of the same signal touching only the cells that changed, with no layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, Label, Sparkline

from c360tui.tui.safe_text import join, safe_content

if TYPE_CHECKING:
    from c360tui.core.decision_model import ActionView, SignalView

# The longest value a row will render; the Why modal shows the whole thing.
MAX_VALUE_CELLS = 160


@dataclass(frozen=True, slots=True)
class TrustLook:
    """How one trust state looks: a glyph and a word (colour comes from the CSS class)."""

    glyph: str
    word: str
    css: str


TRUST_LOOKS: dict[str, TrustLook] = {
    "trusted": TrustLook("✓", "trusted", "trust-trusted"),
    "stale": TrustLook("⌛", "stale", "trust-stale"),
    "conflicted": TrustLook("⚠", "conflicted", "trust-conflicted"),
    "missing": TrustLook("∅", "missing", "trust-missing"),
    "unverified": TrustLook("?", "unverified", "trust-unverified"),
    "flagged": TrustLook("⚑", "flagged", "trust-flagged"),
}


def trust_look(signal: SignalView, flagged: bool = False) -> TrustLook:
    """The look of a signal's trust state; a value someone flagged as wrong shows as flagged."""
    if flagged or signal.flagged:
        return TRUST_LOOKS["flagged"]
    return TRUST_LOOKS[signal.trust]


def age_cell(signal: SignalView) -> str:
    """Age against budget for the row: "5d / 7d", or "? / 7d" when the age is unknown.

    The reason an age is unknown ("no timestamp") is long; the Why modal shows it whole.
    """
    if signal.age_seconds is None and " / " in signal.age_text:
        return "? / " + signal.age_text.rsplit(" / ", 1)[1]
    return signal.age_text


def signal_series(signal: SignalView) -> list[float] | None:
    """The numbers to draw as a sparkline: the signal's series, or its value if it is a list."""
    return signal.series or numeric_series(signal.value)


def numeric_series(value: object) -> list[float] | None:
    """The value as a list of numbers when it is a series (drawn as a sparkline), else None."""
    if isinstance(value, list) and value and all(isinstance(v, int | float) for v in value):
        return [float(v) for v in value]
    return None


class SignalRow(Widget, can_focus=True):
    """One signal on one line; focus it and `w` explains it, `!` flags it."""

    flagged: reactive[bool] = reactive(False)

    def __init__(self, signal: SignalView) -> None:
        super().__init__(classes="signal-row")
        self.signal = signal
        self.set_reactive(SignalRow.flagged, signal.flagged)

    def compose(self) -> ComposeResult:
        # The cells are kept, so a queue step updates them without querying the DOM.
        look = trust_look(self.signal)
        self._badge = Label(f"{look.glyph} {look.word}", classes=f"trust {look.css}", markup=False)
        self._label = Label(safe_content(self.signal.label, 24), classes="signal-label")
        series = signal_series(self.signal)
        self._spark = Sparkline(series, classes="signal-spark") if series is not None else None
        value = safe_content(self.signal.display, MAX_VALUE_CELLS)
        self._value = Label(value, classes="signal-value")
        self._age = Label(safe_content(age_cell(self.signal)), classes="signal-age")
        yield self._badge
        yield self._label
        if self._spark is not None:
            yield self._spark
        yield self._value
        yield self._age

    def show(self, signal: SignalView) -> None:
        """Show another customer's value of the same signal, touching only what changed.

        The cells have fixed sizes, so updates skip layout: a queue step stays a repaint.
        """
        old, self.signal = self.signal, signal
        if trust_look(old, self.flagged) != trust_look(signal):
            self._paint_badge(signal.flagged)
        self.set_reactive(SignalRow.flagged, signal.flagged)
        if old.label != signal.label:
            self._label.update(safe_content(signal.label, 24), layout=False)
        series = signal_series(signal)
        if series is not None and self._spark is not None and series != signal_series(old):
            self._spark.data = series
        if old.display != signal.display:
            self._value.update(safe_content(signal.display, MAX_VALUE_CELLS), layout=False)
        if age_cell(old) != age_cell(signal):
            self._age.update(safe_content(age_cell(signal)), layout=False)

    def watch_flagged(self, flagged: bool) -> None:
        if self.is_mounted:
            self._paint_badge(flagged)

    def _paint_badge(self, flagged: bool) -> None:
        look = trust_look(self.signal, flagged)
        self._badge.update(Content(f"{look.glyph} {look.word}"), layout=False)
        self._badge.set_classes(f"trust {look.css}")


class ActionButton(Button):
    """One action of the action bar: its key, its label, and a mark when it is recommended."""

    def __init__(self, action: ActionView) -> None:
        super().__init__(_action_label(action), compact=True, classes="action")
        self.action_view = action
        self.set_class(action.recommended, "recommended")
        self.tooltip = "recommended" if action.recommended else None

    def show(self, action: ActionView) -> None:
        """Show the same action for another customer (the recommendation may have moved)."""
        old, self.action_view = self.action_view, action
        if old == action:
            return
        self.label = _action_label(action)
        self.set_class(action.recommended, "recommended")
        self.tooltip = "recommended" if action.recommended else None


def _action_label(action: ActionView) -> Content:
    label = join(f"{action.key} ", safe_content(action.label, 24))
    return join(label, " ★") if action.recommended else label
