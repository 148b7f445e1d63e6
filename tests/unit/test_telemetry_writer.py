"""TelemetryWriter: events reach the file in order with the injected clock, batched, in WAL."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from c360tui.errors import C360Error
from c360tui.telemetry.events import Context, FieldExpanded, ScreenOpened, SessionEnd, SessionStart
from c360tui.telemetry.schema import SCHEMA_VERSION
from c360tui.telemetry.writer import NullWriter, TelemetryWriter

CTX = Context("s1", "rep", "rep-a", role="support", view="support_case", spec_version="1")


class FakeClock:
    """Wall and monotonic time that move only when a test says so (1 ms per reading)."""

    def __init__(self) -> None:
        self.start = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
        self.ticks = 0

    def wall(self) -> datetime:
        return self.start + timedelta(milliseconds=self.ticks)

    def mono(self) -> int:
        self.ticks += 1
        return 1_000_000_000 + self.ticks * 1_000_000


def rows(path: Path, sql: str = "SELECT * FROM events ORDER BY id") -> list[sqlite3.Row]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_events_are_written_in_order_with_context_and_injected_time(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "sub" / "telemetry.db"
    with TelemetryWriter(path, wall=clock.wall, monotonic_ns=clock.mono) as writer:
        writer.record(SessionStart(CTX, app_version="0.1.0", columns=80, rows=24))
        writer.record(FieldExpanded(CTX, customer_id="C-7", signal_id="sla_breach"))
        writer.record(SessionEnd(CTX))
    got = rows(path)
    assert [r["type"] for r in got] == ["session_start", "field_expanded", "session_end"]
    assert [r["seq"] for r in got] == [0, 1, 2]
    assert [r["wall_time"] for r in got] == [
        "2025-03-03T09:00:00.000000Z",
        "2025-03-03T09:00:00.001000Z",
        "2025-03-03T09:00:00.002000Z",
    ]
    assert [r["mono_ns"] for r in got] == [1_001_000_000, 1_002_000_000, 1_003_000_000]
    second = got[1]
    assert (second["session_id"], second["actor"], second["rep"]) == ("s1", "rep", "rep-a")
    assert (second["role"], second["view"], second["spec_version"]) == (
        "support",
        "support_case",
        "1",
    )
    assert second["customer_id"] == "C-7"
    assert json.loads(second["payload"]) == {"customer_id": "C-7", "signal_id": "sla_breach"}
    assert got[0]["customer_id"] is None


def test_file_is_wal_and_records_its_kind_and_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    TelemetryWriter(path).close()
    meta = {r["key"]: r["value"] for r in rows(path, "SELECT key, value FROM meta")}
    assert meta == {"kind": "c360tui-telemetry", "schema_version": str(SCHEMA_VERSION)}
    assert rows(path, "PRAGMA journal_mode")[0][0] == "wal"


def test_flush_makes_recorded_events_visible_to_other_readers(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    writer = TelemetryWriter(path, interval=60.0)  # would otherwise hold the batch for a minute
    try:
        for i in range(5):
            writer.record(ScreenOpened(CTX, screen=f"screen{i}"))
        assert writer.flush(timeout=10)
        assert len(rows(path)) == 5
        assert writer.committed == 5
    finally:
        writer.close()


def test_batches_never_exceed_max_batch_and_lose_nothing(tmp_path: Path) -> None:
    totals: list[int] = []
    path = tmp_path / "t.db"
    writer = TelemetryWriter(path, max_batch=50, interval=60.0, on_commit=totals.append)
    for i in range(420):
        writer.record(ScreenOpened(CTX, screen=f"s{i}"))
    writer.close()
    sizes = [b - a for a, b in zip([0, *totals], totals, strict=False)]
    assert totals[-1] == 420
    assert max(sizes) <= 50
    assert [r["seq"] for r in rows(path)] == list(range(420))


def test_a_second_writer_appends_to_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    for session in ("s1", "s2"):
        with TelemetryWriter(path) as writer:
            writer.record(SessionStart(Context(session, "rep", "rep-a"), app_version="0.1.0"))
    assert [r["session_id"] for r in rows(path)] == ["s1", "s2"]


def test_events_recorded_after_close_are_dropped_without_raising(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    writer = TelemetryWriter(path)
    writer.record(ScreenOpened(CTX, screen="support"))
    writer.close()
    writer.record(ScreenOpened(CTX, screen="late"))
    writer.close()
    assert writer.flush()
    assert [json.loads(r["payload"])["screen"] for r in rows(path)] == ["support"]
    assert writer.dropped == 1


def test_a_naive_injected_wall_clock_is_taken_as_utc(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with TelemetryWriter(path, wall=lambda: datetime(2025, 1, 2, 3, 4, 5)) as writer:
        writer.record(ScreenOpened(CTX, screen="support"))
    assert rows(path)[0]["wall_time"] == "2025-01-02T03:04:05.000000Z"


def test_a_file_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    TelemetryWriter(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(C360Error, match="schema version 99"):
        TelemetryWriter(path)


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 200)
    with pytest.raises(C360Error, match="not a c360 telemetry file"):
        TelemetryWriter(path)
    assert path.read_bytes() == b"these are my notes, not a database\n" * 200


def test_another_apps_sqlite_file_is_refused_and_not_modified(tmp_path: Path) -> None:
    path = tmp_path / "c360.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(C360Error, match="not a c360 telemetry file"):
        TelemetryWriter(path)
    tables = [r[0] for r in rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert tables == ["customers"]


def test_null_writer_accepts_events_and_writes_no_file(tmp_path: Path) -> None:
    writer = NullWriter(monotonic_ns=lambda: 42)
    writer.record(ScreenOpened(CTX, screen="support"))
    assert writer.flush()
    writer.close()
    assert writer.now_ns() == 42
    assert list(tmp_path.iterdir()) == []


def test_now_ns_is_the_injected_monotonic_clock(tmp_path: Path) -> None:
    clock = FakeClock()
    with TelemetryWriter(tmp_path / "t.db", wall=clock.wall, monotonic_ns=clock.mono) as writer:
        assert writer.now_ns() == 1_001_000_000


def _locked_elsewhere(path: Path) -> sqlite3.Connection:
    """A connection holding an exclusive lock on a new database at `path`."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    return holder


def test_a_busy_action_is_retried_until_the_other_process_lets_go(tmp_path: Path) -> None:
    from time import monotonic

    from c360tui.telemetry.writer import retry_while_busy

    holder = _locked_elsewhere(tmp_path / "t.sqlite")
    reader = sqlite3.connect(tmp_path / "t.sqlite", isolation_level=None, timeout=0)
    attempts = []

    def read() -> None:
        attempts.append(1)
        if len(attempts) == 3:
            holder.execute("COMMIT")  # the other side lets go after two busy answers
        reader.execute("SELECT count(*) FROM t").fetchone()

    retry_while_busy(read, monotonic() + 5, pause=0)
    assert len(attempts) == 3


def test_a_file_that_stays_locked_says_so_instead_of_calling_it_foreign(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite"
    holder = _locked_elsewhere(path)
    with pytest.raises(C360Error, match="stayed locked by another process") as caught:
        TelemetryWriter(path, busy_timeout_ms=50)
    assert "not a c360 telemetry file" not in str(caught.value)
    holder.execute("ROLLBACK")
