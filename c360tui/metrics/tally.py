"""Tallies: the counts every metric is computed from, mergeable across telemetry files.

Two paths fill a `Tally`: `tally_events` (pure Python over typed events, the reference that
docs/telemetry.md defines) and `c360tui.metrics.fast` (SQL over one file, for large files).
Both must produce equal tallies; `c360tui.metrics.compute` turns a tally into the metrics.
Counts add across files because session ids are random UUIDs, never shared between files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from c360tui.telemetry.events import (
    ActionTaken,
    FieldExpanded,
    ProvenanceOpened,
    Search,
    SectionExpanded,
    ValueFlagged,
    ViewOpened,
    customer_of,
)
from c360tui.telemetry.reader import Recorded

OPEN_DWELL_NS = 1_000_000_000  # a view shown this long (gap to the session's next event) was opened
# Events about a customer that show the rep engaged with its view (opened it, whatever the dwell).
ENGAGING = frozenset(
    {
        "action_taken",
        "section_expanded",
        "section_collapsed",
        "field_expanded",
        "field_collapsed",
        "provenance_opened",
        "value_flagged",
        "split_requested",
    }
)

# (role, actor) -> customers presented / opened, each (session, customer) counted once.
OpenKey = tuple[str, str]
# (day, role, view, actor, ms_since_view, override) -> actions.
ActionKey = tuple[str, str, str, str, int, bool]
# (view, override, ((signal id, trust), ...)) -> actions.
DecidingKey = tuple[str, bool, tuple[tuple[str, str], ...]]
# (view, field, section or "", above_fold) -> views that listed the field.
ShownKey = tuple[str, str, str, bool]
# (view, field, kind) -> events; kind is expanded, why or flagged.
TouchKey = tuple[str, str, str]
# (view, field, attribute or "", source system or "", trust) -> values flagged wrong.
FlagKey = tuple[str, str, str, str, str]


@dataclass(frozen=True, slots=True)
class Filter:
    """Which events count: by role, rep, view and actor (None = any)."""

    role: str | None = None
    rep: str | None = None
    view: str | None = None
    actor: str | None = None

    def admits(self, recorded: Recorded) -> bool:
        ctx = recorded.event.ctx
        return (
            (self.role is None or ctx.role == self.role)
            and (self.rep is None or ctx.rep == self.rep)
            and (self.view is None or ctx.view == self.view)
            and (self.actor is None or ctx.actor == self.actor)
        )


@dataclass(slots=True)
class Tally:
    """Counts behind every metric; `merge` adds another file's tally to this one."""

    presented: Counter[OpenKey] = field(default_factory=Counter)
    opened: Counter[OpenKey] = field(default_factory=Counter)
    actions: Counter[ActionKey] = field(default_factory=Counter)
    deciding: Counter[DecidingKey] = field(default_factory=Counter)
    shown: Counter[ShownKey] = field(default_factory=Counter)
    touches: Counter[TouchKey] = field(default_factory=Counter)
    sections: Counter[tuple[str, str]] = field(default_factory=Counter)  # (view, section) opened
    flags: Counter[FlagKey] = field(default_factory=Counter)

    def merge(self, other: Tally) -> Tally:
        """This tally plus `other` (in place; returns self)."""
        self.presented.update(other.presented)
        self.opened.update(other.opened)
        self.actions.update(other.actions)
        self.deciding.update(other.deciding)
        self.shown.update(other.shown)
        self.touches.update(other.touches)
        self.sections.update(other.sections)
        self.flags.update(other.flags)
        return self

    def remove(self, part: Tally) -> Tally:
        """This tally minus `part`, a tally of some of the same sessions (in place; returns self).

        Counts that reach zero are dropped, as a tally that never had them would not hold them.
        """
        self.presented -= part.presented
        self.opened -= part.opened
        self.actions -= part.actions
        self.deciding -= part.deciding
        self.shown -= part.shown
        self.touches -= part.touches
        self.sections -= part.sections
        self.flags -= part.flags
        return self


def by_session(events: Iterable[Recorded]) -> dict[str, list[Recorded]]:
    """Each session's events in the order they happened (by seq)."""
    sessions: dict[str, list[Recorded]] = {}
    for recorded in events:
        sessions.setdefault(recorded.event.ctx.session_id, []).append(recorded)
    for items in sessions.values():
        items.sort(key=lambda r: r.seq)
    return sessions


def dwell_ns(session: Sequence[Recorded], index: int) -> int | None:
    """How long event `index` stayed current: the gap to the session's next event (None: last)."""
    if index + 1 >= len(session):
        return None
    return session[index + 1].mono_ns - session[index].mono_ns


def settled(session: Sequence[Recorded], index: int) -> bool:
    """A search is settled when the rep stopped typing: the next event is not another search."""
    return index + 1 >= len(session) or session[index + 1].type != "search"


def _open_counts(session: Sequence[Recorded], only: Filter, tally: Tally) -> None:
    """Customers presented to and opened by each (role, actor) in one session."""
    presented: set[tuple[str, str, str]] = set()  # (role, actor, customer)
    opened: set[tuple[str, str, str]] = set()
    for index, recorded in enumerate(session):
        event = recorded.event
        role = event.ctx.role
        if role is None or not only.admits(recorded):
            continue
        who = (role, event.ctx.actor)
        if isinstance(event, ViewOpened):
            presented.add((*who, event.customer_id))
            dwell = dwell_ns(session, index)
            if dwell is not None and dwell >= OPEN_DWELL_NS:
                opened.add((*who, event.customer_id))
        elif isinstance(event, Search) and settled(session, index):
            presented.update((*who, customer) for customer in event.customer_ids)
        elif event.type in ENGAGING:
            customer = customer_of(event)
            if customer is not None:
                opened.add((*who, customer))
    presented |= opened
    for role, actor, _ in presented:
        tally.presented[(role, actor)] += 1
    for role, actor, _ in opened:
        tally.opened[(role, actor)] += 1


def _count_event(recorded: Recorded, tally: Tally) -> None:
    """Add one event's action, shown, touch and flag counts."""
    event = recorded.event
    view = event.ctx.view or ""
    if isinstance(event, ActionTaken):
        day = recorded.wall_time.date().isoformat()
        role = event.ctx.role or ""
        tally.actions[(day, role, view, event.ctx.actor, event.ms_since_view, event.override)] += 1
        deciding = tuple((s.id, s.trust) for s in event.deciding)
        tally.deciding[(view, event.override, deciding)] += 1
    elif isinstance(event, ViewOpened):
        for signal in event.signals:
            tally.shown[(view, signal.id, signal.section or "", signal.above_fold)] += 1
    elif isinstance(event, FieldExpanded):
        tally.touches[(view, event.signal_id, "expanded")] += 1
    elif isinstance(event, ProvenanceOpened):
        tally.touches[(view, event.signal_id, "why")] += 1
    elif isinstance(event, ValueFlagged):
        tally.touches[(view, event.signal_id, "flagged")] += 1
        key = (view, event.signal_id, event.attribute or "", event.source_system or "")
        tally.flags[(*key, event.trust)] += 1
    elif isinstance(event, SectionExpanded):
        tally.sections[(view, event.section_id)] += 1


def tally_events(events: Iterable[Recorded], only: Filter | None = None) -> Tally:
    """The reference tally of a list of events (any files, any order).

    How long a view stayed up is measured on the whole session; `only` then picks which
    events count, so filtering by role never changes a view's dwell.
    """
    only = only or Filter()
    tally = Tally()
    for session in by_session(events).values():
        _open_counts(session, only, tally)
        for recorded in session:
            if only.admits(recorded):
                _count_event(recorded, tally)
    return tally
