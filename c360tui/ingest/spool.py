"""Reading export files in worker processes, each into a spool the parent copies into the store.

Reading, validating, normalising identity fields and encoding the stored row is pure work per
file, so a worker process does it for one file at a time and writes the result to a SQLite
spool of its own: the rows exactly as source_record stores them, and the file's identity
columns in pickled chunks. The parent, the one writer of the store, copies each spool's rows
with one INSERT ... SELECT (no Python per row) and extends its identity columns, file by file
in the order the files were named, while the workers read the next files.

Used for a fresh store only (where rows are inserted without a per-record check; see
`add_records`), so what it stores is exactly what the one-process path stores.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.pool import Pool
from pathlib import Path
from time import process_time

from c360tui.core.identity_spec import IdentitySpec
from c360tui.core.records import SourceRecord
from c360tui.core.sources_spec import FeedSpec, SourcesSpec
from c360tui.ingest.columns import ColumnCollector
from c360tui.ingest.meter import peak_kib
from c360tui.ingest.quarantine import QuarantinedRow
from c360tui.store.source_writer import ROW_COLUMNS, StoredRow

# Records per chunk of rows inserted into a spool.
CHUNK = 20_000
# Records per chunk of identity columns pickled: each drain normalises the values its memos did
# not hold in one vectorised pass, whose fixed cost wants many values at once.
IDENTITY_CHUNK = 100_000
# Exports smaller than this are read (and reconciled) in the ingest's own process.
SPOOL_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SpoolJob:
    """One file to read into the spool at `spool`."""

    feed: FeedSpec
    path: Path
    spool: Path
    sources: SourcesSpec
    identity: IdentitySpec
    scoped: frozenset[str]
    now: datetime
    batch: int | None


@dataclass(frozen=True, slots=True)
class SpooledFile:
    """What reading one file gave: its counts, refused rows, spool, the CPU seconds it took and
    the worker's peak memory (KiB) by the end of it."""

    feed: str
    file: str
    read: int
    accepted: int
    quarantined: list[QuarantinedRow]
    spool: Path
    cpu: float
    peak_kib: int


def spool_file(job: SpoolJob) -> SpooledFile:
    """Read one file into its spool (run in a worker process)."""
    from c360tui.ingest.readers import read_feed_lines
    from c360tui.store.source_writer import stored_row

    began = process_time()
    conn = sqlite3.connect(job.spool, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute(f"CREATE TABLE rows ({ROW_COLUMNS})")
    conn.execute("CREATE TABLE identity (chunk INTEGER PRIMARY KEY, data BLOB)")
    collector = ColumnCollector(job.identity, job.sources.default_region, job.scoped)
    file, batch = job.path.name, job.batch
    rows: list[StoredRow] = []
    quarantined: list[QuarantinedRow] = []
    read = 0
    undrained = 0  # records whose identity columns have not been drained yet

    def flush(identity: bool) -> None:
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO rows VALUES ({','.join('?' * 9)})", rows)
        if identity:
            data = pickle.dumps(collector.drain(), protocol=pickle.HIGHEST_PROTOCOL)
            conn.execute("INSERT INTO identity (data) VALUES (?)", (data,))
        conn.execute("COMMIT")
        rows.clear()

    for line, item in read_feed_lines(job.feed, job.path, job.sources, job.now):
        read += 1
        if not isinstance(item, SourceRecord):
            quarantined.append(item)
            continue
        rows.append(stored_row(item, batch, file, line))
        collector.add(item.feed, item.record_id, item.attributes)
        if len(rows) >= CHUNK:
            undrained += len(rows)
            drain = undrained >= IDENTITY_CHUNK
            flush(identity=drain)
            if drain:
                undrained = 0
    flush(identity=True)
    conn.close()
    accepted = read - len(quarantined)
    return SpooledFile(
        job.feed.name, file, read, accepted, quarantined, job.spool, process_time() - began,
        peak_kib(),
    )  # fmt: skip


def spooled_files(jobs: Sequence[SpoolJob], pool: Pool) -> Iterator[SpooledFile]:
    """Each job's spooled file, in job order, read by the pool's processes."""
    yield from pool.imap(spool_file, jobs)


# Spools attached at once: SQLite attaches at most 10 databases, and a database attached
# inside a transaction can only be detached after it.
_ATTACHED = 8


def store_spooled(
    conn: sqlite3.Connection, files: Iterable[SpooledFile], collector: ColumnCollector
) -> int:
    """Copy each spooled file's rows into source_record, in order, and its identity columns
    into `collector`; returns the rows added.

    Exact repeats are skipped by the unique index, as on the direct path, and the rows go in
    in the order they were read, so an empty table numbers them as the one-process path does.
    Up to _ATTACHED files go in one transaction (all of them, for the usual handful of feeds).
    """
    from c360tui.store.engine import bulk_journal

    added = 0
    attached: list[str] = []
    with bulk_journal(conn):
        try:
            for number, spooled in enumerate(files):
                if number % _ATTACHED == 0:
                    if attached:
                        conn.execute("COMMIT")
                        _detach(conn, attached)
                    conn.execute("BEGIN IMMEDIATE")
                alias = f"spool{len(attached)}"
                conn.execute(f"ATTACH DATABASE ? AS {alias}", (str(spooled.spool),))
                attached.append(alias)
                before = conn.total_changes
                conn.execute(
                    f"INSERT OR IGNORE INTO source_record ({ROW_COLUMNS}) "
                    f"SELECT {ROW_COLUMNS} FROM {alias}.rows ORDER BY rowid"
                )
                added += conn.total_changes - before
                for (data,) in conn.execute(f"SELECT data FROM {alias}.identity ORDER BY chunk"):
                    collector.extend(pickle.loads(data))
            if conn.in_transaction:
                conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            _detach(conn, attached)
    return added


def _detach(conn: sqlite3.Connection, aliases: list[str]) -> None:
    for alias in aliases:
        conn.execute(f"DETACH DATABASE {alias}")
    aliases.clear()
