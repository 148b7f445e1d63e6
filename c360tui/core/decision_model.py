"""The DecisionView: what one screen, the JSON contract, MCP and telemetry all show of a customer.

Built only by `c360tui.core.decision.build_decision_view`; everything else reads it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from c360tui.core.records import AttrValue

FreshnessState = Literal["fresh", "ageing", "stale", "unknown"]
TrustState = Literal["trusted", "stale", "conflicted", "missing", "unverified"]

DECISION_VIEW_VERSION = "2"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SourceValue(_Frozen):
    """One value with where it came from."""

    value: AttrValue | None
    display: str
    system: str
    feed: str
    record_id: str
    observed_at: datetime | None


class SignalView(_Frozen):
    """One ranked signal: value, trust, freshness against its budget, provenance.

    `display` is the human rendering of the value (raw customer text, not yet made safe for a
    terminal: renderers sanitise). For a conflicted signal `value` is None and `contenders` holds
    the disagreeing values.
    """

    id: str
    label: str
    kind: Literal["attribute", "derived"]
    attribute: str | None
    rank: int
    above_fold: bool
    value: AttrValue | None
    display: str
    trust: TrustState
    freshness: FreshnessState
    age_seconds: float | None
    budget_seconds: float
    age_text: str
    rule: str
    reason: str
    effect: str
    flagged: bool
    provenance: SourceValue | None
    # a newer observation of the same value by another accepted source: it dates the freshness
    confirmed_by: SourceValue | None = None
    alternates: list[SourceValue]
    contenders: list[SourceValue]
    inputs: list[str]
    # the full numeric series behind a derived trend (weekly usage), for a sparkline
    series: list[float] | None = None


class CollectionRow(_Frozen):
    """One row of a collection table (a ticket), values already formatted for display."""

    cells: list[str]
    provenance: SourceValue


class DetailSection(_Frozen):
    """A collapsed section below the fold: detail signals and, for collections, a table."""

    id: str
    title: str
    signals: list[SignalView]
    columns: list[str]
    rows: list[CollectionRow]


class ActionView(_Frozen):
    """An action the screen offers, bound to a key; `recommended` marks the recommendation."""

    id: str
    key: str
    label: str
    primary: bool
    recommended: bool


class Recommendation(_Frozen):
    """The action the spec's rule recommends and the reasons, in words a rep would say."""

    action: str
    label: str
    reasons: list[str]
    # one line a rep can say: "ESCALATE: enterprise tier, sev-1 open 3d"
    headline: str = ""
    # the doubtful values it rests on: "Intent score stale 2d / 24h", "Phone conflicted"
    caveats: list[str] = []


class AgentVerdict(_Frozen):
    """Would you let an agent act on this unprompted? `reasons` lists everything that blocks it."""

    ready: bool
    reasons: list[str]


class DecisionView(_Frozen):
    """The whole decision for one customer under one view spec at one as-of time."""

    schema_version: str = DECISION_VIEW_VERSION
    view: str
    spec_version: str
    role: str
    decision: str
    customer_id: str
    display_name: str
    subtitle: str
    as_of: datetime
    signals: list[SignalView]
    fold: int
    sections: list[DetailSection]
    recommendation: Recommendation
    agent: AgentVerdict
    actions: list[ActionView]
    identity_records: int
    held_merges: int

    def signal(self, signal_id: str) -> SignalView:
        for signal in self.signals:
            if signal.id == signal_id:
                return signal
        for section in self.sections:
            for signal in section.signals:
                if signal.id == signal_id:
                    return signal
        raise KeyError(signal_id)
