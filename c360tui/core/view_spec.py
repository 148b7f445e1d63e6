"""View specs (specs/<view>.toml): one role, one decision, the signals that move it, the actions.

The pydantic models check shape; `check_view` checks meaning (references to attributes, derived
signals, actions and keys) and returns every problem instead of stopping at the first.
Conditions are structured tables, never strings to evaluate.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from c360tui.core.decision_model import TrustState
from c360tui.core.display import DisplayFormat
from c360tui.core.durations import parse_duration
from c360tui.core.sources_spec import AttributeSpec

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


@dataclass(frozen=True, slots=True)
class SpecIssue:
    """One problem in a spec: where (a path into the TOML) and what to do about it."""

    path: tuple[str | int, ...]
    message: str


def check_view(
    spec: ViewSpec,
    attributes: Mapping[str, AttributeSpec] | None,
    derived: Collection[str],
) -> list[SpecIssue]:
    """Every reference problem in a parsed view spec (attributes None: catalogue unavailable)."""
    issues: list[SpecIssue] = []
    ids: dict[str, tuple[str | int, ...]] = {}
    located = [(("signals", i), s) for i, s in enumerate(spec.signals)] + [
        (("sections", j, "signals", i), s)
        for j, section in enumerate(spec.sections)
        for i, s in enumerate(section.signals)
    ]
    for path, signal in located:
        if signal.id in ids:
            issues.append(SpecIssue((*path, "id"), f"repeats signal id {signal.id!r}; rename one"))
        ids.setdefault(signal.id, path)
        if signal.derived is not None and signal.derived not in derived:
            known = ", ".join(sorted(derived))
            issues.append(
                SpecIssue(
                    (*path, "derived"),
                    f"names unknown derived signal {signal.derived!r}; use one of {known}",
                )
            )
        if signal.attribute is not None and attributes is not None:
            attr = attributes.get(signal.attribute)
            if attr is None:
                issues.append(
                    SpecIssue(
                        (*path, "attribute"),
                        f"names unknown attribute {signal.attribute!r}; "
                        "add it to sources.toml or fix the name",
                    )
                )
            elif attr.collection:
                issues.append(
                    SpecIssue(
                        (*path, "attribute"),
                        f"names {signal.attribute!r}, an item of collection {attr.collection!r}; "
                        "show it as a section column or through a derived signal",
                    )
                )
    if spec.above_fold > len(spec.signals):
        issues.append(
            SpecIssue(
                ("above_fold",),
                f"is {spec.above_fold} but there are only {len(spec.signals)} signals; "
                f"set above_fold <= {len(spec.signals)}",
            )
        )
    issues += _check_sections(spec, attributes)
    issues += _check_actions(spec)
    issues += _check_rules(spec, set(ids))
    issues += _check_queue(spec, set(ids), attributes)
    return issues


def _check_sections(
    spec: ViewSpec, attributes: Mapping[str, AttributeSpec] | None
) -> list[SpecIssue]:
    issues: list[SpecIssue] = []
    section_ids: set[str] = set()
    for j, section in enumerate(spec.sections):
        if section.id in section_ids:
            issues.append(SpecIssue(("sections", j, "id"), f"repeats section id {section.id!r}"))
        section_ids.add(section.id)
        if section.collection is None:
            if section.columns:
                issues.append(
                    SpecIssue(
                        ("sections", j, "columns"),
                        'has columns but no collection; add collection = "tickets"',
                    )
                )
            continue
        if attributes is None:
            continue
        members = {n for n, a in attributes.items() if a.collection == section.collection}
        if not members:
            issues.append(
                SpecIssue(
                    ("sections", j, "collection"),
                    f"names unknown collection {section.collection!r}; declare its attributes "
                    "with collection = ... in sources.toml",
                )
            )
            continue
        for i, column in enumerate(section.columns):
            if column.attribute not in members:
                issues.append(
                    SpecIssue(
                        ("sections", j, "columns", i),
                        f"column {column.attribute!r} is not an attribute of collection "
                        f"{section.collection!r}; use one of {', '.join(sorted(members))}",
                    )
                )
        if section.sort is not None and section.sort not in members:
            issues.append(
                SpecIssue(
                    ("sections", j, "sort"),
                    f"sorts by {section.sort!r}, not an attribute of {section.collection!r}",
                )
            )
    return issues


def _check_actions(spec: ViewSpec) -> list[SpecIssue]:
    issues: list[SpecIssue] = []
    keys: dict[str, str] = {}
    action_ids: set[str] = set()
    for i, action in enumerate(spec.actions):
        if action.id in action_ids:
            issues.append(
                SpecIssue(("actions", i, "id"), f"repeats action id {action.id!r}; rename one")
            )
        action_ids.add(action.id)
        if action.key in GLOBAL_KEYS:
            issues.append(
                SpecIssue(
                    ("actions", i, "key"),
                    f"binds {action.key!r}, which every screen uses for "
                    f"{GLOBAL_KEYS[action.key]}; pick another key",
                )
            )
        elif action.key in keys:
            issues.append(
                SpecIssue(
                    ("actions", i, "key"),
                    f"binds {action.key!r}, already bound to action {keys[action.key]!r}; "
                    "pick another key",
                )
            )
        keys.setdefault(action.key, action.id)
    primaries = [a.id for a in spec.actions if a.primary]
    if len(primaries) != 1:
        issues.append(
            SpecIssue(
                ("actions",),
                f"has {len(primaries)} primary actions ({', '.join(primaries) or 'none'}); "
                "mark exactly one with primary = true",
            )
        )
    return issues


def _check_rules(spec: ViewSpec, signal_ids: set[str]) -> list[SpecIssue]:
    issues: list[SpecIssue] = []
    action_ids = {a.id for a in spec.actions}
    known = ", ".join(sorted(action_ids))
    rec = spec.recommendation
    if rec.default_action not in action_ids:
        issues.append(
            SpecIssue(
                ("recommendation", "default_action"),
                f"names unknown action {rec.default_action!r}; use one of {known}",
            )
        )
    for name in PLACEHOLDER.findall(rec.default_reason):
        if name not in signal_ids:
            issues.append(
                SpecIssue(("recommendation", "default_reason"), f"uses {{{name}}}, not a signal id")
            )
    for r, rule in enumerate(rec.rules):
        path: tuple[str | int, ...] = ("recommendation", "rules", r)
        if rule.action not in action_ids:
            issues.append(
                SpecIssue(
                    (*path, "action"), f"names unknown action {rule.action!r}; use one of {known}"
                )
            )
        for c, condition in enumerate(rule.when):
            if condition.signal not in signal_ids:
                issues.append(
                    SpecIssue(
                        (*path, "when", c),
                        f"tests unknown signal {condition.signal!r}; use a signal id of this view",
                    )
                )
        for name in PLACEHOLDER.findall(rule.reason):
            if name not in signal_ids:
                issues.append(
                    SpecIssue((*path, "reason"), f"uses {{{name}}}, not a signal id of this view")
                )
    return issues


def _check_queue(
    spec: ViewSpec, signal_ids: set[str], attributes: Mapping[str, AttributeSpec] | None
) -> list[SpecIssue]:
    if spec.queue is None:
        return []
    issues: list[SpecIssue] = []
    for i, item in enumerate(spec.queue.filters):
        if attributes is not None and item.attribute not in attributes:
            issues.append(
                SpecIssue(
                    ("queue", "filters", i), f"filters on unknown attribute {item.attribute!r}"
                )
            )
        if item.op in ("present", "absent"):
            continue
        if item.value is None:
            issues.append(SpecIssue(("queue", "filters", i), f"op {item.op!r} needs a value"))
        elif (item.op in ("in", "not_in")) != isinstance(item.value, list):
            issues.append(
                SpecIssue(("queue", "filters", i), f"op {item.op!r} and value do not fit together")
            )
    for i, key in enumerate(spec.queue.sort):
        if key.signal not in signal_ids:
            issues.append(
                SpecIssue(("queue", "sort", i), f"sorts by unknown signal {key.signal!r}")
            )
    return issues
