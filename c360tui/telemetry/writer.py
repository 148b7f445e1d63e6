"""TelemetryWriter: events go on a queue on the UI thread; a daemon thread batches them to SQLite.

`record()` only stamps the time and enqueues (a few microseconds): the UI never waits on the
disk. The background thread writes short `BEGIN IMMEDIATE` transactions (every `interval`
seconds or `max_batch` events) to a WAL file with a busy timeout, so several app instances can
share one file and a crash loses at most the batch being collected.
"""

from __future__ import annotations

import atexit
import itertools
import json
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from c360tui.errors import C360Error
from c360tui.telemetry.schema import INSERT, PAGE_SIZE, ensure_schema

if TYPE_CHECKING:
    from c360tui.telemetry.events import Event

WallClock = Callable[[], datetime]
MonotonicClock = Callable[[], int]
# One queued event: the event, its wall time, monotonic ns and sequence number in this writer.
_Item = tuple["Event", datetime, int, int]
_Row = tuple[object, ...]

_STOP = object()
_RETRIES = 20  # busy retries of one batch (each after SQLite's own busy_timeout) before dropping it


class Recorder(Protocol):
    """What the screens hold: a TelemetryWriter, or a NullWriter when telemetry is off."""

    def record(self, event: Event) -> None: ...
    def flush(self, timeout: float | None = None) -> bool: ...
    def close(self, timeout: float | None = None) -> None: ...
    def now_ns(self) -> int: ...


def _utc_now() -> datetime:
    return datetime.now(UTC)


def format_wall(moment: datetime) -> str:
    """UTC ISO 8601 with microseconds and `Z`, fixed width so text order is time order."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # an injected naive clock is taken to be UTC
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def encode_row(event: Event, wall: datetime, mono_ns: int, seq: int) -> _Row:
    """The `events` row for one event, in schema COLUMNS order.

    The event modules are imported with the first event, not with the writer: building their ~20
    dataclasses (~10 ms) is then no part of a screen's way to its first paint.
    """
    from c360tui.telemetry.events import customer_of
    from c360tui.telemetry.payload import to_payload

    ctx = event.ctx
    payload = json.dumps(to_payload(event), separators=(",", ":"), ensure_ascii=False)
    return (
        event.type,
        ctx.session_id,
        seq,
        ctx.actor,
        ctx.rep,
        ctx.role,
        ctx.view,
        ctx.spec_version,
        customer_of(event),
        format_wall(wall),
        mono_ns,
        payload,
    )


def connect(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    """A writing connection in WAL mode with the file's schema created or checked."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=busy_timeout_ms / 1000
        )
    except (OSError, sqlite3.Error) as error:
        message = f"Cannot open the telemetry file {path} ({error}); pick another path."
        raise C360Error(message) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # a new file only; WAL would fix it first
        deadline = time.monotonic() + busy_timeout_ms / 1000
        retry_while_busy(lambda: conn.execute("PRAGMA journal_mode = WAL"), deadline)
        # NORMAL in WAL keeps every commit across a process crash; only power loss can lose one.
        conn.execute("PRAGMA synchronous = NORMAL")
        ensure_schema(conn, path)
    except sqlite3.OperationalError as error:
        conn.close()
        if error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY:  # or an extended busy code
            message = f"The telemetry file {path} stayed locked by another process; try again."
        else:
            message = f"{path} is not a c360 telemetry file ({error}); choose another path."
        raise C360Error(message) from None
    except sqlite3.DatabaseError as error:
        conn.close()
        message = f"{path} is not a c360 telemetry file ({error}); choose another path."
        raise C360Error(message) from None
    except BaseException:
        conn.close()
        raise
    return conn


def retry_while_busy(action: Callable[[], object], deadline: float, pause: float = 0.01) -> None:
    """Run `action`, again after `pause` seconds while SQLite says the file is busy, until the
    monotonic `deadline`; then the busy error is raised.

    `PRAGMA journal_mode = WAL` on a file another process is creating at that moment can fail
    with 'database is locked' at once, without the busy handler (seen with two apps starting on
    one new file), so the wait the busy timeout promises is made here.
    """
    while True:
        try:
            action()
            return
        except sqlite3.OperationalError as error:
            busy = error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY
            if not busy or time.monotonic() >= deadline:
                raise
        time.sleep(pause)


class TelemetryWriter:
    """Writes events to one telemetry file from a background thread; see the module docstring.

    `on_commit(total)` is called on the writer thread after each commit with the running count of
    committed events. Write failures never reach the UI: they are kept in `error` and counted in
    `dropped`.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        wall: WallClock = _utc_now,
        monotonic_ns: MonotonicClock = time.monotonic_ns,
        interval: float = 0.1,
        max_batch: int = 200,
        busy_timeout_ms: int = 5000,
        on_commit: Callable[[int], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self._wall = wall
        self._mono = monotonic_ns
        self._interval = interval
        self._max_batch = max_batch
        self._on_commit = on_commit
        self._queue: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._seq = itertools.count()
        self._closed = False
        self.committed = 0
        self.dropped = 0
        self.error: BaseException | None = None
        self._conn = connect(self.path, busy_timeout_ms)
        self._thread = threading.Thread(target=self._run, name="c360-telemetry", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    def record(self, event: Event) -> None:
        """Stamp the event with the clocks and queue it; never blocks, never raises on I/O."""
        if self._closed:
            self.dropped += 1
            return
        self._queue.put((event, self._wall(), self._mono(), next(self._seq)))

    def now_ns(self) -> int:
        """The writer's monotonic clock, for durations such as ms since a view opened."""
        return self._mono()

    def flush(self, timeout: float | None = 5.0) -> bool:
        """Wait until every event recorded so far is committed; False if `timeout` ran out."""
        if self._closed:
            return True
        if not self._thread.is_alive():
            return False
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def close(self, timeout: float | None = 10.0) -> None:
        """Drain and commit everything queued, stop the thread and close the file (idempotent)."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self.close)
        self._queue.put(_STOP)
        self._thread.join(timeout)
        if not self._thread.is_alive():
            self._conn.close()

    def __enter__(self) -> TelemetryWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _run(self) -> None:
        """Collect a batch until `interval` after its first event, `max_batch`, a flush or stop."""
        stopping = False
        while not stopping:
            batch: list[_Item] = []
            waiters: list[threading.Event] = []
            item = self._queue.get()
            deadline = time.monotonic() + self._interval
            while True:
                if item is _STOP:
                    stopping = True
                    self._drain(batch, waiters)
                    break
                if isinstance(item, threading.Event):
                    waiters.append(item)
                    break
                batch.append(item)  # type: ignore[arg-type]
                if len(batch) >= self._max_batch:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    item = self._queue.get(timeout=remaining)
                except queue.Empty:
                    break
            for start in range(0, len(batch), self._max_batch):
                self._write(batch[start : start + self._max_batch])
            for waiter in waiters:
                waiter.set()

    def _drain(self, batch: list[_Item], waiters: list[threading.Event]) -> None:
        """On stop: take everything still queued (events recorded before close)."""
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, threading.Event):
                waiters.append(item)
            elif item is not _STOP:
                batch.append(item)  # type: ignore[arg-type]

    def _write(self, items: list[_Item]) -> None:
        """Commit one batch in one short transaction, retrying while another writer holds it."""
        rows: list[_Row] = []
        for event, wall, mono, seq in items:
            try:
                rows.append(encode_row(event, wall, mono, seq))
            except Exception as error:  # a bad event must not take the others down with it
                self._fail(error, 1)
        for attempt in range(_RETRIES):
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                self._insert_rows(rows)
                self._conn.execute("COMMIT")
                break
            except sqlite3.Error as error:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                busy = isinstance(error, sqlite3.OperationalError) and "locked" in str(error)
                if not busy or attempt == _RETRIES - 1:
                    self._fail(error, len(rows))
                    return
                time.sleep(0.01 * (attempt + 1))
        self.committed += len(rows)
        if self._on_commit is not None:
            try:
                self._on_commit(self.committed)
            except Exception as error:
                self.error = error

    def _insert_rows(self, rows: list[_Row]) -> None:
        self._conn.executemany(INSERT, rows)

    def _fail(self, error: BaseException, lost: int) -> None:
        # Kept for the app to report on exit: printing here would scribble over the running TUI.
        self.error = error
        self.dropped += lost


class NullWriter:
    """The writer when telemetry is off: accepts every event and keeps nothing."""

    def __init__(self, monotonic_ns: MonotonicClock = time.monotonic_ns) -> None:
        self._mono = monotonic_ns

    def record(self, event: Event) -> None:
        return None

    def flush(self, timeout: float | None = None) -> bool:
        return True

    def close(self, timeout: float | None = None) -> None:
        return None

    def now_ns(self) -> int:
        return self._mono()
