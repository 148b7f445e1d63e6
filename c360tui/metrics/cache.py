"""A per-file cache of tallies in the user's cache directory, so a repeated report is quick
(and, as entries of another kind, of the replay's session summaries: metrics/sessions.py).

The telemetry file itself is never written: the cache lives in `C360_CACHE_DIR` (empty turns it
off) or the platform's user cache dir. One entry per file (device and inode) and query (`since`,
filter) holds what `c360tui.metrics.incremental` needs to count only what is new: the last event
id counted, the rows at the first and last counted ids (to tell a replaced file), the tally of
the sessions that had ended and, apart, the live sessions' ids and tally. Entries are JSON
(never pickle), so a planted cache file can at worst give wrong counts, never run code.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from dataclasses import astuple, dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from c360tui.metrics.tally import Filter, Tally
from c360tui.telemetry.schema import SCHEMA_VERSION

try:  # orjson reads a large entry several times faster; json is the fallback
    import orjson

    _loads: Any = orjson.loads
except ImportError:  # pragma: no cover - depends on the environment
    _loads = json.loads

FORMAT = 3  # bump when a Tally field, the entry layout or the way fast.py counts changes meaning
KEEP = 32  # entries kept; the oldest beyond this are removed when one is stored
_FIELDS = tuple(f.name for f in fields(Tally))


def cache_dir() -> Path | None:
    """Where entries go: $C360_CACHE_DIR (empty = no cache) or the user cache dir."""
    chosen = os.environ.get("C360_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    from platformdirs import user_cache_path

    return user_cache_path("c360tui", appauthor=False) / "tallies"


def file_key(
    path: Path, since: date | datetime | None, only: Filter, kind: str = "tally"
) -> str | None:
    """The entry name for one file and one query (hex digest); None when the file is gone.

    `kind` tells entries of other shapes apart (the replay's session summaries: "sessions").
    """
    resolved = path.resolve()
    try:
        st = resolved.stat()
    except OSError:
        return None
    identity = {
        "format": FORMAT,
        "schema": SCHEMA_VERSION,
        "path": str(resolved),
        "file": [st.st_dev, st.st_ino],
        "since": since.isoformat() if since is not None else None,
        "only": list(astuple(only)),
    }
    if kind != "tally":  # a tally's key stays what it was before kinds existed
        identity["kind"] = kind
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


@dataclass(slots=True)
class Entry:
    """What one count of a file left for the next: see the module docstring."""

    upto: int  # the last event id counted
    marks: list[list[Any]]  # the rows at the first and last counted ids, as read
    ended: Tally  # sessions that had a session_end by `upto`
    live_ids: list[str]  # the other sessions seen so far, recounted whole each time
    live: Tally


# Each Tally field's key length; `deciding` keys end in a list of (id, trust) pairs.
_ARITY = {
    "presented": 2,
    "opened": 2,
    "deciding": 3,
    "shown": 4,
    "touches": 3,
    "sections": 2,
    "flags": 5,
}


def _encode_tally(tally: Tally) -> dict[str, Any]:
    """A tally as JSON data; actions as columns per (day, role, view, actor, override), since
    their keys differ mostly by milliseconds (an entry of 1,000,000 events is ~3x smaller)."""
    groups: dict[tuple[str, str, str, str, bool], tuple[list[int], list[int]]] = {}
    for (day, role, view, actor, ms, override), n in tally.actions.items():
        column = groups.get((day, role, view, actor, override))
        if column is None:
            column = groups[(day, role, view, actor, override)] = ([], [])
        column[0].append(ms)
        column[1].append(n)
    data: dict[str, Any] = {
        name: [[key, n] for key, n in getattr(tally, name).items()]
        for name in _FIELDS
        if name != "actions"
    }
    data["actions"] = [[*key, ms, ns] for key, (ms, ns) in groups.items()]
    return data


def _decode_tally(raw: dict[str, Any]) -> Tally:
    """A Tally from `_encode_tally`'s data; ValueError/TypeError/KeyError when malformed."""
    counters: dict[str, Counter[Any]] = {}
    for name in _FIELDS:
        rows = raw[name]
        if name == "actions":
            actions: dict[Any, int] = {}
            for day, role, view, actor, override, ms, ns in rows:
                if len(ms) != len(ns) or any(type(n) is not int for n in ns):
                    raise ValueError("malformed actions entry")
                pairs = zip(ms, ns, strict=True)
                actions.update(((day, role, view, actor, m, override), n) for m, n in pairs)
            counters[name] = Counter(actions)
            continue
        if any(len(key) != _ARITY[name] or type(n) is not int for key, n in rows):
            raise ValueError(f"malformed {name} entry")
        if name == "deciding":
            counters[name] = Counter(
                {(v, o, tuple(tuple(pair) for pair in d)): n for (v, o, d), n in rows}
            )
        else:
            counters[name] = Counter({tuple(key): n for key, n in rows})
    return Tally(**counters)


def encode(entry: Entry) -> bytes:
    """An entry as JSON bytes."""
    data = {
        "upto": entry.upto,
        "marks": entry.marks,
        "ended": _encode_tally(entry.ended),
        "live_ids": entry.live_ids,
        "live": _encode_tally(entry.live),
    }
    return json.dumps(data, separators=(",", ":")).encode()


def decode(data: bytes) -> Entry:
    """An entry from `encode`'s bytes; ValueError/TypeError/KeyError when malformed."""
    raw = _loads(data)
    upto, marks, live_ids = raw["upto"], raw["marks"], raw["live_ids"]
    if type(upto) is not int or not isinstance(marks, list) or not isinstance(live_ids, list):
        raise ValueError("malformed entry")
    if not all(type(s) is str for s in live_ids):
        raise ValueError("malformed live sessions")
    return Entry(upto, marks, _decode_tally(raw["ended"]), live_ids, _decode_tally(raw["live"]))


def load(key: str) -> Entry | None:
    """The cached entry for `key`, or None (no cache, no entry, or an unreadable one)."""
    data = read(key)
    if data is None:
        return None
    try:
        return decode(data)
    except (ValueError, TypeError, KeyError):
        return None


def store(key: str, entry: Entry) -> None:
    """Save an entry atomically (best effort: a cache that cannot be written is skipped)."""
    write(key, encode(entry))


def read(key: str) -> bytes | None:
    """The bytes of the entry `key` of any kind, or None (no cache or no such entry)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return (folder / f"{key}.json").read_bytes()
    except OSError:
        return None


def write(key: str, data: bytes) -> None:
    """Write the entry `key` atomically (best effort), keeping the KEEP newest entries."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".tally-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, folder / f"{key}.json")
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except OSError:
        return


def _prune(folder: Path) -> None:
    """Keep the KEEP most recently written entries (one per file and query)."""
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)
