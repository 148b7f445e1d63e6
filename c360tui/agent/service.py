"""The tool logic behind `c360 mcp`: find customers, read views and profiles, record an action.

Plain functions over an open Store and the loaded view specs, with the clock and the telemetry
recorder injected, so tests call them without any MCP machinery. Every bad argument is an
AgentError whose message is one sentence an agent can act on; nothing here prints.

Telemetry: every call that a rep's screen would record is recorded the same way, with the
session's actor set to "agent": a search (length and kind of the query, never its text), a view
fetched (view_opened) and an action (action_taken, override derived from the recommendation).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from c360tui.agent.profile import CustomerProfile, build_profile
from c360tui.core.decision import build_decision_view
from c360tui.core.decision_model import DecisionView
from c360tui.core.sources_spec import SourcesSpec
from c360tui.core.view_spec import ViewSpec
from c360tui.telemetry import view_events
from c360tui.telemetry.events import Context, Event, Search, Via
from c360tui.telemetry.writer import NullWriter, Recorder
from c360tui.text_safety import printable

if TYPE_CHECKING:
    from c360tui.store import Store

MAX_QUERY = 200
MAX_ID = 200
MAX_REASON = 1000
MAX_RESULTS = 50


class AgentError(Exception):
    """A bad tool argument or a refused call: the message is the tool error the agent reads."""


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CustomerCandidate(_Out):
    """One customer a query matched, and why ("phone +14155550100")."""

    customer_id: str
    display_name: str
    company: str
    matched_field: str
    why: str
    score: float


class FindResult(_Out):
    """Candidates for a query, best first; `exact` marks an exact key match (email, phone, id)."""

    candidates: list[CustomerCandidate]
    exact: bool
    note: str


class ActionInfo(_Out):
    id: str
    label: str
    primary: bool


class ViewInfo(_Out):
    """A view spec an agent can ask for: its decision, the signals it reads, its actions."""

    name: str
    version: str
    role: str
    title: str
    decision: str
    signals: list[str]
    actions: list[ActionInfo]


class ViewList(_Out):
    views: list[ViewInfo]


class ActionResult(_Out):
    """What record_action recorded: the action against the view's recommendation."""

    customer_id: str
    view: str
    action: str
    recommended_action: str
    override: bool
    agent_ready: bool
    recorded: bool
    reason: str


class AgentService:
    """The tools over one store; calls are serialised (the Store is one-thread-at-a-time)."""

    def __init__(
        self,
        store: Store,
        views: Mapping[str, ViewSpec],
        clock: Callable[[], datetime],
        *,
        sources: SourcesSpec | None = None,
        recorder: Recorder | None = None,
        ctx: Context | None = None,
    ) -> None:
        self.store = store
        self.views = dict(views)
        self.clock = clock
        self.sources = sources
        self.recorder: Recorder = recorder if recorder is not None else NullWriter()
        self.ctx = ctx if ctx is not None else Context.start(actor="agent")
        self.rejected_events = 0
        self._lock = threading.Lock()
        self._offered: set[str] = set()
        self._opened_ns: dict[tuple[str, str], int] = {}

    # ------------------------------------------------------------------ tools
    def find_customers(self, query: str, limit: int = 10) -> FindResult:
        """Customers matching a phone, email, account id, name or company, each with why."""
        text = _text_arg(query, "query", MAX_QUERY).strip()
        if not text:
            raise AgentError("query is empty; pass a phone, email, account id, name or company.")
        if not 1 <= limit <= MAX_RESULTS:
            raise AgentError(f"limit must be between 1 and {MAX_RESULTS}; it was {limit}.")
        with self._lock:
            hits = self.store.search(text, limit=limit)
        candidates = [
            CustomerCandidate(
                customer_id=hit.customer_id,
                display_name=hit.display_name,
                company=hit.company,
                matched_field=hit.field,
                why=hit.why,
                score=hit.score,
            )
            for hit in hits
        ]
        ids = [c.customer_id for c in candidates]
        self._offered.update(ids)
        self._record(lambda: Search.of_query(self.ctx, text, ids))
        exact_ids = {c.customer_id for c in candidates if c.score >= 1.0}
        return FindResult(
            candidates=candidates, exact=len(exact_ids) == 1, note=_find_note(candidates, exact_ids)
        )

    def list_views(self) -> ViewList:
        """Every view spec loaded, sorted by name."""
        return ViewList(
            views=[
                ViewInfo(
                    name=spec.name,
                    version=spec.version,
                    role=spec.role,
                    title=spec.title,
                    decision=spec.decision,
                    signals=[s.id for s in spec.all_signals()],
                    actions=[
                        ActionInfo(id=a.id, label=a.label, primary=a.primary) for a in spec.actions
                    ],
                )
                for _, spec in sorted(self.views.items())
            ]
        )

    def get_decision_view(self, customer_id: str, view: str) -> DecisionView:
        """The decision view a rep's screen shows for this customer, as of the clock's time."""
        decision = self._decision(customer_id, view)
        key = (decision.view, decision.customer_id)
        self._opened_ns[key] = self.recorder.now_ns()
        via: Via = "search" if decision.customer_id in self._offered else "direct"
        self._record(lambda: view_events.view_opened(self.ctx, decision, via))
        return decision

    def get_profile(self, customer_id: str, view: str | None = None) -> CustomerProfile:
        """Every attribute of the customer with trust and provenance; budgets from `view`."""
        spec = self._view(view) if view is not None else None
        ident = self._customer_id(customer_id)
        with self._lock:
            customer = self.store.load_customer(ident)
        if customer is None:
            raise _no_customer(ident)
        return build_profile(customer, self.clock(), view=spec, sources=self.sources)

    def record_action(self, customer_id: str, view: str, action: str, reason: str) -> ActionResult:
        """Record that the agent took `action`; refused unless the view is agent-ready now."""
        spec = self._view(view)
        action_id = _text_arg(action, "action", MAX_ID).strip()
        known = [a.id for a in spec.actions]
        if action_id not in known:
            raise AgentError(
                f"View {spec.name} has no action {printable(action_id, 40)!r}; "
                f"choose one of {', '.join(known)}."
            )
        why = _text_arg(reason, "reason", MAX_REASON).strip()
        if not why:
            raise AgentError("reason is empty; say in one sentence why you take this action.")
        decision = self._decision(customer_id, view)
        if not decision.agent.ready:
            blockers = "; ".join(decision.agent.reasons)
            raise AgentError(
                f"Not agent-ready, so no action was recorded: {blockers}. "
                "Hand this customer to a person and tell them these reasons."
            )
        opened = self._opened_ns.pop((decision.view, decision.customer_id), None)
        elapsed = (self.recorder.now_ns() - opened) // 1_000_000 if opened is not None else 0
        recorded = self._record(
            lambda: view_events.action_taken(self.ctx, decision, action_id, elapsed)
        )
        if recorded:
            recorded = self.recorder.flush(5.0)
        return ActionResult(
            customer_id=decision.customer_id,
            view=decision.view,
            action=action_id,
            recommended_action=decision.recommendation.action,
            override=action_id != decision.recommendation.action,
            agent_ready=True,
            recorded=recorded,
            reason=why,
        )

    # ------------------------------------------------------------------ helpers
    def _decision(self, customer_id: str, view: str) -> DecisionView:
        spec = self._view(view)
        ident = self._customer_id(customer_id)
        with self._lock:
            customer = self.store.load_customer(ident)
        if customer is None:
            raise _no_customer(ident)
        return build_decision_view(spec, customer, self.clock(), region=self.store.region)

    def _view(self, view: str) -> ViewSpec:
        name = _text_arg(view, "view", MAX_ID).strip()
        spec = self.views.get(name)
        if spec is None:
            raise AgentError(
                f"No view named {printable(name, 40)!r}; choose one of "
                f"{', '.join(sorted(self.views))} (see list_views)."
            )
        return spec

    def _customer_id(self, customer_id: str) -> str:
        ident = _text_arg(customer_id, "customer_id", MAX_ID).strip()
        if not ident:
            raise AgentError("customer_id is empty; get one from find_customers.")
        return ident

    def _record(self, build: Callable[[], Event]) -> bool:
        """Record one event; an event telemetry refuses is counted, never raised to the agent."""
        try:
            event = build()
        except ValueError:
            self.rejected_events += 1
            return False
        self.recorder.record(event)
        return True


def _find_note(candidates: list[CustomerCandidate], exact_ids: set[str]) -> str:
    """What the agent should do with these candidates, in one sentence."""
    if not candidates:
        return "No customer matches; try another identifier. Never guess a customer id."
    if len(exact_ids) == 1:
        return "One exact match on an identifying key (email, phone, account id): use its id."
    if len({c.customer_id for c in candidates}) == 1:
        field = candidates[0].matched_field
        return (
            f"One candidate, matched by {field} only, not by an identifying key: confirm with "
            "the person (e.g. their email or phone) before reading a view."
        )
    return (
        f"{len(candidates)} candidates and no single exact match: ask the person which one "
        "they are (compare names and companies); never pick one yourself."
    )


def _text_arg(value: object, name: str, limit: int) -> str:
    if not isinstance(value, str):
        raise AgentError(f"{name} must be a string, not {type(value).__name__}.")
    if len(value) > limit:
        raise AgentError(f"{name} is {len(value)} characters long; at most {limit} are accepted.")
    return value


def _no_customer(customer_id: str) -> AgentError:
    return AgentError(
        f"No customer with id {printable(customer_id, 60)!r}; get an id from find_customers "
        "and never guess one."
    )
