"""Identity (`i`): the source records that make this customer and the evidence for each merge.

Highlight a merge and press `n` ("not the same person") to record a split request; the next
resolution honours it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.coordinate import Coordinate
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from c360tui.core.customer import MergeEvidence
from c360tui.tui.messages import IdentityLoaded, SplitRecorded
from c360tui.tui.safe_text import clean, join, safe_content, safe_text
from c360tui.tui.screens.why import when
from c360tui.tui.workers import DataWorkers

if TYPE_CHECKING:
    from c360tui.core.decision_model import DecisionView


class IdentityScreen(DataWorkers, ModalScreen[None]):
    """A modal listing source records and merges; `n` asks to split the highlighted merge."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,i", "dismiss", "Close", id="identity.close", tooltip="Back to the decision view"
        ),
        Binding(
            "n",
            "split",
            "Not the same person",
            id="identity.split",
            tooltip="Record a split request for the highlighted merge",
        ),
    ]

    def __init__(self, decision: DecisionView) -> None:
        super().__init__(classes="modal")
        self.decision = decision
        self.merges: list[MergeEvidence] = []
        self.split_rows: set[int] = set()

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal-body") as body:
            body.border_title = join("Identity: ", safe_content(self.decision.display_name, 40))
            body.border_subtitle = Content("n not the same person · escape closes")
            yield Label(Content("Loading source records…"), id="identity-status")
            yield Label(Content("Source records"), classes="why-heading")
            records: DataTable[object] = DataTable(cursor_type="row", id="identity-records")
            records.add_columns("System", "Record", "Observed", "Summary")
            yield records
            yield Label(Content("Merges and their evidence"), classes="why-heading")
            merges: DataTable[object] = DataTable(cursor_type="row", id="identity-merges")
            merges.add_columns("Left", "Right", "Rule", "Evidence", "")
            yield merges
            yield Label(
                Content("Held for review (not merged)"), classes="why-heading", id="held-heading"
            )
            held: DataTable[object] = DataTable(cursor_type="row", id="identity-held")
            held.add_columns("Left", "Right", "Rule", "Reason")
            yield held

    def on_mount(self) -> None:
        self.load_identity(self.decision.customer_id)

    @on(IdentityLoaded)
    def _loaded(self, event: IdentityLoaded) -> None:
        detail = event.detail
        status = self.query_one("#identity-status", Label)
        records_n, merges_n, held_n = len(detail.records), len(detail.merges), len(detail.held)
        status.update(Content(f"{records_n} source records · {merges_n} merges · {held_n} held"))
        records = self.query_one("#identity-records", DataTable)
        for row in detail.records:
            observed = when(row.observed_at)
            records.add_row(
                safe_text(row.system, 12),
                safe_text(str(row.key), 32),
                observed,
                safe_text(row.summary, 60),
            )
        merges = self.query_one("#identity-merges", DataTable)
        self.merges = list(detail.merges)
        for merge in self.merges:
            evidence = "; ".join(f"{f.field} {f.method} {f.score:.2f}" for f in merge.fields)
            merges.add_row(
                safe_text(str(merge.left), 28),
                safe_text(str(merge.right), 28),
                safe_text(merge.rule, 24),
                safe_text(evidence, 60),
                "",
            )
        held = self.query_one("#identity-held", DataTable)
        for item in detail.held:
            held.add_row(
                safe_text(str(item.left), 28),
                safe_text(str(item.right), 28),
                safe_text(item.rule, 24),
                safe_text(item.reason, 60),
            )
        if self.merges:
            merges.focus()

    def action_split(self) -> None:
        table = self.query_one("#identity-merges", DataTable)
        row = table.cursor_row
        if not self.merges or not 0 <= row < len(self.merges):
            self.notify("Highlight a merge first; a split needs two records.", markup=False)
            return
        if row in self.split_rows:
            return
        merge = self.merges[row]
        self.split_rows.add(row)
        self.tracker.split_requested(self.decision, merge.left, merge.right)
        self.request_split(self.decision.customer_id, merge.left, merge.right)

    @on(SplitRecorded)
    def _split_recorded(self, event: SplitRecorded) -> None:
        table = self.query_one("#identity-merges", DataTable)
        for index, merge in enumerate(self.merges):
            if merge.left == event.left and merge.right == event.right:
                table.update_cell_at(Coordinate(index, 4), "✂ split requested")
        self.notify(
            clean(f"Split requested: {event.left} and {event.right} are not the same person.", 120),
            markup=False,
        )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
