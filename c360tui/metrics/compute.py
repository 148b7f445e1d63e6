"""The metrics of docs/telemetry.md ("Metrics"), computed from a Tally: pure, no I/O.

Each function reads only the tally; `metrics(events)` and the per-metric helpers that take events
are the pure reference the docs' worked examples are checked against.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from c360tui.metrics.tally import Filter, Tally, tally_events
from c360tui.telemetry.reader import Recorded

UNTRUSTED = ("stale", "conflicted", "missing", "unverified")
TRUST_ORDER = ("trusted", *UNTRUSTED)


def percentile(histogram: Mapping[int, int], p: float) -> int | None:
    """Nearest-rank percentile: the value at rank ceil(p/100 * n) in sorted order (None: empty)."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(p / 100 * total))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable: rank is at most the total")


def rate(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide by."""
    return part / whole if whole else None


@dataclass(frozen=True, slots=True)
class OpenRate:
    """Customers whose decision view was opened over customers presented, for one role."""

    role: str
    presented: int
    opened: int

    @property
    def rate(self) -> float | None:
        return rate(self.opened, self.presented)


@dataclass(frozen=True, slots=True)
class TimeToDecision:
    """Milliseconds from view opened to action: median and p90 (nearest rank), one role and view."""

    role: str
    view: str
    actions: int
    median_ms: int | None
    p90_ms: int | None


@dataclass(frozen=True, slots=True)
class OverrideRate:
    """Overrides over actions for one group (a view, a trust state, a day...)."""

    group: str
    actions: int
    overrides: int

    @property
    def rate(self) -> float | None:
        return rate(self.overrides, self.actions)


@dataclass(frozen=True, slots=True)
class FieldAttention:
    """How a field fared: views that showed it, and how often it was expanded, asked why, flagged.

    `section_opens` counts expansions of the detail section the field sits in (0 for ranked
    signals); `touched` is expanded + why + flagged.
    """

    view: str
    field: str
    section: str
    shown: int
    above_fold: int
    expanded: int
    why: int
    flagged: int
    section_opens: int

    @property
    def touched(self) -> int:
        return self.expanded + self.why + self.flagged


@dataclass(frozen=True, slots=True)
class FlagLeak:
    """Values flagged wrong for one field and the source system of the flagged value."""

    view: str
    field: str
    attribute: str
    source: str
    flags: int
    trust: tuple[tuple[str, int], ...]  # trust state of the flagged value -> flags


@dataclass(frozen=True, slots=True)
class OverrideLeak:
    """Overrides taken while a deciding field was not trusted, by field and its trust state."""

    view: str
    field: str
    trust: str
    actions: int
    overrides: int

    @property
    def rate(self) -> float | None:
        return rate(self.overrides, self.actions)


@dataclass(frozen=True, slots=True)
class DayPoint:
    """One day (UTC) of decisions: time-to-decision and override rate, for the dashboard charts."""

    day: str
    actions: int
    median_ms: int | None
    p90_ms: int | None
    overrides: int

    @property
    def override_rate(self) -> float | None:
        return rate(self.overrides, self.actions)


@dataclass(frozen=True, slots=True)
class ActorSplit:
    """People and agents side by side: open rate, decisions, time-to-decision, overrides."""

    actor: str
    presented: int
    opened: int
    actions: int
    median_ms: int | None
    p90_ms: int | None
    overrides: int

    @property
    def open_rate(self) -> float | None:
        return rate(self.opened, self.presented)

    @property
    def override_rate(self) -> float | None:
        return rate(self.overrides, self.actions)


@dataclass(frozen=True, slots=True)
class Metrics:
    """Every metric of one report."""

    open_rate: tuple[OpenRate, ...]
    time_to_decision: tuple[TimeToDecision, ...]
    override_by_view: tuple[OverrideRate, ...]
    override_by_trust: tuple[OverrideRate, ...]
    field_attention: tuple[FieldAttention, ...]
    never_touched: tuple[tuple[str, str], ...]  # (view, field)
    flag_leaks: tuple[FlagLeak, ...]
    override_leaks: tuple[OverrideLeak, ...]
    daily: tuple[DayPoint, ...]
    actors: tuple[ActorSplit, ...]


# ---------------------------------------------------------------------------- from a tally


def open_rates(tally: Tally) -> tuple[OpenRate, ...]:
    """Open rate per role (people and agents together), by role name."""
    presented: Counter[str] = Counter()
    opened: Counter[str] = Counter()
    for (role, _), n in tally.presented.items():
        presented[role] += n
    for (role, _), n in tally.opened.items():
        opened[role] += n
    return tuple(OpenRate(role, presented[role], opened[role]) for role in sorted(presented))


def times_to_decision(tally: Tally) -> tuple[TimeToDecision, ...]:
    """Median and p90 ms from view opened to action, per role and view."""
    groups: dict[tuple[str, str], Counter[int]] = {}
    for (_, role, view, _, ms, _), n in tally.actions.items():
        histogram = groups.get((role, view))
        if histogram is None:
            histogram = groups[(role, view)] = Counter()
        histogram[ms] += n
    return tuple(
        TimeToDecision(role, view, sum(h.values()), percentile(h, 50), percentile(h, 90))
        for (role, view), h in sorted(groups.items())
    )


def overrides_by_view(tally: Tally) -> tuple[OverrideRate, ...]:
    """Overrides over actions per view."""
    actions: Counter[str] = Counter()
    overrides: Counter[str] = Counter()
    for (_, _, view, _, _, override), n in tally.actions.items():
        actions[view] += n
        overrides[view] += n if override else 0
    return tuple(OverrideRate(v, actions[v], overrides[v]) for v in sorted(actions))


def overrides_by_trust(tally: Tally) -> tuple[OverrideRate, ...]:
    """Overrides over actions per trust state: an action counts once under each distinct trust
    state among its deciding signals."""
    actions: Counter[str] = Counter()
    overrides: Counter[str] = Counter()
    for (_, override, deciding), n in tally.deciding.items():
        for trust in {t for _, t in deciding}:
            actions[trust] += n
            overrides[trust] += n if override else 0
    order = [t for t in TRUST_ORDER if t in actions] + sorted(set(actions) - set(TRUST_ORDER))
    return tuple(OverrideRate(t, actions[t], overrides[t]) for t in order)


def field_attention(tally: Tally) -> tuple[FieldAttention, ...]:
    """Per view and field: shown, above the fold, expanded, why, flagged, section opens."""
    shown: Counter[tuple[str, str]] = Counter()
    above: Counter[tuple[str, str]] = Counter()
    section_of: dict[tuple[str, str], str] = {}
    for (view, name, section, above_fold), n in tally.shown.items():
        shown[(view, name)] += n
        above[(view, name)] += n if above_fold else 0
        if section:
            section_of[(view, name)] = section
    fields = set(shown) | {(view, name) for view, name, _ in tally.touches}
    rows = []
    for view, name in sorted(fields):
        section = section_of.get((view, name), "")
        rows.append(
            FieldAttention(
                view,
                name,
                section,
                shown[(view, name)],
                above[(view, name)],
                tally.touches[(view, name, "expanded")],
                tally.touches[(view, name, "why")],
                tally.touches[(view, name, "flagged")],
                tally.sections[(view, section)] if section else 0,
            )
        )
    return tuple(rows)


def never_touched(attention: Iterable[FieldAttention]) -> tuple[tuple[str, str], ...]:
    """Fields shown at least once and never expanded, asked why about or flagged."""
    return tuple((a.view, a.field) for a in attention if a.shown and not a.touched)


def flag_leaks(tally: Tally) -> tuple[FlagLeak, ...]:
    """Flags by view, field, attribute and source system, most flagged first."""
    groups: dict[tuple[str, str, str, str], Counter[str]] = {}
    for (view, name, attribute, source, trust), n in tally.flags.items():
        groups.setdefault((view, name, attribute, source), Counter())[trust] += n
    leaks = [
        FlagLeak(*key, sum(trusts.values()), tuple(sorted(trusts.items())))
        for key, trusts in groups.items()
    ]
    return tuple(sorted(leaks, key=lambda x: (-x.flags, x.view, x.field, x.source)))


def override_leaks(tally: Tally) -> tuple[OverrideLeak, ...]:
    """Per view, deciding field and untrusted state: actions and overrides, most overrides first.

    Only groups with at least one override are listed.
    """
    actions: Counter[tuple[str, str, str]] = Counter()
    overrides: Counter[tuple[str, str, str]] = Counter()
    for (view, override, deciding), n in tally.deciding.items():
        for key in {(view, name, trust) for name, trust in deciding if trust in UNTRUSTED}:
            actions[key] += n
            overrides[key] += n if override else 0
    leaks = [OverrideLeak(*key, actions[key], overrides[key]) for key in actions if overrides[key]]
    return tuple(sorted(leaks, key=lambda x: (-x.overrides, x.view, x.field, x.trust)))


def daily(tally: Tally) -> tuple[DayPoint, ...]:
    """Per UTC day with actions: count, median and p90 ms, overrides (oldest day first)."""
    times: dict[str, Counter[int]] = {}
    overrides: Counter[str] = Counter()
    for (day, _, _, _, ms, override), n in tally.actions.items():
        histogram = times.get(day)
        if histogram is None:
            histogram = times[day] = Counter()
        histogram[ms] += n
        overrides[day] += n if override else 0
    return tuple(
        DayPoint(day, sum(h.values()), percentile(h, 50), percentile(h, 90), overrides[day])
        for day, h in sorted(times.items())
    )


def actor_split(tally: Tally) -> tuple[ActorSplit, ...]:
    """rep vs agent: customers presented and opened, actions, time-to-decision, overrides."""
    presented: Counter[str] = Counter()
    opened: Counter[str] = Counter()
    times: dict[str, Counter[int]] = {}
    overrides: Counter[str] = Counter()
    for (_, actor), n in tally.presented.items():
        presented[actor] += n
    for (_, actor), n in tally.opened.items():
        opened[actor] += n
    for (_, _, _, actor, ms, override), n in tally.actions.items():
        histogram = times.get(actor)
        if histogram is None:
            histogram = times[actor] = Counter()
        histogram[ms] += n
        overrides[actor] += n if override else 0
    actors = sorted(set(presented) | set(times))
    return tuple(
        ActorSplit(
            actor,
            presented[actor],
            opened[actor],
            sum(times.get(actor, Counter()).values()),
            percentile(times.get(actor, Counter()), 50),
            percentile(times.get(actor, Counter()), 90),
            overrides[actor],
        )
        for actor in actors
    )


def from_tally(tally: Tally) -> Metrics:
    """Every metric of a tally."""
    attention = field_attention(tally)
    return Metrics(
        open_rate=open_rates(tally),
        time_to_decision=times_to_decision(tally),
        override_by_view=overrides_by_view(tally),
        override_by_trust=overrides_by_trust(tally),
        field_attention=attention,
        never_touched=never_touched(attention),
        flag_leaks=flag_leaks(tally),
        override_leaks=override_leaks(tally),
        daily=daily(tally),
        actors=actor_split(tally),
    )


def metrics(events: Iterable[Recorded], only: Filter | None = None) -> Metrics:
    """Every metric of a list of telemetry events (the pure reference)."""
    return from_tally(tally_events(events, only))
