"""Reconcile and encode customers in worker processes while the parent writes them to SQLite.

The parent holds no source records: for each chunk of customers it reads the records they need
(their own and their account mates') back from the store, hands the raw rows to a worker, and
inserts the rows the worker encodes, in order, as the one SQLite writer. Reconciling and
encoding is pure work, so forked workers share the resolution (ids, groups, evidence)
copy-on-write. Small runs (and machines without fork) stay in one process, with the same chunks
and the same seqs, so both paths write identical stores.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult
from time import process_time

from c360tui.core.customer import HeldMerge, MergeEvidence
from c360tui.core.records import AttrValue, SourceRecord
from c360tui.core.sources_spec import SourcesSpec
from c360tui.store.writer import EncodedCustomers, encode_customers

# Customers per task; a module constant so a test can make small runs use several tasks.
CHUNK = 2_000
# Tasks handed out but not yet written, beyond one per worker: bounds the rows (a few KB per
# customer) waiting in the parent's memory.
IN_FLIGHT = 2

# A stored source record as the store returns it: id, system, feed, record id, updated at
# (ISO 8601 or None), attributes (JSON).
Row = tuple[int, str, str, str, str | None, str]
# Reads the rows of the given source_record ids (in any order).
FetchRows = Callable[[list[int]], list[Row]]


@dataclass(frozen=True, slots=True)
class ReconcileWork:
    """Everything reconciling the customers needs, in customer (seq) order.

    `groups[c]` are customer c's record positions, `rowids[position]` a record's store id and
    `mates[c]` the positions of other customers' records at c's account that carry account facts.
    """

    ids: Sequence[str]
    groups: Sequence[Sequence[int]]
    rowids: Sequence[int]
    mates: Mapping[int, list[int]]
    sources: SourcesSpec
    merges: Mapping[str, list[MergeEvidence]]
    held: Mapping[str, list[HeldMerge]]
    region: str


@dataclass(frozen=True, slots=True)
class EncodedChunk:
    """One task's rows and the CPU seconds its reconcile and encode steps took."""

    rows: EncodedCustomers
    reconcile_cpu: float
    encode_cpu: float


def chunk_rowids(work: ReconcileWork, start: int, stop: int) -> list[int]:
    """The store ids of every record customers `start`..`stop` reconcile over, each once."""
    rowids, groups, mates = work.rowids, work.groups, work.mates
    needed = [rowids[i] for c in range(start, stop) for i in groups[c]]
    for customer in range(start, stop):
        found = mates.get(customer)
        if found:
            needed.extend(rowids[i] for i in found)
    return list(dict.fromkeys(needed))


class RecordDecoder:
    """Turns stored rows back into the SourceRecords ingest read.

    The store keeps attributes as JSON with sorted keys; a record read from an export has them
    in its feed's column order, which collection items keep, so that order is restored.
    """

    def __init__(self, sources: SourcesSpec) -> None:
        from c360tui.store import codec

        self._load_json = codec.load_json
        self._load_time = codec.load_time
        self._order = {
            feed.name: tuple(dict.fromkeys(feed.columns.values())) for feed in sources.feeds
        }

    def __call__(self, row: Row) -> SourceRecord:
        _, system, feed, record_id, updated, text = row
        stored: dict[str, AttrValue] = self._load_json(text)
        order = self._order.get(feed, ())
        attributes = {name: stored[name] for name in order if name in stored}
        if len(attributes) != len(stored):  # attributes the feed no longer maps, as stored
            attributes.update(stored)
        return SourceRecord(system, feed, record_id, self._load_time(updated), attributes)


def reconcile_chunk(work: ReconcileWork, start: int, stop: int, rows: list[Row]) -> EncodedChunk:
    """Reconcile customers `start`..`stop` (positions in `work.ids`) over their stored `rows`
    and encode their rows."""
    from c360tui.core.reconcile import reconcile

    began = process_time()
    decode = RecordDecoder(work.sources)
    by_rowid = {row[0]: row for row in rows}
    rowids, groups, mates = work.rowids, work.groups, work.mates
    made: dict[int, SourceRecord] = {}

    def record(position: int) -> SourceRecord:
        rowid = rowids[position]
        found = made.get(rowid)
        if found is None:
            found = made[rowid] = decode(by_rowid[rowid])
        return found

    customers = []
    merges, held, sources = work.merges, work.held, work.sources
    for position in range(start, stop):
        customer_id = work.ids[position]
        records = [record(i) for i in groups[position]]
        account = [record(i) for i in mates.get(position, ())]
        customer = reconcile(customer_id, records, sources, account)
        customer.merges = merges.get(customer_id, [])
        customer.held = held.get(customer_id, [])
        customers.append(customer)
    reconciled = process_time()
    rows_out = encode_customers(customers, start + 1, work.region)
    return EncodedChunk(rows_out, reconciled - began, process_time() - reconciled)


# The work of the running parallel pass, inherited by forked workers (never pickled).
_SHARED: ReconcileWork | None = None


def _in_worker(task: tuple[int, int, list[Row]]) -> EncodedChunk:
    assert _SHARED is not None, "worker started without shared work"
    return reconcile_chunk(_SHARED, *task)


def default_workers(customers: int) -> int:
    """Worker processes worth starting: none for small runs or one CPU, else one per CPU, as
    many as memory allows.

    A forked worker shares the parent's resolution (ids, groups, evidence), but touching it
    (reference counts) copies pages, so each worker may come to need as much as the parent has.
    """
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if customers < 10 * CHUNK or (cpus or 1) < 2:
        return 0
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    wanted = min(cpus or 1, 4)
    resident, available = _memory()
    if resident and available:
        # leave half of what is free to the rest of the machine
        wanted = min(wanted, int(available * 0.5 // resident))
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


def encoded_chunks(work: ReconcileWork, workers: int, fetch: FetchRows) -> Iterator[EncodedChunk]:
    """Every customer's rows, chunk by chunk in seq order, made by `workers` processes (0: here).

    `fetch` reads each chunk's records from the store, here in the parent. At most IN_FLIGHT
    chunks are made ahead of the one being consumed.
    """
    total = len(work.ids)
    bounds = [(start, min(start + CHUNK, total)) for start in range(0, total, CHUNK)]

    def task(start: int, stop: int) -> tuple[int, int, list[Row]]:
        return start, stop, fetch(chunk_rowids(work, start, stop))

    if workers <= 0 or len(bounds) < 2:
        for start, stop in bounds:
            yield reconcile_chunk(work, *task(start, stop))
        return
    global _SHARED
    _SHARED = work
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending: deque[AsyncResult[EncodedChunk]] = deque()
            queue = iter(bounds)
            for item in queue:
                pending.append(pool.apply_async(_in_worker, (task(*item),)))
                if len(pending) >= IN_FLIGHT + workers:
                    break
            while pending:
                done = pending.popleft().get()
                following = next(queue, None)
                if following is not None:
                    pending.append(pool.apply_async(_in_worker, (task(*following),)))
                yield done
    finally:
        _SHARED = None
