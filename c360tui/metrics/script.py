"""Hand-built telemetry sessions: the worked examples of docs/telemetry.md and test fixtures.

`SessionScript` writes a session as a list of timed steps (seconds since the session started)
and yields the `Recorded` events a reader would return; `write_events` puts such events in a real
telemetry file through the real writer, with the recorded clocks injected.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from c360tui.telemetry.events import (
    ActionTaken,
    Actor,
    Context,
    Event,
    FieldExpanded,
    FreshnessState,
    ProvenanceOpened,
    QueuePresented,
    ScreenOpened,
    Search,
    SectionExpanded,
    SessionEnd,
    SessionStart,
    ShownSignal,
    SignalTrust,
    TrustState,
    ValueFlagged,
    Via,
    ViewOpened,
)
from c360tui.telemetry.reader import Recorded
from c360tui.telemetry.writer import TelemetryWriter

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def signal(
    signal_id: str,
    trust: TrustState = "trusted",
    *,
    rank: int = 1,
    above_fold: bool = True,
    section: str | None = None,
    freshness: FreshnessState = "fresh",
) -> ShownSignal:
    """A shown signal with the defaults a worked example leaves out."""
    return ShownSignal(
        signal_id,
        trust,
        freshness,
        rank,
        above_fold and section is None,
        section,
        age_seconds=3600.0,
        budget_seconds=86400.0,
    )


def layout(
    above: Sequence[str], below: Sequence[str] = (), **sections: Sequence[str]
) -> tuple[ShownSignal, ...]:
    """All-trusted signals: ranked above and below the fold, then each section's."""
    ranked = [signal(s, rank=i + 1) for i, s in enumerate(above)]
    ranked += [signal(s, rank=len(above) + i + 1, above_fold=False) for i, s in enumerate(below)]
    detail = [
        signal(s, rank=i + 1, section=name)
        for name, ids in sections.items()
        for i, s in enumerate(ids)
    ]
    return (*ranked, *detail)


class SessionScript:
    """One session's events at given seconds after `start`, in the order they are added."""

    def __init__(
        self,
        session_id: str,
        role: str,
        view: str,
        *,
        rep: str = "rep-a",
        actor: Actor = "rep",
        start: datetime = START,
        signals: tuple[ShownSignal, ...] = (),
        spec_version: str = "1",
    ) -> None:
        self.base = Context(session_id, actor, rep)
        self.ctx = self.base.with_view(role, view, spec_version)
        self.start = start
        self.signals = signals
        self.recorded: list[Recorded] = []
        self._shown: dict[str, tuple[float, ViewOpened]] = {}

    def _add(self, at: float, event: Event) -> SessionScript:
        wall = self.start + timedelta(seconds=at)
        mono = round(at * 1e9)
        self.recorded.append(
            Recorded(len(self.recorded) + 1, len(self.recorded), wall, mono, event)
        )
        return self

    def begin(self, at: float = 0.0) -> SessionScript:
        return self._add(at, SessionStart(self.base, "0.1.0", 120, 40))

    def end(self, at: float) -> SessionScript:
        return self._add(at, SessionEnd(self.base, "quit"))

    def screen(self, at: float, screen: str) -> SessionScript:
        return self._add(at, ScreenOpened(self.ctx, screen))

    def queue(self, at: float, customers: Sequence[str]) -> SessionScript:
        return self._add(at, QueuePresented(self.ctx, self.ctx.view or "queue", tuple(customers)))

    def search(self, at: float, customers: Sequence[str], length: int = 8) -> SessionScript:
        return self._add(at, Search(self.ctx, len(customers), length, "name", tuple(customers)))

    def view(
        self,
        at: float,
        customer: str,
        *,
        via: Via = "queue",
        recommended: str = "call",
        signals: tuple[ShownSignal, ...] | None = None,
    ) -> SessionScript:
        event = ViewOpened(self.ctx, customer, via, signals or self.signals, recommended)
        self._shown[customer] = (at, event)
        return self._add(at, event)

    def act(self, at: float, customer: str, action: str) -> SessionScript:
        """The action on the customer's last shown view: its recommendation, ms since, deciding."""
        shown_at, view = self._shown[customer]
        deciding = tuple(
            SignalTrust(s.id, s.trust, s.freshness) for s in view.signals if s.above_fold
        )
        ms = round((at - shown_at) * 1000)
        event = ActionTaken(self.ctx, customer, action, view.recommended_action, ms, deciding)
        return self._add(at, event)

    def section(self, at: float, customer: str, section: str) -> SessionScript:
        return self._add(at, SectionExpanded(self.ctx, customer, section))

    def expand(self, at: float, customer: str, signal_id: str) -> SessionScript:
        return self._add(at, FieldExpanded(self.ctx, customer, signal_id))

    def why(self, at: float, customer: str, signal_id: str) -> SessionScript:
        return self._add(
            at, ProvenanceOpened(self.ctx, customer, signal_id, self._trust(customer, signal_id))
        )

    def flag(
        self,
        at: float,
        customer: str,
        signal_id: str,
        source: str | None,
        attribute: str | None = None,
    ) -> SessionScript:
        trust = self._trust(customer, signal_id)
        event = ValueFlagged(self.ctx, customer, signal_id, attribute or signal_id, trust, source)
        return self._add(at, event)

    def _trust(self, customer: str, signal_id: str) -> TrustState:
        _, view = self._shown[customer]
        return next(s.trust for s in view.signals if s.id == signal_id)


def merged(*scripts: SessionScript) -> list[Recorded]:
    """The events of several sessions in wall-time order, with file row ids."""
    events = sorted(
        (r for s in scripts for r in s.recorded),
        key=lambda r: (r.wall_time, r.event.ctx.session_id, r.seq),
    )
    return [Recorded(i + 1, r.seq, r.wall_time, r.mono_ns, r.event) for i, r in enumerate(events)]


def write_events(path: Path, events: Iterable[Recorded]) -> None:
    """Write events to a telemetry file through the real writer, keeping their clocks."""
    items = sorted(events, key=lambda r: (r.event.ctx.session_id, r.seq))
    walls = iter([r.wall_time for r in items])
    monos = iter([r.mono_ns for r in items])
    with TelemetryWriter(
        path, wall=lambda: next(walls), monotonic_ns=lambda: next(monos)
    ) as writer:
        for recorded in items:
            writer.record(recorded.event)


_VIEWS = {
    "sdr": ("sdr_call_now", ["intent", "do_not_contact", "lead_in_hours"], ["web_visits"]),
    "support": ("support_close_case", ["open_sev1", "tier"], ["sla"]),
    "csm": ("csm_at_risk", ["churn_flag", "usage_trend"], ["nps"]),
}
_ACTORS: tuple[Actor, ...] = ("rep", "rep", "agent")
_TRUSTS: list[TrustState] = [
    "trusted",
    "trusted",
    "trusted",
    "stale",
    "conflicted",
    "missing",
    "unverified",
]


def random_session(rng: random.Random, number: int) -> SessionScript:
    """A session of plausible shape, for tests: searches or a queue, views, touches, actions;
    one in five never ends (an app killed before its session_end)."""
    role = rng.choice(sorted(_VIEWS))
    view, above, below = _VIEWS[role]
    script = SessionScript(
        f"S{number}",
        role,
        view,
        rep=f"rep-{rng.randint(1, 3)}",
        actor=rng.choice(_ACTORS),
        start=START + timedelta(days=rng.randint(0, 4), hours=rng.randint(0, 8)),
        signals=layout(above, below, contact=["phone", "email"]),
    )
    at = 0.0
    script.begin(at)
    customers = [f"C-{rng.randint(1, 40)}" for _ in range(rng.randint(1, 6))]
    if role != "support":
        script.queue(at, customers)
    for customer in customers:
        if role == "support":
            for _ in range(rng.randint(1, 3)):
                at += rng.uniform(0.1, 0.6)
                script.search(at, rng.sample([customer, "C-90", "C-91", "C-92"], rng.randint(1, 4)))
        at += rng.uniform(0.05, 2.0)
        shown = tuple(
            signal(
                s.id, rng.choice(_TRUSTS), rank=s.rank, above_fold=s.above_fold, section=s.section
            )
            for s in script.signals
        )
        script.view(at, customer, via="search" if role == "support" else "queue", signals=shown)
        for _ in range(rng.randint(0, 3)):
            at += rng.uniform(0.1, 3.0)
            kind = rng.choice(["why", "expand", "section", "flag"])
            target = rng.choice([*above, *below, "phone", "email"])
            if kind == "why":
                script.why(at, customer, target)
            elif kind == "expand":
                script.expand(at, customer, target)
            elif kind == "section":
                script.section(at, customer, "contact")
            else:
                script.flag(at, customer, target, rng.choice(["crm", "billing", None]))
        if rng.random() < 0.7:
            at += rng.uniform(0.2, 20.0)
            script.act(at, customer, rng.choice(["call", "email", "snooze"]))
    if rng.random() < 0.8:
        script.end(at + rng.uniform(0.1, 5.0))
    return script
