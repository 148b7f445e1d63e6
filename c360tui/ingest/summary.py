"""What one ingest run did, in the counts the summary table and the benchmark report."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class FeedCount:
    """Rows of one file: read, accepted and quarantined (read = accepted + quarantined)."""

    feed: str
    file: str
    read: int = 0
    accepted: int = 0
    quarantined: int = 0


@dataclass(slots=True)
class IngestSummary:
    """Counts of one ingest run and the wall time of each phase in seconds.

    `new` counts records not stored before (0 when the same files are ingested again);
    `conflicts` counts reconciled attributes left conflicted across all customers.
    `timings` and `cpu_timings` hold wall and CPU seconds per phase (CPU seconds include the
    worker processes'); `worker_peak_kib` is the largest worker's peak resident memory.
    """

    files: list[FeedCount] = field(default_factory=list)
    missing_feeds: list[str] = field(default_factory=list)
    read: int = 0
    accepted: int = 0
    new: int = 0
    quarantined: int = 0
    records: int = 0
    customers: int = 0
    merges: int = 0
    held: int = 0
    conflicts: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    cpu_timings: dict[str, float] = field(default_factory=dict)
    worker_peak_kib: int = 0

    @property
    def balanced(self) -> bool:
        """Every row read was either accepted or quarantined."""
        return self.read == self.accepted + self.quarantined

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the summary table, in reading order."""
        return [
            ("rows read", f"{self.read:,}"),
            ("accepted", f"{self.accepted:,}"),
            ("new records", f"{self.new:,}"),
            ("quarantined", f"{self.quarantined:,}"),
            ("source records stored", f"{self.records:,}"),
            ("customers", f"{self.customers:,}"),
            ("merges", f"{self.merges:,}"),
            ("merges held for review", f"{self.held:,}"),
            ("conflicted attributes", f"{self.conflicts:,}"),
        ]
