"""The reader: typed events out, filters in SQL, never writes, one sentence for bad files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from c360tui.errors import C360Error
from c360tui.telemetry.events import (
    ActionTaken,
    Context,
    ScreenOpened,
    SessionStart,
    SignalTrust,
)
from c360tui.telemetry.reader import open_reader
from c360tui.telemetry.writer import TelemetryWriter

SUPPORT = Context("s1", "rep", "rep-a", role="support", view="support_case", spec_version="1")
SDR = Context("s2", "rep", "rep-b", role="sdr", view="sdr_morning", spec_version="4")
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def write_days(path: Path, days: int = 3) -> None:
    """One support screen and one SDR action per day, a day apart."""
    moments = iter([START + timedelta(days=d, minutes=m) for d in range(days) for m in (0, 1)])
    with TelemetryWriter(path, wall=lambda: next(moments)) as writer:
        for day in range(days):
            writer.record(ScreenOpened(SUPPORT, screen="support"))
            deciding = (SignalTrust("intent_score", "stale", "stale"),)
            writer.record(ActionTaken(SDR, f"C-{day}", "snooze", "call", 1500 + day, deciding))


def test_events_come_back_typed_with_their_time(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    write_days(path)
    with open_reader(path) as reader:
        got = list(reader.events())
    assert [r.type for r in got] == ["screen_opened", "action_taken"] * 3
    action = got[1]
    assert action.event == ActionTaken(
        SDR, "C-0", "snooze", "call", 1500, (SignalTrust("intent_score", "stale", "stale"),)
    )
    assert isinstance(action.event, ActionTaken) and action.event.override
    assert action.wall_time == START + timedelta(minutes=1)
    assert action.ctx == SDR
    assert action.customer_id == "C-0"
    assert got[0].customer_id is None


def test_filters_by_role_time_type_and_customer(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    write_days(path)
    with open_reader(path) as reader:
        assert [r.customer_id for r in reader.events(role="sdr")] == ["C-0", "C-1", "C-2"]
        day2 = list(reader.events(since=date(2025, 3, 4), until=date(2025, 3, 5)))
        assert [r.wall_time.day for r in day2] == [4, 4]
        assert len(list(reader.events(since=START + timedelta(days=2, seconds=30)))) == 1
        assert len(list(reader.events(types=["screen_opened"]))) == 3
        assert [r.seq for r in reader.events(customer_id="C-1")] == [3]
        assert list(reader.events(view="nope")) == []


def test_reading_never_changes_the_file_and_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    write_days(path)
    before = path.read_bytes()
    with open_reader(path) as reader:
        list(reader.events())
        with pytest.raises(sqlite3.OperationalError):
            reader.connection.execute("DELETE FROM events")
    assert path.read_bytes() == before


def test_reading_while_a_writer_is_running_sees_committed_events(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    writer = TelemetryWriter(path)
    try:
        writer.record(SessionStart(SUPPORT, app_version="0.1.0"))
        assert writer.flush(timeout=10)
        with open_reader(path) as reader:
            assert [r.type for r in reader.events()] == ["session_start"]
            writer.record(ScreenOpened(SUPPORT, screen="support"))
            assert writer.flush(timeout=10)  # the open reader does not block the writer
        assert writer.committed == 2
    finally:
        writer.close()


def test_a_missing_file_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(C360Error, match="No telemetry file"):
        open_reader(tmp_path / "missing.db")


@pytest.mark.parametrize("content", [b"", b"name,email\nZoe,zoe@example.org\n" * 50])
def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "t.db"
    path.write_bytes(content)
    with pytest.raises(C360Error, match="not a SQLite file"):
        open_reader(path)


@pytest.mark.parametrize("keep", [50, 0.5])
def test_a_truncated_file_is_refused(tmp_path: Path, keep: float) -> None:
    path = tmp_path / "t.db"
    with TelemetryWriter(path) as writer:
        for i in range(3000):
            writer.record(ScreenOpened(SUPPORT, screen=f"screen{i}"))
    data = path.read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else keep
    path.write_bytes(data[:cut])
    with pytest.raises(C360Error, match="truncated"):
        open_reader(path)


def test_a_file_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    write_days(path, days=1)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(C360Error, match="schema version 2 but this c360 reads version 1"):
        open_reader(path)


def test_another_apps_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.commit()
    conn.close()
    with pytest.raises(C360Error, match="not a c360 telemetry file"):
        open_reader(path)


def test_a_hand_edited_payload_is_one_sentence_naming_the_row(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    write_days(path, days=1)
    conn = sqlite3.connect(path)
    conn.execute('UPDATE events SET payload = \'{"screen": "Zoe Smith"}\' WHERE id = 1')
    conn.execute("UPDATE events SET type = 'from_the_future' WHERE id = 2")
    conn.commit()
    conn.close()
    with open_reader(path) as reader, pytest.raises(C360Error, match=r"Event 1 .* is malformed"):
        list(reader.events())
    with open_reader(path) as reader:
        assert list(reader.events(types=["from_the_future"])) == []  # unknown types are skipped
