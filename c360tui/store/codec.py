"""How core objects travel in store columns: compact JSON documents and ISO 8601 times.

orjson is used when installed (several times faster on the bulk path); the standard library's
json writes the same documents otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from c360tui.core.customer import (
    Candidate,
    CollectionItem,
    FieldEvidence,
    MergeEvidence,
    Provenance,
    ReconciledAttribute,
)
from c360tui.core.records import AttrValue, RecordKey

try:
    import orjson

    _dumps, _SORT_KEYS = orjson.dumps, orjson.OPT_SORT_KEYS

    def dump_json(data: Any) -> str:
        return _dumps(data).decode()

    def load_json(text: str) -> Any:
        return orjson.loads(text)

    def dump_sorted(data: dict[str, Any]) -> str:
        """JSON with keys sorted, so the same content always gives the same text."""
        return _dumps(data, option=_SORT_KEYS).decode()

except ImportError:  # pragma: no cover - exercised only without orjson
    _encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def dump_json(data: Any) -> str:
        return _encode(data)

    def load_json(text: str) -> Any:
        return json.loads(text)

    def dump_sorted(data: dict[str, Any]) -> str:
        return _encode(dict(sorted(data.items())))


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


def attributes_doc(
    attributes: Iterable[ReconciledAttribute],
) -> tuple[dict[str, list[list[Any]]], dict[str, AttrValue], int]:
    """(the `profile.attributes` document, the winners map, how many are conflicted).

    Provenance is listed once under "p" and referred to by index, because most of a customer's
    values come from a handful of records: it keeps the documents (and the disk writes) small.
    """
    sources: list[list[Any]] = []
    by_id: dict[int, int] = {}  # reconcile shares one Provenance per record: the fast path
    by_value: dict[tuple[str, str, str, datetime | None], int] = {}
    known = by_id.get

    def ref(prov: Provenance) -> int:
        """The index of a provenance not seen by identity yet (the slow path)."""
        key = (prov.system, prov.feed, prov.record_id, prov.observed_at)
        found = by_value.get(key)
        if found is None:
            found = by_value[key] = len(sources)
            sources.append([prov.system, prov.feed, prov.record_id, dump_time(prov.observed_at)])
        by_id[id(prov)] = found
        return found

    # Indexes are handed out in the order values are met (winner, alternates, contenders,
    # confirmed), looked up inline: a call per value cost a third of the encoding.
    rows: list[list[Any]] = []
    winners: dict[str, AttrValue] = {}
    conflicted = 0
    for attr in attributes:
        win = attr.winner
        if win is None:
            value, source = None, None
            conflicted += attr.status == "conflicted"
        else:
            value = winners[attr.name] = win.value
            prov = win.provenance
            source = known(id(prov))
            if source is None:
                source = ref(prov)
        alternates = (
            [
                [c.value, i if (i := known(id(c.provenance))) is not None else ref(c.provenance)]
                for c in attr.alternates
            ]
            if attr.alternates
            else None
        )
        contenders = (
            [
                [c.value, i if (i := known(id(c.provenance))) is not None else ref(c.provenance)]
                for c in attr.contenders
            ]
            if attr.contenders
            else None
        )
        row = [
            attr.name,
            attr.status,
            attr.rule,
            value,
            source,
            alternates,
            contenders,
            attr.reason,
        ]
        confirmed = attr.confirmed
        if confirmed is not None:  # optional ninth element: older stores have eight
            i = known(id(confirmed))
            row.append(ref(confirmed) if i is None else i)
        rows.append(row)
    return {"p": sources, "a": rows}, winners, conflicted


def load_attributes(text: str) -> dict[str, ReconciledAttribute]:
    doc = load_json(text)
    sources = [
        Provenance(system, feed, record_id, load_time(observed))
        for system, feed, record_id, observed in doc["p"]
    ]

    def candidates(rows: list[list[Any]] | None) -> tuple[Candidate, ...]:
        return tuple(Candidate(value, sources[i]) for value, i in rows) if rows else ()

    result: dict[str, ReconciledAttribute] = {}
    for name, status, rule, value, source, alternates, contenders, reason, *more in doc["a"]:
        winner = Candidate(value, sources[source]) if source is not None else None
        confirmed = sources[more[0]] if more else None
        result[name] = ReconciledAttribute(
            name,
            rule,
            status,
            winner,
            candidates(alternates),
            candidates(contenders),
            reason,
            confirmed,
        )
    return result


def collections_doc(collections: dict[str, list[CollectionItem]]) -> dict[str, list[list[Any]]]:
    return {
        name: [
            [
                item.values,
                item.provenance.system,
                item.provenance.feed,
                item.provenance.record_id,
                dump_time(item.provenance.observed_at),
            ]
            for item in items
        ]
        for name, items in collections.items()
    }


def load_collections(text: str | None) -> dict[str, list[CollectionItem]]:
    if not text:
        return {}
    return {
        name: [
            CollectionItem(values, Provenance(system, feed, record_id, load_time(observed)))
            for values, system, feed, record_id, observed in items
        ]
        for name, items in load_json(text).items()
    }


def merges_doc(merges: Sequence[MergeEvidence]) -> list[list[Any]]:
    return merge_rows_doc(
        (m.left.feed, m.left.record_id, m.right.feed, m.right.record_id, m.rule, m.fields)
        for m in merges
    )


# A link as ingest's workers carry it: left feed, left id, right feed, right id, rule, fields.
MergeRow = tuple[str, str, str, str, str, tuple[FieldEvidence, ...]]


def merge_rows_doc(merges: Iterable[MergeRow]) -> list[list[Any]]:
    """The `profile.merges` document of links given as plain tuples."""
    return [
        [
            left_feed,
            left_id,
            right_feed,
            right_id,
            rule,
            [[f.field, f.method, f.score] for f in fields],
        ]
        for left_feed, left_id, right_feed, right_id, rule, fields in merges
    ]


def load_merges(text: str | None) -> list[MergeEvidence]:
    if not text:
        return []
    return [
        MergeEvidence(
            RecordKey(left_feed, left_id),
            RecordKey(right_feed, right_id),
            rule,
            tuple(FieldEvidence(name, method, float(score)) for name, method, score in fields),
        )
        for left_feed, left_id, right_feed, right_id, rule, fields in load_json(text)
    ]
