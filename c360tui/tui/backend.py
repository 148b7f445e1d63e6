"""What the screens ask of the data: a small protocol, its result types, and nothing heavy.

Screens call a Backend only from worker threads. The real one (`store_backend.StoreBackend`)
opens the store and builds decision views; tests pass a fake with fixed data. Keeping the
protocol here, free of sqlmodel, keeps the launcher quick to start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from c360tui.core.customer import HeldMerge, MergeEvidence
    from c360tui.core.decision_model import DecisionView
    from c360tui.core.records import RecordKey

QueueState = Literal["worked", "snoozed"]


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One customer a search found, with the reason it matched ("phone +14155550100")."""

    customer_id: str
    name: str
    company: str
    matched: str


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One customer waiting in a role's queue, in the spec's order."""

    customer_id: str
    name: str
    detail: str


@dataclass(frozen=True, slots=True)
class QueueSnapshot:
    """The open part of a queue and how much of it has been worked ("12 of 48 worked")."""

    view: str
    items: list[QueueItem]
    worked: int
    total: int


@dataclass(frozen=True, slots=True)
class SourceRecordRow:
    """One source record behind a customer, summarised for the identity screen."""

    key: RecordKey
    system: str
    observed_at: datetime | None
    summary: str


@dataclass(frozen=True, slots=True)
class IdentityDetail:
    """The records that make one customer and the evidence for every merge between them."""

    customer_id: str
    records: list[SourceRecordRow]
    merges: list[MergeEvidence]
    held: list[HeldMerge] = field(default_factory=list)


class Backend(Protocol):
    """Blocking data calls the screens' workers make; every method may raise C360Error."""

    def describe(self) -> dict[str, str]:
        """Where the data lives ({"store": path, ...}) for the launcher."""
        ...

    def search(self, query: str, limit: int) -> list[SearchResult]: ...

    def decision(self, view: str, customer_id: str, now: datetime) -> DecisionView: ...

    def queue(self, view: str, now: datetime) -> QueueSnapshot: ...

    def settle(
        self, view: str, customer_id: str, state: QueueState, action: str, now: datetime
    ) -> None:
        """Take a customer out of a queue (worked or snoozed); the state survives a restart."""
        ...

    def flag(self, view: str, customer_id: str, signal_id: str, attribute: str | None) -> None:
        """Record "this value is wrong" for one signal of one customer."""
        ...

    def identity(self, customer_id: str) -> IdentityDetail: ...

    def split(self, customer_id: str, left: RecordKey, right: RecordKey) -> None:
        """Record "not the same person" for two records; the next resolution honours it."""
        ...
