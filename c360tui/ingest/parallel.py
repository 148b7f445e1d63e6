"""Reconcile and encode customers in worker processes while the parent writes them to SQLite.

Reconciling a customer and encoding its rows is pure work on data the parent already holds, so
forked workers share that data copy-on-write and hand back only plain row tuples; the parent,
the one SQLite writer, inserts them in order. Small runs (and machines without fork) stay in
one process, with the same chunks and the same seqs, so both paths write identical stores.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult
from time import process_time

from c360tui.core.customer import HeldMerge, MergeEvidence
from c360tui.core.records import SourceRecord
from c360tui.core.sources_spec import SourcesSpec
from c360tui.store.writer import EncodedCustomers, encode_customers

# Customers per task; a module constant so a test can make small runs use several tasks.
CHUNK = 2_000
# Tasks handed out but not yet written, beyond one per worker: bounds the rows (a few KB per
# customer) waiting in the parent's memory.
IN_FLIGHT = 2


@dataclass(frozen=True, slots=True)
class ReconcileWork:
    """Everything reconciling the customers needs, in customer (seq) order."""

    items: Sequence[tuple[str, list[SourceRecord]]]
    sources: SourcesSpec
    mates: dict[str, list[SourceRecord]]
    merges: dict[str, list[MergeEvidence]]
    held: dict[str, list[HeldMerge]]
    region: str


@dataclass(frozen=True, slots=True)
class EncodedChunk:
    """One task's rows and the CPU seconds its reconcile and encode steps took."""

    rows: EncodedCustomers
    reconcile_cpu: float
    encode_cpu: float


def reconcile_chunk(work: ReconcileWork, start: int, stop: int) -> EncodedChunk:
    """Reconcile customers `start`..`stop` (positions in `work.items`) and encode their rows."""
    from c360tui.core.reconcile import reconcile

    began = process_time()
    customers = []
    mates, merges, held, sources = work.mates, work.merges, work.held, work.sources
    for customer_id, records in work.items[start:stop]:
        customer = reconcile(customer_id, records, sources, mates.get(customer_id, ()))
        customer.merges = merges.get(customer_id, [])
        customer.held = held.get(customer_id, [])
        customers.append(customer)
    reconciled = process_time()
    rows = encode_customers(customers, start + 1, work.region)
    return EncodedChunk(rows, reconciled - began, process_time() - reconciled)


# The work of the running parallel pass, inherited by forked workers (never pickled).
_SHARED: ReconcileWork | None = None


def _in_worker(bounds: tuple[int, int]) -> EncodedChunk:
    assert _SHARED is not None, "worker started without shared work"
    return reconcile_chunk(_SHARED, *bounds)


def default_workers(customers: int) -> int:
    """Worker processes worth starting: none for small runs or one CPU, else one per CPU, as
    many as memory allows.

    A forked worker shares the parent's records, but touching them (reference counts) copies
    most of their pages, so each worker may come to need as much memory as the parent has.
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


def encoded_chunks(work: ReconcileWork, workers: int) -> Iterator[EncodedChunk]:
    """Every customer's rows, chunk by chunk in seq order, made by `workers` processes (0: here).

    At most IN_FLIGHT chunks are made ahead of the one being consumed.
    """
    total = len(work.items)
    bounds = [(start, min(start + CHUNK, total)) for start in range(0, total, CHUNK)]
    if workers <= 0 or len(bounds) < 2:
        for start, stop in bounds:
            yield reconcile_chunk(work, start, stop)
        return
    global _SHARED
    _SHARED = work
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending: deque[AsyncResult[EncodedChunk]] = deque()
            queue = iter(bounds)
            for item in queue:
                pending.append(pool.apply_async(_in_worker, (item,)))
                if len(pending) >= IN_FLIGHT + workers:
                    break
            while pending:
                done = pending.popleft().get()
                following = next(queue, None)
                if following is not None:
                    pending.append(pool.apply_async(_in_worker, (following,)))
                yield done
    finally:
        _SHARED = None
