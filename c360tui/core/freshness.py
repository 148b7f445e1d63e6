"""Freshness: how old a value is against the budget its view spec gives it.

Boundaries (the word "past" is strict):
- fresh:   0 <= age <= 75% of the budget (at exactly 75% a value is still fresh);
- ageing:  75% of the budget < age <= budget (at exactly the budget it is still ageing);
- stale:   age > budget;
- unknown: no timestamp, a timestamp without a time zone, or a timestamp after `now`
  (a value from the future means a clock or feed is wrong, so its age cannot be said).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from c360tui.core.decision_model import FreshnessState
from c360tui.core.durations import age_against_budget, format_age

AGEING_FRACTION = 0.75


@dataclass(frozen=True, slots=True)
class Freshness:
    """The freshness of one value: state, age (None when unknown) and why it is unknown."""

    state: FreshnessState
    age: timedelta | None
    budget: timedelta
    reason: str = ""

    def age_text(self, budget_text: str | None = None) -> str:
        """Age against budget the way a rep reads it: "5d / 7d", "no timestamp / 7d"."""
        return age_against_budget(self.age, self.budget, budget_text, self.reason or "age unknown")


def assess(observed_at: datetime | None, budget: timedelta, now: datetime) -> Freshness:
    """Place a value observed at `observed_at` on the fresh/ageing/stale scale as of `now`."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if observed_at is None:
        return Freshness("unknown", None, budget, "no timestamp")
    if observed_at.tzinfo is None:
        return Freshness("unknown", None, budget, "timestamp has no time zone")
    age = now - observed_at
    if age < timedelta(0):
        return Freshness("unknown", None, budget, f"observed {format_age(-age)} in the future")
    if age > budget:
        return Freshness("stale", age, budget)
    if age > budget * AGEING_FRACTION:
        return Freshness("ageing", age, budget)
    return Freshness("fresh", age, budget)


def state(observed_at: datetime | None, budget: timedelta, now: datetime) -> FreshnessState:
    """Just the state of `assess` (see the module docstring for the exact boundaries)."""
    return assess(observed_at, budget, now).state
