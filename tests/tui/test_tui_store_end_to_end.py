"""The screens over a real store and a real telemetry file: generated sample data, ingested.

Slower than the fake-backed tests (it generates and ingests ~80 people once per module), so it is
marked slow; it proves the StoreBackend glue and that every interaction lands in `sqlite3`.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from conftest import settle
from textual.widgets import DataTable

from c360tui.ingest.pipeline import ingest
from c360tui.sample import DEFAULT_AS_OF, SampleOptions, generate, parse_as_of
from c360tui.settings import Settings
from c360tui.store import open_store
from c360tui.telemetry.writer import TelemetryWriter
from c360tui.tui.app import C360App
from c360tui.tui.screens.queue import QueueScreen
from c360tui.tui.screens.support import CustomerScreen, SupportScreen
from c360tui.tui.widgets.decision_view import DecisionPanel

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]

AS_OF: datetime = parse_as_of(DEFAULT_AS_OF)


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("e2e")
    exports = root / "sample"
    generate(SampleOptions(customers=80, seed=11, out=exports, as_of=AS_OF))
    db = root / "c360.db"
    with open_store(db) as store:
        ingest([exports], store, now=AS_OF, specs_dir=Settings().specs_dir())
    return db


def app_for(db: Path, telemetry: Path, start: str) -> tuple[C360App, TelemetryWriter]:
    writer = TelemetryWriter(telemetry)
    app = C360App(db, Settings().specs_dir(), writer, lambda: AS_OF, start=start)
    return app, writer


def events(telemetry: Path) -> list[tuple[str, str | None]]:
    with sqlite3.connect(telemetry) as conn:
        return list(conn.execute("SELECT type, customer_id FROM events ORDER BY id"))


def every_text(telemetry: Path) -> str:
    with sqlite3.connect(telemetry) as conn:
        return "\n".join(str(row) for row in conn.execute("SELECT * FROM events"))


async def test_support_lookup_over_the_store_writes_every_interaction(
    store_path: Path, tmp_path: Path
) -> None:
    with open_store(store_path, create=False) as store:
        row = store.conn.execute(
            "SELECT customer_id, display_name FROM customer ORDER BY seq LIMIT 1"
        ).fetchone()
    customer_id, name = row
    telemetry = tmp_path / "telemetry.db"
    app, writer = app_for(store_path, telemetry, "support")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*name.split()[-1][:4])
        await settle(pilot)
        assert isinstance(app.screen, SupportScreen)
        table = app.screen.query_one("#results", DataTable)
        ids = [result.customer_id for result in app.screen.results]
        assert customer_id in ids
        app.screen.open_result(ids.index(customer_id))
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        decision = app.screen.query_one(DecisionPanel).decision
        assert decision is not None and decision.customer_id == customer_id
        assert decision.decision == "Can I close this case without escalating?"
        await pilot.press("w")
        await pilot.press("escape", "exclamation_mark")
        await settle(pilot)
        action = decision.actions[0]
        await pilot.press(action.key)
        await settle(pilot)
        assert isinstance(app.screen, SupportScreen)
        assert table.row_count == 0
    writer.close()
    kinds = [kind for kind, _ in events(telemetry)]
    for expected in (
        "session_start",
        "search",
        "view_opened",
        "provenance_opened",
        "value_flagged",
        "action_taken",
        "session_end",
    ):
        assert expected in kinds
    assert name not in every_text(telemetry), "no customer name in telemetry"
    with open_store(store_path, create=False) as store:
        flagged = store.load_customer(customer_id)
    assert flagged is not None and flagged.flagged, "the flag is stored"


async def test_sdr_queue_state_survives_a_restart(store_path: Path, tmp_path: Path) -> None:
    telemetry = tmp_path / "telemetry.db"
    app, writer = app_for(store_path, telemetry, "sdr")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        before = (screen.worked, len(screen.items))
        first = screen.items[0].customer_id
        await pilot.press("e")
        await settle(pilot)
        assert (screen.worked, len(screen.items)) == (before[0] + 1, before[1] - 1)
    writer.close()
    app, writer = app_for(store_path, telemetry, "sdr")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        assert screen.worked == before[0] + 1
        assert first not in [item.customer_id for item in screen.items]
    writer.close()
    assert ("action_taken", first) in events(telemetry)
