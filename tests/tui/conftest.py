"""Deterministic screen-test fixtures: frozen clock, fixed data, isolated dirs, no blink."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from tui_fakes import NOW, FakeBackend, ListRecorder

from c360tui.telemetry.events import Context
from c360tui.tui.app import C360App
from c360tui.tui.tracking import Tracker

# Fixed paths shown on the launcher so snapshots do not depend on the machine.
STORE = Path("/data/c360/c360.db")
TELEMETRY = Path("/data/c360/telemetry.db")
SPECS = Path("/data/c360/specs")

AppFactory = Callable[..., C360App]


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until no worker runs and the messages they caused are handled (bounded)."""
    quiet = 0
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(worker.is_running for worker in pilot.app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet >= 3:
            return


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every user directory and c360 variable at the test's own temp dir, fix the locale."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("C360_DB", str(tmp_path / "c360.db"))
    monkeypatch.setenv("C360_TELEMETRY", str(tmp_path / "telemetry.db"))
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inputs never blink, so a snapshot cannot catch the cursor half-way."""
    original = Input.__init__

    def init(self: Input, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        self.cursor_blink = False

    monkeypatch.setattr(Input, "__init__", init)


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def recorder() -> ListRecorder:
    return ListRecorder()


@pytest.fixture
def make_app(backend: FakeBackend, recorder: ListRecorder) -> AppFactory:
    """Build the app the CLI builds, on fixed data, a frozen clock and a list recorder."""

    def factory(start: str = "launcher") -> C360App:
        app = C360App(
            STORE,
            SPECS,
            recorder,
            lambda: NOW,
            backend=backend,
            start=start,
            telemetry_path=TELEMETRY,
        )
        app.tracker = Tracker(recorder, Context("session-test", "rep", "rep-test"))
        return app

    return factory
