"""Value checks for telemetry events: ids of a fixed shape, known states, counts, flags.

A check that refuses a value never repeats it in its message: the refused string may be the
very name or email the check exists to keep out of the file.
"""

from __future__ import annotations

import re

from c360tui.core.durations import is_duration

# The shape of every identifier telemetry accepts: customer, signal, section, action, feed ids.
ID_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}")
MAX_IDS = 200  # longest id list one event keeps (queues, search results); the count is kept whole


def describe(value: object) -> str:
    """What kind of value was refused, without its content."""
    if isinstance(value, str):
        return f"a string of {len(value)} characters"
    return f"a {type(value).__name__}"


def ident(value: object, what: str) -> str:
    """`value` if it has the id shape, else ValueError."""
    if not isinstance(value, str) or ID_SHAPE.fullmatch(value) is None:
        raise ValueError(
            f"telemetry {what} must be an id (letters, digits, _ . : / -), not {describe(value)}"
        )
    return value


def opt_ident(value: object, what: str) -> str | None:
    """None, or `value` checked as an id."""
    return None if value is None else ident(value, what)


def opt_duration(value: object, what: str) -> str | None:
    """None, or `value` if it is a duration as the specs write them ("24h", "90d")."""
    if value is None:
        return None
    if not isinstance(value, str) or not is_duration(value):
        raise ValueError(
            f"telemetry {what} must be a duration like 24h or 90d, not {describe(value)}"
        )
    return value


def choice(value: object, allowed: frozenset[str], what: str) -> str:
    """`value` if it is one of `allowed` (a trust state, an actor...), else ValueError."""
    if value not in allowed:
        raise ValueError(
            f"telemetry {what} must be one of {sorted(allowed)}, not {describe(value)}"
        )
    return str(value)


def count(value: object, what: str) -> int:
    """`value` if it is a non-negative int (not a bool), else ValueError."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"telemetry {what} must be a non-negative int, not {describe(value)}")
    return value


def number(value: object, what: str) -> float:
    """`value` as a float if it is an int or float (not a bool), else ValueError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"telemetry {what} must be a number, not {describe(value)}")
    return float(value)


def flag(value: object, what: str) -> bool:
    """`value` if it is a bool, else ValueError."""
    if not isinstance(value, bool):
        raise ValueError(f"telemetry {what} must be a bool, not {describe(value)}")
    return value


def ids(values: object, what: str) -> tuple[str, ...]:
    """The first MAX_IDS of a list of ids, each checked, as a tuple."""
    if isinstance(values, str) or not isinstance(values, list | tuple):
        raise ValueError(f"telemetry {what} must be a list of ids, not {describe(values)}")
    return tuple(ident(v, what) for v in values[:MAX_IDS])


def set_field(obj: object, name: str, value: object) -> None:
    """Normalise a field of a frozen dataclass from its own __post_init__."""
    object.__setattr__(obj, name, value)
