"""The telemetry file's schema: versioned DDL, the row layout and the event types it holds.

One row per event in `events`: indexed columns for what reports filter on, the rest of the event
as JSON in `payload`. `meta` names the file's kind and schema version; a reader refuses any other
version. Documented for plain-`sqlite3` readers in docs/telemetry.md; change both together and
bump SCHEMA_VERSION when a column or a payload field changes meaning.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from c360tui.errors import C360Error

SCHEMA_VERSION = 1
FILE_KIND = "c360tui-telemetry"
# A new file's page size, set before its first write (a file keeps its own): 16 KB pages hold
# several 2 KB view rows each and make the indexes a level shallower, ~5% less CPU per count.
PAGE_SIZE = 16384

DDL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS events (
        id           INTEGER PRIMARY KEY,
        type         TEXT    NOT NULL,
        session_id   TEXT    NOT NULL,
        seq          INTEGER NOT NULL,
        actor        TEXT    NOT NULL,
        rep          TEXT    NOT NULL,
        role         TEXT,
        view         TEXT,
        spec_version TEXT,
        customer_id  TEXT,
        wall_time    TEXT    NOT NULL,
        mono_ns      INTEGER NOT NULL,
        payload      TEXT    NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS events_type ON events (type)",
    "CREATE INDEX IF NOT EXISTS events_session ON events (session_id, seq)",
    "CREATE INDEX IF NOT EXISTS events_role ON events (role)",
    "CREATE INDEX IF NOT EXISTS events_view ON events (view)",
    "CREATE INDEX IF NOT EXISTS events_customer ON events (customer_id)",
    "CREATE INDEX IF NOT EXISTS events_wall_time ON events (wall_time)",
)
# Read indexes, created with every new file: the report's open rate and signals shown read these
# narrow entries in pair order instead of sorting rows read from the 2 KB view rows (1.8 -> 1.0 s
# CPU over 1M events). Files made before lack them and are counted the same without them.
READ_INDEXES: dict[str, str] = {
    "events_open": "CREATE INDEX events_open ON events (session_id, customer_id, role, actor, "
    "type, mono_ns, seq, wall_time, rep, view) WHERE customer_id IS NOT NULL",
    "events_shown": "CREATE INDEX events_shown ON events (view, spec_version) "
    "WHERE type = 'view_opened'",
}

# The columns a writer fills, in order (`id` is SQLite's rowid, assigned on insert).
COLUMNS: tuple[str, ...] = (
    "type",
    "session_id",
    "seq",
    "actor",
    "rep",
    "role",
    "view",
    "spec_version",
    "customer_id",
    "wall_time",
    "mono_ns",
    "payload",
)
INSERT = f"INSERT INTO events ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})"

# Every event type in this schema version and what its payload holds (docs/telemetry.md has more).
EVENT_TYPES: dict[str, str] = {
    "session_start": "app_version, columns, rows (terminal size)",
    "session_end": "reason: quit | error | interrupted",
    "screen_opened": "screen id (launcher, support, sdr, csm, lead, help, identity...)",
    "view_opened": "customer_id, via, signals [{id, trust, freshness, rank, above_fold, section, "
    "age_seconds, budget_seconds, flagged, budget}], above_fold ids, recommended_action, "
    "agent_ready",
    "section_expanded": "customer_id, section_id",
    "section_collapsed": "customer_id, section_id",
    "field_expanded": "customer_id, signal_id",
    "field_collapsed": "customer_id, signal_id",
    "provenance_opened": "customer_id, signal_id, trust",
    "value_flagged": "customer_id, signal_id, attribute, trust, source_system",
    "action_taken": "customer_id, action, recommended_action, override, ms_since_view, "
    "deciding [{id, trust, freshness}]",
    "search": "result_count, query_length, query_kind, customer_ids offered (never the text)",
    "queue_presented": "queue, customer_ids in order, total",
    "split_requested": "customer_id, left {feed, record_id}, right {feed, record_id}",
}


def ensure_schema(conn: sqlite3.Connection, path: Path) -> None:
    """Create the tables in a new file or check an existing one is telemetry of this version.

    Runs in one IMMEDIATE transaction so several processes opening a new file at once agree.
    `conn` must be in autocommit mode (isolation_level=None).
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if tables:
            check_meta(conn, path)
        else:
            create_tables(conn)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def create_tables(conn: sqlite3.Connection) -> None:
    """The tables, indexes and meta rows of a new file (the caller holds the transaction)."""
    for statement in (*DDL, *READ_INDEXES.values()):
        conn.execute(statement)
    conn.execute("INSERT INTO meta VALUES ('kind', ?)", (FILE_KIND,))
    conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))


def check_meta(conn: sqlite3.Connection, path: Path) -> None:
    """Raise a one-sentence C360Error unless `meta` says c360 telemetry of SCHEMA_VERSION."""
    try:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.OperationalError:
        meta = {}
    if meta.get("kind") != FILE_KIND or "schema_version" not in meta:
        raise C360Error(
            f"{path} is a SQLite file but not a c360 telemetry file; choose another path."
        )
    if meta["schema_version"] != str(SCHEMA_VERSION):
        raise C360Error(
            f"{path} holds telemetry schema version {meta['schema_version']} but this c360 reads "
            f"version {SCHEMA_VERSION}; use the c360 release that wrote it or start a new file."
        )
