"""View spec models and recommendation rules: structured conditions, first match wins, no eval."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from c360tui.core.decision_model import SignalView
from c360tui.core.recommend import agent_verdict, compare, recommend, render_reason
from c360tui.core.view_spec import Condition, ViewSpec


def signal(sid: str, value: Any, display: str = "", trust: str = "trusted") -> SignalView:
    return SignalView(
        id=sid, label=sid, kind="attribute", attribute=sid, rank=1, above_fold=True,
        value=value, display=display or str(value), trust=trust, freshness="fresh",  # type: ignore[arg-type]
        age_seconds=0.0, budget_seconds=86400.0, age_text="0s / 1d", rule="source_priority",
        reason="", effect="", flagged=False, provenance=None, alternates=[], contenders=[],
        inputs=[sid],
    )  # fmt: skip


def make_spec(rules: list[dict[str, Any]]) -> ViewSpec:
    return ViewSpec.model_validate(
        {
            "name": "t",
            "version": "1",
            "role": "support",
            "decision": "Can I close this case?",
            "above_fold": 1,
            "signals": [
                {"id": "tier", "label": "Tier", "attribute": "plan", "budget": "90d"},
                {"id": "sev1", "label": "Sev-1", "derived": "open_sev1", "budget": "24h"},
            ],
            "recommendation": {
                "rules": rules,
                "default_action": "resolve",
                "default_reason": "nothing open",
            },
            "actions": [
                {"id": "escalate", "key": "x", "label": "Escalate"},
                {"id": "resolve", "key": "r", "label": "Resolve", "primary": True},
            ],
        }
    )


@pytest.mark.parametrize(
    ("value", "op", "target", "holds"),
    [
        ("Enterprise", "==", "enterprise", True),
        ("growth", "!=", "enterprise", True),
        (3, ">", 0, True),
        (0, ">", 0, False),
        (2, ">=", 2, True),
        (1.5, "<", 2, True),
        (2, "<=", 1, False),
        ("past_due", "in", ["failed", "past_due"], True),
        ("current", "not_in", ["failed", "past_due"], True),
        (True, "==", True, True),
        (True, "==", 1, False),  # a yes/no is not a number
        ("10", ">", 5, False),  # text never orders against a number
        (None, "!=", "x", False),  # no value: no value condition holds
        (None, "not_in", ["x"], False),
        (None, "absent", None, True),
        ("B1", "present", None, True),
    ],
)
def test_compare(value: Any, op: str, target: Any, holds: bool) -> None:
    assert compare(value, op, target) is holds


def test_condition_needs_value_or_trust() -> None:
    with pytest.raises(ValidationError):
        Condition(signal="tier")
    with pytest.raises(ValidationError):
        Condition(signal="tier", op="in", value="enterprise")
    with pytest.raises(ValidationError):
        Condition.model_validate({"signal": "tier", "op": "=~", "value": "x"})


def test_first_matching_rule_wins_and_gathers_same_action_reasons() -> None:
    sev1 = {"signal": "sev1", "op": ">", "value": 0}
    enterprise = {"signal": "tier", "op": "==", "value": "enterprise"}
    spec = make_spec(
        [
            {"action": "escalate", "reason": "enterprise, {sev1}", "when": [enterprise, sev1]},
            {"action": "resolve", "reason": "small", "when": [sev1]},
            {"action": "escalate", "reason": "any sev-1", "when": [sev1]},
        ]
    )
    signals = {"tier": signal("tier", "enterprise"), "sev1": signal("sev1", 2, "2 open, oldest 3d")}
    rec = recommend(spec, signals)
    assert rec.action == "escalate"
    assert rec.reasons == ["enterprise, 2 open, oldest 3d", "any sev-1"]
    assert rec.headline == "ESCALATE: enterprise, 2 open, oldest 3d; any sev-1"


def test_default_action_when_nothing_matches() -> None:
    spec = make_spec(
        [{"action": "escalate", "reason": "x", "when": [{"signal": "sev1", "op": ">", "value": 0}]}]
    )
    rec = recommend(spec, {"tier": signal("tier", "growth"), "sev1": signal("sev1", 0)})
    assert (rec.action, rec.reasons) == ("resolve", ["nothing open"])


def test_trust_condition_acts_on_doubt() -> None:
    spec = make_spec(
        [{"action": "escalate", "reason": "tier unclear",
          "when": [{"signal": "tier", "trust": ["conflicted", "missing"]}]}]
    )  # fmt: skip
    doubtful = {"tier": signal("tier", None, "—", "conflicted"), "sev1": signal("sev1", 0)}
    assert recommend(spec, doubtful).action == "escalate"
    verdict = agent_verdict(spec, doubtful)
    assert not verdict.ready
    assert verdict.reasons == ["tier conflicted: inputs disagree"]


def test_reason_templates_are_not_evaluated() -> None:
    signals = {"tier": signal("tier", "growth")}
    assert render_reason("{tier} {tier.__class__} {0} {missing}", signals) == (
        "growth {tier.__class__} ? ?"
    )
