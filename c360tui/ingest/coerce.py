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
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from c360tui.core.records import AttrValue
from c360tui.core.sources_spec import AttributeSpec
from c360tui.errors import C360Error

Coercer = Callable[[object], AttrValue]
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
_PHONE = re.compile(r"\+?[\d\s().\-/]{7,30}(?:\s*(?:x|ext\.?|#)\s*\d{1,6})?", re.IGNORECASE)
_PHONE_DIGITS = re.compile(r"\d")


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


def _make_int(spec: AttributeSpec) -> Coercer:
    def coerce(value: object) -> AttrValue:
        if isinstance(value, str) and _INT.fullmatch(value.strip()):
            number = int(value)
        else:
            as_float = _to_float(value)
            if not as_float.is_integer():
                raise ValueError(f"is not a whole number ({show(value)})")
            number = int(as_float)
        _check_range(number, spec)
        return number

    return coerce


def _make_float(spec: AttributeSpec) -> Coercer:
    def coerce(value: object) -> AttrValue:
        number = _to_float(value)
        _check_range(number, spec)
        return number

    return coerce


def _make_floats(spec: AttributeSpec) -> Coercer:
    def coerce(value: object) -> AttrValue:
        items: list[object]
        if isinstance(value, list):
            items = value
        elif isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                try:
                    parsed = json.loads(text)
                except ValueError:
                    raise ValueError(f"is not a JSON array of numbers ({show(value)})") from None
                if not isinstance(parsed, list):
                    raise ValueError(f"is not a list of numbers ({show(value)})")
                items = parsed
            else:
                items = [part for part in text.split(";")]
        else:
            raise ValueError(f"is not a list of numbers ({show(value)})")
        numbers = [_to_float(item) for item in items]
        for number in numbers:
            _check_range(number, spec)
        return numbers

    return coerce


def _bool(value: object) -> AttrValue:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        folded = value.strip().casefold()
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
    raise ValueError(f"is not yes/no, true/false, Y/N or 1/0 ({show(value)})")


def _date(value: object) -> AttrValue:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise ValueError(f"is not a date in YYYY-MM-DD form ({show(value)})")


def _make_choice(spec: AttributeSpec, base: Coercer) -> Coercer:
    canonical = {choice.casefold(): choice for choice in spec.choices or ()}
    allowed = ", ".join(spec.choices or ())

    def coerce(value: object) -> AttrValue:
        text = str(base(value))
        choice = canonical.get(text.strip().casefold())
        if choice is None:
            raise ValueError(f"is {show(text)}, not one of {allowed}")
        return choice

    return coerce


def _string(value: object) -> AttrValue:
    return _text(value, "text").strip()


def _email(value: object) -> AttrValue:
    text = _text(value, "an email address").strip()
    if _EMAIL.fullmatch(text) or text.casefold() in JUNK_TOKENS:
        return text
    raise ValueError(f"is not an email address ({show(value)})")


def _make_phone(region: str) -> Coercer:
    def coerce(value: object) -> AttrValue:
        text = _text(value, "a phone number").strip()
        if _PHONE.fullmatch(text) and len(_PHONE_DIGITS.findall(text)) >= 7:
            return text
        if text.casefold() in JUNK_TOKENS:
            return text
        try:
            phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            raise ValueError(f"is not a phone number ({show(value)})") from None
        return text

    return coerce


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

    def parse_pattern(raw: object) -> datetime:
        if isinstance(raw, str):
            try:
                return finish(datetime.strptime(raw.strip(), fmt), raw)
            except ValueError as error:
                if "timezone" in str(error):
                    raise
        raise ValueError(f"is not a timestamp in the form {fmt} ({show(raw)})")

    return parse_pattern


def _make_datetime(fmt: str, timezone: str | None) -> Coercer:
    """Datetime attributes accept ISO 8601, epoch seconds (JSON numbers) or the feed pattern."""
    iso = make_timestamp_parser("iso", timezone)
    epoch = make_timestamp_parser("epoch", timezone)
    pattern = make_timestamp_parser(fmt, timezone) if fmt not in ("iso", "epoch") else None

    def coerce(value: object) -> AttrValue:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return epoch(value).isoformat()
        if pattern is not None and isinstance(value, str):
            try:
                return iso(value).isoformat()
            except ValueError as error:
                if "timezone" in str(error):
                    raise
                return pattern(value).isoformat()
        return iso(value).isoformat()

    return coerce


def make_coercer(
    spec: AttributeSpec, *, region: str, fmt: str = "iso", timezone: str | None = None
) -> Coercer:
    """The coercer for one attribute: its type, then its range and its choices.

    `fmt` and `timezone` are the feed's timestamp format and zone, used for datetime attributes.
    """
    base: Coercer
    match spec.type:
        case "int":
            base = _make_int(spec)
        case "float":
            base = _make_float(spec)
        case "floats":
            base = _make_floats(spec)
        case "bool":
            base = _bool
        case "date":
            base = _date
        case "datetime":
            base = _make_datetime(fmt, timezone)
        case "email":
            base = _email
        case "phone":
            base = _make_phone(region)
        case _:
            base = _string
    if spec.choices:
        return _make_choice(spec, base)
    return base
