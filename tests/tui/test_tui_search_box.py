"""SearchBox holds the repaints from a keystroke until its results are shown, never for long."""

from __future__ import annotations

import asyncio

import pytest
from textual.app import App, ComposeResult

from c360tui.tui.widgets.search_box import HOLD_LIMIT, SearchBox

pytestmark = pytest.mark.asyncio


class Box(App[None]):
    def compose(self) -> ComposeResult:
        yield SearchBox(id="search")


async def test_a_keystroke_holds_repaints_until_the_results_are_shown() -> None:
    app = Box()
    async with app.run_test() as pilot:
        box = app.query_one(SearchBox)
        box.focus()
        await pilot.pause()
        box.insert_text_at_cursor("a")
        assert app._batch_count == 1, "the typed character waits for its results"
        box.results_shown()
        assert app._batch_count == 0
        box.results_shown()  # a second call is harmless
        assert app._batch_count == 0


async def test_the_hold_never_outlasts_its_limit_and_clearing_does_not_hold() -> None:
    app = Box()
    async with app.run_test() as pilot:
        box = app.query_one(SearchBox)
        box.insert_text_at_cursor("ab")
        box.insert_text_at_cursor("c")  # still the first hold, with the first limit
        assert app._batch_count == 1
        await asyncio.sleep(HOLD_LIMIT * 3)
        await pilot.pause()
        assert app._batch_count == 0, "no results came: the character is shown anyway"
        box.value = ""
        assert app._batch_count == 0, "an empty search runs nothing to wait for"
