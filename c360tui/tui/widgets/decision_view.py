"""The DecisionView widget: one customer's decision, the same widget for every role.

Top: the decision sentence, who it is about, the recommendation with its reasons. Middle: the
ranked signals above the fold, one line each (trust as colour, glyph and word; value; age against
budget), then collapsed sections. Bottom: the action bar, recommended action marked. It renders a
`DecisionView` model and computes nothing: every value, state and reason comes from core.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, Collapsible, DataTable, Label, Static

from c360tui.tui.safe_text import join, safe_content, safe_text
from c360tui.tui.widgets.signal_row import (
    ActionButton,
    SignalRow,
    TrustLook,
    age_cell,
    signal_series,
    trust_look,
)

# Re-exported: screens and tests import the row widgets and the look helpers from here.
__all__ = [
    "ActionButton",
    "DecisionPanel",
    "SignalRow",
    "TrustLook",
    "age_cell",
    "signal_series",
    "trust_look",
]

if TYPE_CHECKING:
    from c360tui.core.decision_model import ActionView, DecisionView, DetailSection

# Below this width the signal columns shrink so the value keeps room to be read.
NARROW_WIDTH = 72


class DecisionPanel(Widget):
    """The DecisionView widget: renders one DecisionView model; `decision` swaps the customer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "focus_next_signal", "Next signal", show=False, id="decision.next_signal"),
        Binding(
            "up", "focus_previous_signal", "Previous signal", show=False, id="decision.prev_signal"
        ),
    ]

    # No repaint of the whole panel on a change: an in-place update refreshes the widgets whose
    # text changed, and a rebuild paints its new tree (a whole-panel repaint redrew ~45 widgets).
    decision: reactive[DecisionView | None] = reactive(None, repaint=False)
    shown_fold: reactive[int] = reactive(0)

    class ActionChosen(Message):
        """The rep picked an action (by key or by clicking its button)."""

        def __init__(self, panel: DecisionPanel, action: ActionView) -> None:
            super().__init__()
            self.panel = panel
            self.action = action

    class SectionToggled(Message):
        """A detail section was opened or closed."""

        def __init__(self, panel: DecisionPanel, section: str, expanded: bool) -> None:
            super().__init__()
            self.panel = panel
            self.section = section
            self.expanded = expanded

    def __init__(self, decision: DecisionView | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(DecisionPanel.decision, decision)
        # The shape the mounted widget tree has (None while it is being rebuilt): only a
        # decision of that shape may be shown in place.
        self._tree_shape: tuple[object, ...] | None = None
        self._composed: DecisionView | None = None  # what the mounted tree was composed for
        self._rebuild_pending = False
        self._stale_sections: set[str] = set()
        self._when_built: list[Callable[[], object]] = []
        # The widgets an in-place update touches, kept as compose makes them (no DOM queries).
        self._parts: _Parts | None = None
        self._body_parts: _BodyParts | None = None

    def on_mount(self) -> None:
        self._tree_shape = _shape(self.decision) if self.decision is not None else None

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        decision = self._composed = self.decision
        if decision is None:
            self._parts = self._body_parts = None
            yield Static(Content("No customer selected."), classes="empty")
            return
        who = Static(_who(decision), classes="customer")
        recommendation = Static(_recommendation(decision), classes="recommendation")
        yield Static(Content(decision.decision), classes="decision-sentence")
        yield who
        yield recommendation
        with VerticalScroll(classes="decision-body") as body:
            yield from self._body(decision)
        buttons = [ActionButton(action) for action in decision.actions]
        with Horizontal(classes="action-bar"):
            yield from buttons
        self._parts = _Parts(who, recommendation, body, buttons)

    def _body(self, decision: DecisionView) -> Iterable[Widget]:
        """The signals above the fold, then the sections; the rows are kept in `_body_parts`."""
        fold = min(self.fitting_fold(self.size.height), len(decision.signals))
        fold_rows = [SignalRow(s) for s in decision.signals[:fold]]
        sections: list[tuple[Collapsible, list[SignalRow]]] = []
        yield Vertical(*fold_rows, classes="fold-signals")
        below = decision.signals[fold:]
        if below:
            rows = [SignalRow(s) for s in below]
            more = Collapsible(
                *rows,
                title=_title(Content(f"More signals ({len(below)})")),
                id="section-more-signals",
            )
            sections.append((more, rows))
            yield more
        for section in decision.sections:
            children = list(_section_children(section))
            collapsible = Collapsible(
                *children,
                title=_title(safe_content(section.title, 40)),
                id=f"section-{_css_id(section.id)}",
            )
            sections.append((collapsible, [c for c in children if isinstance(c, SignalRow)]))
            yield collapsible
        agent_lines = Static(_agent_lines(decision), classes="agent-lines")
        agent = Collapsible(agent_lines, title=_title(_agent_title(decision)), id="section-agent")
        yield agent
        self._body_parts = _BodyParts(fold_rows, sections, agent, agent_lines)

    def watch_decision(self, new: DecisionView | None) -> None:
        """Another customer under the same spec updates in place, in this very frame (a
        synchronous watcher); anything else rebuilds the tree (once, for the latest view)."""
        if not self.is_mounted:
            return
        if new is not None and self._tree_shape is not None and self._tree_shape == _shape(new):
            self._show_in_place(new)
            return
        self._tree_shape = None
        if not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_next(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        self._stale_sections.clear()
        await self.recompose()
        # The tree has the shape of the decision compose saw; a newer one that came during the
        # await is shown now, in place or by another rebuild (a queue key held down does this).
        composed = self._composed
        self._tree_shape = _shape(composed) if composed is not None else None
        if self.decision is not composed:
            self.watch_decision(self.decision)
            if self._tree_shape is None:
                return  # rebuilding again: the callbacks wait for that tree
        self._run_when_built()

    def _show_in_place(self, decision: DecisionView) -> None:
        parts, body = self._parts, self._body_parts
        assert parts is not None and body is not None  # a tree of this shape is mounted
        # The header lines have fixed heights, so their updates skip layout too.
        parts.who.update(_who(decision), layout=False)
        parts.recommendation.update(_recommendation(decision), layout=False)
        for row, signal in zip(body.fold_rows, decision.signals, strict=False):
            row.show(signal)
        # Closed sections catch up when they open: a queue step repaints what is on screen.
        for collapsible, rows in body.sections:
            if collapsible.collapsed:
                self._stale_sections.add(collapsible.id or "")
            else:
                self._fill_section(collapsible, decision, rows)
        agent = body.agent
        if agent.title != _title(_agent_title(decision)):
            agent.title = _title(_agent_title(decision))
        body.agent_lines.update(_agent_lines(decision), layout=not agent.collapsed)
        for button, action in zip(parts.buttons, decision.actions, strict=True):
            button.show(action)
        if parts.scroll.scroll_y:
            parts.scroll.scroll_home(animate=False)

    def _fill_section(
        self,
        collapsible: Collapsible,
        decision: DecisionView,
        rows: Sequence[SignalRow] | None = None,
    ) -> None:
        """Show `decision`'s values in one detail section (or the below-the-fold signals)."""
        self._stale_sections.discard(collapsible.id or "")
        if collapsible.id == "section-more-signals":
            fold = len(self._body_parts.fold_rows) if self._body_parts else 0
            signals, section = decision.signals[fold:], None
        else:
            name = _section_name(collapsible)
            section = next(s for s in decision.sections if _css_id(s.id) == name)
            signals = section.signals
        if rows is None:
            rows = list(collapsible.query(SignalRow).results(SignalRow))
        for row, signal in zip(rows, signals, strict=True):
            row.show(signal)
        if section is not None and section.columns:
            table = collapsible.query_one(DataTable)
            table.clear()
            for item in section.rows:
                table.add_row(*_cells(item.cells))

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")
        self.shown_fold = self.fitting_fold(event.size.height)

    def fitting_fold(self, height: int) -> int:
        """How many signals fit above the fold at this height (at least one, at most the spec's)."""
        decision = self.decision
        if decision is None:
            return 0
        if height <= 0:
            return decision.fold
        fixed = 5  # decision sentence, customer line, two recommendation lines, action bar
        titles = len(decision.sections) + 2  # detail sections, agent verdict, more signals
        room = height - fixed - titles
        return max(1, min(decision.fold, room))

    async def watch_shown_fold(self, old: int, new: int) -> None:
        """Move signals across the fold when the panel's height changes."""
        decision = self.decision
        if decision is None or not self.is_mounted:
            return
        shown = len(self.query(".fold-signals SignalRow"))
        if shown == min(new, len(decision.signals)):
            return
        if self._tree_shape is None:
            return  # a rebuild is pending; it lays out the fold for the new height
        focused = self.focused_signal_id(default=False)
        self._tree_shape = None
        self._stale_sections.clear()
        body = self.query_one(".decision-body", VerticalScroll)
        await body.remove_children()
        await body.mount_all(list(self._body(decision)))
        self._tree_shape = _shape(decision)
        self._run_when_built()
        if self.decision is not decision and self.decision is not None:
            self.watch_decision(self.decision)  # a newer customer arrived meanwhile
        if focused is not None:
            self.focus_signal(focused)

    # ------------------------------------------------------------------ queries
    @property
    def is_built(self) -> bool:
        """Whether the widget tree shows the current decision (no rebuild is pending)."""
        return self.decision is None or self._tree_shape is not None

    def when_built(self, callback: Callable[[], object]) -> None:
        """Call `callback` once the tree shows the current decision (now, if it already does)."""
        if self.is_built:
            callback()
        else:
            self._when_built.append(callback)

    def _run_when_built(self) -> None:
        waiting, self._when_built = self._when_built, []
        for callback in waiting:
            callback()

    def signal_rows(self) -> list[SignalRow]:
        return list(self.query(SignalRow))

    def focused_signal_id(self, default: bool = True) -> str | None:
        """The signal the rep is on: the focused row, or the top-ranked one when none is focused."""
        focused = self.screen.focused if self.is_mounted else None
        if isinstance(focused, SignalRow) and focused in self.signal_rows():
            return focused.signal.id
        if default and self.decision is not None and self.decision.signals:
            return self.decision.signals[0].id
        return None

    def focus_signal(self, signal_id: str) -> None:
        for row in self.signal_rows():
            if row.signal.id == signal_id:
                row.focus()
                return

    def mark_flagged(self, signal_id: str) -> None:
        for row in self.signal_rows():
            if row.signal.id == signal_id:
                row.flagged = True

    def action_for_key(self, key: str) -> ActionView | None:
        if self.decision is None:
            return None
        for action in self.decision.actions:
            if action.key == key:
                return action
        return None

    # ------------------------------------------------------------------ events
    def action_focus_next_signal(self) -> None:
        self._step_focus(+1)

    def action_focus_previous_signal(self) -> None:
        self._step_focus(-1)

    def _step_focus(self, step: int) -> None:
        rows = [row for row in self.signal_rows() if row.display and row.region.height]
        if not rows:
            return
        focused = self.screen.focused
        index = rows.index(focused) if focused in rows else -step
        rows[max(0, min(len(rows) - 1, index + step))].focus()

    @on(Button.Pressed, ".action")
    def _action_clicked(self, event: Button.Pressed) -> None:
        event.stop()
        assert isinstance(event.button, ActionButton)
        self.post_message(self.ActionChosen(self, event.button.action_view))

    @on(Collapsible.Expanded)
    def _expanded(self, event: Collapsible.Expanded) -> None:
        event.stop()
        if event.collapsible.id in self._stale_sections and self.decision is not None:
            self._fill_section(event.collapsible, self.decision)
        self.post_message(self.SectionToggled(self, _section_name(event.collapsible), True))

    @on(Collapsible.Collapsed)
    def _collapsed(self, event: Collapsible.Collapsed) -> None:
        event.stop()
        self.post_message(self.SectionToggled(self, _section_name(event.collapsible), False))


@dataclass(slots=True)
class _Parts:
    """The header lines, the scrolling body and the action buttons of one composed tree."""

    who: Static
    recommendation: Static
    scroll: VerticalScroll
    buttons: list[ActionButton]


@dataclass(slots=True)
class _BodyParts:
    """The body's rows: above the fold, per closable section, and the agent verdict."""

    fold_rows: list[SignalRow]
    sections: list[tuple[Collapsible, list[SignalRow]]]
    agent: Collapsible
    agent_lines: Static


def _shape(decision: DecisionView) -> tuple[object, ...]:
    """What decides the widget tree: two views of one shape differ only in text and values."""
    return (
        decision.view,
        decision.fold,
        tuple((s.id, signal_series(s) is not None) for s in decision.signals),
        tuple(
            (
                section.id,
                section.title,
                tuple((s.id, signal_series(s) is not None) for s in section.signals),
                tuple(section.columns),
                not section.signals and not section.rows,
            )
            for section in decision.sections
        ),
        tuple((a.id, a.key) for a in decision.actions),
    )


def _who(decision: DecisionView) -> Content:
    who = safe_content(decision.display_name, 60, style="bold")
    if decision.subtitle:
        who = join(who, "  ·  ", safe_content(decision.subtitle, 80))
    return who


def _agent_title(decision: DecisionView) -> Content:
    return Content("Agent-ready: " + ("yes" if decision.agent.ready else "no"))


def _recommendation(decision: DecisionView) -> Content:
    """ "★ ESCALATE: enterprise tier; sev-1 open 3 days" with the label in bold."""
    reasons = "; ".join(decision.recommendation.reasons)
    text = join(
        Content.styled("★ " + decision.recommendation.label.upper(), "bold"),
        ": " if reasons else "",
        safe_content(reasons, 200),
    )
    caveats = "; ".join(decision.recommendation.caveats)
    if caveats:  # the doubt it rests on goes with it, where the eye already is
        text = join(text, "  ", safe_content(f"⚠ resting on {caveats}", 200, style="$warning"))
    return text


def _agent_lines(decision: DecisionView) -> Content:
    if decision.agent.ready:
        return Content("An agent may act on this unprompted.")
    lines = [Content("An agent should not act on this unprompted:")]
    lines += [join("  • ", safe_content(reason, 200)) for reason in decision.agent.reasons]
    return Content("\n").join(lines)


def _section_children(section: DetailSection) -> Iterable[Widget]:
    for signal in section.signals:
        yield SignalRow(signal)
    if section.columns:
        table: DataTable[object] = DataTable(
            cursor_type="row", zebra_stripes=True, classes="section-table"
        )
        table.add_columns(*(safe_text(column, 24) for column in section.columns))
        for row in section.rows:
            table.add_row(*_cells(row.cells))
        yield table
    if not section.signals and not section.rows:
        yield Label(Content("Nothing here."), classes="empty")


def _cells(cells: Sequence[str]) -> list[object]:
    return [safe_text(cell, 40) for cell in cells]


def _title(content: Content) -> str:
    # Collapsible is typed to take str, which it would parse as markup; at run time it takes
    # Content as is (CollapsibleTitle runs Content.from_text), which keeps customer text literal.
    return cast(str, content)


def _css_id(raw: str) -> str:
    return "".join(char if char.isalnum() or char in "-_" else "_" for char in raw)


def _section_name(collapsible: Collapsible) -> str:
    return (collapsible.id or "").removeprefix("section-")
