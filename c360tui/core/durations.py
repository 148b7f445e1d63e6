"""Parse and format the short durations the specs use ("90s", "15m", "24h", "7d", "2w"), and say
a value's age against its freshness budget the one way every screen and the replay show it."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")


def parse_duration(text: str) -> timedelta:
    """Turn "7d" into seven days; raise ValueError with the accepted forms otherwise."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(
            f"{text!r} is not a duration; write a number and a unit: 90s, 15m, 24h, 7d, 2w"
        )
    amount, unit = match.groups()
    return timedelta(seconds=float(amount) * _UNITS[unit])


def format_ms(ms: int) -> str:
    """Milliseconds for people: 850 ms, 3.2 s, 4m 05s (time to decision, gaps, session lengths)."""
    if ms < 1000:
        return f"{ms} ms"
    if ms < 60_000:
        return f"{ms / 1000:.1f} s"
    minutes, seconds = divmod(round(ms / 1000), 60)
    return f"{minutes}m {seconds:02d}s"


def format_age(delta: timedelta) -> str:
    """Say a duration the way a rep would read it aloud: "45s", "12m", "5h", "3d", "11w"."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h"
    if seconds < 86400 * 7 * 10:
        return f"{seconds // 86400}d"
    return f"{seconds // (86400 * 7)}w"


def is_duration(text: str) -> bool:
    """Whether `text` is a duration parse_duration reads ("24h", "90d")."""
    return _DURATION.match(text) is not None


def age_against_budget(
    age: timedelta | None,
    budget: timedelta,
    budget_words: str | None = None,
    unknown: str = "age unknown",
) -> str:
    """Age against budget as a rep reads it: "2d / 24h", "? / 90d" (`unknown` when no age).

    The budget is said in the spec's own words when they are known ("24h", not "1d"), else as
    format_age says it: the live view and its replay print the same text from the same inputs.
    """
    said = budget_words or format_age(budget)
    return f"{unknown if age is None else format_age(age)} / {said}"


def budget_words(age_text: str) -> str | None:
    """The budget of an age_against_budget text in its own words ("24h" of "2d / 24h"), or None."""
    _, sep, words = age_text.rpartition(" / ")
    return words if sep and is_duration(words) else None
