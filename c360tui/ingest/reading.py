"""Reading the export files into the store: in this process, or in worker processes.

Both paths count every row (read = accepted + quarantined), quarantine the refused ones and,
into a fresh store, collect the identity columns resolution needs as the rows go in.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.pool import Pool
from pathlib import Path
from typing import TYPE_CHECKING

from c360tui.core.records import SourceRecord
from c360tui.core.sources_spec import FeedSpec, SourcesSpec
from c360tui.errors import C360Error
from c360tui.ingest.columns import ColumnCollector
from c360tui.ingest.meter import IngestProgress, Meter
from c360tui.ingest.quarantine import QuarantinedRow
from c360tui.ingest.summary import FeedCount
from c360tui.store.writer import RecordConflict, add_records

if TYPE_CHECKING:
    from c360tui.core.identity_spec import IdentitySpec
    from c360tui.ingest.spool import SpooledRows
    from c360tui.store import Store


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


@dataclass(slots=True)
class ReadOutcome:
    """What reading stored: rows added, rows refused at store time, rows refused as read, the
    largest reading worker's peak memory in KiB (0 when read here), and the spools the stored
    rows can be read back from (None when read here, or when their ids do not line up)."""

    new: int = 0
    conflicts: list[RecordConflict] = field(default_factory=list)
    quarantined: list[QuarantinedRow] = field(default_factory=list)
    worker_peak_kib: int = 0
    spooled_rows: SpooledRows | None = None


def read_here(
    jobs: Sequence[FileJob],
    store: Store,
    sources: SourcesSpec,
    now: datetime,
    batch: int | None,
    collector: ColumnCollector | None,
    clock: Meter,
    report: IngestProgress,
    files: list[FeedCount],
    one_file_per_feed: bool,
) -> ReadOutcome:
    """Read every file in this process and store its records; `collector` (fresh store only)
    gets each accepted record's identity fields as it is read.

    The readers refuse an id repeated with other content within a file; with one file per
    feed, an empty store can then take the records without checking each against the others.
    """
    from c360tui.ingest.readers import read_feed_lines

    outcome = ReadOutcome()
    total_bytes = sum(job.path.stat().st_size for job in jobs)
    collect = collector.add if collector is not None else None

    def accepted_rows() -> Iterator[tuple[SourceRecord, str, int]]:
        done = 0
        for job in jobs:
            count = FeedCount(job.feed.name, job.path.name)
            files.append(count)
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
                    outcome.quarantined.append(item)
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
    outcome.new, outcome.conflicts = added.new, added.conflicts
    return outcome


def read_spooled(
    jobs: Sequence[FileJob],
    store: Store,
    sources: SourcesSpec,
    identity: IdentitySpec,
    now: datetime,
    batch: int | None,
    collector: ColumnCollector,
    pool: Pool,
    spool_dir: Path,
    clock: Meter,
    report: IngestProgress,
    files: list[FeedCount],
) -> ReadOutcome:
    """Read the files in the pool's processes into spools in `spool_dir`, copying each into
    the (fresh) store as it is done (see spool.py); the same rows, counts and columns as
    `read_here`. The spools stay, for the workers to read the records back when reconciling."""
    from c360tui.core.accounts import scoped_attributes
    from c360tui.ingest.spool import SpooledFile, SpoolJob, spooled_files, store_spooled

    outcome = ReadOutcome()
    total_bytes = sum(job.path.stat().st_size for job in jobs)
    scoped = scoped_attributes(sources)
    worker_cpu = 0.0
    spool_jobs = [
        SpoolJob(job.feed, job.path, spool_dir / f"{n}.db", sources, identity, scoped,
                 now, batch)
        for n, job in enumerate(jobs)
    ]  # fmt: skip

    def counted(done: Iterator[SpooledFile]) -> Iterator[SpooledFile]:
        nonlocal worker_cpu
        read_bytes = 0
        for job, spooled in zip(jobs, done, strict=True):
            quarantined = len(spooled.quarantined)
            files.append(FeedCount(spooled.feed, spooled.file, spooled.read,
                                   spooled.accepted, quarantined))  # fmt: skip
            outcome.quarantined.extend(spooled.quarantined)
            worker_cpu += spooled.cpu
            outcome.worker_peak_kib = max(outcome.worker_peak_kib, spooled.peak_kib)
            read_bytes += job.path.stat().st_size
            report("read", read_bytes, total_bytes)
            yield spooled

    with clock("read+store"):
        waited = clock.timed(spooled_files(spool_jobs, pool), "read", batch=1)
        stored = store_spooled(store.conn, counted(waited), collector)
    outcome.new, outcome.spooled_rows = stored.added, stored.rows
    clock.split("read+store", "read", "store")
    # the reading itself happened in the workers: their CPU seconds count as the read phase's
    clock.cpu["read"] = clock.cpu.get("read", 0.0) + worker_cpu
    clock.cpu["read+store"] = clock.cpu.get("read+store", 0.0) + worker_cpu
    return outcome
