"""Format values for people: phones in international form, money, dates, yes/no, short series.

The output is plain text built from customer data: renderers must still treat it as untrusted
(never as markup) and strip control characters before it reaches a terminal.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from c360tui.core.normalize import format_phone, normalize_phone
from c360tui.core.records import AttrValue

# How a view spec asks for a value to be shown; "auto" picks by the value's Python type.
DisplayFormat = Literal[
    "auto",
    "text",
    "phone",
    "email",
    "money",
    "int",
    "float",
    "percent",
    "date",
    "datetime",
    "bool",
    "series",
    "hours",
]
DISPLAY_FORMATS: tuple[str, ...] = DisplayFormat.__args__  # type: ignore[attr-defined]

MISSING = "—"

# Sources-spec attribute types mapped to the display format that suits them.
_TYPE_FORMAT: dict[str, DisplayFormat] = {
    "phone": "phone",
    "email": "email",
    "date": "date",
    "datetime": "datetime",
    "bool": "bool",
    "floats": "series",
    "int": "int",
    "float": "float",
}


def format_for_type(attr_type: str) -> DisplayFormat:
    """The display format for a sources-spec attribute type ("phone" -> "phone", ...)."""
    return _TYPE_FORMAT.get(attr_type, "text")


def format_value(value: AttrValue | None, fmt: str = "auto", *, region: str = "US") -> str:
    """Render one value for a person; None is an em dash, never an empty string."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return format_series(value)
    if fmt == "phone" and isinstance(value, str):
        e164 = normalize_phone(value, region)
        return format_phone(e164) if e164 else value
    if fmt == "money" and isinstance(value, int | float):
        return format_money(float(value))
    if fmt == "percent" and isinstance(value, int | float):
        return f"{value:+.0f}%"
    if fmt == "hours" and isinstance(value, int | float):
        return format_hours(float(value))
    if fmt == "date" and isinstance(value, str):
        return _format_date(value)
    if fmt == "datetime" and isinstance(value, str):
        return _format_datetime(value)
    if isinstance(value, float):
        return _trim_float(value)
    return str(value)


def format_money(amount: float) -> str:
    """Money the way a rep says it: "$950", "$85k", "$1.2M"."""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount >= 1_000_000:
        return f"{sign}${_trim_float(round(amount / 1_000_000, 1))}M"
    if amount >= 1_000:
        return f"{sign}${_trim_float(round(amount / 1_000, 1))}k"
    return f"{sign}${amount:.0f}"


def format_hours(hours: float) -> str:
    """An age in hours as "5h" under two days, whole days ("3d") after that."""
    if hours < 48:
        return f"{hours:.0f}h"
    return f"{hours // 24:.0f}d"


def format_series(values: list[float], keep: int = 8) -> str:
    """A numeric series as short text: the last `keep` values, oldest first."""
    if not values:
        return MISSING
    shown = " ".join(_trim_float(v) for v in values[-keep:])
    return shown if len(values) <= keep else f"… {shown}"


def _trim_float(value: float) -> str:
    """2.0 -> "2", 2.25 -> "2.25", 1234.5678 -> "1234.57"."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _format_date(text: str) -> str:
    """An ISO date (or the date part of an ISO datetime) as YYYY-MM-DD; other text unchanged."""
    try:
        return date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return text


def _format_datetime(text: str) -> str:
    """An ISO datetime as "2024-05-01 14:03 UTC" (or its own offset); other text unchanged."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    offset = moment.utcoffset()
    zone = "UTC" if offset is not None and offset.total_seconds() == 0 else moment.strftime("%z")
    return f"{moment.strftime('%Y-%m-%d %H:%M')} {zone}"
