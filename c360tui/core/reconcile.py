"""Reconciliation: pick a defensible value per attribute of one customer, or say it is conflicted.

Rules (declared per attribute in specs/sources.toml):
- source_priority: each system of record's current claim is its newest record. The claim of the
  highest-priority system wins, unless another system of record disagrees with an observation
  within `conflict_window` of it: both are trusted for this attribute, so neither is picked and the
  attribute is *conflicted*. A disagreement further apart than the window goes to priority.
- most_recent: the newest observation from a system of record wins; a disagreeing observation
  within `conflict_window` of it makes the attribute conflicted.
- most_frequent: the value most system-of-record records agree on wins; a tie is conflicted.
Values are compared in normalised form (emails casefolded, phones as E.164, company names without
legal suffixes, person names without accents, other text casefolded with whitespace collapsed),
so "(415) 555-0100" and "+14155550100" agree. An observation without a timestamp cannot be shown
to be outside a window, so it counts as within it. When only systems outside `system_of_record`
offer a value, the best of those is kept with status *unverified*. A shared inbox (billing@,
ap@, invoices@...) does not compete with a person's own email address: it is kept as an alternate.
The result does not depend on the order of the records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import timedelta
from operator import attrgetter

from c360tui.core.customer import (
    Candidate,
    CollectionItem,
    Provenance,
    ReconciledAttribute,
    ResolvedCustomer,
)
from c360tui.core.display import format_for_type, format_value
from c360tui.core.reconcile_fast import (
    SET_PROVENANCE,
    SET_VALUE,
    collection_item,
    newest_first,
    one_candidate,
    one_value,
    provenance,
    rank_key,
    record_key,
    result,
    single_outcome,
)
from c360tui.core.reconcile_plan import AttrPlan, Key, Normaliser, Plan, attr_plan, plan_for
from c360tui.core.records import AttrValue, SourceRecord
from c360tui.core.sources_spec import AttributeSpec, SourcesSpec

_BY_KEY = attrgetter("feed", "record_id")
# A record's rank key (see rank_key), its position among the records given, its provenance and
# its attributes.
_Rank = tuple[int, bool, float, str, str, str, int, Provenance, dict[str, AttrValue]]
_new = object.__new__


def reconcile(
    customer_id: str,
    records: list[SourceRecord],
    sources: SourcesSpec,
    account_records: Sequence[SourceRecord] = (),
) -> ResolvedCustomer:
    """Build the resolved customer from its source records (merges/held are set by the caller).

    `account_records` are other customers' records at the same account (see core/accounts.py):
    they offer candidates for account-scoped attributes only.
    """
    plan = plan_for(sources)
    ordered = sorted(records, key=_BY_KEY)
    customer = ResolvedCustomer(
        customer_id=customer_id, records=[record_key(r.feed, r.record_id) for r in ordered]
    )
    mates = sorted(account_records, key=_BY_KEY) if account_records else ()
    buckets, ranks = _gather(ordered, mates, plan, customer.collections)
    attributes = customer.attributes
    given: Callable[[list[Candidate]], list[Candidate]] | None = None
    for name, attr in plan.attributes.items():
        candidates = buckets.get(name)
        if candidates is None:
            continue
        if len(candidates) == 1:
            only = candidates[0]
            status, reason = attr.single.get(only.provenance.system) or single_outcome(attr, only)
            attributes[name] = result(name, attr.spec.rule, status, reason, only)
            continue
        if given is None:
            given = _in_pool_order(ranks)
        attributes[name] = _decide(attr, candidates, plan, given)
    return customer


def _gather(
    ordered: list[SourceRecord],
    mates: list[SourceRecord] | tuple[()],
    plan: Plan,
    collections: dict[str, list[CollectionItem]],
) -> tuple[dict[str, list[Candidate]], list[_Rank]]:
    """Each attribute's candidates in rank order, and the records' ranks.

    The customer's own records (by feed and record id) give every attribute and fill
    `collections`; account mates' records after them give account facts only.
    """
    # A candidate ranks by its record alone (see rank_key), so the records are ranked once and
    # every attribute's candidates are gathered already in rank order; the position breaks ties
    # as a stable sort of the candidates in (feed, record id) order would.
    priority = plan.priority
    ranks: list[_Rank] = [
        (
            -priority.get(r.system, 0),
            r.updated_at is None,
            -r.updated_at.timestamp() if r.updated_at else 0.0,
            r.system,
            r.feed,
            r.record_id,
            position,
            provenance(r.system, r.feed, r.record_id, r.updated_at),
            r.attributes,
        )
        for position, r in enumerate([*ordered, *mates] if mates else ordered)
    ]
    ranks.sort()
    own = len(ordered)
    buckets: dict[str, list[Candidate]] = {}
    grouped_at: list[tuple[int, Provenance, dict[str, dict[str, AttrValue]]]] = []
    collection_of, known, account_scoped = plan.collection_of, plan.attributes, plan.account_scoped
    new, set_value, set_provenance = _new, SET_VALUE, SET_PROVENANCE
    for rank in ranks:
        position, origin, attrs = rank[6], rank[7], rank[8]
        if position >= own:
            # an account mate's record offers its account facts only
            for name in account_scoped:
                if name in attrs:
                    offered = new(Candidate)
                    set_value(offered, attrs[name])
                    set_provenance(offered, origin)
                    bucket = buckets.get(name)
                    if bucket is None:
                        buckets[name] = [offered]
                    else:
                        bucket.append(offered)
            continue
        grouped: dict[str, dict[str, AttrValue]] | None = None
        for name, value in attrs.items():
            if name in known:
                offered = new(Candidate)
                set_value(offered, value)
                set_provenance(offered, origin)
                bucket = buckets.get(name)
                if bucket is None:
                    buckets[name] = [offered]
                else:
                    bucket.append(offered)
            elif name in collection_of:
                grouped = grouped if grouped is not None else {}
                grouped.setdefault(collection_of[name], {})[name] = value
        if grouped:
            grouped_at.append((position, origin, grouped))
    for name in plan.collections:
        collections[name] = []
    grouped_at.sort(key=lambda entry: entry[0])
    for _, origin, grouped in grouped_at:
        for collection, values in grouped.items():
            collections[collection].append(collection_item(values, origin))
    return buckets, ranks


def _in_pool_order(ranks: list[_Rank]) -> Callable[[list[Candidate]], list[Candidate]]:
    """Puts candidates back in the order reconcile gathered records (own, then account mates)."""
    at: dict[int, int] = {}

    def in_order(candidates: list[Candidate]) -> list[Candidate]:
        if not at:
            at.update((id(rank[7]), rank[6]) for rank in ranks)
        return sorted(candidates, key=lambda c: at[id(c.provenance)])

    return in_order


def reconcile_attribute(
    name: str, spec: AttributeSpec, candidates: list[Candidate], sources: SourcesSpec
) -> ReconciledAttribute:
    """Apply the attribute's survivorship rule to its candidates (one per source record)."""
    plan = plan_for(sources)
    attr = plan.attributes.get(name) or attr_plan(name, spec, spec.rule, plan.region)
    if len(candidates) == 1:
        return one_candidate(attr, candidates[0])
    priority = plan.priority
    ranked = sorted(candidates, key=lambda c: rank_key(c, priority))
    positions = {id(c): i for i, c in enumerate(candidates)}

    def given(subset: list[Candidate]) -> list[Candidate]:
        return sorted(subset, key=lambda c: positions[id(c)])

    return _decide(attr, ranked, plan, given)


def _decide(
    attr: AttrPlan,
    ranked: list[Candidate],
    plan: Plan,
    given: Callable[[list[Candidate]], list[Candidate]],
) -> ReconciledAttribute:
    """The rule's outcome for candidates in rank order; `given` puts some back in given order."""
    spec = attr.spec
    # Most attributes have one candidate, or candidates that all say the same: both outcomes
    # follow from the ranking alone (no normalising, no windows), as the general path has them.
    if len(ranked) == 1:
        return one_candidate(attr, ranked[0])
    first = ranked[0].value
    kind = type(first)
    for c in ranked:
        if type(c.value) is not kind or c.value != first:
            break
    else:
        return one_value(attr, ranked)
    keyer = attr.keyer
    if spec.type in ("email", "phone"):
        # A junk identifier ("n/a", "test@test.com") never beats a usable one; it stays visible.
        usable = [c for c in ranked if keyer.usable(c.value)]
        if usable and len(usable) < len(ranked):
            decided = _decide(attr, usable, plan, given)
            junk = given([c for c in ranked if not keyer.usable(c.value)])
            return replace(decided, alternates=decided.alternates + tuple(junk))
    keyed = [(c, keyer(c.value)) for c in ranked]
    trusted_systems = attr.trusted
    trusted = [pair for pair in keyed if pair[0].provenance.system in trusted_systems]
    if spec.type == "email" and len(trusted) > 1:
        personal = [pair for pair in trusted if not _is_role_address(pair[0].value)]
        if personal:
            trusted = personal
    if not trusted:
        winner = ranked[0]
        systems = sorted({c.provenance.system for c in ranked})
        reason = f"only {' and '.join(systems)} has it; system of record: {attr.owners}"
        alternates = _distinct(keyed, exclude=keyed[:1])
        return result(attr.name, spec.rule, "unverified", reason, winner, alternates)
    top, top_key = trusted[0]
    if all(key == top_key for _, key in trusted):
        # Every accepted source agrees: nothing to decide but whose provenance to show.
        if spec.rule != "source_priority":
            top = min((c for c, _ in trusted), key=newest_first)
        disagreeing: list[Candidate] = []
    else:
        top, disagreeing = _disagreement(attr, [c for c, _ in trusted])
        top_key = keyer(top.value)
    if disagreeing:
        contenders = _distinct([(top, top_key), *((c, keyer(c.value)) for c in disagreeing)])
        rest = _distinct(keyed, exclude=[(c, keyer(c.value)) for c in contenders])
        reason = _conflict_reason(contenders, spec.type, plan.region)
        return result(attr.name, spec.rule, "conflicted", reason, None, rest, contenders)
    alternates = _distinct(keyed, exclude=((top, top_key),))
    reason = f"{attr.label}: {top.provenance.system}"
    confirmed = _latest_confirmation(top, top_key, trusted)
    return result(attr.name, spec.rule, "resolved", reason, top, alternates, (), confirmed)


def _disagreement(attr: AttrPlan, trusted: list[Candidate]) -> tuple[Candidate, list[Candidate]]:
    """The rule's pick among accepted candidates that differ, and those that contend with it."""
    keyer = attr.keyer
    if attr.spec.rule == "most_frequent":
        return _most_frequent(trusted, keyer)
    if attr.spec.rule == "most_recent":
        top = min(trusted, key=newest_first)
        return top, _within_window(top, trusted, attr.window, keyer)
    claims = _claims(trusted)
    top = claims[0]
    disagreeing = _within_window(top, claims, attr.window, keyer)
    # Two records of the winning system at the same moment with different values.
    disagreeing += [
        c
        for c in trusted
        if c.provenance.system == top.provenance.system
        and c.provenance.observed_at == top.provenance.observed_at
        and keyer(c.value) != keyer(top.value)
        and c not in disagreeing
    ]
    return top, disagreeing


# Shared inboxes (billing@, ap@...) that a billing system keeps instead of the person's address.
_ROLE_LOCAL_PARTS = frozenset(
    {"billing", "ap", "accounts", "accountspayable", "accounts-payable", "accounting", "invoices",
     "invoice", "finance", "payables", "payments", "info", "admin", "office", "sales", "support",
     "contact", "hello", "team"}
)  # fmt: skip


def _is_role_address(value: AttrValue) -> bool:
    """True for a shared inbox such as billing@acme.com: it says nothing about one person."""
    if not isinstance(value, str) or "@" not in value:
        return False
    return value.strip().split("@", 1)[0].casefold() in _ROLE_LOCAL_PARTS


def _latest_confirmation(
    top: Candidate, top_key: Key, trusted: list[tuple[Candidate, Key]]
) -> Provenance | None:
    """The newest accepted observation of the winning value, if newer than the winner's own."""
    newest = top.provenance.observed_at
    if newest is None or len(trusted) == 1:
        return None
    found = None
    for candidate, key in trusted:
        stamp = candidate.provenance.observed_at
        if stamp is not None and stamp > newest and key == top_key:
            newest, found = stamp, candidate.provenance
    return found


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
    top: Candidate, pool: list[Candidate], window: timedelta, keyer: Normaliser
) -> list[Candidate]:
    """Disagreeing candidates observed within `window` of the top one (or with no timestamp)."""
    top_key = keyer(top.value)
    result: list[Candidate] = []
    for candidate in pool:
        if candidate is top or keyer(candidate.value) == top_key:
            continue
        a, b = top.provenance.observed_at, candidate.provenance.observed_at
        if a is None or b is None or abs(a - b) <= window:
            result.append(candidate)
    return result


def _most_frequent(
    trusted: list[Candidate], keyer: Normaliser
) -> tuple[Candidate, list[Candidate]]:
    """The value most records agree on (its newest record), and the values tied with it."""
    groups: dict[Key, list[Candidate]] = {}
    for candidate in trusted:
        groups.setdefault(keyer(candidate.value), []).append(candidate)
    best = max(len(group) for group in groups.values())
    tied = [sorted(g, key=newest_first)[0] for g in groups.values() if len(g) == best]
    tied.sort(key=newest_first)
    return tied[0], tied[1:]


def _distinct(
    keyed: Iterable[tuple[Candidate, Key]], exclude: Iterable[tuple[Candidate, Key]] = ()
) -> tuple[Candidate, ...]:
    """Keep the first candidate per (system, normalised value): repeats add noise, not evidence.

    Candidates are given with their normalised values; those repeating an excluded one's system
    and value (the winner's) are dropped too.
    """
    seen = {(c.provenance.system, key) for c, key in exclude}
    kept: list[Candidate] = []
    for candidate, key in keyed:
        mark = (candidate.provenance.system, key)
        if mark not in seen:
            seen.add(mark)
            kept.append(candidate)
    return tuple(kept)


def _conflict_reason(contenders: tuple[Candidate, ...], attr_type: str, region: str) -> str:
    """ "billing says enterprise, crm says growth" — in words a rep can repeat."""
    fmt = format_for_type(attr_type)
    return ", ".join(
        f"{c.provenance.system} says {format_value(c.value, fmt, region=region)}"
        for c in contenders
    )
