"""Reconciliation's candidate order, its two shortcuts and quick builders (see reconcile.py).

Most attributes of a customer have one candidate, or candidates that all hold the same value;
both outcomes follow from the ranking alone, exactly as the general path in reconcile.py has
them, without normalising values or comparing observation windows.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any

from c360tui.core.customer import (
    Candidate,
    CollectionItem,
    Provenance,
    ReconciledAttribute,
    ReconcileStatus,
)
from c360tui.core.records import AttrValue, RecordKey

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from c360tui.core.reconcile_plan import AttrPlan

# A frozen dataclass's generated __init__ sets each field through object.__setattr__ (2.5 µs
# for a ReconciledAttribute); reconcile makes millions, so these builders fill the slots
# directly. They give the same objects: the dataclasses have no defaults left unset here and no
# __post_init__, and the field lists are checked below so a new field cannot be missed.
_new = object.__new__


def _setters(cls: type, *names: str) -> tuple[Callable[[Any, Any], None], ...]:
    if tuple(f.name for f in fields(cls)) != names:
        raise TypeError(f"{cls.__name__} fields changed; update reconcile_fast's builders")
    return tuple(getattr(cls, name).__set__ for name in names)


SET_VALUE, SET_PROVENANCE = _setters(Candidate, "value", "provenance")
_P_SYSTEM, _P_FEED, _P_ID, _P_AT = _setters(
    Provenance, "system", "feed", "record_id", "observed_at"
)
_K_FEED, _K_ID = _setters(RecordKey, "feed", "record_id")
_I_VALUES, _I_PROVENANCE = _setters(CollectionItem, "values", "provenance")
_R_NAME, _R_RULE, _R_STATUS, _R_WINNER, _R_ALT, _R_CONT, _R_REASON, _R_CONF = _setters(
    ReconciledAttribute,
    "name",
    "rule",
    "status",
    "winner",
    "alternates",
    "contenders",
    "reason",
    "confirmed",
)


def candidate(value: AttrValue, provenance: Provenance) -> Candidate:
    """Candidate(value, provenance)."""
    made: Candidate = _new(Candidate)
    SET_VALUE(made, value)
    SET_PROVENANCE(made, provenance)
    return made


def provenance(system: str, feed: str, record_id: str, observed_at: datetime | None) -> Provenance:
    """Provenance(system, feed, record_id, observed_at)."""
    made: Provenance = _new(Provenance)
    _P_SYSTEM(made, system)
    _P_FEED(made, feed)
    _P_ID(made, record_id)
    _P_AT(made, observed_at)
    return made


def record_key(feed: str, record_id: str) -> RecordKey:
    """RecordKey(feed, record_id)."""
    made: RecordKey = _new(RecordKey)
    _K_FEED(made, feed)
    _K_ID(made, record_id)
    return made


def collection_item(values: dict[str, AttrValue], provenance: Provenance) -> CollectionItem:
    """CollectionItem(values, provenance)."""
    made: CollectionItem = _new(CollectionItem)
    _I_VALUES(made, values)
    _I_PROVENANCE(made, provenance)
    return made


def result(
    name: str,
    rule: str,
    status: ReconcileStatus,
    reason: str,
    winner: Candidate | None,
    alternates: tuple[Candidate, ...] = (),
    contenders: tuple[Candidate, ...] = (),
    confirmed: Provenance | None = None,
) -> ReconciledAttribute:
    """ReconciledAttribute(name, rule, status, winner, alternates, contenders, reason, confirmed)
    (the reason comes before the candidates here: it is known first on the hot paths)."""
    made: ReconciledAttribute = _new(ReconciledAttribute)
    _R_NAME(made, name)
    _R_RULE(made, rule)
    _R_STATUS(made, status)
    _R_WINNER(made, winner)
    _R_ALT(made, alternates)
    _R_CONT(made, contenders)
    _R_REASON(made, reason)
    _R_CONF(made, confirmed)
    return made


def newest_first(candidate: Candidate) -> tuple[object, ...]:
    """Sort key: newest observation first, no timestamp last, then system, feed, record id."""
    p = candidate.provenance
    stamp = -p.observed_at.timestamp() if p.observed_at else 0.0
    return (p.observed_at is None, stamp, p.system, p.feed, p.record_id)


def rank_key(candidate: Candidate, priority: dict[str, int]) -> tuple[object, ...]:
    """Highest-priority system first, then newest, then by feed and record id (stable)."""
    return (-priority.get(candidate.provenance.system, 0), *newest_first(candidate))


def one_candidate(attr: AttrPlan, only: Candidate) -> ReconciledAttribute:
    """The general path's outcome for a single candidate: it wins, unverified if untrusted."""
    status, reason = attr.single.get(only.provenance.system) or single_outcome(attr, only)
    return result(attr.name, attr.spec.rule, status, reason, only)


def single_outcome(attr: AttrPlan, only: Candidate) -> tuple[ReconcileStatus, str]:
    """The status and reason of a lone candidate, remembered per system."""
    return single_outcome_of(attr, only.provenance.system)


def single_outcome_of(attr: AttrPlan, system: str) -> tuple[ReconcileStatus, str]:
    """The status and reason of a lone candidate from `system`, remembered per system."""
    if system in attr.trusted:
        outcome: tuple[ReconcileStatus, str] = ("resolved", f"{attr.label}: {system}")
    else:
        outcome = ("unverified", f"only {system} has it; system of record: {attr.owners}")
    attr.single[system] = outcome
    return outcome


def one_value(attr: AttrPlan, ranked: list[Candidate]) -> ReconciledAttribute:
    """The general path's outcome when every candidate (in rank order) holds the same value.

    Nothing can disagree, junk and team-inbox filters keep all or nothing, and every candidate
    normalises alike, so alternates are the first candidate of each other system in rank order.
    """
    spec = attr.spec
    trusted_systems = attr.trusted
    trusted = [c for c in ranked if c.provenance.system in trusted_systems]
    if not trusted:
        winner = ranked[0]
        systems = sorted({c.provenance.system for c in ranked})
        reason = f"only {' and '.join(systems)} has it; system of record: {attr.owners}"
        alternates = _first_per_system(ranked, winner)
        return result(attr.name, spec.rule, "unverified", reason, winner, alternates)
    top = trusted[0] if spec.rule == "source_priority" else min(trusted, key=newest_first)
    alternates = _first_per_system(ranked, top)
    confirmed: Provenance | None = None
    newest = top.provenance.observed_at
    if newest is not None and len(trusted) > 1:
        for other in trusted:
            stamp = other.provenance.observed_at
            if stamp is not None and stamp > newest:
                newest, confirmed = stamp, other.provenance
    reason = f"{attr.label}: {top.provenance.system}"
    return result(attr.name, spec.rule, "resolved", reason, top, alternates, (), confirmed)


def _first_per_system(ranked: list[Candidate], winner: Candidate) -> tuple[Candidate, ...]:
    """_distinct for candidates of one value: the first of each system but the winner's."""
    seen = {winner.provenance.system}
    kept: list[Candidate] = []
    for other in ranked:
        system = other.provenance.system
        if system not in seen:
            seen.add(system)
            kept.append(other)
    return tuple(kept)
