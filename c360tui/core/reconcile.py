"""Reconciliation: pick a defensible value per attribute of one customer, or say it is conflicted.

Rules (declared per attribute in specs/sources.toml):
- source_priority: each system of record's current claim is its newest record. The claim of the
  highest-priority system wins, unless another system of record disagrees with an observation
  within `conflict_window` of it: both are trusted for this attribute, so neither is picked and the
  attribute is *conflicted*. A disagreement further apart than the window goes to priority.
- most_recent: the newest observation from a system of record wins; a disagreeing observation
  within `conflict_window` of it makes the attribute conflicted.
- most_frequent: the value most system-of-record records agree on wins; a tie is conflicted.
Values are compared in normalised form (emails casefolded, phones as E.164, text casefolded with
whitespace collapsed), so "(415) 555-0100" and "+14155550100" agree. An observation without a
timestamp cannot be shown to be outside a window, so it counts as within it. When only systems
outside `system_of_record` offer a value, the best of those is kept with status *unverified*.
The result does not depend on the order of the records.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from c360tui.core.customer import (
    Candidate,
    CollectionItem,
    Provenance,
    ReconciledAttribute,
    ResolvedCustomer,
)
from c360tui.core.display import format_for_type, format_value
from c360tui.core.normalize import normalize_email, normalize_phone
from c360tui.core.records import AttrValue, SourceRecord
from c360tui.core.sources_spec import AttributeSpec, SourcesSpec

_Key = tuple[object, ...]


def reconcile(
    customer_id: str, records: list[SourceRecord], sources: SourcesSpec
) -> ResolvedCustomer:
    """Build the resolved customer from its source records (merges/held are set by the caller)."""
    ordered = sorted(records, key=lambda r: (r.feed, r.record_id))
    customer = ResolvedCustomer(customer_id=customer_id, records=[r.key for r in ordered])
    collection_attrs = sources.collections()
    for name, spec in sources.attributes.items():
        if spec.collection:
            continue
        candidates = [
            Candidate(r.attributes[name], _provenance(r)) for r in ordered if name in r.attributes
        ]
        if candidates:
            customer.attributes[name] = reconcile_attribute(name, spec, candidates, sources)
    for collection, names in sorted(collection_attrs.items()):
        items: list[CollectionItem] = []
        for record in ordered:
            values = {n: record.attributes[n] for n in names if n in record.attributes}
            if values:
                items.append(CollectionItem(values, _provenance(record)))
        customer.collections[collection] = items
    return customer


def reconcile_attribute(
    name: str, spec: AttributeSpec, candidates: list[Candidate], sources: SourcesSpec
) -> ReconciledAttribute:
    """Apply the attribute's survivorship rule to its candidates (one per source record)."""
    keyer = _Normaliser(spec.type, sources.default_region)
    priority = {system: s.priority for system, s in sources.systems.items()}
    ranked = sorted(candidates, key=lambda c: _rank_key(c, priority))
    trusted = [c for c in ranked if c.provenance.system in spec.system_of_record]
    if not trusted:
        winner = ranked[0]
        systems = sorted({c.provenance.system for c in ranked})
        owners = ", ".join(spec.system_of_record) or "none declared"
        reason = f"only {' and '.join(systems)} has it; system of record: {owners}"
        alternates = _distinct(ranked, keyer, exclude=(winner,))
        return ReconciledAttribute(name, spec.rule, "unverified", winner, alternates, (), reason)
    window = spec.conflict_window_delta
    if spec.rule == "most_frequent":
        top, disagreeing = _most_frequent(trusted, keyer)
    elif spec.rule == "most_recent":
        top = sorted(trusted, key=_newest_first)[0]
        disagreeing = _within_window(top, trusted, window, keyer)
    else:
        claims = _claims(trusted)
        top = claims[0]
        disagreeing = _within_window(top, trusted, window, keyer)
        # Two records of the winning system at the same moment with different values.
        disagreeing += [
            c
            for c in trusted
            if c.provenance.system == top.provenance.system
            and c.provenance.observed_at == top.provenance.observed_at
            and keyer(c.value) != keyer(top.value)
            and c not in disagreeing
        ]
    if disagreeing:
        contenders = _distinct([top, *disagreeing], keyer)
        rest = _distinct(ranked, keyer, exclude=contenders)
        reason = _conflict_reason(contenders, spec.type, sources.default_region)
        return ReconciledAttribute(name, spec.rule, "conflicted", None, rest, contenders, reason)
    alternates = _distinct(ranked, keyer, exclude=(top,))
    reason = f"{spec.rule.replace('_', ' ')}: {top.provenance.system}"
    return ReconciledAttribute(name, spec.rule, "resolved", top, alternates, (), reason)


class _Normaliser:
    """Compares values in normalised form so formatting differences are not disagreements."""

    def __init__(self, attr_type: str, region: str) -> None:
        self.attr_type = attr_type
        self.region = region

    def __call__(self, value: AttrValue) -> _Key:
        if isinstance(value, list):
            return ("list", *value)
        if isinstance(value, bool | int | float):
            return (type(value).__name__, value)
        text = " ".join(value.split())
        if self.attr_type == "email":
            return ("email", normalize_email(text) or text.casefold())
        if self.attr_type == "phone":
            return ("phone", normalize_phone(text, self.region) or text.casefold())
        return ("text", text.casefold())


def _provenance(record: SourceRecord) -> Provenance:
    return Provenance(record.system, record.feed, record.record_id, record.updated_at)


def _newest_first(candidate: Candidate) -> tuple[object, ...]:
    """Sort key: newest observation first, no timestamp last, then system, feed, record id."""
    p = candidate.provenance
    stamp = -p.observed_at.timestamp() if p.observed_at else 0.0
    return (p.observed_at is None, stamp, p.system, p.feed, p.record_id)


def _rank_key(candidate: Candidate, priority: dict[str, int]) -> tuple[object, ...]:
    """Highest-priority system first, then newest, then by feed and record id (stable)."""
    return (-priority.get(candidate.provenance.system, 0), *_newest_first(candidate))


def _claims(ranked_trusted: list[Candidate]) -> list[Candidate]:
    """Each system's newest record, in rank order (the input is already ranked)."""
    seen: set[str] = set()
    claims: list[Candidate] = []
    for candidate in ranked_trusted:
        if candidate.provenance.system not in seen:
            seen.add(candidate.provenance.system)
            claims.append(candidate)
    return claims


def _within_window(
    top: Candidate, trusted: list[Candidate], window: timedelta, keyer: _Normaliser
) -> list[Candidate]:
    """Disagreeing claims observed within `window` of the top one (or with no timestamp)."""
    top_key = keyer(top.value)
    pool = _claims(trusted) if top in _claims(trusted) else trusted
    result: list[Candidate] = []
    for candidate in pool:
        if candidate is top or keyer(candidate.value) == top_key:
            continue
        a, b = top.provenance.observed_at, candidate.provenance.observed_at
        if a is None or b is None or abs(a - b) <= window:
            result.append(candidate)
    return result


def _most_frequent(
    trusted: list[Candidate], keyer: _Normaliser
) -> tuple[Candidate, list[Candidate]]:
    """The value most records agree on (its newest record), and the values tied with it."""
    groups: dict[_Key, list[Candidate]] = {}
    for candidate in trusted:
        groups.setdefault(keyer(candidate.value), []).append(candidate)
    best = max(len(group) for group in groups.values())
    tied = [sorted(g, key=_newest_first)[0] for g in groups.values() if len(g) == best]
    tied.sort(key=_newest_first)
    return tied[0], tied[1:]


def _distinct(
    candidates: Iterable[Candidate], keyer: _Normaliser, exclude: Iterable[Candidate] = ()
) -> tuple[Candidate, ...]:
    """Keep the first candidate per (system, normalised value): repeats add noise, not evidence.

    Candidates repeating an excluded one's system and value (the winner's) are dropped too.
    """
    seen = {(c.provenance.system, keyer(c.value)) for c in exclude}
    kept: list[Candidate] = []
    for candidate in candidates:
        key = (candidate.provenance.system, keyer(candidate.value))
        if key not in seen:
            seen.add(key)
            kept.append(candidate)
    return tuple(kept)


def _conflict_reason(contenders: tuple[Candidate, ...], attr_type: str, region: str) -> str:
    """ "billing says enterprise, crm says growth" — in words a rep can repeat."""
    fmt = format_for_type(attr_type)
    return ", ".join(
        f"{c.provenance.system} says {format_value(c.value, fmt, region=region)}"
        for c in contenders
    )
