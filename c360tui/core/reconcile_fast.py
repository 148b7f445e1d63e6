"""Reconciliation's ordering of candidates and its two shortcuts (see reconcile.py).

Most attributes of a customer have one candidate, or candidates that all hold the same value;
both outcomes follow from the ranking alone, exactly as the general path in reconcile.py has
them, without normalising values or comparing observation windows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from c360tui.core.customer import Candidate, Provenance, ReconciledAttribute

if TYPE_CHECKING:
    from c360tui.core.reconcile import _AttrPlan


def newest_first(candidate: Candidate) -> tuple[object, ...]:
    """Sort key: newest observation first, no timestamp last, then system, feed, record id."""
    p = candidate.provenance
    stamp = -p.observed_at.timestamp() if p.observed_at else 0.0
    return (p.observed_at is None, stamp, p.system, p.feed, p.record_id)


def rank_key(candidate: Candidate, priority: dict[str, int]) -> tuple[object, ...]:
    """Highest-priority system first, then newest, then by feed and record id (stable)."""
    return (-priority.get(candidate.provenance.system, 0), *newest_first(candidate))


def one_candidate(attr: _AttrPlan, only: Candidate) -> ReconciledAttribute:
    """The general path's outcome for a single candidate: it wins, unverified if untrusted."""
    system = only.provenance.system
    spec = attr.spec
    if system not in attr.trusted:
        owners = ", ".join(spec.system_of_record) or "none declared"
        reason = f"only {system} has it; system of record: {owners}"
        return ReconciledAttribute(attr.name, spec.rule, "unverified", only, (), (), reason)
    reason = f"{attr.label}: {system}"
    return ReconciledAttribute(attr.name, spec.rule, "resolved", only, (), (), reason)


def one_value(
    attr: _AttrPlan, candidates: list[Candidate], priority: dict[str, int]
) -> ReconciledAttribute:
    """The general path's outcome when every candidate holds the same value (same type).

    Nothing can disagree, junk and team-inbox filters keep all or nothing, and every candidate
    normalises alike, so alternates are the first candidate of each other system in rank order.
    """
    spec = attr.spec
    ranked = sorted(candidates, key=lambda c: rank_key(c, priority))
    trusted = [c for c in ranked if c.provenance.system in attr.trusted]
    if not trusted:
        winner = ranked[0]
        systems = sorted({c.provenance.system for c in ranked})
        owners = ", ".join(spec.system_of_record) or "none declared"
        reason = f"only {' and '.join(systems)} has it; system of record: {owners}"
        alternates = _first_per_system(ranked, winner)
        return ReconciledAttribute(
            attr.name, spec.rule, "unverified", winner, alternates, (), reason
        )
    top = trusted[0] if spec.rule == "source_priority" else min(trusted, key=newest_first)
    alternates = _first_per_system(ranked, top)
    reason = f"{attr.label}: {top.provenance.system}"
    confirmed: Provenance | None = None
    newest = top.provenance.observed_at
    if newest is not None and len(trusted) > 1:
        for candidate in trusted:
            stamp = candidate.provenance.observed_at
            if stamp is not None and stamp > newest:
                newest, confirmed = stamp, candidate.provenance
    return ReconciledAttribute(
        attr.name, spec.rule, "resolved", top, alternates, (), reason, confirmed
    )


def _first_per_system(ranked: list[Candidate], winner: Candidate) -> tuple[Candidate, ...]:
    """_distinct for candidates of one value: the first of each system but the winner's."""
    seen = {winner.provenance.system}
    kept: list[Candidate] = []
    for candidate in ranked:
        system = candidate.provenance.system
        if system not in seen:
            seen.add(system)
            kept.append(candidate)
    return tuple(kept)
