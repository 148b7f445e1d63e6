"""Which store, telemetry and clock a screen opens with, and a bad store refused before it opens."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest

from c360tui.errors import C360Error
from c360tui.settings import data_dir, demo_dir
from c360tui.store import open_store
from c360tui.tui import launch as launching


class Opened:
    """Stands in for C360App: keeps what the app was given instead of running it."""

    seen: ClassVar[dict[str, Any]] = {}

    def __init__(self, db: Path, specs: Path, recorder: object, clock: Any, **kw: Any) -> None:
        Opened.seen = {"db": db, "clock": clock, **kw}

    def run(self) -> None:
        return None


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> type[Opened]:
    import c360tui.tui.app

    monkeypatch.setattr(c360tui.tui.app, "C360App", Opened)
    Opened.seen = {}
    return Opened


def test_before_a_store_of_their_own_the_demo_is_opened_as_of_the_samples_date(
    opened: type[Opened], capsys: pytest.CaptureFixture[str]
) -> None:
    open_store(demo_dir() / "c360.db").close()
    launching.launch("support")
    assert opened.seen["db"] == demo_dir() / "c360.db"
    assert opened.seen["telemetry_path"] == demo_dir() / "telemetry.db"
    assert opened.seen["clock"]() == datetime(2026, 11, 30, 15, tzinfo=UTC)
    assert "reading the demo's, as of 2026-11-30T15:00:00Z" in capsys.readouterr().err


def test_a_store_of_their_own_wins_over_the_demo(opened: type[Opened]) -> None:
    open_store(demo_dir() / "c360.db").close()
    open_store(data_dir() / "c360.db").close()
    launching.launch("sdr", as_of="2026-12-01T09:00:00Z")
    assert opened.seen["db"] == data_dir() / "c360.db"
    assert opened.seen["telemetry_path"] == data_dir() / "telemetry.db"
    assert opened.seen["clock"]() == datetime(2026, 12, 1, 9, tzinfo=UTC)


def test_without_any_store_the_screen_does_not_open(opened: type[Opened]) -> None:
    with pytest.raises(C360Error, match="There is no c360 database at"):
        launching.launch("csm")
    assert opened.seen == {}


def test_a_file_that_is_not_a_store_is_one_sentence_before_the_screen(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("this is not a database\n" * 50)
    done = subprocess.run(
        [sys.executable, "-m", "c360tui", "sdr", "--db", str(bad), "--no-telemetry"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.strip().startswith("error: ") and "is not a SQLite database" in done.stderr


def test_reading_commands_read_the_demo_too_until_the_user_has_a_store(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from c360tui.cli import main

    open_store(demo_dir() / "c360.db").close()
    monkeypatch.setattr(sys, "argv", ["c360", "quarantine", "--json"])
    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code in (0, None)
    captured = capsys.readouterr()
    assert captured.out.strip() == "[]"
    assert "reading the demo's" in " ".join(captured.err.split())  # the console may wrap
