"""Derived signals: values computed from a resolved customer and `now`, here and nowhere else.

Each derived value records the inputs it read. Its observation time is the oldest input's (so it
is only as fresh as its stalest input) and its trust the worst of its inputs': a conflicted phone
makes "phone valid" conflicted. A missing input counts only when the value cannot be computed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from c360tui.core.customer import CollectionItem, Provenance, ReconciledAttribute, ResolvedCustomer
from c360tui.core.display import format_hours, format_money, format_value
from c360tui.core.durations import format_age
from c360tui.core.normalize import normalize_phone
from c360tui.core.records import AttrValue

InputTrust = str  # "trusted" | "conflicted" | "unverified" | "missing"
_BADNESS = {"trusted": 0, "unverified": 1, "conflicted": 3, "missing": 4}
OPEN_STATUSES = ("open", "pending")
CALL_HOURS = (9, 17)  # local calling window: from 09:00 inclusive to 17:00 exclusive
ARR_BANDS: tuple[tuple[float, str, str], ...] = (
    (10_000, "under_10k", "under $10k"),
    (100_000, "10k_100k", "$10k–100k"),
    (1_000_000, "100k_1m", "$100k–1M"),
    (float("inf"), "1m_plus", "$1M+"),
)


@dataclass(frozen=True, slots=True)
class InputState:
    """One input a derived value read: its name, trust and the attribute behind it (if any)."""

    name: str
    trust: InputTrust
    attribute: ReconciledAttribute | None = None


@dataclass(frozen=True, slots=True)
class Derived:
    """A derived value with what it read, how old its oldest input is and how far to trust it."""

    value: AttrValue | None
    display: str
    inputs: tuple[str, ...]
    observed_at: datetime | None
    provenance: Provenance | None
    trust: InputTrust
    weak_inputs: tuple[InputState, ...] = ()
    series: list[float] | None = None
    # why there is no value, when there is none ("no ticket has a CSAT")
    missing_reason: str = ""
    # why the value has no observation time, when it has none
    undated_reason: str = ""


@dataclass(slots=True)
class DerivedContext:
    """What a derived signal may look at: the customer, the as-of time and the phone region."""

    customer: ResolvedCustomer
    now: datetime
    region: str = "US"


@dataclass(slots=True)
class _Reader:
    """Reads inputs for one derived value and remembers their trust and observation times."""

    ctx: DerivedContext
    names: list[str] = field(default_factory=list)
    states: list[InputState] = field(default_factory=list)
    observed: list[Provenance] = field(default_factory=list)
    undated: str = ""

    def attr(self, name: str) -> AttrValue | None:
        attr = self.ctx.customer.attributes.get(name)
        self.names.append(name)
        if attr is None:
            self.states.append(InputState(name, "missing"))
            return None
        trust = {"resolved": "trusted"}.get(attr.status, attr.status)
        self.states.append(InputState(name, trust, attr))
        if attr.winner is not None:
            self.observed.append(attr.confirmed or attr.winner.provenance)
        else:
            self.observed.extend(c.provenance for c in attr.contenders)
        return attr.value

    def items(
        self, collection: str, relevant: Callable[[CollectionItem], bool]
    ) -> list[CollectionItem]:
        """The collection's relevant items; their ages count, or the newest item's if none is."""
        everything = self.ctx.customer.collections.get(collection, [])
        self.names.append(collection)
        chosen = [item for item in everything if relevant(item)]
        # Only the items that count date the value: "no open sev-1" has no item to date it
        # (the newest closed ticket only bounds how old the export is), so its age is unknown.
        self.observed.extend(item.provenance for item in chosen)
        if not chosen:
            self.undated = f"no item of {collection} dates it"
        return chosen

    def done(
        self,
        value: AttrValue | None,
        display: str,
        series: list[float] | None = None,
        why: str = "",
    ) -> Derived:
        present = [s for s in self.states if s.trust != "missing"]
        if value is None:
            weak = tuple(s for s in self.states if s.trust != "trusted")
            trust = "conflicted" if any(s.trust == "conflicted" for s in weak) else "missing"
        else:
            weak = tuple(s for s in present if s.trust != "trusted")
            trust = max((s.trust for s in present), key=_BADNESS.__getitem__, default="trusted")
        stamped = [p for p in self.observed if p.observed_at is not None]
        oldest = min(stamped, key=lambda p: p.observed_at or self.ctx.now) if stamped else None
        if oldest is None and self.observed:
            oldest = self.observed[0]
        return Derived(
            value=value,
            display=display if value is not None else format_value(None),
            inputs=tuple(dict.fromkeys(self.names)),
            observed_at=oldest.observed_at if oldest else None,
            provenance=oldest,
            trust=trust,
            weak_inputs=weak,
            series=series,
            missing_reason=why if value is None else "",
            undated_reason=self.undated if oldest is None else "",
        )


def _parse_time(value: AttrValue | None) -> datetime | None:
    """An ISO datetime string as an aware datetime; None for anything else or a naive time."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _item_time(item: CollectionItem) -> float:
    observed = item.provenance.observed_at
    return observed.timestamp() if observed else float("-inf")


def _is_open(item: CollectionItem) -> bool:
    return str(item.values.get("ticket_status", "")).casefold() in OPEN_STATUSES


def _is_open_sev1(item: CollectionItem) -> bool:
    return _is_open(item) and str(item.values.get("ticket_severity", "")).casefold() == "sev1"


# ---------------------------------------------------------------------------- signals


def days_since_last_touch(ctx: DerivedContext) -> Derived:
    reader = _Reader(ctx)
    touched = _parse_time(reader.attr("last_touch_at"))
    if touched is None:
        return reader.done(None, "")
    days = max(0, (ctx.now - touched).days)
    return reader.done(days, "today" if days == 0 else f"{days}d ago")


def open_sev1(ctx: DerivedContext) -> Derived:
    reader = _Reader(ctx)
    tickets = reader.items("tickets", _is_open_sev1)
    if not tickets:
        return reader.done(0, "none open")
    oldest = _oldest_opened(tickets, ctx.now)
    age = f", oldest {format_age(ctx.now - oldest)}" if oldest else ""
    return reader.done(len(tickets), f"{len(tickets)} open{age}")


def open_sev1_age(ctx: DerivedContext) -> Derived:
    """Hours the oldest open sev-1 has been open (0 when none is open)."""
    reader = _Reader(ctx)
    tickets = reader.items("tickets", _is_open_sev1)
    oldest = _oldest_opened(tickets, ctx.now)
    if oldest is None:
        return reader.done(0, "none open")
    hours = max(0.0, (ctx.now - oldest).total_seconds() / 3600)
    return reader.done(int(hours), format_hours(hours))


def _oldest_opened(tickets: Iterable[CollectionItem], now: datetime) -> datetime | None:
    opened = [_parse_time(t.values.get("ticket_opened_at")) for t in tickets]
    known = [t for t in opened if t is not None and t <= now]
    return min(known) if known else None


def open_tickets(ctx: DerivedContext) -> Derived:
    reader = _Reader(ctx)
    tickets = reader.items("tickets", _is_open)
    return reader.done(len(tickets), f"{len(tickets)} open" if tickets else "none open")


def sla_breached(ctx: DerivedContext) -> Derived:
    """True when an open ticket is past its SLA due time."""
    reader = _Reader(ctx)
    tickets = reader.items("tickets", _is_open)
    overdue = [
        (due, t)
        for t in tickets
        if (due := _parse_time(t.values.get("ticket_sla_due_at"))) is not None and due < ctx.now
    ]
    if not overdue:
        return reader.done(False, "no")
    due, ticket = min(overdue, key=lambda pair: pair[0])
    ticket_id = ticket.values.get("ticket_id", ticket.provenance.record_id)
    return reader.done(True, f"yes, {format_age(ctx.now - due)} over ({ticket_id})")


def escalations_30d(ctx: DerivedContext) -> Derived:
    reader = _Reader(ctx)
    since = ctx.now - timedelta(days=30)

    def recent_escalation(item: CollectionItem) -> bool:
        opened = _parse_time(item.values.get("ticket_opened_at"))
        return (
            item.values.get("ticket_escalated") is True and opened is not None and opened >= since
        )

    count = len(reader.items("tickets", recent_escalation))
    return reader.done(count, str(count))


def last_csat(ctx: DerivedContext) -> Derived:
    """The CSAT of the most recently opened ticket that has one."""
    reader = _Reader(ctx)
    rated = [
        t
        for t in ctx.customer.collections.get("tickets", [])
        if isinstance(t.values.get("ticket_csat"), int)
    ]
    latest = max(
        rated,
        key=lambda t: (str(t.values.get("ticket_opened_at", "")), _item_time(t)),
        default=None,
    )
    reader.items("tickets", lambda item: item is latest)
    if latest is None:
        return reader.done(None, "", why="no ticket has a CSAT")
    score = latest.values["ticket_csat"]
    return reader.done(score, f"{score}/5")


def arr_band(ctx: DerivedContext) -> Derived:
    reader = _Reader(ctx)
    arr = reader.attr("arr")
    if not isinstance(arr, int | float) or isinstance(arr, bool):
        return reader.done(None, "")
    for upper, band, label in ARR_BANDS:
        if arr < upper:
            return reader.done(band, f"{label} ({format_money(float(arr))})")
    raise AssertionError("unreachable: the last band is unbounded")


def usage_trend(ctx: DerivedContext) -> Derived:
    """Percent change of usage in the last 4 weeks against the 4 weeks before (needs 8 weeks)."""
    reader = _Reader(ctx)
    weekly = reader.attr("weekly_usage")
    if not isinstance(weekly, list) or len(weekly) < 8:
        weeks = len(weekly) if isinstance(weekly, list) else 0
        return reader.done(None, "", why=f"needs 8 weeks of usage, has {weeks}")
    series = [float(v) for v in weekly[-8:]]
    before, last = sum(series[:4]), sum(series[4:])
    if before == 0:
        change = 0.0 if last == 0 else 100.0
    else:
        change = round((last - before) / before * 100, 1)
    return reader.done(
        change, f"{change:+.0f}% (4w vs prior 4w)", series=[float(v) for v in weekly]
    )


def renewal_days(ctx: DerivedContext) -> Derived:
    reader = _Reader(ctx)
    raw = reader.attr("renewal_date")
    try:
        renewal = datetime.fromisoformat(str(raw)[:10]).date() if isinstance(raw, str) else None
    except ValueError:
        renewal = None
    if renewal is None:
        return reader.done(None, "")
    days = (renewal - ctx.now.date()).days
    text = "today" if days == 0 else f"in {days}d" if days > 0 else f"{-days}d ago"
    return reader.done(days, f"{text} ({renewal.isoformat()})")


def _local_now(reader: _Reader) -> datetime | None:
    zone = reader.attr("timezone")
    if not isinstance(zone, str):
        return None
    try:
        return reader.ctx.now.astimezone(ZoneInfo(zone.strip()))
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def lead_local_time(ctx: DerivedContext) -> Derived:
    reader = _Reader(ctx)
    local = _local_now(reader)
    if local is None:
        return reader.done(None, "")
    return reader.done(local.strftime("%H:%M"), f"{local.strftime('%a %H:%M')} ({local.tzname()})")


def lead_in_hours(ctx: DerivedContext) -> Derived:
    """True from 09:00 (inclusive) to 17:00 (exclusive) in the lead's own time zone."""
    reader = _Reader(ctx)
    local = _local_now(reader)
    if local is None:
        return reader.done(None, "")
    inside = CALL_HOURS[0] <= local.hour < CALL_HOURS[1]
    clock = local.strftime("%H:%M")
    return reader.done(inside, f"{'yes' if inside else 'no'}, {clock} local")


def phone_valid(ctx: DerivedContext) -> Derived:
    reader = _Reader(ctx)
    phone = reader.attr("phone")
    if phone is None:
        attr = ctx.customer.attributes.get("phone")
        if attr is not None and attr.status == "conflicted":
            return reader.done(None, "")
        return reader.done(False, "no phone")
    valid = isinstance(phone, str) and normalize_phone(phone, ctx.region) is not None
    return reader.done(valid, "yes" if valid else "no, not a diallable number")


def churn_flag(ctx: DerivedContext) -> Derived:
    """True when billing says cancelled or usage dropped to zero for the last four weeks."""
    reader = _Reader(ctx)
    payment = reader.attr("payment_status")
    weekly = reader.attr("weekly_usage")
    if payment is None and weekly is None:
        return reader.done(None, "")
    if payment == "cancelled":
        return reader.done(True, "yes: subscription cancelled")
    if isinstance(weekly, list) and len(weekly) >= 4 and sum(weekly[-4:]) == 0:
        return reader.done(True, "yes: no usage in 4 weeks")
    return reader.done(False, "no")


def risk_score(ctx: DerivedContext) -> Derived:
    """A 0–100 churn risk: usage decline, payment trouble, near renewal, open tickets, low CSAT.

    Points: usage -30% or worse 30 (-10% or worse 15); payment failed 30, past due 20,
    cancelled 40; renewal within 30 days 10 (within 90: 5); 3+ open tickets 10; any open
    sev-1 10; last CSAT <= 2 15 (3: 5). Capped at 100. Missing inputs add nothing.
    """
    parts = [usage_trend(ctx), renewal_days(ctx), open_tickets(ctx), open_sev1(ctx), last_csat(ctx)]
    reader = _Reader(ctx)
    payment = reader.attr("payment_status")
    trend, renewal, tickets, sev1, csat = (p.value for p in parts)
    score = 0
    if isinstance(trend, float):
        score += 30 if trend <= -30 else 15 if trend <= -10 else 0
    score += {"failed": 30, "past_due": 20, "cancelled": 40}.get(str(payment), 0)
    if isinstance(renewal, int) and renewal >= 0:
        score += 10 if renewal <= 30 else 5 if renewal <= 90 else 0
    score += 10 if isinstance(tickets, int) and tickets >= 3 else 0
    score += 10 if isinstance(sev1, int) and sev1 > 0 else 0
    if isinstance(csat, int):
        score += 15 if csat <= 2 else 5 if csat == 3 else 0
    for part in parts:
        reader.names.extend(part.inputs)
        reader.states.extend(part.weak_inputs)
        reader.undated = reader.undated or part.undated_reason
        if part.provenance is not None:
            reader.observed.append(part.provenance)
    score = min(score, 100)
    return reader.done(score, f"{score}/100")


DERIVED: dict[str, Callable[[DerivedContext], Derived]] = {
    "days_since_last_touch": days_since_last_touch,
    "open_sev1": open_sev1,
    "open_sev1_age": open_sev1_age,
    "open_tickets": open_tickets,
    "sla_breached": sla_breached,
    "escalations_30d": escalations_30d,
    "last_csat": last_csat,
    "arr_band": arr_band,
    "usage_trend": usage_trend,
    "renewal_days": renewal_days,
    "lead_local_time": lead_local_time,
    "lead_in_hours": lead_in_hours,
    "phone_valid": phone_valid,
    "churn_flag": churn_flag,
    "risk_score": risk_score,
}


def derive(name: str, ctx: DerivedContext) -> Derived:
    """Compute the derived signal `name` (a key of DERIVED) for the context's customer."""
    return DERIVED[name](ctx)
