"""A per-file cache of tallies in the user's cache directory, so a repeated report is instant.

The telemetry file itself is never written: the cache lives in `C360_CACHE_DIR` (empty turns it
off) or the platform's user cache dir. An entry is used only when the file is byte-for-byte the
one it was computed from, as far as the file system can tell (device, inode, size and mtime of
the file and of its WAL) and its last event id is the same; any commit changes the WAL's or the
file's mtime, so a file still being written is recomputed. Entries are JSON (never pickle), so
a planted cache file can at worst give wrong counts, never run code.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from dataclasses import astuple, fields
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

FORMAT = 2  # bump when a Tally field or the way fast.py counts changes meaning
KEEP = 32  # entries kept; the oldest beyond this are removed when one is stored
_FIELDS = tuple(f.name for f in fields(Tally))


def cache_dir() -> Path | None:
    """Where entries go: $C360_CACHE_DIR (empty = no cache) or the user cache dir."""
    chosen = os.environ.get("C360_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    from platformdirs import user_cache_path

    return user_cache_path("c360tui", appauthor=False) / "tallies"


def _stamp(path: Path) -> list[int] | None:
    """Device, inode, size and mtime of a file (None: absent)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def file_key(path: Path, last_id: int, since: date | datetime | None, only: Filter) -> str:
    """The entry name for one file's state and one query (hex digest)."""
    resolved = path.resolve()
    identity = {
        "format": FORMAT,
        "schema": SCHEMA_VERSION,
        "path": str(resolved),
        "file": _stamp(resolved),
        "wal": _stamp(resolved.with_name(resolved.name + "-wal")),
        "last_id": last_id,
        "since": since.isoformat() if since is not None else None,
        "only": list(astuple(only)),
    }
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


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


def encode(tally: Tally) -> bytes:
    """JSON of the tally; actions as columns per (day, role, view, actor, override), since their
    keys differ mostly by milliseconds (an entry of 1,000,000 events is ~3x smaller this way)."""
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
    return json.dumps(data, separators=(",", ":")).encode()


def decode(data: bytes) -> Tally:
    """A Tally from `encode`'s bytes; ValueError/TypeError/KeyError when malformed."""
    raw = _loads(data)
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


def load(key: str) -> Tally | None:
    """The cached tally for `key`, or None (no cache, no entry, or an unreadable one)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return decode((folder / f"{key}.json").read_bytes())
    except (OSError, ValueError, TypeError, KeyError):
        return None


def store(key: str, tally: Tally) -> None:
    """Save an entry atomically (best effort: a cache that cannot be written is skipped)."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".tally-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(encode(tally))
            os.replace(temp, folder / f"{key}.json")
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except OSError:
        return


def _prune(folder: Path) -> None:
    """Keep the KEEP most recently written entries (a live file leaves one per report)."""
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)
