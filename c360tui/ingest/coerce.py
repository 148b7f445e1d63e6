"""Turn one raw cell (CSV text or a JSON value) into a typed attribute value, or say why not.

Every coercer raises ValueError whose message completes the sentence "Field 'x' ..." so the
reader can name the field and line in the quarantine reason.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from c360tui.core.records import AttrValue
from c360tui.core.sources_spec import AttributeSpec
from c360tui.errors import C360Error

Coercer = Callable[[object], AttrValue]
TextCoercer = Callable[[str], AttrValue]
TimestampParser = Callable[[object], datetime]

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
_INT = re.compile(r"[+-]?\d+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# A phone "shape" that phonenumbers would parse: digits with the usual separators and an optional
# extension; anything else (letters, vanity numbers) goes through phonenumbers itself.
_PHONE = re.compile(
    r"(?=(?:\D*\d){7})\+?[\d\s().\-/]{7,30}(?:\s*(?:x|ext\.?|#)\s*\d{1,6})?", re.IGNORECASE
)


def show(value: object, limit: int = 40) -> str:
    """A short, quoted rendering of an offending value for a reason sentence."""
    text = value if isinstance(value, str) else json.dumps(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return repr(text)


def _text(value: object, kind: str) -> str:
    """The cell as text: JSON scalars become their JSON spelling, lists and objects are refused."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"is not a finite number ({value!r})")
        return str(value)
    raise ValueError(f"is a JSON {type(value).__name__}, expected {kind}")


def _check_range(number: float, spec: AttributeSpec) -> None:
    if spec.min is not None and number < spec.min:
        raise ValueError(f"is {number:g}, below the minimum {spec.min:g}")
    if spec.max is not None and number > spec.max:
        raise ValueError(f"is {number:g}, above the maximum {spec.max:g}")


def _to_float(value: object) -> float:
    if isinstance(value, bool):
        raise ValueError(f"is a boolean, expected a number ({value!r})")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if "_" in text:
            raise ValueError(f"is not a number ({show(value)})")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"is not a number ({show(value)})") from None
    else:
        raise ValueError(f"is a JSON {type(value).__name__}, expected a number")
    if not math.isfinite(number):
        raise ValueError(f"is not a finite number ({show(value)})")
    return number


class Coercers(NamedTuple):
    """One attribute's coercer twice: `text` for CSV cells (always str), `value` for JSON values."""

    text: TextCoercer
    value: Coercer


def _via_text(text: TextCoercer, kind: str) -> Coercer:
    """A JSON-value coercer that spells scalars as text and hands them to `text`."""

    def coerce(value: object) -> AttrValue:
        return text(value if isinstance(value, str) else _text(value, kind))

    return coerce


def _numeric(text: TextCoercer, native: Coercer) -> Coercer:
    """A JSON-value coercer that reads strings as text and numbers natively."""

    def coerce(value: object) -> AttrValue:
        return text(value) if isinstance(value, str) else native(value)

    return coerce


def _int_coercers(spec: AttributeSpec) -> Coercers:
    def native(value: object) -> AttrValue:
        number = _to_float(value)
        if not number.is_integer():
            raise ValueError(f"is not a whole number ({show(value)})")
        _check_range(number, spec)
        return int(number)

    def text(cell: str) -> AttrValue:
        if _INT.fullmatch(cell.strip()):
            number = int(cell)
            _check_range(number, spec)
            return number
        return native(cell)

    return Coercers(text, _numeric(text, native))


def _float_coercers(spec: AttributeSpec) -> Coercers:
    def native(value: object) -> AttrValue:
        number = _to_float(value)
        _check_range(number, spec)
        return number

    return Coercers(native, native)


def _floats_coercers(spec: AttributeSpec) -> Coercers:
    def numbers(items: list[object]) -> AttrValue:
        result = [_to_float(item) for item in items]
        for number in result:
            _check_range(number, spec)
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
    return _text(value, "text").strip()


def _email_text(cell: str) -> AttrValue:
    text = cell.strip()
    if _EMAIL.fullmatch(text) or text.casefold() in JUNK_TOKENS:
        return text
    raise ValueError(f"is not an email address ({show(cell)})")


def _phone_coercers(region: str) -> Coercers:
    def text(cell: str) -> AttrValue:
        stripped = cell.strip()
        if _PHONE.fullmatch(stripped) or stripped.casefold() in JUNK_TOKENS:
            return stripped
        try:
            phonenumbers.parse(stripped, region)
        except phonenumbers.NumberParseException:
            raise ValueError(f"is not a phone number ({show(cell)})") from None
        return stripped

    return Coercers(text, _via_text(text, "a phone number"))


# strptime directives a pattern may use to be read by a precompiled regex instead of strptime
# (which costs tens of microseconds a call); any other directive falls back to strptime.
_FAST_DIRECTIVES = {
    "%Y": r"(?P<Y>\d{4})",
    "%m": r"(?P<m>\d{1,2})",
    "%d": r"(?P<d>\d{1,2})",
    "%H": r"(?P<H>\d{1,2})",
    "%M": r"(?P<M>\d{1,2})",
    "%S": r"(?P<S>\d{1,2})",
}


def _pattern_regex(fmt: str) -> re.Pattern[str] | None:
    """A regex equivalent to a simple strptime pattern (%Y %m %d %H %M %S), else None."""
    pieces = re.split(r"(%.)", fmt)
    directives = pieces[1::2]
    if len(set(directives)) != len(directives) or not {"%Y", "%m", "%d"} <= set(directives):
        return None
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:
            if piece not in _FAST_DIRECTIVES:
                return None
            out.append(_FAST_DIRECTIVES[piece])
        else:
            out.append(re.escape(piece))
    return re.compile("".join(out))


def make_timestamp_parser(fmt: str, timezone: str | None) -> TimestampParser:
    """A parser for a feed's timestamps: "iso", "epoch" (seconds) or a strptime pattern.

    Naive values get the feed's timezone; without one they are refused, since guessing the zone
    would make every freshness computed from them wrong. The result is always aware UTC.
    """
    zone: ZoneInfo | None = None
    if timezone is not None:
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise C360Error(f"The sources spec names an unknown timezone {timezone!r}.") from None

    def finish(moment: datetime, raw: object) -> datetime:
        if moment.tzinfo is None:
            if zone is None:
                raise ValueError(f"has no timezone and the feed declares none ({show(raw)})")
            moment = moment.replace(tzinfo=zone)
        return moment.astimezone(UTC)

    if fmt == "epoch":

        def parse_epoch(raw: object) -> datetime:
            seconds = _to_float(raw)
            try:
                return datetime.fromtimestamp(seconds, UTC)
            except (OverflowError, OSError, ValueError):
                raise ValueError(f"is not a plausible epoch time ({show(raw)})") from None

        return parse_epoch

    if fmt == "iso":

        def parse_iso(raw: object) -> datetime:
            if isinstance(raw, str):
                try:
                    return finish(datetime.fromisoformat(raw.strip()), raw)
                except ValueError as error:
                    if "timezone" in str(error):
                        raise
            raise ValueError(f"is not an ISO 8601 timestamp ({show(raw)})")

        return parse_iso

    fast = _pattern_regex(fmt)

    def parse_pattern(raw: object) -> datetime:
        if isinstance(raw, str):
            try:
                match = fast.fullmatch(raw.strip()) if fast is not None else None
                if match is not None:
                    parts = match.groupdict()
                    moment = datetime(
                        int(parts["Y"]),
                        int(parts["m"]),
                        int(parts["d"]),
                        int(parts.get("H") or 0),
                        int(parts.get("M") or 0),
                        int(parts.get("S") or 0),
                    )
                    return finish(moment, raw)
                return finish(datetime.strptime(raw.strip(), fmt), raw)
            except ValueError as error:
                if "timezone" in str(error):
                    raise
        raise ValueError(f"is not a timestamp in the form {fmt} ({show(raw)})")

    return parse_pattern


def _datetime_coercers(fmt: str, timezone: str | None) -> Coercers:
    """Datetime attributes accept ISO 8601, epoch seconds (JSON numbers) or the feed pattern."""
    iso = make_timestamp_parser("iso", timezone)
    epoch = make_timestamp_parser("epoch", timezone)
    pattern = make_timestamp_parser(fmt, timezone) if fmt not in ("iso", "epoch") else None

    def text(cell: str) -> AttrValue:
        if pattern is None:
            return iso(cell).isoformat()
        try:
            return iso(cell).isoformat()
        except ValueError as error:
            if "timezone" in str(error):
                raise
            return pattern(cell).isoformat()

    def value(raw: object) -> AttrValue:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return epoch(raw).isoformat()
        return text(raw) if isinstance(raw, str) else iso(raw).isoformat()

    return Coercers(text, value)


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
            base = _datetime_coercers(fmt, timezone)
        case "email":
            base = Coercers(_email_text, _via_text(_email_text, "an email address"))
        case "phone":
            base = _phone_coercers(region)
        case _:
            base = Coercers(str.strip, _string_value)
    if spec.choices:
        return _choice_coercers(spec, base)
    return base
