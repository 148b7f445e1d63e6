"""Reading export files in worker processes, each into a spool the parent copies into the store.

Reading, validating, normalising identity fields and encoding the stored row is pure work per
file, so a worker process does it for one file at a time and writes the result to a SQLite
spool of its own: the rows exactly as source_record stores them, and the file's identity
columns in pickled chunks. The parent, the one writer of the store, copies each spool's rows
with one INSERT ... SELECT (no Python per row) and extends its identity columns, file by file
in the order the files were named, while the workers read the next files.

Used for a fresh store only (where rows are inserted without a per-record check; see
`add_records`), so what it stores is exactly what the one-process path stores. The spools
outlive the read: each holds its rows under the ids the store gave them, less an offset, so the
reconciling workers read their records back from the spools (`SpooledRows`) instead of the
parent reading them from the store and pickling them over.
"""

from __future__ import annotations

import bisect
import json
import pickle
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.pool import Pool
from pathlib import Path
from time import process_time
from typing import TYPE_CHECKING

from c360tui.core.identity_spec import IdentitySpec
from c360tui.core.records import SourceRecord
from c360tui.core.sources_spec import FeedSpec, SourcesSpec
from c360tui.ingest.columns import ColumnCollector
from c360tui.ingest.meter import peak_kib
from c360tui.ingest.quarantine import QuarantinedRow
from c360tui.store.engine import STORE_PAGE_SIZE
from c360tui.store.source_writer import ROW_COLUMNS, StoredRow

if TYPE_CHECKING:
    from c360tui.ingest.chunk_rows import Row

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
    # the store's page size: 15% less CPU writing rows of ~500 bytes than on 4 KB pages
    conn.execute(f"PRAGMA page_size={STORE_PAGE_SIZE}")
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


@dataclass(frozen=True, slots=True)
class SpooledRows:
    """Reads stored records back from the spools they were copied from: `spools` holds each
    spool's path and the store id its first row got, in store order.

    Picklable and small, so it travels in every reconcile task; each worker process opens the
    spools once (read-only) and keeps them open. The rows are those `Store.source_rows` gives.
    """

    spools: tuple[tuple[str, int], ...]

    def __call__(self, rowids: list[int]) -> list[Row]:
        """(id, system, feed, record id, updated at, attributes JSON) of these store ids, in no
        particular order."""
        firsts = [first for _, first in self.spools]
        wanted: dict[int, list[int]] = {}
        for rowid in rowids:
            spool = bisect.bisect_right(firsts, rowid) - 1
            if spool >= 0:
                wanted.setdefault(spool, []).append(rowid - firsts[spool] + 1)
        rows: list[Row] = []
        for spool, local in wanted.items():
            path, first = self.spools[spool]
            rows += (
                _spool_reader(path)
                .execute(
                    "SELECT rowid + ?, system, feed, record_id, updated_at, attributes FROM rows "
                    "WHERE rowid IN (SELECT value FROM json_each(?))",
                    (first - 1, json.dumps(local)),
                )
                .fetchall()
            )
        return rows


# The spools this process has open for reading, by path (see SpooledRows).
_READERS: dict[str, sqlite3.Connection] = {}
# Address space a spool reader may map (spools are about the size of their exports).
_SPOOL_MMAP_BYTES = 1 << 32


def close_spool_readers() -> None:
    """Close the spools this process opened for reading (before they are deleted)."""
    while _READERS:
        _READERS.popitem()[1].close()


def _spool_reader(path: str) -> sqlite3.Connection:
    conn = _READERS.get(path)
    if conn is None:
        conn = _READERS[path] = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        # Reading the file through a memory map skips a read call and a copy per page: a
        # task's rows are scattered over the spools (3.2 against 4.6 µs a row on a 1M-row
        # spool; ~20 of 220 reconcile CPU s at 1M). The pages mapped count in the worker's
        # resident size, but they are the page cache's (clean, shared, reclaimable): kept
        # open, a worker's ru_maxrss reached 1.99 GiB at 1M while its heap stayed ~0.6 GiB.
        conn.execute(f"PRAGMA mmap_size = {_SPOOL_MMAP_BYTES}")
    return conn


@dataclass(frozen=True, slots=True)
class StoredSpools:
    """What copying the spools into the store did: rows added, and the spools as a source of
    those rows (None when some row was a repeat the store skipped, so ids do not line up)."""

    added: int
    rows: SpooledRows | None


def store_spooled(
    conn: sqlite3.Connection, files: Iterable[SpooledFile], collector: ColumnCollector
) -> StoredSpools:
    """Copy each spooled file's rows into source_record, in order, and its identity columns
    into `collector`.

    Exact repeats are skipped by the unique index, as on the direct path, and the rows go in
    in the order they were read, so an empty table numbers them as the one-process path does.
    Up to _ATTACHED files go in one transaction (all of them, for the usual handful of feeds).
    """
    from c360tui.store.engine import bulk_journal

    added = 0
    spools: list[tuple[str, int]] | None = []
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
                (highest,) = conn.execute("SELECT max(id) FROM source_record").fetchone()
                conn.execute(
                    f"INSERT OR IGNORE INTO source_record ({ROW_COLUMNS}) "
                    f"SELECT {ROW_COLUMNS} FROM {alias}.rows ORDER BY rowid"
                )
                now_added = conn.total_changes - before
                added += now_added
                # every row went in, numbered on from the highest id: spool row n is store id
                # first + n - 1
                if spools is not None and now_added == spooled.accepted:
                    spools.append((str(spooled.spool), (highest or 0) + 1))
                else:
                    spools = None
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
    return StoredSpools(added, SpooledRows(tuple(spools)) if spools is not None else None)


def _detach(conn: sqlite3.Connection, aliases: list[str]) -> None:
    for alias in aliases:
        conn.execute(f"DETACH DATABASE {alias}")
    aliases.clear()
