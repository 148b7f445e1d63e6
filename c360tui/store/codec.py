"""How core values travel in store columns: JSON for values, ISO 8601 text for times."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from c360tui.core.customer import Candidate, FieldEvidence, Provenance
from c360tui.core.records import AttrValue

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_loads = json.loads


def dump_value(value: AttrValue) -> str:
    """A value as compact JSON (keeps int, float, bool and list apart from str)."""
    return _dumps(value)


def load_value(text: str) -> AttrValue:
    value: AttrValue = _loads(text)
    return value


def store_value(value: AttrValue) -> tuple[str | int | float, str | None]:
    """A value as (column value, type tag): text, int and float natively; bool and list tagged."""
    if value is True or value is False:
        return int(value), "b"
    if isinstance(value, list):
        return _dumps(value), "l"
    return value, None


def restore_value(stored: str | int | float, tag: str | None) -> AttrValue:
    if tag == "b":
        return bool(stored)
    if tag == "l":
        restored: list[float] = _loads(str(stored))
        return restored
    return stored


_TIME_CACHE: dict[datetime, str] = {}


def dump_time(moment: datetime | None) -> str | None:
    """ISO 8601 text; cached because one record's time is written for each of its values."""
    if moment is None:
        return None
    text = _TIME_CACHE.get(moment)
    if text is None:
        if len(_TIME_CACHE) > 100_000:
            _TIME_CACHE.clear()
        text = _TIME_CACHE[moment] = moment.isoformat()
    return text


def load_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def dump_candidates(candidates: Sequence[Candidate]) -> str | None:
    """Candidates as a JSON list of [value, system, feed, record_id, observed_at]; None if empty."""
    if not candidates:
        return None
    return _dumps(
        [
            [
                c.value,
                c.provenance.system,
                c.provenance.feed,
                c.provenance.record_id,
                dump_time(c.provenance.observed_at),
            ]
            for c in candidates
        ]
    )


def load_candidates(text: str | None) -> tuple[Candidate, ...]:
    if not text:
        return ()
    return tuple(
        Candidate(value, Provenance(system, feed, record_id, load_time(observed)))
        for value, system, feed, record_id, observed in _loads(text)
    )


def dump_fields(fields: Sequence[FieldEvidence]) -> str:
    """Merge evidence fields as a JSON list of [field, method, score]."""
    return _dumps([[f.field, f.method, f.score] for f in fields])


def load_fields(text: str) -> tuple[FieldEvidence, ...]:
    return tuple(FieldEvidence(name, method, float(score)) for name, method, score in _loads(text))


def dump_json(data: Any) -> str:
    return _dumps(data)


def load_json(text: str) -> Any:
    return _loads(text)
