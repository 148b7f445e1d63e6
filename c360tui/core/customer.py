"""The resolved customer: reconciled attributes with provenance, collections and merge evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from c360tui.core.records import AttrValue, RecordKey

# resolved: one defensible winner from an accepted source; conflicted: equally trusted sources
# disagree; unverified: the only values come from sources the spec does not accept for it.
ReconcileStatus = Literal["resolved", "conflicted", "unverified"]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where one value came from: system, feed, record id and when the source last changed it."""

    system: str
    feed: str
    record_id: str
    observed_at: datetime | None

    @property
    def key(self) -> RecordKey:
        return RecordKey(self.feed, self.record_id)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One value offered for an attribute by one source record."""

    value: AttrValue
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class ReconciledAttribute:
    """The survivorship outcome for one attribute of one customer.

    `winner` is None when conflicted; `contenders` then holds the disagreeing values.
    `alternates` are the losing candidates (kept visible, never dropped). `confirmed` is the
    newest observation of the winning value by an accepted source, when newer than the winner's
    own: the value is as fresh as its latest confirmation, whoever has priority.
    """

    name: str
    rule: str
    status: ReconcileStatus
    winner: Candidate | None
    alternates: tuple[Candidate, ...] = ()
    contenders: tuple[Candidate, ...] = ()
    reason: str = ""
    confirmed: Provenance | None = None

    @property
    def value(self) -> AttrValue | None:
        return self.winner.value if self.winner else None

    @property
    def observed_at(self) -> datetime | None:
        """When the value was last seen: its latest confirmation, else the winner's own
        observation; for a conflict, the newest contender's."""
        if self.winner is not None:
            return (self.confirmed or self.winner.provenance).observed_at
        stamps = [c.provenance.observed_at for c in self.contenders if c.provenance.observed_at]
        return max(stamps) if stamps else None


@dataclass(frozen=True, slots=True)
class FieldEvidence:
    """How one field compared in a merge: the method used and its score (1.0 for equality)."""

    field: str
    method: str
    score: float


@dataclass(frozen=True, slots=True)
class MergeEvidence:
    """Why two records were linked: the rule that fired and the field comparisons behind it."""

    left: RecordKey
    right: RecordKey
    rule: str
    fields: tuple[FieldEvidence, ...]


@dataclass(frozen=True, slots=True)
class HeldMerge:
    """A link that was found but not made, with the reason (e.g. two billing account ids)."""

    left: RecordKey
    right: RecordKey
    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class CollectionItem:
    """One item of a customer's collection (a support ticket), with its provenance."""

    values: dict[str, AttrValue]
    provenance: Provenance


@dataclass(slots=True)
class ResolvedCustomer:
    """One customer as the decision view sees it."""

    customer_id: str
    attributes: dict[str, ReconciledAttribute] = field(default_factory=dict)
    collections: dict[str, list[CollectionItem]] = field(default_factory=dict)
    records: list[RecordKey] = field(default_factory=list)
    merges: list[MergeEvidence] = field(default_factory=list)
    held: list[HeldMerge] = field(default_factory=list)
    # attribute names a person has flagged as wrong (recorded by the screens)
    flagged: set[str] = field(default_factory=set)
