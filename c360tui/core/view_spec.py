"""View specs (specs/<view>.toml): one role, one decision, the signals that move it, the actions.

The pydantic models check shape; `view_spec_checks.check_view` checks meaning (references to
attributes, derived signals, actions and keys). Conditions are structured tables, never strings
to evaluate.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from c360tui.core.decision_model import TrustState
from c360tui.core.display import DisplayFormat
from c360tui.core.durations import parse_duration

Role = Literal["support", "sdr", "csm"]
Op = Literal["==", "!=", ">", ">=", "<", "<=", "in", "not_in"]
QueueOp = Literal["==", "!=", ">", ">=", "<", "<=", "in", "not_in", "present", "absent"]
Scalar = str | int | float | bool
ConditionValue = Scalar | list[Scalar]

# Keys every screen binds: a view may not take them for an action.
GLOBAL_KEYS: dict[str, str] = {
    "w": "why",
    "!": "flag value as wrong",
    "?": "help",
    "q": "back/quit",
    "i": "inspect identity",
    "/": "search",
}
PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SignalSpec(_Strict):
    """One signal: an attribute or a derived value, its label, freshness budget and effect."""

    id: str
    label: str
    attribute: str | None = None
    derived: str | None = None
    budget: str
    effect: str = ""
    format: DisplayFormat = "auto"

    @field_validator("budget")
    @classmethod
    def _budget_is_duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @model_validator(mode="after")
    def _one_source(self) -> SignalSpec:
        if (self.attribute is None) == (self.derived is None):
            raise ValueError('give exactly one of attribute = "..." or derived = "..."')
        return self

    @property
    def budget_delta(self) -> timedelta:
        return parse_duration(self.budget)

    @property
    def source_name(self) -> str:
        return self.attribute or self.derived or ""


class ColumnSpec(_Strict):
    """One column of a collection table: the item attribute, its header and display format."""

    attribute: str
    label: str
    format: DisplayFormat = "auto"


class SectionSpec(_Strict):
    """A collapsed detail section: extra signals, or a collection shown as a table."""

    id: str
    title: str
    signals: list[SignalSpec] = Field(default_factory=list)
    collection: str | None = None
    columns: list[ColumnSpec] = Field(default_factory=list)
    sort: str | None = None
    descending: bool = True
    limit: int = Field(default=20, ge=1)


class Condition(_Strict):
    """A test on one signal: its value (`op` and `value`) or its trust state (`trust`)."""

    signal: str
    op: Op | None = None
    value: ConditionValue | None = None
    trust: list[TrustState] | None = None

    @model_validator(mode="after")
    def _value_or_trust(self) -> Condition:
        if (self.op is None) == (self.trust is None):
            raise ValueError("give either op and value, or trust = [...]")
        if self.op in ("in", "not_in") and not isinstance(self.value, list):
            raise ValueError(f'op {self.op!r} needs a list value, e.g. value = ["a", "b"]')
        single = self.op is not None and self.op not in ("in", "not_in")
        if single and (self.value is None or isinstance(self.value, list)):
            raise ValueError(f"op {self.op!r} needs a single value")
        return self


class RuleSpec(_Strict):
    """A recommendation rule: when every condition holds, recommend `action` with `reason`."""

    action: str
    reason: str
    when: list[Condition] = Field(min_length=1)


class RecommendationSpec(_Strict):
    """Ordered rules (the first match wins) and the action when none matches."""

    rules: list[RuleSpec] = Field(default_factory=list)
    default_action: str
    default_reason: str


class ActionSpec(_Strict):
    """An action the view leads to, bound to one key."""

    id: str
    key: str = Field(min_length=1)
    label: str
    primary: bool = False


class QueueFilter(_Strict):
    """Which customers appear in a queue: a test on a reconciled attribute's value."""

    attribute: str
    op: QueueOp
    value: ConditionValue | None = None


class SortKey(_Strict):
    """One queue ordering key: a signal of this view, ascending or descending."""

    signal: str
    order: Literal["asc", "desc"] = "desc"


class QueueSpec(_Strict):
    """For queue views: which customers appear and in what order."""

    filters: list[QueueFilter] = Field(default_factory=list)
    sort: list[SortKey] = Field(default_factory=list)


class ViewSpec(_Strict):
    """One view spec file."""

    name: str
    version: str
    role: Role
    title: str = ""
    decision: str = Field(min_length=1)
    above_fold: int = Field(ge=1)
    signals: list[SignalSpec] = Field(min_length=1)
    sections: list[SectionSpec] = Field(default_factory=list)
    recommendation: RecommendationSpec
    actions: list[ActionSpec] = Field(min_length=1)
    queue: QueueSpec | None = None

    def all_signals(self) -> list[SignalSpec]:
        """Ranked signals first, then section signals in section order."""
        return [*self.signals, *(s for section in self.sections for s in section.signals)]

    def action(self, action_id: str) -> ActionSpec:
        for action in self.actions:
            if action.id == action_id:
                return action
        raise KeyError(action_id)

    def rule_signals(self) -> list[str]:
        """Signal ids the recommendation rules read, in first-use order."""
        seen: dict[str, None] = {}
        for rule in self.recommendation.rules:
            for condition in rule.when:
                seen.setdefault(condition.signal)
        return list(seen)

    def quoted_signals(self) -> list[str]:
        """Signal ids the recommendation's reasons quote ("renewal {renewal}"), in order."""
        rec = self.recommendation
        texts = [rule.reason for rule in rec.rules] + [rec.default_reason]
        return list(dict.fromkeys(m.group(1) for t in texts for m in PLACEHOLDER.finditer(t)))
