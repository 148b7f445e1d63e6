"""The ingest run: validate every file, store source records, resolve, reconcile, index.

Every file's header is checked before anything is written, so a whole-file problem leaves the
store untouched. Bad rows are quarantined; every row read is either accepted or quarantined.
"""

from __future__ import annotations

import gc
import json
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from c360tui.core.records import SourceRecord
from c360tui.core.sources_spec import SourcesSpec
from c360tui.errors import C360Error
from c360tui.ingest.filecheck import validate_file
from c360tui.ingest.memory import release_freed_memory
from c360tui.ingest.meter import IngestProgress, Meter
from c360tui.ingest.quarantine import QuarantinedRow, clip_raw
from c360tui.ingest.reading import plan_files
from c360tui.ingest.summary import IngestSummary
from c360tui.store.writer import EncodedCustomers, write_encoded

if TYPE_CHECKING:
    from c360tui.core.identity_spec import IdentitySpec
    from c360tui.ingest.parallel import FetchRows
    from c360tui.ingest.spool import SpooledRows
    from c360tui.store import Store


def ingest(
    paths: Sequence[Path],
    store: Store,
    *,
    now: datetime,
    specs_dir: Path | None = None,
    sources: SourcesSpec | None = None,
    identity: IdentitySpec | None = None,
    progress: IngestProgress | None = None,
    workers: int | None = None,
) -> IngestSummary:
    """Ingest `paths` (files or directories; none means the bundled sample data) into `store`.

    Specs come from `sources`/`identity` or are loaded from `specs_dir`. `now` is the clock rows
    are checked against (timestamps later than it are quarantined). Raises C360Error for a
    whole-file problem before anything is written. `workers` is how many processes read the
    files and reconcile and encode customers (0: this one; None: chosen by the exports' size
    and the CPUs).
    """
    with _collector_paused(), ExitStack() as stack:
        return _ingest(
            stack,
            paths,
            store,
            now=now,
            specs_dir=specs_dir,
            sources=sources,
            identity=identity,
            progress=progress,
            workers=workers,
        )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the run.

    An ingest builds millions of acyclic objects, and each collection rescans them while finding
    nothing to free: measured at 100,000 customers, it cost 35-50% of resolve and reconcile.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _ingest(
    stack: ExitStack,
    paths: Sequence[Path],
    store: Store,
    *,
    now: datetime,
    specs_dir: Path | None = None,
    sources: SourcesSpec | None = None,
    identity: IdentitySpec | None = None,
    progress: IngestProgress | None = None,
    workers: int | None = None,
) -> IngestSummary:
    from c360tui.core.resolution import resolve_table

    summary = IngestSummary()
    clock = Meter(summary.timings, summary.cpu_timings)
    report = progress or (lambda phase, done, total: None)

    with clock("validate"):
        if sources is None or identity is None:
            if specs_dir is None:
                raise C360Error("No specs given; pass --specs DIR.")
            from c360tui import specs_io

            sources = sources or specs_io.load_sources(specs_dir)
            identity = identity or specs_io.load_identity(specs_dir)
        if not paths:
            from c360tui.settings import sample_data_dir

            paths = [sample_data_dir()]
        jobs, summary.missing_feeds = plan_files(paths, sources)
        for job in jobs:
            validate_file(job.feed, job.path)

    batch = _begin_batch(store, [str(job.path) for job in jobs], now)

    from c360tui.core.accounts import scoped_attributes
    from c360tui.ingest.columns import ColumnCollector
    from c360tui.ingest.reading import read_here, read_spooled

    def new_collector() -> ColumnCollector:
        return ColumnCollector(identity, sources.default_region, scoped_attributes(sources))

    # Into an empty store with one file per feed, records go in without a per-record check and
    # are numbered from 1 in the order read (an empty table's INTEGER PRIMARY KEY), so their
    # identity columns are collected as they are read instead of being read back afterwards;
    # large exports are then read in worker processes.
    one_file_per_feed = len({job.feed.name for job in jobs}) == len(jobs)
    fresh = one_file_per_feed and store.count("source_record") == 0
    collector = new_collector() if fresh else None
    total_bytes = sum(job.path.stat().st_size for job in jobs)
    from c360tui.ingest.parallel import default_workers, start_pool
    from c360tui.ingest.spool import close_spool_readers

    # where workers spool what they read; it outlives the pool, which reads the spools back
    # when reconciling (the spools this process opened are closed first)
    spool_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="c360-ingest-")))
    stack.callback(close_spool_readers)
    # one pool for reading and reconciling, started now (see start_pool)
    chosen = default_workers(total_bytes) if workers is None else workers
    pool = start_pool(chosen, sources, store.region)
    if pool is not None:
        stack.enter_context(pool)
    if collector is not None and pool is not None and len(jobs) > 1:
        outcome = read_spooled(jobs, store, sources, identity, now, batch, collector, pool,
                               spool_dir, clock, report, summary.files)  # fmt: skip
    else:
        outcome = read_here(jobs, store, sources, now, batch, collector, clock, report,
                            summary.files, one_file_per_feed)  # fmt: skip
    quarantined = outcome.quarantined
    summary.worker_peak_kib = outcome.worker_peak_kib
    counts = {(count.feed, count.file): count for count in summary.files}
    for conflict in outcome.conflicts:
        record = conflict.record
        count = counts[(record.feed, conflict.file)]
        count.accepted -= 1
        count.quarantined += 1
        quarantined.append(
            QuarantinedRow(record.feed, conflict.file, conflict.line, _raw(record), conflict.reason)
        )
    with clock("quarantine"):
        store.add_quarantine(quarantined, batch)
    summary.read = sum(c.read for c in summary.files)
    summary.accepted = sum(c.accepted for c in summary.files)
    summary.quarantined = sum(c.quarantined for c in summary.files)
    summary.new = outcome.new

    with clock("load"):
        report("load", 0, None)
        columns = None
        # where the workers read each chunk's records: the spools they were copied from, when
        # the store numbered them as read, else the store (read here, handed over in the tasks)
        fetch: FetchRows | SpooledRows = store.source_rows
        if collector is not None and not outcome.conflicts:
            columns = collector.finish(first_rowid=1)
            if not store.rowids_match(columns.keys, columns.rowids):
                columns = None  # the store numbered them otherwise: read them back instead
            elif outcome.spooled_rows is not None:
                fetch = outcome.spooled_rows
        if columns is None:
            collector = new_collector()
            for rowid, feed, record_id, attributes in store.source_identities():
                collector.add(feed, record_id, attributes, rowid)
            columns = collector.finish()
        del collector
        previous = store.previous_assignment()
        splits = store.split_pairs()
        # what reading and sorting freed goes back before resolution allocates its own
        release_freed_memory(store.conn)
    with clock("resolve"):
        report("resolve", 0, None)
        resolution = resolve_table(
            columns.keys,
            columns.table,
            identity,
            previous_ids=previous,
            splits=splits,
            maps=False,
        )
    del previous
    # the identity columns are done with; the keys name the records the links join
    stored = len(columns.keys)
    columns.table = None  # type: ignore[assignment]
    groups = resolution.groups
    clusters = len(groups)

    with clock("accounts"):
        mates = columns.votes.mates(groups)
    columns.votes = None  # type: ignore[assignment]
    release_freed_memory()  # the identity columns resolution let go of

    from c360tui.ingest.parallel import ReconcileWork, encoded_chunks

    work = ReconcileWork(
        resolution.ids,
        groups,
        columns.rowids,
        mates,
        sources,
        columns.keys,
        resolution.merge_table,
        resolution.held,
        store.region,
    )
    worker_cpu = {"reconcile": 0.0}

    def chunks() -> Iterator[EncodedCustomers]:
        done = 0
        for chunk in encoded_chunks(work, pool, fetch, chosen):
            worker_cpu["reconcile"] += chunk.reconcile_cpu
            if pool is not None:
                summary.worker_peak_kib = max(summary.worker_peak_kib, chunk.peak_kib)
            done += chunk.rows.counts[0]
            report("reconcile", done, clusters)
            yield chunk.rows
        report("reconcile", clusters, clusters)

    with clock("reconcile+write"):
        written = write_encoded(store.conn, clock.timed(chunks(), "reconcile", batch=1))
    clock.split("reconcile+write", "reconcile", "write")
    # CPU time: reconciling and encoding (one pass, in workers or here) and handing out the
    # tasks is reconcile; the rest, the inserts, is writing.
    here = summary.cpu_timings["reconcile"]
    parent_cpu = summary.cpu_timings["reconcile+write"] - here
    if pool is not None:
        summary.cpu_timings["reconcile"] = here + worker_cpu["reconcile"]
    summary.cpu_timings["write"] = parent_cpu
    summary.cpu_timings["reconcile+write"] = summary.cpu_timings["reconcile"] + parent_cpu
    if batch is not None:
        store.finish_batch(
            batch,
            read=summary.read,
            accepted=summary.accepted,
            quarantined=summary.quarantined,
            new_records=summary.new,
            finished_at=now,
        )
    summary.records = stored
    summary.customers = written.customers
    summary.merges = written.merges
    summary.held = resolution.stats.held
    summary.conflicts = written.conflicted_attributes
    return summary


def _begin_batch(store: Store, files: list[str], now: datetime) -> int | None:
    """Record the run in the store's batch table; None if the store refuses the row.

    The batch row is bookkeeping only, so an integrity error there must not stop an ingest.
    """
    try:
        return store.begin_batch(files, started_at=now)
    except sqlite3.IntegrityError:
        return None


def _raw(record: SourceRecord) -> str:
    """A stand-in for the raw text of a row refused at store time: the record as JSON."""
    updated = record.updated_at.isoformat() if record.updated_at else None
    payload = {"id": record.record_id, "updated_at": updated, **record.attributes}
    return clip_raw(json.dumps(payload, ensure_ascii=False, default=str))
