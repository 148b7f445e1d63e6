"""Parse and format the short durations the specs use ("90s", "15m", "24h", "7d", "2w")."""

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
