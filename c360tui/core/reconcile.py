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
from dataclasses import dataclass, replace
from datetime import timedelta

from c360tui.core.customer import (
    Candidate,
    CollectionItem,
    Provenance,
    ReconciledAttribute,
    ResolvedCustomer,
)
from c360tui.core.display import format_for_type, format_value
from c360tui.core.normalize import (
    fold_name,
    normalize_address,
    normalize_company,
    normalize_domain,
    normalize_email,
    normalize_phone,
)
from c360tui.core.reconcile_fast import newest_first as _newest_first
from c360tui.core.reconcile_fast import one_candidate, one_value
from c360tui.core.reconcile_fast import rank_key as _rank_key
from c360tui.core.records import AttrValue, SourceRecord
from c360tui.core.sources_spec import AttributeSpec, SourcesSpec

_Key = object  # a normalised value: folded text, or (type, value) for numbers and flags

# Text attributes whose spelling varies between systems without the value changing:
# "Acme, Inc." and "ACME Inc" name one company, "José" and "Jose" one person.
_TEXT_FOLDERS: dict[str, Callable[[str], str | None]] = {
    "company": normalize_company,
    "first_name": fold_name,
    "last_name": fold_name,
    "company_domain": normalize_domain,
    "address": normalize_address,
}


@dataclass(frozen=True, slots=True)
class _AttrPlan:
    """One attribute's rule with its parsed window and system-of-record set, read once."""

    name: str
    spec: AttributeSpec
    trusted: frozenset[str]
    window: timedelta
    label: str


@dataclass(frozen=True, slots=True)
class _Plan:
    """What reconcile needs from a SourcesSpec, computed once per spec (ingest calls it a lot)."""

    attributes: dict[str, _AttrPlan]
    collection_of: dict[str, str]
    collections: tuple[str, ...]
    priority: dict[str, int]
    region: str
    account_scoped: frozenset[str]


_PLANS: dict[int, tuple[SourcesSpec, _Plan]] = {}


def _plan(sources: SourcesSpec) -> _Plan:
    cached = _PLANS.get(id(sources))
    if cached is not None and cached[0] is sources:
        return cached[1]
    attributes = {
        name: _AttrPlan(
            name,
            spec,
            frozenset(spec.system_of_record),
            spec.conflict_window_delta,
            spec.rule.replace("_", " "),
        )
        for name, spec in sources.attributes.items()
        if not spec.collection
    }
    collection_of = {n: a.collection for n, a in sources.attributes.items() if a.collection}
    plan = _Plan(
        attributes=attributes,
        collection_of=collection_of,
        collections=tuple(sorted(set(collection_of.values()))),
        priority={system: s.priority for system, s in sources.systems.items()},
        region=sources.default_region,
        account_scoped=frozenset(n for n, a in attributes.items() if a.spec.scope == "account"),
    )
    if len(_PLANS) > 16:  # specs are few and long-lived; never grow without bound
        _PLANS.clear()
    _PLANS[id(sources)] = (sources, plan)
    return plan


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
    plan = _plan(sources)
    ordered = sorted(records, key=lambda r: (r.feed, r.record_id))
    customer = ResolvedCustomer(customer_id=customer_id, records=[r.key for r in ordered])
    buckets: dict[str, list[Candidate]] = {}
    items: dict[str, list[CollectionItem]] = {name: [] for name in plan.collections}
    collection_of, known = plan.collection_of, plan.attributes
    for record in ordered:
        provenance = Provenance(record.system, record.feed, record.record_id, record.updated_at)
        grouped: dict[str, dict[str, AttrValue]] | None = None
        for name, value in record.attributes.items():
            if name in known:
                bucket = buckets.get(name)
                if bucket is None:
                    buckets[name] = [Candidate(value, provenance)]
                else:
                    bucket.append(Candidate(value, provenance))
            elif name in collection_of:
                grouped = grouped if grouped is not None else {}
                grouped.setdefault(collection_of[name], {})[name] = value
        if grouped:
            for collection, values in grouped.items():
                items[collection].append(CollectionItem(values, provenance))
    for record in sorted(account_records, key=lambda r: (r.feed, r.record_id)):
        provenance = Provenance(record.system, record.feed, record.record_id, record.updated_at)
        for name, value in record.attributes.items():
            if name in plan.account_scoped:
                buckets.setdefault(name, []).append(Candidate(value, provenance))
    for name, attr_plan in plan.attributes.items():
        candidates = buckets.get(name)
        if candidates:
            customer.attributes[name] = _reconcile(attr_plan, candidates, plan)
    customer.collections.update(items)
    return customer


def reconcile_attribute(
    name: str, spec: AttributeSpec, candidates: list[Candidate], sources: SourcesSpec
) -> ReconciledAttribute:
    """Apply the attribute's survivorship rule to its candidates (one per source record)."""
    plan = _plan(sources)
    attr_plan = plan.attributes.get(name) or _AttrPlan(
        name, spec, frozenset(spec.system_of_record), spec.conflict_window_delta, spec.rule
    )
    return _reconcile(attr_plan, candidates, plan)


def _reconcile(attr: _AttrPlan, candidates: list[Candidate], plan: _Plan) -> ReconciledAttribute:
    spec = attr.spec
    # Most attributes have one candidate, or candidates that all say the same: both outcomes
    # follow from the ranking alone (no normalising, no windows), as the general path has them.
    if len(candidates) == 1:
        return one_candidate(attr, candidates[0])
    first = candidates[0].value
    kind = type(first)
    if all(type(c.value) is kind and c.value == first for c in candidates):
        return one_value(attr, candidates, plan.priority)
    if spec.type in ("email", "phone") and len(candidates) > 1:
        # A junk identifier ("n/a", "test@test.com") never beats a usable one; it stays visible.
        usable = [c for c in candidates if _usable_identifier(spec.type, c.value, plan.region)]
        if usable and len(usable) < len(candidates):
            result = _reconcile(attr, usable, plan)
            junk = tuple(c for c in candidates if c not in usable)
            return replace(result, alternates=result.alternates + junk)
    keyer = _Normaliser(spec.type, plan.region, _TEXT_FOLDERS.get(attr.name))
    priority = plan.priority
    if len(candidates) == 1:
        ranked = candidates
    else:
        ranked = sorted(candidates, key=lambda c: _rank_key(c, priority))
    trusted = [c for c in ranked if c.provenance.system in attr.trusted]
    if spec.type == "email" and len(trusted) > 1:
        personal = [c for c in trusted if not _is_role_address(c.value)]
        if personal:
            trusted = personal
    if not trusted:
        winner = ranked[0]
        systems = sorted({c.provenance.system for c in ranked})
        owners = ", ".join(spec.system_of_record) or "none declared"
        reason = f"only {' and '.join(systems)} has it; system of record: {owners}"
        alternates = _distinct(ranked, keyer, exclude=(winner,))
        return ReconciledAttribute(
            attr.name, spec.rule, "unverified", winner, alternates, (), reason
        )
    first = trusted[0].value
    same_raw = all(type(c.value) is type(first) and c.value == first for c in trusted)
    first_key = keyer(first)
    if same_raw or all(keyer(c.value) == first_key for c in trusted):
        # Every accepted source agrees: nothing to decide but whose provenance to show.
        top = trusted[0] if spec.rule == "source_priority" else min(trusted, key=_newest_first)
        disagreeing: list[Candidate] = []
    elif spec.rule == "most_frequent":
        top, disagreeing = _most_frequent(trusted, keyer)
    elif spec.rule == "most_recent":
        top = min(trusted, key=_newest_first)
        disagreeing = _within_window(top, trusted, attr.window, keyer)
    else:
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
    if disagreeing:
        contenders = _distinct([top, *disagreeing], keyer)
        rest = _distinct(ranked, keyer, exclude=contenders)
        reason = _conflict_reason(contenders, spec.type, plan.region)
        return ReconciledAttribute(
            attr.name, spec.rule, "conflicted", None, rest, contenders, reason
        )
    alternates = _distinct(ranked, keyer, exclude=(top,))
    reason = f"{attr.label}: {top.provenance.system}"
    confirmed = _latest_confirmation(top, trusted, keyer)
    return ReconciledAttribute(
        attr.name, spec.rule, "resolved", top, alternates, (), reason, confirmed
    )


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


def _usable_identifier(attr_type: str, value: AttrValue, region: str) -> bool:
    """True when an email or phone value normalises to a real identifier (not junk)."""
    if not isinstance(value, str):
        return False
    if attr_type == "email":
        return normalize_email(value) is not None
    return normalize_phone(value, region) is not None


class _Normaliser:
    """Compares values in normalised form so formatting differences are not disagreements.

    Remembers each value it has seen: one customer repeats its email on every ticket.
    """

    __slots__ = ("attr_type", "folder", "memo", "region")

    def __init__(
        self, attr_type: str, region: str, folder: Callable[[str], str | None] | None = None
    ) -> None:
        self.attr_type = attr_type
        self.region = region
        self.folder = folder
        self.memo: dict[str, _Key] = {}

    def __call__(self, value: AttrValue) -> _Key:
        if isinstance(value, list):
            return ("list", *value)
        if not isinstance(value, str):
            return (type(value).__name__, value)
        key = self.memo.get(value)
        if key is None:
            key = self.memo[value] = self._text(value)
        return key

    def _text(self, value: str) -> str:
        text = " ".join(value.split())
        if self.attr_type == "email":
            return normalize_email(text) or text.casefold()
        if self.attr_type == "phone":
            return normalize_phone(text, self.region) or text.casefold()
        if self.folder is not None:
            return self.folder(text) or text.casefold()
        return text.casefold()


def _latest_confirmation(
    top: Candidate, trusted: list[Candidate], keyer: _Normaliser
) -> Provenance | None:
    """The newest accepted observation of the winning value, if newer than the winner's own."""
    newest = top.provenance.observed_at
    if newest is None or len(trusted) == 1:
        return None
    top_key, found = keyer(top.value), None
    for candidate in trusted:
        stamp = candidate.provenance.observed_at
        if stamp is not None and stamp > newest and keyer(candidate.value) == top_key:
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
    top: Candidate, pool: list[Candidate], window: timedelta, keyer: _Normaliser
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
