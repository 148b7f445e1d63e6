"""Fast timestamp formatting anchored to the sample's as-of time.

Rows hold times as epoch seconds; formatting goes through per-day string tables built once, so a
row never calls datetime or zoneinfo (except on the two DST-change days a year in New York).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

DAY = 86_400
_NEW_YORK = ZoneInfo("America/New_York")
_SUFFIX = {h: "Z" if h == 0 else f"{'+' if h > 0 else '-'}{abs(h):02d}:00" for h in range(-12, 15)}


class Clock:
    """Formats epoch seconds in the styles the feeds use, for days around `as_of`."""

    def __init__(self, as_of: datetime, days_back: int = 4000, days_ahead: int = 1200) -> None:
        self.as_of = int(as_of.timestamp())
        today = self.as_of // DAY
        self._first = today - days_back
        self._iso: list[str] = []
        self._us: list[str] = []
        self._ny_offset: list[int | None] = []
        self._hms = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]
        epoch = date(1970, 1, 1)
        for day in range(self._first, today + days_ahead + 1):
            d = epoch + timedelta(days=day)
            self._iso.append(d.isoformat())
            self._us.append(f"{d.month:02d}/{d.day:02d}/{d.year:04d}")
            start = _NEW_YORK.utcoffset(datetime(d.year, d.month, d.day, 0, 0))
            end = _NEW_YORK.utcoffset(datetime(d.year, d.month, d.day, 23, 0))
            assert start is not None and end is not None
            same = start == end
            self._ny_offset.append(int(start.total_seconds()) if same else None)

    def ago(self, seconds: int) -> int:
        """The epoch second `seconds` before as-of."""
        return self.as_of - seconds

    def iso(self, ts: int, offset_hours: int = 0) -> str:
        """ISO 8601 with an explicit offset: "2026-11-02T09:15:00-05:00" (or "Z" for UTC)."""
        day, sec = divmod(ts + offset_hours * 3600, DAY)
        return f"{self._iso[day - self._first]}T{self._hms[sec]}{_SUFFIX[offset_hours]}"

    def iso_naive(self, ts: int) -> str:
        """ISO 8601 without any offset (a bad value where the feed demands one)."""
        day, sec = divmod(ts, DAY)
        return (
            f"{self._iso[day - self._first]}T{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}"
        )

    def date(self, ts: int) -> str:
        """The UTC calendar date: "2027-03-15"."""
        return self._iso[ts // DAY - self._first]

    def new_york(self, ts: int) -> str:
        """New York wall-clock time as the lead export writes it: "11/02/2026 09:15"."""
        offset = self._ny_offset[(ts // DAY) - self._first]
        if offset is None:
            local = datetime.fromtimestamp(ts, UTC).astimezone(_NEW_YORK)
            return local.strftime("%m/%d/%Y %H:%M")
        local_ts = ts + offset
        day, sec = divmod(local_ts, DAY)
        return f"{self._us[day - self._first]} {sec // 3600:02d}:{sec // 60 % 60:02d}"
