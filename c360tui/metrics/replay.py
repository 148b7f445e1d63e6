"""The replay model: the sessions list, and one session as ordered steps to step or play through.

Pure: built from recorded events only. Each step carries the decision view as the rep saw it at
that moment — the signals, trust states and freshness recorded in the `view_opened` event, with
the flags, open sections and expanded fields of that view so far — so a replay shows what was on
screen then, even if the customer has changed since. Gaps come from the monotonic clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from c360tui.telemetry.events import (
    ActionTaken,
    FieldCollapsed,
    FieldExpanded,
    ProvenanceOpened,
    ScreenOpened,
    SectionCollapsed,
    SectionExpanded,
    ShownSignal,
    ValueFlagged,
    ViewOpened,
    customer_of,
)
from c360tui.telemetry.reader import Recorded

# Screens that come up over a decision view without replacing it.
MODALS = frozenset({"help", "identity", "why"})
# Events after which the rep no longer has a decision view in front of them.
CLEARS = frozenset({"search", "queue_presented", "session_end"})


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One row of the sessions list."""

    session_id: str
    rep: str
    actor: str
    roles: tuple[str, ...]
    start: datetime
    seconds: float
    customers: int
    actions: int
    overrides: int
    events: int

    @property
    def role(self) -> str:
        """The session's roles as one label ("sdr", "sdr+support"; "" before any role)."""
        return "+".join(self.roles)


@dataclass(frozen=True, slots=True)
class ShownView:
    """A decision view as the rep saw it: recorded signals plus what they did to it so far."""

    customer_id: str
    role: str | None
    view: str | None
    spec_version: str | None
    via: str
    recommended_action: str
    agent_ready: bool
    signals: tuple[ShownSignal, ...]
    flagged: frozenset[str] = frozenset()  # signals flagged wrong in this view
    open_sections: frozenset[str] = frozenset()
    expanded: frozenset[str] = frozenset()  # signals whose detail is open

    @property
    def above_fold(self) -> tuple[ShownSignal, ...]:
        return tuple(s for s in self.signals if s.above_fold)

    def signal(self, signal_id: str) -> ShownSignal | None:
        return next((s for s in self.signals if s.id == signal_id), None)


@dataclass(frozen=True, slots=True)
class Step:
    """One event of a session, in order, with the view on screen after it and the time around it.

    `target` is the signal or section the event is about (what to highlight); `offset_ms` is
    the time since the session's first event and `gap_ms` since the previous step.
    """

    index: int
    seq: int
    at: datetime
    offset_ms: int
    gap_ms: int
    type: str
    customer_id: str | None
    target: str | None
    view: ShownView | None
    action: str | None = None
    recommended_action: str | None = None
    override: bool | None = None
    ms_since_view: int | None = None
    screen: str | None = None


def sessions(events: Iterable[Recorded]) -> list[SessionSummary]:
    """Every session in the events, oldest first: rep, role, start, length, customers, actions."""
    grouped: dict[str, list[Recorded]] = {}
    for recorded in events:
        grouped.setdefault(recorded.event.ctx.session_id, []).append(recorded)
    rows = []
    for session_id, items in grouped.items():
        items.sort(key=lambda r: r.seq)
        actions = [r.event for r in items if isinstance(r.event, ActionTaken)]
        roles = sorted({r.event.ctx.role for r in items if r.event.ctx.role is not None})
        first = items[0]
        rows.append(
            SessionSummary(
                session_id=session_id,
                rep=first.event.ctx.rep,
                actor=first.event.ctx.actor,
                roles=tuple(roles),
                start=min(r.wall_time for r in items),
                seconds=(max(r.mono_ns for r in items) - min(r.mono_ns for r in items)) / 1e9,
                customers=len({c for r in items if (c := customer_of(r.event)) is not None}),
                actions=len(actions),
                overrides=sum(a.override for a in actions),
                events=len(items),
            )
        )
    return sorted(rows, key=lambda s: (s.start, s.session_id))


def _target(event: object) -> str | None:
    if isinstance(event, FieldExpanded | FieldCollapsed | ProvenanceOpened | ValueFlagged):
        return event.signal_id
    if isinstance(event, SectionExpanded | SectionCollapsed):
        return event.section_id
    return None


def _next_view(current: ShownView | None, recorded: Recorded) -> ShownView | None:
    """The view on screen after this event."""
    event = recorded.event
    if isinstance(event, ViewOpened):
        ctx = event.ctx
        return ShownView(
            event.customer_id,
            ctx.role,
            ctx.view,
            ctx.spec_version,
            event.via,
            event.recommended_action,
            event.agent_ready,
            event.signals,
            flagged=frozenset(s.id for s in event.signals if s.flagged),
        )
    if event.type in CLEARS or (isinstance(event, ScreenOpened) and event.screen not in MODALS):
        return None
    if current is None or customer_of(event) != current.customer_id:
        return current
    if isinstance(event, ValueFlagged):
        return replace(current, flagged=current.flagged | {event.signal_id})
    if isinstance(event, SectionExpanded):
        return replace(current, open_sections=current.open_sections | {event.section_id})
    if isinstance(event, SectionCollapsed):
        return replace(current, open_sections=current.open_sections - {event.section_id})
    if isinstance(event, FieldExpanded):
        return replace(current, expanded=current.expanded | {event.signal_id})
    if isinstance(event, FieldCollapsed):
        return replace(current, expanded=current.expanded - {event.signal_id})
    return current


def steps(session: Sequence[Recorded]) -> list[Step]:
    """One session's events as replay steps, in the order they happened."""
    ordered = sorted(session, key=lambda r: r.seq)
    if not ordered:
        return []
    start_ns = ordered[0].mono_ns
    previous_ns = start_ns
    view: ShownView | None = None
    out: list[Step] = []
    for index, recorded in enumerate(ordered):
        event = recorded.event
        view = _next_view(view, recorded)
        action = event if isinstance(event, ActionTaken) else None
        out.append(
            Step(
                index=index,
                seq=recorded.seq,
                at=recorded.wall_time,
                offset_ms=(recorded.mono_ns - start_ns) // 1_000_000,
                gap_ms=(recorded.mono_ns - previous_ns) // 1_000_000,
                type=event.type,
                customer_id=customer_of(event),
                target=_target(event),
                view=view,
                action=action.action if action else None,
                recommended_action=action.recommended_action if action else None,
                override=action.override if action else None,
                ms_since_view=action.ms_since_view if action else None,
                screen=event.screen if isinstance(event, ScreenOpened) else None,
            )
        )
        previous_ns = recorded.mono_ns
    return out


def describe(step: Step) -> str:
    """A short plain-text line for a step (ids only; render it as plain text, not markup)."""
    who = f" {step.customer_id}" if step.customer_id else ""
    if step.type == "action_taken":
        verdict = f"overrode {step.recommended_action}" if step.override else "as recommended"
        return f"{step.action}{who} ({verdict}, {step.ms_since_view} ms after the view opened)"
    if step.type == "view_opened" and step.view is not None:
        return f"view{who} via {step.view.via}, recommends {step.view.recommended_action}"
    if step.type == "screen_opened":
        return f"screen {step.screen}"
    if step.target is not None:
        trust = ""
        if step.view is not None and (shown := step.view.signal(step.target)) is not None:
            trust = f" ({shown.trust})"
        return f"{step.type.replace('_', ' ')}: {step.target}{trust}{who}"
    return step.type.replace("_", " ") + who
