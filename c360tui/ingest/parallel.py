"""Reconcile and encode customers in worker processes while the parent writes them to SQLite.

The parent holds no source records: for each chunk of customers it hands a worker a task (the
customers' ids, record ids, merges and held links); the worker reads the records they need
(their own and their account mates') from the spools the store was filled from, or, where there
are none, the parent reads them from the store into the task. The parent then inserts the rows
the worker encodes, in order, as the one SQLite writer. The workers are started with the ingest
by the fork server, so they share none of its heap. Small runs (and machines without a fork
server) stay in one process, with the same chunks and the same seqs, so both paths write
identical stores.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from time import process_time

from c360tui.core.customer import HeldMerge
from c360tui.core.merge_table import MergeTable
from c360tui.core.records import KeyColumn
from c360tui.core.sources_spec import SourcesSpec
from c360tui.ingest.chunk_rows import ChunkEncoder, CustomerTask, Row
from c360tui.ingest.meter import peak_kib
from c360tui.ingest.spool import SpooledRows
from c360tui.store.writer import EncodedCustomers

# Customers per task; a module constant so a test can make small runs use several tasks.
CHUNK = 2_000
# Tasks handed out but not yet written, beyond one per worker: bounds the rows (a few KB per
# customer) waiting in the parent's memory.
IN_FLIGHT = 2
# What one worker may come to hold: its tasks, its normalisers' caches, its share of pages.
WORKER_BYTES = 512 * 1024 * 1024

# Reads the rows of the given source_record ids (in any order).
FetchRows = Callable[[list[int]], list[Row]]


@dataclass(frozen=True, slots=True)
class ReconcileWork:
    """Everything reconciling the customers needs, in customer (seq) order.

    `groups[c]` are customer c's record positions, `rowids[position]` a record's store id,
    `keys[position]` its key, `mates[c]` the positions of other customers' records at c's
    account that carry account facts and `merges` the links, by customer position.
    """

    ids: Sequence[str]
    groups: Sequence[Sequence[int]]
    rowids: Sequence[int]
    mates: Mapping[int, list[int]]
    sources: SourcesSpec
    keys: KeyColumn
    merges: MergeTable
    held: Mapping[str, list[HeldMerge]]
    region: str


@dataclass(frozen=True, slots=True)
class EncodedChunk:
    """One task's rows, the CPU seconds reconciling and encoding them took and the peak memory
    (KiB) of the process that made it."""

    rows: EncodedCustomers
    reconcile_cpu: float
    peak_kib: int = 0


@dataclass(frozen=True, slots=True)
class ChunkTask:
    """Everything one chunk of customers needs, self-contained so it can go to a process forked
    before the ingest's heap grew: per customer its id, record ids, account mates' record ids,
    merges (as plain tuples) and held links, and the stored rows of all those records (or,
    with `spooled`, where the worker reads them)."""

    start: int
    customers: list[CustomerTask]
    rows: list[Row]
    spooled: SpooledRows | None = None

    def stored_rows(self) -> list[Row]:
        """The rows of every record the customers reconcile over."""
        return self.rows if self.spooled is None else self.spooled(_needed(self.customers))


def _needed(customers: Sequence[CustomerTask]) -> list[int]:
    """The store ids of every record `customers` reconcile over (own and mates'), each once."""
    needed: dict[int, None] = {}
    for _, own, mates, _, _ in customers:
        needed.update(dict.fromkeys(own))
        needed.update(dict.fromkeys(mates))
    return list(needed)


def chunk_task(
    work: ReconcileWork, start: int, stop: int, fetch: FetchRows | SpooledRows
) -> ChunkTask:
    """The task of customers `start`..`stop`; its rows read here with `fetch`, or by the
    worker when `fetch` reads spools."""
    rowids, groups, mates, table = work.rowids, work.groups, work.mates, work.merges
    # (feed, record id) of a record position, without making a RecordKey per link
    parts = work.keys.parts
    customers: list[CustomerTask] = []
    for position in range(start, stop):
        customer_id = work.ids[position]
        own = [rowids[i] for i in groups[position]]
        account = [rowids[i] for i in mates.get(position, ())]
        merges = []
        for row in table.rows(position):
            merges.append(
                (*parts(table.left[row]), *parts(table.right[row]), table.rules[row],
                 table.fields[row])
            )  # fmt: skip
        customers.append((customer_id, own, account, merges, work.held.get(customer_id, [])))
    if isinstance(fetch, SpooledRows):
        return ChunkTask(start, customers, [], fetch)
    return ChunkTask(start, customers, fetch(_needed(customers)))


def reconcile_chunk(task: ChunkTask, sources: SourcesSpec, region: str) -> EncodedChunk:
    """Reconcile one task's customers over its stored rows and encode their rows, in one pass
    (ingest/chunk_rows.py)."""
    began = process_time()
    rows = task.stored_rows()
    rows_out = ChunkEncoder(sources, region).encode(task.customers, rows, task.start + 1)
    return EncodedChunk(rows_out, process_time() - began, peak_kib())


# What every task of a pool shares, set in each worker when the pool starts.
_CONTEXT: tuple[SourcesSpec, str] | None = None


def _start_worker(sources: SourcesSpec, region: str) -> None:
    global _CONTEXT
    _CONTEXT = (sources, region)
    # no cyclic garbage collector, as in the ingest process (pipeline._collector_paused): a task
    # makes millions of acyclic objects, and collections that rescan them find nothing to free
    # (with it on, a 1M ingest's workers took 2.5 times the CPU to reconcile)
    gc.disable()
    # one thread for polars (the column normalisers) per worker: the workers are the parallelism
    os.environ.setdefault("POLARS_MAX_THREADS", "1")


def _in_worker(task: ChunkTask) -> EncodedChunk:
    assert _CONTEXT is not None, "worker started without its context"
    return reconcile_chunk(task, *_CONTEXT)


# What a worker process needs loaded; the fork server imports it once and forks each worker.
_PRELOAD = ["c360tui.ingest.parallel", "c360tui.ingest.spool", "c360tui.ingest.readers"]


def start_pool(workers: int, sources: SourcesSpec, region: str) -> Pool | None:
    """The ingest's worker processes (they read the files, then reconcile), or None to do
    everything here (`workers` <= 0).

    The workers are forked by multiprocessing's fork server, a small process of its own, not by
    this one: a worker forked from an ingest shares its pages, and every object it touches (a
    reference count) copies the page holding it (workers forked from a parent holding a million
    customers' resolution came to hold most of it again); and a process forked after polars
    started its threads hangs on its first polars call, which an earlier ingest in the same
    process (a small one, normalised here) would cause.
    """
    if workers <= 0 or not _main_importable():
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context.Pool(workers, _start_worker, (sources, region))


def _main_importable() -> bool:
    """Whether a new worker process can import this program's main module, as multiprocessing
    makes each one do: a script read from standard input cannot be, and its workers would fail
    to start over and over; such a program reads and reconciles in its own process."""
    main = sys.modules.get("__main__")
    if getattr(getattr(main, "__spec__", None), "name", None):
        return True
    path = getattr(main, "__file__", None)
    return path is None or os.path.isfile(path)


def default_workers(total_bytes: int) -> int:
    """Worker processes worth starting for exports of this size: none for small runs or one
    CPU, else one per CPU (at most four), as many as memory allows at a few hundred MB each."""
    from c360tui.ingest.spool import SPOOL_BYTES

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if total_bytes < SPOOL_BYTES or (cpus or 1) < 2:
        return 0
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return 0
    wanted = min(cpus or 1, 4)
    _, available = _memory()
    if available:
        # leave most of what is free to the rest of the machine
        wanted = min(wanted, int(available * 0.25 // WORKER_BYTES))
    return max(wanted, 0)


def _memory() -> tuple[int, int]:
    """(this process's resident bytes, the machine's available bytes); 0 where unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            resident = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return resident, int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0, 0


def encoded_chunks(
    work: ReconcileWork, pool: Pool | None, fetch: FetchRows | SpooledRows, workers: int = 0
) -> Iterator[EncodedChunk]:
    """Every customer's rows, chunk by chunk in seq order, made by `pool` (None: here).

    `fetch` reads each chunk's records: from the store, here, or from the spools, where the
    chunk is reconciled. At most IN_FLIGHT chunks beyond one per worker are made ahead of the
    one being consumed.
    """
    total = len(work.ids)
    bounds = [(start, min(start + CHUNK, total)) for start in range(0, total, CHUNK)]
    if pool is None or len(bounds) < 2:
        for start, stop in bounds:
            yield reconcile_chunk(chunk_task(work, start, stop, fetch), work.sources, work.region)
        return
    pending: deque[AsyncResult[EncodedChunk]] = deque()
    queue = iter(bounds)
    for start, stop in queue:
        pending.append(pool.apply_async(_in_worker, (chunk_task(work, start, stop, fetch),)))
        if len(pending) >= IN_FLIGHT + max(workers, 1):
            break
    while pending:
        done = pending.popleft().get()
        following = next(queue, None)
        if following is not None:
            task = chunk_task(work, *following, fetch)
            pending.append(pool.apply_async(_in_worker, (task,)))
        yield done
