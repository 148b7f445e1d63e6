"""The replay's sessions: the list of every recorded session, quickly, and one session by id.

Read-only over any number of telemetry files. The whole list of a file is cached like its tally
(c360tui.metrics.incremental, cache.py): a file written to since is re-read only for the sessions
that moved, exactly, and the list's newest sessions can be had first without reading it all
(`first_page`). A typed id is found from the session index (one seek per candidate); one that
matches no session or several is one C360Error sentence naming what to do.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from c360tui.errors import C360Error
from c360tui.metrics import cache
from c360tui.metrics.fast import guarded, last_event_id, newest_sessions, session_summaries
from c360tui.metrics.incremental import ended, live, marks, moved
from c360tui.metrics.replay import SessionSummary, sessions
from c360tui.metrics.tally import Filter
from c360tui.telemetry.reader import TelemetryReader, open_reader
from c360tui.text_safety import printable

FORMAT = 1  # bump when the entry layout or a summary field changes meaning
KIND = f"sessions-{FORMAT}"


def _newest_first(found: list[SessionSummary]) -> list[SessionSummary]:
    return sorted(found, key=lambda s: (s.start, s.session_id), reverse=True)


def first_page(
    paths: Sequence[Path], since: date | datetime | None, want: int
) -> list[SessionSummary]:
    """The newest sessions over `paths`, newest first: exactly the start of `every_session`."""
    found: list[SessionSummary] = []
    floors: list[datetime] = []
    for path in paths:
        with open_reader(path) as reader:
            page, floor = newest_sessions(reader, since, want)
        found += page
        if floor is not None:
            floors.append(floor)
    top = max(floors, default=None)  # below the highest floor another file may hold more
    return _newest_first([s for s in found if top is None or s.start > top])


def every_session(
    paths: Sequence[Path], since: date | datetime | None, *, use_cache: bool = True
) -> list[SessionSummary]:
    """Every session over `paths`, newest first (each file's list from its cache if it can)."""
    found: list[SessionSummary] = []
    for path in paths:
        with open_reader(path) as reader:
            found += summaries(reader, since, use_cache=use_cache)
    return _newest_first(found)


@dataclass(slots=True)
class Entry:
    """What one listing of a file leaves for the next (as the tally cache's Entry)."""

    upto: int  # the last event id read
    marks: list[list[Any]]  # the rows at the first and last ids read: this file, unchanged
    ended: list[SessionSummary]  # sessions with a session_end by `upto` (or never started)
    live_ids: list[str]  # sessions started without an end by then, re-read when the file grows
    live: list[SessionSummary]


def _row(s: SessionSummary) -> list[Any]:
    return [s.session_id, s.rep, s.actor, list(s.roles), s.start.isoformat(), s.seconds]


def encode(entry: Entry) -> bytes:
    """An entry as JSON bytes."""

    def rows(found: list[SessionSummary]) -> list[list[Any]]:
        return [[*_row(s), s.customers, s.actions, s.overrides, s.events] for s in found]

    data = {
        "upto": entry.upto,
        "marks": entry.marks,
        "ended": rows(entry.ended),
        "live_ids": entry.live_ids,
        "live": rows(entry.live),
    }
    return json.dumps(data, separators=(",", ":")).encode()


def decode(data: bytes) -> Entry:
    """An entry from `encode`'s bytes; ValueError/TypeError/KeyError when malformed."""
    raw = json.loads(data)

    def rows(items: list[list[Any]]) -> list[SessionSummary]:
        found = []
        for sid, rep, actor, roles, start, seconds, customers, actions, overrides, n in items:
            counts = (customers, actions, overrides, n)
            if not all(type(v) is str for v in (sid, rep, actor, *roles)) or not all(
                type(c) is int for c in counts
            ):
                raise ValueError("malformed session summary")
            found.append(
                SessionSummary(
                    sid,
                    rep,
                    actor,
                    tuple(roles),
                    datetime.fromisoformat(start),
                    float(seconds),
                    *counts,
                )
            )
        return found

    upto, live_ids = raw["upto"], raw["live_ids"]
    if type(upto) is not int or not all(type(s) is str for s in live_ids):
        raise ValueError("malformed entry")
    return Entry(upto, list(raw["marks"]), rows(raw["ended"]), live_ids, rows(raw["live"]))


def _fresh(reader: TelemetryReader, since: date | datetime | None, upto: int) -> Entry:
    """Read the whole file's list; keep the live sessions apart for the next listing."""
    found = session_summaries(reader, since, upto=upto)
    live_ids = live(reader, upto)
    running = set(live_ids)
    done = [s for s in found if s.session_id not in running]
    going = [s for s in found if s.session_id in running]
    return Entry(upto, marks(reader, upto), done, live_ids, going)


def _advance(
    reader: TelemetryReader, entry: Entry, since: date | datetime | None, upto: int
) -> Entry | None:
    """The entry moved on to `upto`, re-reading only the sessions that moved (None: read all)."""
    went = moved(reader, entry.upto, entry.live_ids, upto)
    if went is None:
        return None
    touched = sorted(set(went) | set(entry.live_ids))
    finished = ended(reader, touched, upto)
    again = session_summaries(reader, since, upto=upto, sessions=touched) if touched else []
    done = [s for s in again if s.session_id in finished]
    live_ids = [s for s in touched if s not in finished]
    running = [s for s in again if s.session_id not in finished]
    return Entry(upto, marks(reader, upto), entry.ended + done, live_ids, running)


def summaries(
    reader: TelemetryReader, since: date | datetime | None = None, *, use_cache: bool = True
) -> list[SessionSummary]:
    """Every session of one open file, oldest first, as `session_summaries` reads them."""
    upto = last_event_id(reader)
    key = None
    if use_cache and cache.cache_dir() is not None:
        key = cache.file_key(reader.path, since, Filter(), kind=KIND)
    if key is None:
        return session_summaries(reader, since, upto=upto)
    entry: Entry | None = None
    data = cache.read(key)
    if data is not None:
        try:
            entry = decode(data)
        except (ValueError, TypeError, KeyError):
            entry = None
    if entry is not None and (entry.upto > upto or entry.marks != marks(reader, entry.upto)):
        entry = None  # another file in this place, or rows gone: nothing kept applies
    if entry is None or entry.upto < upto:
        advanced = _advance(reader, entry, since, upto) if entry is not None else None
        entry = advanced or _fresh(reader, since, upto)
        cache.write(key, encode(entry))
    return sorted(entry.ended + entry.live, key=lambda s: (s.start, s.session_id))


SHOWN = 3  # ids an ambiguous prefix names before "…"

_NEXT_SESSION = (
    "SELECT min(session_id) FROM events INDEXED BY events_session WHERE session_id > :after"
)


def ids_starting(reader: TelemetryReader, prefix: str, limit: int) -> list[str]:
    """Up to `limit` session ids of one file that start with `prefix`, in id order."""
    found: list[str] = []

    def work() -> None:
        sql = reader.connection.execute
        (first,) = sql(
            "SELECT min(session_id) FROM events INDEXED BY events_session "
            "WHERE session_id >= :prefix",
            {"prefix": prefix},
        ).fetchone()
        current = first
        while current is not None and current.startswith(prefix) and len(found) < limit:
            found.append(current)
            (current,) = sql(_NEXT_SESSION, {"after": current}).fetchone()

    guarded(reader.path, work)
    return found


def find_session(paths: Sequence[Path], text: str) -> SessionSummary:
    """The one session whose id is `text`, or the one whose id starts with it, over `paths`."""
    wanted = text.strip()
    matches: set[str] = set()
    for path in paths:
        with open_reader(path) as reader:
            matches.update(ids_starting(reader, wanted, SHOWN + 1))
    if wanted in matches:
        matches = {wanted}  # a whole id wins over the longer ids it starts
    shown = printable(wanted, 40)
    if not matches:
        where = str(paths[0]) if len(paths) == 1 else f"{len(paths)} telemetry files"
        raise C360Error(
            f"No recorded session in {where} has an id starting {shown!r}; "
            "run `c360 replay` without an id to list them."
        )
    if len(matches) > 1:
        names = ", ".join(sorted(matches)[:SHOWN])
        more = ", …" if len(matches) > SHOWN else ""
        raise C360Error(
            f"{shown!r} starts the ids of several sessions ({names}{more}); type more of the id."
        )
    (session_id,) = matches
    from c360tui.metrics.loader import load_events

    (summary,) = sessions(load_events(paths, session_id=session_id))
    return summary
