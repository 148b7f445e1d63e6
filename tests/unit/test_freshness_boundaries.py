"""Freshness states at their exact boundaries, and the cases where age cannot be said."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from c360tui.core.freshness import assess, state

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
BUDGET = timedelta(days=8)


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (timedelta(0), "fresh"),
        (timedelta(days=6), "fresh"),  # exactly 75%: not yet past it
        (timedelta(days=6, seconds=1), "ageing"),
        (timedelta(days=8), "ageing"),  # exactly the budget: not yet past it
        (timedelta(days=8, seconds=1), "stale"),
        (timedelta(days=400), "stale"),
    ],
)
def test_state_boundaries(age: timedelta, expected: str) -> None:
    assert state(NOW - age, BUDGET, NOW) == expected


def test_no_timestamp_is_unknown() -> None:
    result = assess(None, BUDGET, NOW)
    assert (result.state, result.age) == ("unknown", None)
    assert result.age_text("8d") == "no timestamp / 8d"


def test_future_observation_is_unknown_with_reason() -> None:
    result = assess(NOW + timedelta(hours=3), BUDGET, NOW)
    assert result.state == "unknown"
    assert result.reason == "observed 3h in the future"


def test_naive_observation_is_unknown_not_guessed() -> None:
    result = assess(datetime(2024, 6, 1, 11, 0), BUDGET, NOW)
    assert result.state == "unknown"
    assert "time zone" in result.reason


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError):
        assess(NOW, BUDGET, datetime(2024, 6, 1))


def test_age_text_reads_age_against_budget() -> None:
    assert assess(NOW - timedelta(days=5), timedelta(days=7), NOW).age_text("7d") == "5d / 7d"


def test_other_time_zones_compare_by_instant() -> None:
    from zoneinfo import ZoneInfo

    observed = datetime(2024, 6, 1, 8, 0, tzinfo=ZoneInfo("America/New_York"))  # 12:00 UTC
    assert assess(observed, BUDGET, NOW).age == timedelta(0)
