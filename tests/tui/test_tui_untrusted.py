"""Customer text reaches the screen as written: never markup, control characters made visible.

Each hostile string is checked where a customer string can appear: a table, a title, a label and a
notification; clicking a name that looks like an action link does nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import AppFactory, settle
from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.scroll_view import ScrollView
from textual.widget import Widget
from textual.widgets import DataTable

from c360tui.tui.screens.identity import IdentityScreen
from c360tui.tui.screens.support import CustomerScreen, SupportScreen

pytestmark = pytest.mark.asyncio

# (customer id, name as stored, name as it must be painted, company as it must be painted)
CASES = [
    ("cus_002", "[@click=app.quit]Call[/]", "[@click=app.quit]Call[/]", "ACME [UK] Ltd"),
    ("cus_003", "Smith [/] Jones", "Smith [/] Jones", "Smith & Jones"),
    (
        "cus_004",
        "Eve \x1b[31mRed\x1b[0m \x9b2J",
        "Eve ␛[31mRed␛[0m <U+009B>2J",
        "Mallory <U+202E>gnp.exe",
    ),
    ("cus_005", "Zoë\u200b\u200dZero\ufeff", "Zoë<U+200B><U+200D>Zero<U+FEFF>", "Zero Width GmbH"),
]
UNSAFE = ["\x1b", "\x9b", "\u202e", "\u200b", "\u200d", "\ufeff"]


def painted(widget: Widget) -> str:
    """The text a widget paints, line by line, as the terminal would receive it."""
    if isinstance(widget, ScrollView):
        # Tables render line by line from their own state (their line cache knows its data).
        return "\n".join(widget.render_line(y).text for y in range(widget.size.height))
    width, height = widget.outer_size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


async def painted_once(pilot: Pilot[Any], widget: Widget, expected: str) -> str:
    """What `widget` paints once it has settled with `expected` in it (bounded wait).

    A table measures its columns when idle; painting it before then would cache lines drawn
    with the old widths, so tables are painted only once their size counts every row.
    """
    for _ in range(100):
        ready = not isinstance(widget, DataTable) or (
            widget.virtual_size.height >= widget.row_count + 1 and widget.row_count > 0
        )
        if ready and expected in (text := painted(widget)):
            return text
        await pilot.pause(0.05)
    return painted(widget)


def assert_clean(text: str) -> None:
    for char in UNSAFE:
        assert char not in text, f"U+{ord(char):04X} reached the screen"


async def open_by_search(app: App[None], pilot: Pilot[Any], customer_id: str) -> None:
    """Search "*" (every fake customer), then open `customer_id` from the results table."""
    await pilot.press("*")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, SupportScreen)
    index = [r.customer_id for r in screen.results].index(customer_id)
    screen.open_result(index)
    await settle(pilot)


async def test_results_table_shows_every_hostile_string_literally(make_app: AppFactory) -> None:
    app = make_app("support")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("*")
        await app.workers.wait_for_complete()
        widget = app.screen.query_one("#results")
        table = await painted_once(pilot, widget, "Zero Width GmbH")
    assert_clean(table)
    for _, _, name, company in CASES:
        assert name in table
        assert company in table


@pytest.mark.parametrize(("customer_id", "raw", "name", "company"), CASES)
async def test_decision_view_labels_and_titles_show_the_name_literally(
    make_app: AppFactory, customer_id: str, raw: str, name: str, company: str
) -> None:
    app = make_app("support")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_by_search(app, pilot, customer_id)
        assert isinstance(app.screen, CustomerScreen)
        label = await painted_once(pilot, app.screen.query_one(".customer"), company)
        header = await painted_once(pilot, app.screen.query_one("HeaderTitle"), name)
        await pilot.press("i")
        await settle(pilot)
        await pilot.pause()
        assert isinstance(app.screen, IdentityScreen)
        modal = painted(app.screen.query_one(".modal-body"))
        records = await painted_once(pilot, app.screen.query_one("#identity-records"), "Call[/]")
    assert label.startswith(f"{name}  ·  {company}")
    assert f"Support lookup — {name}" in header
    assert f"Identity: {name}" in modal
    # The identity table shows a source record summary holding the click-markup name.
    assert "[@click=app.quit]Call[/]" in records
    for text in (label, header, modal, records):
        assert_clean(text)


async def test_clicking_a_name_that_looks_like_an_action_does_nothing(
    make_app: AppFactory,
) -> None:
    app = make_app("support")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_by_search(app, pilot, "cus_002")
        screen = app.screen
        for x in range(0, 24, 2):
            await pilot.click(".customer", offset=(x, 0))
        await pilot.pause()
        assert app.is_running
        assert app.screen is screen


async def test_notifications_show_the_name_literally(make_app: AppFactory) -> None:
    app = make_app("sdr")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("j")  # lead_02 is named "[@click=app.quit]Call[/]"
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        toasts: list[str] = []
        for _ in range(20):
            toasts = [painted(toast) for toast in app.screen.query("Toast")]
            if toasts:
                break
            await pilot.pause(0.05)
    assert any("Email: [@click=app.quit]Call[/]" in toast for toast in toasts), toasts


async def test_queue_list_shows_names_literally(make_app: AppFactory) -> None:
    app = make_app("csm")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        queue = await painted_once(pilot, app.screen.query_one("#queue"), "Smith [/] Jones")
        title = painted(app.screen.query_one("HeaderTitle"))
    assert "Smith [/] Jones" in queue
    assert "CSM at-risk accounts" in title
