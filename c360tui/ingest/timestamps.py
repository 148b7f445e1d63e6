"""Reading timestamps: a feed's updated-at times and datetime attributes.

`make_timestamp_parser` reads one value; `Stamps` reads a batch of rows' updated-at cells at
once, with C-level passes for the common shapes and the parser itself for anything else.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from itertools import repeat
from operator import attrgetter
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from c360tui.core.records import AttrValue
from c360tui.errors import C360Error
from c360tui.ingest.cellbatch import REFUSED, Refused, blank_positions, on_filled, with_blanks
from c360tui.ingest.scalars import show, to_float

TimestampParser = Callable[[object], datetime]
Stamp = datetime | None | Refused


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
            seconds = to_float(raw)
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


def datetime_coercers(
    fmt: str, timezone: str | None
) -> tuple[Callable[[str], AttrValue], Callable[[object], AttrValue]]:
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

    return text, value


_tzinfo = attrgetter("tzinfo")


def _aware_utc(moments: list[datetime]) -> list[datetime]:
    """Aware times in UTC; a naive one raises ValueError (the parser decides about it)."""
    if None in map(_tzinfo, moments):
        raise ValueError("a naive time")
    return list(map(datetime.astimezone, moments, repeat(UTC)))


# Seconds in UTC written with a Z, whose ISO text is the same digits with +00:00 (isoformat
# costs a microsecond a call, several times the parse).
_ZULU = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", re.ASCII)


def iso_texts(stripped: list[str]) -> list[AttrValue]:
    """Datetime cells that are all aware ISO 8601, as the ISO text of their UTC time."""
    moments = _aware_utc(list(map(datetime.fromisoformat, stripped)))
    zulu = list(map(_ZULU.fullmatch, stripped))
    if None not in zulu:
        return list(map(str.replace, stripped, repeat("Z"), repeat("+00:00")))
    return [
        text.replace("Z", "+00:00") if match else moment.isoformat()
        for text, match, moment in zip(stripped, zulu, moments, strict=True)
    ]


def _epochs(numbers: list[float]) -> list[datetime]:
    if not math.isfinite(sum(numbers)):
        raise ValueError("a non-finite number")
    try:
        return list(map(datetime.fromtimestamp, numbers, repeat(UTC)))
    except (OverflowError, OSError) as error:
        raise ValueError("an implausible epoch time") from error


class Stamps:
    """A file's updated-at column a batch at a time: aware UTC times, None where blank."""

    def __init__(self, fmt: str, timezone: str | None, latest: datetime) -> None:
        self.parse = make_timestamp_parser(fmt, timezone)
        self.latest = latest
        self.epoch = fmt == "epoch"
        self.fast: Callable[[list[str]], list[datetime]]
        if fmt == "iso":
            self.fast = self._iso
        elif fmt == "epoch":
            self.fast = self._epoch_texts
        else:
            zone = ZoneInfo(timezone) if timezone else None
            self.fast = self._pattern(_pattern_regex(fmt), zone)

    def texts(self, cells: Sequence[str]) -> tuple[Sequence[Stamp], list[int]]:
        """The times of CSV cells, and the positions the parser refuses or that are too late."""
        stripped = list(map(str.strip, cells))
        try:
            moments = on_filled(self._checked, stripped, blank_positions(stripped))
        except ValueError:
            return self._each(cells)
        return moments, []

    def values(self, raw: list[object]) -> tuple[Sequence[Stamp], list[int]]:
        """The times of JSON values (None and blank text are no time); as `texts`."""
        texts = with_blanks(raw)
        if texts is not None:
            return self.texts(texts)
        if self.epoch and set(map(type, raw)) <= {int, float, type(None)}:
            filled = [index for index, value in enumerate(raw) if value is not None]
            try:
                found = self._late(_epochs([float(raw[index]) for index in filled]))  # type: ignore[arg-type]
            except ValueError:
                return self._each(raw)
            out: list[Stamp] = [None] * len(raw)
            for index, moment in zip(filled, found, strict=True):
                out[index] = moment
            return out, []
        return self._each(raw)

    def _checked(self, stripped: list[str]) -> list[datetime]:
        return self._late(self.fast(stripped))

    def _late(self, moments: list[datetime]) -> list[datetime]:
        if moments and max(moments) > self.latest:
            raise ValueError("a time in the future")
        return moments

    def _each(self, cells: Sequence[object]) -> tuple[Sequence[Stamp], list[int]]:
        out: list[Stamp] = []
        refused: list[int] = []
        for cell in cells:
            if cell is None or (cell.__class__ is str and (not cell or cell.isspace())):
                out.append(None)
                continue
            try:
                moment = self.parse(cell)
            except ValueError:
                moment = None
            if moment is None or moment > self.latest:
                refused.append(len(out))
                out.append(REFUSED)
            else:
                out.append(moment)
        return out, refused

    @staticmethod
    def _iso(stripped: list[str]) -> list[datetime]:
        return _aware_utc(list(map(datetime.fromisoformat, stripped)))

    @staticmethod
    def _epoch_texts(stripped: list[str]) -> list[datetime]:
        if "_" in "".join(stripped):
            raise ValueError("an underscore")
        return _epochs(list(map(float, stripped)))

    @staticmethod
    def _pattern(
        fast: re.Pattern[str] | None, zone: ZoneInfo | None
    ) -> Callable[[list[str]], list[datetime]]:
        def moments(stripped: list[str]) -> list[datetime]:
            if fast is None or zone is None:
                raise ValueError("no fast pattern, or no zone for naive times")
            matches = list(map(fast.fullmatch, stripped))
            if None in matches:
                raise ValueError("a cell of another shape")
            naive = [_pattern_moment(match.groupdict()) for match in matches]  # type: ignore[union-attr]
            return [moment.replace(tzinfo=zone).astimezone(UTC) for moment in naive]

        return moments


def _pattern_moment(parts: dict[str, str | None]) -> datetime:
    """The naive time a `_pattern_regex` match spells (ValueError if there is no such day)."""
    return datetime(
        int(parts["Y"]),  # type: ignore[arg-type]
        int(parts["m"]),  # type: ignore[arg-type]
        int(parts["d"]),  # type: ignore[arg-type]
        int(parts.get("H") or 0),
        int(parts.get("M") or 0),
        int(parts.get("S") or 0),
    )
