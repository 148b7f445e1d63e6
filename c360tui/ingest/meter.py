"""Timing an ingest's phases: wall and CPU seconds per named phase, and progress reports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from time import perf_counter, process_time
from typing import Protocol, TypeVar

T = TypeVar("T")
# Items handled between two clock readings when timing interleaved phases.
_CHUNK = 20_000


def peak_kib() -> int:
    """This process's peak resident memory so far, in KiB (0 where the platform does not say)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class IngestProgress(Protocol):
    """Told how far a phase has come: `done` of `total` units (bytes, records, customers)."""

    def __call__(self, phase: str, done: int, total: int | None) -> None: ...


class Meter:
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

    def __call__(self, phase: str) -> Meter:
        self.phase = phase
        return self

    def __enter__(self) -> None:
        self.start = (perf_counter(), process_time())

    def __exit__(self, *exc: object) -> None:
        self.add(self.phase, self.start)
