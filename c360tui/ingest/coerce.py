"""Turn one raw cell (CSV text or a JSON value) into a typed attribute value, or say why not.

Every coercer raises ValueError whose message completes the sentence "Field 'x' ..." so the
reader can name the field and line in the quarantine reason.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import date
from typing import NamedTuple

import phonenumbers

from c360tui.core.records import AttrValue
from c360tui.core.sources_spec import AttributeSpec
from c360tui.ingest.scalars import check_range, json_text, show, to_float
from c360tui.ingest.timestamps import TimestampParser, datetime_coercers, make_timestamp_parser

Coercer = Callable[[object], AttrValue]
TextCoercer = Callable[[str], AttrValue]

# Placeholder values people type into identity fields; kept as values (identity resolution's junk
# rules decide they never link) rather than quarantined as badly shaped emails or phones.
JUNK_TOKENS = frozenset(
    {
        "null", "none", "nil", "n/a", "na", "n.a.", "-", "--", "---", ".", "?", "0", "#n/a",
        "unknown", "undefined", "tbd", "test", "xxx", "blank", "not available", "not provided",
        "not applicable",
    }
)  # fmt: skip
_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})
INT_TEXT = re.compile(r"[+-]?\d+")
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# A phone "shape" that phonenumbers would parse: digits with the usual separators and an optional
# extension; anything else (letters, vanity numbers) goes through phonenumbers itself.
PHONE_SHAPE = re.compile(
    r"(?=(?:\D*\d){7})\+?[\d\s().\-/]{7,30}(?:\s*(?:x|ext\.?|#)\s*\d{1,6})?", re.IGNORECASE
)


class Coercers(NamedTuple):
    """One attribute's coercer twice: `text` for CSV cells (always str), `value` for JSON values."""

    text: TextCoercer
    value: Coercer


def _via_text(text: TextCoercer, kind: str) -> Coercer:
    """A JSON-value coercer that spells scalars as text and hands them to `text`."""

    def coerce(value: object) -> AttrValue:
        return text(value if isinstance(value, str) else json_text(value, kind))

    return coerce


def _numeric(text: TextCoercer, native: Coercer) -> Coercer:
    """A JSON-value coercer that reads strings as text and numbers natively."""

    def coerce(value: object) -> AttrValue:
        return text(value) if isinstance(value, str) else native(value)

    return coerce


def _int_coercers(spec: AttributeSpec) -> Coercers:
    def native(value: object) -> AttrValue:
        number = to_float(value)
        if not number.is_integer():
            raise ValueError(f"is not a whole number ({show(value)})")
        check_range(number, spec)
        return int(number)

    def text(cell: str) -> AttrValue:
        if INT_TEXT.fullmatch(cell.strip()):
            number = int(cell)
            check_range(number, spec)
            return number
        return native(cell)

    return Coercers(text, _numeric(text, native))


def _float_coercers(spec: AttributeSpec) -> Coercers:
    def native(value: object) -> AttrValue:
        number = to_float(value)
        check_range(number, spec)
        return number

    return Coercers(native, native)


def _floats_coercers(spec: AttributeSpec) -> Coercers:
    def numbers(items: list[object]) -> AttrValue:
        result = [to_float(item) for item in items]
        for number in result:
            check_range(number, spec)
        return result

    low = -math.inf if spec.min is None else spec.min
    high = math.inf if spec.max is None else spec.max

    def text(cell: str) -> AttrValue:
        stripped = cell.strip()
        if not stripped.startswith("["):
            parts = stripped.split(";")
            # Fast path for the common well-formed list; anything odd gets the exact reason.
            try:
                result = [float(part) for part in parts]
            except ValueError:
                return numbers(list(parts))
            if "_" in stripped or not math.isfinite(sum(result)):
                return numbers(list(parts))
            if result and (min(result) < low or max(result) > high):
                return numbers(list(parts))
            return result
        try:
            parsed = json.loads(stripped)
        except ValueError:
            raise ValueError(f"is not a JSON array of numbers ({show(cell)})") from None
        if not isinstance(parsed, list):
            raise ValueError(f"is not a list of numbers ({show(cell)})")
        return numbers(parsed)

    def value(raw: object) -> AttrValue:
        if isinstance(raw, list):
            return numbers(raw)
        if isinstance(raw, str):
            return text(raw)
        raise ValueError(f"is not a list of numbers ({show(raw)})")

    return Coercers(text, value)


_BOOLS = {word: True for word in _TRUE} | {word: False for word in _FALSE}


def _bool_text(cell: str) -> AttrValue:
    result = _BOOLS.get(cell)
    if result is None:
        result = _BOOLS.get(cell.strip().casefold())
        if result is None:
            raise ValueError(f"is not yes/no, true/false, Y/N or 1/0 ({show(cell)})")
    return result


def _bool_value(value: object) -> AttrValue:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        return _bool_text(value)
    raise ValueError(f"is not yes/no, true/false, Y/N or 1/0 ({show(value)})")


def _date_text(cell: str) -> AttrValue:
    try:
        return date.fromisoformat(cell.strip()).isoformat()
    except ValueError:
        raise ValueError(f"is not a date in YYYY-MM-DD form ({show(cell)})") from None


def _date_value(value: object) -> AttrValue:
    if isinstance(value, str):
        return _date_text(value)
    raise ValueError(f"is not a date in YYYY-MM-DD form ({show(value)})")


def _choice_coercers(spec: AttributeSpec, base: Coercers) -> Coercers:
    canonical = {choice.casefold(): choice for choice in spec.choices or ()}
    allowed = ", ".join(spec.choices or ())

    def pick(text: str) -> AttrValue:
        choice = canonical.get(text.strip().casefold())
        if choice is None:
            raise ValueError(f"is {show(text)}, not one of {allowed}")
        return choice

    def text(cell: str) -> AttrValue:
        return pick(str(base.text(cell)))

    def value(raw: object) -> AttrValue:
        return pick(str(base.value(raw)))

    return Coercers(text, value)


def _string_value(value: object) -> AttrValue:
    return json_text(value, "text").strip()


def _email_text(cell: str) -> AttrValue:
    text = cell.strip()
    if EMAIL_SHAPE.fullmatch(text) or text.casefold() in JUNK_TOKENS:
        return text
    raise ValueError(f"is not an email address ({show(cell)})")


def _phone_coercers(region: str) -> Coercers:
    def text(cell: str) -> AttrValue:
        stripped = cell.strip()
        if PHONE_SHAPE.fullmatch(stripped) or stripped.casefold() in JUNK_TOKENS:
            return stripped
        try:
            phonenumbers.parse(stripped, region)
        except phonenumbers.NumberParseException:
            raise ValueError(f"is not a phone number ({show(cell)})") from None
        return stripped

    return Coercers(text, _via_text(text, "a phone number"))


def make_coercers(
    spec: AttributeSpec, *, region: str, fmt: str = "iso", timezone: str | None = None
) -> Coercers:
    """The coercers for one attribute: its type, then its range and its choices.

    `fmt` and `timezone` are the feed's timestamp format and zone, used for datetime attributes.
    Each raises ValueError whose message completes "Field 'x' ...".
    """
    base: Coercers
    match spec.type:
        case "int":
            base = _int_coercers(spec)
        case "float":
            base = _float_coercers(spec)
        case "floats":
            base = _floats_coercers(spec)
        case "bool":
            base = Coercers(_bool_text, _bool_value)
        case "date":
            base = Coercers(_date_text, _date_value)
        case "datetime":
            base = Coercers(*datetime_coercers(fmt, timezone))
        case "email":
            base = Coercers(_email_text, _via_text(_email_text, "an email address"))
        case "phone":
            base = _phone_coercers(region)
        case _:
            base = Coercers(str.strip, _string_value)
    if spec.choices:
        return _choice_coercers(spec, base)
    return base


__all__ = ["TimestampParser", "make_timestamp_parser", "show"]
