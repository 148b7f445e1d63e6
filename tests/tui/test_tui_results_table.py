"""ResultsTable draws every body row exactly as DataTable would: same text, styles and mouse meta.

If a Textual upgrade changes how DataTable draws a row, this test says so before a snapshot does.
"""

from __future__ import annotations

import random

import pytest
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from c360tui.tui.safe_text import safe_text
from c360tui.tui.widgets.results_table import ResultsTable

pytestmark = pytest.mark.asyncio

HOSTILE = [
    "Ada Lovelace",
    "\x1b[31mred\x1b[0m and a bell\x07",
    "名前 テスト 長い名前です長い名前です長い名前です",
    "a" * 80,
    "[bold]not markup[/bold]",
    "tab\there",
    "zero\u200bwidth and \u202eright-to-left",
    "e\u0301 combining",
    "",
]


class Table(App[None]):
    def compose(self) -> ComposeResult:
        table = ResultsTable(cursor_type="row", id="results", zebra_stripes=True)
        for label, width in zip(("Name", "Company", "Matched on"), (37, 33, 40), strict=True):
            table.add_column(label, width=width)
        yield table


def cell(rng: random.Random) -> object:
    if rng.random() < 0.4:
        return safe_text(rng.choice(HOSTILE), 60)
    letters = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ"
    return safe_text("".join(rng.choice(letters) for _ in range(rng.randint(0, 50))), 60)


async def test_body_rows_match_datatable_line_for_line() -> None:
    rng = random.Random(3)
    app = Table()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(ResultsTable)
        compared = 0
        for turn in range(24):
            table.clear()
            for i in range(rng.randint(1, 45)):  # more than fit: the view scrolls
                table.add_row(cell(rng), cell(rng), cell(rng), key=f"C{turn}-{i}")
            if turn % 2:
                table.focus()
            else:
                app.set_focus(None)
            table.move_cursor(row=rng.randrange(table.row_count))
            await pilot.pause()
            table.render_lines(table.region.reset_offset)
            for y in range(table.size.height):
                fast = list(table.render_line(y))
                assert fast == list(DataTable.render_line(table, y)), f"turn {turn}, line {y}"
                compared += 1
        assert compared > 500
        assert len(table._rows) > 0, "the body rows were drawn by the fast path"
