"""Opening the profile store: create on first use, pragmas, and the schema version check.

Opening an existing store touches only the sqlite3 module; sqlmodel and SQLAlchemy are imported
when a new store is created or a simple query asks for a session, so screens that only search
do not pay for them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from c360tui.errors import C360Error
from c360tui.telemetry.schema import FILE_KIND as TELEMETRY_FILE_KIND

SCHEMA_VERSION = 2

# WAL lets readers (the screens) and the writer (ingest) share the file; NORMAL is durable across
# application crashes and fast. Foreign keys are not declared, so bulk writes never check them.
_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA busy_timeout=5000",
    "PRAGMA foreign_keys=OFF",
    "PRAGMA cache_size=-131072",
    "PRAGMA temp_store=MEMORY",
)


# A customer's profile row is ~4.5 KB of JSON: on SQLite's default 4 KB pages every row spills
# into an overflow page, and writing a million of them cost twice the CPU it does on 16 KB pages
# (three rows to a page).
STORE_PAGE_SIZE = 16384


def connect(path: Path, *, create: bool) -> sqlite3.Connection:
    """Open `path` as a c360 store (creating it if allowed) and return the raw connection.

    Raises C360Error for a missing file (when not creating), a file that is not SQLite, a SQLite
    file that is not a c360 store, and a store of another schema version.
    """
    path = Path(path)
    if path.is_dir():
        raise C360Error(f"{path} is a directory; pass --db a file path such as {path / 'c360.db'}.")
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise C360Error(
            f"There is no c360 database at {path}; run `c360 ingest` first or pass --db."
        )
    if not exists:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise C360Error(f"Cannot create the directory for {path}: {error.strerror}.") from None
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as error:
        raise C360Error(f"Cannot open the database {path}: {error}.") from None
    try:
        _check_or_create(conn, path)
        for pragma in _PRAGMAS:
            conn.execute(pragma)
    except sqlite3.OperationalError as error:
        conn.close()
        raise C360Error(
            f"{path} cannot be opened right now ({error}); wait for the running ingest to finish."
        ) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _check_or_create(conn: sqlite3.Connection, path: Path) -> None:
    """Create the schema in an empty database, or check the version of an existing one."""
    try:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.OperationalError as error:
        raise C360Error(
            f"{path} cannot be read right now ({error}); wait for the running ingest to finish."
        ) from None
    except sqlite3.DatabaseError:
        raise C360Error(
            f"{path} is not a SQLite database; pass --db a new file or a c360 database."
        ) from None
    if not names:
        create_schema(conn)
        return
    if "meta" not in names:
        raise C360Error(
            f"{path} is a SQLite database but not a c360 store; pass --db a new file instead."
        )
    kind = conn.execute("SELECT value FROM meta WHERE key = 'kind'").fetchone()
    if kind is not None and kind[0] == TELEMETRY_FILE_KIND:
        raise C360Error(
            f"{path} is a c360 telemetry file, not a store; pass --db the store (c360.db)."
        )
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    found = row[0] if row else "unknown"
    if found != str(SCHEMA_VERSION):
        raise C360Error(
            f"{path} was made by schema version {found}; this c360 needs {SCHEMA_VERSION}; "
            "re-run `c360 ingest` into a new --db."
        )


@contextmanager
def bulk_journal(conn: sqlite3.Connection) -> Iterator[None]:
    """Use a rollback journal instead of WAL for one bulk write, when nobody else has the file.

    In WAL mode a transaction larger than the page cache appends every page it spills to the
    WAL, and again each time it changes it (a million customers left a 5 GB WAL, then copied
    it all into the database); with a rollback journal new pages go straight to the database.
    The switch needs the only connection, so with a reader open the write stays in WAL.
    """
    conn.execute("PRAGMA busy_timeout=0")
    try:
        switched = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
    except sqlite3.OperationalError:
        switched = False
    finally:
        conn.execute("PRAGMA busy_timeout=5000")
    try:
        yield
    finally:
        if switched:
            conn.execute("PRAGMA journal_mode=WAL")


def create_schema(conn: sqlite3.Connection) -> None:
    """Create every table, index and the FTS index, and stamp the schema version."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.schema import CreateIndex, CreateTable

    from c360tui.store.tables import FTS_DDL, STORE_TABLES

    dialect = sqlite_dialect.dialect()
    # Set before the first table exists, the only time it takes effect (see STORE_PAGE_SIZE).
    conn.execute(f"PRAGMA page_size={STORE_PAGE_SIZE}")
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table in STORE_TABLES:
            conn.execute(str(CreateTable(table).compile(dialect=dialect)))
            for index in table.indexes:
                conn.execute(str(CreateIndex(index).compile(dialect=dialect)))
        conn.execute(FTS_DDL)
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def index_ddl(table_names: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """DROP and CREATE statements for the secondary indexes of the named tables."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.schema import CreateIndex

    from c360tui.store.tables import STORE_TABLES

    dialect = sqlite_dialect.dialect()
    drops: list[str] = []
    creates: list[str] = []
    for table in STORE_TABLES:
        if table.name not in table_names:
            continue
        for index in table.indexes:
            drops.append(f'DROP INDEX IF EXISTS "{index.name}"')
            creates.append(str(CreateIndex(index).compile(dialect=dialect)))
    return drops, creates
