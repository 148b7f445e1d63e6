"""Why (`w`): the focused signal's provenance: the whole value, rule, source, record, alternates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import DataTable, Label, Static

from c360tui.tui.safe_text import join, safe_content, safe_text
from c360tui.tui.widgets.decision_view import trust_look

if TYPE_CHECKING:
    from c360tui.core.decision_model import DecisionView, SignalView, SourceValue


class WhyScreen(ModalScreen[None]):
    """A modal explaining one signal; escape or `w` closes it."""

    # The trust looks of its value rows are styled in decision.tcss (loaded by its host already).
    CSS_PATH = "../decision.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,w", "dismiss", "Close", id="why.close", tooltip="Back to the decision view"
        ),
    ]

    def __init__(self, signal: SignalView, decision: DecisionView) -> None:
        super().__init__(classes="modal")
        self.signal = signal
        self.decision = decision

    def compose(self) -> ComposeResult:
        signal = self.signal
        with VerticalScroll(classes="modal-body") as body:
            body.border_title = join("Why: ", safe_content(signal.label, 40))
            body.border_subtitle = Content("escape closes")
            look = trust_look(signal)
            yield Label(
                Content.assemble((f"{look.glyph} {look.word}", "bold")),
                classes=f"trust {look.css}",
            )
            yield _field("Value", safe_content(signal.display))
            yield _field("Freshness", Content(f"{signal.freshness} · {signal.age_text}"))
            yield _field("Rule", safe_content(signal.rule or "—"))
            if signal.reason:
                yield _field("Why this state", safe_content(signal.reason))
            if signal.effect:
                yield _field("Moves the decision", safe_content(signal.effect))
            yield from _provenance(signal)
            if signal.inputs and signal.kind == "derived":
                yield _field("Derived from", safe_content(", ".join(signal.inputs)))
            if signal.contenders:
                yield Label(Content("Disagreeing values"), classes="why-heading")
                yield _values_table(signal.contenders, "contenders")
            if signal.alternates:
                yield Label(Content("Other sources' values"), classes="why-heading")
                yield _values_table(signal.alternates, "alternates")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)


def when(moment: datetime | None) -> str:
    """A timestamp as a rep reads it: "2026-11-30 15:00 UTC", or "unknown"."""
    return moment.strftime("%Y-%m-%d %H:%M %Z").strip() if moment is not None else "unknown"


def _field(name: str, value: Content) -> Widget:
    return Static(join(Content.styled(f"{name}: ", "bold"), value), classes="why-field")


def _provenance(signal: SignalView) -> Iterable[Widget]:
    provenance = signal.provenance
    if provenance is None:
        if signal.contenders:
            yield _field("Source", Content("none chosen: the sources below disagree"))
        elif signal.kind == "derived":
            yield _field("Source", Content("computed from the inputs listed"))
        else:
            yield _field("Source", Content("no source holds a value"))
        return
    source = join(safe_content(provenance.system), " / ", safe_content(provenance.feed))
    yield _field("Source", source)
    yield _field("Record", safe_content(provenance.record_id))
    yield _field("Observed at", Content(when(provenance.observed_at)))
    confirmed = signal.confirmed_by
    if confirmed is not None:
        by = join(
            safe_content(confirmed.system),
            " / ",
            safe_content(confirmed.feed),
            ", record ",
            safe_content(confirmed.record_id),
        )
        said = Content(f", on {when(confirmed.observed_at)} (this dates its freshness)")
        yield _field("Confirmed by", join(by, said))


def _values_table(values: list[SourceValue], name: str) -> DataTable[object]:
    table: DataTable[object] = DataTable(cursor_type="row", classes=f"why-table {name}")
    table.add_columns("Value", "Source", "Record", "Observed")
    for value in values:
        table.add_row(
            safe_text(value.display, 48),
            safe_text(value.system, 16),
            safe_text(f"{value.feed}:{value.record_id}", 32),
            when(value.observed_at),
        )
    return table
