"""The recommendation (first matching rule wins) and the agent-ready verdict of a decision view.

Conditions are structured (signal, op, value or trust states): nothing here evaluates strings.
A value condition never holds on a missing or conflicted value (there is no value to test), so
a spec that must act on doubt says so with a trust condition.
"""

from __future__ import annotations

from collections.abc import Mapping

from c360tui.core.decision_model import AgentVerdict, Recommendation, SignalView
from c360tui.core.records import AttrValue
from c360tui.core.view_spec import PLACEHOLDER, Condition, ConditionValue, ViewSpec


def compare(value: AttrValue | None, op: str, target: ConditionValue | None) -> bool:
    """Test `value op target`; text compares case-insensitively, mismatched types never hold."""
    if op == "present":
        return value is not None and value != ""
    if op == "absent":
        return value is None or value == ""
    if value is None or target is None:
        return False
    if op in ("in", "not_in"):
        options = target if isinstance(target, list) else [target]
        found = any(_equal(value, option) for option in options)
        return found if op == "in" else not found
    if isinstance(target, list):
        return False
    if op == "==":
        return _equal(value, target)
    if op == "!=":
        return not _equal(value, target)
    left, right = _orderable(value), _orderable(target)
    if left is None or right is None:
        return False
    return _ordered(left, op, right)


def _ordered(left: float | str, op: str, right: float | str) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        pairs_f = {">": left > right, ">=": left >= right, "<": left < right, "<=": left <= right}
        return pairs_f.get(op, False)
    if isinstance(left, str) and isinstance(right, str):
        pairs_s = {">": left > right, ">=": left >= right, "<": left < right, "<=": left <= right}
        return pairs_s.get(op, False)
    return False


def _equal(value: AttrValue, target: AttrValue) -> bool:
    if isinstance(value, bool) or isinstance(target, bool):
        return isinstance(value, bool) and isinstance(target, bool) and value == target
    if isinstance(value, str) and isinstance(target, str):
        return value.strip().casefold() == target.strip().casefold()
    left, right = _orderable(value), _orderable(target)
    return left is not None and left == right


def _orderable(value: AttrValue) -> float | str | None:
    """Numbers as float, text as folded text; booleans and lists have no order."""
    if isinstance(value, bool | list):
        return None
    if isinstance(value, int | float):
        return float(value)
    return value.strip().casefold()


def condition_holds(condition: Condition, signal: SignalView) -> bool:
    """Whether one rule condition holds for the signal as shown."""
    if condition.trust is not None:
        return signal.trust in condition.trust
    assert condition.op is not None  # the model guarantees op when trust is absent
    return compare(signal.value, condition.op, condition.value)


def render_reason(template: str, signals: Mapping[str, SignalView]) -> str:
    """Fill {signal_id} placeholders with the signals' display text (no format-string eval)."""

    def fill(match: object) -> str:
        name = match.group(1)  # type: ignore[attr-defined]
        signal = signals.get(name)
        return signal.display if signal is not None else "?"

    return PLACEHOLDER.sub(fill, template)


def recommend(spec: ViewSpec, signals: Mapping[str, SignalView]) -> Recommendation:
    """The first matching rule's action; its reasons are every matching rule's for that action.

    Its caveats name the doubtful values it rests on: the signals whose values the deciding
    rules tested (for the default, every rule's: none of them held) that are not trusted.
    """
    rec = spec.recommendation
    matched = [
        rule
        for rule in rec.rules
        if all(c.signal in signals and condition_holds(c, signals[c.signal]) for c in rule.when)
    ]
    if matched:
        action = matched[0].action
        deciding = [r for r in matched if r.action == action]
        reasons = [render_reason(r.reason, signals) for r in deciding]
    else:
        action = rec.default_action
        deciding = rec.rules
        reasons = [render_reason(rec.default_reason, signals)]
    tested = (c.signal for r in deciding for c in r.when if c.trust is None)
    caveats = [
        said
        for signal_id in dict.fromkeys(tested)
        if signal_id in signals and (said := caveat(signals[signal_id]))
    ]
    label = spec.action(action).label
    reasons = list(dict.fromkeys(reasons))
    headline = f"{label.upper()}: {'; '.join(reasons)}"
    return Recommendation(
        action=action, label=label, reasons=reasons, headline=headline, caveats=caveats
    )


def caveat(signal: SignalView) -> str | None:
    """A doubtful value in a rep's words ("Intent score stale 2d / 24h"), or None if trusted."""
    if signal.flagged:
        return f"{signal.label} flagged wrong"
    if signal.trust == "stale":
        return f"{signal.label} stale {signal.age_text}"
    if signal.trust != "trusted":
        return f"{signal.label} {signal.trust}"
    return None


def blocking_reason(signal: SignalView) -> str | None:
    """Why an agent must not act on this signal ("phone conflicted: billing vs crm"), or None."""
    if signal.trust == "missing":
        return f"{signal.id} missing"
    if signal.trust == "conflicted":
        systems = list(dict.fromkeys(c.system for c in signal.contenders))
        return f"{signal.id} conflicted: {' vs '.join(systems) or 'inputs disagree'}"
    if signal.trust == "stale":
        return f"{signal.id} {signal.reason}"
    if signal.trust == "unverified":
        source = signal.provenance.system if signal.provenance else "an unaccepted source"
        return f"{signal.id} unverified: only from {source}"
    if signal.flagged:
        return f"{signal.id} flagged as wrong"
    return None


def agent_verdict(spec: ViewSpec, signals: Mapping[str, SignalView]) -> AgentVerdict:
    """Ready only if every signal the rules read is trusted and not flagged; lists every blocker."""
    reasons: list[str] = []
    for signal_id in spec.rule_signals():
        signal = signals.get(signal_id)
        if signal is None:
            reasons.append(f"{signal_id} missing")
            continue
        reason = blocking_reason(signal)
        if reason:
            reasons.append(reason)
        if signal.flagged and signal.trust != "trusted":
            reasons.append(f"{signal.id} flagged as wrong")
    return AgentVerdict(ready=not reasons, reasons=reasons)
