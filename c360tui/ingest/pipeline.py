"""The ingest run: validate every file, store source records, resolve, reconcile, index.

Every file's header is checked before anything is written, so a whole-file problem leaves the
store untouched. Bad rows are quarantined; every row read is either accepted or quarantined.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from time import perf_counter, process_time
from typing import TYPE_CHECKING, Protocol, TypeVar

from c360tui.core.records import SourceRecord
from c360tui.core.sources_spec import FeedSpec, SourcesSpec
from c360tui.errors import C360Error
from c360tui.ingest.filecheck import validate_file
from c360tui.ingest.quarantine import QuarantinedRow, clip_raw
from c360tui.ingest.readers import read_feed_lines
from c360tui.ingest.summary import FeedCount, IngestSummary
from c360tui.store.writer import EncodedCustomers, add_records, write_encoded

if TYPE_CHECKING:
    from c360tui.core.identity_spec import IdentitySpec
    from c360tui.store import Store

T = TypeVar("T")
# Items handled between two clock readings when timing interleaved phases.
_CHUNK = 20_000


class IngestProgress(Protocol):
    """Told how far a phase has come: `done` of `total` units (bytes, records, customers)."""

    def __call__(self, phase: str, done: int, total: int | None) -> None: ...


@dataclass(frozen=True, slots=True)
class FileJob:
    """One file to read as one feed."""

    feed: FeedSpec
    path: Path


def plan_files(paths: Sequence[Path], sources: SourcesSpec) -> tuple[list[FileJob], list[str]]:
    """Match PATH arguments to feeds: a directory holds feeds' files by name, a file is matched
    to the feed whose `file` has its name. Returns the jobs and the feeds no directory held."""
    jobs: list[FileJob] = []
    seen: set[tuple[str, Path]] = set()
    covered: set[str] = set()
    by_name = {Path(feed.file).name: feed for feed in sources.feeds}

    def add(feed: FeedSpec, path: Path) -> None:
        key = (feed.name, path.resolve())
        if key not in seen:
            seen.add(key)
            jobs.append(FileJob(feed, path))
            covered.add(feed.name)

    scanned_dir = False
    for path in paths:
        if path.is_dir():
            scanned_dir = True
            found = [feed for feed in sources.feeds if (path / feed.file).is_file()]
            if not found:
                names = ", ".join(feed.file for feed in sources.feeds)
                raise C360Error(f"{path} holds none of the feed files the spec names ({names}).")
            for feed in found:
                add(feed, path / feed.file)
            continue
        matched = by_name.get(path.name)
        if matched is None:
            names = ", ".join(sorted(by_name))
            raise C360Error(
                f"{path} matches no feed in sources.toml; feed files are named {names}."
            )
        if not path.is_file():
            raise C360Error(
                f"{path} does not exist; feed {matched.name} expects it with column "
                f"{matched.record_id!r}."
            )
        add(matched, path)
    missing = [f.name for f in sources.feeds if f.name not in covered] if scanned_dir else []
    return jobs, missing


class _Meter:
    """Adds wall and CPU time to named phases of one run (CPU time shows the work even when
    other jobs share the machine)."""

    def __init__(self, wall: dict[str, float], cpu: dict[str, float]) -> None:
        self.wall = wall
        self.cpu = cpu
        self.phase = ""
        self.start = (0.0, 0.0)

    def add(self, phase: str, start: tuple[float, float]) -> None:
        self.wall[phase] = self.wall.get(phase, 0.0) + perf_counter() - start[0]
        self.cpu[phase] = self.cpu.get(phase, 0.0) + process_time() - start[1]

    def split(self, whole: str, part: str, rest: str) -> None:
        """Record `rest` as the time of `whole` not spent in `part`."""
        for table in (self.wall, self.cpu):
            table[rest] = table.get(whole, 0.0) - table.get(part, 0.0)

    def timed(self, items: Iterable[T], phase: str, batch: int = _CHUNK) -> Iterator[T]:
        """Pass items through, adding the time spent producing them to `phase`.

        Items are drawn `batch` at a time between two clock readings: 1 for items that are
        themselves large chunks, which must not pile up in memory.
        """
        iterator = iter(items)
        while True:
            start = (perf_counter(), process_time())
            chunk = list(islice(iterator, batch))
            self.add(phase, start)
            if not chunk:
                return
            yield from chunk

    def __call__(self, phase: str) -> _Meter:
        self.phase = phase
        return self

    def __enter__(self) -> None:
        self.start = (perf_counter(), process_time())

    def __exit__(self, *exc: object) -> None:
        self.add(self.phase, self.start)


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
    whole-file problem before anything is written. `workers` is how many processes reconcile
    and encode customers (0: this one; None: chosen by the run's size and the CPUs).
    """
    with _collector_paused():
        return _ingest(
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
    clock = _Meter(summary.timings, summary.cpu_timings)
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

    total_bytes = sum(job.path.stat().st_size for job in jobs)
    batch = _begin_batch(store, [str(job.path) for job in jobs], now)
    quarantined: list[QuarantinedRow] = []
    counts: dict[tuple[str, str], FeedCount] = {}

    from c360tui.core.accounts import scoped_attributes
    from c360tui.ingest.columns import ColumnCollector

    collector = ColumnCollector(identity, sources.default_region, scoped_attributes(sources))
    # The readers refuse an id repeated with other content within a file; with one file per
    # feed, an empty store takes the records without checking each against the others, and
    # numbers them in the order read, so their identity columns are collected as they are read
    # instead of being scanned back from the store.
    one_file_per_feed = len({job.feed.name for job in jobs}) == len(jobs)
    # (an empty table's INTEGER PRIMARY KEY numbers the rows from 1)
    fresh = one_file_per_feed and store.count("source_record") == 0
    first_rowid = 1 if fresh else None
    collect = collector.add if first_rowid is not None else None

    def accepted_rows() -> Iterator[tuple[SourceRecord, str, int]]:
        done = 0
        for job in jobs:
            count = FeedCount(job.feed.name, job.path.name)
            summary.files.append(count)
            counts[(count.feed, count.file)] = count
            base = done

            def moved(offset: int, base: int = base) -> None:
                report("read", base + offset, total_bytes)

            for line, item in read_feed_lines(job.feed, job.path, sources, now, progress=moved):
                count.read += 1
                if isinstance(item, SourceRecord):
                    count.accepted += 1
                    if collect is not None:
                        collect(item.feed, item.record_id, item.attributes)
                    yield item, count.file, line
                else:
                    count.quarantined += 1
                    quarantined.append(item)
            done = base + job.path.stat().st_size
            report("read", done, total_bytes)

    with clock("read+store"):
        added = add_records(
            store.conn,
            clock.timed(accepted_rows(), "read"),
            batch,
            ids_unique_per_file=one_file_per_feed,
        )
    clock.split("read+store", "read", "store")
    for conflict in added.conflicts:
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
    summary.new = added.new

    with clock("load"):
        report("load", 0, None)
        columns = None
        if first_rowid is not None and not added.conflicts:
            columns = collector.finish(first_rowid)
            if not store.rowids_match(columns.keys, columns.rowids):
                columns = None  # the store numbered them otherwise: read them back instead
        if columns is None:
            collector = ColumnCollector(
                identity, sources.default_region, scoped_attributes(sources)
            )
            for rowid, feed, record_id, attributes in store.source_identities():
                collector.add(feed, record_id, attributes, rowid)
            columns = collector.finish()
        del collector
        previous = store.previous_assignment()
        splits = store.split_pairs()
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
    columns.table = None  # type: ignore[assignment]  # the identity columns are done with
    groups = resolution.groups
    stored = len(columns.keys)
    clusters = len(groups)

    with clock("accounts"):
        mates = columns.votes.mates(groups)
    columns.votes = None  # type: ignore[assignment]

    from c360tui.ingest.parallel import ReconcileWork, default_workers, encoded_chunks

    work = ReconcileWork(
        resolution.ids,
        groups,
        columns.rowids,
        mates,
        sources,
        resolution.merges,
        resolution.held,
        store.region,
    )
    chosen = default_workers(clusters) if workers is None else workers
    worker_cpu = {"reconcile": 0.0, "write": 0.0}

    def chunks() -> Iterator[EncodedCustomers]:
        done = 0
        for chunk in encoded_chunks(work, chosen, store.source_rows):
            worker_cpu["reconcile"] += chunk.reconcile_cpu
            worker_cpu["write"] += chunk.encode_cpu
            done += chunk.rows.counts[0]
            report("reconcile", done, clusters)
            yield chunk.rows
        report("reconcile", clusters, clusters)

    with clock("reconcile+write"):
        written = write_encoded(store.conn, clock.timed(chunks(), "reconcile", batch=1))
    clock.split("reconcile+write", "reconcile", "write")
    # CPU time: the reconcile and encode steps' own (in workers or here), the rest is writing.
    parent_cpu = summary.cpu_timings["reconcile+write"] - summary.cpu_timings["reconcile"]
    summary.cpu_timings["reconcile"] = worker_cpu["reconcile"]
    summary.cpu_timings["write"] = worker_cpu["write"] + parent_cpu
    summary.cpu_timings["reconcile+write"] = worker_cpu["reconcile"] + summary.cpu_timings["write"]
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
