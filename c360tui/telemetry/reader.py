"""Read a telemetry file without ever writing to it or blocking its writers.

The file is opened with a `file:...?mode=ro` URI and `query_only`; WAL lets it be read while
apps are still writing. A missing file, a file that is not SQLite, a truncated file or one of
another schema version is refused with one C360Error sentence before any row is read.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from c360tui.errors import C360Error
from c360tui.telemetry.events import EVENT_CLASSES, Context, Event, customer_of
from c360tui.telemetry.payload import from_payload
from c360tui.telemetry.schema import SCHEMA_VERSION, check_meta
from c360tui.telemetry.writer import format_wall

_MAGIC = b"SQLite format 3\x00"
_HEADER = 100


@dataclass(frozen=True, slots=True)
class Recorded:
    """One stored event with where and when it was recorded."""

    row_id: int
    seq: int
    wall_time: datetime
    mono_ns: int
    event: Event

    @property
    def type(self) -> str:
        return self.event.type

    @property
    def ctx(self) -> Context:
        return self.event.ctx

    @property
    def customer_id(self) -> str | None:
        return customer_of(self.event)


def check_file(path: Path) -> None:
    """Refuse, in one sentence, a path that is missing, not SQLite, or visibly truncated."""
    if not path.is_file():
        raise C360Error(f"No telemetry file at {path}; check the path or --telemetry.")
    size = path.stat().st_size
    with path.open("rb") as handle:
        header = handle.read(_HEADER)
    if not header.startswith(_MAGIC):
        raise C360Error(f"{path} is not a SQLite file, so not c360 telemetry; check the path.")
    truncated = C360Error(
        f"{path} is truncated ({size} bytes); restore it from a copy or start a new telemetry file."
    )
    if len(header) < _HEADER:
        raise truncated
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or size % page_size:
        raise truncated
    wal = path.with_name(path.name + "-wal")
    if wal.is_file() and wal.stat().st_size > 0:
        return  # with a live WAL the main file is not yet authoritative; SQLite checks on read
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96]  # the page count is valid only when these agree
    if header_valid and size < pages * page_size:
        raise truncated


def _damaged(path: Path) -> C360Error:
    return C360Error(f"{path} is damaged (truncated or corrupt); restore it from a copy.")


def _moment(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return format_wall(value)
    return f"{value.isoformat()}T00:00:00.000000Z"


class TelemetryReader:
    """A read-only view of one telemetry file; typed events out, SQL available on `connection`."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        check_file(self.path)
        uri = self.path.resolve().as_uri() + "?mode=ro"
        try:
            self.connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        except sqlite3.Error as error:
            raise C360Error(f"Cannot open {self.path} for reading ({error}).") from None
        try:
            self.connection.execute("PRAGMA query_only = ON")
            self.connection.execute("PRAGMA busy_timeout = 5000")
            check_meta(self.connection, self.path)
        except sqlite3.DatabaseError:
            self.connection.close()
            raise _damaged(self.path) from None
        except BaseException:
            self.connection.close()
            raise
        self.schema_version = SCHEMA_VERSION
        self._contexts: dict[tuple[Any, ...], Context] = {}

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> TelemetryReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def events(
        self,
        *,
        since: datetime | date | None = None,
        until: datetime | date | None = None,
        role: str | None = None,
        view: str | None = None,
        session_id: str | None = None,
        customer_id: str | None = None,
        types: Iterable[str] | None = None,
    ) -> Iterator[Recorded]:
        """Events in wall-time order, filtered in SQL; `until` is exclusive.

        Events of a type this version does not know are skipped.
        """
        where: list[str] = []
        params: list[object] = []
        for column, value in (
            ("role", role),
            ("view", view),
            ("session_id", session_id),
            ("customer_id", customer_id),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if since is not None:
            where.append("wall_time >= ?")
            params.append(_moment(since))
        if until is not None:
            where.append("wall_time < ?")
            params.append(_moment(until))
        if types is not None:
            wanted = sorted(set(types))
            where.append(f"type IN ({', '.join('?' for _ in wanted)})")
            params.extend(wanted)
        sql = (
            "SELECT id, type, session_id, seq, actor, rep, role, view, spec_version, wall_time, "
            "mono_ns, payload FROM events"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY wall_time, id"
        )
        try:
            for row in self.connection.execute(sql, params):
                if row[1] in EVENT_CLASSES:
                    yield self._decode(row)
        except sqlite3.DatabaseError:
            raise _damaged(self.path) from None

    def _decode(self, row: tuple[Any, ...]) -> Recorded:
        row_id, event_type, session_id, seq, actor, rep, role, view, spec, wall, mono, payload = row
        key = (session_id, actor, rep, role, view, spec)
        try:
            ctx = self._contexts.get(key)
            if ctx is None:
                ctx = self._contexts[key] = Context(*key)
            event = from_payload(event_type, ctx, json.loads(payload))
            return Recorded(row_id, seq, datetime.fromisoformat(wall), mono, event)
        except (ValueError, TypeError, AttributeError) as error:
            raise C360Error(
                f"Event {row_id} in {self.path} is malformed ({error}); "
                "the file was edited or damaged."
            ) from None


def open_reader(path: Path | str) -> TelemetryReader:
    """Open a telemetry file read-only, or raise a one-sentence C360Error saying why not."""
    return TelemetryReader(path)
