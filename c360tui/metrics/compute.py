"""The metrics of docs/telemetry.md ("Metrics"), computed from a Tally: pure, no I/O.

Each function reads only the tally; `metrics(events)` and the per-metric helpers that take events
are the pure reference the docs' worked examples are checked against.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import TypeVar

from c360tui.metrics.tally import Filter, Tally, tally_events
from c360tui.telemetry.reader import Recorded

UNTRUSTED = ("stale", "conflicted", "missing", "unverified")
TRUST_ORDER = ("trusted", *UNTRUSTED)


# The section id the screens give the ranked signals below the fold ("More signals").
MORE_SIGNALS = "more-signals"


def percentile(histogram: Mapping[int, int], p: float) -> int | None:
    """Nearest-rank percentile: the value at rank ceil(p/100 * n) in sorted order (None: empty)."""
    return percentiles(histogram, (p,))[0]


def percentiles(histogram: Mapping[int, int], ps: Sequence[float]) -> tuple[int | None, ...]:
    """`percentile` at each of `ps`, sorting the histogram once (running counts, then bisect)."""
    values = sorted(histogram)
    running = list(accumulate(map(histogram.__getitem__, values)))
    if not running or running[-1] == 0:
        return tuple(None for _ in ps)
    total = running[-1]
    return tuple(values[bisect_left(running, max(1, math.ceil(p / 100 * total)))] for p in ps)


def median_p90(histogram: Mapping[int, int]) -> tuple[int | None, int | None]:
    """The median and p90 of a histogram (one sort)."""
    median, p90 = percentiles(histogram, (50, 90))
    return median, p90


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

GroupKey = tuple[str, str, str, str]  # (day, role, view, actor)
K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class ActionGroups:
    """A tally's actions grouped once by (day, role, view, actor): per group a histogram of ms
    from view to action, and its overrides. Every time and override metric merges groups, so
    the tally's per-millisecond keys are read once per report, not once per metric."""

    histograms: dict[GroupKey, dict[int, int]]
    overrides: dict[GroupKey, int]

    def by(self, pick: Callable[[GroupKey], K]) -> dict[K, tuple[Counter[int], int]]:
        """Groups merged by `pick` of their key: histogram and overrides of each."""
        merged: dict[K, tuple[Counter[int], int]] = {}
        for key, histogram in self.histograms.items():
            into = pick(key)
            found = merged.get(into)
            if found is None:
                merged[into] = (Counter(histogram), self.overrides.get(key, 0))
            else:
                found[0].update(histogram)
                merged[into] = (found[0], found[1] + self.overrides.get(key, 0))
        return merged


def group_actions(tally: Tally) -> ActionGroups:
    """The tally's actions as `ActionGroups`."""
    histograms: dict[GroupKey, dict[int, int]] = {}
    overrides: dict[GroupKey, int] = {}
    for (day, role, view, actor, ms, override), n in tally.actions.items():
        key = (day, role, view, actor)
        histogram = histograms.get(key)
        if histogram is None:
            histogram = histograms[key] = {}
        histogram[ms] = histogram.get(ms, 0) + n
        if override:
            overrides[key] = overrides.get(key, 0) + n
    return ActionGroups(histograms, overrides)


def open_rates(tally: Tally) -> tuple[OpenRate, ...]:
    """Open rate per role (people and agents together), by role name."""
    presented: Counter[str] = Counter()
    opened: Counter[str] = Counter()
    for (role, _), n in tally.presented.items():
        presented[role] += n
    for (role, _), n in tally.opened.items():
        opened[role] += n
    return tuple(OpenRate(role, presented[role], opened[role]) for role in sorted(presented))


def times_to_decision(
    tally: Tally, groups: ActionGroups | None = None
) -> tuple[TimeToDecision, ...]:
    """Median and p90 ms from view opened to action, per role and view."""
    merged = (groups or group_actions(tally)).by(lambda k: (k[1], k[2]))
    return tuple(
        TimeToDecision(role, view, sum(h.values()), *median_p90(h))
        for (role, view), (h, _) in sorted(merged.items())
    )


def overrides_by_view(tally: Tally, groups: ActionGroups | None = None) -> tuple[OverrideRate, ...]:
    """Overrides over actions per view."""
    merged = (groups or group_actions(tally)).by(lambda k: k[2])
    return tuple(OverrideRate(v, sum(h.values()), n) for v, (h, n) in sorted(merged.items()))


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
    """Per view and field: shown, above the fold, expanded, why, flagged, section opens.

    A ranked signal shown below the fold is in the screens' "More signals" section: its opens
    are that section's.
    """
    shown: Counter[tuple[str, str]] = Counter()
    above: Counter[tuple[str, str]] = Counter()
    section_of: dict[tuple[str, str], str] = {}
    for (view, name, section, above_fold), n in tally.shown.items():
        shown[(view, name)] += n
        above[(view, name)] += n if above_fold else 0
        if section:
            section_of[(view, name)] = section
    opened_with = dict(section_of)
    for view, name, section, above_fold in tally.shown:
        if not section and not above_fold:
            opened_with.setdefault((view, name), MORE_SIGNALS)
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
                tally.sections[(view, opened)] if (opened := opened_with.get((view, name))) else 0,
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


def daily(tally: Tally, groups: ActionGroups | None = None) -> tuple[DayPoint, ...]:
    """Per UTC day with actions: count, median and p90 ms, overrides (oldest day first)."""
    merged = (groups or group_actions(tally)).by(lambda k: k[0])
    return tuple(
        DayPoint(day, sum(h.values()), *median_p90(h), n) for day, (h, n) in sorted(merged.items())
    )


def actor_split(tally: Tally, groups: ActionGroups | None = None) -> tuple[ActorSplit, ...]:
    """rep vs agent: customers presented and opened, actions, time-to-decision, overrides."""
    presented: Counter[str] = Counter()
    opened: Counter[str] = Counter()
    for (_, actor), n in tally.presented.items():
        presented[actor] += n
    for (_, actor), n in tally.opened.items():
        opened[actor] += n
    merged = (groups or group_actions(tally)).by(lambda k: k[3])
    rows = []
    for actor in sorted(set(presented) | set(merged)):
        histogram, overrides = merged.get(actor, (Counter(), 0))
        median, p90 = median_p90(histogram)
        rows.append(
            ActorSplit(
                actor,
                presented[actor],
                opened[actor],
                sum(histogram.values()),
                median,
                p90,
                overrides,
            )
        )
    return tuple(rows)


def from_tally(tally: Tally, groups: ActionGroups | None = None) -> Metrics:
    """Every metric of a tally (`groups`: its `group_actions`, when already made)."""
    groups = groups or group_actions(tally)
    attention = field_attention(tally)
    return Metrics(
        open_rate=open_rates(tally),
        time_to_decision=times_to_decision(tally, groups),
        override_by_view=overrides_by_view(tally, groups),
        override_by_trust=overrides_by_trust(tally),
        field_attention=attention,
        never_touched=never_touched(attention),
        flag_leaks=flag_leaks(tally),
        override_leaks=override_leaks(tally),
        daily=daily(tally, groups),
        actors=actor_split(tally, groups),
    )


def metrics(events: Iterable[Recorded], only: Filter | None = None) -> Metrics:
    """Every metric of a list of telemetry events (the pure reference)."""
    return from_tally(tally_events(events, only))
