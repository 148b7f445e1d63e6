"""Support lookup: search as you type, open the customer, act, and land on an empty search again.

Focus starts in the search box; every keystroke runs a search in an exclusive worker; each result
says why it matched; enter opens "Can I close this case without escalating?" for it (the
CustomerScreen of customer.py, imported then: the decision widgets are not on the way to paint).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from c360tui.tui.heap import settle
from c360tui.tui.messages import DataFailed, SearchFinished
from c360tui.tui.safe_text import safe_text
from c360tui.tui.widgets.keys_footer import KeysFooter
from c360tui.tui.widgets.results_table import ResultsTable
from c360tui.tui.widgets.search_box import SearchBox
from c360tui.tui.workers import DataWorkers

if TYPE_CHECKING:
    from c360tui.tui.app import C360App
    from c360tui.tui.backend import SearchResult


class SupportScreen(DataWorkers, Screen[object]):
    """The lookup: a search box and the results table."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash",
            "focus_search",
            "Search",
            key_display="/",
            id="support.search",
            tooltip="Back to the search box",
        ),
        Binding(
            "down",
            "focus_results",
            "Results",
            show=False,
            id="support.results",
            tooltip="Move into the results",
        ),
        Binding(
            "escape",
            "clear_or_back",
            "Clear",
            id="support.clear",
            tooltip="Empty the search for the next call (back when already empty)",
        ),
    ]
    BINDING_GROUP_TITLE = "Support lookup"

    role = "support"

    def __init__(self, view: str) -> None:
        super().__init__(id="support")
        self.view = view
        self.results: list[SearchResult] = []
        self.shown_query = ""  # the query whose results the table shows
        self._widths: tuple[int, int, int] | None = None
        self._heap_settled = False  # whether the heap was frozen after the first results

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        yield SearchBox(
            placeholder="Phone, email, name, company or account id",
            id="search",
            select_on_focus=False,
        )
        yield Static(
            Content("Type to search. Enter opens the highlighted customer."), id="search-status"
        )
        table = ResultsTable(cursor_type="row", id="results", zebra_stripes=True)
        # Columns for the terminal's width now, so the first frame already has the table header.
        self._size_columns(table, self.app.size.width)
        yield table
        yield KeysFooter()

    def on_resize(self, event: Resize) -> None:
        table = self.query_one("#results", DataTable)
        if self._size_columns(table, event.size.width):
            self._fill(self.results)

    def _size_columns(self, table: DataTable[Any], width: int) -> bool:
        """Size the columns to the screen (measured columns would cost every keystroke).

        Returns whether the columns changed (the rows then need filling again).
        """
        room = max(30, width - 10)  # margins and cell padding
        widths = (room * 34 // 100, room * 30 // 100, room - room * 64 // 100)
        if widths == self._widths:
            return False
        self._widths = widths
        table.clear(columns=True)
        for label, size in zip(("Name", "Company", "Matched on"), widths, strict=True):
            table.add_column(label, width=size)
        return True

    def on_mount(self) -> None:
        self.title = "Support lookup"
        self.sub_title = "Can I close this case without escalating?"
        self.query_one("#search", Input).focus()
        # Recorded once the screen is painted: the event modules then load after the first paint.
        self.call_after_refresh(self.tracker.screen_opened, "support", self.role, self.view)

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear_or_back(self) -> None:
        """Escape empties the search for the next call; on an empty search it goes back."""
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
            search.focus()
        else:
            cast("C360App", self.app).action_go_back()

    def action_focus_results(self) -> None:
        if self.results:
            self.query_one("#results", DataTable).focus()

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.search_customers(event.value)

    @on(SearchFinished)
    def _search_finished(self, event: SearchFinished) -> None:
        search = self.query_one("#search", SearchBox)
        if event.query != search.value:
            return
        self.results = event.results
        self.shown_query = event.query
        self._fill(event.results)
        status = self.query_one("#search-status", Static)
        if not event.query.strip():
            status.update(Content("Type to search. Enter opens the highlighted customer."))
        elif not event.results:
            status.update(
                Content("No customer matches. Try a phone, email, account id or part of a name.")
            )
        else:
            count = len(event.results)
            status.update(
                Content(
                    f"{count} result{'s' if count != 1 else ''}; enter opens the highlighted one."
                )
            )
        # The held frame goes out with the keystroke and its results. The screen repaints their
        # regions itself: each widget's own refresh reaches the screen a message later.
        table = self.query_one("#results", DataTable)
        self.refresh(search.region, status.region, table.region)
        search.results_shown()
        if event.results and not self._heap_settled:
            # The store and specs are open now: freeze them out of later full collections.
            self._heap_settled = True
            self.call_after_refresh(settle)
        if event.query.strip():
            ids = [result.customer_id for result in event.results]
            self.tracker.search(self.role, self.view, event.query, ids)

    def _fill(self, results: list[SearchResult]) -> None:
        table = self.query_one("#results", DataTable)
        table.clear()
        for result in results:
            table.add_row(
                safe_text(result.name, 60),
                safe_text(result.company, 60),
                safe_text(result.matched, 60),
                key=result.customer_id,
            )

    @on(DataFailed)
    def _search_failed(self, event: DataFailed) -> None:
        if event.group == "search":
            self.query_one("#search", SearchBox).results_shown()

    def on_screen_suspend(self) -> None:
        self.query_one("#search", SearchBox).results_shown()

    @on(Input.Submitted, "#search")
    def _submitted(self) -> None:
        table = self.query_one("#results", DataTable)
        if self.results:
            self.open_result(max(0, table.cursor_row))

    @on(DataTable.RowSelected, "#results")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_result(event.cursor_row)

    def open_result(self, index: int) -> None:
        if not 0 <= index < len(self.results):
            return
        from c360tui.tui.screens.customer import CustomerScreen

        customer_id = self.results[index].customer_id
        self.app.push_screen(
            CustomerScreen(self.view, customer_id, self.role), self._after_decision
        )

    def _after_decision(self, acted: object) -> None:
        """Back from a customer: after an action the lookup is empty and ready for the next call."""
        search = self.query_one("#search", Input)
        if acted:
            search.value = ""
            self.results = []
            self.shown_query = ""
            self.query_one("#results", DataTable).clear()
        search.focus()

    def palette_commands(self) -> list[tuple[str, str, object]]:
        return [("search: focus the search box", "/", self.action_focus_search)]


def __getattr__(name: str) -> Any:
    """`CustomerScreen` still imports from here; it loads on first use (not on the way to paint)."""
    if name == "CustomerScreen":
        from c360tui.tui.screens.customer import CustomerScreen

        return CustomerScreen
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
