"""Events built from a DecisionView: what the screen showed, reduced to ids and trust states.

Screens call these instead of copying fields by hand, so a display value (a name, an email, a
phone number) has no path into telemetry: only ids, states, ages, budgets and ranks are read from
the view.
"""

from __future__ import annotations

from c360tui.core.decision_model import DecisionView, SignalView
from c360tui.core.durations import budget_words
from c360tui.telemetry.events import (
    ActionTaken,
    Context,
    ProvenanceOpened,
    ShownSignal,
    SignalTrust,
    ValueFlagged,
    Via,
    ViewOpened,
)


def context_for(ctx: Context, view: DecisionView) -> Context:
    """The session's context on this view's role, view name and spec version."""
    return ctx.with_view(view.role, view.view, view.spec_version)


def _shown(signal: SignalView, section: str | None) -> ShownSignal:
    return ShownSignal(
        id=signal.id,
        trust=signal.trust,
        freshness=signal.freshness,
        rank=signal.rank,
        above_fold=signal.above_fold and section is None,
        section=section,
        age_seconds=signal.age_seconds,
        budget_seconds=signal.budget_seconds,
        flagged=signal.flagged,
        budget=budget_words(signal.age_text),
    )


def shown_signals(view: DecisionView) -> tuple[ShownSignal, ...]:
    """Every signal of the view: the ranked ones, then each detail section's, in display order."""
    ranked = [_shown(signal, None) for signal in view.signals]
    detail = [_shown(signal, section.id) for section in view.sections for signal in section.signals]
    return (*ranked, *detail)


def view_opened(ctx: Context, view: DecisionView, via: Via) -> ViewOpened:
    """The view_opened event for a decision view as it is now on screen."""
    return ViewOpened(
        context_for(ctx, view),
        customer_id=view.customer_id,
        via=via,
        signals=shown_signals(view),
        recommended_action=view.recommendation.action,
        agent_ready=view.agent.ready,
    )


def deciding_signals(view: DecisionView) -> tuple[SignalTrust, ...]:
    """The signals the rep decided on: the ranked signals above the fold, with their trust."""
    return tuple(SignalTrust(s.id, s.trust, s.freshness) for s in view.signals if s.above_fold)


def action_taken(ctx: Context, view: DecisionView, action: str, ms_since_view: int) -> ActionTaken:
    """The action_taken event: override is derived from the view's recommendation."""
    return ActionTaken(
        context_for(ctx, view),
        customer_id=view.customer_id,
        action=action,
        recommended_action=view.recommendation.action,
        ms_since_view=max(0, int(ms_since_view)),
        deciding=deciding_signals(view),
    )


def provenance_opened(ctx: Context, view: DecisionView, signal_id: str) -> ProvenanceOpened:
    """The provenance_opened event for "why" on one of the view's signals."""
    signal = view.signal(signal_id)
    return ProvenanceOpened(
        context_for(ctx, view),
        customer_id=view.customer_id,
        signal_id=signal.id,
        trust=signal.trust,
    )


def value_flagged(ctx: Context, view: DecisionView, signal_id: str) -> ValueFlagged:
    """The value_flagged event: the signal, its attribute, trust and the winning value's system."""
    signal = view.signal(signal_id)
    return ValueFlagged(
        context_for(ctx, view),
        customer_id=view.customer_id,
        signal_id=signal.id,
        attribute=signal.attribute,
        trust=signal.trust,
        source_system=signal.provenance.system if signal.provenance else None,
    )
