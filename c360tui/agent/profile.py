"""CustomerProfile: every reconciled attribute of one customer, as an agent may read it.

Each attribute is an object holding its value beside its trust state, provenance, age, budget,
freshness and the values that lost (alternates) or disagree (contenders): a value is never
handed out bare. A conflicted attribute has `value` null and its `contenders`; a missing one
(read by the view, held by no source) has `value` null; other catalogue attributes no source
has are only named, in `missing`. Budgets come from a view spec when one is given; without one
an attribute has no budget and its freshness is "unknown" (its age is still given).

Pure: no I/O, time is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from c360tui.core.customer import Candidate, ReconciledAttribute, ResolvedCustomer
from c360tui.core.decision_model import FreshnessState, TrustState
from c360tui.core.durations import format_age
from c360tui.core.freshness import assess
from c360tui.core.records import AttrValue, RecordKey
from c360tui.core.sources_spec import SourcesSpec
from c360tui.core.view_spec import ViewSpec

PROFILE_VERSION = "2"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ProfileSource(_Frozen):
    """One value offered by one source record, with its age as of the profile's time."""

    value: AttrValue | None
    system: str
    feed: str
    record_id: str
    observed_at: datetime | None
    age_seconds: float | None


class ProfileAttribute(_Frozen):
    """One attribute: value beside trust, provenance, age against budget, and the other values.

    `agent_usable` is true only when trust is "trusted" and no person flagged the value as
    wrong; anything else must be checked by a person before an agent acts on it.
    """

    name: str
    label: str
    value: AttrValue | None
    trust: TrustState
    agent_usable: bool
    reason: str
    source: str | None
    feed: str | None
    record_id: str | None
    observed_at: datetime | None
    age_seconds: float | None
    budget: str | None
    budget_seconds: float | None
    freshness: FreshnessState
    age_text: str
    rule: str
    flagged: bool
    # a newer observation of the same value by another accepted source: it dates the freshness
    confirmed_by: ProfileSource | None = None
    alternates: list[ProfileSource]
    contenders: list[ProfileSource]


class ProfileItem(_Frozen):
    """One item of a collection (a support ticket) as its one source record holds it."""

    values: dict[str, AttrValue]
    source: str
    feed: str
    record_id: str
    observed_at: datetime | None
    age_seconds: float | None


class RecordRef(_Frozen):
    """A source record: the feed it came from and its id there."""

    feed: str
    record_id: str


class HeldLink(_Frozen):
    """A link between two records that was found but not made, and why."""

    left: RecordRef
    right: RecordRef
    rule: str
    reason: str


class ProfileIdentity(_Frozen):
    """The source records behind the customer, how many merges made it, and links held back."""

    records: list[RecordRef]
    merges: int
    held: list[HeldLink]


class CustomerProfile(_Frozen):
    """Everything known about one customer as of one time, every value with its trust."""

    schema_version: str = PROFILE_VERSION
    customer_id: str
    as_of: datetime
    view: str | None = Field(description="The view spec the budgets come from, if any.")
    attributes: dict[str, ProfileAttribute]
    not_usable: list[str] = Field(
        description="Names of attributes an agent must not act on (not trusted, or flagged)."
    )
    missing: list[str] = Field(
        description="Catalogue attributes no source has for this customer (not listed above)."
    )
    collections: dict[str, list[ProfileItem]]
    identity: ProfileIdentity


def build_profile(
    customer: ResolvedCustomer,
    now: datetime,
    *,
    view: ViewSpec | None = None,
    sources: SourcesSpec | None = None,
) -> CustomerProfile:
    """The profile of `customer` as of `now` (timezone-aware).

    Attributes are the customer's own plus any the view reads (missing ones with trust
    "missing"), in catalogue order when `sources` is given; catalogue attributes no source has
    are named in `missing`. With `view`, each attribute the view shows gets that signal's budget
    (the tightest, if several).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    budgets = _budgets(view)
    labels = {name: spec.label for name, spec in sources.attributes.items()} if sources else {}
    catalogue = _catalogue(sources)
    names = _attribute_names(customer, catalogue, budgets)
    attributes = {
        name: _attribute(
            name,
            labels.get(name) or name,
            customer.attributes.get(name),
            budgets.get(name),
            name in customer.flagged,
            now,
        )
        for name in names
    }
    collections = {
        name: [
            ProfileItem(
                values=dict(item.values),
                source=item.provenance.system,
                feed=item.provenance.feed,
                record_id=item.provenance.record_id,
                observed_at=item.provenance.observed_at,
                age_seconds=_age(item.provenance.observed_at, now),
            )
            for item in items
        ]
        for name, items in sorted(customer.collections.items())
    }
    return CustomerProfile(
        customer_id=customer.customer_id,
        as_of=now,
        view=view.name if view else None,
        attributes=attributes,
        not_usable=[name for name, attr in attributes.items() if not attr.agent_usable],
        missing=[name for name in catalogue if name not in attributes],
        collections=collections,
        identity=ProfileIdentity(
            records=[_ref(key) for key in customer.records],
            merges=len(customer.merges),
            held=[
                HeldLink(left=_ref(h.left), right=_ref(h.right), rule=h.rule, reason=h.reason)
                for h in customer.held
            ],
        ),
    )


def _budgets(view: ViewSpec | None) -> dict[str, tuple[str, timedelta]]:
    """Attribute name → (budget text, budget) from the view's signals, the tightest if several."""
    budgets: dict[str, tuple[str, timedelta]] = {}
    if view is None:
        return budgets
    for signal in view.all_signals():
        if signal.attribute is None:
            continue
        known = budgets.get(signal.attribute)
        if known is None or signal.budget_delta < known[1]:
            budgets[signal.attribute] = (signal.budget, signal.budget_delta)
    return budgets


def _catalogue(sources: SourcesSpec | None) -> list[str]:
    """The catalogue's attribute names in file order, without collection items."""
    if sources is None:
        return []
    return [name for name, spec in sources.attributes.items() if not spec.collection]


def _attribute_names(
    customer: ResolvedCustomer, catalogue: list[str], budgets: dict[str, tuple[str, timedelta]]
) -> list[str]:
    """The customer's attributes and those the view reads, in catalogue order, then the rest."""
    shown = set(customer.attributes) | set(budgets)
    names = [name for name in catalogue if name in shown]
    return names + sorted(shown - set(names))


def _attribute(
    name: str,
    label: str,
    attr: ReconciledAttribute | None,
    budget: tuple[str, timedelta] | None,
    flagged: bool,
    now: datetime,
) -> ProfileAttribute:
    budget_text, budget_delta = budget if budget else (None, None)
    if attr is None:
        return ProfileAttribute(
            name=name,
            label=label,
            value=None,
            trust="missing",
            agent_usable=False,
            reason=f"missing: no source has {label.lower()}",
            source=None,
            feed=None,
            record_id=None,
            observed_at=None,
            age_seconds=None,
            budget=budget_text,
            budget_seconds=budget_delta.total_seconds() if budget_delta else None,
            freshness="unknown",
            age_text=_age_text(None, budget_text, "no value"),
            rule="",
            flagged=flagged,
            alternates=[],
            contenders=[],
        )
    observed = attr.winner.provenance.observed_at if attr.winner else attr.observed_at
    trust: TrustState
    if attr.status == "resolved":
        trust, reason = "trusted", ""
    else:
        trust, reason = attr.status, f"{attr.status}: {attr.reason}".rstrip(": ")
    freshness: FreshnessState = "unknown"
    seen = attr.observed_at  # its latest confirmation dates the value's freshness
    age = _age(seen, now)
    unknown_why = "no timestamp" if seen is None else ""
    if budget_delta is not None:
        fresh = assess(seen, budget_delta, now)
        freshness, unknown_why = fresh.state, fresh.reason
        if fresh.age is None:
            age = None  # a timestamp in the future or without a zone has no age to say
    age_text = _age_text(age, budget_text, unknown_why)
    if trust != "conflicted" and freshness == "stale":
        trust, reason = "stale", f"stale: {age_text.replace(' / ', ' > ')}"
    elif not reason and freshness == "ageing":
        reason = f"ageing: {age_text.replace(' / ', ' of ')}"
    elif not reason and freshness == "unknown" and age is None:
        reason = f"age unknown: {unknown_why or 'no timestamp'}"
    elif not reason and freshness == "unknown":
        reason = "freshness not judged: no budget (pass a view)"
    if flagged:
        reason = f"{reason}; flagged as wrong by a person" if reason else "flagged as wrong"
    winner = attr.winner
    return ProfileAttribute(
        name=name,
        label=label,
        value=winner.value if winner and trust != "conflicted" else None,
        trust=trust,
        agent_usable=trust == "trusted" and not flagged,
        reason=reason,
        source=winner.provenance.system if winner else None,
        feed=winner.provenance.feed if winner else None,
        record_id=winner.provenance.record_id if winner else None,
        observed_at=observed,
        age_seconds=age,
        budget=budget_text,
        budget_seconds=budget_delta.total_seconds() if budget_delta else None,
        freshness=freshness,
        age_text=age_text,
        rule=attr.rule,
        flagged=flagged,
        confirmed_by=_sources([Candidate(winner.value, attr.confirmed)], now)[0]
        if winner and attr.confirmed
        else None,
        alternates=_sources(attr.alternates, now),
        contenders=_sources(attr.contenders, now),
    )


def _sources(candidates: Iterable[Candidate], now: datetime) -> list[ProfileSource]:
    return [
        ProfileSource(
            value=c.value,
            system=c.provenance.system,
            feed=c.provenance.feed,
            record_id=c.provenance.record_id,
            observed_at=c.provenance.observed_at,
            age_seconds=_age(c.provenance.observed_at, now),
        )
        for c in candidates
    ]


def _age(observed: datetime | None, now: datetime) -> float | None:
    """Seconds between `observed` and `now`; None without a zoned timestamp or in the future."""
    if observed is None or observed.tzinfo is None or observed > now:
        return None
    return (now - observed).total_seconds()


def _age_text(age: float | None, budget: str | None, unknown_why: str) -> str:
    """ "5d / 7d", "5d / no budget", "no timestamp / 7d": the way the screens say it."""
    said = format_age(timedelta(seconds=age)) if age is not None else (unknown_why or "age unknown")
    return f"{said} / {budget or 'no budget'}"


def _ref(key: RecordKey) -> RecordRef:
    return RecordRef(feed=key.feed, record_id=key.record_id)
